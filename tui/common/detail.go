package common

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Field is one labelled value of a detail view. Value is data: it is made
// plain (Show) where it is drawn, whatever it holds, so a screen cannot
// send a stored value's escape sequences to the terminal by drawing it
// here; Style, when set, colours the value once it is plain.
type Field struct {
	Label string // catalog key
	Value string
	Style *lipgloss.Style
}

// Fields lays out labelled values one under another, indent cells in:
// the labels in a column of their own (at most half the width), each value
// made plain and, with wrap, wrapped under itself or, without, cut to the
// width with "…".
func (c *Common) Fields(fields []Field, w, indent int, wrap bool) []string {
	labels := make([]string, len(fields))
	labelW := 0
	for i, f := range fields {
		labels[i] = c.T(f.Label) + ":"
		labelW = max(labelW, ansi.StringWidth(labels[i]))
	}
	labelW = min(labelW, max(w/2, 1))
	pad := strings.Repeat(" ", indent)
	valueW := max(w-indent-labelW-1, 10)
	var out []string
	for i, f := range fields {
		label := labels[i]
		if ansi.StringWidth(label) > labelW {
			label = ansi.Truncate(label, labelW, "…")
		}
		label += strings.Repeat(" ", labelW-ansi.StringWidth(label)+1)
		head := pad + c.Styles.DetailKey.Render(label)
		value := Show(f.Value)
		var lines []string
		if wrap {
			lines = strings.Split(WrapAtSpaces(value, valueW), "\n")
		} else {
			lines = []string{ansi.Truncate(value, valueW, "…")}
		}
		for j, l := range lines {
			if f.Style != nil {
				l = f.Style.Render(l)
			}
			if j == 0 {
				out = append(out, head+l)
			} else {
				out = append(out, strings.Repeat(" ", indent+labelW+1)+l)
			}
		}
	}
	return out
}

// Section renders a titled block of a detail view: the fields (as Fields
// lays them out, two cells in and wrapped), then lines of the page's own
// making, each wrapped at spaces with its continuation indent cells in.
// The lines are drawn as they are: data in them must have been made plain
// (through T, Show or ShowText) by the page.
func (c *Common) Section(w int, title string, fields []Field, lines []string, indent int) string {
	out := []string{c.Styles.Label.Render(title)}
	out = append(out, c.Fields(fields, w, 2, true)...)
	cont := strings.Repeat(" ", indent)
	for _, l := range lines {
		wrapped := strings.Split(WrapAtSpaces(l, max(w-indent, 10)), "\n")
		out = append(out, wrapped[0])
		for _, more := range wrapped[1:] {
			out = append(out, cont+more)
		}
	}
	return FitWidth(strings.Join(out, "\n"), w)
}
