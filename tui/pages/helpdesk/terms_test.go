package helpdesk_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// ¶26.2: the sender panel says when the matched Platform user has not
// accepted the terms in force, and says nothing when they have.
func TestHelpdesk_SenderPanel_TermsNotAccepted_P26_2(t *testing.T) {
	e := newEnv(t)
	e.hd.Add(&domain.Ticket{
		ID: 9, Subject: "Jautājums par IMK", From: "peteris@example.lv", Category: domain.CategoryQuestion,
		Version: 1, CreatedAt: fixedNow.Add(-time.Hour),
		Account: &domain.AccountRef{Kind: "platform_user", ID: 80, Name: "Pēteris Kalns",
			Terms: &domain.TermsPending{VersionID: 3, Number: "2024-09-04"}},
	})
	m := e.model(t, e.helper)
	openQueue(t, m)
	openTicket(t, m, 9)
	tuitest.MustShow(t, m, "Lietošanas noteikumi: nav apstiprināta spēkā esošā versija 2024-09-04")
	tuitest.CheckFits(t, m, 80, 24, "terms")

	m = e.model(t, e.helper)
	openQueue(t, m)
	openTicket(t, m, idReset)
	tuitest.MustNotShow(t, m, "Lietošanas noteikumi:")
}
