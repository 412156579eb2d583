-- Duplicate lookups compare a request's e-mail address with the active
-- institutions' addresses too (storage/rolerequest.go, FindDuplicates).

CREATE INDEX institutions_email_idx ON institutions (lower(email));
