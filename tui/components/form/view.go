package form

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// block is the lines one field takes; an Area's editor rows are added
// once the room left for them is known.
type block struct {
	field *field
	lines []string
	after []string // the field's problems, below an Area's rows
}

// View renders the form in width × height cells: the title and intro at
// the top, the note, the busy text and the errors at the bottom, and the
// fields between them. A text of several lines takes the rows the rest
// leaves (at least two, at most its Rows); when the fields do not fit,
// they scroll so that the focused one, with its problems, stays in view.
func (m *Model) View(width, height int) string {
	c, st := m.c, m.c.Styles
	// A form without a title is a few fields inside a page's own view.
	var head []string
	if m.title.key != "" {
		head = append(head, st.Title.Render(ansi.Truncate(c.T(m.title.key, m.title.args...), width, "…")))
	}
	for _, p := range m.intro {
		head = append(head, strings.Split(common.WrapAtSpaces(c.T(p.key, p.args...), width), "\n")...)
	}
	if len(head) > 0 {
		head = append(head, "")
	}
	tail := m.tail(width)

	labelW := 0
	for _, f := range m.fields {
		if f.inline() {
			labelW = max(labelW, ansi.StringWidth(c.T(f.Label)+":"))
		}
	}
	labelW = min(labelW, width/2)
	valueW := max(width-labelW-3, 8) // after the marker, the label and a space
	pad := strings.Repeat(" ", labelW+3)

	blocks := make([]block, len(m.fields))
	fixed, areas := 0, 0
	for i, f := range m.fields {
		b := m.fieldBlock(f, i == m.focus, width, labelW, valueW, pad)
		blocks[i] = b
		fixed += len(b.lines) + len(b.after)
		if f.Kind == Area {
			areas++
		}
	}
	avail := max(height-len(head)-len(tail), 1)
	rows := 0
	if areas > 0 {
		rows = max((avail-fixed)/areas, 2)
	}

	var body []string
	from, to := -1, -1
	for i, b := range blocks {
		lines := b.lines
		if f := b.field; f.Kind == Area {
			r := rows
			if f.Rows > 0 {
				r = min(r, f.Rows)
			}
			f.area.SetSize(max(width-2, 10), r)
			f.area.Placeholder = ""
			if f.Hint != "" {
				f.area.Placeholder = c.T(f.Hint)
			}
			for _, l := range strings.Split(f.area.View(), "\n") {
				lines = append(lines, "  "+l)
			}
		}
		lines = append(lines, b.after...)
		if i == m.focus {
			from, to = len(body), len(body)+len(lines)-1
		}
		body = append(body, lines...)
	}
	if len(body) > avail && to >= avail {
		off := min(to-avail+1, from)
		body = body[off:]
	}
	if len(body) > avail {
		body = body[:avail]
	}
	out := append(head, body...)
	return common.FitBlock(strings.Join(append(out, tail...), "\n"), width, height)
}

// inline reports whether f's value stands beside its label; an Area and
// a List have their label on a line of its own.
func (f *field) inline() bool { return f.Kind != Area && !(f.Kind == Choice && f.List) }

// fieldBlock lays out one field but for an Area's rows.
func (m *Model) fieldBlock(f *field, focused bool, width, labelW, valueW int, pad string) block {
	c, st := m.c, m.c.Styles
	mark := "  "
	if focused {
		mark = theme.Marker + " "
	}
	label := c.T(f.Label) + ":"
	b := block{field: f}
	if !f.inline() {
		if focused {
			label = st.Label.Render(label)
		}
		if f.Kind == Area {
			count := st.Muted.Render(c.T("tui.form.chars", f.area.Len(), f.Limit))
			b.lines = []string{common.SpreadLine(mark+label, count, width)}
			b.after = m.problemLines(f, "  ", width)
			return b
		}
		b.lines = append([]string{mark + label}, m.listLines(f, focused, width)...)
		b.lines = append(b.lines, m.problemLines(f, "  ", width)...)
		return b
	}
	label += strings.Repeat(" ", max(labelW-ansi.StringWidth(label), 0)+1)
	if focused {
		label = st.Label.Render(label)
	}
	var values []string
	switch f.Kind {
	case Choice:
		values = []string{m.choiceLine(f, focused, valueW)}
	case Checkbox:
		box := "[ ] "
		if f.on {
			box = "[x] "
		}
		v := box + c.T(f.Caption)
		if focused {
			v = st.Selected.Render(v)
		}
		values = []string{v}
	case Checklist, Roles:
		values = m.checklistLines(f, focused, valueW)
	default:
		f.input.Width = max(valueW-1, 4)
		f.input.Placeholder = m.hint(f)
		values = []string{f.input.View()}
	}
	for i, v := range values {
		if i == 0 {
			b.lines = append(b.lines, mark+label+v)
		} else {
			b.lines = append(b.lines, pad+v)
		}
	}
	if f.isChecklist() && f.NoneNote != "" && len(f.tickedCodes()) == 0 {
		b.lines = append(b.lines, pad+st.Muted.Render(c.T(f.NoneNote)))
	}
	b.lines = append(b.lines, m.problemLines(f, pad, width)...)
	return b
}

// hint is the placeholder of a one-line field.
func (m *Model) hint(f *field) string {
	switch {
	case f.Hint != "":
		return m.c.T(f.Hint)
	case f.Kind == Date:
		return m.c.T("tui.form.hint.date")
	case f.Kind == DateTime:
		return m.c.T("tui.form.hint.datetime")
	}
	return ""
}

func (m *Model) optionText(f *field, i int) string {
	if i < 0 || i >= len(f.Options) {
		return "—"
	}
	return m.c.T(f.OptionKey + f.Options[i])
}

// choiceLine shows a one-line choice: every option with a radio button
// when they fit, else the one chosen between ‹ and ›.
func (m *Model) choiceLine(f *field, focused bool, w int) string {
	st := m.c.Styles
	var opts []string
	width := 0
	for i := range f.Options {
		box := "( ) "
		if i == f.choice {
			box = "(•) "
		}
		opt := box + m.optionText(f, i)
		width += ansi.StringWidth(opt) + 2
		if focused && i == f.choice {
			opt = st.Selected.Render(opt)
		}
		opts = append(opts, opt)
	}
	if width-2 <= w {
		return strings.Join(opts, "  ")
	}
	v := "‹ " + ansi.Truncate(m.optionText(f, f.choice), max(w-4, 1), "…") + " ›"
	if focused {
		v = st.Selected.Render(v)
	}
	return v
}

// listLines shows a choice one option a line, under its label.
func (m *Model) listLines(f *field, focused bool, width int) []string {
	st := m.c.Styles
	var out []string
	for i := range f.Options {
		box := "( ) "
		if i == f.choice {
			box = "(•) "
		}
		lead := "    "
		text := ansi.Truncate(box+m.optionText(f, i), max(width-4, 1), "…")
		if focused && i == f.choice {
			lead = "  " + theme.Marker + " "
			text = st.Selected.Render(text)
		}
		out = append(out, lead+text)
	}
	return out
}

// checklistLines shows a checklist's options side by side, in as many
// rows as the width needs.
func (m *Model) checklistLines(f *field, focused bool, w int) []string {
	st := m.c.Styles
	var lines, row []string
	rowW := 0
	for i, code := range f.Options {
		box := "[ ] "
		if f.ticked[code] {
			box = "[x] "
		}
		item := ansi.Truncate(box+m.optionText(f, i), max(w-2, 1), "…")
		iw := ansi.StringWidth(item) + 2
		if rowW > 0 && rowW+iw > w {
			lines = append(lines, strings.Join(row, ""))
			row, rowW = nil, 0
		}
		lead := "  "
		if focused && i == f.cursor {
			lead = theme.Marker + " "
			item = st.Selected.Render(item)
		}
		row = append(row, lead+item)
		rowW += iw
	}
	if len(row) > 0 {
		lines = append(lines, strings.Join(row, ""))
	}
	return lines
}

// problemLines shows f's problems, each wrapped and marked with "!".
func (m *Model) problemLines(f *field, indent string, width int) []string {
	st := m.c.Styles
	var out []string
	for _, p := range f.problems {
		for i, l := range strings.Split(common.WrapAtSpaces(m.c.T(p.Key, p.Args...), max(width-len(indent)-2, 10)), "\n") {
			lead := "! "
			if i > 0 {
				lead = "  "
			}
			out = append(out, indent+st.Error.Render(lead+l))
		}
	}
	return out
}

// tail is what stands below the fields: the note, the busy text and the
// errors of no field, after a blank line.
func (m *Model) tail(width int) []string {
	c, st := m.c, m.c.Styles
	var out []string
	for _, n := range m.note {
		for _, l := range strings.Split(common.WrapAtSpaces(c.T(n.key, n.args...), width), "\n") {
			out = append(out, st.Muted.Render(l))
		}
	}
	if m.Busy {
		out = append(out, st.Muted.Render(c.T(m.busyKey)))
	}
	var errs []string
	if m.err != nil {
		errs = strings.Split(c.Err(m.err), "\n")
	}
	for _, g := range m.general {
		errs = append(errs, strings.Split(c.T(g.key, g.args...), "\n")...)
	}
	for _, e := range errs {
		for _, l := range strings.Split(common.WrapAtSpaces(e, width), "\n") {
			out = append(out, st.Error.Render(l))
		}
	}
	if len(out) > 0 {
		out = append([]string{""}, out...)
	}
	return out
}
