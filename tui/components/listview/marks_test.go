package listview

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// bulkCall is what a Spec.Bulk hook was called with.
type bulkCall struct {
	ids []int64
	all bool
}

// withBulk returns the harness of svc's rows with a Bulk hook recording
// its calls.
func withBulk(t *testing.T, svc *service) (*harness, *[]bulkCall) {
	h := setup(t, svc)
	calls := &[]bulkCall{}
	h.m.spec.Bulk = func(ids []int64, all bool) tea.Cmd {
		*calls = append(*calls, bulkCall{ids, all})
		return nil
	}
	h.run(h.m.Init())
	return h, calls
}

// marked returns the rows drawn with the mark.
func marked(h *harness) []string {
	var out []string
	for _, line := range strings.Split(tuitest.Screen(h), "\n") {
		if i := strings.Index(line, "● #"); i >= 0 {
			out = append(out, strings.Fields(line[i+len("● "):])[0])
		}
	}
	return out
}

// Issue 17: in a list whose screen opts in, space marks and unmarks the
// row under the cursor (drawn with the mark), * marks the whole filter —
// every row, and the hook is told "all", not the rows read — and B opens
// the bulk action on what is marked; a filter changed drops a whole-
// filter mark.
func TestListview_Bulk_SpaceMarks_StarMarksTheFilter_BOpens(t *testing.T) {
	h, calls := withBulk(t, newService("Anna", "Baiba", "Cilda"))
	h.press(tuitest.Press(tea.KeySpace), tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeySpace))
	if got := marked(h); !slices.Equal(got, []string{"#1", "#3"}) {
		t.Fatalf("marked rows drawn: %v, want #1 and #3", got)
	}
	if h.lastStatus() != "tui.bulk.marked" {
		t.Errorf("status %q", h.lastStatus())
	}
	h.press(tuitest.Runes("B")...)
	if len(*calls) != 1 || !slices.Equal((*calls)[0].ids, []int64{1, 3}) || (*calls)[0].all {
		t.Fatalf("B opened %+v, want rows 1 and 3", *calls)
	}
	h.press(tuitest.Press(tea.KeySpace)) // unmark #3
	if got := marked(h); !slices.Equal(got, []string{"#1"}) {
		t.Errorf("after unmarking: %v", got)
	}
	h.press(tuitest.Runes("*")...)
	if got := marked(h); len(got) != 3 || h.lastStatus() != "tui.bulk.marked_all" {
		t.Errorf("the whole filter: %v marked, status %q", got, h.lastStatus())
	}
	h.press(tuitest.Runes("B")...)
	if c := (*calls)[1]; !c.all || len(c.ids) != 0 {
		t.Errorf("B on the whole filter gave %+v, want all", c)
	}
	h.press(tuitest.Runes("f")...) // the screen's filter changes: Reset
	if got := marked(h); len(got) != 0 {
		t.Errorf("a whole-filter mark outlived its filter: %v", got)
	}
	if !slices.Contains(h.footer(), "B") {
		t.Errorf("footer %v lacks B", h.footer())
	}
}

// Issue 17: a screen that does not opt in keeps its keys: space marks
// nothing, nothing is drawn with the mark, and B and * are not offered.
func TestListview_NoBulk_NoMarking(t *testing.T) {
	h := newHarness(t, newService("Anna", "Baiba"))
	h.press(tuitest.Press(tea.KeySpace), tuitest.Runes("*")[0], tuitest.Runes("B")[0])
	if got := marked(h); len(got) != 0 || h.m.Marks().Any() {
		t.Errorf("marked without Bulk: %v", got)
	}
	if slices.Contains(h.footer(), "B") || slices.Contains(h.footer(), "space") {
		t.Errorf("footer %v offers marking", h.footer())
	}
}
