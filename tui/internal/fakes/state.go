// What every fake keeps the same way: the failures planned for its next
// calls, its lock with the error every call returns, its rows and the
// calls it recorded.

package fakes

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// failures holds the errors a fake's next calls return instead of doing
// anything. It has its own lock, taken inside the fake's.
type failures struct {
	fmu  sync.Mutex
	fail map[string]error
}

// FailNext makes the next call of method (e.g. "ClaimIMK",
// "ListTickets") return err without doing anything.
func (f *failures) FailNext(method string, err error) {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	if f.fail == nil {
		f.fail = map[string]error{}
	}
	f.fail[method] = err
}

// takeFail returns the error set for the next call of method, once.
func (f *failures) takeFail(method string) error {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	err := f.fail[method]
	delete(f.fail, method)
	return err
}

// guarded is a fake's lock and the error every call returns, without
// doing anything, while it is set.
type guarded struct {
	mu sync.Mutex
	// Err is returned by every call when set.
	Err error
}

// locked runs fn under the lock unless Err is set.
func (g *guarded) locked(fn func() error) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.Err != nil {
		return g.Err
	}
	return fn()
}

// rowByID returns the row of rows whose id is id, or notFound(id).
func rowByID[T any](rows []*T, idOf func(*T) int64, id int64, notFound func(int64) error) (*T, error) {
	if i := slices.IndexFunc(rows, func(r *T) bool { return idOf(r) == id }); i >= 0 {
		return rows[i], nil
	}
	return nil, notFound(id)
}

// copiesOf returns copies of the rows keep accepts (every row when keep is
// nil), sorted stably by order (as stored when order is nil).
func copiesOf[T any](rows []*T, keep func(*T) bool, order func(a, b *T) int) []*T {
	var out []*T
	for _, r := range rows {
		if keep == nil || keep(r) {
			cp := *r
			out = append(out, &cp)
		}
	}
	if order != nil {
		slices.SortStableFunc(out, order)
	}
	return out
}

// byTimeThenID orders rows by a time and then an id, oldest first.
func byTimeThenID(at, bt time.Time, aID, bID int64) int {
	return cmp.Or(at.Compare(bt), cmp.Compare(aID, bID))
}

// snapshot returns a copy of the calls or rows in *s, taken under mu.
func snapshot[E any](mu *sync.Mutex, s *[]E) []E {
	mu.Lock()
	defer mu.Unlock()
	return slices.Clone(*s)
}

// numbered gives *id the next number when it has none, and moves *next
// past it.
func numbered(id, next *int64) {
	if *id == 0 {
		*id = *next
	}
	*next = max(*next, *id+1)
}
