package queue

import (
	"errors"
	"testing"
)

func rowKey(r row) int64 { return r.id }

// load runs a read through l.Load and returns its answer.
func load(l *List[int, string, row], n Nav, at int, rows []row, err error) PageMsg[int, string, row] {
	return l.Load(n, at, "f", func(string) ([]row, error) { return rows, err })().(PageMsg[int, string, row])
}

func TestList_ShowSuperseded_Dropped(t *testing.T) {
	var l List[int, string, row]
	old := load(&l, Reset, 0, rowsOf(1), nil)
	cur := load(&l, Reset, 0, rowsOf(2), nil)
	if _, shown, _ := l.Show(old, 2, 0, rowKey); shown || l.Loaded {
		t.Fatal("an answer to a superseded read was shown")
	}
	if _, shown, _ := l.Show(cur, 2, 0, rowKey); !shown || len(l.Rows) != 1 || l.Rows[0].id != 2 {
		t.Fatalf("the current answer: shown %v, rows %v", shown, l.Rows)
	}
}

func TestList_ShowError_ReturnsItKeepsRows(t *testing.T) {
	var l List[int, string, row]
	l.Show(load(&l, Reset, 0, rowsOf(1, 2), nil), 2, 0, rowKey)
	_, shown, cmd := l.Show(load(&l, Stay, 0, nil, errors.New("away")), 2, 0, rowKey)
	if shown || cmd == nil || len(l.Rows) != 2 {
		t.Fatalf("a failed read: shown %v, cmd %v, rows %v", shown, cmd, l.Rows)
	}
}

func TestList_StayFollowsSelectedRow(t *testing.T) {
	var l List[int, string, row]
	l.Show(load(&l, Reset, 0, rowsOf(1, 2, 3), nil), 3, 0, rowKey)
	// Row 2 is selected; a row before it went away.
	cur, _, _ := l.Show(load(&l, Stay, 0, rowsOf(2, 3), nil), 3, 1, rowKey)
	if cur != 0 {
		t.Errorf("cursor %d, want 0 (row 2)", cur)
	}
}

func TestList_Last_OnlyWhenAPageFollows(t *testing.T) {
	var l List[int, string, row]
	l.Show(load(&l, Reset, 0, rowsOf(1, 2, 3), nil), 2, 0, rowKey)
	if r, ok := l.Last(); !ok || r.id != 2 {
		t.Fatalf("Last = %v, %v; want row 2", r, ok)
	}
	l.Show(load(&l, Next, 2, rowsOf(3), nil), 2, 0, rowKey)
	if _, ok := l.Last(); ok {
		t.Error("the last page has a next page")
	}
	if _, ok := l.Selected(5); ok {
		t.Error("a row beyond the page is selected")
	}
}
