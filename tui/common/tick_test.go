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
