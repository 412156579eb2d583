package queue

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// Issue 17: a queue whose screen opts in marks items with space (drawn
// with the mark) and opens the bulk action with B on them; * marks the
// whole filter, and B then hands the hook the list's filter as searched
// now — the server resolves it, not the page read; a new search drops a
// whole-filter mark. Without Bulk, nothing of this is offered.
func TestQueue_Bulk_MarksItems_WholeFilterCarriesTheSearch(t *testing.T) {
	h := newHarness(t, 1, 2, 3)
	if slices.ContainsFunc(h.m.ShortHelp(), func(b key.Binding) bool { return b.Help().Key == "B" }) {
		t.Fatal("B offered without Spec.Bulk")
	}
	type call struct {
		ids    []int64
		filter *string
	}
	var calls []call
	h.m.spec.Bulk = func(ids []int64, f *string) tea.Cmd {
		calls = append(calls, call{ids, f})
		return nil
	}
	h.m.table.SetRows(h.m.tableRows())
	h.press(tuitest.Press(tea.KeyDown), tuitest.Press(tea.KeySpace), runes("B"))
	if !strings.Contains(tuitest.Screen(h), "● #2") || len(calls) != 1 || !slices.Equal(calls[0].ids, []int64{2}) || calls[0].filter != nil {
		t.Fatalf("marked #2 and B: %+v\n%s", calls, tuitest.Screen(h))
	}
	h.press(runes("/"))
	h.press(tuitest.Typed("An")...)
	h.press(tuitest.Press(tea.KeyEnter), runes("*"), runes("B"))
	if len(calls) != 2 || calls[1].filter == nil || *calls[1].filter != "An" || calls[1].ids != nil {
		t.Fatalf("B on the whole filter: %+v", calls)
	}
	h.press(runes("/"), tuitest.Press(tea.KeyBackspace), tuitest.Press(tea.KeyEnter))
	if h.m.Marks().All() {
		t.Error("a whole-filter mark outlived its search")
	}
}
