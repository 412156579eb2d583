package theme

import (
	"io"
	"strings"
	"testing"

	"github.com/muesli/termenv"
)

func TestProfileFromEnv_FollowsTermColortermAndNoColor(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want termenv.Profile
	}{
		{nil, termenv.Ascii},
		{[]string{"TERM=dumb"}, termenv.Ascii},
		{[]string{"TERM=xterm"}, termenv.ANSI},
		{[]string{"TERM=screen"}, termenv.ANSI},
		{[]string{"TERM=linux"}, termenv.ANSI},
		{[]string{"TERM=vt100"}, termenv.Ascii},
		{[]string{"TERM=xterm-256color"}, termenv.ANSI256},
		{[]string{"TERM=tmux-256color"}, termenv.ANSI256},
		{[]string{"TERM=xterm-direct"}, termenv.TrueColor},
		{[]string{"TERM=xterm-256color", "COLORTERM=truecolor"}, termenv.TrueColor},
		{[]string{"TERM=xterm", "COLORTERM=24bit"}, termenv.TrueColor},
		{[]string{"TERM=xterm-256color", "NO_COLOR=1"}, termenv.Ascii},
		{[]string{"TERM=xterm-256color", "NO_COLOR="}, termenv.ANSI256},
		{[]string{"TERM=dumb", "COLORTERM=truecolor"}, termenv.Ascii},
	} {
		if got := ProfileFromEnv(tc.env); got != tc.want {
			t.Errorf("%v: profile %v, want %v", tc.env, got, tc.want)
		}
	}
}

func TestStyles_UseTheSessionRendererOnly(t *testing.T) {
	ascii := New(NewRenderer(io.Discard, termenv.Ascii))
	if got := ascii.Selected.Render("x"); got != "x" {
		t.Errorf("Ascii selected style rendered %q", got)
	}
	ansi := New(NewRenderer(io.Discard, termenv.ANSI))
	if got := ansi.Selected.Render("x"); !strings.Contains(got, "7m") {
		t.Errorf("16-colour selected style has no reverse video: %q", got)
	}
	if got := ansi.Error.Render("x"); !strings.Contains(got, "91") {
		t.Errorf("16-colour error style is not bright red: %q", got)
	}
	// The renderer never asks the terminal: a dark background is assumed.
	if !ansi.Renderer.HasDarkBackground() {
		t.Error("background not assumed dark")
	}
}
