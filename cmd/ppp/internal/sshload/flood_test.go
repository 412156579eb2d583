package sshload_test

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/cmd/ppp/internal/sshload"
	"github.com/viaa/ppp/storage/pgtest"
)

// TestFlood_Quick_EveryAttemptRecorded_AccountLocked runs the bench's
// sign-in flood in a small, short form against the built binary: every
// answer the attackers sent is recorded and audited, the attacked account
// is locked, and the other figures are there and plausible.
func TestFlood_Quick_EveryAttemptRecorded_AccountLocked(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and floods it (not with -short)")
	}
	if os.Getenv("PPP_TEST_DATABASE_URL") == "" {
		t.Skip("set PPP_TEST_DATABASE_URL to a PostgreSQL server (ppp db start prints one) to run the flood")
	}
	bin := pppBinary(t)
	var log strings.Builder
	figs, err := sshload.Flood(t.Context(), sshload.FloodOptions{
		Binary: bin, DatabaseURL: pgtest.URL(t),
		Connections: 40, Sources: 4, Duration: 4 * time.Second, Operators: 3, Log: &log,
	})
	t.Logf("progress:\n%s", log.String())
	if err != nil {
		t.Fatalf("Flood: %v", err)
	}
	var table strings.Builder
	if err := benchfig.Write(&table, figs); err != nil {
		t.Fatal(err)
	}
	t.Logf("figures:\n%s", table.String())
	if len(figs) != 3 {
		t.Fatalf("%d figures, want 3 (peak RSS, attempts recorded, first frame)", len(figs))
	}
	mem, rec, frame := figs[0], figs[1], figs[2]
	if mem.Value <= 0 || mem.Value < mem.Baseline || mem.Value > 4096 {
		t.Errorf("peak RSS %.1f MiB (at rest %.1f MiB): not plausible", mem.Value, mem.Baseline)
	}
	if rec.Baseline < 40 || !rec.Met {
		t.Errorf("%.0f attempts recorded for %.0f sent: %s", rec.Value, rec.Baseline, rec.Note)
	}
	if math.IsNaN(frame.Value) || frame.Value <= 0 || frame.Baseline <= 0 {
		t.Errorf("first frame %.1f ms beside %.1f ms quiet: %s", frame.Value, frame.Baseline, frame.Note)
	}
}
