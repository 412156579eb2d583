package main_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
)

// deniedNumberRE finds the denial's number in the mail telling a person
// their access was denied (the way to contest it quotes it).
var deniedNumberRE = regexp.MustCompile(`lieguma numuru (\d+)`)

// TestE2E_Incident_SecurityOfficerDeniesFromTheTicket_P25_P32_6 drives the
// incident workflow as its people do (¶25, ¶17.5, ¶32.6): an institution
// user mails stars@viaa.gov.lv that their account was broken into; a
// security officer, who has no helpdesk role, finds the ticket on their
// Incidents screen (after their other screens, which keep their numbers),
// opens it, presses d, writes the reason in the denials form the ticket
// filled in, and sends it. The account is denied at once, the thread notes
// the denial, the person is told by mail with the reason and how to contest
// it, and the audit log verifies.
func TestE2E_Incident_SecurityOfficerDeniesFromTheTicket_P25_P32_6(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	const userAddr = "marta.ozola@skola.example.lv"
	const subject = "Drošības incidents: mans konts uzlauzts"

	conn := sqlConn(t, in)
	_, userID := institutionUser(t, conn, 2, "Rīgas Valsts 2. ģimnāzija", "Marta", "Ozola", userAddr)
	officer := in.addOperator("laura.sec", "Laura Bērziņa", "security")
	srv, mailAddr := in.startServerWithMail()
	mailStars(t, mailAddr, "Marta Ozola", userAddr, subject, "Labdien!\r\n\r\nKāds pieslēdzās manā kontā un mainīja e-pasta adresi.\r\n")
	ticketID := waitTicket(t, conn, subject, "incident")

	term := openTerminal(t, srv.mustDial(t, officer.name, ssh.PublicKeys(officer.signer)), "xterm-256color", hdCols, hdRows)
	term.waitText(officer.header(), 0)
	// 1 Pārskats, 2 Liegumi, 3 Audits, 4 Brīdinājumi, 5 Pierakstīšanās, 6 Incidenti.
	mark := term.mark()
	term.press("6")
	term.waitFor("the incident ticket on the Incidents screen", mark, func(s string) bool {
		return strings.Contains(s, text(t, lv, "tui.hd.queue_title")) && strings.Contains(s, subject)
	})
	mark = term.mark()
	term.press("\r")
	term.waitText(text(t, lv, "tui.hd.detail.title", ticketID, subject), mark)

	mark = term.mark()
	term.press("d")
	term.waitText(text(t, lv, "tui.den.deny_title"), mark)
	term.waitText(text(t, lv, "tui.den.from_ticket", ticketID), mark)
	mark = term.mark()
	term.press("\t\t\t") // kind, subject, ground → note
	term.waitText("› "+text(t, lv, "tui.den.field.note"), mark)
	term.press("Konts kompromitēts, e-pasts mainīts bez ziņas")
	mark = term.mark()
	term.press("\x13") // ctrl+s
	// "Liegums Nr. N ir spēkā.", whatever N is.
	done := regexp.MustCompile(strings.Replace(regexp.QuoteMeta(text(t, lv, "tui.den.done.denied", 987654321)), "987654321", `\d+`, 1))
	term.waitFor("the denial in force", mark, done.MatchString)

	var denialID int64
	var ground, state, evidence string
	scalar(t, conn, `SELECT id, ground, state, evidence FROM denials WHERE subject_kind = 'platform_user' AND subject_id = $1`,
		[]any{userID}, &denialID, &ground, &state, &evidence)
	if ground != string(domain.GroundIncident) || state != "in_force" || evidence != domain.TicketReference(ticketID) {
		t.Errorf("denial: ground %q, state %q, evidence %q", ground, state, evidence)
	}
	var denied bool
	scalar(t, conn, `SELECT sign_in_denied FROM platform_users WHERE id = $1`, []any{userID}, &denied)
	if !denied {
		t.Error("the account can still sign in")
	}
	var notes int
	scalar(t, conn, `SELECT count(*) FROM ticket_replies WHERE ticket_id = $1 AND outbox_id IS NULL`, []any{ticketID}, &notes)
	if notes != 1 {
		t.Errorf("the thread notes the denial %d times, want once", notes)
	}
	// The person is told (¶24, ¶32), and never the staff's note.
	if n, m := waitMail(t, in, userAddr, deniedNumberRE); n != strconv.FormatInt(denialID, 10) || !strings.Contains(m.body, "Konts kompromitēts") {
		t.Errorf("the mail to the person names denial %s (want %d) or lacks the reason given:\n%s", n, denialID, m.body)
	}

	term.press("q")
	_ = term.waitEnd("q")
	srv.stop()
	if res := in.run(t, "", "audit", "verify"); res.code != 0 {
		t.Errorf("audit verify: %s", res)
	}
}
