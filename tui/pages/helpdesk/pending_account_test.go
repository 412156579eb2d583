package helpdesk_test

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// Issue 17: a privileged reset started from a person's account (no
// ticket) is listed among the pending resets with the requester's
// reason, and a second helpdesk operator approves it there.
func TestDefencePendingResets_FromAnAccount_ShowsReason_SecondPersonApproves(t *testing.T) {
	e := newEnv(t)
	def := fakes.NewDefence()
	def.Resets = []*domain.PendingReset{{
		ID: 9, AccountKind: "platform_user", AccountID: 78, AccountName: "Direktore Ozola",
		RequestedBy: e.helper.ID, RequestedName: e.helper.FullName, RequestedAt: fixedNow.Add(-5 * time.Minute), State: "pending",
		Reason: "zvanīja no skolas tālruņa",
	}}
	m := e.model(t, e.other, lang("lv"), withDefence(def))
	openQueue(t, m)
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.MustShow(t, m, "#9 · no konta · Direktore Ozola", "zvanīja no skolas tālruņa")
	tuitest.MustNotShow(t, m, "pieprasījums 0")
	tuitest.CheckFits(t, m, 80, 24, "pending")
	tuitest.Send(t, m, tuitest.Runes("y")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	if len(def.Approved) != 1 || def.Approved[0] != 9 {
		t.Fatalf("approved = %v", def.Approved)
	}
}
