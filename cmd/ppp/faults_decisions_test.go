//go:build faults

package main_test

// Decisions under faults: reviewers' sessions approving role requests in
// a loop that rides out a lost database or server, a decider at the
// storage level, and the check that every decision either happened whole
// or not at all.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// stepWait bounds one step of a looping reviewer; a step that takes
// longer is abandoned and the reviewer starts over.
const stepWait = 8 * time.Second

// approver is a reviewer's session that approves, one after the other,
// the requests of the applicants named surname, through the screens: open
// (claim), a, enter on the form, enter on the confirmation.
type approver struct {
	t       *testing.T
	term    *terminal
	surname string
	// approved counts the approvals the screen confirmed.
	approved atomic.Int64
	// attempts counts the confirmations pressed (each may or may not
	// have been decided when a fault hit).
	attempts atomic.Int64
}

// catalog fragments the approver looks for.
type approverTexts struct {
	holder, yours, validUntil, confirmKeys, none string
	// title finds the open request's number in its detail view.
	title *regexp.Regexp
}

func newApproverTexts(t *testing.T) approverTexts {
	before, after, ok := strings.Cut(text(t, lv, "tui.rr.detail.title", 0, "\x00"), "0")
	after, _, _ = strings.Cut(after, "\x00")
	if !ok || before == "" || after == "" {
		t.Fatalf("tui.rr.detail.title has no text around the request's number")
	}
	return approverTexts{
		holder:      text(t, lv, "tui.rr.col.holder"),
		yours:       prefixOf(t, "tui.rr.claim.yours"),
		validUntil:  text(t, lv, "tui.rr.field.valid_until"),
		confirmKeys: text(t, lv, "tui.rr.approve_confirm_keys"),
		title:       regexp.MustCompile(regexp.QuoteMeta(before) + `([0-9]+)` + regexp.QuoteMeta(after)),
		none:        text(t, lv, "tui.rr.none"),
	}
}

// open takes the session to the role-request screen and searches for the
// approver's applicants; it fails the test when that does not work.
func (a *approver) open() {
	a.t.Helper()
	tx := newApproverTexts(a.t)
	mark := a.term.mark()
	a.term.press("2")
	a.term.waitText(tx.holder, mark)
	mark = a.term.mark()
	a.term.press("/")
	time.Sleep(50 * time.Millisecond)
	a.term.press("\x15" + a.surname + "\r")
	a.term.waitText(a.surname, mark)
}

// run approves until stop is closed or the session ends; every failed
// step is abandoned with esc and the loop starts over. It returns when no
// request is left.
func (a *approver) run(tx approverTexts, stop <-chan struct{}) {
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return a.term.ended()
		}
	}
	startOver := func() {
		for range 3 {
			a.term.send("\x1b")
			time.Sleep(150 * time.Millisecond)
		}
	}
	for !stopped() {
		mark := a.term.mark()
		if !a.term.send("\r") {
			return
		}
		if !a.term.until(mark, stepWait, func(s string) bool {
			return strings.Contains(s, tx.yours) || strings.Contains(s, tx.none)
		}) {
			startOver()
			continue
		}
		opened := a.term.screen.textSince(mark)
		if strings.Contains(opened, tx.none) && !strings.Contains(opened, tx.yours) {
			return // nothing left to decide
		}
		m := tx.title.FindStringSubmatch(opened)
		if m == nil {
			startOver()
			continue
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		mark = a.term.mark()
		a.term.send("a")
		if !a.term.untilText(tx.validUntil, mark, stepWait) {
			startOver()
			continue
		}
		mark = a.term.mark()
		a.term.send("\r")
		if !a.term.untilText(tx.confirmKeys, mark, stepWait) {
			startOver()
			continue
		}
		mark = a.term.mark()
		a.attempts.Add(1)
		a.term.send("\r")
		// This request's confirmation, not an earlier one's repainted.
		if a.term.untilText(lv.T("tui.rr.approved", id), mark, stepWait) {
			a.approved.Add(1)
			// Let the list reload before the next request is opened.
			time.Sleep(100 * time.Millisecond)
			continue
		}
		startOver()
	}
}

// storageDecider approves and rejects requests through the storage layer,
// as the given reviewer, alternately, with a short pause between, until
// stop is closed or none is left. It counts what it decided and the
// errors it saw (the database may be away).
type storageDecider struct {
	svc      *storage.RoleRequestService
	actor    domain.Actor
	requests []faultRequest
	decided  atomic.Int64
	errors   atomic.Int64
}

func (d *storageDecider) run(stop <-chan struct{}) {
	ctx := domain.WithActor(context.Background(), d.actor)
	for i, r := range d.requests {
		select {
		case <-stop:
			return
		default:
		}
		for attempt := 0; attempt < 20; attempt++ {
			err := d.decide(ctx, i, r)
			if err == nil {
				d.decided.Add(1)
				break
			}
			if domain.ErrorCode(err) == domain.ECONFLICT {
				break // decided by an attempt whose answer was lost
			}
			d.errors.Add(1)
			time.Sleep(200 * time.Millisecond)
		}
		time.Sleep(time.Duration(20+rand.IntN(40)) * time.Millisecond)
	}
}

func (d *storageDecider) decide(ctx context.Context, i int, r faultRequest) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := d.svc.FindRoleRequest(ctx, r.id)
	if err != nil {
		return err
	}
	if req.State != domain.StatePending {
		return domain.Errorf(domain.ECONFLICT, "rolerequest.decided", "decided already")
	}
	dec := domain.Decision{RequestID: r.id, Version: req.Version}
	if i%2 == 0 {
		return d.svc.Approve(ctx, dec)
	}
	dec.ReasonCode = domain.RejectReasons[0]
	if dec.ReasonCode == "other" {
		dec.ReasonText = "Pārbaude"
	}
	return d.svc.Reject(ctx, dec)
}

// decisionTally is what checkDecisions found.
type decisionTally struct{ approved, rejected, pending, claimed int }

func (d decisionTally) String() string {
	return fmt.Sprintf("%d approved, %d rejected, %d pending (%d of them still claimed)", d.approved, d.rejected, d.pending, d.claimed)
}

// checkDecisions proves that no decision about requests is half done or
// doubled: an approved request has exactly one 'approved' event, one
// 'rolerequest.approve' audit entry, one approval e-mail in the outbox
// and one role assignment, and nothing of a rejection; a rejected one the
// same the other way round; a pending one none of these.
func checkDecisions(t *testing.T, conn *pgx.Conn, requests []faultRequest) decisionTally {
	t.Helper()
	ids := make([]int64, len(requests))
	for i, r := range requests {
		ids[i] = r.id
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	rows, err := conn.Query(ctx, `
		SELECT r.id, r.state, r.claimed_by IS NOT NULL,
		       (SELECT count(*) FROM role_request_events e WHERE e.request_id = r.id AND e.action = 'approved'),
		       (SELECT count(*) FROM role_request_events e WHERE e.request_id = r.id AND e.action = 'rejected'),
		       (SELECT count(*) FROM audit_log a WHERE a.subject_kind = 'role_request' AND a.subject_id = r.id::text
		                                           AND a.action = '`+domain.AuditRoleRequestApprove+`'),
		       (SELECT count(*) FROM audit_log a WHERE a.subject_kind = 'role_request' AND a.subject_id = r.id::text
		                                           AND a.action = '`+domain.AuditRoleRequestReject+`'),
		       (SELECT count(*) FROM outbox o WHERE o.to_addr = r.email AND o.template = 'rolerequest.approved'),
		       (SELECT count(*) FROM outbox o WHERE o.to_addr = r.email AND o.template = 'rolerequest.rejected'),
		       (SELECT count(*) FROM role_assignments x WHERE x.request_id = r.id)
		  FROM role_requests r
		 WHERE r.id = ANY ($1)
		 ORDER BY r.id`, ids)
	if err != nil {
		t.Fatalf("read the decisions: %v", err)
	}
	var tally decisionTally
	seen := 0
	var id int64
	var state string
	var claimed bool
	var evA, evR, auA, auR, mailA, mailR, assign int
	_, err = pgx.ForEachRow(rows, []any{&id, &state, &claimed, &evA, &evR, &auA, &auR, &mailA, &mailR, &assign}, func() error {
		seen++
		got := [7]int{evA, evR, auA, auR, mailA, mailR, assign}
		var want [7]int
		switch domain.RoleRequestState(state) {
		case domain.StateApproved:
			tally.approved++
			want = [7]int{1, 0, 1, 0, 1, 0, 1}
		case domain.StateRejected:
			tally.rejected++
			want = [7]int{0, 1, 0, 1, 0, 1, 0}
		case domain.StatePending:
			tally.pending++
			if claimed {
				tally.claimed++
			}
		default:
			t.Errorf("request %d is %q; want approved, rejected or pending", id, state)
		}
		if got != want {
			t.Errorf("request %d (%s): events approved/rejected %d/%d, audit approve/reject %d/%d, outbox approved/rejected %d/%d, assignments %d; want %v",
				id, state, evA, evR, auA, auR, mailA, mailR, assign, want)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read the decisions: %v", err)
	}
	if seen != len(requests) {
		t.Errorf("found %d of the test's %d requests", seen, len(requests))
	}
	return tally
}
