package plain

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile holds one of each thing a stored value may carry to a terminal.
var hostile = []struct{ name, in, line string }{
	{"OSC 0 title, BEL", "a\x1b]0;PWNED\x07b", "ab"},
	{"OSC 52 clipboard, ST", "a\x1b]52;c;UFdORUQ=\x1b\\b", "ab"},
	{"OSC cancelled by CAN", "a\x1b]0;PWNED\x18b", "ab"},
	{"OSC ended by another ESC", "a\x1b]0;PWNED\x1b[31mb", "ab"},
	{"OSC without end", "a\x1b]0;PWNED", "a"},
	{"CSI clear screen", "a\x1b[2Jb", "ab"},
	{"SGR", "\x1b[31;1mred\x1b[0m", "red"},
	{"CSI private mode", "a\x1b[?1049lb", "ab"},
	{"CSI cut short by a letter outside it", "a\x1b[12\x07b", "ab"},
	{"DCS", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
	{"APC", "a\x1b_Gf=100;AAAA\x1b\\b", "ab"},
	{"PM and SOS", "a\x1b^x\x1b\\\x1bXy\x1b\\b", "ab"},
	{"two-byte escape", "a\x1bcb\x1b7c", "abc"},
	{"escape with intermediate", "a\x1b(0b", "ab"},
	{"ESC at the end", "ab\x1b", "ab"},
	{"ESC before a letter with diacritics", "a\x1bāb", "aāb"},
	{"C1 CSI (U+009B)", "a\u009b2Jb", "ab"},
	{"C1 OSC (U+009D) with C1 ST", "a\u009d0;PWNED\u009cb", "ab"},
	{"C1 DCS, APC", "a\u0090x\u009c\u009fy\u009cb", "ab"},
	{"C1 NEL and others", "a\u0085\u0084b", "ab"},
	{"bidi override and isolate", "a\u202eb\u2066c\u2069\u200fd", "abcd"},
	{"byte-order mark", "\ufeffab", "ab"},
	{"invalid UTF-8, one mark per run", "a\xff\xfe\xc0b", "a\uFFFDb"},
	{"raw 8-bit CSI", "a\x9b2Jb", "a\uFFFD2Jb"},
	{"NUL, BEL, DEL, backspace", "a\x00\x07\x7f\x08b", "ab"},
	{"tabs and line breaks", "a\tb\r\nc\rd\u2028e", "a b c d e"},
	{"Latvian stays", "  Ģertrūde Ķēniņa-Ozoliņa  ", "Ģertrūde Ķēniņa-Ozoliņa"},
}

func TestLine_DropsEverySequenceWhole(t *testing.T) {
	for _, tc := range hostile {
		if got := Line(tc.in); got != tc.line {
			t.Errorf("%s: Line(%q) = %q, want %q", tc.name, tc.in, got, tc.line)
		}
		if got := Show(tc.in); got != tc.line {
			t.Errorf("%s: Show(%q) = %q, want %q", tc.name, tc.in, got, tc.line)
		}
	}
}

func TestText_KeepsLineBreaks_EndsAStringSequenceAtOne(t *testing.T) {
	in := "Labdien,\r\n\x1b]0;PWNED\notrā\trindā\x1b[2J\n\u202ebeigas\x07"
	want := "Labdien,\n\notrā rindā\nbeigas"
	if got := Text(in); got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if got := ShowText(in); got != want {
		t.Errorf("ShowText = %q, want %q", got, want)
	}
}

func TestShow_CutsAHundredKilobyteLine(t *testing.T) {
	long := strings.Repeat("ā\x1b[31m", 100<<10/8)
	got := Show(long)
	if n := utf8.RuneCountInString(got); n != LineLimit+1 {
		t.Errorf("Show of a 100 KB line: %d characters, want %d and the mark", n, LineLimit+1)
	}
	if !strings.HasSuffix(got, Ellipsis) || strings.ContainsRune(got, 0x1b) {
		t.Errorf("Show of a 100 KB line: %q…", got[:40])
	}
	if got := Line(long); utf8.RuneCountInString(got) != 100<<10/8 {
		t.Errorf("Line cut the value to %d characters; it must not cut", utf8.RuneCountInString(got))
	}
	plainLong := strings.Repeat("x", 100<<10)
	if got := Show(plainLong); utf8.RuneCountInString(got) != LineLimit+1 {
		t.Errorf("Show of 100 KB of ASCII: %d characters", utf8.RuneCountInString(got))
	}
}

func TestShowText_CutsEachLineAndTheWhole(t *testing.T) {
	in := strings.Repeat("y", TextLineLimit+50) + "\nnext\n"
	got := ShowText(in)
	want := strings.Repeat("y", TextLineLimit) + Ellipsis + "\nnext"
	if got != want {
		t.Errorf("ShowText kept %d bytes, want the first line cut and the next kept", len(got))
	}
	many := strings.Repeat("line of text\n", TextLimit/10)
	if got := ShowText(many); utf8.RuneCountInString(got) > TextLimit+1 || !strings.HasSuffix(got, Ellipsis) {
		t.Errorf("ShowText of %d characters kept %d", len(many), utf8.RuneCountInString(got))
	}
}

func TestLine_PlainInputComesBackUnchanged(t *testing.T) {
	for _, s := range []string{"", "ilze.berzina", "Ilze Bērziņa", "#12 · 2026-03-05 14:00 — ✓", "日本語"} {
		if got := Show(s); got != s {
			t.Errorf("Show(%q) = %q", s, got)
		}
	}
}

func TestLine_IsIdempotent(t *testing.T) {
	for _, tc := range hostile {
		once := Show(tc.in)
		if twice := Show(once); twice != once {
			t.Errorf("%s: Show twice = %q, once = %q", tc.name, twice, once)
		}
	}
	long := Show(strings.Repeat("z", 5000))
	if Show(long) != long {
		t.Error("Show of a cut value cut it again")
	}
}

func FuzzShow_NothingExecutableSurvives(f *testing.F) {
	for _, tc := range hostile {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Show(s), ShowText(s), Line(s), Text(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q: %q", s, out)
			}
			for _, r := range out {
				if r < 0x20 && r != '\n' || r >= 0x7f && r <= 0x9f || IsBidiControl(r) || r == 0xfeff {
					t.Fatalf("%U left in %q (from %q)", r, out, s)
				}
			}
		}
	})
}

func TestStripSequences_DropsSequencesKeepsControls(t *testing.T) {
	in := "a\tb\x1b]0;PWNED\x07c\n\u009b2Jd\x1b[31me\x07"
	if got, want := StripSequences(in), "a\tbc\nde\x07"; got != want {
		t.Errorf("StripSequences = %q, want %q", got, want)
	}
	if s := "Ģertrūde\tĶēniņa\n"; StripSequences(s) != s {
		t.Errorf("StripSequences changed plain text")
	}
}

// BenchmarkShow is the cost of making one table cell plain: short
// values, a hostile one, and 100 KB lines (cut to LineLimit).
func BenchmarkShow(b *testing.B) {
	for i, c := range []string{"ilze.berzina", "Ilze Bērziņa", "operator \x1b]0;x\x07ģ", strings.Repeat("x", 100<<10), strings.Repeat("ā\x1b[1m", 100<<10/8)} {
		b.Run(fmt.Sprint(i), func(b *testing.B) {
			for b.Loop() {
				_ = Show(c)
			}
		})
	}
}
