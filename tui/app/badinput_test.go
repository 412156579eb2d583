package app

import (
	"context"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"github.com/viaa/ppp/tui/theme"
)

var badNow = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

// newEveryScreenModel returns the root model of an operator who holds every
// role, with every service (each holding one item to open) behind it.
func newEveryScreenModel(t testing.TB, lang string, mustChangePassword bool) *Model {
	t.Helper()
	e := newEnv(t)
	op := e.ops.Add(&domain.Operator{Name: "visas.lomas", FullName: "Visa Lomas", Roles: domain.Roles, Language: lang})
	clock := func() time.Time { return badNow }

	rr := fakes.NewRoleRequests()
	rr.Now = clock
	rr.Add(&domain.RoleRequest{ID: 1, State: domain.StatePending, CreatedAt: badNow.Add(-5 * time.Hour),
		EmailSentAt: badNow.Add(-5 * time.Hour), EmailConfirmedAt: badNow.Add(-4 * time.Hour),
		Form: domain.RoleRequestForm{Kind: domain.KindCareerConsultant, FirstName: "Jānis", LastName: "Bērziņš", PersonalCode: "180565-05610", Email: "janis@example.lv"}})
	imk := fakes.NewIMK()
	imk.Add(&domain.IMKApplication{ID: 1, PersonalCode: "180565-05610", FirstName: "Anna", LastName: "Kalniņa", Email: "anna@example.lv",
		State: domain.IMKNeedsReview, AppliedAt: badNow.Add(-time.Hour)})
	hd := fakes.NewHelpdesk()
	hd.Add(&domain.Ticket{ID: 1, Subject: "Jautājums", From: "liga@skola.lv", Category: domain.CategoryQuestion, CreatedAt: badNow.Add(-time.Hour),
		Account:  &domain.AccountRef{Kind: "user", ID: 5, Name: "Līga Ozola", HasPassword: true},
		Messages: []*domain.TicketMessage{{At: badNow.Add(-time.Hour), Inbound: true, From: "liga@skola.lv", Text: "Labdien!"}}})
	def := fakes.NewDefence()
	def.Resets = []*domain.PendingReset{{ID: 1, TicketID: 1, AccountKind: "operator", AccountID: 9, AccountName: "Pēteris Zariņš",
		RequestedBy: 77, RequestedName: "Līga Ozola", RequestedAt: badNow.Add(-time.Hour), State: "pending"}}
	def.Admins[op.ID] = true
	def.Alerts = []*domain.Alert{{ID: 7, Kind: domain.AlertReveals, OperatorID: 9, OperatorName: "Pēteris Skatītājs", Count: 31, Threshold: 30,
		WindowStart: badNow.Add(-time.Hour), WindowEnd: badNow, RaisedAt: badNow}}
	den := fakes.NewDenials()
	den.Add(&domain.Denial{ID: 1, SubjectKind: domain.SubjectPlatformUser, SubjectID: 501, SubjectName: "Jānis Ozoliņš",
		Ground: domain.GroundRulesBroken, Note: "Kopīgoja rekvizītus", State: domain.DenialInForce, RaisedBy: 77,
		RaisedByName: "Līga Ozola", RaisedAt: badNow.Add(-48 * time.Hour), InForceAt: badNow.Add(-48 * time.Hour), Version: 1})
	terms := fakes.NewTerms()
	terms.Add(&domain.TermsVersion{ID: 1, Number: "2026-1", Title: "Noteikumi", Text: "1. Punkts.", State: domain.TermsDraft, Version: 1})
	ann := fakes.NewAnnouncements()
	ann.Add(&domain.Announcement{ID: 1, Kind: domain.AnnouncementNews, State: domain.AnnouncementPublished,
		Title: "Jaunums", Body: "Teksts.", PublishedAt: badNow.Add(-time.Hour)})

	// A draft of the IMK policy by another editor, for its approval's date.
	inForce := domain.DefaultEligibilityPolicy()
	inForce.ID, inForce.Version, inForce.State, inForce.Name = 1, 1, domain.PolicyApproved, "Sākotnējā politika"
	draft := inForce
	draft.ID, draft.Version, draft.State, draft.Name = 2, 2, domain.PolicyDraft, "Jaunā politika"
	draft.DraftedBy, draft.DraftedByName, draft.CreatedAt = op.ID+100, "Anna Redaktore", badNow.Add(-time.Hour)
	pol := fakes.NewPolicy(&inForce, &draft)
	rv := fakes.NewReverify()
	rv.Add(&domain.Reverification{ID: 1, InstitutionID: 3, InstitutionName: "Ābeles skola", CompanyRegNo: "40003521600", InstitutionNo: "3013900001",
		CreatedAt: badNow.Add(-time.Hour), Differences: []domain.Difference{domain.DiffNameChanged},
		School: &domain.SchoolRecord{InstitutionNumber: "3013900001", Name: "Ābeļu skola", Status: domain.StatusActive, FetchedAt: badNow}})
	// A bulk job from a list (issue 17), one of its items named by data.
	bulk := fakes.NewBulk()
	bulk.Now = clock
	bulk.AddOperator(op)
	bulk.AddTarget("platform_user", 501, "Jānis \x1b[31mOzoliņš")
	bulkCtx := domain.WithActor(context.Background(), domain.Actor{OperatorID: op.ID, Name: op.Name})
	if _, err := bulk.PrepareBulk(bulkCtx, domain.BulkRequest{Kind: domain.BulkMail, Template: domain.BulkTemplates[0], Reason: "Paziņojums",
		Selection: domain.BulkSelection{Source: domain.BulkFromPlatformUsers, IDs: []int64{501}}}); err != nil {
		t.Fatal(err)
	}

	// A report's group named by the register mirror (issue 18).
	rpt := fakes.NewReports()
	rpt.Now = clock
	rpt.AddIMK(&fakes.ReportIMK{PersonalCode: "180565-05610", State: domain.IMKApproved, AppliedAt: badNow.Add(-time.Hour),
		DecidedAt: badNow, Municipality: "Rīga\x1b[31m"})

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	m := New(Options{
		Ctx: ctx,
		Services: common.Services{Operators: e.ops, Audit: e.audit, Dashboard: e.dash, Feed: e.feed,
			RoleRequests: rr, IMK: imk, Helpdesk: hd, Defence: def, Denials: den, Terms: terms, Announcements: ann, Policy: pol,
			Institutions: fakes.NewInstitutions(), Reverify: rv, PersonMerge: &fakes.PersonMerge{}, Sanctions: fakes.NewSanctions(),
			People: fakes.NewPeople(), Bulk: bulk, Reports: rpt},
		Operator: op,
		Styles:   theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)),
		Width:    100, Height: 30,
		Timers:             e.clock,
		Now:                clock,
		MustChangePassword: mustChangePassword,
	})
	strict := tuitest.Driver{Wait: driver.Wait, Limit: driver.Limit, Strict: t}
	strict.Drain(t, m, m.Init())
	return m
}

func keysOf(s string) []tea.Msg {
	var out []tea.Msg
	for _, part := range strings.Split(s, " ") {
		switch part {
		case "":
		case "<enter>":
			out = append(out, tuitest.Press(tea.KeyEnter))
		case "<tab>":
			out = append(out, tuitest.Press(tea.KeyTab))
		case "<esc>":
			out = append(out, tuitest.Press(tea.KeyEsc))
		case "<down>":
			out = append(out, tuitest.Press(tea.KeyDown))
		default:
			out = append(out, tuitest.Runes(part)...)
		}
	}
	return out
}

// fieldKind is how a text field takes and shows what is typed.
type fieldKind int

const (
	lineField   fieldKind = iota // one line: line breaks become spaces
	areaField                    // several lines
	secretField                  // a password: shown as dots
	editorField                  // the terms editor: refuses an insertion it cannot take whole
)

// everyTextField is every text field of the screens, reached from the
// start of a session of an operator with every role by the keys given
// (see keysOf). A field added to a screen belongs here.
var everyTextField = []struct {
	name string
	keys string
	kind fieldKind
}{
	{"role requests: search", "2 /", lineField},
	{"role requests: approve, valid until", "2 <enter> a", lineField},
	{"role requests: reject, explanation", "2 <enter> r <tab>", areaField},
	{"role requests: ask for information", "2 <enter> i", areaField},
	{"role requests: reveal, reason", "2 <enter> v", lineField},
	{"IMK: search", "3 /", lineField},
	{"IMK: approve, reason", "3 <enter> a", lineField},
	{"IMK: reject, reason", "3 <enter> r", lineField},
	{"IMK: reveal, reason", "3 <enter> v", lineField},
	{"helpdesk: search", "4 /", lineField},
	{"helpdesk: reply text", "4 <enter> R <tab> <tab> <tab>", areaField},
	{"helpdesk: suspension, note", "4 <enter> s", areaField},
	{"helpdesk: refuse a reset, note", "4 a n", lineField},
	{"terms: new draft, number", "5 n", lineField},
	{"terms: new draft, title", "5 n <tab>", lineField},
	{"terms: submit, summary", "5 s", areaField},
	{"terms: editor", "5 <enter>", editorField},
	{"announcements: title", "6 n <tab>", lineField},
	{"announcements: text", "6 n <tab> <tab>", areaField},
	{"announcements: start", "6 n <tab> <tab> <tab> <tab>", lineField},
	{"announcements: end", "6 n <tab> <tab> <tab> <tab> <tab>", lineField},
	{"announcements: services", "6 n <tab> <tab> <tab> <tab> <tab> <tab>", lineField},
	{"announcements: withdraw, reason", "6 w", lineField},
	{"denials: subject no.", "7 n <tab>", lineField},
	{"denials: note", "7 n <tab> <tab> <tab>", lineField},
	{"denials: evidence", "7 n <tab> <tab> <tab> <tab>", lineField},
	{"denials: lift, reason", "7 l", lineField},
	{"operators: add, user name", "8 a", lineField},
	{"operators: add, full name", "8 a <tab>", lineField},
	{"operators: add, e-mail", "8 a <tab> <tab>", lineField},
	{"operators: add, password", "8 a <tab> <tab> <tab> <tab>", secretField},
	{"operators: enable, reason", "8 d", lineField},
	{"operators: new password", "8 p", secretField},
	{"operators: new password again", "8 p <tab>", secretField},
	{"operators: new SSH key", "8 <enter> a", lineField},
	{"audit: search", "9 /", lineField},
	{"audit: action", "9 / <tab>", lineField},
	{"alerts: close, note", "<tab> <tab> <tab> <tab> <tab> <tab> <tab> <tab> <tab> x", lineField},
	{"sign-ins: operator", "<tab> <tab> <tab> <tab> <tab> <tab> <tab> <tab> <tab> <tab> /", lineField},
	{"jump list", ":", lineField},
	{"IMK policy: approval, date", "<tab> <tab> <tab> <tab> <tab> <tab> <tab> <tab> <tab> <tab> <tab> <enter> a", lineField},
	{"password change at sign-in", "!pw", secretField},
	{"password change at sign-in, again", "!pw <tab>", secretField},
}

func paste(s string) tea.Msg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true} }

// badInputs are what an operator may paste or type by mistake (or a
// terminal send), with what the status line must then say (catalog keys,
// the part before the first placeholder) for an ordinary field and for
// the terms editor.
var badInputs = []struct {
	name        string
	msg         tea.Msg
	fieldSays   string
	editorSays  string
	shows       string // the field then shows this (not for passwords)
	editorShows string // the editor then shows this
}{
	{"1 MB paste", paste(strings.Repeat("ā", 1<<20)), "tui.input.cut", "tui.terms.edit.too_long", "āāāā", ""},
	{"100k lines paste", paste(strings.Repeat("rinda\n", 100_000)), "tui.input.cut", "", "rinda", "rinda"},
	{"control characters", paste("A\x00B\x1bC\x7fD\u0085E\u202eF\ufeffG\x07H"), "tui.input.dropped", "tui.terms.edit.stripped", "ABCDEFGH", "ABCDEFGH"},
	{"escape sequence", paste("X\x1b[1mY\x1b]0;Z\x07"), "tui.input.dropped", "tui.terms.edit.stripped", "X[1mY]0;Z", "X[1mY]0;Z"},
	{"typed bidi override", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'\u202e'}}, "tui.input.dropped", "tui.terms.edit.stripped", "", ""},
	{"typed C1 control", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'\u009b'}}, "tui.input.dropped", "tui.terms.edit.stripped", "", ""},
	{"invalid runes", tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{0xD800, 'O', -1, 'K', 0x110000, utf8.RuneError}, Paste: true}, "tui.input.dropped", "tui.terms.edit.invalid_utf8", "OK", ""},
}

// forbiddenOnScreen may never reach an operator's terminal from a field:
// with a colourless renderer the view has no escape sequence at all.
var forbiddenOnScreen = regexp.MustCompile("[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069\ufeff\ufffd]")

// TestTextFields_BadInput_IsCleanedOrCutAndTold walks every text field of
// every screen with oversized pastes, control characters, escape
// sequences, invisible reordering characters and invalid runes: each is
// dropped or cut with a message in the operator's language, never shown
// raw, and no key takes long.
func TestTextFields_BadInput_IsCleanedOrCutAndTold(t *testing.T) {
	for i, f := range everyTextField {
		for j, in := range badInputs {
			// Each field and each input meet both languages, in turn.
			for _, lang := range []string{[]string{"lv", "en"}[(i+j)%2]} {
				// One at a time: nothing waits for a timer any more
				// (tuitest.Clock), so two at once only compete for the
				// processors and slow the key each times.
				t.Run(f.name+"/"+in.name+"/"+lang, func(t *testing.T) {
					m := newEveryScreenModel(t, lang, strings.HasPrefix(f.keys, "!pw"))
					keys := strings.TrimPrefix(f.keys, "!pw")
					driver.Send(t, m, keysOf(keys)...)
					if !typingHere(m) {
						t.Fatalf("keys %q do not reach a text field:\n%s", f.keys, tuitest.Screen(m))
					}
					// Clear what the field holds (a suggested date or
					// number) so that a short input fits.
					driver.Send(t, m, tuitest.Press(tea.KeyCtrlU))
					driver.Send(t, m, in.msg)
					view := m.View()
					if loc := forbiddenOnScreen.FindStringIndex(view); loc != nil {
						t.Errorf("the screen holds %q:\n%s", view[loc[0]:loc[1]], view)
					}
					cat := i18n.For(i18n.Lang(lang))
					says := in.fieldSays
					if f.kind == editorField {
						says = in.editorSays
					}
					if says != "" {
						// The notice's words up to its first number, in
						// whichever form its count takes.
						var wants []string
						for _, form := range cat.Forms(says) {
							want, _, _ := strings.Cut(form, "%")
							wants = append(wants, want)
						}
						screen := tuitest.Squeezed(m)
						if !slices.ContainsFunc(wants, func(w string) bool { return strings.Contains(screen, tuitest.Squeeze(w)) }) {
							t.Errorf("the screen lacks any of %q:\n%s", wants, tuitest.Screen(m))
						}
					}
					shows := in.shows
					if f.kind == editorField {
						shows = in.editorShows
					}
					if shows != "" && f.kind != secretField {
						tuitest.MustShow(t, m, shows)
					}
					tuitest.CheckFits(t, m, 100, 30, "")
				})
			}
		}
	}
}

// typingHere reports whether a text field on screen has the focus.
func typingHere(m *Model) bool {
	if m.pw != nil || m.jump != nil {
		return true
	}
	p := m.page()
	return p != nil && p.Typing()
}
