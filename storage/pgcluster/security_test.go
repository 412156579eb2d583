package pgcluster

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestCluster_AnotherLocalUser_GetsNothing is the attack of issue 15: the
// private cluster trusted every local user (--auth=trust, socket 0777,
// folders 0755), so that user nobody connected with psql as the superuser
// and ran programs as the cluster's owner through COPY … TO PROGRAM. Now
// another local user can neither read the cluster's folders nor connect,
// with or without the superuser's URL.
func TestCluster_AnotherLocalUser_GetsNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run psql as another user (nobody); the tests run as root in CI")
	}
	nobody, err := lookupAccount("nobody")
	if err != nil {
		t.Skipf("no user nobody to act as another local user: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := Config{DataDir: reachableTempDir(t), Ephemeral: true}
	c, err := Ensure(ctx, cfg)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	t.Cleanup(func() { _ = Stop(context.Background(), cfg) })
	psql := filepath.Join(c.bin, "psql")
	if !exists(psql) {
		t.Skipf("no psql beside the server programs in %s", c.bin)
	}
	sock := socketDir(t, c.URL())
	marker := filepath.Join(t.TempDir(), "ran")
	if err := os.Chmod(filepath.Dir(marker), 0o777); err != nil {
		t.Fatal(err)
	}
	copyToProgram := "COPY (SELECT 1) TO PROGRAM 'touch " + marker + "'"
	for _, target := range []string{
		c.URL(), // the superuser's URL as ppp db url prints it
		"host=" + sock + " port=5432 user=" + Database + " dbname=" + Database + " sslmode=disable",
		"host=" + sock + " port=5432 user=postgres dbname=postgres sslmode=disable",
	} {
		cmd := exec.CommandContext(ctx, psql, "-X", "-w", "-d", target, "-c", copyToProgram)
		cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/nonexistent", "PGCONNECT_TIMEOUT=5"}
		cmd.Dir = "/"
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody.uid, Gid: nobody.gid}}
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("user nobody connected to %s and ran COPY … TO PROGRAM:\n%s", target, out)
		}
	}
	if exists(marker) {
		t.Error("a program ran on the server for user nobody")
	}

	// The folders are the cluster owner's alone.
	for _, dir := range []string{c.Dir(), c.dataDir(), sock} {
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode&0o077 != 0 {
			t.Errorf("%s has mode %04o; want no access for group or others", dir, mode)
		}
	}
	if fi, err := os.Stat(filepath.Join(sock, ".s.PGSQL.5432")); err != nil {
		t.Fatal(err)
	} else if mode := fi.Mode().Perm(); mode&0o077 != 0 {
		t.Errorf("the socket has mode %04o; want no access for group or others", mode)
	}
}

// TestCluster_WithoutThePassword_NoConnection proves that reaching the
// socket is not enough: the cluster asks for a password (scram-sha-256)
// from everyone, the superuser included, and the URL Ensure gives carries
// it (through the password file).
func TestCluster_WithoutThePassword_NoConnection(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := Config{DataDir: reachableTempDir(t), Ephemeral: true}
	c, err := Ensure(ctx, cfg)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	t.Cleanup(func() { _ = Stop(context.Background(), cfg) })
	sock := socketDir(t, c.URL())
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "none"))
	for _, target := range []string{
		"host=" + sock + " port=5432 user=" + Database + " dbname=" + Database + " sslmode=disable passfile=/nonexistent",
		"host=" + sock + " port=5432 user=" + Database + " password=guess dbname=" + Database + " sslmode=disable",
	} {
		if conn, err := pgx.Connect(ctx, target); err == nil {
			conn.Close(ctx)
			t.Errorf("connected without the password: %s", target)
		}
	}
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatalf("the URL Ensure gives does not connect: %v", err)
	}
	defer conn.Close(ctx)
	var method string
	if err := conn.QueryRow(ctx, `SELECT auth_method FROM pg_hba_file_rules WHERE type = 'local' ORDER BY line_number LIMIT 1`).Scan(&method); err != nil {
		t.Fatal(err)
	}
	if method != "scram-sha-256" {
		t.Errorf("local connections authenticate by %q; want scram-sha-256", method)
	}
}

// TestEnsure_ClusterMadeBeforeIssue15_IsSecured proves that a cluster
// made by an earlier ppp (trusting every local user, no password file,
// folders open to everyone) is secured by the next Ensure, running or not:
// afterwards only the password file's password lets anyone in.
func TestEnsure_ClusterMadeBeforeIssue15_IsSecured(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := Config{DataDir: reachableTempDir(t), Ephemeral: true}
	c, err := Ensure(ctx, cfg)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	t.Cleanup(func() { _ = Stop(context.Background(), cfg) })
	sock := socketDir(t, c.URL())
	noPassword := "host=" + sock + " port=5432 user=" + Database + " dbname=" + Database + " sslmode=disable passfile=/nonexistent"

	// Make it what an earlier ppp made: trust, no password file, 0755.
	if err := os.WriteFile(filepath.Join(c.dataDir(), "pg_hba.conf"), []byte("local all all trust\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_reload_conf()"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	for _, d := range []string{c.Dir(), sock} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(c.PassFile()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return tryConnect(ctx, noPassword) == nil })

	if _, err := Ensure(ctx, cfg); err != nil {
		t.Fatalf("Ensure of the old cluster: %v", err)
	}
	waitFor(t, func() bool { return tryConnect(ctx, noPassword) != nil })
	if err := tryConnect(ctx, c.URL()); err != nil {
		t.Fatalf("the URL does not connect after securing: %v", err)
	}
	for _, d := range []string{c.Dir(), sock} {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v, %v; want mode 0700", d, fi.Mode().Perm(), err)
		}
	}
	if fi, err := os.Stat(c.PassFile()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("password file: %v; want mode 0600", err)
	}
}

// tryConnect connects to target and closes the connection at once.
func tryConnect(ctx context.Context, target string) error {
	conn, err := pgx.Connect(ctx, target)
	if err != nil {
		return err
	}
	return conn.Close(ctx)
}

// waitFor waits up to 10 s for cond: a reloaded configuration takes
// effect shortly after pg_reload_conf returns.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// socketDir returns the socket folder named in a URL of the cluster.
func socketDir(t *testing.T, u string) string {
	t.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	sock := parsed.Query().Get("host")
	if sock == "" {
		t.Fatalf("no socket folder in %s", u)
	}
	return sock
}
