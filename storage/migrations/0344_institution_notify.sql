-- Every change of an institution's row is announced on the change feed,
-- as an operator's and a role request's are (0001, 0012), so that the
-- institutions list and page of every session follow edits, suspensions,
-- denials and the re-verification sweep. The payload is the id only.
CREATE FUNCTION notify_institution() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ppp_change', 'institution:' || NEW.id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER institutions_notify_insert AFTER INSERT ON institutions
    FOR EACH ROW EXECUTE FUNCTION notify_institution();
CREATE TRIGGER institutions_notify_update AFTER UPDATE ON institutions
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_institution();
