package common

import (
	"slices"
	"testing"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
)

func TestCleanRunes_DropsCutsAndCounts(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		runes    []rune // used instead of in when set
		room     int
		lineRoom int
		want     string
		dropped  int
		cut      bool
	}{
		{name: "plain Latvian", in: "Ģertrūde Ķēniņa", room: -1, lineRoom: -1, want: "Ģertrūde Ķēniņa"},
		{name: "controls and bidi", in: "a\x00b\x1b[31mc\x7fd\u0085e\u202ef\u2066g\ufeffh", room: -1, lineRoom: -1, want: "ab[31mcdefgh", dropped: 7},
		{name: "line breaks on one line", in: "a\r\nb\nc\rd\te", room: -1, lineRoom: -1, want: "a b c d e"},
		{name: "line breaks kept in an area", in: "a\r\nb\nc\rd\te", room: -1, lineRoom: 10, want: "a\nb\nc\nd e"},
		{name: "invalid runes", runes: []rune{'o', utf8.RuneError, 0xD800, -5, 0x110000, 'k'}, room: -1, lineRoom: -1, want: "ok", dropped: 4},
		{name: "cut to room", in: "ābcdef", room: 3, lineRoom: -1, want: "ābc", cut: true},
		{name: "cut counts drops after the cut", in: "abc\x00\x01", room: 2, lineRoom: -1, want: "ab", cut: true, dropped: 2},
		{name: "no room", in: "x", room: 0, lineRoom: -1, want: "", cut: true},
		{name: "line room", in: "1\n2\n3\n4", room: -1, lineRoom: 2, want: "1\n2\n3", cut: true},
		{name: "drops do not use room", in: "\x00\x00ab", room: 2, lineRoom: -1, want: "ab", dropped: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.runes
			if in == nil {
				in = []rune(tt.in)
			}
			orig := slices.Clone(in)
			got, n := CleanRunes(in, tt.room, tt.lineRoom)
			if string(got) != tt.want || n.Dropped != tt.dropped || n.Cut != tt.cut {
				t.Errorf("got %q %+v, want %q dropped %d cut %v", string(got), n, tt.want, tt.dropped, tt.cut)
			}
			if !slices.Equal(in, orig) {
				t.Error("the input runes were changed")
			}
		})
	}
}

func TestInputNotice_Err_NamesACatalogKey(t *testing.T) {
	for n, key := range map[InputNotice]string{
		{Cut: true, Limit: 5}:             "tui.input.cut",
		{Dropped: 2}:                      "tui.input.dropped",
		{Cut: true, Limit: 5, Dropped: 1}: "tui.input.cut_dropped",
	} {
		err := n.Err()
		if err == nil || n.Cmd() == nil {
			t.Fatalf("%+v: no error", n)
		}
		if e := domain.AsError(err); e == nil || e.Code != domain.EINVALID || e.Key != key {
			t.Errorf("%+v: %#v, want key %q", n, err, key)
		}
	}
	if (InputNotice{}).Err() != nil || (InputNotice{}).Cmd() != nil {
		t.Error("a notice of nothing is an error")
	}
}

func TestCleanLineKey_LeavesOtherKeysAlone(t *testing.T) {
	for _, k := range []tea.KeyMsg{{Type: tea.KeyEnter}, {Type: tea.KeyBackspace}, {Type: tea.KeyCtrlU}} {
		got, n := CleanLineKey(k, 0)
		if got.Type != k.Type || n != (InputNotice{}) {
			t.Errorf("%v changed to %v %+v", k, got, n)
		}
	}
	got, n := CleanLineKey(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}, 0)
	if len(got.Runes) != 0 || !n.Cut {
		t.Errorf("a space into a full field: %v %+v, want cut", got, n)
	}
}
