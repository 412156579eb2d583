package main_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// httpStatusGet returns the status and body of GET url.
func httpStatusGet(t *testing.T, url string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// series returns the value of the series named exactly (name and labels
// as exported) in a scrape, and whether it is there.
func series(scrape, name string) (float64, bool) {
	for _, line := range strings.Split(scrape, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			return f, err == nil
		}
	}
	return 0, false
}

// TestE2E_Observe_MetricsLogsReadiness runs `ppp serve` with
// PPP_METRICS_ADDR and PPP_LOG_FORMAT=json. After some activity (a wrong
// password, a reviewer's sign-in by key, a claim of a role request whose
// submission queued mail) /metrics shows the session, the sign-ins by
// method and outcome, the claim, the queues, the outbox, every sweep, the
// death check, the feed, the pool and the schema, and nowhere in the
// whole scrape the applicant's name, e-mail or personal code, nor the
// operator's name. /readyz turns 503 "database not reachable" when the
// database refuses connections, and 200 again when it takes them; /healthz
// stays 200. Every stderr line is a JSON object; the session's lines carry
// its id, and no line carries personal data.
func TestE2E_Observe_MetricsLogsReadiness(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	anna := in.addOperator(annaName, annaFullName, "reviewer")
	form := rrApplicant()
	applicant := form.FirstName + " " + form.LastName
	submitPending(t, in, form)
	srv := in.startServer("PPP_METRICS_ADDR=127.0.0.1:0", "PPP_LOG_FORMAT=json", "PPP_LOG_LEVEL=debug")
	base := "http://" + srv.waitLine("cli.serve.metrics_listening")

	// A wrong password, then the reviewer by key, who opens the request
	// and so claims it.
	if c, err := srv.dial(anna.name, ssh.Password("Wrong-password-1")); err == nil {
		c.Close()
		t.Fatal("a wrong password signed in")
	}
	term := openQueue(t, srv.mustDial(t, anna.name, ssh.PublicKeys(anna.signer)), anna, applicant)
	mark := term.mark()
	term.press("\r")
	term.waitText(prefixOf(t, "tui.rr.claim.yours"), mark)

	code, scrape := httpStatusGet(t, base+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d\n%s", code, scrape)
	}
	want := map[string]float64{
		`ppp_sessions_open`: 1,
		`ppp_sign_ins_total{method="publickey",outcome="success"}`: 1,
		`ppp_sign_ins_total{method="password",outcome="failure"}`:  1,
		`ppp_claims_total{queue="role_requests"}`:                  1,
		`ppp_queue_depth{queue="role_requests"}`:                   1,
		`ppp_feed_connected`:                                       1,
		`ppp_metrics_db_up`:                                        1,
		`ppp_operators_locked`:                                     0,
		`ppp_schema_migration{which="expected"}`:                   float64(storage.LatestMigration()),
		`ppp_schema_migration{which="applied"}`:                    float64(storage.LatestMigration()),
	}
	for name, v := range want {
		if got, ok := series(scrape, name); !ok || got != v {
			t.Errorf("/metrics: %s = %v (present %v); want %v", name, got, ok, v)
		}
	}
	for _, name := range []string{
		`ppp_queue_oldest_age_seconds{queue="role_requests"}`, `ppp_outbox_messages{state="pending"}`,
		`ppp_outbox_messages{state="failed"}`, `ppp_outbox_oldest_undelivered_age_seconds`,
		`ppp_sweep_interval_seconds{sweep="death-check"}`, `ppp_sweep_last_success_timestamp_seconds{sweep="retention"}`,
		`ppp_death_check_overdue`, `ppp_death_check_unchecked{reason="no_code"}`, `ppp_feed_reconnects_total`,
		`ppp_db_pool_connections{state="acquired"}`, `ppp_db_pool_max_connections`, `go_goroutines`,
	} {
		if _, ok := series(scrape, name); !ok {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	personal := []string{form.FirstName, form.LastName, form.Email, form.PersonalCode, form.PersonalCode[:6], form.Phone, anna.name, annaFullName}
	for _, p := range personal {
		if strings.Contains(scrape, p) {
			t.Errorf("/metrics carries personal data %q", p)
		}
	}

	// Readiness follows the database.
	if code, body := httpStatusGet(t, base+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz: %d %q; want 200", code, body)
	}
	admin := pgtest.AdminURL(t)
	pcfg, err := pgx.ParseConfig(in.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	dbName := pcfg.Database
	setConnections := func(allow bool) {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		conn, err := pgx.Connect(ctx, storage.WithDatabase(admin, "postgres"))
		if err != nil {
			t.Fatalf("connect as the superuser: %v", err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{dbName}.Sanitize()+" ALLOW_CONNECTIONS "+strconv.FormatBool(allow)); err != nil {
			t.Fatal(err)
		}
		if !allow {
			if _, err := conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", dbName); err != nil {
				t.Fatal(err)
			}
		}
	}
	setConnections(false)
	t.Cleanup(func() { setConnections(true) })
	waitStatus := func(wantCode int, wantBody string) {
		t.Helper()
		deadline := time.Now().Add(waitTimeout)
		for {
			code, body := httpStatusGet(t, base+"/readyz")
			if code == wantCode && (wantBody == "" || body == wantBody) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("/readyz: %d %q; want %d %q", code, body, wantCode, wantBody)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitStatus(http.StatusServiceUnavailable, "database not reachable\n")
	if code, _ := httpStatusGet(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: %d while the database is gone; want 200 (the process is up)", code)
	}
	setConnections(true)
	waitStatus(http.StatusOK, "ready\n")

	// The logs: JSON line by line, the session's with its id, nothing
	// personal.
	term.press("q")
	srv.stop()
	sessionLines := 0
	sessionID := regexp.MustCompile(`^[0-9a-f]{1,12}-[0-9a-z]+$`)
	for _, line := range strings.Split(strings.TrimSpace(srv.stderr.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("a log line is not JSON: %q (%v)", line, err)
			continue
		}
		if msg, _ := rec["msg"].(string); msg == "session start" || msg == "session end" {
			sessionLines++
			if id, _ := rec["session"].(string); !sessionID.MatchString(id) {
				t.Errorf("a session's log line has no session id: %q", line)
			}
		}
		for _, p := range personal {
			if strings.Contains(line, p) {
				t.Errorf("a log line carries personal data %q: %s", p, line)
			}
		}
	}
	if sessionLines < 2 {
		t.Errorf("want the session's start and end in the log, found %d lines:\n%s", sessionLines, srv.stderr)
	}
}

// TestE2E_Version prints the version as text and JSON: the schema is the
// database's when it is reached, the binary's marked "(database not
// reached)" otherwise; a bad --format or log setting is refused with
// exit 2 and one line naming it.
func TestE2E_Version(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	latest := strconv.Itoa(storage.LatestMigration())
	res := in.mustRun(t, "", "version", "--format", "json")
	var v struct {
		Version, Revision, Go string
		Schema                int
		FromDB                bool `json:"schema_from_database"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &v); err != nil {
		t.Fatalf("version --format json: %v\n%s", err, res)
	}
	if v.Version == "" || !strings.HasPrefix(v.Go, "go") || strconv.Itoa(v.Schema) != latest || !v.FromDB {
		t.Errorf("version --format json: %+v; want a version, go…, schema %s from the database", v, latest)
	}
	in.dbURL = "postgres://nobody@127.0.0.1:1/none?connect_timeout=1"
	res = in.mustRun(t, "", "version")
	if !strings.Contains(res.stdout, "schema:      "+latest+" (database not reached)") || !strings.Contains(res.stdout, "Go:") {
		t.Errorf("version without a database:\n%s", res)
	}
	res = in.run(t, "", "version", "--format", "yaml")
	assertOneLineRefusal(t, res, "--format yaml")
}
