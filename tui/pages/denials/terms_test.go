package denials_test

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// ¶26.2: a denial's Platform user subject who has not accepted the terms
// in force is shown as such on the denial; one who has, not.
func TestDenials_Subject_TermsNotAccepted_P26_2(t *testing.T) {
	e := newEnv(t)
	e.den.Add(&domain.Denial{ID: 9, SubjectKind: domain.SubjectPlatformUser, SubjectID: 502, SubjectName: "Pēteris Kalns",
		Ground: domain.GroundRulesBroken, Note: "Noteikumu pārkāpums", State: domain.DenialInForce, RaisedBy: e.other.ID,
		RaisedByName: e.other.FullName, RaisedAt: fixedNow.Add(-time.Hour), InForceAt: fixedNow.Add(-time.Hour), Version: 2,
		SubjectTerms: &domain.TermsPending{VersionID: 3, Number: "2024-09-04"}})
	m := e.model(t, e.officer, "lv", 100, 30)
	selectID(t, m, "9")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Lietošanas noteikumi: nav apstiprināta spēkā esošā versija 2024-09-04")

	m = e.model(t, e.officer, "lv", 100, 30)
	selectID(t, m, "1")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustNotShow(t, m, "Lietošanas noteikumi:")
}
