package queue

import (
	"slices"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

type row struct{ id int64 }

func rowsOf(ids ...int64) []row {
	out := make([]row, len(ids))
	for i, id := range ids {
		out[i] = row{id}
	}
	return out
}

func TestPagerApply(t *testing.T) {
	var p Pager[int, row]
	if p.Page() != 1 || p.HasMore() {
		t.Fatalf("zero pager: page %d, more %v", p.Page(), p.HasMore())
	}
	if _, ok := p.Prev(); ok {
		t.Fatal("zero pager has a page before")
	}
	got := p.Apply(Reset, 0, rowsOf(1, 2, 3), 2)
	if len(got) != 2 || !p.HasMore() || p.Page() != 1 || p.Cur() != 0 {
		t.Fatalf("first page: rows %v more %v page %d", got, p.HasMore(), p.Page())
	}
	got = p.Apply(Next, 2, rowsOf(3, 4), 2)
	if len(got) != 2 || p.HasMore() || p.Page() != 2 || p.Cur() != 2 {
		t.Fatalf("next page: rows %v more %v page %d cur %d", got, p.HasMore(), p.Page(), p.Cur())
	}
	if at, ok := p.Prev(); !ok || at != 0 {
		t.Fatalf("prev = %d, %v", at, ok)
	}
	p.Apply(Stay, 2, rowsOf(3), 2)
	if p.Page() != 2 || p.Cur() != 2 {
		t.Fatalf("stay moved: page %d cur %d", p.Page(), p.Cur())
	}
	p.Apply(Prev, 0, rowsOf(1, 2, 3), 2)
	if p.Page() != 1 || p.Cur() != 0 || !p.HasMore() {
		t.Fatalf("prev: page %d cur %d more %v", p.Page(), p.Cur(), p.HasMore())
	}
	p.Apply(Prev, 0, nil, 2) // nothing before: stays on the first page
	if p.Page() != 1 {
		t.Fatalf("prev on the first page: page %d", p.Page())
	}
	p.Apply(Next, 2, nil, 2)
	p.Apply(Next, 4, nil, 2)
	p.Apply(Reset, 0, nil, 2)
	if p.Page() != 1 || p.Cur() != 0 {
		t.Fatalf("reset: page %d cur %d", p.Page(), p.Cur())
	}
}

func TestPagerGenerations(t *testing.T) {
	var p Pager[int, row]
	a := p.Begin()
	b := p.Begin()
	if p.Current(a) || !p.Current(b) {
		t.Fatalf("current(a)=%v current(b)=%v", p.Current(a), p.Current(b))
	}
}

func TestCursor(t *testing.T) {
	id := func(r row) int64 { return r.id }
	rows := rowsOf(5, 6, 7)
	for _, n := range []Nav{Reset, Next, Prev} {
		if c := Cursor(n, rows, 2, 7, id); c != 0 {
			t.Errorf("nav %d: cursor %d, want 0", n, c)
		}
	}
	cases := []struct {
		cursor int
		keep   int64
		rows   []row
		want   int
	}{
		{0, 7, rows, 2},         // the row moved: follow it
		{1, 9, rows, 1},         // the row is gone: stay put
		{5, 9, rows, 2},         // within the rows
		{-1, 9, rows, 0},        // no cursor before
		{3, 9, nil, 0},          // no rows
		{0, 6, rowsOf(6, 6), 1}, // the last match wins, as before
	}
	for _, c := range cases {
		if got := Cursor(Stay, c.rows, c.cursor, c.keep, id); got != c.want {
			t.Errorf("Cursor(Stay, %v, %d, %d) = %d, want %d", c.rows, c.cursor, c.keep, got, c.want)
		}
	}
}

type fired struct{}

func TestCoalescer(t *testing.T) {
	var c Coalescer
	cmd := c.Note(tea.Tick, "1", time.Millisecond, fired{})
	if cmd == nil {
		t.Fatal("the first change armed no timer")
	}
	if c.Note(tea.Tick, "2", time.Millisecond, fired{}) != nil || c.Note(tea.Tick, "1", time.Millisecond, fired{}) != nil {
		t.Fatal("a change while armed armed another timer")
	}
	if _, ok := cmd().(fired); !ok {
		t.Fatal("the timer delivered the wrong message")
	}
	got := c.Fire()
	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"1", "2"}) {
		t.Fatalf("fired %v", keys)
	}
	if again := c.Fire(); again == nil || len(again) != 0 {
		t.Fatalf("a second fire gave %v", again)
	}
	if c.Note(tea.Tick, "3", time.Millisecond, fired{}) == nil {
		t.Fatal("a change after the fire armed no timer")
	}
}
