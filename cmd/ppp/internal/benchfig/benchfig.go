// Package benchfig holds the figures `ppp bench` measures and prints: each
// one beside the baseline measured in the same run, with the target the
// project holds it to.
package benchfig

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Figure is one measured line of the bench table.
type Figure struct {
	Name     string  // what was measured, e.g. "queue list page, depth 500,000 of 1,000,000"
	Value    float64 // the back office's figure
	Baseline float64 // the same work done the plainest way in the same run; NaN when there is none
	BaseName string  // what the baseline is, e.g. "raw keyset query"
	Unit     string  // "ms", "claims/s", "KB", "% of a core", "s", "evals/s"
	// HigherIsBetter is true for rates (claims/s), false for times and sizes.
	HigherIsBetter bool
	// Target is the project's bound in words ("≤ 2× raw and < 1 ms");
	// Met reports whether this run met it.
	Target string
	Met    bool
	Note   string // how the figure was taken, or why a target was missed
}

// None is the Baseline of a figure without one.
var None = math.NaN()

// Ratio is Value / Baseline, or NaN without a baseline.
func (f Figure) Ratio() float64 {
	if math.IsNaN(f.Baseline) || f.Baseline == 0 {
		return math.NaN()
	}
	return f.Value / f.Baseline
}

// Ms converts a duration to milliseconds, the unit of most figures.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Percentile returns the p-th percentile (0 < p ≤ 100) of ds by the
// nearest-rank method, or 0 for none. ds is sorted in place.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	rank := int(math.Ceil(p / 100 * float64(len(ds))))
	rank = min(max(rank, 1), len(ds))
	return ds[rank-1]
}

// Write prints figs as one table.
func Write(w io.Writer, figs []Figure) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "measure\tppp\tbaseline\tratio\ttarget\tmet")
	for _, f := range figs {
		base, ratio := "—", "—"
		if !math.IsNaN(f.Baseline) {
			base = number(f.Baseline) + " " + f.Unit + " (" + f.BaseName + ")"
			ratio = fmt.Sprintf("%.2f×", f.Ratio())
		}
		met := "yes"
		if !f.Met {
			met = "NO"
		}
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%s\t%s\n", f.Name, number(f.Value), f.Unit, base, ratio, f.Target, met)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var notes []string
	for _, f := range figs {
		if f.Note != "" {
			notes = append(notes, "- "+f.Name+": "+f.Note)
		}
	}
	if len(notes) > 0 {
		_, err := fmt.Fprintln(w, "\n"+strings.Join(notes, "\n"))
		return err
	}
	return nil
}

// number prints v with at most three significant decimals.
func number(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1000:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}
