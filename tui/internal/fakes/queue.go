package fakes

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// queue is the state every fake work queue (IMK, Helpdesk, RoleRequests)
// keeps the same way: items by id, who holds each claim and in which
// session, the clock, the feed, the failures planned, the operators known
// and the calls recorded. The item's own rules stay domain's; the fake
// queue supplies them to claim and list. Its lock guards items and claimOf.
type queue[T any] struct {
	mu      sync.Mutex
	items   map[int64]*T
	claimOf sessions
	nextID  int64
	kind    itemKind[T]
	failures
	staff
	looks

	// Feed receives a change per write when set.
	Feed *Feed
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	claims, releases []int64
	sessions         []string
}

// itemKind is how a queue reaches the fields every queue item has.
type itemKind[T any] struct {
	topic    string
	notFound func(id int64) error
	copy     func(*T) *T // a deep copy, as a read returns it
	brief    func(*T) *T // a copy as a list shows it; copy when nil
	id       func(*T) *int64
	version  func(*T) *int64
	arrived  func(*T) time.Time // the list's order, with the id
	claim    func(*T) (by *int64, name *string, until *time.Time)
}

func newQueue[T any](kind itemKind[T]) queue[T] {
	if kind.brief == nil {
		kind.brief = kind.copy
	}
	return queue[T]{items: map[int64]*T{}, claimOf: sessions{}, nextID: 1, kind: kind}
}

func (q *queue[T]) now() time.Time {
	if q.Now != nil {
		return q.Now()
	}
	return time.Now()
}

// store adds it, giving it an id and version 1 when it has none and then
// the item's own defaults, and returns a copy.
func (q *queue[T]) store(it *T, defaults func(*T)) *T {
	q.mu.Lock()
	defer q.mu.Unlock()
	id := q.kind.id(it)
	numbered(id, &q.nextID)
	if v := q.kind.version(it); *v == 0 {
		*v = 1
	}
	defaults(it)
	q.items[*id] = q.kind.copy(it)
	return q.kind.copy(it)
}

// Get returns a copy of item id, or nil.
func (q *queue[T]) Get(id int64) *T {
	q.mu.Lock()
	defer q.mu.Unlock()
	if it := q.items[id]; it != nil {
		return q.kind.copy(it)
	}
	return nil
}

// Update changes item id with fn, as another writer would: the version is
// bumped and the change published.
func (q *queue[T]) Update(id int64, fn func(*T)) {
	q.mu.Lock()
	it := q.items[id]
	if it != nil {
		fn(it)
		*q.kind.version(it)++
	}
	q.mu.Unlock()
	if it != nil {
		q.publish(id)
	}
}

// ClaimAs makes another operator, in another session, hold item id for
// domain.ClaimLease, and publishes the change.
func (q *queue[T]) ClaimAs(id, operatorID int64, name string) {
	q.mu.Lock()
	if it := q.items[id]; it != nil {
		by, who, until := q.kind.claim(it)
		*by, *who, *until = operatorID, name, q.now().Add(domain.ClaimLease)
		q.claimOf[id] = "other-session"
	}
	q.mu.Unlock()
	q.publish(id)
}

// Claims returns the ids the queue's claim call (ClaimIMK, ClaimTicket,
// ClaimRoleRequest) was made with so far, successful or not.
func (q *queue[T]) Claims() []int64 { return snapshot(&q.mu, &q.claims) }

// Releases returns the ids the queue's release call (ReleaseIMK,
// ReleaseTicket, ReleaseRoleRequest) was made with so far.
func (q *queue[T]) Releases() []int64 { return snapshot(&q.mu, &q.releases) }

// SessionReleases returns the sessions ReleaseSessionClaims was called
// with.
func (q *queue[T]) SessionReleases() []string { return snapshot(&q.mu, &q.sessions) }

func (q *queue[T]) publish(id int64) {
	if q.Feed != nil {
		q.Feed.Publish(domain.Change{Topic: q.kind.topic, ID: strconv.FormatInt(id, 10)})
	}
}

// get returns item id, or storage's ENOTFOUND; the caller holds the lock.
func (q *queue[T]) get(id int64) (*T, error) {
	if it := q.items[id]; it != nil {
		return it, nil
	}
	return nil, q.kind.notFound(id)
}

// shown is a copy of it as a read shows it: a claim whose lease ran out is
// not shown.
func (q *queue[T]) shown(it *T, copyOf func(*T) *T) *T {
	c := copyOf(it)
	if by, who, until := q.kind.claim(c); *by != 0 && !q.now().Before(*until) {
		*by, *who, *until = 0, "", time.Time{}
	}
	return c
}

// list returns the items match accepts after the keyset position (afterAt,
// afterID), oldest first, at most limit, as a list shows them; the caller
// holds the lock.
func (q *queue[T]) list(match func(*T) bool, afterAt time.Time, afterID int64, limit int) []*T {
	var all []*T
	for id, it := range q.items {
		if match(it) && afterKey(q.kind.arrived(it), id, afterAt, afterID) {
			all = append(all, it)
		}
	}
	slices.SortFunc(all, func(a, b *T) int {
		return cmp.Or(q.kind.arrived(a).Compare(q.kind.arrived(b)), cmp.Compare(*q.kind.id(a), *q.kind.id(b)))
	})
	var out []*T
	for _, it := range all[:min(len(all), limit)] {
		out = append(out, q.shown(it, q.kind.brief))
	}
	return out
}

// afterKey reports whether (at, id) comes after the keyset position
// (afterAt, afterID); a zero position is before everything.
func afterKey(at time.Time, id int64, afterAt time.Time, afterID int64) bool {
	if afterAt.IsZero() && afterID == 0 {
		return true
	}
	c := at.Compare(afterAt)
	return c > 0 || c == 0 && id > afterID
}

// claim records the call, then claims item id for the actor after the
// failure planned for method and the item's rule (allows); then, when
// set, claimed changes the item further (renewal: the actor held it
// already). It publishes the change and returns the item as a list shows
// it.
func (q *queue[T]) claim(ctx context.Context, id int64, method string, allows func(*T, domain.OperatorRef, time.Time) error,
	claimed func(it *T, renewal bool)) (*T, error) {
	act := domain.ActorFrom(ctx)
	q.mu.Lock()
	q.claims = append(q.claims, id)
	out, err := q.claimLocked(act, id, method, allows, claimed)
	q.mu.Unlock()
	if err != nil {
		return nil, err
	}
	q.publish(id)
	return out, nil
}

func (q *queue[T]) claimLocked(act domain.Actor, id int64, method string, allows func(*T, domain.OperatorRef, time.Time) error,
	claimed func(it *T, renewal bool)) (*T, error) {
	if err := q.takeFail(method); err != nil {
		return nil, err
	}
	it, err := q.get(id)
	if err != nil {
		return nil, err
	}
	op, now := q.ref(act), q.now()
	if err := allows(it, op, now); err != nil {
		return nil, err
	}
	by, who, until := q.kind.claim(it)
	renewal := *by == op.ID && now.Before(*until)
	*by, *who, *until = op.ID, op.Name, now.Add(domain.ClaimLease)
	q.claimOf[id] = act.SessionID
	if claimed != nil {
		claimed(it, renewal)
	}
	return q.kind.brief(it), nil
}

// release records the call and, unless the failure planned for method
// comes first, lets go of item id when the actor holds it, publishing the
// change; releasing what one does not hold is no error.
func (q *queue[T]) release(ctx context.Context, id int64, method string) error {
	act := domain.ActorFrom(ctx)
	q.mu.Lock()
	q.releases = append(q.releases, id)
	if err := q.takeFail(method); err != nil {
		q.mu.Unlock()
		return err
	}
	it := q.items[id]
	released := false
	if it != nil {
		by, _, _ := q.kind.claim(it)
		released = *by == act.OperatorID && *by != 0
	}
	if released {
		q.unclaim(id)
	}
	q.mu.Unlock()
	if released {
		q.publish(id)
	}
	return nil
}

// unclaim clears item id's claim; the caller holds the lock.
func (q *queue[T]) unclaim(id int64) {
	by, who, until := q.kind.claim(q.items[id])
	*by, *who, *until = 0, "", time.Time{}
	delete(q.claimOf, id)
}

// releaseSession implements ReleaseSessionClaims: it records the call and
// lets go of every claim the session holds, once the actor may.
func (q *queue[T]) releaseSession(ctx context.Context, session string) error {
	q.mu.Lock()
	q.sessions = append(q.sessions, session)
	ids, err := q.claimOf.releasable(domain.ActorFrom(ctx), session)
	for _, id := range ids {
		q.unclaim(id)
	}
	q.mu.Unlock()
	for _, id := range ids {
		q.publish(id)
	}
	return err
}

// reveal checks the reason, then, unless the failure planned for
// RevealPersonalCode comes first, asks the item's rule (allows) and
// records the reveal of the personal code code gives; it returns the code.
func (q *queue[T]) reveal(ctx context.Context, id int64, reason string, allows func(*T, domain.OperatorRef, time.Time) error,
	code func(*T) string) (string, error) {
	act := domain.ActorFrom(ctx)
	reason, err := domain.CheckRevealReason(reason)
	if err != nil {
		return "", err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.takeFail("RevealPersonalCode"); err != nil {
		return "", err
	}
	it, err := q.get(id)
	if err == nil {
		err = allows(it, q.ref(act), q.now())
	}
	if err != nil {
		return "", err
	}
	q.revealed(act, id, code(it), reason)
	return code(it), nil
}
