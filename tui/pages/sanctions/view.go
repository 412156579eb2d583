package sanctions

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/listview"
)

// columns are the list's columns.
func (s *screen) columns() []listview.Column[kase] {
	c := s.c
	return []listview.Column[kase]{
		{Title: "tui.san.col.id", Min: 5, Cell: func(k kase) string { return itoa(k.ID) }},
		{Title: "tui.san.col.institution", Min: 12, Weight: 3, Cell: func(k kase) string { return k.InstitutionName }},
		{Title: "tui.san.col.reg", Min: 11, Cell: func(k kase) string { return k.InstitutionRegNumber }},
		{Title: "tui.san.col.clause", Min: 6, Cell: func(k kase) string { return "¶" + string(k.Clause) }},
		{Title: "tui.san.col.step", Min: 19, Weight: 1, Cell: s.stepCell},
		{Title: "tui.san.col.state", Min: 7, Cell: func(k kase) string { return c.T("tui.san.state." + string(k.State)) }},
		{Title: "tui.san.col.opened", Min: 11, Cell: func(k kase) string { return shortTime(k.OpenedAt) }},
	}
}

// stepCell is the case's current step, marked when a step waits.
func (s *screen) stepCell(k kase) string {
	out := "—"
	if k.Current != "" {
		out = s.c.T("tui.san.step." + string(k.Current))
	}
	if k.Pending {
		out += " " + s.c.T("tui.san.pending_mark")
	}
	return out
}

// filterLine says the list's filters, and its page once there are more.
func (s *screen) filterLine(w int) string {
	c, st := s.c, s.c.Styles
	state := c.T("tui.san.filter.all")
	if f := stateFilters[s.state]; len(f) == 1 {
		state = c.T("tui.san.state." + string(f[0]))
	}
	step := c.T("tui.san.filter.all")
	switch f := stepFilters[s.step]; f {
	case "":
	case "pending":
		step = c.T("tui.san.filter.pending")
	default:
		step = c.T("tui.san.step." + f)
	}
	page := ""
	if len(s.pages) > 0 || s.more {
		page = c.T("tui.san.page", len(s.pages)+1)
	}
	return common.SpreadLine(st.Muted.Render(c.T("tui.san.filters", state, step)), st.Muted.Render(page), w)
}

// summary describes the selected case under the list.
func (s *screen) summary(k kase, ok bool, w int) []string {
	if !ok {
		return nil
	}
	c := s.c
	return []string{
		ansi.Truncate(c.T("tui.san.sum.head", k.ID, k.InstitutionName, k.InstitutionRegNumber, string(k.Clause)), w, "…"),
		ansi.Truncate(c.T("tui.san.sum.opened", k.OpenedByName, timeText(k.OpenedAt))+" · "+common.Show(common.OneLine(k.Reason)), w, "…"),
	}
}

// detail renders an open case: its head, then the case's reason and
// evidence and every step with its state.
func (s *screen) detail(k kase, w int) (head, body []string) {
	c, st := s.c, s.c.Styles
	head = []string{
		st.Title.Render(ansi.Truncate(c.T("tui.san.detail.head", k.ID, k.InstitutionName, k.InstitutionRegNumber), w, "…")),
		st.Muted.Render(ansi.Truncate(c.T("tui.san.detail.sub", string(k.Clause), c.T("tui.san.state."+string(k.State)), k.OpenedByName, timeText(k.OpenedAt)), w, "…")),
	}
	fields := []common.Field{{Label: "tui.san.f.reason", Value: k.Reason}}
	if k.Evidence != "" {
		fields = append(fields, common.Field{Label: "tui.san.f.evidence", Value: k.Evidence})
	}
	if k.State == domain.SanctionCaseClosed {
		fields = append(fields, common.Field{Label: "tui.san.f.closed", Value: timeText(k.ClosedAt) + " · " + k.CloseReason})
	}
	body = append(body, strings.Split(c.Section(w, c.T("tui.san.detail.case"), fields, nil, 2), "\n")...)
	full := s.full(k)
	if full == nil {
		return head, append(body, "", st.Muted.Render(c.T("tui.loading")))
	}
	body = append(body, "", st.Label.Render(c.T("tui.san.detail.steps")))
	if len(full.Steps) == 0 {
		body = append(body, st.Muted.Render(c.T("tui.san.no_steps")))
	}
	for _, x := range full.Steps {
		body = append(body, s.stepLines(x, w)...)
	}
	return head, body
}

// stepLines are one step in the detail: kind and state, who proposed
// and decided it, its reason, evidence and end.
func (s *screen) stepLines(x *domain.SanctionStep, w int) []string {
	c, st := s.c, s.c.Styles
	state := c.T("tui.san.sstate." + string(x.State))
	switch x.State {
	case domain.SanctionStepInForce:
		state = st.Error.Render(state)
	case domain.SanctionStepPending:
		state = st.Label.Render(state)
	}
	line := c.T("tui.san.step_line", x.ID, c.T("tui.san.step."+string(x.Kind))) + " — " + state
	if x.Kind == domain.SanctionSuspension {
		line += " · " + c.T("tui.san.until", timeText(x.Until))
	}
	fields := []common.Field{
		{Label: "tui.san.f.proposed", Value: x.ProposedByName + ", " + timeText(x.ProposedAt)},
		{Label: "tui.san.f.reason", Value: x.Reason},
	}
	if x.Evidence != "" {
		fields = append(fields, common.Field{Label: "tui.san.f.evidence", Value: x.Evidence})
	}
	if x.DecidedBy != 0 {
		fields = append(fields, common.Field{Label: "tui.san.f.decided", Value: x.DecidedByName + ", " + timeText(x.DecidedAt)})
	}
	if x.RefuseReason != "" {
		fields = append(fields, common.Field{Label: "tui.san.f.refused", Value: x.RefuseReason})
	}
	if !x.EndedAt.IsZero() {
		fields = append(fields, common.Field{Label: "tui.san.f.ended", Value: timeText(x.EndedAt) + " · " + x.EndReason})
	}
	if x.State == domain.SanctionStepPending && x.ProposedBy == s.me() {
		fields = append(fields, common.Field{Label: "tui.san.f.note", Value: c.T("tui.san.own_waits")})
	}
	out := []string{"", ansi.Truncate(line, w, "…")}
	return append(out, c.Fields(fields, w, 2, true)...)
}

// shortTime is a moment in the list: month, day and time.
func shortTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("01-02 15:04")
}

// timeText is a moment in full.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02 15:04")
}
