// Package institutions is the institutions screen (issue 17): the list
// of education institutions, searched by a part of the name, the company
// registration number or the institution number (exact, validated as the
// registers write them) and filtered by state, keyset paged; and one
// institution's page — its details, editable by a reviewer with a reason
// and kept as history (¶17.2), its staff users and career consultants
// with their roles, the requests waiting for its decision (¶29.3), the
// documents it registered with (viewable in the terminal: text drawn
// plain, PNG/JPEG/GIF in half blocks, bounded before decoding) and the
// denials of its access (¶32). The list is a listview.Spec; the page's
// sections are the Sections table, which later parts of issue 17 extend.
package institutions

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

type inst = *domain.Institution

// Section is one titled block of an institution's page. Lines returns
// its lines for page p in w cells; stored values in them must be made
// plain (through c.T, c.Fields, common.Show). nil lines: the section is
// left out.
type Section struct {
	Title string // catalog key
	Lines func(c *common.Common, p *domain.InstitutionPage, w int) []string
}

// Sections are the page's sections in order, under the details. The
// re-verification state and the sanctions of issue 17 are appended here.
var Sections = []Section{
	{Title: "tui.ins.sec.history", Lines: historyLines},
	{Title: "tui.ins.sec.members", Lines: memberLines},
	{Title: "tui.ins.sec.waiting", Lines: waitingLines},
	{Title: "tui.ins.sec.documents", Lines: documentLines},
	{Title: "tui.ins.sec.denials", Lines: denialLines},
	{Title: "tui.ins.sec.reverify", Lines: reverifyLines},
	{Title: "tui.ins.sec.sanctions", Lines: sanctionLines},
}

// searchKinds are what the search form looks by.
var searchKinds = []string{"name", "company", "education"}

// stateFilters are the steps of the state filter: any, then each state.
var stateFilters = append([]domain.InstitutionState{""}, domain.InstitutionStates...)

// dueFilters are the steps of the re-verification filter, in days from
// today by which it falls due: any (-1), due within 30 days, overdue.
var dueFilters = []int{-1, 30, 0}

// dueSoon is the re-verification filter's "soon", in days.
const dueSoon = 30

// pageMsg carries an institution's page.
type pageMsg struct {
	to   *Model
	gen  int
	id   int64
	page *domain.InstitutionPage
	err  error
}

// docMsg carries a document opened to be viewed.
type docMsg struct {
	to  *Model
	doc *domain.DocumentView
}

// Model is the institutions page.
type Model struct {
	c    *common.Common
	list *listview.Model[inst]

	// The search, the state filter and the page of the list.
	search      domain.InstitutionFilter // Name, CompanyRegNumber or EducationRegNumber
	state       int                      // index into stateFilters
	due         int                      // index into dueFilters
	after       []domain.InstitutionFilter
	more        bool
	searchDraft form.Draft

	// The open institution's page.
	page *domain.InstitutionPage
	gen  int

	// The document being viewed; nil: none.
	doc    *domain.DocumentView
	docTop int
}

// New returns the page; it reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	m.list = listview.New(c, m.spec())
	return m
}

func sees(op *domain.Operator) bool {
	return domain.InstitutionAllows(op, domain.InstitutionActView) == nil
}

func (m *Model) spec() listview.Spec[inst] {
	c := m.c
	return listview.Spec[inst]{
		Allowed:   sees,
		RoleOnly:  "tui.ins.role_only",
		None:      "tui.ins.none",
		NoService: "tui.ins.no_service",
		Topic:     domain.TopicInstitution,
		ID:        func(i inst) int64 { return i.ID },
		Version:   func(i inst) int64 { return i.Version },
		Load: func() listview.Read[inst] {
			svc := c.Services.Institutions
			if svc == nil {
				return nil
			}
			f := m.filter()
			return func(ctx context.Context) ([]inst, func(), error) {
				rows, err := svc.ListInstitutions(ctx, f)
				more := len(rows) > domain.InstitutionPageSize
				if more {
					rows = rows[:domain.InstitutionPageSize]
				}
				return rows, func() { m.more = more }, err
			}
		},
		Columns: []listview.Column[inst]{
			{Title: "tui.ins.col.name", Min: 20, Weight: 3, Cell: func(i inst) string { return i.Name }},
			{Title: "tui.ins.col.company", Min: 11, Cell: func(i inst) string { return i.CompanyRegNumber }},
			{Title: "tui.ins.col.education", Min: 10, Cell: func(i inst) string { return i.EducationRegNumber }},
			{Title: "tui.ins.col.state", Min: 9, Weight: 1, Cell: func(i inst) string { return m.stateName(i.State) }},
		},
		Above:        func(w int) []string { return []string{m.filterLine(w)} },
		Summary:      m.summary,
		SummaryLines: 3,
		Detail:       m.detail,
		OpenHelp:     "tui.ins.key.open",
		Opened:       m.pageCmd,
		Actions:      []*listview.Action[inst]{m.searchAction(), m.editAction(), m.documentAction()},
		Keys:         m.listKeys(),
	}
}

func (m *Model) stateName(s domain.InstitutionState) string {
	return m.c.Named("tui.ins.state."+string(s), string(s))
}

// filter is the list's filter for the current page, one more row than a
// page to tell whether another follows.
func (m *Model) filter() domain.InstitutionFilter {
	f := m.search
	f.Limit = domain.InstitutionPageSize + 1
	if st := stateFilters[m.state]; st != "" {
		f.States = []domain.InstitutionState{st}
	}
	if days := dueFilters[m.due]; days >= 0 {
		f.ReverifyDueBy = m.c.Clock().AddDate(0, 0, days)
	}
	if n := len(m.after); n > 0 {
		f.AfterName, f.AfterID = m.after[n-1].AfterName, m.after[n-1].AfterID
	}
	return f
}

// listKeys filter by state, clear the search and turn the pages.
func (m *Model) listKeys() []listview.Key {
	return []listview.Key{
		{Keys: []string{"s"}, Help: "tui.ins.key.state", Run: func() tea.Cmd {
			m.state = (m.state + 1) % len(stateFilters)
			m.after = nil
			return m.list.Reset()
		}},
		{Keys: []string{"v"}, Help: "tui.ins.key.due", Run: func() tea.Cmd {
			m.due = (m.due + 1) % len(dueFilters)
			m.after = nil
			return m.list.Reset()
		}},
		{Keys: []string{"c"}, Help: "tui.ins.key.clear", Shown: m.searching, Run: func() tea.Cmd {
			m.search, m.after, m.searchDraft = domain.InstitutionFilter{}, nil, nil
			return m.list.Reset()
		}},
		{Keys: []string{"]"}, Help: "tui.ins.key.next_page", Shown: func() bool { return m.more && len(m.list.Rows()) > 0 },
			Run: func() tea.Cmd {
				rows := m.list.Rows()
				last := rows[len(rows)-1]
				m.after = append(m.after, domain.InstitutionFilter{AfterName: last.Name, AfterID: last.ID})
				return m.list.Reset()
			}},
		{Keys: []string{"["}, Help: "tui.ins.key.prev_page", Shown: func() bool { return len(m.after) > 0 },
			Run: func() tea.Cmd {
				m.after = m.after[:len(m.after)-1]
				return m.list.Reset()
			}},
	}
}

func (m *Model) searching() bool {
	return m.search.Name != "" || m.search.CompanyRegNumber != "" || m.search.EducationRegNumber != ""
}

// The search form's fields.
const (
	fBy   = "by"
	fText = "text"
)

// searchAction asks what to look for; a registration number is checked
// as the registers write it and what is wrong is said under the field.
func (m *Model) searchAction() *listview.Action[inst] {
	return &listview.Action[inst]{
		Keys: []string{"/"}, Help: "tui.ins.key.search", Free: true,
		Form: func(inst) *form.Model {
			f := form.New(m.c, "tui.ins.search_title", nil,
				form.Field{ID: fBy, Label: "tui.ins.field.by", Kind: form.Choice, Options: searchKinds, OptionKey: "tui.ins.by."},
				form.Field{ID: fText, Label: "tui.ins.field.text", Hint: "tui.ins.hint.text", Limit: domain.InstitutionSearchMax, Required: "tui.ins.text_required"},
			).WithSave("tui.ins.key.find")
			f.Restore(m.searchDraft)
			return f
		},
		Submit: func(f *form.Model, _ inst) listview.Send {
			if !f.Check() {
				return nil
			}
			var s domain.InstitutionFilter
			switch text := f.Value(fText); f.Value(fBy) {
			case "company":
				s.CompanyRegNumber = text
			case "education":
				s.EducationRegNumber = text
			default:
				s.Name = text
			}
			if err := s.Validate(); err != nil {
				f.AddProblem(fText, domain.AsError(err).Key, domain.AsError(err).Args...)
				return nil
			}
			s.Limit = 0
			m.search, m.after, m.searchDraft = s, nil, f.Draft()
			return func(context.Context) (tea.Cmd, error) { return clearStatus, nil }
		},
	}
}

// The edit form's fields: the details, by their domain names, and the
// reason.
var editFields = []struct{ id, label string }{
	{domain.InstitutionFieldName, "tui.ins.field.name"},
	{domain.InstitutionFieldCompanyRegNumber, "tui.ins.field.company"},
	{domain.InstitutionFieldEducationRegNumber, "tui.ins.field.education"},
	{domain.InstitutionFieldEmail, "tui.ins.field.email"},
	{domain.InstitutionFieldPhone, "tui.ins.field.phone"},
	{domain.InstitutionFieldAddress, "tui.ins.field.address"},
}

// editAction changes the open institution's details with a reason
// (¶17.2); only a reviewer is offered it (domain.InstitutionAllows).
func (m *Model) editAction() *listview.Action[inst] {
	return &listview.Action[inst]{
		Keys: []string{"e"}, Help: "tui.ins.key.edit", Detail: true, Keep: true,
		Rule: func(inst) error { return domain.InstitutionAllows(m.c.Operator, domain.InstitutionActEdit) },
		Form: func(i inst) *form.Model {
			var fields []form.Field
			for _, ef := range editFields {
				fields = append(fields, form.Field{ID: ef.id, Label: ef.label, Limit: domain.InstitutionNameMaxLength})
			}
			fields = append(fields, form.Field{ID: domain.InstitutionFieldReason, Label: "tui.ins.field.reason",
				Limit: domain.InstitutionReasonMaxLength, Required: "tui.ins.reason_required"})
			f := form.New(m.c, "tui.ins.edit_title", []any{i.Name}, fields...).WithSave("tui.ins.key.save")
			e := i.EditOf()
			for id, v := range map[string]string{
				domain.InstitutionFieldName: e.Name, domain.InstitutionFieldCompanyRegNumber: e.CompanyRegNumber,
				domain.InstitutionFieldEducationRegNumber: e.EducationRegNumber, domain.InstitutionFieldEmail: e.Email,
				domain.InstitutionFieldPhone: e.Phone, domain.InstitutionFieldAddress: e.Address,
			} {
				f.SetValue(id, v)
			}
			f.SetNote("tui.ins.edit_note")
			return f
		},
		Submit: func(f *form.Model, i inst) listview.Send {
			e := domain.InstitutionEdit{
				Name: f.Value(domain.InstitutionFieldName), CompanyRegNumber: f.Value(domain.InstitutionFieldCompanyRegNumber),
				EducationRegNumber: f.Value(domain.InstitutionFieldEducationRegNumber), Email: f.Value(domain.InstitutionFieldEmail),
				Phone: f.Value(domain.InstitutionFieldPhone), Address: f.Value(domain.InstitutionFieldAddress),
			}
			ok := f.Check()
			if err := e.Validate(); err != nil {
				for _, p := range domain.AsError(err).Problems {
					f.AddProblem(p.Field, p.Key, p.Args...)
				}
				ok = false
			}
			if !ok {
				return nil
			}
			svc, id, version, reason := m.c.Services.Institutions, i.ID, i.Version, f.Value(domain.InstitutionFieldReason)
			return listview.Call(func(ctx context.Context) error {
				_, err := svc.EditInstitution(ctx, id, version, e, reason)
				return err
			})
		},
		Done: "tui.ins.done.edited",
	}
}

// fDocument is the document form's field: a document's number, as the
// page lists it.
const fDocument = "document"

// documentAction opens a document of the open institution's page.
func (m *Model) documentAction() *listview.Action[inst] {
	return &listview.Action[inst]{
		Keys: []string{"d"}, Help: "tui.ins.key.document", Detail: true,
		Rule: func(i inst) error {
			if p := m.page; p == nil || p.Institution.ID != i.ID || len(p.Documents) == 0 {
				return domain.Errorf(domain.EINVALID, "tui.ins.why.no_documents", "the institution has no documents")
			}
			return nil
		},
		Form: func(inst) *form.Model {
			f := form.New(m.c, "tui.ins.document_title", nil,
				form.Field{ID: fDocument, Label: "tui.ins.field.document", Limit: 19, Required: "tui.ins.document_required"})
			f.SetValue(fDocument, strconv.FormatInt(m.page.Documents[0].ID, 10))
			return f
		},
		Submit: func(f *form.Model, _ inst) listview.Send {
			id, err := strconv.ParseInt(strings.TrimPrefix(f.Value(fDocument), "#"), 10, 64)
			if !f.Check() {
				return nil
			}
			if err != nil || !m.hasDocument(id) {
				f.AddProblem(fDocument, "tui.ins.document_unknown")
				return nil
			}
			svc := m.c.Services.Institutions
			return func(ctx context.Context) (tea.Cmd, error) {
				d, err := svc.OpenInstitutionDocument(ctx, id)
				if err != nil {
					return nil, err
				}
				return func() tea.Msg { return docMsg{to: m, doc: d} }, nil
			}
		},
	}
}

func (m *Model) hasDocument(id int64) bool {
	if m.page == nil {
		return false
	}
	for _, d := range m.page.Documents {
		if d.ID == id {
			return true
		}
	}
	return false
}

func clearStatus() tea.Msg { return common.StatusMsg{} }

// pageCmd reads the page of institution i, open in the detail.
func (m *Model) pageCmd(i inst) tea.Cmd {
	svc := m.c.Services.Institutions
	if svc == nil {
		return nil
	}
	m.gen++
	gen, ctx, id := m.gen, m.c.Ctx, i.ID
	return func() tea.Msg {
		p, err := svc.InstitutionPage(ctx, id)
		return pageMsg{to: m, gen: gen, id: id, page: p, err: err}
	}
}

// Init loads the list.
func (m *Model) Init() tea.Cmd { return m.list.Init() }

// SetSize lays the page out.
func (m *Model) SetSize(width, height int) { m.list.SetSize(width, height) }

// Typing reports whether a field has the keyboard.
func (m *Model) Typing() bool { return m.list.Typing() }

// Update handles the page's messages; while a document is viewed, its
// keys are the viewer's.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pageMsg:
		if msg.to == m && msg.gen == m.gen {
			if msg.err != nil {
				return func() tea.Msg { return common.ErrorMsg{Err: msg.err} }
			}
			m.page = msg.page
		}
		return nil
	case docMsg:
		if msg.to == m {
			m.doc, m.docTop = msg.doc, 0
		}
		return nil
	case tea.KeyMsg:
		if m.doc != nil {
			return m.updateDoc(msg)
		}
	}
	return m.list.Update(msg)
}

func (m *Model) updateDoc(msg tea.KeyMsg) tea.Cmd {
	switch msg.String() {
	case "esc", "q":
		m.doc = nil
	case "up", "k":
		m.docTop = max(m.docTop-1, 0)
	case "down", "j":
		m.docTop++
	case "pgup":
		m.docTop = max(m.docTop-m.c.Height+2, 0)
	case "pgdown", " ":
		m.docTop += max(m.c.Height-2, 1)
	}
	return nil
}

// View renders the list, the open page or the document viewed.
func (m *Model) View() string {
	if m.doc != nil {
		return m.docView(m.c.Width, m.c.Height)
	}
	return m.list.View()
}

// docKeys are the viewer's keys.
func (m *Model) docKeys() []key.Binding {
	c := m.c
	return []key.Binding{
		key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("tui.key.back"))),
		key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", c.T("tui.ins.key.scroll"))),
	}
}

// ShortHelp returns the keys for the footer.
func (m *Model) ShortHelp() []key.Binding {
	if m.doc != nil {
		return m.docKeys()
	}
	return m.list.ShortHelp()
}

// FullHelp returns every key for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	if m.doc != nil {
		return [][]key.Binding{m.docKeys()}
	}
	return m.list.FullHelp()
}

// filterLine says the search, the state filter and the page.
func (m *Model) filterLine(w int) string {
	c, st := m.c, m.c.Styles
	state := c.T("tui.ins.filter.any")
	if s := stateFilters[m.state]; s != "" {
		state = m.stateName(s)
	}
	search := c.T("tui.ins.search.none")
	switch {
	case m.search.Name != "":
		search = c.T("tui.ins.search.name", m.search.Name)
	case m.search.CompanyRegNumber != "":
		search = c.T("tui.ins.search.company", m.search.CompanyRegNumber)
	case m.search.EducationRegNumber != "":
		search = c.T("tui.ins.search.education", m.search.EducationRegNumber)
	}
	page := ""
	if len(m.after) > 0 || m.more {
		page = c.T("tui.ins.page", len(m.after)+1)
	}
	filters := c.T("tui.ins.filters", search, state)
	switch dueFilters[m.due] {
	case dueSoon:
		filters += " · " + c.T("tui.ins.filter.due_soon", dueSoon)
	case 0:
		filters += " · " + c.T("tui.ins.filter.overdue")
	}
	return common.SpreadLine(st.Muted.Render(filters), st.Muted.Render(page), w)
}

// summary describes the selected institution under the list.
func (m *Model) summary(i inst, ok bool, w int) []string {
	if !ok {
		return nil
	}
	c := m.c
	return []string{
		ansi.Truncate(c.T("tui.ins.sum.head", i.ID, i.Name), w, "…"),
		ansi.Truncate(c.T("tui.ins.sum.contact", common.OrDash(i.Email), common.OrDash(i.Phone)), w, "…"),
	}
}

// detail renders the open institution: its details, then each section
// of Sections once the page is read.
func (m *Model) detail(i inst, w int) (head, body []string) {
	c, st := m.c, m.c.Styles
	head = []string{st.Title.Render(ansi.Truncate(c.T("tui.ins.title", i.ID, i.Name), w, "…"))}
	p := m.page
	if p == nil || p.Institution.ID != i.ID {
		return head, []string{st.Muted.Render(c.T("tui.loading"))}
	}
	d := p.Institution
	body = append(body, c.Section(w, c.T("tui.ins.sec.details"), []common.Field{
		{Label: "tui.ins.field.name", Value: d.Name},
		{Label: "tui.ins.field.company", Value: d.CompanyRegNumber},
		{Label: "tui.ins.field.education", Value: d.EducationRegNumber},
		{Label: "tui.ins.field.email", Value: d.Email},
		{Label: "tui.ins.field.phone", Value: common.OrDash(d.Phone)},
		{Label: "tui.ins.field.address", Value: common.OrDash(d.Address)},
		{Label: "tui.ins.field.state", Value: m.stateName(d.State)},
		{Label: "tui.ins.field.version", Value: strconv.FormatInt(d.Version, 10)},
	}, nil, 2))
	for _, s := range Sections {
		lines := s.Lines(c, p, w)
		if lines == nil {
			continue
		}
		body = append(body, "", c.Section(w, c.T(s.Title), nil, lines, 4))
	}
	return head, strings.Split(strings.Join(body, "\n"), "\n")
}

// day is a date as the page shows it.
func day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02")
}

// moment is a date and time as the page shows it.
func moment(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func fieldName(c *common.Common, f string) string { return c.Named("tui.ins.change."+f, f) }

func historyLines(c *common.Common, p *domain.InstitutionPage, _ int) []string {
	if len(p.Changes) == 0 {
		return []string{"  " + c.T("tui.ins.history_none")}
	}
	var out []string
	for _, ch := range p.Changes {
		who := ch.OperatorName
		if ch.Source != domain.ChangeByOperator {
			who = c.Named("tui.ins.source."+string(ch.Source), string(ch.Source))
		}
		out = append(out, "  "+c.T("tui.ins.change", moment(ch.ChangedAt), fieldName(c, ch.Field),
			common.OrDash(ch.OldValue), common.OrDash(ch.NewValue), who, ch.Reason))
	}
	return out
}

func memberLines(c *common.Common, p *domain.InstitutionPage, _ int) []string {
	if len(p.Members) == 0 {
		return []string{"  " + c.T("tui.ins.members_none")}
	}
	var out []string
	for _, u := range p.Members {
		var roles []string
		for _, r := range u.Roles {
			roles = append(roles, c.T("tui.ins.member_role", c.Named("tui.ins.role."+r.Role, r.Role), day(r.ValidUntil)))
		}
		if len(roles) == 0 {
			roles = []string{c.T("tui.ins.no_roles")}
		}
		line := c.T("tui.ins.member", u.UserID, u.Name, u.Email, strings.Join(roles, ", "))
		if u.Denied {
			line += " " + c.T("tui.ins.member_denied")
		}
		out = append(out, "  "+line)
	}
	return out
}

func waitingLines(c *common.Common, p *domain.InstitutionPage, _ int) []string {
	if len(p.Waiting) == 0 {
		return []string{"  " + c.T("tui.ins.waiting_none")}
	}
	var out []string
	for _, r := range p.Waiting {
		line := c.T("tui.ins.waiting", r.RequestID, r.Applicant, day(r.Since), day(r.TakeOverFrom))
		if !r.RemindedAt.IsZero() {
			line += " " + c.T("tui.ins.reminded", day(r.RemindedAt))
		}
		out = append(out, "  "+line)
	}
	return out
}

func documentLines(c *common.Common, p *domain.InstitutionPage, _ int) []string {
	if len(p.Documents) == 0 {
		return []string{"  " + c.T("tui.ins.documents_none")}
	}
	var out []string
	for _, d := range p.Documents {
		line := c.T("tui.ins.document", d.ID, d.Name, d.MediaType, c.Num(d.Size), d.RequestID, d.Position)
		if !d.Stored {
			line += " " + c.T("tui.ins.document_not_kept")
		}
		out = append(out, "  "+line)
	}
	return append(out, "  "+c.T("tui.ins.documents_keys"))
}

func denialLines(c *common.Common, p *domain.InstitutionPage, _ int) []string {
	if len(p.Denials) == 0 {
		return []string{"  " + c.T("tui.ins.denials_none")}
	}
	var out []string
	for _, d := range p.Denials {
		out = append(out, "  "+c.T("tui.ins.denial", d.ID, c.Named("tui.den.state."+string(d.State), string(d.State)),
			"¶"+string(d.Ground), day(d.RaisedAt), d.Note))
	}
	return out
}

// reverifyLines shows the institution's place in the re-verification
// cycle and its item waiting or escalated, with the differences found
// and, escalated, the sanction case it went to.
func reverifyLines(c *common.Common, p *domain.InstitutionPage, _ int) []string {
	rv := p.Reverification
	out := []string{"  " + c.T("tui.ins.reverify_when", day(rv.ReverifiedAt), day(rv.DueAt))}
	if r := rv.Item; r != nil {
		diffs := make([]string, len(r.Differences))
		for n, d := range r.Differences {
			diffs[n] = c.Named("tui.rv.diff."+string(d), string(d))
		}
		line := c.T("tui.ins.reverify_item", r.ID, c.Named("tui.rv.state."+string(r.State), string(r.State)),
			day(r.CreatedAt), strings.Join(diffs, ", "))
		if r.SanctionCaseID != 0 {
			line += " " + c.T("tui.ins.reverify_case", r.SanctionCaseID)
		}
		out = append(out, "  "+line)
	}
	return out
}

// sanctionLines shows the institution's sanction cases: state, current
// step, clause, opened, and the step in force with its end.
func sanctionLines(c *common.Common, p *domain.InstitutionPage, _ int) []string {
	if len(p.Sanctions) == 0 {
		return []string{"  " + c.T("tui.ins.sanctions_none")}
	}
	var out []string
	for _, k := range p.Sanctions {
		step := "—"
		if k.Current != "" {
			step = c.Named("tui.san.step."+string(k.Current), string(k.Current))
		}
		line := c.T("tui.ins.sanction", k.ID, c.Named("tui.san.state."+string(k.State), string(k.State)), step,
			"¶"+string(k.Clause), day(k.OpenedAt))
		if st := k.InForce(); st != nil {
			if st.Until.IsZero() {
				line += " " + c.T("tui.ins.sanction_in_force", c.Named("tui.san.step."+string(st.Kind), string(st.Kind)))
			} else {
				line += " " + c.T("tui.ins.sanction_until", c.Named("tui.san.step."+string(st.Kind), string(st.Kind)), moment(st.Until))
			}
		}
		out = append(out, "  "+line)
	}
	return out
}

// docView shows the document viewed: its metadata, then its file as far
// as a terminal can show it — text drawn plain, an image in half blocks —
// or how to save it.
func (m *Model) docView(w, h int) string {
	c, st, d := m.c, m.c.Styles, m.doc
	head := []string{
		st.Title.Render(ansi.Truncate(c.T("tui.ins.doc.title", d.ID, d.Name), w, "…")),
		ansi.Truncate(c.T("tui.ins.doc.meta", d.MediaType, c.Num(d.Size), d.SHA256), w, "…"),
	}
	save := c.T("tui.ins.doc.save", d.RequestID, d.Position)
	var body []string
	switch {
	case d.Content == nil && !d.Stored:
		body = []string{c.T("tui.ins.doc.not_kept"), save}
	case d.Content == nil:
		body = []string{c.T("tui.ins.doc.too_large"), save}
	case isImage(d.MediaType):
		img, err := decodeBounded(d.MediaType, d.Content)
		if err != nil {
			body = []string{st.Error.Render(c.T("tui.ins.doc.image_refused")), save}
			break
		}
		b := img.Bounds()
		body = append([]string{c.T("tui.ins.doc.image", b.Dx(), b.Dy())}, halfBlocks(st.Renderer, img, w, max(h-len(head)-2, 1))...)
	case strings.HasPrefix(strings.ToLower(d.MediaType), "text/"):
		text := common.ShowText(string(d.Content))
		for _, l := range strings.Split(text, "\n") {
			body = append(body, strings.Split(common.WrapAtSpaces(l, max(w, 10)), "\n")...)
		}
	default:
		body = []string{c.T("tui.ins.doc.binary"), save}
	}
	room := max(h-len(head), 1)
	top := min(m.docTop, max(len(body)-room, 0))
	m.docTop = top
	end := min(top+room, len(body))
	return common.FitBlock(strings.Join(append(head, body[top:end]...), "\n"), w, h)
}
