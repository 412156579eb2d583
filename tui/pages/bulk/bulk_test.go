package bulk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/pagetest"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

var fixedNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	time.Local = time.UTC
	m.Run()
}

var (
	laura = &domain.Operator{ID: 1, Name: "laura.berzina", FullName: "Laura Bērziņa", Roles: []domain.Role{domain.RoleSecurity}}
	maris = &domain.Operator{ID: 2, Name: "maris.kalnins", FullName: "Māris Kalniņš", Roles: []domain.Role{domain.RoleSecurity}}
)

// newEnv is three ¶32.5 denials in force and the bulk double knowing
// them; for security officers the screens are the dashboard (1), the
// denials (2), the audit log (3) and the bulk actions (4).
func newEnv() (pagetest.Env, *fakes.Bulk) {
	den := fakes.NewDenials()
	bulk := fakes.NewBulk()
	bulk.Now = func() time.Time { return fixedNow }
	for i, name := range []string{"Jānis Ozoliņš", "Līga Bērziņa", "Pēteris Zariņš"} {
		id := int64(i + 1)
		den.Add(&domain.Denial{ID: id, SubjectKind: domain.SubjectPlatformUser, SubjectID: 500 + id, SubjectName: name,
			Ground: domain.GroundRulesBroken, Note: "Pārkāpums", State: domain.DenialInForce, RaisedBy: 9,
			RaisedByName: "Anna Drošība", RaisedAt: fixedNow.Add(-48 * time.Hour), InForceAt: fixedNow.Add(-48 * time.Hour), Version: 1})
		bulk.AddTarget("denial", id, name)
	}
	bulk.AddOperator(laura)
	bulk.AddOperator(maris)
	return pagetest.At(fixedNow, common.Services{Denials: den, Bulk: bulk}, laura, maris), bulk
}

func screen(m *app.Model) string { return tuitest.Squeezed(m) }

// Issue 17, ¶32: in the denials list an officer marks two rows with
// space and presses B; the bulk screen opens on them with the form (one
// reason for all); the form leads to a PREVIEW — the exact count and the
// rows by name — and only enter starts it; the job then shows with its
// state and a progress bar that moves as the items are done.
func TestBulkScreen_MarkInDenials_FormPreviewStart_ProgressShown(t *testing.T) {
	env, bulk := newEnv()
	m := env.Model(t, laura, pagetest.Lang("en"), pagetest.Size(100, 30))
	tuitest.Send(t, m, tuitest.Runes("2")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeySpace), tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeySpace))
	tuitest.MustShow(t, m, "● 3 Pēteris Zariņš", "● 2 Līga Bērziņa", "1 Jānis Ozoliņš", "2 rows marked")
	tuitest.MustNotShow(t, m, "● 1")
	tuitest.Send(t, m, tuitest.Runes("B")...)
	tuitest.MustShow(t, m, "New bulk action", "2 marked rows.", "restore access", "Reason (for all)")
	if len(bulk.Jobs) != 0 {
		t.Fatal("a job was prepared before the form was sent")
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed("Kļūdains ziņojums")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, "Preview: bulk job #1 (not started yet)", "2 items will be done:", "Līga Bērziņa", "Pēteris Zariņš", "Enter starts the job")
	tuitest.MustNotShow(t, m, "Jānis Ozoliņš")
	if len(bulk.Jobs) != 1 || bulk.Jobs[0].State != domain.BulkPreview || bulk.Jobs[0].Reason != "Kļūdains ziņojums" {
		t.Fatalf("prepared: %+v", bulk.Jobs)
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if bulk.Jobs[0].State != domain.BulkRunning {
		t.Fatalf("after enter the job is %s, want running", bulk.Jobs[0].State)
	}
	tuitest.MustShow(t, m, "Bulk job #1 started.", "running", "░░░░░░░░░░░░ 0/2")
	bulk.Progress(1, 1, "")
	tuitest.Send(t, m, common.ChangeMsg{Topic: domain.TopicBulk, ID: "1"})
	tuitest.Advance(t, m, env.Clock, time.Second)
	tuitest.MustShow(t, m, "██████░░░░░░ 1/2")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Bulk job #1", "Kļūdains ziņojums", "Items (2):", "1 Līga Bērziņa · done", "2 Pēteris Zariņš · to do")
	// A failed item says its refusal whole, with the refusal's arguments.
	bulk.FailArgs = []any{"Anna Kalniņa"}
	bulk.Progress(1, 1, "imk.claimed", 2)
	tuitest.Send(t, m, common.ChangeMsg{Topic: domain.TopicBulk, ID: "1"})
	tuitest.Advance(t, m, env.Clock, time.Second)
	tuitest.MustShow(t, m, "Anna Kalniņa is working on this application.")
}

// Issue 17, ¶32: a bulk denial waits for a second security officer: its
// requester is refused the approval on the status line, the other
// officer is offered it and approves. An item's name is data, drawn
// plain in the job's detail.
func TestBulkScreen_DenialWaits_SecondOfficerApproves(t *testing.T) {
	env, bulk := newEnv()
	bulk.AddTarget("platform_user", 501, "Jānis \x1b[31mOzoliņš\x1b]0;x\x07")
	as := func(op *domain.Operator) context.Context {
		return domain.WithActor(context.Background(), domain.Actor{OperatorID: op.ID, Name: op.Name})
	}
	j, err := bulk.PrepareBulk(as(laura), domain.BulkRequest{Kind: domain.BulkDeny, Ground: domain.GroundIncident, Reason: "Incidents 12",
		Selection: domain.BulkSelection{Source: domain.BulkFromPlatformUsers, IDs: []int64{501}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := bulk.StepBulk(as(laura), j.ID, 0, domain.BulkStart, ""); err != nil {
		t.Fatal(err)
	}
	mine := env.Model(t, laura, pagetest.Lang("en"), pagetest.Size(100, 30), pagetest.Screen("4"))
	tuitest.MustShow(t, mine, "deny access", "awaiting approval")
	tuitest.Send(t, mine, tuitest.Runes("y")...)
	tuitest.MustShow(t, mine, "Another security officer approves a bulk denial")
	if bulk.Jobs[0].State != domain.BulkPendingApproval {
		t.Fatal("the requester approved their own bulk denial")
	}
	tuitest.Send(t, mine, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, mine, "Items (1):", "Ozoliņš")
	if v := mine.View(); strings.ContainsRune(v, '\x1b') || strings.ContainsRune(v, '\x07') {
		t.Errorf("an item's name reached the terminal with its escape sequences: %q", v)
	}
	theirs := env.Model(t, maris, pagetest.Lang("en"), pagetest.Size(100, 30), pagetest.Screen("4"))
	if !strings.Contains(screen(theirs), "y approve") {
		t.Errorf("the second officer is not offered the approval: %q", screen(theirs))
	}
	tuitest.Send(t, theirs, tuitest.Runes("y")...)
	tuitest.MustShow(t, theirs, "Approve bulk denial #1?")
	tuitest.Send(t, theirs, tuitest.Press(tea.KeyEnter))
	if bulk.Jobs[0].State != domain.BulkRunning || bulk.Jobs[0].ApprovedBy != maris.ID {
		t.Fatalf("after the approval: %s by %d", bulk.Jobs[0].State, bulk.Jobs[0].ApprovedBy)
	}
}
