// Package listview is the component of the screens that list records and
// open one into a detail: announcements, alerts, the target-group policy,
// the sign-in history. A screen supplies a Spec — its words, columns, the
// pane under the list, the detail and its actions with their forms — and
// the component does the rest the same on every such screen: the list with
// its loading and empty states, keeping the selection across reads, live
// reload on the screen's feed topic (a burst read once), the detail's
// scrolling, actions offered only where their rule allows them (and the
// rule's refusal on the status line otherwise), forms that keep what was
// typed when left, confirmations, busy and failure handling, the footer
// and the help.
package listview

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/components/form"
)

// Spec is what a list screen supplies. T is the type of a row (a pointer
// to a domain entity).
type Spec[T any] struct {
	// Allowed says whether the operator works the screen; others see
	// RoleOnly and nothing is read. nil: everyone.
	Allowed  func(op *domain.Operator) bool
	RoleOnly string // catalog key
	// Topic is the change-feed topic of the rows (domain.Topic…); "" for
	// none.
	Topic string
	// None is the catalog key said when the list is empty.
	None string
	// ID identifies a row: the selection and the open row follow it across
	// reads.
	ID func(T) int64
	// Version is what a draft typed into a row's form was typed over; nil:
	// none (a draft is kept whatever the row's version).
	Version func(T) int64
	// NoService is the catalog key said when the server has no service
	// for the screen; "": the loading line stays.
	NoService string
	// Load returns the read of the list as things stand now (it runs off
	// the update loop); nil when the server has no service for the screen,
	// and nothing is read.
	Load func() Read[T]
	// Columns are the list's columns, in order.
	Columns []Column[T]
	// Above returns the lines above the list (a title, the filters); nil:
	// none.
	Above func(w int) []string
	// Summary returns the lines of the pane under the list for the
	// selected row (nil when none is selected) under a rule; SummaryLines
	// is the pane's height with its rule, shown from a page 14 lines high.
	Summary      func(t T, ok bool, w int) []string
	SummaryLines int
	// Detail renders an open row: its head, and its body, which scrolls
	// under the head. nil: the list opens nothing.
	Detail func(t T, w int) (head, body []string)
	// OpenHelp is the catalog key of enter's words in the list.
	OpenHelp string
	// Opened returns what the screen reads besides the row for its detail
	// (a history, say), when a row opens and each time the open row is
	// read again; nil: nothing.
	Opened func(t T) tea.Cmd
	// Actions are what the operator does: to the selected or open row, or
	// (Free) to none.
	Actions []*Action[T]
	// Keys are the screen's own keys in the list.
	Keys []Key
	// Bulk, when set, lets the operator mark rows for a bulk action
	// (package marks: space marks the row, * the whole filter, B opens
	// the action): it is called with the rows marked (ids as ID gives
	// them), or with all for every row of the screen's filter — which the
	// screen names, to be resolved on the server. nil: no marking, and
	// space pages down as before.
	Bulk func(ids []int64, all bool) tea.Cmd
}

// Read reads the list. Apply, when not nil, runs on the update loop as
// the answer is taken in, before the rows (or the error): what the screen
// keeps besides them.
type Read[T any] func(ctx context.Context) (rows []T, apply func(), err error)

// Reads makes a Spec.Load of a read of rows alone, or of nothing when
// ready reports that the service is missing.
func Reads[T any](ready func() bool, read func(ctx context.Context) ([]T, error)) func() Read[T] {
	return func() Read[T] {
		if !ready() {
			return nil
		}
		return func(ctx context.Context) ([]T, func(), error) {
			rows, err := read(ctx)
			return rows, nil, err
		}
	}
}

// Column is one column of the list.
type Column[T any] struct {
	Title  string // catalog key
	Min    int    // width at least
	Weight int    // share of the width left over
	// Cell renders a row's cell; it is made plain where it is drawn.
	Cell func(T) string
}

// Key is a key of the screen's own in the list.
type Key struct {
	Keys []string
	Help string // catalog key
	// Shown says whether the key is offered now; nil: always.
	Shown func() bool
	Run   func() tea.Cmd
}

// Send is an action's service call, run off the update loop. It returns
// the status to say on success (nil: the action's Done), or the error.
type Send func(ctx context.Context) (status tea.Cmd, err error)

// Call makes a Send of a call that answers nothing but its error.
func Call(run func(ctx context.Context) error) Send {
	return func(ctx context.Context) (tea.Cmd, error) { return nil, run(ctx) }
}

// Action is something the operator does by a key: at once, after a
// confirmation, or through a form (itself perhaps followed by a
// confirmation). Help, Done, Busy and Hint are catalog keys.
type Action[T any] struct {
	Keys []string
	Help string
	// Free actions need no row (a new one): offered in the list only, T's
	// zero value given.
	Free bool
	// Detail keeps the action to the open row's detail.
	Detail bool
	// Rule is the row's own rule for the action (a free action's is asked
	// of T's zero value); its refusal is said on the status line and the
	// key is left out of the footer. nil: none.
	Rule func(T) error
	// Form returns the action's form; nil: none. Submit reads it and
	// returns the call, or nil with the problem shown in the form. Keep
	// keeps what was typed when the form is left, for the next opening on
	// the same row (and version).
	Form   func(t T) *form.Model
	Submit func(f *form.Model, t T) Send
	Keep   bool
	// Send is the call of an action without a form.
	Send func(t T) Send
	// Confirm returns the lines of a confirmation asked before the call
	// (after the form, when there is one); nil: none. Its last line says
	// Hint, or Busy while the call runs.
	Confirm    func(t T, w int) []string
	Hint, Busy string
	// Done is the status after success, formatted with the row's id.
	Done string
	// Close makes success close the detail, back to the list.
	Close bool
}
