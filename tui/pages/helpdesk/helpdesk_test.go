package helpdesk_test

import (
	"github.com/viaa/ppp/tui/internal/tuitest"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/viaa/ppp/domain"
)

func TestHelpdesk_ListDetailAndForms_RenderAt80x24_InLatvianAndEnglish_NoLineOverWidth(t *testing.T) {
	for _, tc := range []struct {
		lang    string
		list    []string
		detail  []string
		reset   []string
		reply   []string
		suspend []string
	}{
		{"lv", []string{"2 Pieprasījumi", "Temats", "Sūtītājs", "Kategorija", "Statuss", "Aizmirsu paroli",
			"liga@skola.lv", "paroles atjaunošana", "jauns", "2 d. 2 st.", "✓", "jauni un procesā"},
			[]string{"Pieprasījums 1: Aizmirsu paroli", "Jūs to apstrādājat", "✓ Līga Kalniņa (Platformas lietotājs)",
				"paroles atjaunošana (kā ieteikts)", "ekrans.png (image/png, 47 KiB)", "Lūdzu, palīdziet atjaunot paroli",
				"R atbildēt", "p parole", "s apturēt"},
			[]string{"Paroles atjaunošana — pieprasījums 1", "konta apstiprināto e-pasta adresi", "neredz"},
			[]string{"Atbildēt uz pieprasījumu 1", "Veidne:", "brīvs teksts", "Valoda:", "latviešu", "Jaunais statuss:", "gaida lietotāju", "Teksts:"},
			[]string{"Darbības apturēšana (32.4.)", "drošības speciālista", "Piezīme:"}},
		{"en", []string{"2 Helpdesk", "Subject", "Sender", "Category", "State", "Aizmirsu paroli",
			"password reset", "new", "2 d 2 h", "new and in progress"},
			[]string{"Request 1: Aizmirsu paroli", "You hold it", "✓ Līga Kalniņa (Platform user)",
				"password reset (as suggested)", "ekrans.png (image/png, 47 KiB)", "R reply", "p reset", "s suspend"},
			[]string{"Password reset — request 1", "account's confirmed e-mail address", "never sees"},
			[]string{"Reply to request 1", "Template:", "free text", "Language:", "Latvian", "New state:", "waiting for the user", "Text:"},
			[]string{"Suspension (¶32.4)", "security officer", "Note:"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newEnv(t)
			m := e.model(t, e.helper, lang(tc.lang))
			openQueue(t, m)
			tuitest.MustShow(t, m, tc.list...)
			tuitest.MustNotShow(t, m, "Vecs jautājums")
			tuitest.CheckFits(t, m, 80, 24, "list")

			openTicket(t, m, idReset)
			tuitest.CheckFits(t, m, 80, 24, "detail")
			seen := tuitest.Squeezed(m)
			for i := 0; i < 20; i++ {
				tuitest.Send(t, m, tuitest.Press(tea.KeyDown))
				tuitest.CheckFits(t, m, 80, 24, "detail scrolled")
				seen += " " + tuitest.Squeezed(m)
			}
			for _, want := range tc.detail {
				if !strings.Contains(seen, strings.Join(strings.Fields(want), " ")) {
					t.Errorf("the detail lacks %q:\n%s", want, tuitest.Screen(m))
				}
			}

			tuitest.Send(t, m, tuitest.Runes("p")...)
			tuitest.MustShow(t, m, tc.reset...)
			tuitest.CheckFits(t, m, 80, 24, "reset confirmation")
			tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))

			tuitest.Send(t, m, tuitest.Runes("R")...)
			tuitest.MustShow(t, m, tc.reply...)
			tuitest.CheckFits(t, m, 80, 24, "reply")
			tuitest.Send(t, m, tuitest.Press(tea.KeyEsc), tuitest.Press(tea.KeyEsc))

			openTicket(t, m, idSuspend)
			tuitest.Send(t, m, tuitest.Runes("s")...)
			tuitest.MustShow(t, m, tc.suspend...)
			tuitest.CheckFits(t, m, 80, 24, "suspension")
			tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))

			tuitest.Send(t, m, tuitest.Runes("c")...)
			tuitest.CheckFits(t, m, 80, 24, "category")
		})
	}
}

func TestHelpdesk_UnparsedMessage_IsShownRawWithMarker_AndNoMatchIsSaid(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.helper, lang("en"))
	openQueue(t, m)
	openTicket(t, m, idRaw)
	tuitest.MustShow(t, m, "⚠ The message could not be parsed; shown raw.", "⚠ Content-Type: multipart/mixed", "no confirmed match",
		"other (suggested: question (¶22))")
	tuitest.CheckFits(t, m, 80, 24, "raw")
	// Without a matched account there is no reset and no suspension.
	tuitest.Send(t, m, tuitest.Runes("p")...)
	tuitest.MustShow(t, m, "No account matches a confirmed e-mail address.")
	if calls := e.hd.Calls(); len(calls) != 0 {
		t.Errorf("calls without a match: %+v", calls)
	}
}

func TestHelpdesk_ResetConfirmed_CallsIssuePasswordResetWithVersionSeen(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.helper)
	openQueue(t, m)
	openTicket(t, m, idReset)
	tuitest.Send(t, m, tuitest.Runes("p")...)
	if calls := e.hd.Calls(); len(calls) != 0 {
		t.Fatalf("p alone must only ask: %+v", calls)
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	// Version 4: opening the new request claimed it, which put it in
	// progress (as storage does, and the contract suite holds the fake to).
	calls := e.hd.Calls()
	if len(calls) != 1 || calls[0].Method != "IssuePasswordReset" || calls[0].ID != idReset || calls[0].Version != 4 || calls[0].Err != nil {
		t.Fatalf("calls = %+v, want one IssuePasswordReset(1, version 4)", calls)
	}
	if calls[0].ActorID != e.helper.ID {
		t.Errorf("actor = %d, want %d", calls[0].ActorID, e.helper.ID)
	}
	tuitest.MustShow(t, m, "paroles atjaunošana nosūtīta uz konta apstiprināto adresi")
}

func TestHelpdesk_ResetAfterAnotherChange_SendsStaleVersion_AndSaysItChanged(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.helper)
	openQueue(t, m)
	openTicket(t, m, idReset)
	tuitest.Send(t, m, tuitest.Runes("p")...)
	e.hd.Update(idReset, func(tk *domain.Ticket) { tk.State = domain.TicketInProgress })
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	calls := e.hd.Calls()
	if len(calls) != 1 || calls[0].Version != 4 || domain.ErrorCode(calls[0].Err) != domain.ECONFLICT {
		t.Fatalf("calls = %+v, want a conflict on version 4 (the one seen after the claim)", calls)
	}
	tuitest.MustShow(t, m, "Pieprasījums pa to laiku ir mainījies")
}

func TestHelpdesk_ResetForLatvijaGovLvUser_IsRefusedOnScreen(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.helper, lang("en"))
	openQueue(t, m)
	openTicket(t, m, idLatvija)
	tuitest.Send(t, m, tuitest.Runes("p")...)
	tuitest.MustShow(t, m, "has no Platform password (¶14)")
	// The reply offers the explaining template, chosen (all the templates
	// fit on the line at 80 columns, each with its button).
	tuitest.Send(t, m, tuitest.Runes("R")...)
	tuitest.MustShow(t, m, "(•) no Platform password (¶14)")
}

func TestHelpdesk_FreeTextReply_NeedsText_ThenSendsTemplateLanguageAndState(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.helper)
	openQueue(t, m)
	openTicket(t, m, idReset)
	tuitest.Send(t, m, tuitest.Runes("R")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, "Brīvā teksta atbildei vajag tekstu.")
	if calls := e.hd.Calls(); len(calls) != 0 {
		t.Fatalf("an empty free-text reply was sent: %+v", calls)
	}
	// Language: English; state: resolved; then the text.
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyRight), tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyRight), tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Runes("Saite nosūtīta.")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	calls := e.hd.Calls()
	if len(calls) != 1 {
		t.Fatalf("calls = %+v", calls)
	}
	c := calls[0]
	if c.Method != "Reply" || c.Template != "helpdesk.reply" || c.Lang != "en" || c.State != domain.TicketResolved || c.Text != "Saite nosūtīta." || c.Version != 4 || c.Err != nil {
		t.Errorf("reply = %+v", c)
	}
}

func TestHelpdesk_Suspension_NeedsNote_ThenIsRequested(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.helper)
	openQueue(t, m)
	openTicket(t, m, idSuspend)
	tuitest.Send(t, m, tuitest.Runes("s")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, "Vajag piezīmi.")
	tuitest.Send(t, m, tuitest.Runes("Lietotājs pats lūdz apturēt.")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	calls := e.hd.Calls()
	if len(calls) != 1 || calls[0].Method != "RequestSuspension" || calls[0].Text != "Lietotājs pats lūdz apturēt." || calls[0].Err != nil {
		t.Fatalf("calls = %+v", calls)
	}
	tuitest.MustShow(t, m, "apturēšana gaida drošības speciālista apstiprinājumu")
}

func TestHelpdesk_CategoryChange_CyclesAndNeedsConfirmation(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.helper)
	openQueue(t, m)
	openTicket(t, m, idRaw)
	tuitest.Send(t, m, tuitest.Runes("c")...)
	// other → password reset (the cycle wraps) → suspension.
	tuitest.Send(t, m, tuitest.Runes("c")...)
	if calls := e.hd.Calls(); len(calls) != 0 {
		t.Fatalf("cycling must not change anything yet: %+v", calls)
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	calls := e.hd.Calls()
	if len(calls) != 1 || calls[0].Method != "SetCategory" || calls[0].Category != domain.CategorySuspension || calls[0].Err != nil {
		t.Fatalf("calls = %+v", calls)
	}
}

func TestHelpdesk_OpenClaims_LeaveReleases_HeldByOtherBlocksActions(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.helper)
	openQueue(t, m)
	openTicket(t, m, idReset)
	if got := e.hd.Get(idReset); got.ClaimedBy != e.helper.ID {
		t.Fatalf("opening did not claim: %+v", got)
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	if got := e.hd.Get(idReset); got.ClaimedBy != 0 {
		t.Fatalf("leaving did not release: %+v", got)
	}
	e.hd.ClaimAs(idSuspend, e.other.ID, "Anna Kalniņa")
	openTicket(t, m, idSuspend)
	tuitest.MustShow(t, m, "Pieprasījumu 3 apstrādā Anna Kalniņa")
	tuitest.Send(t, m, tuitest.Runes("s")...)
	if calls := e.hd.Calls(); len(calls) != 0 {
		t.Fatalf("acted on someone else's request: %+v", calls)
	}
}

func TestHelpdesk_Filters_StateAndCategory(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.helper, lang("en"))
	openQueue(t, m)
	// s cycles: open → new → in progress → waiting → resolved.
	tuitest.Send(t, m, tuitest.Runes("ssss")...)
	tuitest.MustShow(t, m, "Vecs jautājums")
	tuitest.MustNotShow(t, m, "Aizmirsu paroli")
	tuitest.Send(t, m, tuitest.Runes("x")...)
	// c: every category → password reset.
	tuitest.Send(t, m, tuitest.Runes("c")...)
	tuitest.MustShow(t, m, "Aizmirsu paroli", "Parole")
	tuitest.MustNotShow(t, m, "Lūdzu apturēt kontu")
}

func TestHelpdesk_TabHidden_WithoutHelpdeskRoleOrService(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.reviewer)
	tuitest.MustNotShow(t, m, "Pieprasījumi")
	m = e.model(t, e.helper, withoutService())
	tuitest.MustNotShow(t, m, "Pieprasījumi")
	m = e.model(t, e.helper)
	tuitest.MustShow(t, m, "2 Pieprasījumi")
}

func TestHelpdesk_FeedChange_ShowsAnotherOperatorsClaimWithinASecond(t *testing.T) {
	e := newEnv(t)
	m := e.program(t, e.helper, withChanges())
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	has := func(s string) func([]byte) bool {
		return func(b []byte) bool { return strings.Contains(string(b), s) }
	}
	tm.Type("2")
	teatest.WaitFor(t, tm.Output(), has("Aizmirsu paroli"), teatest.WithDuration(3*time.Second))
	start := time.Now()
	e.hd.ClaimAs(idLatvija, e.other.ID, "Anna Kalniņa")
	teatest.WaitFor(t, tm.Output(), has("Anna"), teatest.WithDuration(3*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	if d := time.Since(start); d > time.Second {
		t.Errorf("the claim showed after %v", d)
	}
}

// TestHelpdesk_ResetForOperator_GoesThroughTheHeldReset proves that a
// reset for an agency employee is asked of the service, which holds it for
// a second person (issue 9), and never sends a code from the screen (it has no way to).
func TestHelpdesk_ResetForOperator_GoesThroughTheHeldReset(t *testing.T) {
	e := newEnv(t)
	e.hd.Update(idReset, func(tk *domain.Ticket) {
		tk.Account = &domain.AccountRef{Kind: "operator", ID: e.other.ID, Name: "Anna Kalniņa", HasPassword: true}
	})
	m := e.model(t, e.helper, lang("en"))
	openQueue(t, m)
	openTicket(t, m, idReset)
	tuitest.Send(t, m, tuitest.Runes("p")...)
	tuitest.MustShow(t, m, "second helpdesk or security person", "never sees the code")
	tuitest.CheckFits(t, m, 80, 24, "operator reset")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	calls := e.hd.Calls()
	if len(calls) != 1 || calls[0].Method != "IssuePasswordReset" {
		t.Errorf("calls = %+v, want one IssuePasswordReset", calls)
	}
}
