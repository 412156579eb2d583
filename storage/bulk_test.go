package storage_test

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// bulkEnv is a denial environment with the bulk service on it.
type bulkEnv struct {
	*denialEnv
	bulk *storage.BulkService
}

func newBulkEnv(t *testing.T) *bulkEnv {
	t.Helper()
	e := newDenialEnv(t)
	return &bulkEnv{denialEnv: e, bulk: storage.NewBulkService(e.db, e.svc, storage.NewRoleRequestService(e.db), nil)}
}

// users creates n Platform users.
func (e *bulkEnv) users(t *testing.T, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = e.user(t, 0)
	}
	return ids
}

// runAll runs worker w until it finds no work, and returns the items done.
func runAll(t *testing.T, w *storage.BulkWorker) int {
	t.Helper()
	total := 0
	for range 100 {
		n, err := w.RunOnce(t.Context())
		if err != nil {
			t.Fatalf("RunOnce: %v", err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
	t.Fatal("the worker never ran out of work")
	return 0
}

func (e *bulkEnv) job(t *testing.T, op *domain.Operator, id int64) *domain.BulkJob {
	t.Helper()
	j, err := e.bulk.FindBulk(as(t, op), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// ¶32, issue 17: a bulk denial of marked users is previewed with its exact
// count and first items; it waits for a SECOND security officer (the
// requester cannot approve, a reviewer cannot even ask); approved, it
// runs in batches to the end with Deny itself for each user — each
// denied, mailed and audited with the job and its reason — and a user
// already denied on that ground fails with Deny's own refusal while the
// rest go on. Then the whole denials list's filter, resolved on the
// server, is lifted in one job, and a selection over the bound is refused.
func TestBulk_Deny_PreviewFourEyesRunAuditedMailed_ThenLiftTheFilter_P32(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	users := e.users(t, 30)
	e.deny(t, e.andris, domain.SubjectPlatformUser, users[4], domain.GroundRulesBroken)
	req := domain.BulkRequest{Kind: domain.BulkDeny, Ground: domain.GroundRulesBroken, Reason: "  Noteikumu pārkāpums, ziņojums 17  ",
		Selection: domain.BulkSelection{Source: domain.BulkFromPlatformUsers, IDs: append(users, users[0], 987654321)}}

	_, err := e.bulk.PrepareBulk(as(t, e.reviewer), req)
	wantError(t, err, domain.EFORBIDDEN, "bulk.not_role")
	j, err := e.bulk.PrepareBulk(as(t, e.ilze), req)
	if err != nil {
		t.Fatal(err)
	}
	if j.State != domain.BulkPreview || j.Total != 30 || len(j.First) != domain.BulkPreviewItems ||
		j.First[0].TargetID != users[0] || j.First[0].Label != "Jānis Ozoliņš" || j.Reason != "Noteikumu pārkāpums, ziņojums 17" {
		t.Fatalf("preview: state %s, %d items, %d listed, first %+v, reason %q", j.State, j.Total, len(j.First), j.First[0], j.Reason)
	}
	w := storage.NewBulkWorker(e.bulk, "one")
	w.Batch = 7
	if runAll(t, w) != 0 || e.count(t, `SELECT count(*) FROM denials`) != 1 {
		t.Fatal("a preview was run")
	}
	wantError(t, e.bulk.StepBulk(as(t, e.andris), j.ID, j.Version, domain.BulkStart, ""), domain.EFORBIDDEN, "bulk.not_yours")
	if err := e.bulk.StepBulk(as(t, e.ilze), j.ID, j.Version, domain.BulkStart, ""); err != nil {
		t.Fatal(err)
	}
	j = e.job(t, e.ilze, j.ID)
	if j.State != domain.BulkPendingApproval {
		t.Fatalf("a started bulk denial is %s, want pending_approval", j.State)
	}
	wantError(t, e.bulk.StepBulk(as(t, e.ilze), j.ID, j.Version, domain.BulkApprove, ""), domain.EFORBIDDEN, "bulk.own_job")
	wantError(t, e.bulk.StepBulk(as(t, e.reviewer), j.ID, j.Version, domain.BulkApprove, ""), domain.EFORBIDDEN, "bulk.not_role")
	if runAll(t, w) != 0 || e.count(t, `SELECT count(*) FROM denials`) != 1 {
		t.Fatal("a bulk denial ran before a second officer approved it")
	}
	if err := e.bulk.StepBulk(as(t, e.andris), j.ID, j.Version, domain.BulkApprove, ""); err != nil {
		t.Fatal(err)
	}
	if n := runAll(t, w); n != 30 {
		t.Fatalf("the worker did %d items, want 30", n)
	}
	j = e.job(t, e.ilze, j.ID)
	if j.State != domain.BulkDone || j.Done != 29 || j.Failed != 1 || j.Approver == "" {
		t.Fatalf("after the run: %s, done %d, failed %d, approver %q", j.State, j.Done, j.Failed, j.Approver)
	}
	if j.First[4].State != domain.BulkItemFailed || j.First[4].ErrorKey != "denial.exists" {
		t.Errorf("the user denied already: %s %q, want failed denial.exists", j.First[4].State, j.First[4].ErrorKey)
	}
	for _, u := range users {
		if !e.signInDenied(t, u) {
			t.Fatalf("user %d may still sign in", u)
		}
	}
	session := "bulk-" + strconv.FormatInt(j.ID, 10)
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND session_id = $2 AND reason = $3 AND actor_name = 'ilze.drosiba'`,
		domain.AuditDenialInForce, session, j.Reason); n != 29 {
		t.Errorf("%d denials audited as the job's, with its reason, want 29", n)
	}
	if n := e.count(t, `SELECT count(DISTINCT details) FROM audit_log WHERE action = $1 AND subject_id = $2 AND reason = $3`,
		domain.AuditBulkItem, strconv.FormatInt(j.ID, 10), j.Reason); n != 30 {
		t.Errorf("%d items audited, want 30", n)
	}
	if n := e.count(t, `SELECT count(*) FROM outbox WHERE template = 'access.denied'`); n != 30 {
		t.Errorf("%d denial mails, want 30 (one before, 29 by the job)", n)
	}

	// The denials list's whole filter, resolved on the server.
	e.bulk.MaxItems = 10
	lift := domain.BulkRequest{Kind: domain.BulkLift, Reason: "Kļūdains ziņojums",
		Selection: domain.BulkSelection{Source: domain.BulkFromDenials, All: true, Filter: domain.DenialFilter{Grounds: []domain.Ground{domain.GroundRulesBroken}}}}
	_, err = e.bulk.PrepareBulk(as(t, e.andris), lift)
	wantError(t, err, domain.EINVALID, "bulk.too_many")
	e.bulk.MaxItems = domain.BulkMaxItems
	l, err := e.bulk.PrepareBulk(as(t, e.andris), lift)
	if err != nil || l.Total != 30 {
		t.Fatalf("lift all: %v, %v items", err, l)
	}
	if err := e.bulk.StepBulk(as(t, e.andris), l.ID, l.Version, domain.BulkStart, ""); err != nil {
		t.Fatal(err)
	}
	if l = e.job(t, e.andris, l.ID); l.State != domain.BulkRunning {
		t.Fatalf("a bulk lift is %s once started, want running (no second officer)", l.State)
	}
	runAll(t, w)
	if l = e.job(t, e.andris, l.ID); l.State != domain.BulkDone || l.Done != 30 {
		t.Fatalf("lift: %s, done %d", l.State, l.Done)
	}
	for _, u := range users {
		if e.signInDenied(t, u) {
			t.Fatalf("user %d still denied after the lift", u)
		}
	}
}

// ¶32, issue 17: a bulk denial the second officer refuses does nothing:
// its items are skipped with the refusal, no worker takes it, and the
// refusal needs a reason.
func TestBulk_Deny_Refused_DoesNothing_P32(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	users := e.users(t, 5)
	j, err := e.bulk.PrepareBulk(as(t, e.ilze), domain.BulkRequest{Kind: domain.BulkDeny, Ground: domain.GroundIncident, Reason: "Incidents 12",
		Selection: domain.BulkSelection{Source: domain.BulkFromPlatformUsers, IDs: users}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.bulk.StepBulk(as(t, e.ilze), j.ID, j.Version, domain.BulkStart, ""); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.bulk.StepBulk(as(t, e.andris), j.ID, 0, domain.BulkRefuse, " "), domain.EINVALID, "bulk.reason_required")
	if err := e.bulk.StepBulk(as(t, e.andris), j.ID, 0, domain.BulkRefuse, "Nepietiekami pierādījumi"); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.bulk.StepBulk(as(t, e.andris), j.ID, 0, domain.BulkApprove, ""), domain.ECONFLICT, "bulk.state")
	runAll(t, storage.NewBulkWorker(e.bulk, "one"))
	j = e.job(t, e.ilze, j.ID)
	if j.State != domain.BulkCancelled || j.Skipped != 5 || j.Done != 0 || e.count(t, `SELECT count(*) FROM denials`) != 0 {
		t.Fatalf("refused: %s, skipped %d, done %d, %d denials", j.State, j.Skipped, j.Done, e.count(t, `SELECT count(*) FROM denials`))
	}
	if j.First[0].ErrorKey != "bulk.skipped_refuse" {
		t.Errorf("a skipped item says %q", j.First[0].ErrorKey)
	}
}

// Issue 17, ¶25: a worker killed in the middle of a batch (its context
// cancelled inside an item's transaction, as a killed server's) leaves
// its job leased; once the lease passes on the database clock another
// worker finishes it, and every item is done exactly once: one mail and
// one audit entry per person, none twice, none skipped.
func TestBulk_Mail_WorkerDiesMidBatch_AnotherFinishes_EachItemOnce(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	users := e.users(t, 30)
	j, err := e.bulk.PrepareBulk(as(t, e.andris), domain.BulkRequest{Kind: domain.BulkMail, Template: "bulk.data_check", Reason: "Ikgadējā datu pārbaude",
		Selection: domain.BulkSelection{Source: domain.BulkFromPlatformUsers, IDs: users}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.bulk.StepBulk(as(t, e.andris), j.ID, j.Version, domain.BulkStart, ""); err != nil {
		t.Fatal(err)
	}
	ctx, kill := context.WithCancel(t.Context())
	defer kill()
	dying := storage.NewBulkWorker(e.bulk, "dying")
	dying.Lease = 300 * time.Millisecond
	dying.SetAfterItem(func(_ context.Context, seq int) {
		if seq == 12 {
			kill()
		}
	})
	if n, err := dying.RunOnce(ctx); err == nil || n != 11 {
		t.Fatalf("the dying worker did %d items (err %v), want 11 and its death", n, err)
	}
	other := storage.NewBulkWorker(e.bulk, "other")
	other.Batch = 8
	if n := runAll(t, other); n != 0 {
		t.Fatalf("another worker took %d items while the lease held", n)
	}
	time.Sleep(350 * time.Millisecond)
	if n := runAll(t, other); n != 19 {
		t.Fatalf("the other worker did %d items, want the 19 left", n)
	}
	j = e.job(t, e.andris, j.ID)
	if j.State != domain.BulkDone || j.Done != 30 {
		t.Fatalf("%s, done %d", j.State, j.Done)
	}
	if n := e.count(t, `SELECT count(DISTINCT to_addr) FROM outbox WHERE template = 'bulk.data_check'`); n != 30 ||
		e.count(t, `SELECT count(*) FROM outbox WHERE template = 'bulk.data_check'`) != 30 {
		t.Fatalf("%d people mailed, want 30 once each", n)
	}
	if n := e.count(t, `SELECT count(DISTINCT subject_id) FROM audit_log WHERE action = $1 AND reason = $2`,
		domain.AuditBulkMail, j.Reason); n != 30 || e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1`, domain.AuditBulkMail) != 30 {
		t.Fatalf("%d mails audited, want 30 once each", n)
	}
}

// ¶32.1, issue 17: a reviewer extends, in one job, the running assignments
// the role requests queue's whole filter granted — through
// ChangeAssignment itself (its rule: an ended one fails with
// "assignment.ended") — and a security officer who is no reviewer cannot
// ask for it.
func TestBulk_Extend_FromRoleRequestsFilter_P32_1(t *testing.T) {
	t.Parallel()
	e := newAssignmentEnv(t)
	bulk := storage.NewBulkService(e.db, storage.NewDenialService(e.db), e.svc, nil)
	until := e.clock.now().Add(300 * 24 * time.Hour).Truncate(time.Second)
	req := domain.BulkRequest{Kind: domain.BulkExtend, Until: until, Reason: "Projekts pagarināts",
		Selection: domain.BulkSelection{Source: domain.BulkFromRoleRequests, All: true,
			Filter: domain.RoleRequestFilter{States: []domain.RoleRequestState{domain.StateApproved}}}}
	sec := newOperator(t, e.db, "sandra.drosiba", withRoles(domain.RoleSecurity))
	_, err := bulk.PrepareBulk(as(t, sec), req)
	wantError(t, err, domain.EFORBIDDEN, "bulk.not_role")
	j, err := bulk.PrepareBulk(as(t, e.janis), req)
	if err != nil || j.Total != 1 || j.First[0].TargetID != e.assignment {
		t.Fatalf("prepare: %v, %+v", err, j)
	}
	if err := bulk.StepBulk(as(t, e.janis), j.ID, j.Version, domain.BulkStart, ""); err != nil {
		t.Fatal(err)
	}
	runAll(t, storage.NewBulkWorker(bulk, "one"))
	if got := e.get(t)[0]; !got.ValidUntil.Equal(until) {
		t.Fatalf("valid until %v, want %v", got.ValidUntil, until)
	}
	if e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND session_id = $2 AND reason = 'Projekts pagarināts'`,
		domain.AuditAssignmentExtend, "bulk-"+strconv.FormatInt(j.ID, 10)) != 1 {
		t.Error("the extension is not audited as the job's")
	}
}

// ¶26.4, issue 17: after a policy change a reviewer re-runs the check of
// every application in review — the IMK queue's whole filter — through
// Refetch itself, each re-evaluated, audited as the job's and given back
// (the job holds no claim); one another reviewer holds fails with
// Refetch's own refusal and the rest go on.
func TestBulk_IMKCheck_WholeQueue_ThroughRefetch_ClaimsGivenBack_P26_4(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	seedApplications(t, db, 3)
	down := storage.NewMirrorRegisters(db, storage.Outage{FailureRate: 1}, rand.NewPCG(7, 7))
	if _, err := storage.NewIMKChecker(db, down).RunOnce(t.Context(), 10); err != nil {
		t.Fatal(err)
	}
	rita := newOperator(t, db, "rita.reviewer")
	other := newOperator(t, db, "otto.reviewer")
	imk := storage.NewIMKService(db, storage.NewMirrorRegisters(db, storage.Outage{}, nil))
	list, err := imk.ListIMK(as(t, rita), domain.IMKFilter{})
	if err != nil || len(list) != 3 {
		t.Fatalf("review queue: %d, %v", len(list), err)
	}
	if _, err := imk.ClaimIMK(as(t, other), list[1].ID); err != nil {
		t.Fatal(err)
	}
	bulk := storage.NewBulkService(db, storage.NewDenialService(db), storage.NewRoleRequestService(db), imk)
	j, err := bulk.PrepareBulk(as(t, rita), domain.BulkRequest{Kind: domain.BulkIMKCheck, Reason: "Jauna mērķa grupas politika",
		Selection: domain.BulkSelection{Source: domain.BulkFromIMK, All: true, Filter: domain.IMKFilter{}}})
	if err != nil || j.Total != 3 {
		t.Fatalf("prepare: %v, %+v", err, j)
	}
	if err := bulk.StepBulk(as(t, rita), j.ID, j.Version, domain.BulkStart, ""); err != nil {
		t.Fatal(err)
	}
	runAll(t, storage.NewBulkWorker(bulk, "one"))
	j, err = bulk.FindBulk(as(t, rita), j.ID)
	if err != nil || j.State != domain.BulkDone || j.Done != 2 || j.Failed != 1 {
		t.Fatalf("after the run: %v, %+v", err, j)
	}
	if it := j.First[1]; it.ErrorKey != "imk.claimed" || len(it.ErrorArgs) != 1 || it.ErrorArgs[0] != other.FullName {
		t.Errorf("the held application failed with %q %v, want imk.claimed held by %q", it.ErrorKey, it.ErrorArgs, other.FullName)
	}
	if n := countRows(t, db, `SELECT count(*) FROM audit_log WHERE action = $1 AND session_id = $2`,
		domain.AuditIMKRefetch, "bulk-"+strconv.FormatInt(j.ID, 10)); n != 2 {
		t.Errorf("%d re-checks audited as the job's, want 2", n)
	}
	if n := countRows(t, db, `SELECT count(*) FROM imk_applications WHERE claimed_by = $1`, rita.ID); n != 0 {
		t.Errorf("the job left %d applications claimed", n)
	}
}
