package common

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/muesli/termenv"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/theme"
)

const hostile = "\x1b]0;PWNED\x07\x1b]52;c;UFdORUQ=\x07\u009b2J\u202e"

func newCommon() *Common {
	return &Common{Catalog: i18n.For(i18n.EN), Styles: theme.New(theme.NewRenderer(io.Discard, termenv.Ascii))}
}

func mustBePlain(t *testing.T, what, s string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "PWNED"} {
		if strings.Contains(s, bad) {
			t.Errorf("%s carries %q: %q", what, bad, s)
		}
	}
}

type role string

type stringer struct{ s string }

func (s stringer) String() string { return s.s }

// Whatever is formatted into a catalog message is data: T makes every
// string-like argument plain, numbers stay numbers.
func TestT_MakesEveryStringArgumentPlain(t *testing.T) {
	c := newCommon()
	got := c.T("tui.ops.keys_title", "ilze"+hostile, 3)
	mustBePlain(t, "T", got)
	if !strings.Contains(got, "ilze") || !strings.Contains(got, "3") {
		t.Errorf("T lost its arguments: %q", got)
	}
	args := PlainArgs([]any{role("admin" + hostile), stringer{"x" + hostile}, errors.New("e" + hostile), 42, 1.5, nil})
	mustBePlain(t, "PlainArgs", fmt.Sprint(args...))
	if args[3] != 42 || args[4] != 1.5 {
		t.Errorf("numbers changed: %v", args)
	}
	if plainArgs := []any{"ok", 1}; &PlainArgs(plainArgs)[0] != &plainArgs[0] {
		t.Error("PlainArgs copied arguments that needed nothing")
	}
	mustBePlain(t, "a missing key built from a stored value", c.T("tui.rr.state."+hostile))
	if got := c.Named("tui.rr.state.nothing"+hostile, "stored"+hostile); got != "stored" {
		t.Errorf("Named fallback = %q, want the stored value plain", got)
	}
}

// An error names what it is about ("held by %s"): Err renders it with its
// arguments and its problems' arguments plain.
func TestErr_MakesTheErrorsArgumentsPlain(t *testing.T) {
	c := newCommon()
	err := fmt.Errorf("wrapped: %w", &domain.Error{
		Code: domain.ECONFLICT, Key: "tui.rr.held_by", Args: []any{int64(7), "Jānis" + hostile},
		Problems: []domain.Problem{{Field: "x", Key: "tui.rr.held_by", Args: []any{int64(8), "Anna" + hostile}}},
	})
	got := c.Err(err)
	mustBePlain(t, "Err", got)
	if !strings.Contains(got, "Jānis") || !strings.Contains(got, "Anna") {
		t.Errorf("Err lost its arguments: %q", got)
	}
}

// A detail view's values are data: Fields draws them plain, wrapped or
// cut to the width, however long.
func TestFields_DrawValuesPlainAndWithinTheWidth(t *testing.T) {
	c := newCommon()
	long := strings.Repeat("vārds "+hostile, 20000)
	for _, wrap := range []bool{true, false} {
		lines := c.Fields([]Field{{Label: "tui.audit.f.subject", Value: "operator " + hostile}, {Label: "tui.audit.f.details", Value: long}}, 50, 2, wrap)
		for _, l := range lines {
			mustBePlain(t, "Fields", l)
			if len([]rune(l)) > 50 {
				t.Errorf("wrap %v: a line is %d wide: %q", wrap, len([]rune(l)), l)
			}
		}
		if !wrap && len(lines) != 2 {
			t.Errorf("without wrapping, %d lines for 2 fields", len(lines))
		}
	}
}
