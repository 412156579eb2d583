// Package queue is the one component the work queues (role requests, IMK
// applications, helpdesk tickets) are built on. A queue screen describes
// itself in a Spec — its words, columns, filters, detail, actions and
// service — and New makes the Model that does the rest: the list in
// keyset pages with a back stack (Pager, List), its search and filters,
// the open item claimed for as long as it stays open (renewed, and given
// back on leaving), live updates gathered into one read (Coalescer), the
// actions with their forms and confirmations, busy and conflict handling,
// and the keys with their help.
package queue

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Nav says how a loaded page relates to the page shown before it.
type Nav int

const (
	Reset Nav = iota // a new filter or search: back to the first page
	Next             // the page after the one shown
	Prev             // back to the page before
	Stay             // the page shown, read again
)

// Pager keeps where the shown page of a keyset-paged list starts (a keyset
// K), where the pages before it start, and whether a page follows. It also
// numbers the reads so that an answer to a superseded read can be dropped.
// R is the type of a row. The zero value is the state before the first page.
type Pager[K, R any] struct {
	cur     K
	back    []K
	hasMore bool
	gen     int
}

// Begin numbers a new read, superseding every read begun before, and
// returns its number for Current.
func (p *Pager[K, R]) Begin() int {
	p.gen++
	return p.gen
}

// Current reports whether gen is the number of the latest read.
func (p *Pager[K, R]) Current(gen int) bool { return gen == p.gen }

// Cur returns where the shown page starts.
func (p *Pager[K, R]) Cur() K { return p.cur }

// Page returns the number of the shown page, counting from 1.
func (p *Pager[K, R]) Page() int { return len(p.back) + 1 }

// HasMore reports whether a page follows the shown one.
func (p *Pager[K, R]) HasMore() bool { return p.hasMore }

// Prev returns where the page before the shown one starts, and false on the
// first page.
func (p *Pager[K, R]) Prev() (K, bool) {
	if len(p.back) == 0 {
		var zero K
		return zero, false
	}
	return p.back[len(p.back)-1], true
}

// Apply takes a page read for navigation n starting at at. The read asks for
// size+1 rows: a row beyond size only tells that a next page exists. Apply
// updates the back stack and the current keyset and returns the rows to
// show, at most size.
func (p *Pager[K, R]) Apply(n Nav, at K, rows []R, size int) []R {
	p.hasMore = len(rows) > size
	if p.hasMore {
		rows = rows[:size]
	}
	switch n {
	case Reset:
		p.back = nil
	case Next:
		p.back = append(p.back, p.cur)
	case Prev:
		if len(p.back) > 0 {
			p.back = p.back[:len(p.back)-1]
		}
	}
	p.cur = at
	return rows
}

// Cursor returns the row to select once rows are shown after a read for n.
// Every navigation but Stay starts at the top. Stay keeps the row whose id
// is keep (the id of the row selected before, zero if none); when it is gone,
// the cursor stays where it was (cursor), within the rows.
func Cursor[R any](n Nav, rows []R, cursor int, keep int64, id func(R) int64) int {
	if n != Stay {
		return 0
	}
	c := min(max(cursor, 0), max(len(rows)-1, 0))
	for i, r := range rows {
		if id(r) == keep {
			c = i
		}
	}
	return c
}

// Coalescer gathers a burst of changes into one re-read: it records the ids
// that changed and arms a single timer; when the timer fires, Fire hands the
// ids back. The zero value is ready to use.
type Coalescer struct {
	changed map[string]bool
	armed   bool
}

// Note records that id changed. It returns a command that delivers msg after
// d when no timer is armed yet, and nil when one already is; tick arms the
// timer (common.Common.Tick).
func (c *Coalescer) Note(tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd, id string, d time.Duration, msg tea.Msg) tea.Cmd {
	if c.changed == nil {
		c.changed = map[string]bool{}
	}
	c.changed[id] = true
	if c.armed {
		return nil
	}
	c.armed = true
	return tick(d, func(time.Time) tea.Msg { return msg })
}

// Fire disarms the timer and returns the ids noted since the last Fire
// (never nil), starting a new burst.
func (c *Coalescer) Fire() map[string]bool {
	c.armed = false
	changed := c.changed
	if changed == nil {
		changed = map[string]bool{}
	}
	c.changed = map[string]bool{}
	return changed
}
