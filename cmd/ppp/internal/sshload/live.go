package sshload

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// Sizes and bounds of the live-update measurement.
const (
	// The watching session's window is wide enough for the list's holder
	// column to show the claimer's name whole.
	liveCols, liveRows = 100, 30
	liveTimeout        = 5 * time.Second // a claim not seen by then fails the run
	// visibleRows is how many rows from the top of the list are surely on
	// the watching session's screen.
	visibleRows = 10
	// releaseSettle lets the release reach the watching screen before
	// the next claim, so that every claim changes what it shows.
	releaseSettle = time.Second
	// changeChannel is the change feed's NOTIFY channel (storage/feed.go).
	changeChannel = "ppp_change"
)

// measureLive opens the role-request queue in a session of watcher, and
// has the claimer claim a request on its first rows, through storage, and
// release it again, rounds times (after one round untimed). Each claim is
// timed from the call, which ends with the commit, to the claimer's name
// showing on the watcher's screen, and, as the baseline, to the claim's
// NOTIFY reaching a plain LISTEN connection; the calls' own durations are
// returned too.
func measureLive(ctx context.Context, db *storage.DB, url string, tg *target, watcher account, claimer *domain.Operator, tag string, rounds int) (live, listen, calls []time.Duration, err error) {
	t, _, err := openTerminal(tg.addr, tg.hostKey, watcher, liveCols, liveRows, signInTimeout)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("watching session: %w", err)
	}
	defer closeAll([]*terminal{t})
	if err := t.pressAndWait("2", textsOf().holderTitle, 30*time.Second); err != nil {
		return nil, nil, nil, fmt.Errorf("watching session: open the role-request queue: %w", err)
	}

	rr := storage.NewRoleRequestService(db)
	cctx := domain.WithActor(ctx, domain.Actor{
		OperatorID: claimer.ID, Name: claimer.Name, SessionID: "ppp-bench-" + tag, RemoteAddr: "ppp bench",
	})
	id, err := claimable(cctx, rr)
	if err != nil {
		return nil, nil, nil, err
	}
	notes, stop, err := listenFor(ctx, url, "role_request:"+strconv.FormatInt(id, 10))
	if err != nil {
		return nil, nil, nil, err
	}
	defer stop()

	for round := 0; round <= rounds; round++ {
		drain(notes)
		start := time.Now()
		e := t.expect(claimer.FullName, start)
		if _, err := rr.ClaimRoleRequest(cctx, id); err != nil {
			return nil, nil, nil, fmt.Errorf("claim role request %d: %w", id, err)
		}
		call := time.Since(start)
		var heard time.Time
		select {
		case heard = <-notes:
		case <-time.After(liveTimeout):
			return nil, nil, nil, fmt.Errorf("the NOTIFY of claiming role request %d did not arrive within %v", id, liveTimeout)
		}
		if err := e.wait(t, liveTimeout); err != nil {
			return nil, nil, nil, fmt.Errorf("the claim of role request %d on the watching screen: %w", id, err)
		}
		if round > 0 {
			d, _ := e.delay()
			live = append(live, d)
			listen = append(listen, heard.Sub(start))
			calls = append(calls, call)
		}
		drain(notes)
		if err := rr.ReleaseRoleRequest(cctx, id); err != nil {
			return nil, nil, nil, fmt.Errorf("release role request %d: %w", id, err)
		}
		select {
		case <-notes:
		case <-time.After(liveTimeout):
			return nil, nil, nil, fmt.Errorf("the NOTIFY of releasing role request %d did not arrive within %v", id, liveTimeout)
		}
		time.Sleep(releaseSettle)
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, err
		}
	}
	return live, listen, calls, tg.child.alive()
}

// claimable returns the first request of the queue's first page (the
// open states, as the list shows them unfiltered) that the actor of ctx
// can claim, having claimed and released it once to be sure.
func claimable(ctx context.Context, rr *storage.RoleRequestService) (int64, error) {
	rows, err := rr.ListRoleRequests(ctx, domain.RoleRequestFilter{Limit: visibleRows})
	if err != nil {
		return 0, fmt.Errorf("list role requests: %w", err)
	}
	for _, r := range rows {
		if _, err := rr.ClaimRoleRequest(ctx, r.ID); err != nil {
			continue
		}
		if err := rr.ReleaseRoleRequest(ctx, r.ID); err != nil {
			return 0, fmt.Errorf("release role request %d: %w", r.ID, err)
		}
		return r.ID, nil
	}
	return 0, fmt.Errorf("none of the first %d open role requests (of %d listed) can be claimed: load demo data (ppp demo)", visibleRows, len(rows))
}

// listenFor listens on the change channel on a connection of its own and
// sends the arrival time of every notification whose payload is payload.
// stop ends the listening and closes the connection.
func listenFor(ctx context.Context, url, payload string) (<-chan time.Time, func(), error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to listen: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+changeChannel); err != nil {
		_ = conn.Close(context.Background())
		return nil, nil, fmt.Errorf("listen on %s: %w", changeChannel, err)
	}
	lctx, cancel := context.WithCancel(ctx)
	notes := make(chan time.Time, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			n, err := conn.WaitForNotification(lctx)
			if err != nil {
				return
			}
			if n.Payload != payload {
				continue
			}
			select {
			case notes <- time.Now():
			default:
			}
		}
	}()
	stop := func() {
		cancel()
		<-done
		_ = conn.Close(context.Background())
	}
	return notes, stop, nil
}

// drain empties c.
func drain(c <-chan time.Time) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}
