package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDatabaseURLFile_ServeAndDBVerbsUseIt proves PPP_DATABASE_URL_FILE
// end to end: with PPP_DATABASE_URL unset, `ppp db url` prints the URL
// the file holds, `ppp operator list` and `ppp serve` work on that
// database; both forms set stop the verb with exit 2 and one line naming
// both, and a file every user may read is refused.
func TestDatabaseURLFile_ServeAndDBVerbsUseIt(t *testing.T) {
	in := newInstance(t)
	in.addOperator("ilze.kalna", "Ilze Kalna", "admin")
	file := filepath.Join(t.TempDir(), "database-url")
	if err := os.WriteFile(file, []byte(in.dbURL+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	viaFile := []string{"PPP_DATABASE_URL=", "PPP_DATABASE_URL_FILE=" + file}

	if res := in.runEnv(t, viaFile, "db", "url"); res.code != 0 || strings.TrimSpace(res.stdout) != in.dbURL {
		t.Fatalf("ppp db url with PPP_DATABASE_URL_FILE: %s\nwant the file's URL", res)
	}
	if res := in.runEnv(t, viaFile, "operator", "list"); res.code != 0 || !strings.Contains(res.stdout, "ilze.kalna") {
		t.Fatalf("ppp operator list with PPP_DATABASE_URL_FILE: %s", res)
	}
	srv := in.startServer(viaFile...)
	if srv.addr == "" {
		t.Fatal("ppp serve did not listen")
	}

	both := []string{"PPP_DATABASE_URL_FILE=" + file}
	if res := in.runEnv(t, both, "operator", "list"); res.code != 2 || !strings.Contains(res.stderr, "both PPP_DATABASE_URL and PPP_DATABASE_URL_FILE are set") {
		t.Errorf("both set: %s\nwant exit 2 naming both", res)
	}
	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	if res := in.runEnv(t, viaFile, "operator", "list"); res.code != 2 || !strings.Contains(res.stderr, "(mode 0644)") || strings.Contains(res.stderr, in.dbURL) {
		t.Errorf("world-readable file: %s\nwant exit 2 naming the mode, not the URL", res)
	}
}
