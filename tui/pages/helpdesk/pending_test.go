package helpdesk_test

import (
	"github.com/viaa/ppp/tui/internal/tuitest"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/queuetest"
)

func withDefence(d domain.DefenceService) opt {
	return queuetest.WithServices(func(s *common.Services) { s.Defence = d })
}

// pendingFor seeds one privileged reset asked for by op.
func pendingFor(op *domain.Operator) *fakes.Defence {
	def := fakes.NewDefence()
	def.Resets = []*domain.PendingReset{{
		ID: 4, TicketID: idReset, AccountKind: "platform_user", AccountID: 77, AccountName: "Līga Kalniņa",
		RequestedBy: op.ID, RequestedName: op.FullName, RequestedAt: fixedNow.Add(-5 * time.Minute), State: "pending",
	}}
	return def
}

func TestDefencePendingResets_ApproveHiddenForTheRequester(t *testing.T) {
	for _, l := range []string{"lv", "en"} {
		t.Run(l, func(t *testing.T) {
			e := newEnv(t)
			def := pendingFor(e.helper)
			m := e.model(t, e.helper, lang(l), withDefence(def))
			openQueue(t, m)
			tuitest.Send(t, m, tuitest.Runes("a")...)
			tuitest.MustShow(t, m, "Līga Kalniņa", "Jānis Ozols")
			if l == "en" {
				tuitest.MustShow(t, m, "You asked for this reset", "n refuse")
				tuitest.MustNotShow(t, m, "y approve")
			} else {
				tuitest.MustShow(t, m, "Šo atjaunošanu pieprasījāt jūs", "n atteikt")
				tuitest.MustNotShow(t, m, "y apstiprināt")
			}
			tuitest.CheckFits(t, m, 80, 24, "pending")
			tuitest.Send(t, m, tuitest.Runes("y")...)
			tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
			if len(def.Approved) != 0 {
				t.Fatalf("the requester approved their own reset: %v", def.Approved)
			}
		})
	}
}

func TestDefencePendingResets_SecondPersonApprovesAfterConfirming(t *testing.T) {
	e := newEnv(t)
	def := pendingFor(e.helper)
	m := e.model(t, e.other, lang("en"), withDefence(def))
	openQueue(t, m)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustShow(t, m, "y approve", "n refuse")
	tuitest.MustNotShow(t, m, "You asked for this reset")
	tuitest.Send(t, m, tuitest.Runes("y")...)
	tuitest.MustShow(t, m, "Approve reset #4 for Līga Kalniņa?")
	if len(def.Approved) != 0 {
		t.Fatal("approved before the confirmation")
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if len(def.Approved) != 1 || def.Approved[0] != 4 {
		t.Fatalf("approved = %v", def.Approved)
	}
	tuitest.MustShow(t, m, "No privileged reset is waiting")
}

func TestDefencePendingResets_RefuseNeedsANote(t *testing.T) {
	e := newEnv(t)
	def := pendingFor(e.helper)
	m := e.model(t, e.other, lang("en"), withDefence(def))
	openQueue(t, m)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.Send(t, m, tuitest.Runes("n")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "A refusal needs a note.")
	tuitest.Send(t, m, tuitest.Runes("the caller could not say the school")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if def.Refused[4] != "the caller could not say the school" {
		t.Fatalf("refused = %v", def.Refused)
	}
	tuitest.CheckFits(t, m, 80, 24, "after refusal")
}

func TestDefencePendingResets_NoServiceNoKey(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.other, lang("en"))
	openQueue(t, m)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustNotShow(t, m, "waiting for a second person")
}
