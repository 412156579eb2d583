package people

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/listview"
)

type entry = *domain.PersonEntry

// fieldRow is one line of the identity tab: a label (catalog key) and a
// value (data, drawn plain).
type fieldRow struct {
	id    int64
	label string
	value string
}

// tabKeys are the catalog keys of the tabs: the identity, then each
// section.
var tabKeys = map[domain.PersonSection]string{
	domain.PersonRoles: "tui.ppl.tab.roles", domain.PersonRequests: "tui.ppl.tab.requests", domain.PersonIMK: "tui.ppl.tab.imk",
	domain.PersonDenials: "tui.ppl.tab.denials", domain.PersonTickets: "tui.ppl.tab.tickets", domain.PersonMail: "tui.ppl.tab.mail",
	domain.PersonSignIns: "tui.ppl.tab.signins", domain.PersonTerms: "tui.ppl.tab.terms", domain.PersonChanges: "tui.ppl.tab.changes",
	domain.PersonEmailAsked: "tui.ppl.tab.email_asked",
}

// openedMsg carries the page read.
type openedMsg struct {
	to   *personView
	page *domain.PersonPage
	err  error
}

// moreMsg carries a section's next page.
type moreMsg struct {
	to      *personView
	section domain.PersonSection
	page    *domain.PersonSectionPage
	err     error
}

// personView is one person's page: the identity tab and a tab per
// section, each a listview of its own with its own actions.
type personView struct {
	c        *common.Common
	id       int64
	page     *domain.PersonPage // nil while it is read
	revealed string
	tab      int // 0: identity; i: domain.PersonSections[i-1]
	ident    *listview.Model[*fieldRow]
	secs     map[domain.PersonSection]*listview.Model[entry]
	rows     map[domain.PersonSection][]entry
	counts   map[domain.PersonSection]int
	// primed sections show the rows read with the page or a "more"
	// once, without reading them again.
	primed map[domain.PersonSection]bool
}

func newPersonView(c *common.Common, id int64) *personView {
	p := &personView{c: c, id: id, secs: map[domain.PersonSection]*listview.Model[entry]{},
		rows: map[domain.PersonSection][]entry{}, counts: map[domain.PersonSection]int{}, primed: map[domain.PersonSection]bool{}}
	p.ident = listview.New(c, listview.Spec[*fieldRow]{
		Allowed: domain.MayUsePeople, RoleOnly: "tui.ppl.role_only", None: "tui.ppl.loading",
		ID:   func(r *fieldRow) int64 { return r.id },
		Load: p.loadIdentity, Above: p.above,
		Columns: []listview.Column[*fieldRow]{
			{Title: "tui.ppl.col.field", Min: 27, Cell: func(r *fieldRow) string { return c.T(r.label) }},
			{Title: "tui.ppl.col.value", Min: 20, Weight: 1, Cell: func(r *fieldRow) string { return r.value }},
		},
		Actions: p.identityActions(),
		Keys:    p.tabKeys(),
	})
	for _, s := range domain.PersonSections {
		p.secs[s] = listview.New(c, p.sectionSpec(s))
	}
	return p
}

// open reads the page: one call, which counts the look-up.
func (p *personView) Init() tea.Cmd {
	svc, ctx, id := p.c.Services.People, p.c.Ctx, p.id
	if svc == nil {
		return nil
	}
	return func() tea.Msg {
		page, err := svc.OpenPerson(ctx, id)
		return openedMsg{to: p, page: page, err: err}
	}
}

func (p *personView) take(msg openedMsg) tea.Cmd {
	if msg.err != nil {
		return func() tea.Msg { return common.ErrorMsg{Err: msg.err} }
	}
	p.page = msg.page
	cmds := []tea.Cmd{p.ident.Init()}
	for s, sec := range msg.page.Sections {
		p.rows[s], p.counts[s], p.primed[s] = sec.Entries, sec.Count, true
		cmds = append(cmds, p.secs[s].Init())
	}
	return tea.Batch(cmds...)
}

func (p *personView) loadIdentity() listview.Read[*fieldRow] {
	if p.page == nil {
		return nil
	}
	rows := p.identityRows()
	return func(context.Context) ([]*fieldRow, func(), error) { return rows, nil, nil }
}

func (p *personView) date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02")
}

// deathOutcomes are the words of a death check's outcomes.
var deathOutcomes = map[domain.DeathCheckOutcome]string{
	domain.DeathChecked: "tui.ppl.v.death.checked", domain.DeathDeceased: "tui.ppl.v.death.deceased",
	domain.DeathNotFound: "tui.ppl.v.death.not_found", domain.DeathStale: "tui.ppl.v.death.stale",
}

func (p *personView) identityRows() []*fieldRow {
	pg, c := p.page, p.c
	id := pg.Identity
	code := id.MaskedCode
	if p.revealed != "" {
		code = p.revealed
	}
	var rows []*fieldRow
	add := func(label, value string) {
		rows = append(rows, &fieldRow{id: int64(len(rows) + 1), label: label, value: value})
	}
	add("tui.ppl.f.name", strings.TrimSpace(id.FirstName+" "+id.LastName))
	add("tui.ppl.f.code", code)
	add("tui.ppl.f.number", "#"+strconv.FormatInt(id.ID, 10))
	if a := pg.Account; a != nil {
		add("tui.ppl.f.account", "#"+strconv.FormatInt(a.UserID, 10)+" "+a.Kind)
		add("tui.ppl.f.account_email", a.Email)
		state := c.T("tui.ppl.v.sign_in_allowed")
		if a.SignInDenied {
			state = c.T("tui.ppl.v.sign_in_denied")
		}
		add("tui.ppl.f.sign_in", state)
	} else {
		add("tui.ppl.f.account", c.T("tui.ppl.v.no_account"))
	}
	for _, a := range pg.Addresses {
		add("tui.ppl.f.address", a)
	}
	add("tui.ppl.f.death_last", p.date(id.LastDeathCheck))
	add("tui.ppl.f.death_due", p.date(id.DeathCheckDue))
	if id.DeathOutcome != "" {
		add("tui.ppl.f.death_outcome", c.Named(deathOutcomes[domain.DeathCheckOutcome(id.DeathOutcome)], id.DeathOutcome))
	}
	if !id.DeceasedOn.IsZero() {
		add("tui.ppl.f.deceased", p.date(id.DeceasedOn))
	}
	return rows
}

// sectionSpec is the list of one section.
func (p *personView) sectionSpec(s domain.PersonSection) listview.Spec[entry] {
	c := p.c
	spec := listview.Spec[entry]{
		Allowed: domain.MayUsePeople, RoleOnly: "tui.ppl.role_only", None: "tui.ppl.section_none",
		ID:   func(e entry) int64 { return e.ID },
		Load: func() listview.Read[entry] { return p.loadSection(s) }, Above: p.above,
		Columns: []listview.Column[entry]{
			{Title: "tui.ppl.col.at", Min: 10, Cell: func(e entry) string { return p.date(e.At) }},
			{Title: "tui.ppl.col.what", Min: 12, Weight: 1, Cell: func(e entry) string { return p.what(e) }},
			{Title: "tui.ppl.col.state", Min: 10, Cell: func(e entry) string { return p.state(e) }},
			{Title: "tui.ppl.col.text", Min: 12, Weight: 2, Cell: func(e entry) string { return p.text(e) }},
			{Title: "tui.ppl.col.until", Min: 10, Cell: func(e entry) string {
				if e.Until.IsZero() {
					return ""
				}
				return p.date(e.Until)
			}},
		},
		Summary: func(e entry, ok bool, w int) []string {
			if !ok {
				return nil
			}
			var out []string
			if e.Section == domain.PersonChanges || e.Section == domain.PersonEmailAsked {
				// The addresses whole: the column cuts them.
				out = append(out, common.FitWidth(c.T("tui.ppl.change", e.Text), w))
			}
			if e.Note != "" {
				out = append(out, common.FitWidth(c.T("tui.ppl.note", e.Note), w))
			}
			switch {
			case e.By != "" && e.DecidedBy != "":
				out = append(out, common.FitWidth(c.T("tui.ppl.by_decided", e.By, e.DecidedBy), w))
			case e.By != "":
				out = append(out, common.FitWidth(c.T("tui.ppl.by", e.By), w))
			}
			if len(e.Effects) > 0 {
				out = append(out, common.FitWidth(c.T("tui.ppl.effects", p.effects(e.Effects)), w))
			}
			return out
		},
		SummaryLines: 4,
		Actions:      p.sectionActions(s),
		Keys: append(p.tabKeys(), listview.Key{Keys: []string{"m"}, Help: "tui.ppl.key.more",
			Shown: func() bool { return len(p.rows[s]) < p.counts[s] }, Run: func() tea.Cmd { return p.more(s) }}),
	}
	if s == domain.PersonDenials {
		spec.Topic = domain.TopicDenial
	}
	return spec
}

// loadSection returns the rows read with the page once; after that (an
// action, r, a change) it reads the section's first page again.
func (p *personView) loadSection(s domain.PersonSection) listview.Read[entry] {
	svc, id := p.c.Services.People, p.id
	if p.page == nil || svc == nil {
		return nil
	}
	if p.primed[s] {
		rows := slices.Clone(p.rows[s])
		return func(context.Context) ([]entry, func(), error) { return rows, func() { p.primed[s] = false }, nil }
	}
	return func(ctx context.Context) ([]entry, func(), error) {
		// Read again from the top: after an action, r, or a change.
		page, err := svc.PersonSectionAfter(ctx, id, s, domain.PersonCursor{})
		if err != nil {
			return nil, nil, err
		}
		return page.Entries, func() { p.rows[s], p.counts[s] = page.Entries, page.Count }, nil
	}
}

// more reads the section's next page and shows it under what is shown.
func (p *personView) more(s domain.PersonSection) tea.Cmd {
	svc, ctx, id, rows := p.c.Services.People, p.c.Ctx, p.id, p.rows[s]
	if svc == nil || len(rows) == 0 {
		return nil
	}
	after := domain.CursorAfter(rows[len(rows)-1])
	return func() tea.Msg {
		page, err := svc.PersonSectionAfter(ctx, id, s, after)
		return moreMsg{to: p, section: s, page: page, err: err}
	}
}

func (p *personView) takeMore(msg moreMsg) tea.Cmd {
	if msg.err != nil {
		return func() tea.Msg { return common.ErrorMsg{Err: msg.err} }
	}
	p.rows[msg.section] = append(p.rows[msg.section], msg.page.Entries...)
	p.counts[msg.section] = msg.page.Count
	p.primed[msg.section] = true
	return p.secs[msg.section].Reload()
}

// what is an entry's kind in words: the catalog's, where it has them.
func (p *personView) what(e entry) string {
	c := p.c
	switch e.Section {
	case domain.PersonRoles:
		return c.Named("tui.prole."+e.Kind, e.Kind)
	case domain.PersonRequests:
		return c.Named("tui.rr.kind."+e.Kind, e.Kind)
	case domain.PersonIMK:
		if e.Kind == "" {
			return ""
		}
		return c.Named("tui.imk.outcome."+e.Kind, e.Kind)
	case domain.PersonDenials:
		return "¶" + e.Kind
	case domain.PersonTickets:
		return c.Named("tui.hd.cat."+e.Kind, e.Kind)
	case domain.PersonTerms:
		return c.T("tui.ppl.v.terms_version", e.Kind)
	case domain.PersonSignIns:
		return c.Named("tui.ppl.signin."+e.Kind, e.Kind)
	}
	return e.Kind
}

// effects is a denial's effects in words: "role suspended (2), IMK
// suspended" for the stored "assignment×2", "imk".
func (p *personView) effects(stored []string) string {
	words := make([]string, 0, len(stored))
	for _, s := range stored {
		kind, count, many := strings.Cut(s, "×")
		word := p.c.Named("tui.ppl.effect."+kind, kind)
		if n, err := strconv.Atoi(count); many && err == nil {
			word = p.c.T("tui.ppl.effect.count", word, n)
		}
		words = append(words, word)
	}
	return strings.Join(words, ", ")
}

var roleStates = map[string]string{"running": "tui.ppl.v.running", "ended": "tui.ppl.v.ended", "suspended": "tui.ppl.v.suspended"}

// emailAskedStates are the words of an e-mail change request's states.
var emailAskedStates = map[string]string{
	domain.EmailChangePending: "tui.ppl.v.ec_pending", domain.EmailChangeApproved: "tui.ppl.v.ec_approved",
	domain.EmailChangeRefused: "tui.ppl.v.ec_refused", domain.EmailChangeExpired: "tui.ppl.v.ec_expired",
}

func (p *personView) state(e entry) string {
	c := p.c
	switch e.Section {
	case domain.PersonRoles:
		return c.T(roleStates[e.State])
	case domain.PersonRequests:
		return c.Named("tui.rr.state."+e.State, e.State)
	case domain.PersonIMK:
		return c.Named("tui.imk.state."+e.State, e.State)
	case domain.PersonDenials:
		return c.Named("tui.den.state."+e.State, e.State)
	case domain.PersonTickets:
		return c.Named("tui.hd.state."+e.State, e.State)
	case domain.PersonEmailAsked:
		return c.Named(emailAskedStates[e.State], e.State)
	case domain.PersonChanges:
		if e.State == "approved" {
			return c.T("tui.ppl.v.change_approved")
		}
	}
	return e.State
}

func (p *personView) text(e entry) string {
	if e.Section == domain.PersonIMK && e.Text == "" {
		return e.Note
	}
	return e.Text
}

// current is the open tab's list.
func (p *personView) current() common.Page {
	if p.tab == 0 {
		return p.ident
	}
	return p.secs[domain.PersonSections[p.tab-1]]
}

func (p *personView) lists() []common.Page {
	out := []common.Page{p.ident}
	for _, s := range domain.PersonSections {
		out = append(out, p.secs[s])
	}
	return out
}

// tabKeys move between the tabs.
func (p *personView) tabKeys() []listview.Key {
	n := len(domain.PersonSections) + 1
	return []listview.Key{
		{Keys: []string{"right", "]"}, Help: "tui.ppl.key.next_tab", Run: func() tea.Cmd { p.tab = (p.tab + 1) % n; return clearStatus }},
		{Keys: []string{"left", "["}, Help: "tui.ppl.key.prev_tab", Run: func() tea.Cmd { p.tab = (p.tab + n - 1) % n; return clearStatus }},
	}
}

func clearStatus() tea.Msg { return common.StatusMsg{} }

// above is the page's head: who it is, then the tabs with their counts,
// scrolled so that the open one shows.
func (p *personView) above(w int) []string {
	c := p.c
	title := c.T("tui.ppl.loading")
	if p.page != nil {
		id := p.page.Identity
		title = c.T("tui.ppl.person_title", strings.TrimSpace(id.FirstName+" "+id.LastName), id.MaskedCode)
	}
	var tabs []string
	tabs = append(tabs, c.T("tui.ppl.tab.identity"))
	for _, s := range domain.PersonSections {
		tabs = append(tabs, c.T(tabKeys[s])+" "+c.Num(int64(p.counts[s])))
	}
	// Drop tabs from the left until the open one fits.
	start := 0
	for start < p.tab && ansi.StringWidth(strings.Join(tabs[start:p.tab+1], " │ ")) > w-2 {
		start++
	}
	var parts []string
	for i := start; i < len(tabs); i++ {
		t := tabs[i]
		if i == p.tab {
			t = c.Styles.Title.Render("[" + t + "]")
		}
		parts = append(parts, t)
	}
	bar := strings.Join(parts, " │ ")
	if start > 0 {
		bar = "… " + bar
	}
	out := []string{common.FitWidth(c.Styles.Title.Render(title), w), common.FitWidth(bar, w)}
	if p.tab > 0 {
		s := domain.PersonSections[p.tab-1]
		out = append(out, common.FitWidth(c.T("tui.ppl.shown", c.Num(int64(len(p.rows[s]))), c.Num(int64(p.counts[s]))), w))
	}
	return out
}

// SetSize lays every tab out.
func (p *personView) SetSize(w, h int) {
	for _, l := range p.lists() {
		l.SetSize(w, h)
	}
}

// Typing reports whether a field of the open tab has the keyboard.
func (p *personView) Typing() bool { return p.current().Typing() }

// Update sends keys to the open tab, and everything else to every tab.
func (p *personView) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case openedMsg:
		if msg.to == p {
			return p.take(msg)
		}
		return nil
	case moreMsg:
		if msg.to == p {
			return p.takeMore(msg)
		}
		return nil
	case revealedMsg:
		if msg.to == p {
			p.revealed = msg.code
			return p.ident.Reload()
		}
		return nil
	case reloadMsg:
		if msg.to == p {
			return p.secs[msg.section].Reload()
		}
		return nil
	case tea.KeyMsg:
		return p.current().Update(msg)
	}
	var cmds []tea.Cmd
	for _, l := range p.lists() {
		cmds = append(cmds, l.Update(msg))
	}
	return tea.Batch(cmds...)
}

// View renders the open tab.
func (p *personView) View() string { return p.current().View() }

// ShortHelp returns the open tab's keys.
func (p *personView) ShortHelp() []key.Binding { return p.current().ShortHelp() }

// FullHelp returns every key of the open tab.
func (p *personView) FullHelp() [][]key.Binding { return p.current().FullHelp() }
