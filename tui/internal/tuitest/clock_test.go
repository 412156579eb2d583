package tuitest

import (
	"slices"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// recorder is a model that notes the messages it gets; a "rearm" message
// arms a timer of 100 ms on the clock.
type recorder struct {
	c   *Clock
	got []string
}

func (r *recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	s, _ := msg.(string)
	r.got = append(r.got, s+"@"+r.c.Now().Format("15:04:05.000"))
	if s == "rearm" {
		return nil, r.c.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return "rearmed" })
	}
	return nil, nil
}

func (r *recorder) View() string { return "" }

func fire(s string) func(time.Time) tea.Msg { return func(time.Time) tea.Msg { return s } }

// TestClock_TimersFireOnlyWhenAdvanced_InOrder_AtTheirTime proves the
// test clock: a timer's command answers at once and nothing fires until
// the clock is advanced past it; then each fires in turn, the clock at its
// time (ties in the order armed), and a timer armed by a fired message
// fires too when it falls within the time advanced.
func TestClock_TimersFireOnlyWhenAdvanced_InOrder_AtTheirTime(t *testing.T) {
	start := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	c := NewClock(start)
	r := &recorder{c: c}
	d := Driver{Wait: time.Second, Limit: 50, Strict: t}
	for _, cmd := range []tea.Cmd{
		c.Tick(300*time.Millisecond, fire("third")),
		c.Tick(100*time.Millisecond, fire("first")),
		c.Tick(100*time.Millisecond, fire("rearm")),
		c.Tick(time.Hour, fire("later")),
	} {
		if msgs := d.Results(cmd); len(msgs) != 0 {
			t.Fatalf("arming answered %v", msgs)
		}
	}
	if got := c.Armed(); !slices.Equal(got, []time.Duration{100 * time.Millisecond, 100 * time.Millisecond, 300 * time.Millisecond, time.Hour}) {
		t.Fatalf("armed %v", got)
	}
	d.Advance(t, r, c, 99*time.Millisecond)
	if len(r.got) != 0 {
		t.Fatalf("fired before their time: %v", r.got)
	}
	d.Advance(t, r, c, 301*time.Millisecond) // to 400 ms
	want := []string{"first@12:00:00.100", "rearm@12:00:00.100", "rearmed@12:00:00.200", "third@12:00:00.300"}
	if !slices.Equal(r.got, want) {
		t.Errorf("fired %v, want %v", r.got, want)
	}
	if now := c.Now(); !now.Equal(start.Add(400 * time.Millisecond)) {
		t.Errorf("the clock stands at %v after advancing 400 ms", now.Sub(start))
	}
	if got := c.Armed(); len(got) != 1 || got[0] != time.Hour-400*time.Millisecond {
		t.Errorf("still armed %v, want the hour's timer", got)
	}
}
