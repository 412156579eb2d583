// Package dbbench measures the database figures of `ppp bench`: a queue
// page deep in a million requests, claims by concurrent operators, the
// death check over a million persons and eligibility evaluations, each
// beside the plainest way of doing the same work, measured in the same run
// and interleaved with it, so that a busy machine slows both alike.
package dbbench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// Options says where and how much to measure.
type Options struct {
	// ServerURL is the PostgreSQL server; the bench makes its own
	// databases in it (named ppp_bench_*), never touching others.
	ServerURL string
	// Quick takes fewer rounds, for a smoke test.
	Quick bool
	// Log receives progress lines.
	Log io.Writer
}

func (o Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

// rounds returns n, or a handful when o.Quick.
func (o Options) rounds(n int) int {
	if o.Quick {
		return min(n, 3)
	}
	return n
}

// freshDatabase drops and creates database name on the server, migrates
// it and opens it.
func freshDatabase(ctx context.Context, server, name string) (*storage.DB, error) {
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return nil, fmt.Errorf("connect to the bench server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return nil, fmt.Errorf("drop %s: %w", name, err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	db, err := storage.Open(ctx, storage.WithDatabase(server, name))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	if err := storage.Migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", name, err)
	}
	return db, nil
}

// dropDatabase removes a scratch database.
func dropDatabase(ctx context.Context, server, name string) error {
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return fmt.Errorf("connect to the bench server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

// benchActor is the command line's actor for the bench's own writes.
func benchActor(ctx context.Context) context.Context {
	return domain.WithActor(ctx, domain.Actor{Name: "cli:bench"})
}

// timeIt runs fn and returns how long it took.
func timeIt(fn func() error) (time.Duration, error) {
	start := time.Now()
	err := fn()
	return time.Since(start), err
}

// scratchSuffix makes this process's scratch databases its own: two bench
// runs (or two tests) on one server never drop each other's.
var scratchSuffix = func() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "_" + hex.EncodeToString(b)
}()

// scratchName is the name of this process's scratch database for name:
// "ppp_scratch_…", a prefix Prepare's clean-up of old data sets
// ("ppp_bench_…") never touches.
func scratchName(name string) string {
	return "ppp_scratch_" + strings.TrimPrefix(name, "ppp_bench_") + scratchSuffix
}

// Scratch creates (afresh) and migrates a scratch database of this
// process for name on o's server, for a measurement made elsewhere (the
// sign-in flood), and returns its URL and a function that drops it.
func Scratch(ctx context.Context, o Options, name string) (string, func(), error) {
	name = scratchName(name)
	db, err := freshDatabase(ctx, o.ServerURL, name)
	if err != nil {
		return "", nil, err
	}
	db.Close()
	return storage.WithDatabase(o.ServerURL, name), func() {
		_ = dropDatabase(context.WithoutCancel(ctx), o.ServerURL, name)
	}, nil
}
