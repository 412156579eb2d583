package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

func TestIMK_ReleaseSessionClaims_ReleasesOnlyTheSession_WithEndedContext(t *testing.T) {
	db := pgtest.NewDB(t)
	one := newOperator(t, db, "rev.one")
	two := newOperator(t, db, "rev.two")
	ctx1 := domain.WithActor(t.Context(), domain.Actor{OperatorID: one.ID, Name: "rev.one", SessionID: "s1"})
	ctx2 := domain.WithActor(t.Context(), domain.Actor{OperatorID: two.ID, Name: "rev.two", SessionID: "s2"})
	svc := storage.NewIMKService(db, storage.NewMirrorRegisters(db, storage.Outage{}, nil))
	seedApplications(t, db, 3)
	if _, err := db.Pool().Exec(t.Context(), `UPDATE imk_applications SET state = 'needs_review'`); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	rows, err := db.Pool().Query(t.Context(), `SELECT id FROM imk_applications ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if rows.Close(); len(ids) != 3 {
		t.Fatalf("ids %v", ids)
	}
	for _, c := range []struct {
		ctx context.Context
		id  int64
	}{{ctx1, ids[0]}, {ctx1, ids[1]}, {ctx2, ids[2]}} {
		if _, err := svc.ClaimIMK(c.ctx, c.id); err != nil {
			t.Fatal(err)
		}
	}

	conn, err := db.Pool().Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(t.Context(), `LISTEN ppp_change`); err != nil {
		t.Fatal(err)
	}

	if err := svc.ReleaseSessionClaims(t.Context(), " "); err != nil {
		t.Fatalf("empty session: %v", err)
	}
	done, cancel := context.WithCancel(t.Context())
	cancel()
	if err := svc.ReleaseSessionClaims(done, "s1"); err != nil {
		t.Fatalf("ReleaseSessionClaims with an ended context: %v", err)
	}
	for _, id := range ids[:2] {
		a, err := svc.FindIMK(t.Context(), id)
		if err != nil || a.ClaimedBy != 0 || !a.ClaimExpiresAt.IsZero() {
			t.Fatalf("application %d after release: %+v, %v", id, a, err)
		}
	}
	if a, err := svc.FindIMK(t.Context(), ids[2]); err != nil || a.ClaimedBy != two.ID {
		t.Fatalf("another session's claim was released: %+v, %v", a, err)
	}
	if n := countRows(t, db, `SELECT count(*) FROM imk_applications WHERE claim_session = 's1'`); n != 0 {
		t.Fatalf("%d rows still name session s1", n)
	}

	var got []string
	for len(got) < 2 {
		wctx, wcancel := context.WithTimeout(t.Context(), 5*time.Second)
		n, err := conn.Conn().WaitForNotification(wctx)
		wcancel()
		if err != nil {
			t.Fatalf("notifications %v, then %v", got, err)
		}
		got = append(got, n.Payload)
	}
	slices.Sort(got)
	want := []string{"imk:" + itoa(ids[0]), "imk:" + itoa(ids[1])}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("notifications %v, want %v", got, want)
	}

	// The released applications can be claimed by someone else now.
	if _, err := svc.ClaimIMK(ctx2, ids[0]); err != nil {
		t.Fatalf("claim after release: %v", err)
	}
}
