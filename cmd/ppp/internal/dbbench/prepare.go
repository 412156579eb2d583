package dbbench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/storage"
)

// Prepare returns the URL of the bench data set: a database on the
// server holding `ppp demo --scale scale` (demo data with scale role
// requests), built by running binary's demo verb on it the first time and
// kept for later runs until the schema changes (its name carries the
// schema's hash and the scale; older bench data sets are dropped).
func Prepare(ctx context.Context, o Options, binary string, scale int) (string, error) {
	name := "ppp_bench_" + storage.SchemaHash()[:12] + "_" + strconv.Itoa(scale)
	return keptDatabase(ctx, o, name, "ppp bench data set: ppp demo --scale "+strconv.Itoa(scale)+": complete", "data set",
		func(conn *pgx.Conn) error {
			// Data sets of other schemas are of no more use; this one,
			// unfinished, is built again. Other scales of this schema are
			// kept.
			rows, err := conn.Query(ctx, `
				SELECT datname FROM pg_database
				 WHERE datname LIKE 'ppp\_bench\_%' AND datname <> ALL ($1)
				   AND (datname NOT LIKE $2 OR datname = $3)`,
				[]string{claimsDatabase, deathDatabase}, "ppp\\_bench\\_"+storage.SchemaHash()[:12]+"%", name)
			if err != nil {
				return fmt.Errorf("list old bench data sets: %w", err)
			}
			stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return fmt.Errorf("list old bench data sets: %w", err)
			}
			for _, old := range stale {
				if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{old}.Sanitize()+" WITH (FORCE)"); err != nil {
					return fmt.Errorf("drop %s: %w", old, err)
				}
			}
			if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
				return fmt.Errorf("create %s: %w", name, err)
			}
			return nil
		},
		func(url string) error {
			o.logf("bench: building the data set: ppp demo --scale %d (a few minutes for 1,000,000)", scale)
			if err := runPPP(ctx, o, binary, url, "demo", "--scale", strconv.Itoa(scale)); err != nil {
				return err
			}
			db, err := storage.Open(ctx, url)
			if err != nil {
				return err
			}
			defer db.Close()
			// Set the visibility map and the statistics, as on a database
			// that has been running for a while.
			if _, err := db.Pool().Exec(ctx, `VACUUM ANALYZE`); err != nil {
				return fmt.Errorf("vacuum the data set: %w", err)
			}
			return nil
		})
}

// keptDatabase returns the URL of the bench database name on o's server,
// which is kept between runs until the schema changes: the first time
// (or after an unfinished build) before makes it exist, empty, through
// the server's connection, build fills it, and it is marked complete
// (the database's comment). One builder at a time per name: another run
// or test waits for the lock and then finds it complete.
func keptDatabase(ctx context.Context, o Options, name, complete, what string, before func(conn *pgx.Conn) error, build func(url string) error) (string, error) {
	conn, err := pgx.Connect(ctx, o.ServerURL)
	if err != nil {
		return "", fmt.Errorf("connect to the bench server: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx)) // ends the lock too
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtext($1))`, name); err != nil {
		return "", fmt.Errorf("wait for another build of %s: %w", name, err)
	}
	var comment *string
	err = conn.QueryRow(ctx, `SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1`, name).Scan(&comment)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("look for the bench %s: %w", what, err)
	}
	url := storage.WithDatabase(o.ServerURL, name)
	if err == nil && comment != nil && *comment == complete {
		o.logf("bench: using the %s %s", what, name)
		return url, nil
	}
	start := time.Now()
	if err := before(conn); err != nil {
		return "", err
	}
	if err := build(url); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "COMMENT ON DATABASE "+pgx.Identifier{name}.Sanitize()+" IS '"+complete+"'"); err != nil {
		return "", fmt.Errorf("mark the %s complete: %w", what, err)
	}
	o.logf("bench: %s built in %v", what, time.Since(start).Round(time.Second))
	return url, nil
}

// Settle brings the data set to rest before the session figures, so that
// they measure sessions rather than the background work a server finds
// on a freshly loaded database: the scheduled sweeps and the IMK check
// run once (through binary, as an operator would), and the e-mails the
// demo queued are marked delivered (the bench measures sessions, not
// mail delivery, and the data set is the bench's own).
func Settle(ctx context.Context, o Options, binary, url string) error {
	for _, args := range [][]string{
		{"sweep", "role-expiry"}, {"sweep", "auth-deactivated"}, {"sweep", "death-check"}, {"imk", "check"},
	} {
		if err := runPPP(ctx, o, binary, url, args...); err != nil {
			return err
		}
	}
	db, err := storage.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	tag, err := db.Pool().Exec(ctx, `
		UPDATE outbox SET state = 'sent', sent_at = now(), locked_until = NULL
		 WHERE state IN ('pending', 'sending')`)
	if err != nil {
		return fmt.Errorf("mark the demo's e-mails delivered: %w", err)
	}
	o.logf("bench: settled the data set (%d queued e-mails marked delivered)", tag.RowsAffected())
	return nil
}

// runPPP runs binary with args on the database at url, its output to
// o.Log, as an operator would run the command.
func runPPP(ctx context.Context, o Options, binary, url string, args ...string) error {
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), "PPP_DATABASE_URL="+url)
	cmd.Stdout, cmd.Stderr = o.Log, o.Log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("ppp %s: %w", strings.Join(args, " "), err)
	}
	return nil
}
