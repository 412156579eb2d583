// Package reports is the screen of the reports of issue 18 for
// administrators and security officers: pick a report and a period (a
// ready-made one or typed from–to), see its table (the columns that fit,
// ←/→ moving through the rest), its bar charts and notes, and open the
// list behind a figure (Enter on a cell that names one). A run and a
// drill are audited by the service.
package reports

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/selecttable"
)

type mode int

const (
	modePick   mode = iota // the list of reports
	modePeriod             // the period picker (a form)
	modeReport             // a report's table
	modeCharts             // a report's bar charts and notes
	modeDrill              // the list behind a figure
)

// The period picker's fields.
const (
	fPreset = "preset"
	fFrom   = "from"
	fTo     = "to"
)

// reportMsg carries a report run, or its error.
type reportMsg struct {
	gen    int
	report *domain.Report
	err    error
}

// Model is the reports page.
type Model struct {
	c        *common.Common
	mode     mode
	back     mode // where the period picker returns
	pick     *selecttable.Model
	preset   string
	period   domain.ReportPeriod
	form     *form.Model
	gen      int
	loading  bool
	report   *domain.Report
	table    *selecttable.Model
	focus    int // the focused column of the report (an index of report.Columns)
	first    int // the first scrolling column shown
	shown    []int
	chartTop int
	drill    *drillList
	keys     keyMap
}

// New returns the page; it reads nothing until a report is run.
func New(c *common.Common) *Model {
	m := &Model{c: c, preset: domain.ReportPresetLast30, period: domain.DefaultReportPeriod(c.Clock())}
	m.pick = selecttable.New(c.Styles, []selecttable.Column{{Min: 12}, {Min: 20, Weight: 1}})
	m.relabel()
	return m
}

func (m *Model) relabel() {
	c := m.c
	m.keys = newKeyMap(c)
	m.pick.SetTitles([]string{c.T("tui.rpt.col.report"), c.T("tui.rpt.col.about")})
	var rows [][]string
	for _, n := range domain.ReportNames() {
		rows = append(rows, []string{c.T("tui.rpt.title." + n), c.T("tui.rpt.desc." + n)})
	}
	m.pick.SetRows(tableRows(rows))
	if m.form != nil {
		m.form.Relabel()
	}
	if m.report != nil {
		m.layout()
	}
}

// Init reads nothing: the operator picks a report first.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize lays the tables out for the page area.
func (m *Model) SetSize(width, height int) {
	m.pick.SetSize(width, max(height-3, 3))
	if m.report != nil {
		m.layout()
	}
	if m.drill != nil {
		m.drill.list.SetSize(width, height)
	}
}

// Typing reports whether a field has the keys: the period picker's, or
// the drill list's forms.
func (m *Model) Typing() bool {
	switch m.mode {
	case modePeriod:
		return true
	case modeDrill:
		return m.drill.list.Typing()
	}
	return false
}

func (m *Model) run(name string) tea.Cmd {
	svc := m.c.Services.Reports
	if svc == nil {
		return nil
	}
	m.gen++
	m.loading = true
	gen, ctx, period := m.gen, m.c.Ctx, m.period
	return func() tea.Msg {
		r, err := svc.Run(ctx, name, period)
		return reportMsg{gen: gen, report: r, err: err}
	}
}

// Update handles the page's messages.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reportMsg:
		if msg.gen != m.gen {
			return nil
		}
		m.loading = false
		if msg.err != nil {
			err := msg.err
			return func() tea.Msg { return common.ErrorMsg{Err: err} }
		}
		m.report, m.focus, m.first, m.chartTop = msg.report, -1, 0, 0
		if m.mode == modePick {
			m.mode = modeReport
		}
		m.layout()
		return nil
	case common.LanguageMsg:
		m.relabel()
	case common.ReloadMsg:
		if m.report != nil && m.mode != modePick {
			return m.run(m.report.Name)
		}
	case tea.KeyMsg:
		return m.updateKey(msg)
	}
	if m.drill != nil {
		return m.drill.list.Update(msg)
	}
	return nil
}

func (m *Model) updateKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch m.mode {
	case modePeriod:
		return m.updatePeriod(msg)
	case modeDrill:
		return m.drill.list.Update(msg)
	case modePick:
		switch {
		case key.Matches(msg, k.Run):
			if i := m.pick.Cursor(); i >= 0 {
				return m.run(domain.ReportNames()[i])
			}
		case key.Matches(msg, k.Period):
			return m.openPeriod()
		default:
			return m.pick.Update(msg)
		}
	case modeReport, modeCharts:
		switch {
		case key.Matches(msg, k.Back):
			m.mode = modePick
		case key.Matches(msg, k.Period):
			return m.openPeriod()
		case key.Matches(msg, k.Refresh):
			return m.run(m.report.Name)
		case key.Matches(msg, k.Charts):
			if m.mode == modeCharts {
				m.mode = modeReport
			} else {
				m.mode, m.chartTop = modeCharts, 0
			}
		case m.mode == modeCharts:
			switch {
			case key.Matches(msg, k.Up):
				m.chartTop = max(m.chartTop-1, 0)
			case key.Matches(msg, k.Down):
				m.chartTop++
			}
		case key.Matches(msg, k.Left):
			m.moveFocus(-1)
		case key.Matches(msg, k.Right):
			m.moveFocus(1)
		case key.Matches(msg, k.Drill):
			return m.openDrill()
		default:
			return m.table.Update(msg)
		}
	}
	return nil
}

func (m *Model) openPeriod() tea.Cmd {
	c := m.c
	m.back = m.mode
	m.form = form.New(c, "tui.rpt.period_title", nil,
		form.Field{ID: fPreset, Label: "tui.rpt.f.preset", Kind: form.Choice, List: true, Options: domain.ReportPresets(), OptionKey: "tui.rpt.preset."},
		form.Field{ID: fFrom, Label: "tui.rpt.f.from", Hint: "tui.rpt.hint.date", Limit: 10},
		form.Field{ID: fTo, Label: "tui.rpt.f.to", Hint: "tui.rpt.hint.date", Limit: 10},
	).WithSave("tui.rpt.key.apply").WithIntro("tui.rpt.period_intro")
	m.form.SetValue(fPreset, m.preset)
	m.form.SetValue(fFrom, m.period.From.Format("2006-01-02"))
	m.form.SetValue(fTo, m.period.To.Format("2006-01-02"))
	m.mode = modePeriod
	return nil
}

func (m *Model) updatePeriod(msg tea.KeyMsg) tea.Cmd {
	res, cmd := m.form.Update(msg)
	switch res {
	case form.Cancel:
		m.mode, m.form = m.back, nil
		return cmd
	case form.Submit:
		p, ok := m.readPeriod()
		if !ok {
			return cmd
		}
		m.preset, m.period = m.form.Value(fPreset), p
		m.mode, m.form = m.back, nil
		if m.report != nil && m.mode != modePick {
			return tea.Batch(cmd, m.run(m.report.Name))
		}
	}
	return cmd
}

// readPeriod reads the picker: a ready-made period, or the days typed,
// each problem shown at its field in the operator's language.
func (m *Model) readPeriod() (domain.ReportPeriod, bool) {
	preset := m.form.Value(fPreset)
	if preset != domain.ReportPresetCustom {
		p, err := domain.ReportPresetPeriod(preset, m.c.Clock())
		if err != nil {
			m.form.SetError(err)
			return p, false
		}
		return p, true
	}
	day := func(id string) (time.Time, bool) {
		v := m.form.Value(id)
		t, err := domain.ParseReportDate(v)
		if err != nil {
			m.form.AddProblem(id, "report.bad_date", v)
			return t, false
		}
		return t, true
	}
	from, okFrom := day(fFrom)
	to, okTo := day(fTo)
	if !okFrom || !okTo {
		return domain.ReportPeriod{}, false
	}
	p := domain.ReportPeriod{From: from, To: to}
	if err := p.Validate(); err != nil {
		m.form.AddProblem(fTo, "report.bad_period", domain.MaxReportDays)
		return p, false
	}
	return p, true
}
