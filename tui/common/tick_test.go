package common

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// TestTick_SessionEnds_CommandReturnsAtOnce proves that a long timer does
// not outlive its session: once the context ends, the command returns
// nothing at once instead of holding its goroutine (and the session's
// program) until the timer fires.
func TestTick_SessionEnds_CommandReturnsAtOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &Common{Ctx: ctx}
	cmd := c.Tick(time.Hour, func(time.Time) tea.Msg { return "fired" })
	got := make(chan tea.Msg, 1)
	go func() { got <- cmd() }()
	cancel()
	select {
	case msg := <-got:
		if msg != nil {
			t.Fatalf("the command returned %v after the session ended; want nothing", msg)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the command still waits for its hour after the session ended")
	}
}

// TestTick_Fires_DeliversTheMessage proves the timer still works while the
// session lasts.
func TestTick_Fires_DeliversTheMessage(t *testing.T) {
	c := &Common{Ctx: context.Background()}
	if msg := c.Tick(time.Millisecond, func(time.Time) tea.Msg { return "fired" })(); msg != "fired" {
		t.Fatalf("the command returned %v; want the timer's message", msg)
	}
}

// timersFunc is a Timers made of a function.
type timersFunc func(time.Duration, func(time.Time) tea.Msg) tea.Cmd

func (f timersFunc) Tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd { return f(d, fn) }

// TestTick_WithTimers_ArmsThemInstead proves that a session's Timers take
// every timer armed through Tick: a test's clock sees the delay and the
// message, and no real timer runs.
func TestTick_WithTimers_ArmsThemInstead(t *testing.T) {
	var armed []time.Duration
	c := &Common{Ctx: context.Background(), Timers: timersFunc(func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		armed = append(armed, d)
		return func() tea.Msg { return fn(time.Time{}) }
	})}
	msg := c.Tick(time.Hour, func(time.Time) tea.Msg { return "fired" })()
	if msg != "fired" || len(armed) != 1 || armed[0] != time.Hour {
		t.Fatalf("the Timers armed %v and the command answered %v; want the hour's timer and its message", armed, msg)
	}
}
