package storage

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// ClaimRoleRequest claims the open request with that id for the acting
// operator until now + domain.ClaimLease, or renews the actor's claim.
// Claims do not change the request's version. A new claim is recorded in
// the history and the audit log; a renewal is not. It returns ENOTFOUND
// "rolerequest.not_found", the refusals of domain.RoleRequest.Allows
// (RoleRequestClaim: ECONFLICT "rolerequest.claimed" while another
// operator holds it, "rolerequest.decided" once decided, EINVALID
// "rolerequest.expired", EFORBIDDEN "rolerequest.own"), and EUNAUTHORIZED
// "rolerequest.no_operator".
func (s *RoleRequestService) ClaimRoleRequest(ctx context.Context, id int64) (*domain.RoleRequest, error) {
	var r *domain.RoleRequest
	err := s.db.inTx(ctx, "claim role request", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, roleRequestGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		renewal, err := claimRow(ctx, tx, roleRequestClaimTable, id, me, func() error {
			r, err := lockRoleRequest(ctx, tx, id)
			if err != nil {
				return err
			}
			return r.Allows(domain.RoleRequestClaim, me.ref(), tx.now, s.Config)
		})
		if err != nil {
			return err
		}
		if renewal {
			r, err = findRoleRequest(ctx, tx, id)
			return err
		}
		r, err = recordClaim(ctx, tx, id, me)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// recordClaim writes a new claim to the history and the audit log and
// reads the claimed request back. Like every claim's, its audit entry is
// pending until the sealer chains it (appendPendingAudit).
func recordClaim(ctx context.Context, tx *Tx, id int64, me *actor) (*domain.RoleRequest, error) {
	if err := addEvent(ctx, tx, id, me.id, me.name, "claimed", ""); err != nil {
		return nil, err
	}
	if err := appendPendingAudit(ctx, tx, &domain.AuditEntry{
		Action: domain.AuditRoleRequestClaim, SubjectKind: "role_request", SubjectID: strconv.FormatInt(id, 10),
	}); err != nil {
		return nil, err
	}
	return findRoleRequest(ctx, tx, id)
}

// roleRequestClaimTable is the role-request queue's claim columns, for
// the claims shared with the other queues (claim.go).
var roleRequestClaimTable = claimTable{
	Table: "role_requests", Noun: "role request", OpenStates: openStates,
	Changed: func() error {
		return domain.Errorf(domain.ECONFLICT, "rolerequest.changed", "the request has changed meanwhile; look at it again")
	},
}

// ReleaseRoleRequest gives up the acting operator's claim on the request.
// It does nothing when the actor holds none. It returns EUNAUTHORIZED
// "rolerequest.no_operator" when ctx names no operator.
func (s *RoleRequestService) ReleaseRoleRequest(ctx context.Context, id int64) error {
	return s.db.inTx(ctx, "release role request", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, roleRequestGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		released, err := releaseRow(ctx, tx, roleRequestClaimTable, id, me)
		if err != nil || !released {
			return err
		}
		return addEvent(ctx, tx, id, me.id, me.name, "released", "")
	})
}

// ReleaseSessionClaims gives up every claim taken in the session, when it
// ends. It runs even when ctx is already done (an ended session's context
// usually is), for at most a few seconds. An empty session id releases
// nothing. Only the session's own operator (whatever their roles now) or
// the back office itself may release a session's claims: EFORBIDDEN
// "access.other_session" for anyone else. It returns EUNAVAILABLE when
// the database does not answer.
func (s *RoleRequestService) ReleaseSessionClaims(ctx context.Context, sessionID string) error {
	return releaseSessionRows(ctx, s.db, roleRequestClaimTable, "release session claims", sessionID,
		func(ctx context.Context, tx *Tx, released []releasedClaim) error {
			for _, r := range released {
				if err := addEvent(ctx, tx, r.ID, r.By, r.ByName, "released", ""); err != nil {
					return err
				}
			}
			return nil
		})
}

// ClaimNext claims for the acting operator the oldest pending request of
// the given kinds (every kind when none) that nobody holds, or whose
// holder's lease ran out, and that does not concern the actor (the same
// e-mail address): domain.RoleRequest.OfferedNext, asked in SQL so that a
// claim stays one statement. Concurrent callers never wait for each other and never
// get the same request: rows another transaction is claiming are skipped
// (FOR UPDATE SKIP LOCKED). The claim, its history event and its audit
// entry (pending, chained within a second: see claimNextSQL) are one
// statement, one round trip to the server, committed together. The request comes back as a queue page shows it
// (FindRoleRequest reads the rest). It returns ENOTFOUND "rolerequest.queue_empty" when
// there is nothing to claim, EINVALID "rolerequest.filter_kind" for an
// unknown kind, EUNAUTHORIZED "rolerequest.no_operator" and EFORBIDDEN
// "rolerequest.not_reviewer". The role is checked inside the statement,
// so that a claim costs no extra round trip.
func (s *RoleRequestService) ClaimNext(ctx context.Context, kinds ...domain.RoleRequestKind) (*domain.RoleRequest, error) {
	var kindFilter []string
	for _, k := range kinds {
		if !slices.Contains(domain.RoleRequestKinds, k) {
			return nil, domain.Errorf(domain.EINVALID, "rolerequest.filter_kind", "unknown kind %q", string(k))
		}
		kindFilter = append(kindFilter, string(k))
	}
	a := domain.ActorFrom(ctx)
	if !a.IsOperator() {
		return nil, refuse(roleRequestGuard.noOperator)
	}
	now := s.db.now()
	audit := &domain.AuditEntry{Action: domain.AuditRoleRequestClaim, SubjectKind: "role_request"}
	if err := prepareAudit(ctx, now, audit); err != nil {
		return nil, err
	}
	r, err := scanRoleRequestListItem(s.db.pool.QueryRow(ctx, claimNextSQL,
		a.OperatorID, a.SessionID, now.Add(domain.ClaimLease), now, kindFilter,
		audit.ActorName, audit.SessionID, audit.RemoteAddr, audit.Action, audit.SubjectKind,
	), now)
	if errors.Is(err, pgx.ErrNoRows) {
		// Nothing was claimed: the queue is empty, or the actor may not
		// work it.
		if _, err := loadActor(ctx, s.db.pool, roleRequestGuard, domain.RoleReviewer); err != nil {
			return nil, err
		}
		return nil, domain.Errorf(domain.ENOTFOUND, "rolerequest.queue_empty", "no pending request is waiting")
	}
	if err != nil {
		return nil, dbError("claim next role request", err)
	}
	s.db.audited(audit.Action)
	return r, nil
}

// claimNextSQL claims the head of the pending queue for an active
// reviewer, records the claim in the history and the audit log, and
// returns the claimed request (roleRequestListColumns), all in one
// statement. The audit entry goes to audit_pending, which the servers
// seal onto the chain within a second (migration 0072), so that claimers
// never queue on the chain's lock. The statement commits without waiting
// for the write-ahead log to reach the disk (synchronous_commit off, for
// this transaction only): a claim is a lease, and one lost in a crash of
// the database server is lost whole, with its history event and audit
// entry, and simply taken again. The unclaimed head comes from
// role_requests_unclaimed_idx, the lease that lapsed first from
// role_requests_lapsed_claims_idx (so that the claims still running are
// not read); each is locked with SKIP LOCKED (a
// UNION cannot carry a locking clause, so they are separate CTEs) and the
// older of the two is claimed.
//
//	$1 operator  $2 session  $3 lease end  $4 now  $5 kinds (NULL: all)
//	$6–$10 the audit entry's actor name, session, address, action and
//	subject kind, prepared by prepareAudit
var claimNextSQL = `
	WITH me AS (
	    SELECT id, coalesce(nullif(full_name, ''), name) AS name, lower(email) AS email,
	           set_config('synchronous_commit', 'off', true) AS lease_commit
	      FROM operators
	     WHERE id = $1 AND NOT disabled AND 'reviewer' = ANY (roles)
	), fresh AS (
	    SELECT id, created_at
	      FROM role_requests
	     WHERE state = 'pending' AND claimed_by IS NULL
	       AND ($5::text[] IS NULL OR kind = ANY ($5::text[]))
	       AND lower(email) <> (SELECT email FROM me)
	     ORDER BY created_at, id
	     LIMIT 1
	       FOR UPDATE SKIP LOCKED
	), lapsed AS (
	    SELECT id, created_at
	      FROM role_requests
	     WHERE state = 'pending' AND claimed_by IS NOT NULL AND claim_expires_at <= $4
	       AND ($5::text[] IS NULL OR kind = ANY ($5::text[]))
	       AND lower(email) <> (SELECT email FROM me)
	     ORDER BY claim_expires_at, id
	     LIMIT 1
	       FOR UPDATE SKIP LOCKED
	), next AS (
	    SELECT id FROM (SELECT * FROM fresh UNION ALL SELECT * FROM lapsed) AS c
	     ORDER BY created_at, id
	     LIMIT 1
	), claimed AS (
	    UPDATE role_requests AS r
	       SET claimed_by = me.id, claim_session = $2, claim_expires_at = $3
	      FROM next, me
	     WHERE r.id = next.id
	    RETURNING r.*
	), event AS (
	    INSERT INTO role_request_events (request_id, at, actor_id, actor_name, action, note)
	    SELECT claimed.id, $4, me.id, me.name, 'claimed', ''
	      FROM claimed, me
	), audit AS (
	    INSERT INTO audit_pending (at, actor_id, actor_name, session_id, remote_addr,
	                               action, subject_kind, subject_id, reason, details)
	    SELECT $4, $1, $6, $7, $8, $9, $10, claimed.id::text, '', ''
	      FROM claimed
	)
	SELECT ` + roleRequestListColumns + `
	  FROM claimed r` + roleRequestListJoins
