// Package alerts is the security officers' list of open misuse alerts
// (issue 9, ¶18.4, ¶20): an operator who revealed too many full personal
// codes, or opened too many persons' records, in an hour. The officer
// sees the operator, the count, the threshold and the window, and closes
// an alert with a note (x). Beside it (m, and a back), the signals about
// applicants and providers (issue 18, misuse.go): one contact behind
// several persons, bursts of requests for one institution, many reset
// requests for one account, each with its evidence, closed with a note.
// Each view is a listview.Spec; the page shows one of them.
package alerts

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// Topic is the change-feed topic of alerts.
const Topic = domain.TopicAlert

const maxNote = 1000

// fNote is the note's field.
const fNote = "note"

// Model is the alerts page: the alerts about staff, or the misuse
// signals about applicants and providers.
type Model struct {
	staff    *listview.Model[*domain.Alert]
	misuse   *listview.Model[*domain.MisuseSignal]
	onMisuse bool
}

// viewMsg switches the page's view.
type viewMsg struct{ misuse bool }

func switchTo(misuse bool) func() tea.Cmd {
	return func() tea.Cmd { return func() tea.Msg { return viewMsg{misuse} } }
}

// New returns the page; it reads nothing until Init.
func New(c *common.Common) *Model {
	return &Model{staff: newStaff(c), misuse: newMisuse(c)}
}

func (m *Model) active() common.Page {
	if m.onMisuse {
		return m.misuse
	}
	return m.staff
}

// Init reads both views.
func (m *Model) Init() tea.Cmd { return tea.Batch(m.staff.Init(), m.misuse.Init()) }

// Update switches the view on its key, gives keys to the view shown and
// everything else (reads, the change feed) to both.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case viewMsg:
		m.onMisuse = msg.misuse
		return nil
	case tea.KeyMsg:
		return m.active().Update(msg)
	}
	return tea.Batch(m.staff.Update(msg), m.misuse.Update(msg))
}

// View draws the view shown.
func (m *Model) View() string { return m.active().View() }

// SetSize sizes both views.
func (m *Model) SetSize(width, height int) {
	m.staff.SetSize(width, height)
	m.misuse.SetSize(width, height)
}

// Typing reports whether the view shown has a field in focus.
func (m *Model) Typing() bool { return m.active().Typing() }

// ShortHelp is the view's.
func (m *Model) ShortHelp() []key.Binding { return m.active().ShortHelp() }

// FullHelp is the view's.
func (m *Model) FullHelp() [][]key.Binding { return m.active().FullHelp() }

func security(op *domain.Operator) bool { return op != nil && op.HasRole(domain.RoleSecurity) }

func newStaff(c *common.Common) *listview.Model[*domain.Alert] {
	s := screen{c}
	return listview.New(c, listview.Spec[*domain.Alert]{
		Allowed:  security,
		RoleOnly: "tui.al.security_only",
		Topic:    Topic,
		None:     "tui.al.none",
		ID:       func(a *domain.Alert) int64 { return a.ID },
		Load: listview.Reads(func() bool { return c.Services.Defence != nil }, func(ctx context.Context) ([]*domain.Alert, error) {
			return c.Services.Defence.OpenAlerts(ctx)
		}),
		Above: func(int) []string { return []string{c.Styles.Title.Render(c.T("tui.al.title"))} },
		Columns: []listview.Column[*domain.Alert]{
			{Title: "tui.al.col.operator", Min: 18, Weight: 2, Cell: func(a *domain.Alert) string { return a.OperatorName }},
			{Title: "tui.al.col.kind", Min: 23, Cell: func(a *domain.Alert) string { return s.kind(a.Kind) }},
			{Title: "tui.al.col.count", Min: 17, Cell: func(a *domain.Alert) string { return c.T("tui.al.count", a.Count, a.Threshold) }},
			{Title: "tui.al.col.window", Min: 11, Weight: 1, Cell: window},
		},
		Summary: func(a *domain.Alert, ok bool, w int) []string {
			if !ok {
				return nil
			}
			return []string{c.Styles.Muted.Render(common.WrapAtSpaces(c.T("tui.al.detail", s.detailArgs(a)...), w))}
		},
		SummaryLines: 5,
		Keys: []listview.Key{{Keys: []string{"m"}, Help: "tui.ms.key.view",
			Shown: func() bool { return c.Services.Misuse != nil }, Run: switchTo(true)}},
		Actions: []*listview.Action[*domain.Alert]{{
			Keys: []string{"x"}, Help: "tui.al.key.close",
			Form: func(a *domain.Alert) *form.Model {
				return form.New(c, "tui.al.close_title", []any{a.ID},
					form.Field{ID: fNote, Label: "tui.al.note", Hint: "tui.al.hint.note", Limit: maxNote, Required: "tui.al.note_required"}).
					WithSave("tui.al.key.save").WithIntro("tui.al.detail", s.detailArgs(a)...)
			},
			Submit: func(f *form.Model, a *domain.Alert) listview.Send {
				if !f.Check() {
					return nil
				}
				note, def, id := f.Value(fNote), c.Services.Defence, a.ID
				return listview.Call(func(ctx context.Context) error { return def.CloseAlert(ctx, id, note) })
			},
			Done: "tui.al.closed",
		}},
	})
}

type screen struct{ c *common.Common }

// detailArgs are the arguments of an alert's detail ("tui.al.detail").
func (s screen) detailArgs(a *domain.Alert) []any {
	return []any{a.OperatorName, s.kind(a.Kind), a.Count, a.Threshold,
		a.WindowStart.Local().Format("2006-01-02 15:04"), a.WindowEnd.Local().Format("15:04")}
}

func (s screen) kind(k domain.AlertKind) string {
	switch k {
	case domain.AlertReveals, domain.AlertViews:
		return s.c.T("tui.al.kind." + string(k))
	}
	return common.Show(string(k))
}

func window(a *domain.Alert) string {
	return a.WindowStart.Local().Format("15:04") + "–" + a.WindowEnd.Local().Format("15:04")
}
