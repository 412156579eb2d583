package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain/i18n"
)

// TestHelp_ListsEveryVerb_InBothLanguages proves that `ppp help` (and
// `ppp` alone) names every verb of the verb table, each at the start of a
// line of the overview, in Latvian and English — report, person export,
// retention and misuse among them — and that `ppp help VERB` prints each
// verb's own text.
func TestHelp_ListsEveryVerb_InBothLanguages(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"lv", "en"} {
		var out bytes.Buffer
		m := &Main{Env: func(k string) string {
			if k == "PPP_LANG" {
				return lang
			}
			return ""
		}, Stdout: &out, Stderr: io.Discard, cat: i18n.For(i18n.Lang(lang))}
		if err := m.Run(t.Context(), []string{"help"}); err != nil {
			t.Fatalf("%s: ppp help: %v", lang, err)
		}
		help := out.String()
		for _, v := range m.verbs() {
			if !strings.Contains(help, "\n  "+v.name+" ") {
				t.Errorf("%s: ppp help does not list %q:\n%s", lang, v.name, help)
			}
			out.Reset()
			if err := m.Run(t.Context(), []string{"help", v.name}); err != nil || out.Len() == 0 {
				t.Errorf("%s: ppp help %s: %v, %q", lang, v.name, err, out.String())
			}
			out.Reset()
		}
		out.Reset()
		if err := m.Run(t.Context(), []string{"help"}); err != nil || !strings.Contains(out.String(), "person export") {
			t.Errorf("%s: ppp help does not name person export: %q", lang, out.String())
		}
	}
}
