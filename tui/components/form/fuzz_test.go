package form

import (
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/muesli/termenv"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"github.com/viaa/ppp/tui/theme"
)

// FuzzFormFields feeds arbitrary typing, pastes and editing keys to a form
// of a short field, a long one, a password, a text of several lines, a
// date and a choice, and checks after every key that each value is valid
// UTF-8 within its limit, holds no control or reordering character (a
// line break only in the text of several lines), and that the view sends
// no escape sequence.
func FuzzFormFields(f *testing.F) {
	f.Add([]byte("Ģertrūde\x1e\x08a\x00b\x1b[31mc"))
	f.Add([]byte("\x1e\x10" + strings.Repeat("ā\n", 8)))
	f.Add([]byte("\x1f\x00\x00\xd8\x00\x1f\x00\x00\x20\x2e\x0a\x1d\x04\xff\xfe\xc2\x9b"))
	f.Add([]byte("\xe2\x80\xae\xef\xbb\xbf\x7f\x09\x09abc\x03\x02\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &common.Common{Styles: theme.New(theme.NewRenderer(io.Discard, termenv.Ascii)), Catalog: i18n.For(i18n.LV)}
		c.Keys = common.NewKeyMap(c.Catalog)
		m := New(c, "tui.pw.title", nil,
			Field{ID: "short", Label: "tui.pw.field.new", Limit: 10},
			Field{ID: "long", Label: "tui.pw.field.new"},
			Field{ID: "secret", Label: "tui.pw.field.again", Kind: Password, Limit: 64},
			Field{ID: "text", Label: "tui.ann.field.body", Kind: Area, Limit: 40},
			Field{ID: "date", Label: "tui.ann.field.starts", Kind: DateTime},
			Field{ID: "kind", Label: "tui.ann.field.kind", Kind: Choice, Options: []string{"news", "downtime"}, OptionKey: "announcement.kind."})
		limits := map[string]int{"short": 10, "long": 256, "secret": 64, "text": 40, "date": len(DateTimeLayout)}
		for _, k := range tuitest.KeysFromBytes(data) {
			m.Update(k)
			draft := m.Draft()
			for id, limit := range limits {
				v := draft[id]
				if !utf8.ValidString(v) || strings.ContainsRune(v, utf8.RuneError) {
					t.Fatalf("field %s holds invalid text %q", id, v)
				}
				if n := utf8.RuneCountInString(v); n > limit {
					t.Fatalf("field %s holds %d characters, limit %d", id, n, limit)
				}
				if i := strings.IndexFunc(v, func(r rune) bool {
					return common.DroppedRune(r) || r == '\n' && id != "text" || r == '\r' || r == '\t'
				}); i >= 0 {
					t.Fatalf("field %s holds %q", id, v)
				}
			}
			if k := m.Value("kind"); k != "news" && k != "downtime" {
				t.Fatalf("choice holds %q", k)
			}
			if view := m.View(80, 20); strings.ContainsAny(view, "\x1b\x00\r\u202e\u009b") {
				t.Fatalf("the view holds a control character: %q", view)
			}
		}
	})
}
