package storage_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

func TestOpen_MalformedURL_Invalid(t *testing.T) {
	_, err := storage.Open(t.Context(), "postgres://user:secret@host:notaport/db")
	wantError(t, err, domain.EINVALID, "db.bad_url")
	if s := err.Error(); strings.Contains(s, "secret") {
		t.Errorf("error repeats the password: %s", s)
	}
}

func TestOpen_NoServer_Unavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := storage.Open(ctx, "postgres://nobody@/ppp?host=/nonexistent-socket-dir&connect_timeout=2")
	wantError(t, err, domain.EUNAVAILABLE, "")
}

func TestDB_CancelledContext_PassesThrough(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := storage.NewOperatorService(db).ListOperators(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestDB_PoolIsNamedForPgStatActivity(t *testing.T) {
	db := pgtest.NewDB(t)
	var name string
	if err := db.Pool().QueryRow(t.Context(), "SELECT current_setting('application_name')").Scan(&name); err != nil {
		t.Fatal(err)
	}
	if name != "ppp" {
		t.Fatalf("application_name = %q, want ppp", name)
	}
}

func TestDashboard_EmptyDatabase_EveryTileEmpty(t *testing.T) {
	db := pgtest.NewDB(t)
	tiles, err := storage.NewDashboardService(db).QueueTiles(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tile := range tiles {
		if tile.Queue == "" || seen[tile.Queue] || tile.Role == "" {
			t.Errorf("tile %+v: want a unique queue id and a role", tile)
		}
		seen[tile.Queue] = true
		if tile.Count != 0 || !tile.Oldest.IsZero() {
			t.Errorf("tile %+v on an empty database, want count 0 and no oldest item", tile)
		}
	}
}

// TestOpen_PoolSettingsOfTheURL_Honoured proves that the pool settings a
// database URL carries (pool_max_conns, pool_max_conn_idle_time,
// pool_health_check_period) size the pool, and that 20 connections, 5
// minutes and 15 seconds are only the defaults for a URL that says
// nothing: Open used to override them silently.
func TestOpen_PoolSettingsOfTheURL_Honoured(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	db, err := storage.Open(t.Context(), url+sep+"pool_max_conns=3&pool_max_conn_idle_time=1m&pool_health_check_period=7s")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := db.Pool().Config()
	if got := db.Pool().Stat().MaxConns(); got != 3 {
		t.Errorf("pool_max_conns=3: the pool holds up to %d connections", got)
	}
	if cfg.MaxConnIdleTime != time.Minute || cfg.HealthCheckPeriod != 7*time.Second {
		t.Errorf("idle time %v, health check every %v; want 1m and 7s", cfg.MaxConnIdleTime, cfg.HealthCheckPeriod)
	}
	// Three connections at once are the most it gives: a fourth waits.
	var conns []interface{ Release() }
	for range 3 {
		c, err := db.Pool().Acquire(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if c, err := db.Pool().Acquire(ctx); err == nil {
		c.Release()
		t.Error("a fourth connection was given with pool_max_conns=3")
	}
	for _, c := range conns {
		c.Release()
	}

	plain, err := storage.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if got, cfg := plain.Pool().Stat().MaxConns(), plain.Pool().Config(); got != 20 || cfg.MaxConnIdleTime != 5*time.Minute || cfg.HealthCheckPeriod != 15*time.Second {
		t.Errorf("a URL without pool settings: %d connections, idle %v, health check %v; want 20, 5m, 15s", got, cfg.MaxConnIdleTime, cfg.HealthCheckPeriod)
	}
}
