package demodata_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/storage/demodata"
)

// termsClauses returns the clause numbers of the terms of use of
// 2024-09-04 ("1", "17", "17.5", "27.1.3" …) as the demo publishes them.
func termsClauses(t *testing.T) map[string]bool {
	t.Helper()
	clauses := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^(\d+(?:\.\d+)*)\.\s`).FindAllStringSubmatch(demodata.TermsText(), -1) {
		clauses[m[1]] = true
	}
	if len(clauses) < 70 || !clauses["32.8"] || !clauses["31.2"] || clauses["34"] {
		t.Fatalf("the terms of 2024-09-04 parse into %d clauses, want 79 from 1 to 33 with 31.2 and 32.8", len(clauses))
	}
	return clauses
}

// clauseRef finds a cited clause: "¶32.8", "¶ 14", "¶27.1.3", and the
// Latvian and English ways of writing one: "(14.)", "32.8. apakšpunkts",
// "14. punkta", "clause 14".
var clauseRef = regexp.MustCompile(`¶\s?(\d+(?:\.\d+)*)|\((\d+(?:\.\d+)*)\.\)|(\d+(?:\.\d+)*)\.\s?(?:apakš)?punkt|[Cc]lause (\d+(?:\.\d+)*)`)

// stringLiterals returns the string literals of the Go files (tests
// excluded) under dir, by file.
func stringLiterals(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				if s, err := strconv.Unquote(bl.Value); err == nil {
					out[path] = append(out[path], s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCatalogs_EveryCitedClauseExistsInTheTerms proves every "¶N.M" a
// person reads — in the message catalogs (both languages), the mail
// templates and the screens' own strings — names a clause of the terms of
// use of 2024-09-04 that the demo publishes as the version in force.
func TestCatalogs_EveryCitedClauseExistsInTheTerms(t *testing.T) {
	clauses := termsClauses(t)
	cited := 0
	check := func(where, text string) {
		for _, m := range clauseRef.FindAllStringSubmatch(text, -1) {
			n := m[1] + m[2] + m[3] + m[4]
			cited++
			if !clauses[n] {
				t.Errorf("%s cites ¶%s, which the terms of 2024-09-04 do not have: %q", where, n, text)
			}
		}
	}
	for _, lang := range []i18n.Lang{i18n.LV, i18n.EN} {
		c := i18n.For(lang)
		keys := c.Keys()
		slices.Sort(keys)
		for _, k := range keys {
			check(string(lang)+" "+k, c.T(k, 1))
		}
	}
	for _, dir := range []string{"../../domain/mailtmpl", "../../tui", "../../domain/i18n"} {
		for path, lits := range stringLiterals(t, dir) {
			for _, s := range lits {
				check(path, s)
			}
		}
	}
	if cited < 100 {
		t.Errorf("found %d citations, want the hundreds the catalogs hold: is clauseRef still right?", cited)
	}
}

// TestTermsText_IsTheSeedWordForWord proves the embedded copy of the terms
// of 2024-09-04 changes no word of the shared seed, only its layout. The
// seed lies beside the repository (../shared) in CI and on the project's
// machines; elsewhere the test is skipped, since the build needs only the
// copy.
func TestTermsText_IsTheSeedWordForWord(t *testing.T) {
	var seeds []string
	for _, pattern := range []string{"../../../shared/seed/*.txt", "../../../../shared/seed/*.txt"} {
		m, _ := filepath.Glob(pattern)
		seeds = append(seeds, m...)
	}
	if len(seeds) == 0 {
		t.Skip("no ../shared/seed beside the repository")
	}
	seed, err := os.ReadFile(seeds[0])
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Fields(demodata.TermsText()), strings.Fields(string(seed)); !slices.Equal(got, want) {
		t.Errorf("the embedded terms have %d words, the seed %s %d, or they differ", len(got), seeds[0], len(want))
	}
}
