// Package people is the screen "Personas" (issue 17): find a person by a
// whole personal code (either form), a name or an e-mail address — the
// results list masks codes — and open one page per person: identity
// (code masked; revealed with a reason), the account and every address,
// the ¶32.8 death check, and ten sections each paged on its own (roles,
// role requests, IMK, denials with their effects, helpdesk tickets, mail
// sent, Platform sign-ins, terms acceptances, account changes, e-mail
// change requests). Actions go through the services that own them, each
// with its own role check and reason: deny access (security; the subject
// is the person's account, picked from the page), lift a denial in force
// (security), extend or end a role (reviewer, ¶32.1).
//
// The sections are tabs (←/→), not one scrolling list: at 80×24 a tab
// gives a section 17 rows of a selectable table, on which its actions
// work, where a scrolling list of eleven sections would show one or two
// entries of each and need a second cursor for the actions.
package people

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// fQuery is the search form's field.
const fQuery = "query"

// queryLimit is the longest search text.
const queryLimit = 200

type match = *domain.PersonMatch

// Model is the people page: the search results, or a person's page.
type Model struct {
	c       *common.Common
	results *listview.Model[match]
	query   string
	person  *personView // nil: the results are shown
}

// New returns the page; it reads nothing until a search.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	spec := listview.Spec[match]{
		Allowed:   domain.MayUsePeople,
		RoleOnly:  "tui.ppl.role_only",
		NoService: "tui.ppl.no_service",
		None:      "tui.ppl.none",
		ID:        func(r match) int64 { return r.PersonID },
		Load:      m.search,
		Above: func(w int) []string {
			title := c.T("tui.ppl.title")
			if m.query != "" {
				title = c.T("tui.ppl.title_query", shownQuery(m.query))
			}
			return []string{common.FitWidth(c.Styles.Title.Render(title), w)}
		},
		Columns: []listview.Column[match]{
			{Title: "tui.ppl.col.code", Min: 13, Cell: func(r match) string { return r.MaskedCode }},
			{Title: "tui.ppl.col.name", Min: 16, Weight: 2, Cell: func(r match) string { return r.LastName + " " + r.FirstName }},
			{Title: "tui.ppl.col.email", Min: 14, Weight: 2, Cell: func(r match) string { return r.Email }},
			{Title: "tui.ppl.col.has", Min: 10, Cell: m.has},
		},
		Actions: []*listview.Action[match]{{
			Keys: []string{"/"}, Help: "tui.ppl.key.search", Free: true,
			Form: func(match) *form.Model {
				f := form.New(c, "tui.ppl.search_title", nil,
					form.Field{ID: fQuery, Label: "tui.ppl.field.query", Hint: "tui.ppl.hint.query", Limit: queryLimit}).
					WithSave("tui.ppl.key.find")
				f.SetValue(fQuery, m.query)
				return f
			},
			Submit: func(f *form.Model, _ match) listview.Send {
				q := strings.TrimSpace(f.Value(fQuery))
				if _, err := domain.ParsePersonQuery(q); err != nil {
					f.SetError(err)
					return nil
				}
				m.query = q
				return listview.Call(func(context.Context) error { return nil })
			},
		}},
		Keys: []listview.Key{{Keys: []string{"enter"}, Help: "tui.ppl.key.open", Shown: m.hasSelection, Run: m.open}},
	}
	spec.Bulk = m.bulkHook()
	m.results = listview.New(c, spec)
	return m
}

// shownQuery is the search as the title shows it: a personal code
// masked, as the list shows it, so that the whole code typed does not
// stay on the screen.
func shownQuery(q string) string {
	if _, ok := domain.ParseNumberSearch(q); ok {
		return domain.MaskPersonalCode(q)
	}
	return q
}

func (m *Model) hasSelection() bool { _, ok := m.results.Selected(); return ok }

func (m *Model) has(r match) string {
	var out []string
	if r.HasAccount {
		out = append(out, m.c.T("tui.ppl.has.account"))
	}
	if r.HasIMK {
		out = append(out, "IMK")
	}
	return strings.Join(out, ", ")
}

// search reads the results of the search typed; nothing before one.
func (m *Model) search() listview.Read[match] {
	svc, q := m.c.Services.People, m.query
	if svc == nil {
		return nil
	}
	return func(ctx context.Context) ([]match, func(), error) {
		if q == "" {
			return nil, nil, nil
		}
		rows, err := svc.SearchPersons(ctx, q)
		return rows, nil, err
	}
}

// open opens the selected person's page.
func (m *Model) open() tea.Cmd {
	r, ok := m.results.Selected()
	if !ok {
		return nil
	}
	m.person = newPersonView(m.c, r.PersonID)
	m.person.SetSize(m.c.Width, m.c.Height)
	return m.person.Init()
}

// Init shows the empty results; / opens the search (a form opened by
// itself would take tab and the digits from the screen's navigation).
func (m *Model) Init() tea.Cmd { return m.results.Init() }

// SetSize lays the page out.
func (m *Model) SetSize(w, h int) {
	m.results.SetSize(w, h)
	if m.person != nil {
		m.person.SetSize(w, h)
	}
}

// Typing reports whether a field has the keyboard.
func (m *Model) Typing() bool {
	if m.person != nil {
		return m.person.Typing()
	}
	return m.results.Typing()
}

// Update routes keys to the person's page while it is open (esc there
// goes back to the results), and every other message to both.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		if m.person == nil {
			return m.results.Update(msg)
		}
		if k.Type == tea.KeyEsc && !m.person.Typing() {
			m.person = nil
			return tea.Batch(func() tea.Msg { return common.StatusMsg{} }, m.results.Reload())
		}
		return m.person.Update(msg)
	}
	cmds := []tea.Cmd{m.results.Update(msg)}
	if m.person != nil {
		cmds = append(cmds, m.person.Update(msg))
	}
	return tea.Batch(cmds...)
}

// View renders the results or the person's page.
func (m *Model) View() string {
	if m.person != nil {
		return m.person.View()
	}
	return m.results.View()
}

// ShortHelp returns the keys of what is shown.
func (m *Model) ShortHelp() []key.Binding {
	if m.person != nil {
		return m.person.ShortHelp()
	}
	return m.results.ShortHelp()
}

// FullHelp returns every key of what is shown.
func (m *Model) FullHelp() [][]key.Binding {
	if m.person != nil {
		return m.person.FullHelp()
	}
	return m.results.FullHelp()
}
