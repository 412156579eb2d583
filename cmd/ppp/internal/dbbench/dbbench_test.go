package dbbench_test

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/cmd/ppp/internal/dbbench"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage/demodata"
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

func TestListPage_MeasuresBothSides(t *testing.T) {
	o := options(t)
	db := pgtest.NewDB(t)
	ctx := domain.WithActor(t.Context(), domain.Actor{Name: "cli:test"})
	if _, err := demodata.Load(ctx, db, demodata.Options{Scale: 2000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	f, err := dbbench.ListPage(t.Context(), db, o)
	if err != nil {
		t.Fatal(err)
	}
	plausible(t, f)
	if !strings.Contains(f.Note, "in the database") {
		t.Errorf("note %q does not give the time in the database", f.Note)
	}
}

func TestDeathCheck_DeniesTheDeceased(t *testing.T) {
	f, err := dbbench.DeathCheck(t.Context(), options(t))
	if err != nil {
		t.Fatal(err)
	}
	plausible(t, f)
}

func TestEvaluations_DecideEveryOutcome(t *testing.T) {
	f := dbbench.Evaluations(dbbench.Options{Quick: true})
	plausible(t, f)
	for _, o := range []string{"eligible", "needs_review", "not_eligible"} {
		if !strings.Contains(f.Note, o) {
			t.Errorf("outcomes %q lack %s", f.Note, o)
		}
	}
}

func TestAudit_MeasuresEveryFigure(t *testing.T) {
	figs, err := dbbench.Audit(t.Context(), options(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 8 {
		t.Fatalf("%d figures, want 8 (5 searches, the page, 2 verifications)", len(figs))
	}
	for _, f := range figs {
		plausible(t, f)
	}
}
