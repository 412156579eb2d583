package terms

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// diffContext is how many unchanged lines show around a change when only
// the changes are shown.
const diffContext = 3

// diffView is one version compared with the version in force (the
// version in force with the one it replaced). Each line carries its old
// and new line numbers and a '-', '+' or ' ' so that it reads without
// colour; with colour, removed lines are red and added ones green.
type diffView struct {
	gen     int
	v       *domain.TermsVersion // the version shown, without its text
	base    *domain.TermsVersion // what it is compared with; nil: nothing
	ops     []domain.DiffOp
	loaded  bool
	err     error
	all     bool // show the unchanged lines too
	added   int
	removed int
	starts  []int // the screen line of each change
	vp      viewport.Model
}

// diffMsg carries a comparison.
type diffMsg struct {
	gen  int
	V    *domain.TermsVersion
	Base *domain.TermsVersion
	Ops  []domain.DiffOp
	Err  error
}

func (m *Model) openDiff(v *domain.TermsVersion) tea.Cmd {
	m.opens++
	cp := *v
	d := &diffView{gen: m.opens, v: &cp, vp: viewport.New(max(m.width, 1), max(m.height-2, 1))}
	d.vp.Style = m.c.Styles.Renderer.NewStyle()
	d.vp.KeyMap = viewport.KeyMap{
		PageDown: key.NewBinding(key.WithKeys("pgdown", " ")),
		PageUp:   key.NewBinding(key.WithKeys("pgup")),
		Down:     key.NewBinding(key.WithKeys("down", "j")),
		Up:       key.NewBinding(key.WithKeys("up", "k")),
	}
	m.diff, m.mode = d, modeDiff
	gen, id, svc, ctx := d.gen, v.ID, m.c.Services.Terms, m.c.Ctx
	inForce := v.State == domain.TermsPublished
	basedOn := v.BasedOn
	return tea.Batch(clearStatus, func() tea.Msg {
		msg := diffMsg{gen: gen}
		if msg.V, msg.Err = svc.FindTermsVersion(ctx, id); msg.Err != nil {
			return msg
		}
		var base *domain.TermsVersion
		var err error
		if inForce {
			// The version in force is compared with the one it replaced.
			base, err = svc.FindTermsVersion(ctx, basedOn)
		} else {
			base, err = svc.TermsInForce(ctx)
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				base, err = nil, nil
			}
		}
		if err != nil {
			msg.Err = err
			return msg
		}
		old := ""
		if base != nil {
			old = base.Text
			b := *base
			b.Text = ""
			msg.Base = &b
		}
		msg.Ops = domain.DiffLines(old, msg.V.Text)
		msg.V.Text = ""
		return msg
	})
}

func (m *Model) diffLoaded(msg diffMsg) tea.Cmd {
	d := m.diff
	if d == nil || msg.gen != d.gen {
		return nil
	}
	d.loaded = true
	if msg.Err != nil {
		d.err = msg.Err
		return errorCmd(msg.Err)
	}
	d.v, d.base, d.ops = msg.V, msg.Base, msg.Ops
	d.added, d.removed = 0, 0
	for _, op := range d.ops {
		switch op.Kind {
		case '+':
			d.added++
		case '-':
			d.removed++
		}
	}
	d.layout(m, m.width, m.height)
	return nil
}

// layout renders the comparison for the width; it runs when the
// comparison arrives, the size or language changes, or the view switches
// between all lines and the changes only, never on a key that scrolls.
func (d *diffView) layout(m *Model, width, height int) {
	d.vp.Width, d.vp.Height = max(width, 1), max(height-2, 1)
	if !d.loaded || d.err != nil {
		return
	}
	c, st := m.c, m.c.Styles
	oldN, newN := 0, 0
	for _, op := range d.ops {
		if op.Kind != '+' {
			oldN++
		}
		if op.Kind != '-' {
			newN++
		}
	}
	digits := max(len(fmt.Sprint(max(oldN, newN))), 3)
	textW := max(width-2*digits-4, 8)
	blank := strings.Repeat(" ", digits)
	num := func(n int) string { return fmt.Sprintf("%*d", digits, n) }

	var lines []string
	d.starts = d.starts[:0]
	keep := d.keepMask()
	oldAt, newAt, skipped := 0, 0, 0
	flushSkip := func() {
		if skipped > 0 {
			lines = append(lines, st.Muted.Render(blank+" "+blank+"   "+c.T("tui.terms.diff.skipped", skipped)))
			skipped = 0
		}
	}
	for i, op := range d.ops {
		on, nn := blank, blank
		switch op.Kind {
		case '-':
			oldAt++
			on = num(oldAt)
		case '+':
			newAt++
			nn = num(newAt)
		default:
			oldAt++
			newAt++
			on, nn = num(oldAt), num(newAt)
		}
		if !keep[i] {
			skipped++
			continue
		}
		flushSkip()
		if op.Kind != ' ' && (i == 0 || d.ops[i-1].Kind == ' ') {
			d.starts = append(d.starts, len(lines))
		}
		sign := string(op.Kind)
		if op.Kind == ' ' {
			sign = " "
		}
		text := common.Show(op.Line)
		text = strings.ReplaceAll(text, "\t", "    ")
		rows := strings.Split(common.WrapAtSpaces(text, textW), "\n")
		for j, r := range rows {
			prefix := on + " " + nn + " " + sign + " "
			if j > 0 {
				prefix = blank + " " + blank + " " + sign + " "
			}
			row := prefix + r
			switch op.Kind {
			case '-':
				row = st.Error.Render(row)
			case '+':
				row = st.OK.Render(row)
			}
			lines = append(lines, row)
		}
	}
	flushSkip()
	if len(lines) == 0 {
		lines = []string{st.Muted.Render(c.T("tui.terms.diff.same"))}
	}
	d.vp.SetContent(strings.Join(lines, "\n"))
}

// keepMask marks the operations shown: all of them, or the changes and
// diffContext lines around each.
func (d *diffView) keepMask() []bool {
	keep := make([]bool, len(d.ops))
	if d.all {
		for i := range keep {
			keep[i] = true
		}
		return keep
	}
	for i, op := range d.ops {
		if op.Kind == ' ' {
			continue
		}
		for j := max(i-diffContext, 0); j <= min(i+diffContext, len(d.ops)-1); j++ {
			keep[j] = true
		}
	}
	return keep
}

func (m *Model) updateDiff(msg tea.KeyMsg) tea.Cmd {
	d, k := m.diff, m.keys
	switch {
	case key.Matches(msg, k.Close):
		m.diff, m.mode = nil, modeList
		return nil
	case key.Matches(msg, k.AllLines):
		d.all = !d.all
		d.layout(m, m.width, m.height)
		d.vp.GotoTop()
		return nil
	case key.Matches(msg, k.NextChange):
		for _, s := range d.starts {
			if s > d.vp.YOffset {
				d.vp.SetYOffset(s)
				return nil
			}
		}
		return nil
	case key.Matches(msg, k.PrevChange):
		for i := len(d.starts) - 1; i >= 0; i-- {
			if d.starts[i] < d.vp.YOffset {
				d.vp.SetYOffset(d.starts[i])
				return nil
			}
		}
		return nil
	case key.Matches(msg, k.Top):
		d.vp.GotoTop()
		return nil
	case key.Matches(msg, k.Bottom):
		d.vp.GotoBottom()
		return nil
	}
	var cmd tea.Cmd
	d.vp, cmd = d.vp.Update(msg)
	return cmd
}

func (m *Model) diffView(w, h int) string {
	c, st, d := m.c, m.c.Styles, m.diff
	var title string
	switch {
	case d.base == nil && d.loaded && d.err == nil:
		title = c.T("tui.terms.diff.title_none", d.v.Number)
	case d.v.State == domain.TermsPublished && d.base != nil:
		title = c.T("tui.terms.diff.title_replaced", d.v.Number, d.base.Number)
	case d.base != nil:
		title = c.T("tui.terms.diff.title", d.v.Number, d.base.Number)
	default:
		title = c.T("tui.terms.diff.title_loading", d.v.Number)
	}
	lines := []string{st.Title.Render(title)}
	switch {
	case !d.loaded:
		lines = append(lines, st.Muted.Render(c.T("tui.loading")))
	case d.err != nil:
		lines = append(lines, st.Error.Render(common.OneLine(c.Err(d.err))))
	default:
		mode := c.T("tui.terms.diff.changes_only")
		if d.all {
			mode = c.T("tui.terms.diff.all")
		}
		counts := c.T("tui.terms.diff.counts", d.removed, d.added, len(d.starts))
		at := ""
		if d.vp.TotalLineCount() > d.vp.Height {
			at = fmt.Sprintf("↕ %d%%", int(d.vp.ScrollPercent()*100+0.5))
		}
		lines = append(lines, common.SpreadLine(counts+" · "+mode, st.Muted.Render(at), w), d.vp.View())
	}
	return common.FitBlock(strings.Join(lines, "\n"), w, h)
}
