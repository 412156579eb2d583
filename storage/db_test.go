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
