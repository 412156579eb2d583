package main_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestRetentionAndMisuseCLI_AnAdministratorsWorkflow drives issue 18's
// policy verbs as an administrator at the command line would: `ppp
// retention` lists a rule per kind, `ppp retention set` changes one (and
// refuses an audit period under the year's floor), `ppp sweep retention
// --dry-run` says what would go; `ppp misuse threshold` changes a signal's
// threshold and window and prints them all, refusing an unknown kind and
// bad use. The operator who last changed a threshold is a stored name,
// printed as one field: a line break in it cannot forge a threshold line.
func TestRetentionAndMisuseCLI_AnAdministratorsWorkflow(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	in.mustRun(t, "", "migrate")

	res := in.mustRun(t, "", "retention")
	for _, kind := range []string{"inbound_mail", "register_snapshots", "role_requests", "sign_in_attempts", "outbox_bodies", "audit"} {
		if !strings.Contains(res.stdout, kind) {
			t.Errorf("ppp retention lists no rule for %s:\n%s", kind, res.stdout)
		}
	}
	res = in.mustRun(t, "", "retention", "set", "inbound_mail", "2y", "minimise")
	if !strings.Contains(res.stdout, "inbound_mail: 2y") {
		t.Errorf("ppp retention set printed %q", res.stdout)
	}
	if res := in.mustRun(t, "", "retention"); !strings.Contains(res.stdout, "2y") {
		t.Errorf("the changed rule is not listed:\n%s", res.stdout)
	}
	if res := in.run(t, "", "retention", "set", "audit", "30d", "minimise"); res.code == 0 {
		t.Errorf("an audit period of 30 days was taken: %s", res)
	}
	if res := in.run(t, "", "retention", "set", "inbound_mail"); res.code != 2 {
		t.Errorf("bad use: %s", res)
	}
	res = in.mustRun(t, "", "sweep", "retention", "--dry-run")
	if n := strings.Count(res.stdout, "\n"); n != 6 {
		t.Errorf("the dry run printed %d lines, want one per kind:\n%s", n, res.stdout)
	}

	res = in.mustRun(t, "", "misuse", "threshold", "request_burst", "20", "2h")
	if !strings.Contains(res.stdout, "request_burst: 20 within 2h") || strings.Count(res.stdout, "\n") != 4 {
		t.Errorf("ppp misuse threshold printed:\n%s", res.stdout)
	}
	if res := in.run(t, "", "misuse", "threshold", "bogus", "3", "1h"); res.code == 0 {
		t.Errorf("an unknown kind was taken: %s", res)
	}
	if res := in.run(t, "", "misuse"); res.code != 2 {
		t.Errorf("bad use: %s", res)
	}

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, in.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `
		WITH o AS (INSERT INTO operators (name, full_name, roles) VALUES ('anna', E'Anna\nreset_burst: 99 within 1m', '{admin}') RETURNING id)
		UPDATE misuse_policy SET changed_by = (SELECT id FROM o) WHERE kind = 'shared_contact'`); err != nil {
		t.Fatal(err)
	}
	res = in.mustRun(t, "", "misuse", "thresholds")
	if strings.Count(res.stdout, "\n") != 4 || strings.Contains(res.stdout, "\nreset_burst: 99") {
		t.Errorf("a stored name forged a threshold line:\n%s", res.stdout)
	}
}
