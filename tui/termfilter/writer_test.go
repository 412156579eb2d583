package termfilter

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// rendererOwn is what Bubble Tea's standard renderer writes around a frame
// (standard_renderer.go in v1.3.10): every one must come through as it is.
var rendererOwn = []string{
	ansi.SetAltScreenSaveCursorMode, ansi.ResetAltScreenSaveCursorMode,
	ansi.HideCursor, ansi.ShowCursor,
	ansi.SetBracketedPasteMode, ansi.ResetBracketedPasteMode,
	ansi.SetButtonEventMouseMode, ansi.ResetButtonEventMouseMode,
	ansi.SetAnyEventMouseMode, ansi.ResetAnyEventMouseMode,
	ansi.SetSgrExtMouseMode, ansi.ResetSgrExtMouseMode,
	ansi.SetFocusEventMode, ansi.ResetFocusEventMode,
	ansi.EraseEntireScreen, ansi.EraseScreenBelow, ansi.EraseEntireLine, ansi.EraseLineRight,
	ansi.CursorHomePosition, ansi.CursorUp(5), ansi.CUU1, ansi.CursorPosition(1, 24), ansi.CursorPosition(0, 3),
	ansi.SetTopBottomMargins(1, 10), ansi.InsertLine(3),
	"\x1b[0m", "\x1b[m", "\x1b[1;4;38;5;203;48;5;236m", "\x1b[38;2;10;20;30m", "\x1b[38:5:203m", "\x1b[7m",
	"\r\n", "\b", "\t",
}

func filter(policy Policy, chunks ...string) string {
	var out bytes.Buffer
	w := NewWriter(&out, policy)
	for _, c := range chunks {
		n, err := w.Write([]byte(c))
		if err != nil || n != len(c) {
			panic(fmt.Sprintf("Write(%q) = %d, %v", c, n, err))
		}
	}
	return out.String()
}

func TestWriter_Renderer_PassesTheRenderersOwnSequences(t *testing.T) {
	for _, seq := range rendererOwn {
		in := "a" + seq + "b"
		if got := filter(Renderer, in); got != in {
			t.Errorf("Renderer dropped or changed %q: got %q", seq, got)
		}
	}
}

func TestWriter_Renderer_DropsEverythingElse(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"OSC 0 title", "a\x1b]0;PWNED\x07b", "ab"},
		{"OSC 52 clipboard", "a\x1b]52;c;UFdORUQ=\x1b\\b", "ab"},
		{"OSC 8 hyperlink", "a\x1b]8;;http://x\x1b\\l\x1b]8;;\x1b\\b", "alb"},
		{"DCS", "a\x1bP1$r\x1b\\b", "ab"},
		{"APC, PM, SOS", "a\x1b_x\x1b\\\x1b^y\x1b\\\x1bXz\x1b\\b", "ab"},
		{"C1 as characters, never made 7-bit", "a\u009b2J\u009d0;T\u009cb\u009b31m", "ab"},
		{"C1 as bytes", "a\x9b2Jb", "a\uFFFD2Jb"},
		{"BEL, NUL, DEL, SI", "a\x07\x00\x7f\x0fb", "ab"},
		{"bidi", "a\u202eb\u2067c", "abc"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"private mode not the renderer's", "a\x1b[?1h\x1b[?9h\x1b[?25;2004;1h\x1b[?2026hb", "ab"},
		{"report requests", "a\x1b[6n\x1b[c\x1b[>c\x1b[18tb", "ab"},
		{"keypad and charset escapes", "a\x1b=\x1b(0\x1b7\x1b8\x1bcb", "ab"},
		{"CSI with an intermediate", "a\x1b[2 qb", "ab"},
	} {
		if got := filter(Renderer, tc.in); got != tc.want {
			t.Errorf("%s: %q → %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestWriter_Plain_KeepsOnlyTextLineBreaksAndTabs(t *testing.T) {
	in := "id\tname\r\n7\t\x1b[1mIlze\x1b[0m \x1b]0;PWNED\x07Bērziņa\u202e\b\n"
	if got, want := filter(Plain, in), "id\tname\n7\tIlze Bērziņa\n"; got != want {
		t.Errorf("Plain: %q, want %q", got, want)
	}
	var bytewise []string
	for i := 0; i < len(in); i++ {
		bytewise = append(bytewise, in[i:i+1])
	}
	if got, want := filter(Plain, bytewise...), "id\tname\n7\tIlze Bērziņa\n"; got != want {
		t.Errorf("Plain, byte by byte: %q, want %q", got, want)
	}
}

func TestWriter_JudgesASequenceSplitAcrossWrites(t *testing.T) {
	in := "Ā\x1b]0;PWNED-TITLE\x07ē\x1b[31mī\x1b[?1049hō\u202eū\x1b]52;c;QQ==\x1b\\ž"
	whole := filter(Renderer, in)
	if want := "Āē\x1b[31mī\x1b[?1049hōūž"; whole != want {
		t.Fatalf("whole: %q, want %q", whole, want)
	}
	var bytewise []string
	for i := 0; i < len(in); i++ {
		bytewise = append(bytewise, in[i:i+1])
	}
	if got := filter(Renderer, bytewise...); got != whole {
		t.Errorf("byte by byte: %q, want %q", got, whole)
	}
	for cut := 1; cut < len(in); cut++ {
		if got := filter(Renderer, in[:cut], in[cut:]); got != whole {
			t.Errorf("cut at %d: %q, want %q", cut, got, whole)
		}
	}
}

// frame is a screen as the renderer writes it: the cursor moved up, each
// line erased and drawn with colours, Latvian text and box drawing.
func frame() []byte {
	var b strings.Builder
	b.WriteString(ansi.CursorUp(23))
	for i := 0; i < 24; i++ {
		b.WriteString("\x1b[1;38;5;39mPPP\x1b[0m · \x1b[38;5;245mIlze Bērziņa (ilze.berzina)\x1b[0m │ ")
		b.WriteString(fmt.Sprintf("#%d  2026-03-05 14:0%d  auth.failure  operator ģērtrūde   ", 1000+i, i%10))
		b.WriteString(strings.Repeat("─", 8))
		b.WriteString(ansi.EraseLineRight)
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}

// BenchmarkWriter_Frame is the backstop's cost on one typical frame.
func BenchmarkWriter_Frame(b *testing.B) {
	f := frame()
	var out bytes.Buffer
	w := NewWriter(&out, Renderer)
	b.SetBytes(int64(len(f)))
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		_, _ = w.Write(f)
	}
}
