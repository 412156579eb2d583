package helpdesk_test

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/fakes"
)

func withDefence(d domain.DefenceService) opt { return func(o *opts) { o.defence = d } }

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
			send(t, m, typed("a")...)
			mustShow(t, m, "Līga Kalniņa", "Jānis Ozols")
			if l == "en" {
				mustShow(t, m, "You asked for this reset", "n refuse")
				mustNotShow(t, m, "y approve")
			} else {
				mustShow(t, m, "Šo atjaunošanu pieprasījāt jūs", "n atteikt")
				mustNotShow(t, m, "y apstiprināt")
			}
			checkFits(t, m, 80, 24, "pending")
			send(t, m, typed("y")...)
			send(t, m, press(tea.KeyEnter))
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
	send(t, m, typed("a")...)
	mustShow(t, m, "y approve", "n refuse")
	mustNotShow(t, m, "You asked for this reset")
	send(t, m, typed("y")...)
	mustShow(t, m, "Approve reset #4 for Līga Kalniņa?")
	if len(def.Approved) != 0 {
		t.Fatal("approved before the confirmation")
	}
	send(t, m, press(tea.KeyEnter))
	if len(def.Approved) != 1 || def.Approved[0] != 4 {
		t.Fatalf("approved = %v", def.Approved)
	}
	mustShow(t, m, "No privileged reset is waiting")
}

func TestDefencePendingResets_RefuseNeedsANote(t *testing.T) {
	e := newEnv(t)
	def := pendingFor(e.helper)
	m := e.model(t, e.other, lang("en"), withDefence(def))
	openQueue(t, m)
	send(t, m, typed("a")...)
	send(t, m, typed("n")...)
	send(t, m, press(tea.KeyEnter))
	mustShow(t, m, "A refusal needs a note.")
	send(t, m, typed("the caller could not say the school")...)
	send(t, m, press(tea.KeyEnter))
	if def.Refused[4] != "the caller could not say the school" {
		t.Fatalf("refused = %v", def.Refused)
	}
	checkFits(t, m, 80, 24, "after refusal")
}

func TestDefencePendingResets_NoServiceNoKey(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.other, lang("en"))
	openQueue(t, m)
	send(t, m, typed("a")...)
	mustNotShow(t, m, "waiting for a second person")
}
