package storage_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// The attacks of issue 15 ("An audit trail that holds against the
// database's users"), made with the application's own credentials: the
// connection pgtest.NewDB gives every storage test, the one `ppp serve`
// and the verbs use. Each attack runs in a transaction of its own that is
// rolled back, so an attack that got through does not hide the next one.

// appAttacks are the statements the application's role must be refused.
var appAttacks = []struct{ name, sql string }{
	{"switch the audit log's triggers off", `ALTER TABLE audit_log DISABLE TRIGGER USER`},
	{"switch every trigger of the audit log off", `ALTER TABLE audit_log DISABLE TRIGGER ALL`},
	{"switch the head's guard off", `ALTER TABLE audit_head DISABLE TRIGGER audit_head_guard`},
	{"switch the pending entries' guard off", `ALTER TABLE audit_pending DISABLE TRIGGER USER`},
	{"skip every trigger as a replica", `SET LOCAL session_replication_role = replica`},
	{"delete an entry", `DELETE FROM audit_log WHERE seq = 3`},
	{"change an entry", `UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 3`},
	{"move the head", `UPDATE audit_head SET seq = 2`},
	{"delete the head", `DELETE FROM audit_head`},
	{"delete pending entries", `DELETE FROM audit_pending`},
	{"delete pending entries, claiming to seal", `SELECT set_config('ppp.audit_sealing', 'on', true); DELETE FROM audit_pending`},
	{"change a pending entry", `UPDATE audit_pending SET reason = 'x'`},
	{"truncate the log", `TRUNCATE audit_log`},
	{"truncate the head", `TRUNCATE audit_head`},
	{"truncate the pending entries", `TRUNCATE audit_pending`},
	{"renumber the pending entries", `SELECT setval(pg_get_serial_sequence('audit_pending', 'id'), 1)`},
	{"create a table", `CREATE TABLE public.evil (n int)`},
	{"create a function", `CREATE FUNCTION public.evil() RETURNS int LANGUAGE sql AS 'SELECT 1'`},
	{"replace the sealing function", `CREATE OR REPLACE FUNCTION audit_seal(batch integer) RETURNS integer LANGUAGE sql AS 'SELECT 0'`},
	{"replace the chaining function", `CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'`},
	{"drop the chain's trigger", `DROP TRIGGER audit_log_chain ON audit_log`},
	{"run a program on the server", `COPY (SELECT 1) TO PROGRAM 'true'`},
	{"read a server file", `SELECT pg_read_file('PG_VERSION')`},
	{"become the tables' owner", `SELECT set_config('role', (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log')::text, true)`},
}

// TestDBRoles_AppRole_CannotRewriteTheAudit is the attack of issue 15:
// with the application's credentials, switch the triggers off, delete
// entries, recompute the chain and move the head (or remove pending
// entries before they are chained). Every step must be refused with
// insufficient privilege, the chain must verify intact afterwards, and
// sealing must still work.
func TestDBRoles_AppRole_CannotRewriteTheAudit(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := t.Context()
	recordN(t, db, 5)
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO audit_pending (at, actor_name, action, subject_kind, subject_id)
		VALUES (now(), 'anna', 'test.pending', 'thing', '6')`); err != nil {
		t.Fatal(err)
	}

	for _, a := range appAttacks {
		err := attempt(ctx, db, a.sql)
		var pgErr *pgconn.PgError
		switch {
		case err == nil:
			t.Errorf("%s (%s): allowed", a.name, a.sql)
		case !errors.As(err, &pgErr) || pgErr.Code != "42501":
			t.Errorf("%s (%s): %v; want insufficient privilege (42501)", a.name, a.sql, err)
		}
	}

	// The whole rewrite in one transaction, as an attacker would run it.
	err := attempt(ctx, db, `
		ALTER TABLE audit_log DISABLE TRIGGER USER;
		ALTER TABLE audit_head DISABLE TRIGGER USER;
		DELETE FROM audit_log WHERE seq = 3;
		UPDATE audit_log SET seq = seq - 1 WHERE seq > 3;
		UPDATE audit_log AS a SET prev_hash = p.hash
		  FROM audit_log AS p WHERE p.seq = a.seq - 1 AND a.seq >= 3;
		UPDATE audit_log AS a SET hash = sha256(a.prev_hash || convert_to(audit_log_canonical(a), 'UTF8')) WHERE seq >= 3;
		UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_log WHERE seq = 4);
		ALTER TABLE audit_log ENABLE TRIGGER USER;
		ALTER TABLE audit_head ENABLE TRIGGER USER`)
	if err == nil {
		t.Error("the rewrite of the chain was allowed")
	}

	svc := storage.NewAuditService(db)
	if n, err := svc.SealAudit(ctx); err != nil || n != 1 {
		t.Fatalf("sealing as the application: moved %d, %v; want the 1 pending entry", n, err)
	}
	v, err := svc.VerifyAudit(ctx)
	if err != nil || !v.OK || v.Entries != 6 {
		t.Fatalf("after the attacks: %+v, %v; want the chain intact with 6 entries", v, err)
	}
	var sixth string
	if err := db.Pool().QueryRow(ctx, `SELECT subject_id FROM audit_log WHERE seq = 6`).Scan(&sixth); err != nil || sixth != "6" {
		t.Fatalf("entry 6 is %q, %v; want the pending entry, chained", sixth, err)
	}
}

// TestDBRoles_SealingFunction_IgnoresTheCallersTemporaryTables proves that
// the sealing function cannot be steered by the caller: with a temporary
// table named audit_log (found before the real one on a default search
// path), a sealer that ran with the caller's search path would delete the
// pending entries and write them into the temporary table, where they
// vanish at the end of the session.
func TestDBRoles_SealingFunction_IgnoresTheCallersTemporaryTables(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := t.Context()
	recordN(t, db, 2)
	for i := range 3 {
		if _, err := db.Pool().Exec(ctx, `
			INSERT INTO audit_pending (at, actor_name, action, subject_kind, subject_id)
			VALUES (now(), 'anna', 'test.pending', 'thing', $1)`, strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	conn, err := db.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, `
		CREATE TEMP TABLE audit_log AS SELECT * FROM public.audit_log WITH NO DATA`)
	if err != nil {
		conn.Release()
		t.Fatalf("temporary tables: %v", err)
	}
	var moved int
	err = conn.QueryRow(ctx, `SELECT audit_seal(1000)`).Scan(&moved)
	// The temporary tables go with the connection.
	conn.Conn().Close(context.Background())
	conn.Release()
	if err != nil {
		t.Fatalf("seal: %v", err)
	}
	v, err := storage.NewAuditService(db).VerifyAudit(ctx)
	if err != nil || !v.OK || v.Entries != 5 {
		t.Fatalf("after sealing beside temporary tables: %+v, %v; want 5 entries on the real chain", v, err)
	}
}

// attempt runs sql in a transaction that it rolls back, and returns the
// error of the first statement that failed.
func attempt(ctx context.Context, db *storage.DB, sql string) error {
	err := pgx.BeginFunc(ctx, db.Pool(), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, sql); err != nil {
			return err
		}
		return errRolledBack
	})
	if errors.Is(err, errRolledBack) {
		return nil
	}
	return err
}

var errRolledBack = errors.New("rolled back")
