-- A failed bulk item keeps the arguments of its refusal beside the key
-- ("held by %s until %s"), so that the screen says the whole reason.
ALTER TABLE bulk_job_items ADD COLUMN error_args jsonb NOT NULL DEFAULT '[]';
ALTER TABLE bulk_job_items ADD CONSTRAINT bulk_job_items_error_args_array CHECK (jsonb_typeof(error_args) = 'array');
COMMENT ON COLUMN bulk_job_items.error_args IS 'The arguments of a failed item''s refusal (error_key), strings and numbers, in order.';
