package helpdesk_test

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// changeFor seeds one e-mail change asked for by op, on a service whose
// clock is the screens'.
func changeFor(op *domain.Operator) *fakes.Defence {
	def := fakes.NewDefence()
	def.Now = clock
	def.Changes = []*domain.EmailChange{{
		ID: 5, UserID: 91, AccountName: "Dace Ozola", OldEmail: "dace.ozola@skola.lv", NewEmail: "dace.jauna@example.com",
		Reason: "ticket 9: the old mailbox is closed", RequestedBy: op.ID, RequestedName: op.FullName,
		RequestedAt: fixedNow.Add(-time.Hour), ExpiresAt: fixedNow.Add(domain.EmailChangeLifetime - time.Hour), State: domain.EmailChangePending,
	}}
	return def
}

func TestPendingEmailChanges_ApproveHiddenForTheRequester(t *testing.T) {
	for _, tc := range []struct {
		lang             string
		want, approveKey []string
	}{
		{"lv", []string{"E-pasta adreses maiņa gaida otru personu", "Dace Ozola → dace.jauna@example.com", "pieprasīja Jānis Ozols",
			"Savu pieprasījumu nevar apstiprināt", "n atteikt"}, []string{"y apstiprināt"}},
		{"en", []string{"E-mail address changes waiting for a second person", "Dace Ozola → dace.jauna@example.com", "asked by Jānis Ozols",
			"You cannot approve your own request", "n refuse"}, []string{"y approve"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newEnv(t)
			def := changeFor(e.helper)
			m := e.model(t, e.helper, lang(tc.lang), withDefence(def))
			openQueue(t, m)
			tuitest.Send(t, m, tuitest.Runes("a")...)
			tuitest.MustShow(t, m, tc.want...)
			tuitest.MustNotShow(t, m, tc.approveKey...)
			tuitest.CheckFits(t, m, 80, 24, "pending e-mail changes")
			tuitest.Send(t, m, tuitest.Runes("y")...)
			tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
			if len(def.ApprovedChanges) != 0 {
				t.Fatalf("the requester approved their own change: %v", def.ApprovedChanges)
			}
		})
	}
}

func TestPendingEmailChanges_SecondPersonApprovesAfterConfirming(t *testing.T) {
	e := newEnv(t)
	def := changeFor(e.helper)
	m := e.model(t, e.other, lang("en"), withDefence(def))
	openQueue(t, m)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustShow(t, m, "y approve", "n refuse", "Current address dace.ozola@skola.lv; reason: ticket 9: the old mailbox is closed")
	tuitest.MustNotShow(t, m, "You cannot approve your own request")
	tuitest.Send(t, m, tuitest.Runes("y")...)
	tuitest.MustShow(t, m, "Approve e-mail change #5 for Dace Ozola: dace.ozola@skola.lv → dace.jauna@example.com?", "Notices go to both addresses.")
	tuitest.CheckFits(t, m, 80, 24, "confirmation")
	if len(def.ApprovedChanges) != 0 {
		t.Fatal("approved before the confirmation")
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if len(def.ApprovedChanges) != 1 || def.ApprovedChanges[0] != 5 {
		t.Fatalf("approved = %v", def.ApprovedChanges)
	}
	tuitest.MustShow(t, m, "No e-mail address change is waiting")
}

func TestPendingEmailChanges_RefuseNeedsANote(t *testing.T) {
	e := newEnv(t)
	def := changeFor(e.helper)
	m := e.model(t, e.other, lang("en"), withDefence(def))
	openQueue(t, m)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.Send(t, m, tuitest.Runes("n")...)
	tuitest.MustShow(t, m, "Refuse e-mail change #5")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "A refusal needs a note.")
	tuitest.Send(t, m, tuitest.Runes("the caller could not say the school")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if def.RefusedChanges[5] != "the caller could not say the school" || len(def.ApprovedChanges) != 0 {
		t.Fatalf("refused = %v, approved = %v", def.RefusedChanges, def.ApprovedChanges)
	}
	tuitest.CheckFits(t, m, 80, 24, "after refusal")
}

// TestPendingEmailChanges_BesideAReset: with a reset and a change
// waiting, the cursor runs from the reset to the change, and y approves
// the one under the cursor only.
func TestPendingEmailChanges_BesideAReset(t *testing.T) {
	e := newEnv(t)
	def := changeFor(e.helper)
	def.Resets = pendingFor(e.helper).Resets
	m := e.model(t, e.other, lang("en"), withDefence(def))
	openQueue(t, m)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustShow(t, m, "Līga Kalniņa", "Dace Ozola → dace.jauna@example.com")
	tuitest.CheckFits(t, m, 80, 24, "both lists")
	tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
	tuitest.Send(t, m, tuitest.Runes("y")...)
	tuitest.MustShow(t, m, "Approve e-mail change #5")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if len(def.ApprovedChanges) != 1 || len(def.Approved) != 0 {
		t.Fatalf("approved changes = %v, resets = %v", def.ApprovedChanges, def.Approved)
	}
	tuitest.MustShow(t, m, "Līga Kalniņa", "No e-mail address change is waiting")
}
