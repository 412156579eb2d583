package accountforms_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/listview"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"github.com/viaa/ppp/tui/pages/accountforms"
	"github.com/viaa/ppp/tui/theme"
)

var fixedNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// person is a row of a screen that lists persons, as the person page
// will: the forms are told its account by userOf.
type person struct {
	id, user int64
	name     string
}

func userOf(p *person) int64 { return p.user }

// host is a screen of persons with the two actions, and the status line
// the app would show.
type host struct {
	c      *common.Common
	m      *listview.Model[*person]
	status string
}

func (h *host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.StatusMsg:
		h.status = ""
		if msg.Key != "" {
			h.status = h.c.T(msg.Key, msg.Args...)
		}
		return h, nil
	case common.ErrorMsg:
		h.status = h.c.Err(msg.Err)
		return h, nil
	}
	return h, h.m.Update(msg)
}

func (h *host) Init() tea.Cmd { return nil }

func (h *host) View() string { return h.m.View() + "\n" + h.status }

var (
	helpdesk = &domain.Operator{ID: 1, Name: "anna.helpdesk", FullName: "Anna Palīdze", Roles: []domain.Role{domain.RoleHelpdesk}}
	second   = &domain.Operator{ID: 2, Name: "liga.helpdesk", FullName: "Līga Otrā", Roles: []domain.Role{domain.RoleHelpdesk}}
)

const (
	userPlain = 501 // an institution user with a password
	userAdmin = 502 // an institution's administrator: four eyes
	userViss  = 503 // Latvija.gov.lv
)

func newHost(t *testing.T, def *fakes.Defence, lang string) *host {
	t.Helper()
	h := &host{}
	h.c = &common.Common{
		Ctx:      domain.WithActor(context.Background(), domain.Actor{OperatorID: helpdesk.ID, Name: helpdesk.Name, SessionID: "s1"}),
		Styles:   theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)),
		Operator: helpdesk, Now: func() time.Time { return fixedNow }, Timers: tuitest.NewClock(fixedNow), Width: 100, Height: 29,
		Services: common.Services{Defence: def},
	}
	h.c.SetLanguage(i18n.LV)
	if lang == "en" {
		h.c.SetLanguage(i18n.EN)
	}
	rows := []*person{{1, userPlain, "Līga Bērziņa"}, {2, userAdmin, "Direktore Kalniņa"}, {3, userViss, "Jānis Ozoliņš"}, {4, 0, "Inese bez konta"}}
	h.m = listview.New(h.c, listview.Spec[*person]{
		None: "tui.mc.none",
		ID:   func(p *person) int64 { return p.id },
		Load: listview.Reads(func() bool { return true }, func(context.Context) ([]*person, error) { return rows, nil }),
		Columns: []listview.Column[*person]{
			{Title: "tui.acct.field.reason", Min: 20, Weight: 1, Cell: func(p *person) string { return p.name }},
		},
		Actions: []*listview.Action[*person]{accountforms.EmailChange(h.c, userOf), accountforms.PasswordReset(h.c, userOf)},
	})
	h.m.SetSize(100, 29)
	tuitest.Drain(t, h, h.m.Init())
	return h
}

func seeded() *fakes.Defence {
	def := fakes.NewDefence()
	def.Now = func() time.Time { return fixedNow }
	def.AddOperator(helpdesk)
	def.AddOperator(second)
	def.Accounts[userPlain] = "liga@skola.lv"
	def.Accounts[userAdmin] = "direktore@skola.lv"
	def.Accounts[userViss] = "janis@example.lv"
	def.ResetAccounts = map[int64]domain.ResetAccount{
		userPlain: {Kind: "password", EmailConfirmed: true},
		userAdmin: {Kind: "password", EmailConfirmed: true},
		userViss:  {Kind: "viss", EmailConfirmed: true},
	}
	def.Privileged = map[int64]bool{userAdmin: true}
	return def
}

func keys(s string) []tea.Msg { return tuitest.Runes(s) }

var enter = tea.KeyMsg{Type: tea.KeyEnter}
var tab = tea.KeyMsg{Type: tea.KeyTab}
var down = tea.KeyMsg{Type: tea.KeyDown}

// The e-mail change form (issue 17): a bad address is refused in Latvian
// under its field, as the command line refuses it (domain.ValidateEmail),
// and so is an empty reason; nothing is requested until both are right;
// then one request waits for a second person.
func TestAccountForms_EmailChange_BadAddressAndReasonRequired_InLatvian(t *testing.T) {
	def := seeded()
	h := newHost(t, def, "lv")
	tuitest.Send(t, h, keys("m")...)
	tuitest.MustShow(t, h, "Konta 501 e-pasta adreses maiņa", "Jaunā adrese", "Iemesls", "otra persona")
	tuitest.Send(t, h, keys("nav adrese")...)
	tuitest.Send(t, h, enter)
	tuitest.Send(t, h, enter)
	tuitest.MustShow(t, h, "Norādiet iemeslu.")
	if !strings.Contains(tuitest.Screen(h), "adrese") || len(def.Changes) != 0 {
		t.Fatalf("a bad address was sent:\n%s", tuitest.Screen(h))
	}
	tuitest.MustShow(t, h, latvian(t, "email.format"))
	tuitest.CheckFits(t, h, 100, 30, "")
}

// latvian is a catalog message in Latvian.
func latvian(t *testing.T, key string) string {
	t.Helper()
	c := &common.Common{}
	c.SetLanguage(i18n.LV)
	return c.T(key)
}

// A right address and a reason file one request, which changes nothing
// yet: the status says it waits for a second person.
func TestAccountForms_EmailChange_FilesARequest(t *testing.T) {
	def := seeded()
	h := newHost(t, def, "en")
	tuitest.Send(t, h, keys("m")...)
	tuitest.Send(t, h, keys("jauna@skola.lv")...)
	tuitest.Send(t, h, tab)
	tuitest.Send(t, h, keys("asked at the counter, passport seen")...)
	tuitest.Send(t, h, enter)
	if len(def.Changes) != 1 || def.Changes[0].UserID != userPlain || def.Changes[0].NewEmail != "jauna@skola.lv" ||
		def.Changes[0].Reason != "asked at the counter, passport seen" || def.Accounts[userPlain] != "liga@skola.lv" {
		t.Fatalf("changes = %+v, address %q", def.Changes, def.Accounts[userPlain])
	}
	tuitest.MustShow(t, h, "E-mail change request 1 waits for a second person.")
}

// The reset form (issue 17): a reason is required (in Latvian); an
// ordinary account's link goes at once; an institution administrator's
// waits for a second person and the status says no link was sent; a
// Latvija.gov.lv account gets the ¶14 explanation; a person without an
// account is refused before any form opens.
func TestAccountForms_PasswordReset_ReasonRequired_HeldForPrivileged_VissRefused_P14_P31_3(t *testing.T) {
	def := seeded()
	h := newHost(t, def, "lv")
	tuitest.Send(t, h, keys("p")...)
	tuitest.MustShow(t, h, "Konta 501 paroles atjaunošana", "apstiprināto adresi")
	tuitest.Send(t, h, enter)
	tuitest.MustShow(t, h, "Norādiet iemeslu.")
	if len(def.ResetsSent) != 0 {
		t.Fatal("a reset went out without a reason")
	}
	tuitest.Send(t, h, keys("zvanīja, pase pārbaudīta")...)
	tuitest.Send(t, h, enter)
	tuitest.MustShow(t, h, "Atjaunošanas saite nosūtīta")
	if def.ResetsSent[userPlain] != "zvanīja, pase pārbaudīta" {
		t.Fatalf("sent = %v", def.ResetsSent)
	}

	tuitest.Send(t, h, down)
	tuitest.Send(t, h, keys("p")...)
	tuitest.Send(t, h, keys("direktore zvanīja")...)
	tuitest.Send(t, h, enter)
	tuitest.MustShow(t, h, "gaida otras personas apstiprinājumu; saite vēl nav nosūtīta")
	if _, sent := def.ResetsSent[userAdmin]; sent || len(def.Resets) != 1 || def.Resets[0].AccountID != userAdmin {
		t.Fatalf("a privileged reset was not held: sent %v, held %+v", def.ResetsSent, def.Resets)
	}
	if err := def.Resets[0].ApprovalBlocker(helpdesk.ID); domain.AsError(err).Key != "defence.own_reset" {
		t.Fatalf("the requester may approve their own reset: %v", err)
	}

	tuitest.Send(t, h, down)
	tuitest.Send(t, h, keys("p")...)
	tuitest.Send(t, h, keys("aizmirsa paroli")...)
	tuitest.Send(t, h, enter)
	tuitest.MustShow(t, h, "Latvija.gov.lv", "14. punkts")

	tuitest.Send(t, h, tea.KeyMsg{Type: tea.KeyEsc})
	tuitest.Send(t, h, down)
	tuitest.Send(t, h, keys("p")...)
	tuitest.MustShow(t, h, "Personai nav Platformas konta.")
	tuitest.MustNotShow(t, h, "paroles atjaunošana\n")
}
