package sshload_test

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/cmd/ppp/internal/sshload"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage/demodata"
	"github.com/viaa/ppp/storage/pgtest"
)

// TestMain lets the test binary stand in for `ppp bench --hello-server
// ADDR --host-key FILE`, the baseline child Run starts, so the package
// can be tested before and apart from the bench verb.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "bench" {
		os.Exit(helloMain(os.Args[2:]))
	}
	os.Exit(m.Run())
}

func helloMain(args []string) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	addr := fs.String("hello-server", "", "")
	keyFile := fs.String("host-key", "", "")
	if err := fs.Parse(args); err != nil || *addr == "" || *keyFile == "" {
		fmt.Fprintln(os.Stderr, "usage: bench --hello-server ADDR --host-key FILE")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := sshload.ServeHello(ctx, *addr, *keyFile); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// pppBinary returns PPP_BIN, or skips the test.
func pppBinary(t *testing.T) string {
	t.Helper()
	p := os.Getenv("PPP_BIN")
	if p == "" {
		t.Skip("set PPP_BIN to the built ppp binary (go build -o bin/ppp ./cmd/ppp) to run the session bench")
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("PPP_BIN: %v", err)
	}
	return abs
}

// TestRun_Quick_EveryFigurePlausible runs the whole bench, quickly and
// with five sessions, against the built binary and a database with demo
// data, and checks every figure is there and plausible.
func TestRun_Quick_EveryFigurePlausible(t *testing.T) {
	if testing.Short() {
		t.Skip("starts servers and signs sessions in (not with -short)")
	}
	if os.Getenv("PPP_TEST_DATABASE_URL") == "" {
		t.Skip("set PPP_TEST_DATABASE_URL to a PostgreSQL server (ppp db start prints one) to run the session bench")
	}
	bin := pppBinary(t)
	helloBin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	db := pgtest.NewDB(t)
	ctx := domain.WithActor(t.Context(), domain.Actor{Name: "test", RemoteAddr: "test"})
	if _, err := demodata.Load(ctx, db, demodata.Options{Scale: 300}); err != nil {
		t.Fatalf("demo data: %v", err)
	}

	var log strings.Builder
	start := time.Now()
	figs, err := sshload.Run(t.Context(), sshload.Options{
		Binary:      bin,
		HelloBinary: helloBin,
		DatabaseURL: pgtest.URL(t),
		Sessions:    5,
		Log:         &log,
		Quick:       true,
	})
	t.Logf("took %v; progress:\n%s", time.Since(start).Round(time.Second), log.String())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	var table strings.Builder
	if err := benchfig.Write(&table, figs); err != nil {
		t.Fatal(err)
	}
	t.Logf("figures:\n%s", table.String())

	if len(figs) != 7 {
		t.Fatalf("Run returned %d figures; want 7 (first frame, memory, CPU, keypress p50/p99, live update p50/p99)", len(figs))
	}
	for _, f := range figs {
		finite := !math.IsNaN(f.Value) && !math.IsInf(f.Value, 0) && !math.IsNaN(f.Baseline) && !math.IsInf(f.Baseline, 0)
		if !finite {
			t.Errorf("%s: ppp %v, baseline %v; want both finite", f.Name, f.Value, f.Baseline)
			continue
		}
		if f.Target == "" || f.Unit == "" || f.BaseName == "" {
			t.Errorf("%s: target %q, unit %q, baseline name %q; want all set", f.Name, f.Target, f.Unit, f.BaseName)
		}
		switch f.Unit {
		case "ms":
			// Times: positive, and below the timeouts that would have
			// failed the run.
			if f.Value <= 0 || f.Baseline <= 0 || f.Value > 30000 || f.Baseline > 30000 {
				t.Errorf("%s: ppp %.3f ms, baseline %.3f ms; want both in (0, 30 s]", f.Name, f.Value, f.Baseline)
			}
		case "KB":
			// A Go process serving an SSH session grows by some KB; a
			// megabyte-scale figure per session would be a measuring error.
			if f.Value <= 0 || f.Value > 50000 || f.Baseline > 50000 {
				t.Errorf("%s: ppp %.1f KB, baseline %.1f KB; want ppp in (0, 50 MB]", f.Name, f.Value, f.Baseline)
			}
		case "% of a core":
			if f.Value < 0 || f.Baseline < 0 || f.Value > 100*100/5 {
				t.Errorf("%s: ppp %.2f %%, baseline %.2f %%; want both ≥ 0 and possible", f.Name, f.Value, f.Baseline)
			}
		default:
			t.Errorf("%s: unexpected unit %q", f.Name, f.Unit)
		}
	}
	// The percentiles are ordered.
	if figs[3].Value > figs[4].Value || figs[5].Value > figs[6].Value {
		t.Errorf("p50 above p99: keypress %.2f/%.2f ms, live %.2f/%.2f ms", figs[3].Value, figs[4].Value, figs[5].Value, figs[6].Value)
	}
}
