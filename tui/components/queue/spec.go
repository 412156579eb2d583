package queue

import (
	"context"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/components/form"
)

// Spec is what a queue screen supplies: its words, columns, filters,
// detail and actions, and its service. The component (Model) does the
// rest. T is the type of an item (a pointer to a domain entity), F the
// list's filter, X what the detail reads besides the item (struct{} when
// nothing).
type Spec[T, F, X any] struct {
	// Role is the role whose operators work the queue: the screen shows
	// nothing to others, and a claim is renewed only while the operator
	// still has it.
	Role domain.Role
	// AlsoRoles are further roles whose operators work the queue, the
	// service narrowing what they see (the security officers the helpdesk's
	// incident tickets); nil: none.
	AlsoRoles []domain.Role
	// Topic is the change-feed topic of the queue's items (domain.Topic…).
	Topic string
	// PageSize is the number of items on a page of the list.
	PageSize int
	Words    Words
	// Columns are the list's columns, in order; each shows from a width.
	Columns []Column[T]
	// Filters are the list's filters, each cycled by its keys.
	Filters []Filter
	// Filter is the list's filter for the search typed, the filters'
	// steps (Filters' order) and the page that starts after at; it asks
	// for limit items.
	Filter func(search string, steps []int, at Keyset, limit int) F
	// Facts returns what the component needs to know of an item.
	Facts func(T) Facts
	// Summary is the pane under the list: the lines naming the selected
	// item, its "#id · …" first.
	Summary func(T) []string
	// Heading is the detail's first line: its title and, at the right,
	// the item's state.
	Heading func(o *Open[T, X]) (title, state string)
	// Banners are lines under the claim line of the detail (nil: none).
	Banners func(o *Open[T, X], w int) []string
	// Body is the detail's scrolling part, w columns wide.
	Body func(o *Open[T, X], w int) string
	// Actions are what an operator does to an open item, by key.
	Actions []Action[T, X]
	// ListKeys are keys of the screen's own in the list (a sub-view).
	ListKeys []ListKey
	// Service is the queue's service; a nil List means the server has
	// none, and the screen reads nothing.
	Service Service[T, F, X]
	// Bulk, when set, lets the operator mark items of the list for a bulk
	// action (package marks: space marks the item, * the whole filter, B
	// opens the action): it is called with the items marked, or with the
	// list's filter as searched and filtered now (its keyset and limit
	// meaningless) to be resolved whole on the server. nil: no marking.
	Bulk func(ids []int64, all *F) tea.Cmd
}

// Service binds a queue's service calls. The decisions are the actions'.
type Service[T, F, X any] struct {
	// List reads a page of the list.
	List func(ctx context.Context, f F) ([]T, error)
	// Find reads one item for the detail; reading it counts as a look at
	// the person where the service says so.
	Find func(ctx context.Context, id int64) (T, error)
	// More reads what the detail shows besides the item (history,
	// duplicates); nil when nothing.
	More func(ctx context.Context, id int64) (X, error)
	// Claim claims an item for the session's operator, or renews the
	// claim, and returns the item as claimed.
	Claim func(ctx context.Context, id int64) (T, error)
	// Release gives a claim back.
	Release func(ctx context.Context, id int64) error
	// ClaimNext claims the next item nobody holds among those the filter
	// f asks for; nil when the queue has no "take the next" (c in the
	// list).
	ClaimNext func(ctx context.Context, f F) (T, error)
}

// Words are the screen's catalog keys for what the component says about
// its items; each is formatted as its comment says.
type Words struct {
	RoleOnly string // the screen is for another role
	Title    string // the list's title; "" for none
	Search   string // the search's label
	Hint     string // what the search takes, shown while it is empty
	None     string // no item matches
	Yours    string // the claim line: you hold it (until %s, a time of day)
	Other    string // the claim line: %s holds it
	Free     string // the claim line: nobody holds it
	Closed   string // the claim line of an item not to be claimed; "" for none
	HeldBy   string // a claim refused: item %d is held by %s
	Lost     string // a claim lost: you no longer hold item %d; %s does
	Changed  string // a write met a change the item's rule does not explain
	// NotHeld refuses an action of the holder's to whoever does not hold
	// the item.
	NotHeld string
}

// Facts are what the component needs to know of an item.
type Facts struct {
	ID      int64
	At      time.Time // where the page after the item starts: the keyset's time
	Version int64     // what a write names, to be refused once the item changed
	Holder  Holder
	// Open says the item is in a state in which opening it claims it.
	Open bool
}

// Holder is who holds an item's claim, and until when.
type Holder struct {
	ID    int64
	Name  string
	Until time.Time
}

// Held reports whether anyone holds the claim at now.
func (h Holder) Held(now time.Time) bool { return h.ID != 0 && now.Before(h.Until) }

// Other reports whether someone other than operator me holds the claim at
// now.
func (h Holder) Other(me int64, now time.Time) bool { return h.Held(now) && h.ID != me }

// Keyset is where a page of a list starts: after the item at (At, ID);
// zero for the first page.
type Keyset struct {
	At time.Time
	ID int64
}

// Column is one column of the list.
type Column[T any] struct {
	Title  string // catalog key
	Min    int    // width at least
	Weight int    // share of the width left over
	// From is the narrowest page on which the column shows.
	From int
	// Cell renders an item's cell; it is made plain where it is drawn.
	Cell func(T) string
}

// Filter is one of the list's filters: a cycle of steps, the first the
// default, moved on by Key and back by Back.
type Filter struct {
	Key, Back string // "" for none
	Help      string // catalog key: Key's words in the help
	Label     string // catalog key of the filter line's "name: %s"
	Steps     int
	// Name returns the words of a step.
	Name func(step int) string
}

// ListKey is a key of the screen's own in the list.
type ListKey struct {
	Keys []string
	Help string // catalog key
	// Run answers the key; nil hides the key (the screen cannot do it).
	Run func() tea.Cmd
}

// After says what follows an action that succeeded.
type After int

// What follows an action.
const (
	Reread  After = iota // the item is read again and stays open
	Leave                // a decision: the item leaves the desk with its claim; back to the list
	Keep                 // nothing more
	Reclaim              // read again and claimed unless held (it became the queue's own)
)

// Send is an action's service call, run off the update loop. It returns
// what to do with the answer back on the loop (nil: nothing beyond the
// action's status and After), or the service's error.
type Send func(ctx context.Context) (apply func() tea.Cmd, err error)

// Call makes a Send of a call that answers nothing but its error.
func Call(run func(ctx context.Context) error) Send {
	return func(ctx context.Context) (func() tea.Cmd, error) { return nil, run(ctx) }
}

// Action is something an operator does to the open item, by a key of the
// detail: at once, after a confirmation, or through a form (itself
// perhaps followed by a confirmation). Help, Short, Busy and Done are
// catalog keys.
type Action[T, X any] struct {
	Keys  []string
	Help  string // the key's words in the help
	Short string // shorter words for the footer; "": Help's
	// Quiet keeps the key out of the footer (the help lists it).
	Quiet bool
	// Rule is the item's own rule for the action (its Allows), its
	// refusals worded as the screen words them; nil: none.
	Rule func(T) error
	// Held: only the item's holder does it (Words.NotHeld otherwise).
	Held bool
	// Check is the screen's own step, asked after Held; nil: none.
	Check func(T) error
	// Offer says whether the action is worth offering now beyond being
	// allowed (a code already revealed is not revealed again); nil:
	// always. A key not offered does nothing.
	Offer func(o *Open[T, X]) bool
	// Explains shows the action's refusal under the detail's header: why
	// the item cannot be decided.
	Explains bool
	// Claims makes the action claim the item (c, once a claim was lost or
	// refused); nothing below is used then but Done.
	Claims bool

	// Begin readies the screen's state as the action begins (a choice its
	// confirmation offers); nil: nothing.
	Begin func(o *Open[T, X])
	// Form returns the action's form; nil: none. Submit reads it and
	// returns the call, or nil with the problem shown in the form.
	Form   func(o *Open[T, X]) *form.Model
	Submit func(f *form.Model, o *Open[T, X], version int64) Send
	// Send is the call of an action without a form.
	Send func(o *Open[T, X], version int64) Send
	// Confirm returns the lines of a confirmation asked before the call
	// (after the form, when there is one); nil: none. Choose answers a
	// key of the confirmation before enter and esc, reporting whether it
	// did (a choice made there), and ChooseHelp names its keys.
	Confirm    func(o *Open[T, X], w int) []string
	Choose     func(tea.KeyMsg) bool
	ChooseHelp func() []key.Binding

	// Busy is said in the detail's header (and the confirmation) while an
	// action without a form runs; "": nothing.
	Busy string
	// Done is the status line after success, formatted with the item's
	// id; "": none (an apply says it).
	Done  string
	After After
}

// Open is the item open in the detail, as the component keeps it; the
// screen's Heading, Banners, Body and actions read it.
type Open[T, X any] struct {
	ID   int64
	Item T
	More X // what Service.More read
	// Loaded says the item was read in full since it was opened.
	Loaded bool
	// Owned says this session holds the item's claim.
	Owned bool
	// Revealed is a personal code revealed for this opening only.
	Revealed string

	gen      int                // numbers the opening: answers for an earlier one are dropped
	holder   Holder             // as last read or renewed
	claiming bool               // a claim is under way
	busy     bool               // an action without a form is under way
	busyKey  string             // what the header says meanwhile
	drafts   map[int]form.Draft // what was typed into a form left, by action
}

// works reports whether op works the queue: holds Role or one of
// AlsoRoles.
func (s *Spec[T, F, X]) works(op *domain.Operator) bool {
	if op == nil {
		return false
	}
	return op.HasRole(s.Role) || slices.ContainsFunc(s.AlsoRoles, op.HasRole)
}
