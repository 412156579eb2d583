-- Retention of the files of role requests' documents (issue 18,
-- "rejected and expired requests"). The role_requests rule minimises a
-- rejected or expired request after its period, but the files its
-- applicant sent (role_request_document_contents, issue 15) stayed: the
-- application's role may add and read them, never change or remove them
-- (storage/roles.go), and that should stay so. This function, run as the
-- owner, removes only the files of rejected and expired requests last
-- changed before the role_requests rule's period (taken from the rule and
-- the database's own clock, as audit_redact does, whatever cutoff the
-- caller asks for), at most batch at a time, and returns how many. The
-- documents' metadata (name, type, size, SHA-256) stays with the request.
CREATE FUNCTION retention_delete_document_files(before timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    cutoff timestamptz;
    n      integer;
BEGIN
    SELECT now() - make_interval(months => period_months, days => period_days) INTO STRICT cutoff
      FROM public.retention_rules WHERE kind = 'role_requests';
    DELETE FROM public.role_request_document_contents c
     WHERE c.document_id IN (
        SELECT d.id FROM public.role_request_document_contents f
          JOIN public.role_request_documents d ON d.id = f.document_id
          JOIN public.role_requests r ON r.id = d.request_id
         WHERE r.state IN ('rejected', 'expired') AND r.updated_at < least(before, cutoff)
         ORDER BY d.id LIMIT batch);
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

REVOKE ALL ON FUNCTION retention_delete_document_files(timestamptz, integer) FROM PUBLIC;
