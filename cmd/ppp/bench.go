package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/apibench"
	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/cmd/ppp/internal/dbbench"
	"github.com/viaa/ppp/cmd/ppp/internal/sshload"
	"github.com/viaa/ppp/storage"
)

// runBench implements `ppp bench`: it builds (once) a data set with `ppp
// demo --scale N` in a database of its own on the server in use, measures
// every figure beside its baseline from the same run, and prints one
// table. `ppp bench --hello-server ADDR --host-key FILE` is the baseline
// server it starts for the session figures.
func (m *Main) runBench(ctx context.Context, args []string) error {
	fs := m.flags("bench")
	scale := fs.Int("scale", 1_000_000, "")
	sessions := fs.Int("sessions", sshload.DefaultSessions, "")
	quick := fs.Bool("quick", false, "")
	only := fs.String("only", "", "")
	hello := fs.String("hello-server", "", "")
	hostKey := fs.String("host-key", "", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *hello != "" {
		return sshload.ServeHello(ctx, *hello, *hostKey)
	}
	if *scale < 1000 || *sessions <= 0 {
		return usageError{m.cat.N("cli.bench.bad_scale", 1000)}
	}
	parts := map[string]bool{"list": true, "claims": true, "sessions": true, "death": true, "evals": true, "flood": true, "audit": true, "api": true, "people": true, "reports": true}
	if *only != "" {
		for k := range parts {
			parts[k] = false
		}
		for _, p := range strings.Split(*only, ",") {
			if _, ok := parts[p]; !ok {
				return usageError{m.cat.T("cli.bench.bad_only", p)}
			}
			parts[p] = true
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the ppp binary: %w", err)
	}
	server, err := m.databaseURL(ctx)
	if err != nil {
		return err
	}
	o := dbbench.Options{ServerURL: server, Quick: *quick, Log: m.Stderr}
	var figs []benchfig.Figure
	add := func(f benchfig.Figure, err error) error {
		if err != nil {
			return err
		}
		figs = append(figs, f)
		return nil
	}
	var dataURL string
	if parts["list"] || parts["sessions"] {
		if dataURL, err = dbbench.Prepare(ctx, o, exe, *scale); err != nil {
			return err
		}
	}
	if parts["list"] {
		db, err := storage.Open(ctx, dataURL)
		if err != nil {
			return err
		}
		err = add(dbbench.ListPage(ctx, db, o))
		db.Close()
		if err != nil {
			return err
		}
	}
	if parts["claims"] {
		if err := add(dbbench.Claims(ctx, o)); err != nil {
			return err
		}
	}
	if parts["sessions"] {
		if err := dbbench.Settle(ctx, o, exe, dataURL); err != nil {
			return err
		}
		fs, err := sshload.Run(ctx, sshload.Options{Binary: exe, DatabaseURL: dataURL, Sessions: *sessions, Log: m.Stderr, Quick: *quick})
		if err != nil {
			return err
		}
		figs = append(figs, fs...)
	}
	if parts["flood"] {
		figs2, err := m.benchFlood(ctx, o, exe, *quick)
		if err != nil {
			return err
		}
		figs = append(figs, figs2...)
	}
	if parts["death"] {
		if err := add(dbbench.DeathCheck(ctx, o)); err != nil {
			return err
		}
	}
	if parts["people"] {
		if err := add(dbbench.PersonPage(ctx, o, *scale)); err != nil {
			return err
		}
	}
	if parts["reports"] {
		fs, err := dbbench.Reports(ctx, o, *scale)
		if err != nil {
			return err
		}
		figs = append(figs, fs...)
	}
	if parts["evals"] {
		figs = append(figs, dbbench.Evaluations(o))
	}
	if parts["audit"] {
		fs, err := dbbench.Audit(ctx, o)
		if err != nil {
			return err
		}
		figs = append(figs, fs...)
	}
	if parts["api"] {
		url, drop, err := dbbench.Scratch(ctx, o, apiDatabase)
		if err != nil {
			return err
		}
		fs, err := apibench.Run(ctx, apibench.Options{DatabaseURL: url, Quick: *quick, Log: m.Stderr})
		drop()
		if err != nil {
			return err
		}
		figs = append(figs, fs...)
	}
	fmt.Fprintln(m.Stdout, machine(ctx, server))
	fmt.Fprintln(m.Stdout)
	return benchfig.Write(m.Stdout, figs)
}

// apiDatabase is the portal API's scratch database.
const apiDatabase = "ppp_bench_api"

// floodDatabase is the flood's scratch database.
const floodDatabase = "ppp_bench_flood"

// benchFlood measures the sign-in flood (issue 13) on a scratch database
// of its own: 200 connections sending wrong passwords for 30 seconds (8
// with --quick) while 10 operators sign in by key.
func (m *Main) benchFlood(ctx context.Context, o dbbench.Options, exe string, quick bool) ([]benchfig.Figure, error) {
	url, drop, err := dbbench.Scratch(ctx, o, floodDatabase)
	if err != nil {
		return nil, err
	}
	defer drop()
	d := 30 * time.Second
	if quick {
		d = 8 * time.Second
	}
	return sshload.Flood(ctx, sshload.FloodOptions{Binary: exe, DatabaseURL: url, Duration: d, Log: m.Stderr})
}

// machine describes where the figures were measured: processor, cores,
// memory, Go, PostgreSQL and whether it waits for the disk.
func machine(ctx context.Context, server string) string {
	cpu, mem := "?", "?"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		cpu = procField(f, "model name")
		f.Close()
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		mem = procField(f, "MemTotal")
		f.Close()
	}
	pg, durable := "?", "?"
	if db, err := storage.Open(ctx, server); err == nil {
		_ = db.Pool().QueryRow(ctx, `SELECT current_setting('server_version')`).Scan(&pg)
		var fsync, sync string
		if db.Pool().QueryRow(ctx, `SELECT current_setting('fsync'), current_setting('synchronous_commit')`).Scan(&fsync, &sync) == nil {
			durable = "fsync " + fsync + ", synchronous_commit " + sync
		}
		db.Close()
	}
	return fmt.Sprintf("machine: %s, %d cores, %s memory; %s; PostgreSQL %s (%s); %s",
		cpu, runtime.NumCPU(), mem, runtime.Version(), pg, durable, time.Now().UTC().Format(time.RFC3339))
}

// procField returns the value of the first "name: value" line of r.
func procField(r io.Reader, name string) string {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}
