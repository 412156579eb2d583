package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain/i18n"
)

// errorKeyRE finds the catalog key of every domain error built in code:
// domain.Errorf(domain.EINVALID, "rolerequest.closed", …).
var errorKeyRE = regexp.MustCompile(`Errorf\((?:domain\.)?E[A-Z]+, "([a-z0-9_]+\.[a-z0-9_.]+)"`)

// TestCatalog_EveryErrorKeyInCode_HasAMessage proves that no error a
// person can be shown falls back to "[key]": every key passed to
// domain.Errorf in the program's code exists in the catalogs.
func TestCatalog_EveryErrorKeyInCode_HasAMessage(t *testing.T) {
	known := map[string]bool{}
	for _, k := range i18n.For(i18n.LV).Keys() {
		known[k] = true
	}
	root := filepath.Join("..", "..")
	seen := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != root || d.Name() == "fakes" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range errorKeyRE.FindAllStringSubmatch(string(b), -1) {
			seen++
			if !known[m[1]] {
				t.Errorf("%s: key %q has no message in the catalogs", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 50 {
		t.Fatalf("found only %d error keys; the scan is not reading the code", seen)
	}
}
