package queue

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// Lease is the claim bookkeeping of the item open in a queue's detail.
// Pages embed it in their open item.
type Lease struct {
	// Gen numbers the opening: an answer that carries an older number was
	// meant for an item closed since.
	Gen int
	// ID is the item's id.
	ID int64
	// Owned says whether this session holds the item's claim.
	Owned bool
}

// Leased returns l itself. An open item that embeds a Lease has this
// method through it, for LeaseOf.
func (l *Lease) Leased() *Lease { return l }

// LeaseOf returns the lease of the open item it, a pointer to a struct
// that embeds a Lease; nil when it is nil (nothing is open).
func LeaseOf[P interface {
	comparable
	Leased() *Lease
}](it P) *Lease {
	var none P
	if it == none {
		return nil
	}
	return it.Leased()
}

// Current reports whether gen is the number of l's opening; false when l
// is nil (nothing is open).
func (l *Lease) Current(gen int) bool { return l != nil && l.Gen == gen }

// RenewMsg fires when the claim of opening Gen is due for renewal. T is the
// type of the queue's items: every page sees every message, and the type
// parameter keeps one queue's timers from reaching another queue.
type RenewMsg[T any] struct{ Gen int }

// RenewedMsg carries the answer to renewing the claim on item ID of
// opening Gen: the item as claimed, or the error.
type RenewedMsg[T any] struct {
	Gen  int
	ID   int64
	Item T
	Err  error
}

// ReleasedMsg carries the answer to giving a claim back.
type ReleasedMsg[T any] struct{ Err error }

// Claims binds one queue's claim calls to a session: Claim claims (or
// renews the claim on) an item and returns it as claimed, Release gives a
// claim back. Tick arms timers (common.Common.Tick), Every is how often a
// held claim is renewed. Operator may hold items while signed in with
// Role.
type Claims[T any] struct {
	Tick     func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	Every    time.Duration
	Claim    func(id int64) (T, error)
	Release  func(id int64) error
	Operator *domain.Operator
	Role     domain.Role
}

// RenewTick arms the one timer that runs while an item of opening gen is
// open and held.
func (c Claims[T]) RenewTick(gen int) tea.Cmd {
	return c.Tick(c.Every, func(time.Time) tea.Msg { return RenewMsg[T]{Gen: gen} })
}

// ReleaseCmd gives the claim on item id back; a ReleasedMsg tells how that
// went.
func (c Claims[T]) ReleaseCmd(id int64) tea.Cmd {
	release := c.Release
	return func() tea.Msg { return ReleasedMsg[T]{Err: release(id)} }
}

// Took takes in the outcome of a claim made while reading the item of l:
// one that held (claimed) makes l owned and, unless it was already, arms
// its renewal; one that failed (err) makes l not owned and returns
// explain(err). When no claim was made it does nothing.
func (c Claims[T]) Took(l *Lease, claimed bool, err error, explain func(error) tea.Cmd) tea.Cmd {
	switch {
	case claimed:
		if !l.Owned {
			l.Owned = true
			return c.RenewTick(l.Gen)
		}
	case err != nil:
		l.Owned = false
		return explain(err)
	}
	return nil
}

// Stale gives back the claim a read made (claimed) for an item closed
// since; it returns nil when the read claimed nothing.
func (c Claims[T]) Stale(id int64, claimed bool) tea.Cmd {
	if claimed {
		return c.ReleaseCmd(id)
	}
	return nil
}

// Renew answers a RenewMsg for l, the lease of the open item (nil when none
// is): a timer of an opening closed or lost since ends here (nil). When the
// operator no longer has the role to hold items it returns closeItem().
// Otherwise it claims the item again; a RenewedMsg carries the answer.
func (c Claims[T]) Renew(l *Lease, msg RenewMsg[T], closeItem func() tea.Cmd) tea.Cmd {
	if !l.Current(msg.Gen) || !l.Owned {
		return nil
	}
	if c.Operator == nil || !c.Operator.HasRole(c.Role) {
		return closeItem()
	}
	gen, id, claim := l.Gen, l.ID, c.Claim
	return func() tea.Msg {
		t, err := claim(id)
		return RenewedMsg[T]{Gen: gen, ID: id, Item: t, Err: err}
	}
}

// Renewed takes in the answer to a renewal for l, the lease of the open item
// (nil when none is). A renewal for an item closed since gives its claim
// back. One that held calls held with the item as claimed (for its holder
// and lease end) and arms the next renewal. A conflict means someone took
// the item after the lease ran out: it returns lost(), which reads the item
// again to say so. Any other error is shown and the renewal tried again,
// since the lease outlives a few tries while the database is away.
func (c Claims[T]) Renewed(l *Lease, msg RenewedMsg[T], held func(T), lost func() tea.Cmd) tea.Cmd {
	if !l.Current(msg.Gen) {
		return c.Stale(msg.ID, msg.Err == nil)
	}
	switch {
	case msg.Err == nil:
		held(msg.Item)
		return c.RenewTick(l.Gen)
	case domain.ErrorCode(msg.Err) == domain.ECONFLICT:
		return lost()
	}
	return tea.Batch(ErrorCmd(msg.Err), c.RenewTick(l.Gen))
}

// Released takes in the answer to giving a claim back: the list is read
// again (reload), and a failure shown.
func Released[T any](msg ReleasedMsg[T], reload func() tea.Cmd) tea.Cmd {
	if msg.Err != nil {
		return tea.Batch(ErrorCmd(msg.Err), reload())
	}
	return reload()
}

// Leave closes the item of l (nil when none was open): a held claim is
// given back, whose answer reloads the list; otherwise the list is read
// again at once (reload).
func (c Claims[T]) Leave(l *Lease, reload func() tea.Cmd) tea.Cmd {
	switch {
	case l == nil:
		return nil
	case l.Owned:
		return c.ReleaseCmd(l.ID)
	}
	return reload()
}

// ErrorCmd shows err on the status line.
func ErrorCmd(err error) tea.Cmd {
	return func() tea.Msg { return common.ErrorMsg{Err: err} }
}
