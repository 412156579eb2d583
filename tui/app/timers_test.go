package app

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

// TestEveryScreen_ArmsItsTimersOnTheSessionsClock proves that every timer
// of every screen — the coalescing of feed changes, a claim's renewal, the
// inactivity check — goes through the session's Timers (common.Tick): with
// a test clock, no command of any screen waits (the strict driver fails on
// one that does not answer at once), the debounces are armed on the clock
// and fire when it is advanced, and the renewal waits for its five
// minutes. A screen arming tea.Tick itself would block here.
func TestEveryScreen_ArmsItsTimersOnTheSessionsClock(t *testing.T) {
	m := newEveryScreenModel(t, "lv", false)
	clock := m.c.Timers.(*tuitest.Clock)
	strict := tuitest.Driver{Wait: driver.Wait, Limit: driver.Limit, Strict: t}

	// Every screen started, and an item of the first queue opened.
	for range len(m.tabs) {
		strict.Send(t, m, tuitest.Press(tea.KeyTab))
	}
	strict.Send(t, m, tuitest.Runes("2")...)
	inFive := func() (n int) {
		for _, d := range clock.Armed() {
			if d == 5*time.Minute {
				n++
			}
		}
		return n
	}
	listing := inFive() // the banners' recheck
	strict.Send(t, m, tuitest.Press(tea.KeyEnter))
	if inFive() != listing+1 {
		t.Fatalf("timers armed %v; opening a request armed no claim renewal in 5 minutes", clock.Armed())
	}

	for _, topic := range []string{"role_request", "imk", "ticket", "terms", "announcement", "denial", "operator", "alert", "imk_policy"} {
		strict.Send(t, m, changeMsg(domain.Change{Topic: topic, ID: "1"}))
	}
	debounces := 0
	for _, d := range clock.Armed() {
		if d <= time.Second {
			debounces++
		}
	}
	if debounces < 7 {
		t.Errorf("timers armed %v; want the debounce of each screen that coalesces changes (at least 7)", clock.Armed())
	}
	strict.Advance(t, m, clock, time.Second)
	for _, d := range clock.Armed() {
		if d <= 0 {
			t.Errorf("a timer due %v ago did not fire", -d)
		}
	}
}
