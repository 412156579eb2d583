// Package bulk is the screen of bulk actions (issue 17): the jobs asked
// for from the lists (role requests, IMK applications, denials, people),
// each with its state and a progress bar that moves as the workers go
// (the change feed's bulk topic); a job's detail with its reason and its
// items' outcomes; the form of a new job on a list's marked rows or whole
// filter, followed by its preview — how many, and which — before
// anything starts; and the steps: start (who prepared it), approve or
// refuse (a second security officer, for a bulk denial), cancel.
package bulk

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// Shown is how many jobs the list reads; ItemsShown how many items a
// job's detail reads.
const (
	Shown      = 100
	ItemsShown = 500
)

// The fields of a new job's form.
const (
	fKind     = "kind"
	fReason   = "reason"
	fGround   = "ground"
	fTemplate = "template"
	fUntil    = "until"
)

type row = *domain.BulkJob

// itemsMsg carries the items of the open job.
type itemsMsg struct {
	to    *Model
	id    int64
	items []*domain.BulkItem
	err   error
}

// preparedMsg carries a job just prepared: its preview is shown.
type preparedMsg struct {
	to  *Model
	job *domain.BulkJob
}

// stepMsg carries the answer of the preview's start or discard.
type stepMsg struct {
	to  *Model
	err error
	key string
	id  int64
}

// Model is the bulk screen.
type Model struct {
	c    *common.Common
	list *listview.Model[row]

	sel     *domain.BulkSelection // what a new job's form is on
	selNote common.BulkMsg        // the list's note on the selection (Note, NoteArgs)
	preview *domain.BulkJob       // a job just prepared, shown before it starts
	busy    bool

	items    []*domain.BulkItem
	itemsFor int64

	keys previewKeys
}

type previewKeys struct{ Start, Discard, Keep key.Binding }

// New returns the screen; it reads nothing until Init.
func New(c *common.Common) *Model {
	m := &Model{c: c}
	m.list = listview.New(c, m.spec())
	m.relabel()
	return m
}

func (m *Model) relabel() {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, m.c.T(desc)))
	}
	m.keys = previewKeys{
		Start:   b("enter", "tui.bulk.key.start", "enter"),
		Discard: b("d", "tui.bulk.key.discard", "d"),
		Keep:    b("esc", "tui.bulk.key.keep", "esc"),
	}
}

// works reports whether op works the screen: any operator who may ask
// for a kind of job.
func works(op *domain.Operator) bool {
	return op != nil && slices.ContainsFunc(domain.BulkKinds, func(k domain.BulkKind) bool {
		return slices.ContainsFunc(k.Roles(), op.HasRole)
	})
}

func (m *Model) spec() listview.Spec[row] {
	c := m.c
	return listview.Spec[row]{
		Allowed:   works,
		RoleOnly:  "tui.bulk.role_only",
		Topic:     domain.TopicBulk,
		None:      "tui.bulk.none",
		NoService: "tui.bulk.no_service",
		ID:        func(j row) int64 { return j.ID },
		Version:   func(j row) int64 { return j.Version },
		Load: listview.Reads(func() bool { return c.Services.Bulk != nil }, func(ctx context.Context) ([]row, error) {
			return c.Services.Bulk.ListBulk(ctx, Shown)
		}),
		Columns: []listview.Column[row]{
			{Title: "tui.bulk.col.id", Min: 6, Cell: func(j row) string { return "#" + strconv.FormatInt(j.ID, 10) }},
			{Title: "tui.bulk.col.kind", Min: 12, Weight: 1, Cell: func(j row) string { return c.T("tui.bulk.kind." + string(j.Kind)) }},
			{Title: "tui.bulk.col.state", Min: 14, Weight: 1, Cell: func(j row) string { return c.T("tui.bulk.state." + string(j.State)) }},
			{Title: "tui.bulk.col.progress", Min: 22, Weight: 2, Cell: func(j row) string { return Bar(j, 12) }},
			{Title: "tui.bulk.col.requester", Min: 12, Weight: 1, Cell: func(j row) string { return j.Requester }},
		},
		Above:        func(w int) []string { return []string{c.Styles.Title.Render(c.T("tui.bulk.title"))} },
		Summary:      m.summary,
		SummaryLines: 4,
		Detail:       m.detail,
		Opened:       m.itemsCmd,
		Actions: []*listview.Action[row]{
			m.newAction(), m.startAction(), m.approveAction(), m.refuseAction(), m.cancelAction(),
		},
	}
}

// Bar draws a job's progress: a bar width cells wide and the items
// finished of all ("███░░░ 12/30").
func Bar(j *domain.BulkJob, width int) string {
	finished := j.Done + j.Failed + j.Skipped
	full := 0
	if j.Total > 0 {
		full = finished * width / j.Total
	}
	return strings.Repeat("█", full) + strings.Repeat("░", width-full) + fmt.Sprintf(" %d/%d", finished, j.Total)
}

// Init reads the list.
func (m *Model) Init() tea.Cmd { return m.list.Init() }

// SetSize lays the screen out.
func (m *Model) SetSize(w, h int) { m.list.SetSize(w, h) }

// Typing reports whether a form, a confirmation or a preview has the
// keyboard.
func (m *Model) Typing() bool { return m.preview != nil || m.list.Typing() }

// Update handles the screen's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.BulkMsg:
		sel := msg.Selection
		m.sel, m.selNote, m.preview = &sel, msg, nil
		return m.list.StartFree("n")
	case preparedMsg:
		if msg.to == m {
			m.preview, m.busy = msg.job, false
		}
		return nil
	case stepMsg:
		if msg.to != m {
			return nil
		}
		m.busy = false
		if msg.err != nil {
			return func() tea.Msg { return common.ErrorMsg{Err: msg.err} }
		}
		m.preview = nil
		return tea.Batch(common.StatusCmd(msg.key, msg.id), m.list.Reload())
	case itemsMsg:
		if msg.to == m {
			if msg.err != nil {
				return func() tea.Msg { return common.ErrorMsg{Err: msg.err} }
			}
			m.items, m.itemsFor = msg.items, msg.id
		}
		return nil
	case common.LanguageMsg:
		m.relabel()
	case tea.KeyMsg:
		if m.preview != nil {
			return m.previewKey(msg)
		}
	}
	return m.list.Update(msg)
}

// View renders the screen.
func (m *Model) View() string {
	if m.preview != nil {
		return m.previewView(m.c.Width, m.c.Height)
	}
	return m.list.View()
}

// ShortHelp returns the footer's keys.
func (m *Model) ShortHelp() []key.Binding {
	if m.preview != nil {
		return []key.Binding{m.keys.Start, m.keys.Discard, m.keys.Keep}
	}
	return m.list.ShortHelp()
}

// FullHelp returns every key for the help overlay.
func (m *Model) FullHelp() [][]key.Binding {
	if m.preview != nil {
		return [][]key.Binding{m.ShortHelp()}
	}
	return m.list.FullHelp()
}

func (m *Model) itemsCmd(j row) tea.Cmd {
	svc, ctx, id := m.c.Services.Bulk, m.c.Ctx, j.ID
	if svc == nil {
		return nil
	}
	return func() tea.Msg {
		items, err := svc.BulkItems(ctx, id, 0, ItemsShown)
		return itemsMsg{to: m, id: id, items: items, err: err}
	}
}

// summary is the pane under the list.
func (m *Model) summary(j row, ok bool, w int) []string {
	if !ok {
		return nil
	}
	c := m.c
	return c.Fields([]common.Field{
		{Label: "tui.bulk.f.reason", Value: j.Reason},
		{Label: "tui.bulk.f.counts", Value: c.T("tui.bulk.counts", j.Done, j.Failed, j.Skipped, j.Pending())},
		{Label: "tui.bulk.f.created", Value: j.CreatedAt.Local().Format("02.01.2006 15:04")},
	}, w, 0, false)
}

// fields are the job's facts, for its detail and its preview.
func (m *Model) fields(j row) []common.Field {
	c := m.c
	f := []common.Field{
		{Label: "tui.bulk.f.kind", Value: c.T("tui.bulk.kind." + string(j.Kind))},
		{Label: "tui.bulk.f.source", Value: c.T("tui.bulk.source." + string(j.Source))},
		{Label: "tui.bulk.f.reason", Value: j.Reason},
	}
	switch j.Kind {
	case domain.BulkDeny:
		f = append(f, common.Field{Label: "tui.bulk.f.ground", Value: c.T("tui.den.ground." + string(j.Ground))})
	case domain.BulkMail:
		f = append(f, common.Field{Label: "tui.bulk.f.template", Value: c.T("tui.bulk.template." + j.Template)})
	case domain.BulkExtend:
		until := c.T("tui.bulk.default_validity")
		if !j.Until.IsZero() {
			until = j.Until.Local().Format("02.01.2006")
		}
		f = append(f, common.Field{Label: "tui.bulk.f.until", Value: until})
	}
	f = append(f, common.Field{Label: "tui.bulk.f.requester", Value: j.Requester})
	if j.Approver != "" {
		f = append(f, common.Field{Label: "tui.bulk.f.approver", Value: j.Approver})
	}
	return append(f,
		common.Field{Label: "tui.bulk.f.progress", Value: Bar(j, 20)},
		common.Field{Label: "tui.bulk.f.counts", Value: c.T("tui.bulk.counts", j.Done, j.Failed, j.Skipped, j.Pending())})
}

// itemLines lists items: place, who or what, outcome and why.
func (m *Model) itemLines(items []*domain.BulkItem, w int) []string {
	c := m.c
	out := make([]string, 0, len(items))
	for _, it := range items {
		line := fmt.Sprintf("%4d  %s · %s", it.Seq, common.OrDash(it.Label), c.T("tui.bulk.item."+string(it.State)))
		if it.ErrorKey != "" {
			// The refusal's words with its arguments; an item written
			// before they were kept, whose message needs them, shows the
			// key.
			why := c.T(it.ErrorKey, it.ErrorArgs...)
			if strings.Contains(why, "%!") {
				why = common.Show(it.ErrorKey)
			}
			line += " — " + why
		}
		out = append(out, common.FitWidth(line, w))
	}
	return out
}

func (m *Model) detail(j row, w int) (head, body []string) {
	c, st := m.c, m.c.Styles
	head = []string{common.SpreadLine(st.Title.Render(c.T("tui.bulk.detail_title", j.ID)),
		st.Label.Render(c.T("tui.bulk.state."+string(j.State))), w)}
	body = c.Fields(m.fields(j), w, 0, true)
	items := j.First
	if m.itemsFor == j.ID {
		items = m.items
	}
	body = append(body, "", st.Label.Render(c.N("tui.bulk.items", int64(j.Total))))
	return head, append(body, m.itemLines(items, w)...)
}

// previewView shows a job just prepared: how many items, the first of
// them, and what starting it does.
func (m *Model) previewView(w, h int) string {
	c, st, j := m.c, m.c.Styles, m.preview
	lines := []string{st.Title.Render(c.T("tui.bulk.preview_title", j.ID)), ""}
	lines = append(lines, c.Fields(m.fields(j)[:3], w, 0, true)...)
	lines = append(lines, "", st.Label.Render(c.N("tui.bulk.preview_count", int64(j.Total))))
	lines = append(lines, m.itemLines(j.First, w)...)
	if more := j.Total - len(j.First); more > 0 {
		lines = append(lines, st.Muted.Render(c.N("tui.bulk.preview_more", int64(more))))
	}
	note := "tui.bulk.preview_runs"
	if j.Kind.NeedsApproval() {
		note = "tui.bulk.preview_approval"
	}
	lines = append(lines, "", st.Muted.Render(common.WrapAtSpaces(c.T(note), w)))
	if m.busy {
		lines = append(lines, st.Muted.Render(c.T("tui.bulk.busy")))
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}

func (m *Model) previewKey(msg tea.KeyMsg) tea.Cmd {
	if m.busy {
		return nil
	}
	j := m.preview
	step := func(a domain.BulkAction, done string) tea.Cmd {
		svc, ctx := m.c.Services.Bulk, m.c.Ctx
		m.busy = true
		return func() tea.Msg {
			err := svc.StepBulk(ctx, j.ID, j.Version, a, "")
			return stepMsg{to: m, err: err, key: done, id: j.ID}
		}
	}
	switch {
	case key.Matches(msg, m.keys.Start):
		return step(domain.BulkStart, "tui.bulk.done.started")
	case key.Matches(msg, m.keys.Discard):
		return step(domain.BulkCancel, "tui.bulk.done.cancelled")
	case key.Matches(msg, m.keys.Keep):
		m.preview = nil
		return tea.Batch(common.StatusCmd("tui.bulk.done.kept", j.ID), m.list.Reload())
	}
	return nil
}

// newAction is the form of a new job, opened by a list's B (BulkMsg); n
// in this list does nothing until a list handed a selection over.
func (m *Model) newAction() *listview.Action[row] {
	return &listview.Action[row]{
		Keys: []string{"n"}, Help: "tui.bulk.key.new", Free: true,
		Rule: func(row) error {
			if m.sel == nil {
				return &domain.Error{Code: domain.EINVALID, Key: "tui.bulk.why.no_selection", Message: "mark rows in a list and press B"}
			}
			return nil
		},
		Form:   func(row) *form.Model { return m.newForm() },
		Submit: func(f *form.Model, _ row) listview.Send { return m.submitNew(f) },
	}
}

// kinds are the kinds of job the operator may ask for on the selection.
func (m *Model) kinds() []string {
	var out []string
	for _, k := range domain.BulkKindsFrom(m.sel.Source) {
		if m.c.Operator != nil && slices.ContainsFunc(k.Roles(), m.c.Operator.HasRole) {
			out = append(out, string(k))
		}
	}
	return out
}

func (m *Model) newForm() *form.Model {
	kinds := m.kinds()
	fields := []form.Field{
		{ID: fKind, Label: "tui.bulk.field.kind", Kind: form.Choice, Options: kinds, OptionKey: "tui.bulk.kind.", Required: "tui.bulk.why.no_kind"},
		{ID: fReason, Label: "tui.bulk.field.reason", Limit: domain.BulkReasonMaxLength, Required: "tui.bulk.why.no_reason"},
	}
	has := func(k domain.BulkKind) bool { return slices.Contains(kinds, string(k)) }
	if has(domain.BulkDeny) {
		var grounds []string
		for _, g := range domain.Grounds {
			grounds = append(grounds, string(g))
		}
		fields = append(fields, form.Field{ID: fGround, Label: "tui.bulk.field.ground", Kind: form.Choice, Options: grounds, OptionKey: "tui.den.ground."})
	}
	if has(domain.BulkMail) {
		fields = append(fields, form.Field{ID: fTemplate, Label: "tui.bulk.field.template", Kind: form.Choice, Options: domain.BulkTemplates, OptionKey: "tui.bulk.template."})
	}
	if has(domain.BulkExtend) {
		fields = append(fields, form.Field{ID: fUntil, Label: "tui.bulk.field.until", Kind: form.Date, Hint: "tui.bulk.hint.until"})
	}
	f := form.New(m.c, "tui.bulk.new_title", nil, fields...).WithSave("tui.bulk.key.preview")
	if m.sel.All {
		f.SetIntro("tui.bulk.on_filter")
	} else {
		f.SetIntro("tui.bulk.on_marked", len(m.sel.IDs))
	}
	if m.selNote.Note != "" {
		f.WithIntro(m.selNote.Note, m.selNote.NoteArgs...)
	}
	return f
}

func (m *Model) submitNew(f *form.Model) listview.Send {
	if !f.Check() {
		return nil
	}
	r := domain.BulkRequest{Kind: domain.BulkKind(f.Value(fKind)), Selection: *m.sel, Reason: f.Value(fReason)}
	switch r.Kind {
	case domain.BulkDeny:
		r.Ground = domain.Ground(f.Value(fGround))
	case domain.BulkMail:
		r.Template = f.Value(fTemplate)
	case domain.BulkExtend:
		if f.Value(fUntil) != "" {
			t, err := f.Time(fUntil)
			if err != nil {
				return nil
			}
			r.Until = t
		}
	}
	svc := m.c.Services.Bulk
	return func(ctx context.Context) (tea.Cmd, error) {
		j, err := svc.PrepareBulk(ctx, r)
		if err != nil {
			return nil, err
		}
		return func() tea.Msg { return preparedMsg{to: m, job: j} }, nil
	}
}

// rule is the job's own rule for step a, for the operator.
func (m *Model) rule(a domain.BulkAction) func(row) error {
	return func(j row) error { return j.Allows(m.c.Operator, a) }
}

func (m *Model) step(a domain.BulkAction) func(j row) listview.Send {
	return func(j row) listview.Send {
		svc, id, version := m.c.Services.Bulk, j.ID, j.Version
		return listview.Call(func(ctx context.Context) error { return svc.StepBulk(ctx, id, version, a, "") })
	}
}

func (m *Model) confirm(key string) func(j row, w int) []string {
	return func(j row, w int) []string {
		lines := []string{m.c.Styles.Title.Render(m.c.T(key, j.ID)), ""}
		return append(lines, m.c.Fields(m.fields(j), w, 0, true)...)
	}
}

func (m *Model) startAction() *listview.Action[row] {
	return &listview.Action[row]{
		Keys: []string{"s"}, Help: "tui.bulk.key.start", Rule: m.rule(domain.BulkStart),
		Send: m.step(domain.BulkStart), Confirm: m.confirm("tui.bulk.confirm.start"),
		Hint: "tui.bulk.hint.confirm", Busy: "tui.bulk.busy", Done: "tui.bulk.done.started",
	}
}

func (m *Model) approveAction() *listview.Action[row] {
	return &listview.Action[row]{
		Keys: []string{"y"}, Help: "tui.bulk.key.approve", Rule: m.rule(domain.BulkApprove),
		Send: m.step(domain.BulkApprove), Confirm: m.confirm("tui.bulk.confirm.approve"),
		Hint: "tui.bulk.hint.confirm", Busy: "tui.bulk.busy", Done: "tui.bulk.done.approved",
	}
}

func (m *Model) refuseAction() *listview.Action[row] {
	return &listview.Action[row]{
		Keys: []string{"x"}, Help: "tui.bulk.key.refuse", Rule: m.rule(domain.BulkRefuse),
		Form: func(j row) *form.Model {
			return form.New(m.c, "tui.bulk.refuse_title", []any{j.ID},
				form.Field{ID: fReason, Label: "tui.bulk.field.reason", Limit: domain.MessageMaxLength, Required: "tui.bulk.why.no_reason"})
		},
		Submit: func(f *form.Model, j row) listview.Send {
			if !f.Check() {
				return nil
			}
			svc, id, version, reason := m.c.Services.Bulk, j.ID, j.Version, f.Value(fReason)
			return listview.Call(func(ctx context.Context) error {
				return svc.StepBulk(ctx, id, version, domain.BulkRefuse, reason)
			})
		},
		Done: "tui.bulk.done.refused",
	}
}

func (m *Model) cancelAction() *listview.Action[row] {
	return &listview.Action[row]{
		Keys: []string{"c"}, Help: "tui.bulk.key.cancel", Rule: m.rule(domain.BulkCancel),
		Send: m.step(domain.BulkCancel), Confirm: m.confirm("tui.bulk.confirm.cancel"),
		Hint: "tui.bulk.hint.confirm", Busy: "tui.bulk.busy", Done: "tui.bulk.done.cancelled",
	}
}
