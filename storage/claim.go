package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// releaseTimeout bounds releaseSessionRows, which runs when a session
// ends and its own context is usually done already.
const releaseTimeout = 5 * time.Second

// claimTable describes a queue whose rows carry a reviewer's claim as
// lease columns (claimed_by, claim_session, claim_expires_at), as
// role_requests, imk_applications and tickets do. Every queue claims
// through claimRow, releaseRow and releaseSessionRows.
type claimTable struct {
	Table      string   // a constant, never user input
	Noun       string   // names a row in error context ("role request"); Table when empty
	OpenStates []string // states in which a row may be claimed: the write's guard
	// Changed is the conflict of a guarded write that found the row no
	// longer as the rule saw it.
	Changed func() error
}

func (t claimTable) noun() string {
	if t.Noun != "" {
		return t.Noun
	}
	return t.Table
}

// claimRow claims row id of t for me until now + domain.ClaimLease, or
// renews me's claim, and reports whether it was a renewal. allow reads the
// row under lock (FOR UPDATE) and asks the item's own rule whether me may
// claim it (RoleRequest.Allows …), returning its refusal; the write is
// still guarded by state and holder, against a race the rule could not
// see (t.Changed).
func claimRow(ctx context.Context, tx *Tx, t claimTable, id int64, me *actor, allow func() error) (renewal bool, err error) {
	if err := allow(); err != nil {
		return false, err
	}
	var oldBy *int64
	var oldExpires *time.Time
	err = tx.QueryRow(ctx, `
		UPDATE `+t.Table+` AS r
		   SET claimed_by = $2, claim_session = $3, claim_expires_at = $4
		  FROM (SELECT id, claimed_by, claim_expires_at
		          FROM `+t.Table+` WHERE id = $1 FOR UPDATE) AS before
		 WHERE r.id = before.id
		   AND r.state = ANY ($6::text[])
		   AND (r.claimed_by IS NULL OR r.claim_expires_at <= $5 OR r.claimed_by = $2)
		RETURNING before.claimed_by, before.claim_expires_at`,
		id, me.id, me.session, tx.now.Add(domain.ClaimLease), tx.now, t.OpenStates,
	).Scan(&oldBy, &oldExpires)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, t.Changed()
	}
	if err != nil {
		return false, dbError("claim "+t.noun(), err)
	}
	return oldBy != nil && *oldBy == me.id && oldExpires != nil && oldExpires.After(tx.now), nil
}

// releaseRow gives up me's claim on row id of t and reports whether there
// was one.
func releaseRow(ctx context.Context, tx *Tx, t claimTable, id int64, me *actor) (bool, error) {
	tag, err := tx.Exec(ctx, `
		UPDATE `+t.Table+`
		   SET claimed_by = NULL, claim_session = NULL, claim_expires_at = NULL
		 WHERE id = $1 AND claimed_by = $2`, id, me.id)
	if err != nil {
		return false, dbError("release "+t.noun(), err)
	}
	return tag.RowsAffected() > 0, nil
}

// releasedClaim is a claim releaseSessionRows gave up: the row and its
// holder.
type releasedClaim struct {
	ID, By int64
	ByName string // full name, or the sign-in name
}

// releaseSessionRows gives up every claim on t taken in the session, when
// it ends, and calls after for the released rows in the same
// transaction (history, notifications). It runs even when ctx is already
// done (an ended session's context usually is), for at most
// releaseTimeout. An empty session id releases nothing. what names the
// transaction in errors.
func releaseSessionRows(ctx context.Context, db *DB, t claimTable, what, sessionID string,
	after func(ctx context.Context, tx *Tx, released []releasedClaim) error) error {
	if strings.TrimSpace(sessionID) == "" {
		return nil
	}
	// An operator gives up their own session's claims, with or without
	// the role (it may have been taken away, or the operator disabled,
	// while the session ran); the back office itself may end any.
	if err := domain.ActorFrom(ctx).MayReleaseSession(sessionID); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
	defer cancel()
	return db.inTx(ctx, what, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `
			UPDATE `+t.Table+` AS r
			   SET claimed_by = NULL, claim_session = NULL, claim_expires_at = NULL
			  FROM operators o
			 WHERE r.claimed_by IS NOT NULL AND r.claim_session = $1
			   AND o.id = r.claimed_by
			RETURNING r.id, o.id, coalesce(nullif(o.full_name, ''), o.name)`, sessionID)
		if err != nil {
			return dbError(what, err)
		}
		var all []releasedClaim
		var rel releasedClaim
		_, err = pgx.ForEachRow(rows, []any{&rel.ID, &rel.By, &rel.ByName}, func() error {
			all = append(all, rel)
			return nil
		})
		if err != nil {
			return dbError(what, err)
		}
		if after == nil || len(all) == 0 {
			return nil
		}
		return after(ctx, tx, all)
	})
}

// releaseAnnounced is releaseRow for a queue whose screens follow topic:
// a released claim is announced there, no claim is nothing.
func releaseAnnounced(ctx context.Context, tx *Tx, t claimTable, id int64, me *actor, topic string) error {
	released, err := releaseRow(ctx, tx, t, id, me)
	if err != nil || !released {
		return err
	}
	return Notify(ctx, tx, topic, strconv.FormatInt(id, 10))
}

// announceReleased is a releaseSessionRows after that announces each
// released row on topic.
func announceReleased(topic string) func(ctx context.Context, tx *Tx, released []releasedClaim) error {
	return func(ctx context.Context, tx *Tx, released []releasedClaim) error {
		for _, r := range released {
			if err := Notify(ctx, tx, topic, strconv.FormatInt(r.ID, 10)); err != nil {
				return err
			}
		}
		return nil
	}
}
