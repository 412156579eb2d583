package imk_test

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// ¶24, ¶32: an application whose applicant is denied access shows why it
// cannot be approved on its detail, before the reviewer decides; the
// approval is not sent, and rejecting stays possible.
func TestIMK_DenialInForce_ShownBeforeDeciding_ApprovalRefused_P24(t *testing.T) {
	e := newEnv(t)
	e.imk.Update(idStale, func(a *domain.IMKApplication) {
		a.Hold = &domain.DenialHold{DenialID: 9, Ground: domain.GroundIncident, Since: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}
	})
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	openApp(t, m, idStale)
	tuitest.MustShow(t, m, "32.6. punktu kopš 01.03.2025 (liegums nr. 9)")
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.Send(t, m, tuitest.Runes("atbilst")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter), tuitest.Press(tea.KeyEnter))
	for _, d := range e.imk.Decisions() {
		if d.Approve && d.Err == nil {
			t.Fatalf("an approval went through: %+v", d)
		}
	}
	if a := e.imk.Get(idStale); a.State != domain.IMKNeedsReview {
		t.Fatalf("state %s, want needs review", a.State)
	}
}
