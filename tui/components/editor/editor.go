// Package editor is a line-based text editor for long texts, such as a
// 200 KB terms-of-use version, that must stay responsive on every key.
//
// The text is a slice of lines the editor owns. A key press changes one
// line (or, for enter, backspace at a line start and pastes, the slice of
// lines around the cursor) and never re-wraps, re-measures or copies the
// whole text; the view wraps only the lines it shows. bubbles' textarea is
// not used because it re-wraps the whole text on every key.
//
// The editor keeps a text clean: control characters other than the line
// break and the tab are dropped, as are the invisible characters that
// reorder text, with a notice; an insertion that is not valid UTF-8 is
// refused whole; and an insertion that would take the text over MaxBytes
// is refused whole, so that nothing already typed is ever cut off.
package editor

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain/plain"
)

// NoticeKind says what the editor refused or changed on a key press.
type NoticeKind int

// Notices.
const (
	NoticeNone     NoticeKind = iota
	NoticeTooLong             // the insertion would exceed MaxBytes; nothing was inserted
	NoticeInvalid             // the paste is not valid UTF-8; nothing was inserted
	NoticeStripped            // control characters were dropped from the insertion
	NoticeReadOnly            // the text is read-only
)

// Notice is what the owner of the editor should tell the person after a
// key press.
type Notice struct {
	Kind  NoticeKind
	Count int // NoticeStripped: characters dropped
	Size  int // NoticeTooLong: the size in bytes the text would have had
	Max   int // NoticeTooLong: the limit
}

// Model is the editor.
type Model struct {
	// MaxBytes is the largest text accepted, in bytes (0: no limit).
	MaxBytes int
	// ReadOnly turns every editing key into NoticeReadOnly; moving still
	// works.
	ReadOnly bool
	// KeyMap holds the editor's keys.
	KeyMap KeyMap
	// Prompt, when set, begins every row instead of the line numbers and
	// the cursor's marker: a text field of a form rather than a document.
	Prompt string
	// Placeholder is shown, muted, while the text is empty.
	Placeholder string
	// Blurred hides the cursor: the editor does not have the keyboard.
	Blurred bool

	lines  []string // the text, a line per element, without line breaks
	size   int      // len(Text()), kept as the text changes
	runes  int      // characters of Text(), kept as the text changes
	row    int      // cursor line
	col    int      // cursor position in the line, in runes
	goalX  int      // the column up and down aim for; -1 when not set
	top    int      // first line on screen
	topSeg int      // first visual row of that line on screen
	width  int
	height int
	edits  int // changes made; compared with saved
	saved  int
	styles Styles
	paint  paints
}

// New returns an empty editor with the given styles.
func New(st Styles) *Model {
	return &Model{lines: []string{""}, goalX: -1, KeyMap: DefaultKeyMap(), styles: st, paint: paintsOf(st), width: 80, height: 10}
}

// SetStyles replaces the styles.
func (m *Model) SetStyles(st Styles) { m.styles, m.paint = st, paintsOf(st) }

// SetText replaces the text (cleaned as a paste would be, but never
// refused), puts the cursor at its start and marks it saved. The text is
// stored text, drawn as every stored value is: an escape sequence in it is
// dropped whole (domain/plain), not only its ESC, so no "]0;title" debris
// shows.
func (m *Model) SetText(s string) {
	s, _ = clean(plain.StripSequences(s))
	m.lines = strings.Split(s, "\n")
	m.size, m.runes = len(s), utf8.RuneCountInString(s)
	m.row, m.col, m.goalX, m.top, m.topSeg = 0, 0, -1, 0, 0
	m.edits, m.saved = 0, 0
}

// Text returns the whole text. It costs a copy of the text: call it to
// save, not on every key.
func (m *Model) Text() string { return strings.Join(m.lines, "\n") }

// Size returns the length of the text in bytes.
func (m *Model) Size() int { return m.size }

// Len returns the length of the text in characters (runes), line breaks
// included, kept as the text changes so that a limit costs nothing per key.
func (m *Model) Len() int { return m.runes }

// LineCount returns the number of lines.
func (m *Model) LineCount() int { return len(m.lines) }

// Cursor returns the cursor's line and column, both from 0; the column
// counts characters (runes).
func (m *Model) Cursor() (line, col int) { return m.row, m.col }

// SetCursor moves the cursor to line and col, clamped to the text.
func (m *Model) SetCursor(line, col int) {
	m.row = min(max(line, 0), len(m.lines)-1)
	m.col = min(max(col, 0), utf8.RuneCountInString(m.lines[m.row]))
	m.goalX = -1
	m.follow()
}

// Line returns line i of the text, or "".
func (m *Model) Line(i int) string {
	if i < 0 || i >= len(m.lines) {
		return ""
	}
	return m.lines[i]
}

// Modified reports whether the text changed since it was set or last
// marked saved.
func (m *Model) Modified() bool { return m.edits != m.saved }

// MarkSaved records the text as it is now as saved.
func (m *Model) MarkSaved() { m.saved = m.edits }

// Revision counts the changes made to the text so far. A save that runs
// while the person goes on typing records the revision it saved with
// MarkSavedAt, so that what was typed meanwhile stays unsaved.
func (m *Model) Revision() int { return m.edits }

// MarkSavedAt records the text as it was at revision rev as saved.
func (m *Model) MarkSavedAt(rev int) { m.saved = rev }

// SetSize sets the size of the view, line numbers included.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(width, 1), max(height, 1)
	m.follow()
}

// Update handles a key press and returns what to tell the person.
func (m *Model) Update(msg tea.Msg) Notice {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return Notice{}
	}
	k := m.KeyMap
	if km.Paste || km.Type == tea.KeyRunes && !km.Alt {
		return m.insertChecked(string(km.Runes))
	}
	switch {
	case key.Matches(km, k.Left):
		m.left()
	case key.Matches(km, k.Right):
		m.right()
	case key.Matches(km, k.WordLeft):
		m.wordLeft()
	case key.Matches(km, k.WordRight):
		m.wordRight()
	case key.Matches(km, k.Up):
		m.vertical(-1)
	case key.Matches(km, k.Down):
		m.vertical(1)
	case key.Matches(km, k.PageUp):
		m.page(-1)
	case key.Matches(km, k.PageDown):
		m.page(1)
	case key.Matches(km, k.Home):
		m.col, m.goalX = 0, -1
	case key.Matches(km, k.End):
		m.col, m.goalX = utf8.RuneCountInString(m.lines[m.row]), -1
	case key.Matches(km, k.Top):
		m.row, m.col, m.goalX = 0, 0, -1
	case key.Matches(km, k.Bottom):
		m.row = len(m.lines) - 1
		m.col, m.goalX = utf8.RuneCountInString(m.lines[m.row]), -1
	case key.Matches(km, k.Enter):
		return m.insertChecked("\n")
	case key.Matches(km, k.Tab):
		return m.insertChecked("\t")
	case key.Matches(km, k.Space):
		return m.insertChecked(" ")
	case key.Matches(km, k.Backspace):
		if m.ReadOnly {
			return Notice{Kind: NoticeReadOnly}
		}
		m.backspace()
	case key.Matches(km, k.Delete):
		if m.ReadOnly {
			return Notice{Kind: NoticeReadOnly}
		}
		m.deleteForward()
	case key.Matches(km, k.DeleteToEnd):
		if m.ReadOnly {
			return Notice{Kind: NoticeReadOnly}
		}
		m.deleteToEnd()
	default:
		return Notice{}
	}
	m.follow()
	return Notice{}
}

// InsertText inserts s at the cursor as a paste: cleaned, refused whole
// when invalid or too long.
func (m *Model) InsertText(s string) Notice { return m.insertChecked(s) }

func (m *Model) insertChecked(s string) Notice {
	if m.ReadOnly {
		return Notice{Kind: NoticeReadOnly}
	}
	if !validText(s) {
		return Notice{Kind: NoticeInvalid}
	}
	cleaned, dropped := clean(s)
	if cleaned == "" {
		if dropped > 0 {
			// A typed control or reordering character is told too:
			// nothing may vanish without a word.
			return Notice{Kind: NoticeStripped, Count: dropped}
		}
		return Notice{}
	}
	if m.MaxBytes > 0 && m.size+len(cleaned) > m.MaxBytes {
		return Notice{Kind: NoticeTooLong, Size: m.size + len(cleaned), Max: m.MaxBytes}
	}
	m.insert(cleaned)
	m.follow()
	if dropped > 0 {
		return Notice{Kind: NoticeStripped, Count: dropped}
	}
	return Notice{}
}

// validText reports whether s came from valid UTF-8: the terminal reader
// turns invalid bytes into utf8.RuneError.
func validText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsRune(s, utf8.RuneError)
}

// clean normalises line breaks and drops control characters other than
// the line break and the tab, and the invisible characters that reorder
// text. It returns the clean text and how many characters it dropped.
func clean(s string) (string, int) {
	if strings.IndexFunc(s, dropped) < 0 && !strings.Contains(s, "\r") {
		return s, 0
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	n := 0
	out := strings.Map(func(r rune) rune {
		if dropped(r) {
			n++
			return -1
		}
		return r
	}, s)
	return out, n
}

func dropped(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return unicode.IsControl(r) || isBidiControl(r) || r == '\uFEFF'
}

func isBidiControl(r rune) bool { return plain.IsBidiControl(r) }

// insert puts clean text at the cursor and moves the cursor after it.
func (m *Model) insert(s string) {
	line := m.lines[m.row]
	at := byteOffset(line, m.col)
	before, after := line[:at], line[at:]
	if !strings.Contains(s, "\n") {
		m.lines[m.row] = before + s + after
		m.col += utf8.RuneCountInString(s)
	} else {
		parts := strings.Split(s, "\n")
		last := len(parts) - 1
		m.col = utf8.RuneCountInString(parts[last])
		parts[0] = before + parts[0]
		parts[last] += after
		m.lines = slices.Replace(m.lines, m.row, m.row+1, parts...)
		m.row += last
	}
	m.size += len(s)
	m.runes += utf8.RuneCountInString(s)
	m.goalX = -1
	m.edits++
}

func (m *Model) backspace() {
	switch {
	case m.col > 0:
		line := m.lines[m.row]
		end := byteOffset(line, m.col)
		_, w := utf8.DecodeLastRuneInString(line[:end])
		m.lines[m.row] = line[:end-w] + line[end:]
		m.col--
		m.size -= w
		m.runes--
	case m.row > 0:
		// Join this line to the one before.
		prev := m.lines[m.row-1]
		m.col = utf8.RuneCountInString(prev)
		m.lines[m.row-1] = prev + m.lines[m.row]
		m.lines = slices.Delete(m.lines, m.row, m.row+1)
		m.row--
		m.size--
		m.runes--
	default:
		return
	}
	m.goalX = -1
	m.edits++
}

func (m *Model) deleteForward() {
	line := m.lines[m.row]
	at := byteOffset(line, m.col)
	switch {
	case at < len(line):
		_, w := utf8.DecodeRuneInString(line[at:])
		m.lines[m.row] = line[:at] + line[at+w:]
		m.size -= w
		m.runes--
	case m.row < len(m.lines)-1:
		m.lines[m.row] = line + m.lines[m.row+1]
		m.lines = slices.Delete(m.lines, m.row+1, m.row+2)
		m.size--
		m.runes--
	default:
		return
	}
	m.goalX = -1
	m.edits++
}

// deleteToEnd deletes the rest of the line, or joins the next line when
// the cursor is at the end.
func (m *Model) deleteToEnd() {
	line := m.lines[m.row]
	at := byteOffset(line, m.col)
	if at == len(line) {
		m.deleteForward()
		return
	}
	m.lines[m.row] = line[:at]
	m.size -= len(line) - at
	m.runes -= utf8.RuneCountInString(line[at:])
	m.goalX = -1
	m.edits++
}

func (m *Model) left() {
	switch {
	case m.col > 0:
		m.col--
	case m.row > 0:
		m.row--
		m.col = utf8.RuneCountInString(m.lines[m.row])
	}
	m.goalX = -1
}

func (m *Model) right() {
	switch {
	case m.col < utf8.RuneCountInString(m.lines[m.row]):
		m.col++
	case m.row < len(m.lines)-1:
		m.row++
		m.col = 0
	}
	m.goalX = -1
}

func (m *Model) wordLeft() {
	if m.col == 0 {
		m.left()
		return
	}
	r := []rune(m.lines[m.row])
	i := m.col
	for i > 0 && !isWord(r[i-1]) {
		i--
	}
	for i > 0 && isWord(r[i-1]) {
		i--
	}
	m.col, m.goalX = i, -1
}

func (m *Model) wordRight() {
	r := []rune(m.lines[m.row])
	if m.col >= len(r) {
		m.right()
		return
	}
	i := m.col
	for i < len(r) && isWord(r[i]) {
		i++
	}
	for i < len(r) && !isWord(r[i]) {
		i++
	}
	m.col, m.goalX = i, -1
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// vertical moves the cursor dir visual rows up (-1) or down (1), keeping
// to the column it aims for.
func (m *Model) vertical(dir int) {
	w := m.wrapWidth()
	runes := []rune(m.lines[m.row])
	segs := wrap(runes, w)
	seg := segOf(segs, m.col)
	if m.goalX < 0 {
		m.goalX = widthOf(runes[segs[seg]:m.col])
	}
	switch {
	case dir < 0 && seg > 0:
		seg--
	case dir < 0 && m.row > 0:
		m.row--
		runes = []rune(m.lines[m.row])
		segs = wrap(runes, w)
		seg = len(segs) - 1
	case dir > 0 && seg < len(segs)-1:
		seg++
	case dir > 0 && m.row < len(m.lines)-1:
		m.row++
		runes = []rune(m.lines[m.row])
		segs = wrap(runes, w)
		seg = 0
	default:
		// Already on the first or last row: go to its start or end.
		if dir < 0 {
			m.col = 0
		} else {
			m.col = len(runes)
		}
		m.goalX = -1
		return
	}
	m.col = colAt(runes, segs, seg, m.goalX)
}

// page moves the cursor and the view by a screenful.
func (m *Model) page(dir int) {
	n := max(m.height-1, 1)
	goal := m.goalX
	for range n {
		before := [2]int{m.row, m.col}
		m.vertical(dir)
		if m.goalX < 0 || [2]int{m.row, m.col} == before {
			break
		}
	}
	if m.goalX < 0 {
		m.goalX = goal
	}
	for range n {
		if !m.scroll(dir) {
			break
		}
	}
}

// scroll moves the first row on screen by one visual row; it reports
// whether it could.
func (m *Model) scroll(dir int) bool {
	if dir < 0 {
		if m.topSeg > 0 {
			m.topSeg--
			return true
		}
		if m.top == 0 {
			return false
		}
		m.top--
		m.topSeg = len(wrap([]rune(m.lines[m.top]), m.wrapWidth())) - 1
		return true
	}
	if m.topSeg < len(wrap([]rune(m.lines[m.top]), m.wrapWidth()))-1 {
		m.topSeg++
		return true
	}
	if m.top >= len(m.lines)-1 {
		return false
	}
	m.top++
	m.topSeg = 0
	return true
}

// follow scrolls the view so that the cursor is on screen, looking only
// at the lines between the view and the cursor, at most a screenful.
func (m *Model) follow() {
	m.row = min(max(m.row, 0), len(m.lines)-1)
	m.col = min(max(m.col, 0), utf8.RuneCountInString(m.lines[m.row]))
	w := m.wrapWidth()
	m.top = min(max(m.top, 0), len(m.lines)-1)
	m.topSeg = min(max(m.topSeg, 0), len(wrap([]rune(m.lines[m.top]), w))-1)
	curSeg := segOf(wrap([]rune(m.lines[m.row]), w), m.col)
	if m.row < m.top || m.row == m.top && curSeg < m.topSeg {
		m.top, m.topSeg = m.row, curSeg
		return
	}
	// Count the rows from the top of the view down to the cursor, giving
	// up once they exceed the screen.
	rows, reached := 0, false
	for i := m.top; i <= m.row && rows <= m.height; i++ {
		switch i {
		case m.row:
			from := 0
			if i == m.top {
				from = m.topSeg
			}
			rows += curSeg - from + 1
			reached = true
		case m.top:
			rows += len(wrap([]rune(m.lines[i]), w)) - m.topSeg
		default:
			rows += len(wrap([]rune(m.lines[i]), w))
		}
	}
	if reached && rows <= m.height {
		return
	}
	// Put the cursor on the last row: walk back a screenful from it.
	top, seg, left := m.row, curSeg, m.height-1
	for left > 0 {
		if seg >= left {
			seg -= left
			break
		}
		left -= seg + 1
		if top == 0 {
			seg = 0
			break
		}
		top--
		seg = len(wrap([]rune(m.lines[top]), w)) - 1
	}
	m.top, m.topSeg = top, seg
}

// byteOffset returns the byte offset of rune col in s.
func byteOffset(s string, col int) int {
	if col <= 0 {
		return 0
	}
	n := 0
	for i := range s {
		if n == col {
			return i
		}
		n++
	}
	return len(s)
}
