//go:build faults

package main_test

// The harness of the fault tests (make test-faults): the database cluster
// of their own that they may restart, the server killed with -9, its
// goroutines and memory read through PPP_DEBUG_ADDR, role requests in
// bulk, and waits that report instead of failing, for the goroutines that
// drive many sessions at once.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// faultsDataDirEnv names the data folder of the cluster the fault tests
// run on and may restart; make test-faults sets it, together with
// PPP_TEST_DATABASE_URL pointing into that cluster.
const faultsDataDirEnv = "PPP_FAULTS_DATA_DIR"

// faultsCluster returns the data folder of the fault tests' own cluster,
// skipping the test when it is not set: restarting the cluster that other
// tests share would break them.
func faultsCluster(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(faultsDataDirEnv)
	if dir == "" || os.Getenv("PPP_TEST_DATABASE_URL") == "" {
		t.Skipf("the fault tests restart their database: run them with make test-faults (%s and PPP_TEST_DATABASE_URL unset)", faultsDataDirEnv)
	}
	return dir
}

// outageFor is how long the database stays away in the "outage" mode of
// restartDatabase: longer than the sessions' 5-second retry and several
// of the change feed's reconnection attempts.
const outageFor = 6 * time.Second

// restartDatabase restarts the fault tests' cluster and returns how long
// that took: mode "fast" or "immediate" is `ppp db restart --mode MODE`;
// "outage" is `ppp db stop`, outageFor without a database, then `ppp db
// start`.
func restartDatabase(t *testing.T, bin, dataDir, mode string) time.Duration {
	t.Helper()
	start := time.Now()
	if mode == "outage" {
		clusterCommand(t, bin, dataDir, "db", "stop")
		time.Sleep(outageFor)
		clusterCommand(t, bin, dataDir, "db", "start")
	} else {
		clusterCommand(t, bin, dataDir, "db", "restart", "--mode", mode)
	}
	return time.Since(start)
}

// clusterCommand runs `ppp ARGS…` on the cluster in dataDir.
func clusterCommand(t *testing.T, bin, dataDir string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PPP_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PPP_DATA_DIR="+dataDir, "PPP_LANG=en")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ppp %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// pid is the server's process id.
func (s *server) pid() int { return s.cmd.Process.Pid }

// ---------------------------------------------------------------------------
// Measuring the server

// serverFigures is what the fault tests measure of a running server.
type serverFigures struct {
	goroutines int
	heapAlloc  int64 // bytes of live objects, after a garbage collection
	heapInuse  int64 // bytes in spans in use (live objects and their fragmentation)
	rss        int64 // bytes, from /proc
	threads    int
}

func (f serverFigures) String() string {
	return fmt.Sprintf("%d goroutines, heap live %.1f MiB (in use %.1f MiB), RSS %.1f MiB, %d threads",
		f.goroutines, mib(f.heapAlloc), mib(f.heapInuse), mib(f.rss), f.threads)
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

var (
	goroutineTotal = regexp.MustCompile(`goroutine profile: total (\d+)`)
	heapInuseLine  = regexp.MustCompile(`(?m)^# HeapInuse = (\d+)$`)
	heapAllocLine  = regexp.MustCompile(`(?m)^# HeapAlloc = (\d+)$`)
)

// measure reads the server's goroutine count and heap through its
// profiling endpoint (PPP_DEBUG_ADDR at debugAddr), the heap after a
// collection, and its RSS and threads from /proc.
func (s *server) measure(t *testing.T, debugAddr string) serverFigures {
	t.Helper()
	var f serverFigures
	body := httpGet(t, "http://"+debugAddr+"/debug/pprof/goroutine?debug=1")
	m := goroutineTotal.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no goroutine total in the profile:\n%.500s", body)
	}
	f.goroutines, _ = strconv.Atoi(m[1])
	body = httpGet(t, "http://"+debugAddr+"/debug/pprof/heap?debug=1&gc=1")
	for _, v := range []struct {
		re   *regexp.Regexp
		dest *int64
	}{{heapInuseLine, &f.heapInuse}, {heapAllocLine, &f.heapAlloc}} {
		m = v.re.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no %s in the heap profile", v.re)
		}
		*v.dest, _ = strconv.ParseInt(m[1], 10, 64)
	}
	status, err := os.Open(fmt.Sprintf("/proc/%d/status", s.pid()))
	if err != nil {
		return f // not Linux: the profile's figures must do
	}
	defer status.Close()
	sc := bufio.NewScanner(status)
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), ":")
		fields := strings.Fields(value)
		if len(fields) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		switch name {
		case "VmRSS":
			f.rss = n << 10
		case "Threads":
			f.threads = int(n)
		}
	}
	return f
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", url, resp.Status, err)
	}
	return string(b)
}

// ---------------------------------------------------------------------------
// Role requests in bulk

// faultRequest is a pending request of a fault test, with what identifies
// its rows in the database.
type faultRequest struct {
	id    int64
	email string
	name  string // the applicant's full name, as the list shows it
}

// submitMany writes n pending municipal-coordinator requests whose
// applicants share the last name surname (so a reviewer can search for
// them) and have unique e-mail addresses and personal codes from seq on.
func submitMany(t *testing.T, db *storage.DB, surname string, n int, seq *int) []faultRequest {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	portal := storage.NewPortalService(db)
	out := make([]faultRequest, 0, n)
	for range n {
		*seq++
		form := domain.RoleRequestForm{
			Kind:             domain.KindMunicipalCoordinator,
			FirstName:        "Ilga",
			LastName:         surname,
			PersonalCode:     fmt.Sprintf("32%09d", 700000000+*seq),
			Email:            fmt.Sprintf("kluda%d@faults.example.lv", *seq),
			Phone:            "+371 2612 3456",
			MunicipalityCode: "liepaja",
		}
		id, token, err := portal.SubmitRoleRequest(ctx, form)
		if err != nil {
			t.Fatalf("submit request %d: %v", *seq, err)
		}
		if _, err := portal.ConfirmEmail(ctx, token); err != nil {
			t.Fatalf("confirm request %d: %v", id, err)
		}
		out = append(out, faultRequest{id: id, email: form.Email, name: form.FirstName + " " + form.LastName})
	}
	return out
}

// openTestDB opens a pool of the test's own on the instance's database.
func openTestDB(t *testing.T, in *instance) *storage.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	db, err := storage.Open(ctx, in.dbURL)
	if err != nil {
		t.Fatalf("open the test's database: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

// ---------------------------------------------------------------------------
// Waits that report

// until waits up to d for ok to accept the screen text since mark and
// reports whether it did. Unlike waitFor it never fails the test, so
// goroutines driving many sessions may use it.
func (t *terminal) until(since int, d time.Duration, ok func(screen string) bool) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		if ok(t.screen.textSince(since)) {
			return true
		}
		select {
		case <-t.screen.notify:
		case <-t.done:
			return ok(t.screen.textSince(since))
		case <-deadline.C:
			return false
		}
	}
}

// untilText is until for one piece of text.
func (t *terminal) untilText(want string, since int, d time.Duration) bool {
	return t.until(since, d, func(s string) bool { return strings.Contains(s, want) })
}

// send types keys and reports whether the session took them.
func (t *terminal) send(keys string) bool {
	_, err := io.WriteString(t.stdin, keys)
	return err == nil
}

// emlFiles returns the ids of the <id>.eml files in the server's outbox
// folder, and the names of any other files there.
func emlFiles(t *testing.T, dataDir string) (ids map[int64]int, others []string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dataDir, "outbox"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	ids = map[int64]int{}
	for _, e := range entries {
		stem, ok := strings.CutSuffix(e.Name(), ".eml")
		id, err := strconv.ParseInt(stem, 10, 64)
		if !ok || err != nil {
			others = append(others, e.Name())
			continue
		}
		ids[id]++
	}
	return ids, others
}

// checkOutboxDelivered waits up to within for every outbox message to be
// sent, then proves each was delivered exactly once by the file sender:
// one <id>.eml per message, none for an id the outbox does not have, and
// no half-written file left. It returns how many messages there are.
func checkOutboxDelivered(t *testing.T, conn *pgx.Conn, dataDir string, within time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		waiting := outboxWaiting(t, conn)
		if waiting == 0 {
			break
		}
		if time.Now().After(deadline) {
			var detail string
			scalar(t, conn, `
				SELECT string_agg(format('#%s %s attempts=%s locked_until=%s next_try_at=%s last_error=%s',
				                         id, state, attempts, locked_until - now(), next_try_at - now(), last_error), E'\n')
				  FROM outbox WHERE state IN ('pending', 'sending')`, nil, &detail)
			t.Fatalf("%d outbox messages still waiting %v later:\n%s", waiting, within, detail)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := count(t, conn, `SELECT count(*) FROM outbox WHERE state <> 'sent'`); n != 0 {
		t.Errorf("%d outbox messages are not sent (failed?)", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	rows, err := conn.Query(ctx, `SELECT id FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	files, others := emlFiles(t, dataDir)
	for _, id := range ids {
		if files[id] != 1 {
			t.Errorf("outbox message %d is sent but has %d .eml files", id, files[id])
		}
		delete(files, id)
	}
	for id := range files {
		t.Errorf("%d.eml has no outbox message", id)
	}
	if len(others) > 0 {
		t.Errorf("other files in the outbox folder (half-written messages?): %v", others)
	}
	return len(ids)
}

// outboxWaiting counts the messages not yet delivered.
func outboxWaiting(t *testing.T, conn *pgx.Conn) int {
	t.Helper()
	return count(t, conn, `SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')`)
}

// releaseClaimsInDoubt deals with the messages a worker claimed while the
// database went away, after waiting up to within for the outbox to
// empty. A claim whose answer was lost (committed by the server, the
// connection gone before the worker read it) leaves its message in
// 'sending' until the lease ends, five minutes later, when it is sent
// once: a delay, not a loss or a double. The test moves those leases on.
// A message in 'sending' whose file is written already is another matter:
// it was delivered and not recorded, and would go out again, so that
// fails the test. It returns how many claims were in doubt.
func releaseClaimsInDoubt(t *testing.T, conn *pgx.Conn, dataDir string, within time.Duration) int {
	t.Helper()
	deadline := time.Now().Add(within)
	for outboxWaiting(t, conn) > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	rows, err := conn.Query(ctx, `SELECT id FROM outbox WHERE state = 'sending'`)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	files, _ := emlFiles(t, dataDir)
	var doubt []int64
	for _, id := range ids {
		if files[id] > 0 {
			t.Errorf("outbox message %d was delivered (its file is there) but is still 'sending': it would go out again", id)
			continue
		}
		doubt = append(doubt, id)
	}
	if _, err := conn.Exec(ctx, `UPDATE outbox SET locked_until = now() - interval '1 second' WHERE id = ANY ($1)`, doubt); err != nil {
		t.Fatal(err)
	}
	return len(doubt)
}
