package pgpass

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// TestEnsure_OnePasswordPerRole_PrivateFile proves that a role gets one
// password however many callers ask at once, that it is kept, and that
// the file is its owner's alone (libpq ignores it otherwise).
func TestEnsure_OnePasswordPerRole_PrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pgpass")
	var wg sync.WaitGroup
	got := make([]string, 16)
	created := make([]bool, 16)
	for i := range got {
		wg.Go(func() {
			pw, c, err := Ensure(path, "ppp_app")
			if err != nil {
				t.Error(err)
			}
			got[i], created[i] = pw, c
		})
	}
	wg.Wait()
	n := 0
	for i := range got {
		if got[i] != got[0] {
			t.Fatalf("two passwords for one role: %q and %q", got[0], got[i])
		}
		if created[i] {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d callers created the password; want 1", n)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{32}$`).MatchString(got[0]) {
		t.Fatalf("password %q is not 32 URL-safe characters", got[0])
	}
	other, _, err := Ensure(path, "ppp_owner")
	if err != nil || other == got[0] {
		t.Fatalf("second role: %q, %v", other, err)
	}
	if pw, ok, err := Lookup(path, "ppp_app"); err != nil || !ok || pw != got[0] {
		t.Fatalf("Lookup = %q, %v, %v", pw, ok, err)
	}
	if _, ok, _ := Lookup(path, "ppp"); ok {
		t.Fatal("Lookup found a role that has no line")
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != Mode {
		t.Fatalf("mode %v, %v; want %v", fi.Mode().Perm(), err, os.FileMode(Mode))
	}
	b, _ := os.ReadFile(path)
	if lines := strings.Count(string(b), "\n"); lines != 2 {
		t.Fatalf("file has %d lines; want 2:\n%s", lines, b)
	}
	if _, _, err := Ensure(path, "bad:name"); err == nil {
		t.Fatal("a role name with a colon was written")
	}
}

// TestVerifier_Format proves the verifier's shape; that PostgreSQL
// accepts it is proved where a role is given one (pgcluster, storage).
func TestVerifier_Format(t *testing.T) {
	v, err := Verifier("s3cret-Pass_word")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$`)
	if !re.MatchString(v) {
		t.Fatalf("verifier %q", v)
	}
	if strings.Contains(v, "s3cret") {
		t.Fatal("the verifier holds the password")
	}
	if _, err := Verifier("pass word"); err == nil {
		t.Fatal("a password with a space was accepted")
	}
}
