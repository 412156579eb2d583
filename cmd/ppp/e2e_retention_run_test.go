package main_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestE2E_RetentionSweep_DryRunCountsWhatTheRunChanges drives
// issue 18's retention sweep on the built binary over rows of each kind,
// some past their rules and some not (not over `ppp demo`, whose load
// alone took 28 s here): `ppp sweep retention --dry-run` counts per
// kind and changes nothing, the real run then changes exactly as many
// (its "changed" equals the dry run's sum), a rejected request's document
// file goes through the owner's function (the app role holds no DELETE on
// files), and a second dry run finds nothing left.
func TestE2E_RetentionSweep_DryRunCountsWhatTheRunChanges(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	in.mustRun(t, "", "migrate")
	// Data of every kind, some within its rule's period and some past it.
	conn := sqlConn(t, in)
	ctx := context.Background()
	for _, sql := range []string{
		`INSERT INTO role_requests (kind, state, first_name, last_name, personal_code, email, reason_code,
		                           email_confirmed_at, created_at, updated_at)
		 SELECT 'career_consultant', s, 'Anna', 'Liepa', '010190-1234' || g, 'anna' || g || '@example.lv', 'other',
		        CASE WHEN s <> 'expired' THEN now() END, now() - interval '2 years', now() - interval '2 years' + make_interval(days => g)
		   FROM generate_series(1, 3) g, unnest(ARRAY['rejected', 'expired', 'pending']) s`,
		`INSERT INTO sign_in_attempts (at, operator_name, remote_addr, method, success)
		 SELECT now() - make_interval(days => 170 + g * 7), 'anna', '192.0.2.7', 'password', false FROM generate_series(1, 4) g`,
		`INSERT INTO outbox (created_at, to_addr, lang, template, subject, body, state, sent_at)
		 SELECT now() - make_interval(days => 80 + g * 7), 'anna@example.lv', 'lv', 't', 'Sveika', 'body', s, CASE WHEN s = 'sent' THEN now() END
		   FROM generate_series(1, 3) g, unnest(ARRAY['sent', 'failed']) s`,
		`WITH r AS (SELECT min(id) AS id FROM role_requests WHERE state IN ('rejected', 'expired')),
		      d AS (INSERT INTO role_request_documents (request_id, position, name, media_type, size, sha256)
		            SELECT id, 99, 'vecs.pdf', 'application/pdf', 4, repeat('cd', 32) FROM r RETURNING id)
		 INSERT INTO role_request_document_contents (document_id, content) SELECT id, '%PDF' FROM d`,
		`INSERT INTO register_snapshots (register, personal_code, fetched_at, answered)
		 VALUES ('population', '010190-12345', now() - interval '4 years', true)`,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	countRE := regexp.MustCompile(`(?m)^(\S+)\s+\S+\s+(\d+) \(`)
	plan := func() (map[string]int, int) {
		res := in.mustRun(t, "", "sweep", "retention", "--dry-run")
		m, sum := map[string]int{}, 0
		for _, g := range countRE.FindAllStringSubmatch(res.stdout, -1) {
			n, _ := strconv.Atoi(g[2])
			m[g[1]], sum = n, sum+n
		}
		if len(m) != 6 {
			t.Fatalf("the dry run listed %d kinds:\n%s", len(m), res.stdout)
		}
		return m, sum
	}
	first, total := plan()
	if again, _ := plan(); len(again) != len(first) || again["role_requests"] != first["role_requests"] {
		t.Fatalf("the dry run changed something: %v → %v", first, again)
	}
	for _, kind := range []string{"role_requests", "sign_in_attempts", "outbox_bodies", "register_snapshots"} {
		if first[kind] == 0 {
			t.Errorf("the dry run found nothing of %s: %v", kind, first)
		}
	}
	res := in.mustRun(t, "", "sweep", "retention")
	if !strings.Contains(res.stdout, "changed "+strconv.Itoa(total)) && !strings.Contains(res.stdout, "mainīti "+strconv.Itoa(total)) {
		t.Errorf("the run did not change the %d the dry run counted (%v):\n%s", total, first, res.stdout)
	}
	if n := count(t, conn, `SELECT count(*) FROM role_request_documents d JOIN role_request_document_contents c ON c.document_id = d.id
		JOIN role_requests r ON r.id = d.request_id WHERE r.state IN ('rejected', 'expired')`); n != 0 {
		t.Errorf("%d files of old rejected or expired requests stayed", n)
	}
	if _, left := plan(); left != 0 {
		t.Errorf("a second dry run still counts %d", left)
	}
}
