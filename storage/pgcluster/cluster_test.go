package pgcluster

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestEnsure_StartsConnectsAndStops proves the whole life of a cluster: the
// first Ensure initialises and starts it, a second Ensure only connects (and
// so must not stop it on Release), and Release by the starter stops it.
func TestEnsure_StartsConnectsAndStops(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := Config{DataDir: reachableTempDir(t), Ephemeral: true}

	first, err := Ensure(ctx, cfg)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	t.Cleanup(func() { _ = Stop(context.Background(), cfg) })
	if !first.Started() {
		t.Fatal("first Ensure did not start the cluster")
	}
	second, err := Ensure(ctx, cfg)
	if err != nil {
		t.Fatalf("second Ensure: %v", err)
	}
	if second.Started() {
		t.Fatal("second Ensure started a cluster that was running")
	}
	if second.URL() != first.URL() {
		t.Fatalf("URLs differ: %q vs %q", first.URL(), second.URL())
	}
	if err := second.Release(ctx); err != nil {
		t.Fatalf("Release by a non-starter: %v", err)
	}
	conn, err := pgx.Connect(ctx, first.URL())
	if err != nil {
		t.Fatalf("cluster stopped by a non-starter's Release: %v", err)
	}
	var db string
	if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil || db != Database {
		t.Fatalf("current_database = %q, %v", db, err)
	}
	var listen string
	if err := conn.QueryRow(ctx, "SHOW listen_addresses").Scan(&listen); err != nil || listen != "" {
		t.Fatalf("listen_addresses = %q, %v; want none (socket only)", listen, err)
	}
	conn.Close(ctx)

	if err := first.Release(ctx); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if _, err := pgx.Connect(ctx, first.URL()); err == nil {
		t.Fatal("cluster still answers after the starter released it")
	}
	// A later Ensure reuses the initialised cluster and starts it again.
	again, err := Ensure(ctx, cfg)
	if err != nil {
		t.Fatalf("Ensure after stop: %v", err)
	}
	if !again.Started() {
		t.Fatal("Ensure after stop did not start")
	}
	if err := again.Release(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestEnsure_DeepDataDir_SocketStillWorks proves that a data folder too deep
// for a Unix socket path still gets a working cluster.
func TestEnsure_DeepDataDir_SocketStillWorks(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	deep := filepath.Join(reachableTempDir(t), strings.Repeat("a", 40), strings.Repeat("b", 40))
	cfg := Config{DataDir: deep, Ephemeral: true}
	c, err := Ensure(ctx, cfg)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	defer c.Release(context.Background())
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	conn.Close(ctx)
}

// TestFindBinDir_Explicit_Missing_SaysHowToInstall proves the message a
// person gets on a machine without PostgreSQL.
func TestFindBinDir_Explicit_Missing_SaysHowToInstall(t *testing.T) {
	_, err := Ensure(context.Background(), Config{DataDir: t.TempDir(), BinDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "apt-get install postgresql") {
		t.Fatalf("err = %v; want a message saying how to install PostgreSQL", err)
	}
}

// TestUnreachableParent_Mode0700_Found proves that a folder the postgres user
// cannot enter is detected before initdb fails obscurely.
func TestUnreachableParent_Mode0700_Found(t *testing.T) {
	dir := reachableTempDir(t)
	closed := filepath.Join(dir, "closed")
	if err := os.Mkdir(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	someone := &account{name: "nobody-in-particular", uid: 4242, gid: 4242}
	if got := unreachableParent(filepath.Join(closed, "var", "pg"), someone); got != closed {
		t.Fatalf("unreachableParent = %q; want %q", got, closed)
	}
	if got := unreachableParent(filepath.Join(dir, "open", "pg"), someone); got != "" {
		t.Fatalf("unreachableParent = %q; want none", got)
	}
}

// reachableTempDir returns a temporary folder that an unprivileged user can
// enter: t.TempDir's parent is mode 0700, which would send a root-run
// cluster to its stand-in folder.
func reachableTempDir(t *testing.T) string {
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRestart_BothModes_DataKeptAndOldConnectionsEnded proves what the
// fault tests rely on: a restart, fast or immediate, ends every open
// connection, keeps committed data, and the cluster answers again when
// Restart returns; a bad mode and a stopped cluster are refused.
func TestRestart_BothModes_DataKeptAndOldConnectionsEnded(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cfg := Config{DataDir: reachableTempDir(t), Ephemeral: true}
	c, err := Ensure(ctx, cfg)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	t.Cleanup(func() { _ = Stop(context.Background(), cfg) })
	if err := Restart(ctx, cfg, "gentle"); err == nil {
		t.Fatal("Restart accepted the mode \"gentle\"")
	}
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{ModeFast, ModeImmediate} {
		if err := Restart(ctx, cfg, mode); err != nil {
			t.Fatalf("Restart %s: %v", mode, err)
		}
		if err := conn.Ping(ctx); err == nil {
			t.Fatalf("a connection opened before the %s restart still answers", mode)
		}
		conn.Close(ctx)
		if conn, err = pgx.Connect(ctx, c.URL()); err != nil {
			t.Fatalf("connect after the %s restart: %v", mode, err)
		}
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM kept").Scan(&n); err != nil || n != 1 {
			t.Fatalf("after the %s restart: %d rows, %v; want the committed row", mode, n, err)
		}
	}
	conn.Close(ctx)
	if err := Stop(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if err := Restart(ctx, cfg, ModeFast); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Restart of a stopped cluster = %v; want ErrNotRunning", err)
	}
}
