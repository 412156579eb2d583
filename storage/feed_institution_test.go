package storage_test

import (
	"strconv"
	"testing"

	"github.com/viaa/ppp/domain"
)

// An institution's row announces itself on the change feed when it is
// created and when it changes (here: a denial suspends it), so that every
// session's institutions list follows; a write that changes nothing says
// nothing.
func TestFeed_InstitutionChange_ReachesSubscriber(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	feed := startFeed(t)
	ch, stop := feed.Subscribe(domain.TopicInstitution)
	defer stop()
	waitFor(t, ch, domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})

	id := e.institution(t)
	want := domain.Change{Topic: domain.TopicInstitution, ID: strconv.FormatInt(id, 10)}
	if c := next(t, ch); c != want {
		t.Fatalf("got %+v after the insert, want %+v", c, want)
	}
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE institutions SET name = name WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE institutions SET state = 'suspended' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if c := next(t, ch); c != want {
		t.Fatalf("got %+v after the suspension, want %+v", c, want)
	}
	// Notifications arrive in commit order: had the write that changed
	// nothing been announced, the suspension's would come before this.
	other := e.institution(t)
	if c := next(t, ch); c != (domain.Change{Topic: domain.TopicInstitution, ID: strconv.FormatInt(other, 10)}) {
		t.Fatalf("got %+v, want the next institution's insert: a write that changed nothing was announced", c)
	}
}
