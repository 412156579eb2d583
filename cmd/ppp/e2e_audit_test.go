package main_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/storage/auditanchor"
)

// checkpointLines returns the checkpoints in the file at path.
func checkpointLines(t *testing.T, path string) []auditanchor.Read {
	t.Helper()
	reads, err := auditanchor.ReadFile(path)
	if err != nil && !os.IsNotExist(errors.Unwrap(err)) {
		t.Fatal(err)
	}
	return reads
}

// rewriteAuditAsDBA changes entry seq's reason and recomputes every hash
// after it and the head, with the triggers off, as the database's owner
// can: the attack of issue 15.
func rewriteAuditAsDBA(t *testing.T, dbURL string, seq int) {
	t.Helper()
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, `
		SET session_replication_role = replica;
		UPDATE audit_log SET reason = 'nothing happened' WHERE seq = `+strconv.Itoa(seq)+`;
		DO $$
		DECLARE
		    e    audit_log;
		    prev bytea;
		BEGIN
		    SELECT hash INTO prev FROM audit_log WHERE seq = `+strconv.Itoa(seq-1)+`;
		    FOR e IN SELECT * FROM audit_log WHERE seq >= `+strconv.Itoa(seq)+` ORDER BY seq LOOP
		        e.prev_hash := prev;
		        e.hash := sha256(prev || convert_to(audit_log_canonical(e), 'UTF8'));
		        UPDATE audit_log SET prev_hash = e.prev_hash, hash = e.hash WHERE seq = e.seq;
		        prev := e.hash;
		    END LOOP;
		    UPDATE audit_head SET hash = prev;
		END
		$$;
		RESET session_replication_role`)
	if err != nil {
		t.Fatalf("rewrite as the database's owner: %v", err)
	}
}

// TestE2E_AuditCheckpoints_DBARewriteAndForgedLine_Reported walks issue
// 15's audit trail end to end: keygen, a server that writes a checkpoint
// every interval and one at shutdown (to the file, signed), a
// verification that agrees with them; then the database's owner rewrites
// an entry and recomputes the chain and head: a verification from the
// database alone still says intact, and the one against the checkpoints
// names the checkpoint the log contradicts; a forged line is reported by
// its line number.
func TestE2E_AuditCheckpoints_DBARewriteAndForgedLine_Reported(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	keyFile := filepath.Join(in.dataDir, "audit.key")
	if res := in.mustRun(t, "", "audit", "keygen", keyFile); !strings.Contains(res.stdout, keyFile+".pub") {
		t.Fatalf("keygen said %q", res.stdout)
	}
	cpFile := filepath.Join(in.dataDir, "checkpoints.jsonl")
	env := []string{"PPP_AUDIT_KEY_FILE=" + keyFile, "PPP_AUDIT_CHECKPOINTS=" + cpFile, "PPP_AUDIT_CHECKPOINT_EVERY=1s"}

	srv := in.startServer(env...)
	in.addOperator("ilze", "Ilze Bērziņa", "admin")
	in.addOperator("janis", "Jānis Kalniņš", "reviewer")
	deadline := time.Now().Add(20 * time.Second)
	for len(checkpointLines(t, cpFile)) < 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if n := len(checkpointLines(t, cpFile)); n < 2 {
		t.Fatalf("the server wrote %d checkpoints in 20 s with PPP_AUDIT_CHECKPOINT_EVERY=1s", n)
	}
	in.addOperator("anna", "Anna Liepa", "security") // after the last hourly one
	before := len(checkpointLines(t, cpFile))
	srv.stop()
	reads := checkpointLines(t, cpFile)
	if len(reads) != before+1 {
		t.Fatalf("%d checkpoints after shutdown, %d before: want one written at shutdown", len(reads), before)
	}
	last := reads[len(reads)-1].Checkpoint
	verified := in.mustRun(t, "", "audit", "verify", "--full")
	var entries int
	if _, err := fmt.Sscanf(verified.stdout, text(t, en, "cli.audit.intact"), &entries); err != nil || int64(entries) != last.Seq {
		t.Fatalf("the shutdown checkpoint covers entry %d; the log has %d (%v)", last.Seq, entries, err)
	}

	verify := []string{"audit", "verify", "--checkpoints", cpFile, "--pubkey", keyFile + ".pub"}
	if res := in.run(t, "", verify...); res.code != 0 || !strings.Contains(res.stdout, "agrees with") {
		t.Fatalf("before any tampering: %s", res)
	}

	rewriteAuditAsDBA(t, in.dbURL, 2)
	if res := in.run(t, "", "audit", "verify", "--full"); res.code != 0 {
		t.Fatalf("a verification from the database alone was expected to pass the recomputed chain: %s", res)
	}
	// The first checkpoint that covers entry 2 is the one contradicted.
	first := 0
	for _, r := range reads {
		if r.Checkpoint.Seq >= 2 {
			first = r.Line
			break
		}
	}
	res := in.run(t, "", verify...)
	if res.code != 1 || !strings.Contains(res.stderr, "contradicts the checkpoint of entry #") ||
		!strings.Contains(res.stderr, cpFile+" line "+strconv.Itoa(first)+")") {
		t.Fatalf("against the checkpoints after the rewrite, want line %d named: %s", first, res)
	}

	// A forged line: the newest checkpoint, claiming another entry.
	forged := strings.Replace(last.MarshalLine(), `"seq":`, `"seq":1`, 1)
	f, err := os.OpenFile(cpFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(forged + "\n")
	f.Close()
	res = in.run(t, "", verify...)
	line := len(reads) + 1
	if res.code != 1 || !strings.Contains(res.stderr, cpFile+" line "+strconv.Itoa(line)+" (entry #1") ||
		!strings.Contains(res.stderr, "the signature does not match") {
		t.Fatalf("with a forged line %d: %s", line, res)
	}
}

// TestE2E_AuditKey_ReadableByOthers_ServerRefusesToStart: a signing key
// that other users may read is refused at start, with one line saying
// what to do; so is an unusable syslog address and a bad interval.
func TestE2E_AuditKey_ReadableByOthers_ServerRefusesToStart(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	keyFile := filepath.Join(in.dataDir, "audit.key")
	in.mustRun(t, "", "audit", "keygen", keyFile)
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env  []string
		args []string
		want string
	}{
		{[]string{"PPP_AUDIT_KEY_FILE=" + keyFile}, []string{"serve", "--ssh-addr", "127.0.0.1:0"}, "chmod 600"},
		{[]string{"PPP_AUDIT_KEY_FILE=" + keyFile}, []string{"audit", "checkpoint"}, "chmod 600"},
		{nil, []string{"audit", "checkpoint"}, "PPP_AUDIT_KEY_FILE is not set"},
	} {
		res := in.runEnv(t, tc.env, tc.args...)
		if res.code == 0 || !strings.Contains(lastLine(res.stderr), tc.want) {
			t.Errorf("%s: want a one-line refusal saying %q: %s", strings.Join(tc.args, " "), tc.want, res)
		}
	}
	if err := os.Chmod(keyFile, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, env := range [][]string{
		{"PPP_AUDIT_KEY_FILE=" + keyFile, "PPP_AUDIT_CHECKPOINT_SYSLOG=syslog.example.lv"},
		{"PPP_AUDIT_KEY_FILE=" + keyFile, "PPP_AUDIT_CHECKPOINT_EVERY=0.5s"},
	} {
		res := in.runEnv(t, env, "serve", "--ssh-addr", "127.0.0.1:0")
		if res.code == 0 || !strings.Contains(lastLine(res.stderr), strings.SplitN(env[1], "=", 2)[0]) {
			t.Errorf("%v: want a refusal naming the setting: %s", env, res)
		}
	}
}

// lastLine returns the last non-empty line of s: where main prints why
// a verb failed.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// TestE2E_Bench_QuickAudit runs `ppp bench --quick --only audit`: the
// table has every audit figure, each with its baseline.
func TestE2E_Bench_QuickAudit(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	res := in.run(t, "", "bench", "--quick", "--only", "audit")
	if res.code != 0 {
		t.Fatalf("%s", res)
	}
	for _, want := range []string{"audit search by operator", "by action (prefix)", "by subject", "by time range", "free text",
		"plain SQL", "Audit screen page", "the same in 10000 entries", "audit verify, full", "reading the same rows", "audit verify, resumed"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("the table lacks %q:\n%s", want, res.stdout)
		}
	}
	if strings.Contains(res.stdout, "claims") || strings.Contains(res.stdout, "queue list page") {
		t.Errorf("--only audit measured more:\n%s", res.stdout)
	}
}
