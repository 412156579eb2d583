package imk_test

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// ¶26.2: an application whose person has not accepted the terms in force
// is flagged in the list, shows the line on its detail before the
// reviewer decides, and the approval is refused with the reason.
func TestIMK_TermsNotAccepted_ShownBeforeDeciding_ApprovalRefused_P26_2(t *testing.T) {
	e := newEnv(t)
	e.imk.Update(idStale, func(a *domain.IMKApplication) {
		a.Terms = &domain.TermsPending{VersionID: 3, Number: "2024-09-04"}
	})
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	tuitest.MustShow(t, m, "lietošanas noteiku", "noteikumu versija 2024-09-04 nav apstiprināta")
	openApp(t, m, idStale)
	tuitest.MustShow(t, m, "Lietošanas noteikumi: nav apstiprināta spēkā esošā versija 2024-09-04")
	tuitest.Send(t, m, tuitest.Runes("a")...)
	tuitest.Send(t, m, tuitest.Runes("atbilst")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter), tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Persona nav apstiprinājusi spēkā esošo lietošanas noteikumu versiju 2024-09-04")
	for _, d := range e.imk.Decisions() {
		if d.Approve && d.Err == nil {
			t.Fatalf("an approval went through: %+v", d)
		}
	}
	if a := e.imk.Get(idStale); a.State != domain.IMKNeedsReview {
		t.Fatalf("state %s, want needs review", a.State)
	}
}

// ¶26.2: an application whose person has accepted the terms in force
// shows no such line, on the list or the detail.
func TestIMK_TermsAccepted_NoLine_P26_2(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	openQueue(t, m)
	tuitest.MustNotShow(t, m, "nav apstiprināta")
	openApp(t, m, idStale)
	tuitest.MustNotShow(t, m, "Lietošanas noteikumi:")
}
