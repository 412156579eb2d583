package editor_test

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/editor"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"github.com/viaa/ppp/tui/theme"
)

func newEditor(t testing.TB, text string, w, h int) *editor.Model {
	t.Helper()
	st := theme.New(theme.NewRenderer(io.Discard, termenv.Ascii))
	m := editor.New(editor.StylesFrom(st))
	m.SetSize(w, h)
	m.SetText(text)
	return m
}

func typeText(m *editor.Model, s string) editor.Notice {
	var n editor.Notice
	for _, r := range s {
		n = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return n
}

func press(m *editor.Model, k tea.KeyType) editor.Notice { return m.Update(tea.KeyMsg{Type: k}) }

func paste(m *editor.Model, s string) editor.Notice {
	return m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true})
}

// latvianText returns about size bytes of numbered Latvian clauses, one
// per line, long and short, with a blank line between sections: 200 KB
// make about 3,200 lines.
func latvianText(size int) string {
	clauses := []string{
		"Lietotājs apņemas ievērot šos noteikumus un Platformas pārziņa norādījumus.",
		"Aģentūra nodrošina Platformas darbību, izņemot plānotus darbības pārtraukumus.",
		"Klients ar savu individuālo mācību kontu rīkojas pats un atbild par rekvizītu drošību.",
		"Izglītības iestāde ir atbildīga par to, lai tās sniegtā informācija būtu patiesa un aktuāla.",
		"Noteikumi ir saistoši visiem lietotājiem.",
		"Skatīt 2. pielikumu.",
		"Pārzinis ir Aģentūra.",
		"Pašvaldību koordinators un karjeras konsultants apstrādā datus tikai savu pienākumu veikšanai.",
	}
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		if i%12 == 0 {
			fmt.Fprintf(&b, "%d. nodaļa. Vispārīgie jautājumi\n\n", i/12+1)
		}
		fmt.Fprintf(&b, "%d.%d. %s\n", i/12+1, i%12+1, clauses[i%len(clauses)])
		if i%12 == 11 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

func checkView(t *testing.T, m *editor.Model, w, h int) string {
	t.Helper()
	v := m.View()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide (max %d): %q", i+1, n, w, l)
		}
	}
	return v
}

func TestEditor_TypingEnterAndBackspace_SplitAndJoinLines(t *testing.T) {
	m := newEditor(t, "", 60, 10)
	typeText(m, "Lietošanas noteikumi")
	press(m, tea.KeyEnter)
	typeText(m, "1. Vispārīgā daļa")
	if got := m.Text(); got != "Lietošanas noteikumi\n1. Vispārīgā daļa" {
		t.Fatalf("text %q", got)
	}
	// Enter in the middle of a line splits it there.
	press(m, tea.KeyHome)
	for range 3 {
		press(m, tea.KeyRight)
	}
	press(m, tea.KeyEnter)
	if got := m.Text(); got != "Lietošanas noteikumi\n1. \nVispārīgā daļa" {
		t.Fatalf("after a split: %q", got)
	}
	// Backspace at a line start joins it to the line before.
	press(m, tea.KeyBackspace)
	if got := m.Text(); got != "Lietošanas noteikumi\n1. Vispārīgā daļa" {
		t.Fatalf("after joining: %q", got)
	}
	if l, c := m.Cursor(); l != 1 || c != 3 {
		t.Errorf("cursor at %d:%d, want 1:3", l, c)
	}
	// Backspace removes whole characters, not bytes.
	press(m, tea.KeyEnd)
	press(m, tea.KeyBackspace)
	press(m, tea.KeyBackspace)
	if got := m.Line(1); got != "1. Vispārīgā da" {
		t.Errorf("after two backspaces: %q", got)
	}
	// Delete at a line end joins the next line.
	press(m, tea.KeyUp)
	press(m, tea.KeyEnd)
	press(m, tea.KeyDelete)
	if got := m.Text(); got != "Lietošanas noteikumi1. Vispārīgā da" {
		t.Errorf("after delete at the end: %q", got)
	}
	if m.Size() != len(m.Text()) {
		t.Errorf("size %d, text is %d bytes", m.Size(), len(m.Text()))
	}
	if !m.Modified() {
		t.Error("not modified after edits")
	}
	m.MarkSaved()
	if m.Modified() {
		t.Error("modified after MarkSaved")
	}
}

func TestEditor_Paste_InsertsLinesAndDropsControlCharacters(t *testing.T) {
	m := newEditor(t, "pirms  pēc", 60, 10)
	for range 6 {
		press(m, tea.KeyRight)
	}
	n := paste(m, "pirmā rinda\r\notrā\x1b[31m rinda\x07\rtrešā\u202e")
	if n.Kind != editor.NoticeStripped || n.Count != 3 {
		t.Errorf("notice %+v, want 3 characters stripped", n)
	}
	want := "pirms pirmā rinda\notrā[31m rinda\ntrešā pēc"
	if got := m.Text(); got != want {
		t.Fatalf("text %q, want %q", got, want)
	}
	if l, c := m.Cursor(); l != 2 || c != 5 {
		t.Errorf("cursor at %d:%d, want 2:5 (after the paste)", l, c)
	}
	if m.Size() != len(want) {
		t.Errorf("size %d, want %d", m.Size(), len(want))
	}
	// Tabs are kept.
	paste(m, "\ta")
	if !strings.Contains(m.Text(), "trešā\ta pēc") {
		t.Errorf("tab lost: %q", m.Text())
	}
}

func TestEditor_Paste_InvalidUTF8_IsRefusedWhole(t *testing.T) {
	m := newEditor(t, "teksts", 60, 10)
	// The terminal reader turns bytes that are not UTF-8 into U+FFFD.
	n := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("labs\nslikts \uFFFD baits"), Paste: true})
	if n.Kind != editor.NoticeInvalid {
		t.Errorf("notice %+v, want NoticeInvalid", n)
	}
	if m.Text() != "teksts" || m.Modified() {
		t.Errorf("text %q changed by a refused paste", m.Text())
	}
}

func TestEditor_MaxBytes_RefusesTheInsertionAndKeepsTheText(t *testing.T) {
	m := newEditor(t, "ābols", 60, 10) // 6 bytes
	m.MaxBytes = 10
	press(m, tea.KeyEnd)
	if n := typeText(m, "abc"); n.Kind != editor.NoticeNone {
		t.Fatalf("typing within the limit: %+v", n)
	}
	n := paste(m, "12345")
	if n.Kind != editor.NoticeTooLong || n.Size != 14 || n.Max != 10 {
		t.Errorf("notice %+v, want too long (14 of 10)", n)
	}
	if m.Text() != "ābolsabc" {
		t.Errorf("text %q after a refused paste", m.Text())
	}
	// One more byte fits; ā (two bytes) does not.
	typeText(m, "x")
	if n := typeText(m, "ā"); n.Kind != editor.NoticeTooLong {
		t.Errorf("typing over the limit: %+v", n)
	}
	if n := press(m, tea.KeyEnter); n.Kind != editor.NoticeTooLong {
		t.Errorf("a line break over the limit: %+v", n)
	}
	if m.Text() != "ābolsabcx" {
		t.Errorf("text %q", m.Text())
	}
}

func TestEditor_ReadOnly_MovesButDoesNotEdit(t *testing.T) {
	m := newEditor(t, "a\nb", 40, 5)
	m.ReadOnly = true
	if n := typeText(m, "x"); n.Kind != editor.NoticeReadOnly {
		t.Errorf("typing: %+v", n)
	}
	press(m, tea.KeyDown)
	if n := press(m, tea.KeyBackspace); n.Kind != editor.NoticeReadOnly {
		t.Errorf("backspace: %+v", n)
	}
	if l, _ := m.Cursor(); l != 1 || m.Text() != "a\nb" {
		t.Errorf("cursor line %d, text %q", l, m.Text())
	}
}

func TestEditor_LongLinesWrap_AndUpDownMoveByScreenRows(t *testing.T) {
	long := strings.Repeat("vārds ", 30) // 180 characters
	m := newEditor(t, "virsraksts\n"+long+"\nbeigas", 40, 12)
	v := checkView(t, m, 40, 12)
	if !strings.Contains(v, "vārds vārds") || strings.Count(v, "vārds") != 30 {
		t.Errorf("the long line is not wrapped in full:\n%s", v)
	}
	press(m, tea.KeyDown) // onto the long line, first row
	press(m, tea.KeyDown) // its second row
	if l, c := m.Cursor(); l != 1 || c == 0 {
		t.Errorf("down twice: cursor %d:%d, want within line 1 past its first row", l, c)
	}
	for range 10 {
		press(m, tea.KeyDown)
	}
	if l, _ := m.Cursor(); l != 2 {
		t.Errorf("cursor line %d, want 2 after moving down through the rows", l)
	}
}

func TestEditor_View_FitsAndFollowsTheCursorThroughALongText(t *testing.T) {
	text := latvianText(200 << 10)
	for _, sz := range [][2]int{{80, 18}, {40, 8}, {132, 39}} {
		m := newEditor(t, text, sz[0], sz[1])
		checkView(t, m, sz[0], sz[1])
		m.Update(tea.KeyMsg{Type: tea.KeyCtrlEnd})
		v := checkView(t, m, sz[0], sz[1])
		last := m.LineCount()
		if !strings.Contains(v, fmt.Sprint(last)) {
			t.Errorf("%v: ctrl+end does not show line %d:\n%s", sz, last, v)
		}
		for range 5 {
			press(m, tea.KeyPgUp)
		}
		checkView(t, m, sz[0], sz[1])
		l, _ := m.Cursor()
		if v := m.View(); !strings.Contains(v, fmt.Sprintf("%d ", l+1)) || !strings.Contains(v, theme.Marker) {
			t.Errorf("%v: the cursor's line %d is not on screen:\n%s", sz, l+1, m.View())
		}
		m.Update(tea.KeyMsg{Type: tea.KeyCtrlHome})
		if v := checkView(t, m, sz[0], sz[1]); !strings.Contains(v, "1. nodaļa") {
			t.Errorf("%v: ctrl+home does not show the start:\n%s", sz, v)
		}
	}
}

func TestEditor_CursorShows_WithoutColourAsABar(t *testing.T) {
	m := newEditor(t, "abc", 40, 3)
	press(m, tea.KeyRight)
	if v := m.View(); !strings.Contains(v, "a▏bc") {
		t.Errorf("no cursor bar before b:\n%s", v)
	}
	st := theme.New(theme.NewRenderer(io.Discard, termenv.ANSI))
	c := editor.New(editor.StylesFrom(st))
	c.SetText("abc")
	if v := c.View(); strings.Contains(v, "▏") || !strings.Contains(v, "\x1b[7m") {
		t.Errorf("in colour the cursor should be reverse video:\n%q", v)
	}
}

func TestEditor_Keystroke_DoesNotDependOnTheTextSize(t *testing.T) {
	// The benchmark below measures the time; this only proves a
	// keystroke in a 200 KB text edits the right place and the view
	// still fits.
	text := latvianText(200 << 10)
	m := newEditor(t, text, 80, 18)
	m.SetCursor(1800, 0)
	typeText(m, "ž")
	if !strings.HasPrefix(m.Line(1800), "ž") || m.Size() != len(text)+2 {
		t.Errorf("line 1800 %q, size %d", m.Line(1800), m.Size())
	}
	checkView(t, m, 80, 18)
}

func BenchmarkEditorKeystroke_200KB(b *testing.B) {
	text := latvianText(200 << 10)
	m := newEditor(b, text, 80, 18)
	m.SetCursor(m.LineCount()/2, 10)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'ā'}})
		} else {
			m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
		}
		_ = m.View()
	}
}

func BenchmarkEditorEnter_200KB(b *testing.B) {
	text := latvianText(200 << 10)
	m := newEditor(b, text, 80, 18)
	m.SetCursor(m.LineCount()/2, 10)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			m.Update(tea.KeyMsg{Type: tea.KeyEnter})
		} else {
			m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
		}
		_ = m.View()
	}
}

// FuzzEditorKeys feeds arbitrary typing, pastes and editing keys to the
// editor and checks after every key that the text is valid UTF-8 within
// MaxBytes, holds no control character other than the line break and the
// tab and no reordering character, that Size matches it, and that the
// view sends no escape sequence.
func FuzzEditorKeys(f *testing.F) {
	f.Add([]byte("Ģertrūde\x1e\x08a\x00b\x1b[31mc\x0b\x0b\x07\x0c"))
	f.Add([]byte("\x1e\x20" + strings.Repeat("ā\r\n", 8)))
	f.Add([]byte("\x1f\x00\x00\xd8\x00\x1f\x00\x00\x20\x2e\x0a\x1d\x04\xff\xfe\xc2\x9b"))
	f.Add([]byte("\xe2\x80\xae\xef\xbb\xbf\x7f\x09\x09abc\x03\x02\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := newEditor(t, "1. Punkts.\n2. Punkts.", 30, 6)
		m.MaxBytes = 200
		for _, k := range tuitest.KeysFromBytes(data) {
			m.Update(k)
			text := m.Text()
			if !utf8.ValidString(text) || strings.ContainsRune(text, utf8.RuneError) {
				t.Fatalf("the text is not valid: %q", text)
			}
			if len(text) > m.MaxBytes && len(text) > len("1. Punkts.\n2. Punkts.") || m.Size() != len(text) {
				t.Fatalf("size %d, text %d bytes, limit %d", m.Size(), len(text), m.MaxBytes)
			}
			if i := strings.IndexFunc(text, func(r rune) bool { return r != '\n' && r != '\t' && common.DroppedRune(r) || r == '\r' }); i >= 0 {
				t.Fatalf("the text holds %q at %d", text[i:], i)
			}
			if view := m.View(); strings.ContainsAny(view, "\x1b\x00\r\u202e\u009b") {
				t.Fatalf("the view holds a control character: %q", view)
			}
		}
	})
}
