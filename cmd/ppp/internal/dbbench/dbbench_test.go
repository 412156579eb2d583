package dbbench_test

import (
	"math"
	"os"
	"testing"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/cmd/ppp/internal/dbbench"
	"github.com/viaa/ppp/storage/pgtest"
)

// options are quick rounds against the test server, or full ones with
// PPP_DBBENCH_FULL=1 (for trying a change to the measured code).
func options(t *testing.T) dbbench.Options {
	if testing.Short() {
		t.Skip("the bench figures need the test database")
	}
	o := dbbench.Options{ServerURL: pgtest.ServerURL(t), Quick: os.Getenv("PPP_DBBENCH_FULL") != "1"}
	if !o.Quick {
		o.Log = os.Stderr
	}
	return o
}

// plausible checks that a figure was measured on both sides.
func plausible(t *testing.T, f benchfig.Figure) {
	t.Helper()
	t.Logf("%s: %.3g %s vs %.3g (%s)", f.Name, f.Value, f.Unit, f.Baseline, f.BaseName)
	if !(f.Value > 0) || math.IsInf(f.Value, 0) {
		t.Errorf("%s: value %v", f.Name, f.Value)
	}
	if !math.IsNaN(f.Baseline) && (!(f.Baseline > 0) || math.IsInf(f.Baseline, 0)) {
		t.Errorf("%s: baseline %v", f.Name, f.Baseline)
	}
}

func TestClaims_MeasuresBothSides(t *testing.T) {
	f, err := dbbench.Claims(t.Context(), options(t))
	if err != nil {
		t.Fatal(err)
	}
	plausible(t, f)
}
