//go:build faults

package main_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// TestFaults_ServerKill9_MidDecisions_NothingHalfDone: four reviewers
// approve role requests through their SSH sessions in a loop, and a
// script approves and rejects others through the storage layer, while
// the server's outbox worker writes the e-mails as .eml files; the server
// is killed with -9 in the middle. Right after the kill every decided
// request has exactly one decision event, audit entry, outbox message
// (and role assignment when approved), and an undecided one none. The
// server is started again; with the leases of the messages the dead
// server was sending run out (the test moves them on rather than wait
// five minutes), the worker delivers every message exactly once: one
// <id>.eml per message, none without a message, none half-written. A
// reviewer then approves one more request, and `ppp audit verify` passes.
func TestFaults_ServerKill9_MidDecisions_NothingHalfDone(t *testing.T) {
	faultsCluster(t)
	in := newInstance(t)
	db := openTestDB(t, in)

	surnames := []string{"Ābola", "Bite", "Cīrule", "Dūmiņa"}
	ops := make([]*operator, len(surnames))
	for i := range ops {
		ops[i] = in.addOperator(fmt.Sprintf("vertetajs%d", i), fmt.Sprintf("Vērtētājs Nr%d", i), "reviewer")
	}
	script := in.addOperator("skripts", "Skripts Automātiskais", "reviewer")
	seq := 0
	var sshRequests []faultRequest
	for _, s := range surnames {
		sshRequests = append(sshRequests, submitMany(t, db, s, 25, &seq)...)
	}
	scriptRequests := submitMany(t, db, "Ēdole", 80, &seq)
	all := append(append([]faultRequest(nil), sshRequests...), scriptRequests...)
	conn := sqlConn(t, in)
	scriptID := operatorID(t, conn, script.name)

	srv := in.startServer()
	tx := newApproverTexts(t)
	approvers := make([]*approver, len(ops))
	for i, op := range ops {
		term, err := openSession(t, srv, op)
		if err != nil {
			t.Fatal(err)
		}
		approvers[i] = &approver{t: t, term: term, surname: surnames[i]}
		approvers[i].open()
	}
	stop := make(chan struct{})
	var running sync.WaitGroup
	for _, a := range approvers {
		running.Add(1)
		go func() { defer running.Done(); a.run(tx, stop) }()
	}
	decider := &storageDecider{
		svc:      storage.NewRoleRequestService(db),
		actor:    domain.Actor{OperatorID: scriptID, Name: script.name, SessionID: "faults-script"},
		requests: scriptRequests,
	}
	stopScript := make(chan struct{})
	scriptDone := make(chan struct{})
	go func() { defer close(scriptDone); decider.run(stopScript) }()
	defer func() {
		select {
		case <-stopScript:
		default:
			close(stopScript)
		}
		<-scriptDone
		select {
		case <-stop:
		default:
			close(stop)
		}
		running.Wait()
	}()

	// Decisions flow; kill the server at a moment nobody chose.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var n int64
		for _, a := range approvers {
			n += a.approved.Load()
		}
		if n >= int64(2*len(approvers)) && decider.decided.Load() >= 10 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d approvals through the screens and %d by the script after two minutes", n, decider.decided.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A burst of mail, so that the worker is in the middle of writing
	// files when the server dies: kill it once it has delivered a few.
	burst := enqueueBurst(t, db, 300)
	for count(t, conn, `SELECT count(*) FROM outbox WHERE id = ANY ($1) AND state = 'sent'`, burst) < 10+rand.IntN(40) {
		if time.Now().After(deadline) {
			t.Fatal("the worker delivered none of the burst")
		}
		time.Sleep(2 * time.Millisecond)
	}
	srv.kill9()
	killedAt := time.Now()
	// The script goes on a moment without a server, so the next one has
	// messages to deliver.
	time.Sleep(500 * time.Millisecond)
	close(stopScript)
	<-scriptDone
	close(stop)
	running.Wait()

	var attempts, confirmed int64
	for _, a := range approvers {
		attempts += a.attempts.Load()
		confirmed += a.approved.Load()
	}
	tally := checkDecisions(t, conn, all)
	var sending, pending, sent, withFile int
	files, _ := emlFiles(t, in.dataDir)
	scalar(t, conn, `SELECT count(*) FILTER (WHERE state = 'sending'), count(*) FILTER (WHERE state = 'pending'),
	                        count(*) FILTER (WHERE state = 'sent') FROM outbox`, nil, &sending, &pending, &sent)
	rows, err := conn.Query(t.Context(), `SELECT id FROM outbox WHERE state = 'sending'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if files[id] > 0 {
			withFile++
		}
	}
	rows.Close()
	t.Logf("after kill -9: %s; screens confirmed %d approvals of %d confirmations; the script decided %d; outbox: %d sent, %d pending, %d sending (%d of those with their file written already)",
		tally, confirmed, attempts, decider.decided.Load(), sent, pending, sending, withFile)
	if int64(tally.approved) < confirmed {
		t.Errorf("%d approvals in the database; the screens confirmed %d", tally.approved, confirmed)
	}

	// The dead server's claims on messages run out (after five minutes;
	// the test moves them on), and a new server delivers the rest.
	if _, err := conn.Exec(t.Context(), `UPDATE outbox SET locked_until = now() - interval '1 second' WHERE state = 'sending'`); err != nil {
		t.Fatal(err)
	}
	srv2 := in.startServer()
	t.Logf("the new server listened %v after the kill", time.Since(killedAt).Round(time.Millisecond))
	mails := checkOutboxDelivered(t, conn, in.dataDir, 30*time.Second)
	t.Logf("%d outbox messages, each delivered exactly once", mails)
	if again := checkDecisions(t, conn, all); again != tally {
		t.Errorf("the decisions changed after the restart: %s, before %s", again, tally)
	}

	// The work goes on: a reviewer approves one more request.
	term, err := openSession(t, srv2, ops[0])
	if err != nil {
		t.Fatal(err)
	}
	a := &approver{t: t, term: term, surname: surnames[0]}
	a.open()
	more := make(chan struct{})
	done := make(chan struct{})
	go func() { defer close(done); a.run(tx, more) }()
	for a.approved.Load() == 0 {
		select {
		case <-done:
			t.Fatalf("the reviewer could not approve after the restart\n%s", term.screen.dump(0))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Since(killedAt) > 3*time.Minute {
			t.Fatalf("no approval after the restart\n%s", term.screen.dump(0))
		}
	}
	close(more)
	<-done
	auditEntries(t, in)
}

// enqueueBurst writes n messages to the outbox in one transaction, as a
// mass mailing would, and returns their ids.
func enqueueBurst(t *testing.T, db *storage.DB, n int) []int64 {
	t.Helper()
	ctx := t.Context()
	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	ids := make([]int64, n)
	for i := range ids {
		ids[i], err = storage.EnqueueMail(ctx, tx, fmt.Sprintf("burst%d@faults.example.lv", i), "lv",
			"rolerequest.expired", map[string]string{"name": "Ilga Ēdole"})
		if err != nil {
			t.Fatalf("enqueue message %d of the burst: %v", i, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return ids
}
