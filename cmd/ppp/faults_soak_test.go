//go:build faults

package main_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// soakSessions is how many sessions the soak keeps open at once, unless
// soakSessionsEnv says otherwise: make test-faults keeps 200; make test,
// whose soak shares two cores with the rest of the suite and must leave
// it room within ten minutes, 100.
const soakSessions = 200

// soakSessionsEnv names how many sessions the soak keeps open.
const soakSessionsEnv = "PPP_FAULTS_SOAK_SESSIONS"

// soakPatience is how long a session of the soak may take to answer a
// key, or to end, before it counts as stuck. The property is that every
// session still lives: make test runs the soak beside the rest of the
// suite on two cores, where the test's own 200 terminals (parsed under
// -race) and a server sharing its 20 database connections among 200
// sessions can each fall seconds behind without anything being wrong.
const soakPatience = 45 * time.Second

// soakDurationEnv names how long the soak lasts (a Go duration); make
// test-faults sets 5m, make test 30s.
const soakDurationEnv = "PPP_FAULTS_SOAK"

// Once every session has left, the server may keep this many goroutines
// more than before the soak (a pool connection being closed, a timer
// about to fire), and this much more heap in use after a collection.
const (
	soakGoroutineSlack = 5
	soakHeapSlack      = 8 << 20
)

// TestFaults_Soak_200Sessions_NoGrowthAfterLeaving: 200 SSH sessions of 20
// reviewers work the server for PPP_FAULTS_SOAK (default 5 minutes) with
// a mixed workload: switching screens, searching, opening requests (a
// claim) and leaving them (a release), moving and paging through the
// list, typing into the search, opening the help. Every session still
// answers at the end. Then half quit with q and half drop their
// connection. The server's goroutines (read from its profiling endpoint,
// PPP_DEBUG_ADDR) come back to what they were before the soak, as do its
// live heap objects after a collection; no claim is left.
func TestFaults_Soak_200Sessions_NoGrowthAfterLeaving(t *testing.T) {
	faultsCluster(t)
	soak := 5 * time.Minute
	if s := os.Getenv(soakDurationEnv); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			t.Fatalf("%s=%q: want a duration such as 5m or 30s", soakDurationEnv, s)
		}
		soak = d
	}
	sessionCount := soakSessions
	if s := os.Getenv(soakSessionsEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 20 || n > 1000 {
			t.Fatalf("%s=%q: want a number of sessions from 20 to 1000", soakSessionsEnv, s)
		}
		sessionCount = n
	}
	in := newInstance(t)
	db := openTestDB(t, in)
	ops := make([]*operator, 20)
	for i := range ops {
		ops[i] = in.addOperator(fmt.Sprintf("slodze%d", i), fmt.Sprintf("Slodze Nr%d", i), "reviewer")
	}
	surnames := []string{"Vanaga", "Siliņa", "Ozola", "Jansone", "Kļava"}
	seq := 0
	for _, s := range surnames {
		submitMany(t, db, s, 60, &seq)
	}
	srv := in.startServer("PPP_DEBUG_ADDR=127.0.0.1:0")
	debugAddr := srv.waitLine("cli.serve.debug_listening")
	conn := sqlConn(t, in)

	// A few sessions first, so that what a server builds once (caches,
	// pool connections, templates) is there before the baseline.
	warm := runSessions(t, srv, debugAddr, ops, 10, 5*time.Second, surnames)
	leave(t, warm, false)
	before := settle(t, srv, debugAddr, 0)
	t.Logf("before the soak: %s", before)

	start := time.Now()
	sessions := runSessions(t, srv, debugAddr, ops, sessionCount, soak, surnames)
	during := srv.measure(t, debugAddr)
	t.Logf("with %d sessions after %v: %s", sessionCount, time.Since(start).Round(time.Second), during)

	leave(t, sessions, true)
	after := settle(t, srv, debugAddr, before.goroutines+soakGoroutineSlack)
	t.Logf("after every session left: %s", after)
	if after.goroutines > before.goroutines+soakGoroutineSlack {
		t.Errorf("the server has %d goroutines after the soak; %d before (allowed: %d more)\n%.4000s",
			after.goroutines, before.goroutines, soakGoroutineSlack, httpGet(t, "http://"+debugAddr+"/debug/pprof/goroutine?debug=1"))
	}
	// Live objects, not the spans holding them: a heap that served 200
	// sessions stays fragmented for a while, which is no leak.
	if after.heapAlloc > before.heapAlloc+soakHeapSlack {
		// The profile, for `go tool pprof -top bin/ppp FILE`.
		profile := filepath.Join(os.TempDir(), fmt.Sprintf("ppp-faults-heap-%d.pb.gz", srv.pid()))
		_ = os.WriteFile(profile, []byte(httpGet(t, "http://"+debugAddr+"/debug/pprof/heap?gc=1")), 0o644)
		t.Errorf("the server's live heap is %.1f MiB after the soak; %.1f MiB before (allowed: %.0f MiB more); its heap profile: %s",
			mib(after.heapAlloc), mib(before.heapAlloc), mib(soakHeapSlack), profile)
	}
	if n := count(t, conn, `SELECT count(*) FROM role_requests WHERE claimed_by IS NOT NULL`); n != 0 {
		t.Errorf("%d requests still claimed after every session left", n)
	}
	auditEntries(t, in)
}

// soakSession is one session of the soak and what its workload did.
type soakSession struct {
	term    *terminal
	client  *ssh.Client
	actions int
}

// runSessions opens n sessions of ops (20 at a time), works them for d
// with the mixed workload, and checks that each still answers a key at
// the end. It returns the sessions, still open.
func runSessions(t *testing.T, srv *server, debugAddr string, ops []*operator, n int, d time.Duration, surnames []string) []*soakSession {
	t.Helper()
	sessions := make([]*soakSession, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	gate := make(chan struct{}, 20)
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gate <- struct{}{}
			term, client, err := openSessionClient(t, srv, ops[i%len(ops)])
			<-gate
			sessions[i], errs[i] = &soakSession{term: term, client: client}, err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
	}
	t.Logf("%d sessions open", n)

	dashTitle, search := text(t, lv, "tui.dash.title"), text(t, lv, "tui.rr.search")
	deadline := time.Now().Add(d)
	var unresponsive atomic.Int64
	for i, s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))
			for time.Now().Before(deadline) && !s.term.ended() {
				soakAction(s.term, rng, surnames)
				s.actions++
				// Only what arrives from now on matters.
				s.term.screen.forget()
				time.Sleep(time.Duration(800+rng.IntN(2200)) * time.Millisecond)
			}
			// Still there: back to the list (a request opened just
			// before may show only now: try again), the dashboard (no
			// output when it shows already), then the queue, which
			// must show.
			answered := false
			var mark int
			for try := 0; try < 3 && !answered; try++ {
				for range 3 {
					s.term.send("\x1b")
					time.Sleep(150 * time.Millisecond)
				}
				mark = s.term.mark()
				s.term.send("1")
				s.term.untilText(dashTitle, mark, time.Second)
				mark = s.term.mark()
				s.term.send("2")
				answered = s.term.untilText(search, mark, soakPatience)
			}
			if !answered {
				if unresponsive.Add(1) <= 3 {
					t.Errorf("session %d did not answer after the soak\n%s", i, s.term.screen.dump(mark))
				}
			}
		}()
	}
	wg.Wait()
	if n := unresponsive.Load(); n > 0 {
		// What every goroutine of the server was doing, for the cause.
		dump := filepath.Join(os.TempDir(), fmt.Sprintf("ppp-faults-goroutines-%d.txt", srv.pid()))
		_ = os.WriteFile(dump, []byte(httpGet(t, "http://"+debugAddr+"/debug/pprof/goroutine?debug=2")), 0o644)
		t.Fatalf("%d of %d sessions did not answer after the soak; the server's goroutines: %s", n, len(sessions), dump)
	}
	var actions []int
	for _, s := range sessions {
		actions = append(actions, s.actions)
	}
	slices.Sort(actions)
	t.Logf("%d sessions worked for %v: %d–%d actions each (median %d)", n, d, actions[0], actions[len(actions)-1], actions[len(actions)/2])
	return sessions
}

// soakAction does one thing a reviewer does, a key at a time (Bubble Tea
// reads keys that arrive together as one).
func soakAction(term *terminal, rng *rand.Rand, surnames []string) {
	keys := func(ks ...string) {
		for _, k := range ks {
			term.send(k)
			time.Sleep(time.Duration(60+rng.IntN(80)) * time.Millisecond)
		}
	}
	switch rng.IntN(9) {
	case 0: // the dashboard
		keys("1")
	case 1: // search the queue
		keys("2", "/", "\x15"+surnames[rng.IntN(len(surnames))]+"\r")
	case 2: // open a request (claim), read it, leave it (release)
		keys("2", "\r")
		time.Sleep(time.Duration(200+rng.IntN(800)) * time.Millisecond)
		keys("\x1b")
	case 3: // move through the list
		keys("2", "j", "j", "k")
	case 4: // pages
		keys("2", "n", "p")
	case 5: // the help
		keys("?")
		time.Sleep(300 * time.Millisecond)
		keys("\x1b")
	case 6: // the other screens
		keys([]string{"3", "4"}[rng.IntN(2)])
	case 7: // type into the search and give up
		keys("2", "/", "\x15", "K", "a", "l", "n")
		keys("\x1b")
	case 8: // clear the filters
		keys("2", "x")
	}
}

// leave ends the sessions: each quits with q, or, when drop is set, every
// other one drops its connection instead. It waits until all have ended.
func leave(t *testing.T, sessions []*soakSession, drop bool) {
	t.Helper()
	for i, s := range sessions {
		if drop && i%2 == 1 {
			_ = s.client.Close() // the connection goes, no goodbye
			continue
		}
		s.term.send("\x1b")
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	for i, s := range sessions {
		if !(drop && i%2 == 1) {
			s.term.send("q")
		}
	}
	for _, s := range sessions {
		s.term.waitEndWithin("leaving", soakPatience)
		// As ssh does when its session has ended.
		_ = s.client.Close()
	}
}

// settle waits for the server's goroutines to fall to at most target
// (when target > 0) or to stop falling, up to 30 seconds, and returns the
// figures then.
func settle(t *testing.T, srv *server, debugAddr string, target int) serverFigures {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	last := srv.measure(t, debugAddr)
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		f := srv.measure(t, debugAddr)
		if target > 0 && f.goroutines <= target || target == 0 && f.goroutines >= last.goroutines {
			return f
		}
		last = f
	}
	return last
}

// forget drops what the buffer holds; marks stay valid, since positions
// count from the stream's start. Long-running sessions call it so that
// 200 of them do not keep megabytes of old frames each.
func (b *notifyBuffer) forget() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dropped += len(b.buf)
	b.buf = nil
}
