package common

import (
	"math"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/components/editor"
)

// Every text field of the screens takes its key presses through this file,
// so that what an operator types or pastes is cleaned in one place:
//
//   - control characters (NUL, ESC and the sequences it starts, DEL, the C1
//     controls), the invisible characters that reorder text (U+202E …), the
//     byte-order mark and invalid bytes (utf8.RuneError, which is what the
//     terminal reader makes of them) are dropped, so they are never stored
//     and never echoed to a terminal;
//   - tabs become a space; in a one-line field line breaks do too;
//   - an insertion longer than the room left in the field is cut to fit.
//
// Either change is told in the status line (ErrorMsg, in the session's
// language), never made silently. The work per key is one pass over the
// pasted runes, whatever their number.

// InputNotice says what cleaning a key press changed.
type InputNotice struct {
	Dropped int  // characters dropped as not allowed
	Cut     bool // the insertion did not fit and was cut
	Limit   int  // the field's limit in characters, when Cut
}

// Err returns the notice as a domain error for the status line, or nil when
// nothing changed.
func (n InputNotice) Err() error {
	switch {
	case n.Cut && n.Dropped > 0:
		return domain.Errorf(domain.EINVALID, "tui.input.cut_dropped",
			"the text did not fit in the field (at most %d characters) and %d characters that are not allowed were removed", n.Limit, n.Dropped)
	case n.Cut:
		return domain.Errorf(domain.EINVALID, "tui.input.cut",
			"the text did not fit in the field (at most %d characters); the rest was left out", n.Limit)
	case n.Dropped > 0:
		return domain.Errorf(domain.EINVALID, "tui.input.dropped",
			"%d characters that are not allowed were removed", n.Dropped)
	}
	return nil
}

// Cmd returns a command that shows the notice in the status line, or nil
// when nothing changed.
func (n InputNotice) Cmd() tea.Cmd {
	err := n.Err()
	if err == nil {
		return nil
	}
	return func() tea.Msg { return ErrorMsg{Err: err} }
}

// DroppedRune reports whether r may never be part of a text field's value:
// invalid (utf8.RuneError, a surrogate, out of range), a control character
// other than the line break and the tab, an invisible character that
// reorders text, or the byte-order mark.
func DroppedRune(r rune) bool {
	if r == '\n' || r == '\t' || r == '\r' {
		return false
	}
	return r == utf8.RuneError || !utf8.ValidRune(r) || unicode.IsControl(r) || IsBidiControl(r) || r == '\uFEFF'
}

// CleanLineKey cleans a key press for a one-line field with room
// characters left (room < 0: no limit). Only typed characters and pastes
// are changed; every other key is returned as it is.
func CleanLineKey(km tea.KeyMsg, room int) (tea.KeyMsg, InputNotice) {
	return cleanKey(km, room, -1)
}

// CleanTextKey is CleanLineKey for a field of several lines that may still
// take lineRoom line breaks (lineRoom < 0: no limit).
func CleanTextKey(km tea.KeyMsg, room, lineRoom int) (tea.KeyMsg, InputNotice) {
	if lineRoom < 0 {
		lineRoom = math.MaxInt
	}
	return cleanKey(km, room, lineRoom)
}

// inserts reports whether km would insert its runes into a field.
func inserts(km tea.KeyMsg) bool { return km.Type == tea.KeyRunes || km.Type == tea.KeySpace }

// cleanKey cleans km's runes; lineRoom < 0 makes a one-line field.
func cleanKey(km tea.KeyMsg, room, lineRoom int) (tea.KeyMsg, InputNotice) {
	if !inserts(km) || len(km.Runes) == 0 {
		return km, InputNotice{}
	}
	out, n := CleanRunes(km.Runes, room, lineRoom)
	km.Runes = out
	return km, n
}

// CleanRunes returns in cleaned for a field (see the top of this file) and
// cut to room characters and lineRoom line breaks (room < 0: no limit;
// lineRoom < 0: a one-line field, line breaks become spaces). A "\r\n"
// counts as one line break. in is never changed.
func CleanRunes(in []rune, room, lineRoom int) ([]rune, InputNotice) {
	var n InputNotice
	multiline := lineRoom >= 0
	capacity := len(in)
	if room >= 0 {
		capacity = min(capacity, room)
	}
	out := make([]rune, 0, capacity)
runes:
	for i := 0; i < len(in); i++ {
		r := in[i]
		switch {
		case r == '\r':
			if i+1 < len(in) && in[i+1] == '\n' {
				i++
			}
			r = '\n'
		case DroppedRune(r):
			n.Dropped++
			continue
		}
		switch {
		case r == '\t':
			r = ' '
		case r == '\n' && !multiline:
			r = ' '
		}
		if room >= 0 && len(out) >= room || r == '\n' && lineRoom == 0 {
			n.Cut = true
			// Count what else would have been dropped, so the notice is
			// complete; this stays one pass over the runes.
			for _, rest := range in[i+1:] {
				if DroppedRune(rest) {
					n.Dropped++
				}
			}
			break runes
		}
		if r == '\n' {
			lineRoom--
		}
		out = append(out, r)
	}
	return out, n
}

// UpdateInput passes msg to a one-line text input, cleaned and cut to the
// input's CharLimit, and returns the input's command together with the
// notice for the status line.
func UpdateInput(ti *textinput.Model, msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		var cmd tea.Cmd
		*ti, cmd = ti.Update(msg)
		return cmd
	}
	room := -1
	if ti.CharLimit > 0 {
		room = max(ti.CharLimit-utf8.RuneCountInString(ti.Value()), 0)
	}
	km, n := CleanLineKey(km, room)
	if n.Cut {
		n.Limit = ti.CharLimit
	}
	if inserts(km) && len(km.Runes) == 0 {
		return n.Cmd()
	}
	var cmd tea.Cmd
	*ti, cmd = ti.Update(km)
	return tea.Batch(cmd, n.Cmd())
}

// UpdateEditor is UpdateInput for a text of several lines held by the
// editor component (a form's multi-line field): what enter, tab, typing
// and pasting insert is cleaned as in any field and cut to limit
// characters (limit <= 0: no limit), line breaks included; moving and
// deleting go to the editor as they are.
func UpdateEditor(ed *editor.Model, limit int, msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	// Enter and tab insert text too: through the same cleaning, so that a
	// line break counts against the limit and a tab becomes a space.
	switch {
	case key.Matches(km, ed.KeyMap.Enter):
		km = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'\n'}}
	case key.Matches(km, ed.KeyMap.Tab):
		km = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'\t'}}
	case km.Alt && !km.Paste:
		// alt+b, alt+f … move by words; they insert nothing.
		ed.Update(km)
		return nil
	}
	room := -1
	if limit > 0 {
		room = max(limit-ed.Len(), 0)
	}
	km, n := CleanTextKey(km, room, -1)
	if n.Cut {
		n.Limit = limit
	}
	if inserts(km) && len(km.Runes) == 0 {
		return n.Cmd()
	}
	ed.Update(km)
	return n.Cmd()
}
