package storage_test

import (
	"strconv"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// ¶25, ¶17.5: security incidents reported to the Agency reach its
// security officers: one lists the incident tickets of the helpdesk queue
// and no others, reads and claims them, and is refused the others; an
// operator who is a reviewer only sees none.
func TestHelpdesk_SecurityOfficerListsIncidentTicketsOnly_P25_P17_5(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	raw, _ := rawMail("cietusais@example.lv", "Drošības incidents: kāds uzlauza manu kontu", "Kāds pieslēdzās manā vārdā.")
	inc := e.ingest(t, raw).TicketID
	raw, _ = rawMail("jautatajs@example.lv", "Jautājums par kursiem", "Kā pieteikties?")
	q := e.ingest(t, raw).TicketID
	if c := e.ticket(t, inc).Category; c != domain.CategoryIncident {
		t.Fatalf("the incident mail was filed as %s", c)
	}

	sec := as(t, e.ilze)
	list, err := e.svc.ListTickets(sec, domain.TicketFilter{})
	if err != nil || len(list) != 1 || list[0].ID != inc {
		t.Fatalf("security officer's list: %v %v, want only ticket %d", list, err, inc)
	}
	list, err = e.svc.ListTickets(sec, domain.TicketFilter{Categories: []domain.TicketCategory{domain.CategoryQuestion, domain.CategoryOther}})
	if err != nil || len(list) != 0 {
		t.Fatalf("security officer asking for questions: %v %v", list, err)
	}
	_, err = e.svc.FindTicket(sec, q)
	wantError(t, err, domain.EFORBIDDEN, "helpdesk.incident_only")
	if tk, err := e.svc.FindTicket(sec, inc); err != nil || len(tk.Messages) != 1 {
		t.Fatalf("security officer reads the incident: %v %v", tk, err)
	}
	e.claim(t, sec, inc)

	reviewer := &domain.Operator{Name: "rita.reviewer", FullName: "Rita", Email: "rita@viaa.gov.lv", Roles: []domain.Role{domain.RoleReviewer}}
	if err := storage.NewOperatorService(e.db).CreateOperator(adminCtx(t), reviewer, ""); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.ListTickets(as(t, reviewer), domain.TicketFilter{})
	wantError(t, err, domain.EFORBIDDEN, "helpdesk.not_helpdesk")
	_, err = e.svc.FindTicket(as(t, reviewer), inc)
	wantError(t, err, domain.EFORBIDDEN, "helpdesk.not_helpdesk")
}

// ¶32.6: a security officer raises a denial from an incident ticket: the
// matched account is denied at once, the evidence names the ticket, the
// thread notes the denial and the audit log has both steps; the ticket
// change is announced on the helpdesk's feed topic.
func TestHelpdesk_RaiseIncidentDenial_DeniesNotesAndAudits_P32_6(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	user := e.vissUser(t, "cietusais2@example.lv")
	raw, _ := rawMail("cietusais2@example.lv", "Security incident: phishing", "Someone used my account.")
	id := e.ingest(t, raw).TicketID
	tk := e.ticket(t, id)
	if tk.Account == nil || tk.Account.ID != user {
		t.Fatalf("the sender is not matched to the account: %+v", tk.Account)
	}
	sec := as(t, e.ilze)
	d, err := e.svc.RaiseIncidentDenial(sec, id, domain.SubjectPlatformUser, user, "Konts kompromitēts", "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Ground != domain.GroundIncident || d.State != domain.DenialInForce || d.Evidence != domain.TicketReference(id) || d.RaisedBy != e.ilze.ID {
		t.Errorf("denial %+v", d)
	}
	if n := e.count(t, `SELECT count(*) FROM platform_users WHERE id = $1 AND sign_in_denied`, user); n != 1 {
		t.Errorf("the account can still sign in")
	}
	if n := e.count(t, `SELECT count(*) FROM ticket_replies WHERE ticket_id = $1 AND template = $2 AND body = $3 AND outbox_id IS NULL`,
		id, domain.TicketDenialNote, strconv.FormatInt(d.ID, 10)); n != 1 {
		t.Errorf("the thread notes the denial %d times", n)
	}
	// The person is told of the denial itself (¶24, ¶32: access.denied);
	// the thread's note is the staff's and is never mailed.
	if n := e.count(t, `SELECT count(*) FROM outbox WHERE to_addr = 'cietusais2@example.lv' AND template <> 'access.denied'`); n != 0 {
		t.Errorf("the note was mailed to the sender (%d mails)", n)
	}
	if n := e.count(t, `SELECT count(*) FROM outbox WHERE to_addr = 'cietusais2@example.lv' AND template = 'access.denied'`); n != 1 {
		t.Errorf("the person was told of the denial %d times, want once", n)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2 AND details LIKE $3`,
		domain.AuditHelpdeskIncidentDenial, strconv.FormatInt(id, 10), "denial="+strconv.FormatInt(d.ID, 10)+";%"); n != 1 {
		t.Errorf("the ticket's audit entry: %d", n)
	}
	// The same denial again is a conflict, and nothing more is noted.
	_, err = e.svc.RaiseIncidentDenial(sec, id, domain.SubjectPlatformUser, user, "Vēlreiz", "")
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("a second ¶32.6 denial: %v", err)
	}
	if n := e.count(t, `SELECT count(*) FROM ticket_replies WHERE ticket_id = $1`, id); n != 1 {
		t.Errorf("thread entries after the refused denial: %d", n)
	}
	// The helpdesk cannot raise it; a question ticket cannot carry it.
	_, err = e.svc.RaiseIncidentDenial(as(t, e.anna), id, domain.SubjectPlatformUser, user, "x", "")
	wantError(t, err, domain.EFORBIDDEN, "denial.not_security")
}
