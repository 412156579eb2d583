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
	t.Parallel()
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

// TestDBBackupRestore_IntoAnEmptyCluster_AuditVerifies proves `ppp db
// backup` and `ppp db restore` on the private cluster: the demo's data
// backed up (mode 0600: it holds personal data), refused by a cluster that
// is not empty, restored into a new data folder's cluster, where `ppp
// audit verify` passes over the same number of entries, the operators are
// those of the original and the application role works (the roles and
// their grants made again).
func TestDBBackupRestore_IntoAnEmptyCluster_AuditVerifies(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	private := func(dir string) []string {
		return []string{"PPP_DATABASE_URL=", "PPP_DATA_DIR=" + dir, "PPP_DB_EPHEMERAL=1"}
	}
	// Data folders the cluster's owner (postgres, when the tests run as
	// root) can enter, so the clusters live in them and go with them;
	// under t.TempDir's 0700 folder they would be kept in /var/tmp.
	dataDir := func() string {
		dir, err := os.MkdirTemp("", "ppp-backup-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		if err := os.Chmod(dir, 0o711); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	from, to := private(dataDir()), private(dataDir())
	for _, env := range [][]string{from, to} {
		if res := in.runEnv(t, env, "db", "start"); res.code != 0 {
			t.Fatalf("db start: %s", res)
		}
		t.Cleanup(func() { in.runEnv(t, env, "db", "stop") })
	}
	if res := in.runEnv(t, from, "demo", "--scale", "10"); res.code != 0 {
		t.Fatalf("demo: %s", res)
	}
	verified := in.runEnv(t, from, "audit", "verify")
	operators := in.runEnv(t, from, "operator", "list")
	if verified.code != 0 || operators.code != 0 {
		t.Fatalf("before the backup:\n%s\n%s", verified, operators)
	}

	file := filepath.Join(t.TempDir(), "ppp.dump")
	if res := in.runEnv(t, from, "db", "backup", file); res.code != 0 || !strings.Contains(res.stdout, "Backup written: "+file) {
		t.Fatalf("db backup: %s", res)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the backup file: %v, %v; want mode 0600", st.Mode(), err)
	}
	if res := in.runEnv(t, from, "db", "restore", file); res.code != 2 || !strings.Contains(res.stderr, "is not empty") {
		t.Errorf("restore into the cluster the backup came from: %s\nwant exit 2, not empty", res)
	}
	if res := in.runEnv(t, to, "db", "restore", file); res.code != 0 {
		t.Fatalf("db restore: %s", res)
	}
	// The first line counts the entries checked; the second says where
	// the verification resumed, which the first run moved.
	firstLine := func(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }
	if res := in.runEnv(t, to, "audit", "verify"); res.code != 0 || firstLine(res.stdout) != firstLine(verified.stdout) {
		t.Errorf("audit verify after the restore: %s\nwant, as before the backup:\n%s", res, firstLine(verified.stdout))
	}
	if res := in.runEnv(t, to, "operator", "list"); res.code != 0 || res.stdout != operators.stdout {
		t.Errorf("operator list after the restore: %s\nwant:\n%s", res, operators.stdout)
	}
	if res := in.runEnv(t, in.environ(), "db", "backup", file); res.code != 2 || !strings.Contains(res.stderr, "work on the private cluster") {
		t.Errorf("db backup with PPP_DATABASE_URL: %s\nwant exit 2", res)
	}
}
