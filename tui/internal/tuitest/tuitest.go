// Package tuitest holds the plumbing the TUI's tests share: running
// messages through a model and draining the commands it returns as the
// program would, making key messages, and looking at the view without
// escape sequences.
package tuitest

import (
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// Model is what the helpers drive: a Bubble Tea model updated in place
// (a pointer), whose view is read after each step.
type Model interface {
	Update(tea.Msg) (tea.Model, tea.Cmd)
	View() string
}

// Driver runs commands the way the program would. Wait is how long a
// single command may take to answer before it is taken for one that never
// will (a real timer, the feed) and dropped; Limit is how many messages a
// drain may feed back before the test fails for commands that do not
// settle.
//
// A session given a Clock as its Timers (app.Options) arms no real timer
// and, without Options.Changes, waits on no feed: every command answers
// at once, so a drain never waits out Wait, and Wait can be long enough
// that a slow answer on a loaded machine is never taken for a timer.
type Driver struct {
	Wait  time.Duration
	Limit int
	// Strict, when set, fails the test on a real timer — a command made
	// by tea.Tick or tea.Every, or by common.Common.Tick without Timers —
	// and on a command that does not answer within Wait, instead of
	// running or dropping them: for tests that prove a session arms every
	// timer on its Timers.
	Strict testing.TB
}

// realTimers are the functions of the commands that wait on the wall
// clock, by the name the runtime gives their closures.
var realTimers = []string{
	"github.com/charmbracelet/bubbletea.Tick.",
	"github.com/charmbracelet/bubbletea.Every.",
	"github.com/viaa/ppp/tui/common.(*Common).Tick.",
}

// realTimer returns the name of cmd's function when it is a real timer's.
func realTimer(cmd tea.Cmd) (string, bool) {
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	for _, prefix := range realTimers {
		if strings.HasPrefix(name, prefix) {
			return name, true
		}
	}
	return "", false
}

// Default is the driver Send, Drain, Results and Advance use.
var Default = Driver{Wait: 10 * time.Second, Limit: 500}

// Send runs msgs through m, each followed by every command it leads to,
// as the program would. It reports whether a command asked to quit.
func Send(t testing.TB, m Model, msgs ...tea.Msg) (quit bool) {
	t.Helper()
	return Default.Send(t, m, msgs...)
}

// Drain runs cmd and feeds the messages it leads to back into m until
// nothing is left. It reports whether a command asked to quit.
func Drain(t testing.TB, m Model, cmd tea.Cmd) (quit bool) {
	t.Helper()
	return Default.Drain(t, m, cmd)
}

// Results runs cmd and returns what it answers, with Default's patience.
func Results(cmd tea.Cmd) []tea.Msg { return Default.Results(cmd) }

// Send runs msgs through m, each followed by every command it leads to.
// It reports whether a command asked to quit.
func (d Driver) Send(t testing.TB, m Model, msgs ...tea.Msg) (quit bool) {
	t.Helper()
	for _, msg := range msgs {
		// bubbles' text inputs rewrite a key's runes in place, so each
		// model gets its own copy: tests may share key messages between
		// parallel subtests.
		if k, ok := msg.(tea.KeyMsg); ok {
			k.Runes = append([]rune(nil), k.Runes...)
			msg = k
		}
		_, cmd := m.Update(msg)
		if d.Drain(t, m, cmd) {
			quit = true
		}
	}
	return quit
}

// Drain runs cmd and feeds the messages it leads to back into m until
// nothing is left; a tea.QuitMsg is noted, not fed back. It reports
// whether a command asked to quit.
func (d Driver) Drain(t testing.TB, m Model, cmd tea.Cmd) (quit bool) {
	t.Helper()
	queue := d.Results(cmd)
	for i := 0; len(queue) > 0; i++ {
		if i > d.Limit {
			t.Fatal("commands do not settle")
		}
		msg := queue[0]
		queue = queue[1:]
		if _, ok := msg.(tea.QuitMsg); ok {
			quit = true
			continue
		}
		_, next := m.Update(msg)
		queue = append(queue, d.Results(next)...)
	}
	return quit
}

// Results runs cmd and returns what it answers; a batch's commands run at
// once and their answers keep the batch's order. A command that does not
// answer within d.Wait (a timer) is dropped.
func (d Driver) Results(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	if d.Strict != nil {
		if name, ok := realTimer(cmd); ok {
			d.Strict.Errorf("a real timer (%s): arm it through common.Common.Tick, on the session's Timers", name)
			return nil
		}
	}
	out := make(chan tea.Msg, 1)
	go func() { out <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-out:
	case <-time.After(d.Wait):
		if d.Strict != nil {
			d.Strict.Errorf("a command did not answer within %v: a timer not armed through common.Common.Tick, or the feed", d.Wait)
		}
		return nil
	}
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		parts := make([]chan []tea.Msg, len(msg))
		for i, c := range msg {
			parts[i] = make(chan []tea.Msg, 1)
			go func() { parts[i] <- d.Results(c) }()
		}
		var all []tea.Msg
		for _, p := range parts {
			all = append(all, <-p...)
		}
		return all
	}
	return []tea.Msg{msg}
}

// Runes returns s as key presses, one tea.KeyRunes message a rune.
func Runes(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return out
}

// Typed returns s as a terminal sends it when typed: like Runes, but a
// space is a tea.KeySpace.
func Typed(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		if r == ' ' {
			out = append(out, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
			continue
		}
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return out
}

// Press returns a press of the key k.
func Press(k tea.KeyType) tea.Msg { return tea.KeyMsg{Type: k} }

// Screen is m's view without escape sequences.
func Screen(m Model) string { return ansi.Strip(m.View()) }

// Squeeze collapses every run of white space in s into one space.
func Squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

// Squeezed is the screen with runs of white space collapsed, so that text
// wrapped or padded in columns can be looked for.
func Squeezed(m Model) string { return Squeeze(Screen(m)) }

// MustShow fails unless the squeezed screen holds every one of wants,
// each squeezed too.
func MustShow(t testing.TB, m Model, wants ...string) {
	t.Helper()
	view := Squeezed(m)
	for _, w := range wants {
		if !strings.Contains(view, Squeeze(w)) {
			t.Errorf("the screen lacks %q:\n%s", w, Screen(m))
		}
	}
}

// MustNotShow fails when the screen holds any of unwanted as is.
func MustNotShow(t testing.TB, m Model, unwanted ...string) {
	t.Helper()
	view := Screen(m)
	for _, u := range unwanted {
		if strings.Contains(view, u) {
			t.Errorf("the screen shows %q:\n%s", u, view)
		}
	}
}

// MustNotShowSqueezed fails when the squeezed screen holds any of
// unwanted, each squeezed too: it also catches text wrapped or padded.
func MustNotShowSqueezed(t testing.TB, m Model, unwanted ...string) {
	t.Helper()
	view := Squeezed(m)
	for _, u := range unwanted {
		if strings.Contains(view, Squeeze(u)) {
			t.Errorf("the screen shows %q:\n%s", u, Screen(m))
		}
	}
}

// CheckFits fails when m's view has a line wider than w cells or not
// exactly h lines; what, when not empty, names the view in the failures.
func CheckFits(t testing.TB, m Model, w, h int, what string) {
	t.Helper()
	prefix := ""
	if what != "" {
		prefix = what + " at " + itoa(w) + "×" + itoa(h) + ": "
	}
	lines := strings.Split(m.View(), "\n")
	if len(lines) != h {
		t.Errorf("%s%d lines, want %d", prefix, len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("%sline %d is %d cells wide: %q", prefix, i+1, n, ansi.Strip(l))
		}
	}
}
func itoa(n int) string { return strconv.Itoa(n) }

// specialKeys are the keys a fuzz input (KeysFromBytes) can press besides
// typing and pasting.
var specialKeys = []tea.KeyType{
	tea.KeyBackspace, tea.KeyDelete, tea.KeyLeft, tea.KeyRight, tea.KeyHome, tea.KeyEnd,
	tea.KeyCtrlU, tea.KeyCtrlK, tea.KeyCtrlW, tea.KeyTab, tea.KeyShiftTab, tea.KeyEnter, tea.KeySpace,
	tea.KeyUp, tea.KeyDown, tea.KeyCtrlA, tea.KeyCtrlE,
}

// KeysFromBytes turns fuzz bytes into key presses: a byte below 0x20
// picks a special key, or starts a paste or a typed burst whose runes are
// the next bytes as a terminal reader decodes them (an invalid byte is
// utf8.RuneError); 0x1f makes a rune from the next four bytes, so that
// surrogates and out-of-range values come too.
func KeysFromBytes(data []byte) []tea.KeyMsg {
	var out []tea.KeyMsg
	for len(data) > 0 {
		b := data[0]
		data = data[1:]
		switch {
		case b < byte(len(specialKeys)):
			out = append(out, tea.KeyMsg{Type: specialKeys[b], Runes: runesOfSpace(specialKeys[b])})
		case b == 0x1e || b == 0x1d: // a paste (0x1e) or a typed burst of the next n bytes
			n := 0
			if len(data) > 0 {
				n = min(int(data[0]), len(data)-1)
				data = data[1:]
			}
			var runes []rune
			for _, r := range string(data[:n]) {
				runes = append(runes, r)
			}
			data = data[n:]
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: runes, Paste: b == 0x1e})
		case b == 0x1f && len(data) >= 4:
			r := rune(uint32(data[0])<<24 | uint32(data[1])<<16 | uint32(data[2])<<8 | uint32(data[3]))
			data = data[4:]
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		default:
			r, w := utf8.DecodeRune(append([]byte{b}, data[:min(3, len(data))]...))
			data = data[w-1:]
			out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
	}
	return out
}

func runesOfSpace(k tea.KeyType) []rune {
	if k == tea.KeySpace {
		return []rune{' '}
	}
	return nil
}
