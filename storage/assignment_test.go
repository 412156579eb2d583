package storage_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// ¶32.1: when a role's validity ends, its holder is told once, whatever
// number of runs and instances sweep; a role still running is not.
func TestSweep_RoleExpiry_TellsTheHolderOnceThatTheRoleEnded_P32_1(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	now := time.Now().UTC().Truncate(time.Second)
	u := e.user(t, 0)
	expired := e.assignment(t, u, 0, now.Add(-time.Hour))
	e.assignment(t, e.user(t, 0), 0, now.Add(90*24*time.Hour))
	ended := func() int {
		return e.count(t, `SELECT count(*) FROM outbox WHERE template = 'role.ended'`)
	}
	runSweep(t, storage.NewSweeper(e.db, "one"), storage.SweepRoleExpiry, now)
	if ended() != 1 || e.count(t, `SELECT count(*) FROM role_expiry_warnings WHERE assignment_id = $1 AND days = 0 AND outbox_id IS NOT NULL`, expired) != 1 {
		t.Fatalf("%d notices that a role ended, want 1 recorded with its mail", ended())
	}
	if e.count(t, `SELECT count(*) FROM outbox WHERE template = 'role.ended' AND to_addr = $1`, e.emailOf(t, "platform_users", u)) != 1 {
		t.Fatal("the notice went to someone else")
	}
	runSweep(t, storage.NewSweeper(e.db, "two"), storage.SweepRoleExpiry, now.Add(time.Hour))
	runSweep(t, storage.NewSweeper(e.db, "one"), storage.SweepRoleExpiry, now.Add(2*time.Hour))
	if ended() != 1 {
		t.Fatalf("%d notices after three runs on two instances, want 1", ended())
	}
}

// assignmentEnv is a role request approved for a person, the assignment
// it granted, and the services.
type assignmentEnv struct {
	*rrEnv
	request, assignment int64
}

func newAssignmentEnv(t *testing.T) *assignmentEnv {
	t.Helper()
	e := &assignmentEnv{rrEnv: newRREnv(t)}
	e.request = e.pending(t, domain.KindAdultEducationCoordinator)
	if err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: e.request, Version: e.find(t, e.request).Version}); err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.PersonAssignments(as(t, e.janis), e.request)
	if err != nil || len(list) != 1 || !list[0].Running() {
		t.Fatalf("the person's assignments: %v, %v; want the one granted", list, err)
	}
	e.assignment = list[0].ID
	return e
}

func (e *assignmentEnv) get(t *testing.T) []*domain.RoleAssignment {
	t.Helper()
	list, err := e.svc.PersonAssignments(as(t, e.janis), e.request)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// ¶32.1: a reviewer extends a running assignment with a reason (audited,
// the warnings start again for the new end), ends it with a reason (the
// holder is told, without the reason), and
// renews it without a new request; each step is refused where it does
// not fit.
func TestAssignment_ExtendEndRenew_WithReasonAudited_P32_1(t *testing.T) {
	t.Parallel()
	e := newAssignmentEnv(t)
	rev := as(t, e.janis)
	until := e.clock.now().Add(400 * 24 * time.Hour).Truncate(time.Second)
	change := func(a domain.AssignmentAction, id int64, until time.Time, reason string) error {
		return e.svc.ChangeAssignment(rev, domain.AssignmentChange{AssignmentID: id, Action: a, ValidUntil: until, Reason: reason})
	}
	wantError(t, change(domain.AssignmentExtend, e.assignment, until, " "), domain.EINVALID, "assignment.reason_required")
	wantError(t, change(domain.AssignmentExtend, e.assignment, e.clock.now().Add(-time.Hour), "pagarināts"), domain.EINVALID, "rolerequest.valid_until_past")
	wantError(t, change(domain.AssignmentRenew, e.assignment, until, "atjaunots"), domain.ECONFLICT, "assignment.running")
	wantError(t, change(domain.AssignmentExtend, e.assignment+1000, until, "pagarināts"), domain.ENOTFOUND, "assignment.not_found")
	if _, err := e.db.Pool().Exec(t.Context(), `INSERT INTO role_expiry_warnings (assignment_id, days, sent_at) VALUES ($1, 30, now())`, e.assignment); err != nil {
		t.Fatal(err)
	}
	if err := change(domain.AssignmentExtend, e.assignment, until, "projekts pagarināts"); err != nil {
		t.Fatal(err)
	}
	if got := e.get(t)[0]; !got.ValidUntil.Equal(until) {
		t.Errorf("valid until %v after the extension, want %v", got.ValidUntil, until)
	}
	if e.count(t, `SELECT count(*) FROM role_expiry_warnings WHERE assignment_id = $1`, e.assignment) != 0 {
		t.Error("the old end's warning still counts as sent")
	}
	if err := change(domain.AssignmentEnd, e.assignment, time.Time{}, "darba attiecības beigušās"); err != nil {
		t.Fatal(err)
	}
	if got := e.get(t)[0]; got.Running() || got.EndReason != "darba attiecības beigušās" {
		t.Fatalf("after the end: running %v, reason %q", got.Running(), got.EndReason)
	}
	// The holder is told, once, without the Agency's reason.
	var to, body string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT o.to_addr, o.body FROM outbox o
		JOIN role_expiry_warnings w ON w.outbox_id = o.id WHERE w.assignment_id = $1 AND w.days = 0 AND o.template = 'role.ended_early'`,
		e.assignment).Scan(&to, &body); err != nil {
		t.Fatalf("the holder was not told that the role ended: %v", err)
	}
	if strings.Contains(body, "darba attiecības") || !strings.Contains(body, "32.1") {
		t.Errorf("the notice gives the Agency's reason or no clause:\n%s", body)
	}
	wantError(t, change(domain.AssignmentEnd, e.assignment, time.Time{}, "vēlreiz"), domain.ECONFLICT, "assignment.ended")
	if err := change(domain.AssignmentRenew, e.assignment, until, "atgriezies darbā"); err != nil {
		t.Fatal(err)
	}
	list := e.get(t)
	if len(list) != 2 || !list[0].Running() || !list[0].ValidUntil.Equal(until) || list[1].ID != e.assignment {
		t.Fatalf("after the renewal: %d assignments, first running %v until %v", len(list), list[0].Running(), list[0].ValidUntil)
	}
	for _, a := range []string{domain.AuditAssignmentExtend, domain.AuditAssignmentEnd, domain.AuditAssignmentRenew} {
		if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2 AND reason <> ''`, a, strconv.FormatInt(e.assignment, 10)); n != 1 {
			t.Errorf("%d audit entries %s with a reason, want 1", n, a)
		}
	}
}

// ¶24, ¶32.1: a renewal waits while a denial in force covers the holder.
func TestAssignment_Renew_HeldByDenial_P32_1(t *testing.T) {
	t.Parallel()
	e := newAssignmentEnv(t)
	rev := as(t, e.janis)
	if err := e.svc.ChangeAssignment(rev, domain.AssignmentChange{AssignmentID: e.assignment, Action: domain.AssignmentEnd, Reason: "beidzies"}); err != nil {
		t.Fatal(err)
	}
	sec := newOperator(t, e.db, "drosiba.ilze", withRoles(domain.RoleSecurity))
	user := e.get(t)[0].UserID
	if _, err := storage.NewDenialService(e.db).Deny(as(t, sec), domain.SubjectPlatformUser, user, domain.GroundRulesBroken, "pārkāpums", ""); err != nil {
		t.Fatal(err)
	}
	if e.get(t)[0].Hold == nil {
		t.Fatal("the assignment does not show the denial")
	}
	wantError(t, e.svc.ChangeAssignment(rev, domain.AssignmentChange{AssignmentID: e.assignment, Action: domain.AssignmentRenew, Reason: "atjaunots"}),
		domain.ECONFLICT, "denial.holds_approval")
}
