package editor

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/tui/theme"
)

// tabWidth is how many cells a tab takes on screen.
const tabWidth = 4

// Styles are the editor's styles, built from the session's renderer.
type Styles struct {
	LineNumber       lipgloss.Style
	CursorLineNumber lipgloss.Style
	Cursor           lipgloss.Style // the character under the cursor
	// CursorGlyph is drawn before the character under the cursor where
	// the terminal shows no reverse video; "" draws only Cursor.
	CursorGlyph string
	// Marker is put in the gutter of the cursor's row.
	Marker string
	// Placeholder draws Model.Placeholder.
	Placeholder lipgloss.Style
}

// StylesFrom builds the editor's styles from a session's styles. On a
// terminal without colour the cursor is drawn as a thin bar, since the
// reverse video it otherwise uses does not show there.
func StylesFrom(st *theme.Styles) Styles {
	s := Styles{
		LineNumber:       st.Muted,
		CursorLineNumber: st.Label,
		Cursor:           st.Renderer.NewStyle().Reverse(true),
		Marker:           theme.Marker,
		Placeholder:      st.Input.Placeholder,
	}
	if st.Renderer.ColorProfile() == termenv.Ascii {
		s.CursorGlyph = "▏"
	}
	return s
}

// KeyMap holds the editor's keys. Typed characters and pastes need no
// binding.
type KeyMap struct {
	Left, Right, WordLeft, WordRight, Up, Down, PageUp, PageDown key.Binding
	Home, End, Top, Bottom                                       key.Binding
	Enter, Tab, Space, Backspace, Delete, DeleteToEnd            key.Binding
}

// DefaultKeyMap returns the editor's usual keys.
func DefaultKeyMap() KeyMap {
	k := func(keys ...string) key.Binding { return key.NewBinding(key.WithKeys(keys...)) }
	return KeyMap{
		Left:        k("left"),
		Right:       k("right"),
		WordLeft:    k("ctrl+left", "alt+left", "alt+b"),
		WordRight:   k("ctrl+right", "alt+right", "alt+f"),
		Up:          k("up"),
		Down:        k("down"),
		PageUp:      k("pgup"),
		PageDown:    k("pgdown"),
		Home:        k("home", "ctrl+a"),
		End:         k("end", "ctrl+e"),
		Top:         k("ctrl+home"),
		Bottom:      k("ctrl+end"),
		Enter:       k("enter"),
		Tab:         k("tab"),
		Space:       k(" "),
		Backspace:   k("backspace", "ctrl+h"),
		Delete:      k("delete", "ctrl+d"),
		DeleteToEnd: k("ctrl+k"),
	}
}

// gutterWidth is the marker, the widest line number and a space; or the
// prompt.
func (m *Model) gutterWidth() int {
	if m.Prompt != "" {
		return ansi.StringWidth(m.Prompt)
	}
	return 1 + max(len(strconv.Itoa(len(m.lines))), 3) + 1
}

// wrapWidth is the width lines wrap at: the text area less one cell, so
// that the cursor always has room at the end of a row.
func (m *Model) wrapWidth() int {
	return max(m.width-m.gutterWidth()-1, 1)
}

// View renders the lines around the cursor in the editor's width and
// height. Its cost grows with the size of the screen, not of the text.
func (m *Model) View() string {
	if m.size == 0 && m.Placeholder != "" {
		return m.placeholderView()
	}
	w := m.wrapWidth()
	digits := m.gutterWidth() - 2
	curRunes := []rune(m.lines[m.row])
	curSeg := segOf(wrap(curRunes, w), m.col)
	var b strings.Builder
	rows := 0
	for i := m.top; i < len(m.lines) && rows < m.height; i++ {
		runes := curRunes
		if i != m.row {
			runes = []rune(m.lines[i])
		}
		segs := wrap(runes, w)
		from := 0
		if i == m.top {
			from = min(m.topSeg, len(segs)-1)
		}
		for s := from; s < len(segs) && rows < m.height; s++ {
			if rows > 0 {
				b.WriteByte('\n')
			}
			rows++
			start, end := segs[s], len(runes)
			if s+1 < len(segs) {
				end = segs[s+1]
			}
			cursorHere := i == m.row && s == curSeg
			m.writeGutter(&b, i, s, digits, cursorHere)
			if !cursorHere || m.Blurred {
				writeRunes(&b, runes[start:end])
				continue
			}
			writeRunes(&b, runes[start:m.col])
			under := " "
			rest := runes[m.col:end]
			if len(rest) > 0 {
				under = cellOf(rest[0])
				rest = rest[1:]
			}
			b.WriteString(m.styles.CursorGlyph)
			m.paint.cursor.write(&b, under)
			writeRunes(&b, rest)
		}
	}
	for ; rows < m.height; rows++ {
		if rows > 0 {
			b.WriteByte('\n')
		}
		// A prompt marks out the whole field, below the text too.
		b.WriteString(m.Prompt)
	}
	return b.String()
}

// writeGutter writes the start of a row: the prompt, or the marker and
// the line number (on the first row of line i only).
func (m *Model) writeGutter(b *strings.Builder, i, seg, digits int, cursorHere bool) {
	if m.Prompt != "" {
		b.WriteString(m.Prompt)
		return
	}
	mark := " "
	if cursorHere && !m.Blurred {
		mark = m.styles.Marker
	}
	b.WriteString(mark)
	num := strings.Repeat(" ", digits)
	if seg == 0 {
		num = strconv.Itoa(i + 1)
		num = strings.Repeat(" ", max(digits-len(num), 0)) + num
	}
	if i == m.row {
		m.paint.cursorNumber.write(b, num)
	} else {
		m.paint.number.write(b, num)
	}
	b.WriteByte(' ')
}

// placeholderView is the view of an empty text: the placeholder, muted and
// cut to the first row, after the cursor.
func (m *Model) placeholderView() string {
	var b strings.Builder
	m.writeGutter(&b, 0, 0, m.gutterWidth()-2, true)
	text := []rune(ansi.Truncate(m.Placeholder, m.wrapWidth(), "…"))
	if !m.Blurred && len(text) > 0 {
		// The cursor stands on the placeholder's first character.
		b.WriteString(m.styles.CursorGlyph)
		m.paint.cursor.write(&b, string(text[0]))
		text = text[1:]
	}
	m.paint.placeholder.write(&b, string(text))
	for rows := 1; rows < m.height; rows++ {
		b.WriteByte('\n')
		m.writeGutter(&b, 1, 1, m.gutterWidth()-2, false)
	}
	return b.String()
}

// painter is a style's opening and closing sequences, taken once from
// the style so that each row need not go through lipgloss. It suits the
// plain styles used here: colour, bold and reverse, no padding or width.
type painter struct{ pre, post string }

func painterOf(st lipgloss.Style) painter {
	const probe = "\x01"
	out := st.Render(probe)
	i := strings.Index(out, probe)
	if i < 0 {
		return painter{}
	}
	return painter{pre: out[:i], post: out[i+len(probe):]}
}

func (p painter) write(b *strings.Builder, s string) {
	b.WriteString(p.pre)
	b.WriteString(s)
	b.WriteString(p.post)
}

// paints are the painters of the editor's styles.
type paints struct{ number, cursorNumber, cursor, placeholder painter }

func paintsOf(st Styles) paints {
	return paints{number: painterOf(st.LineNumber), cursorNumber: painterOf(st.CursorLineNumber), cursor: painterOf(st.Cursor),
		placeholder: painterOf(st.Placeholder)}
}

// writeRunes writes text as it shows: a tab as spaces.
func writeRunes(b *strings.Builder, r []rune) {
	for _, c := range r {
		if c == '\t' {
			b.WriteString(strings.Repeat(" ", tabWidth))
		} else {
			b.WriteRune(c)
		}
	}
}

func cellOf(r rune) string {
	if r == '\t' {
		return strings.Repeat(" ", tabWidth)
	}
	return string(r)
}

// runeWidth is the number of cells r takes; the Latin scripts, Latvian
// included, take one without a lookup.
func runeWidth(r rune) int {
	switch {
	case r == '\t':
		return tabWidth
	case r < 0x300:
		return 1
	}
	return ansi.StringWidth(string(r))
}

func widthOf(r []rune) int {
	n := 0
	for _, c := range r {
		n += runeWidth(c)
	}
	return n
}

// wrap breaks a line into rows of at most w cells, after the last space
// where there is one, and returns the index of each row's first rune. An
// empty line is one row.
func wrap(r []rune, w int) []int {
	segs := []int{0}
	w = max(w, 1)
	start, x, brk := 0, 0, -1
	for i := 0; i < len(r); i++ {
		cw := runeWidth(r[i])
		for x+cw > w && i > start {
			if brk > start {
				start = brk
				x = widthOf(r[brk:i])
			} else {
				start, x = i, 0
			}
			segs = append(segs, start)
			brk = -1
		}
		x += cw
		if r[i] == ' ' || r[i] == '\t' {
			brk = i + 1
		}
	}
	return segs
}

// segOf returns the row of a line that shows position col.
func segOf(segs []int, col int) int {
	s := 0
	for i, start := range segs {
		if start <= col {
			s = i
		}
	}
	return s
}

// colAt returns the position in row seg nearest to, but not after,
// column x. A position at the very end of a row that is not the last
// would show on the next row, so the row's last character is the limit.
func colAt(r []rune, segs []int, seg, x int) int {
	start, end := segs[seg], len(r)
	last := seg == len(segs)-1
	if !last {
		end = segs[seg+1]
	}
	col, at := start, 0
	for col < end {
		cw := runeWidth(r[col])
		if at+cw > x {
			break
		}
		at += cw
		col++
	}
	if !last && col >= end {
		col = max(end-1, start)
	}
	return col
}
