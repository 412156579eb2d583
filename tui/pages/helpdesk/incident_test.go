package helpdesk_test

import (
	"strconv"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/queuetest"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

const idIncident = 6 // a security incident from a matched Platform user

// ¶25, ¶17.5, ¶32.6: a security officer sees the incident tickets in the
// helpdesk queue (and no others), reads one, and its d opens the denials
// screen's form with ground ¶32.6, the matched account as subject and the
// evidence naming the ticket; sending it raises the denial through the
// helpdesk, which notes it in the thread.
func TestHelpdesk_SecurityOfficer_IncidentKeyOpensPrefilledP32_6Form(t *testing.T) {
	e := newEnv(t)
	e.hd.Add(&domain.Ticket{
		ID: idIncident, Subject: "Drošības incidents: konts uzlauzts", From: "marta@example.lv", Category: domain.CategoryIncident,
		CreatedAt: fixedNow.Add(-5 * time.Minute),
		Account:   &domain.AccountRef{Kind: "platform_user", ID: 91, Name: "Marta Ozola", HasPassword: true},
		Messages:  []*domain.TicketMessage{{At: fixedNow.Add(-5 * time.Minute), Inbound: true, From: "marta@example.lv", Text: "Kāds pieslēdzās manā vārdā."}},
	})
	officer := e.ops.Add(&domain.Operator{Name: "laura.berzina", FullName: "Laura Bērziņa", Roles: []domain.Role{domain.RoleSecurity}, Language: "en"})
	e.hd.AddOperator(officer)
	e.hd.AddOperator(e.helper)
	den := fakes.NewDenials()
	m := e.model(t, officer, lang("en"), queuetest.WithServices(func(s *common.Services) { s.Denials = den }))
	// The officer's incident screen comes after their others (1 Dashboard,
	// 2 Access denials, 3 Audit log), which keep their numbers.
	tuitest.Send(t, m, tuitest.Runes("4")...)
	tuitest.MustShow(t, m, "4 Incidents", "Drošības incidents")
	tuitest.MustNotShow(t, m, "Aizmirsu paroli", "Lūdzu apturēt kontu")

	openTicket(t, m, idIncident)
	tuitest.MustShow(t, m, "Kāds pieslēdzās manā vārdā.", "d deny access (¶32.6)")
	tuitest.MustNotShow(t, m, "p reset", "s suspend")

	tuitest.Send(t, m, tuitest.Runes("d")...)
	tuitest.MustShow(t, m, "Deny access", "From ticket #6: ground ¶32.6", "¶32.6 security incident", "91", "helpdesk ticket 6")
	tuitest.CheckFits(t, m, 80, 24, "the form from a ticket")
	for range 3 { // kind, subject, ground → note
		tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	}
	tuitest.Send(t, m, tuitest.Typed("Konts kompromitēts")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))

	var raised *fakes.HelpdeskCall
	for _, c := range e.hd.Calls() {
		if c.Method == "RaiseIncidentDenial" {
			raised = &c
		}
	}
	if raised == nil || raised.Err != nil || raised.ID != idIncident || raised.Denial.SubjectID != 91 ||
		raised.Denial.SubjectKind != domain.SubjectPlatformUser || raised.Denial.Ground != domain.GroundIncident ||
		raised.Denial.Evidence != "helpdesk ticket 6" || raised.Text != "Konts kompromitēts" {
		t.Fatalf("the denial raised from the ticket: %+v", raised)
	}
	for _, c := range den.Calls() {
		t.Errorf("the denial went round the ticket: %+v", c)
	}
	tk := e.hd.Get(idIncident)
	if n := len(tk.Messages); n != 2 || tk.Messages[1].Template != domain.TicketDenialNote || tk.Messages[1].Text != strconv.FormatInt(raised.Denial.ID, 10) {
		t.Errorf("the thread does not note the denial: %d messages", n)
	}
}

// A helpdesk operator is not offered the ¶32.6 key: the denial is a
// security officer's.
func TestHelpdesk_HelpdeskOperator_NoIncidentDenialKey_P32_6(t *testing.T) {
	e := newEnv(t)
	e.hd.Add(&domain.Ticket{ID: idIncident, Subject: "Incidents", From: "marta@example.lv", Category: domain.CategoryIncident, CreatedAt: fixedNow.Add(-5 * time.Minute)})
	m := e.model(t, e.helper, lang("en"))
	openQueue(t, m)
	openTicket(t, m, idIncident)
	tuitest.MustShow(t, m, "R reply")
	tuitest.MustNotShow(t, m, "deny access")
}
