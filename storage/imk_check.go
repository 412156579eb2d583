package storage

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
)

// Defaults of IMKChecker.
const (
	imkCheckDefaultBatch = 50
	imkCheckDefaultLease = 2 * time.Minute
	imkCheckDefaultPoll  = 3 * time.Second
)

// IMKChecker runs the automatic target-group check of new applications:
// it claims them (applied → checking, with a lease) with FOR UPDATE SKIP
// LOCKED, so that several workers or servers never check one application
// at once, asks the registers, evaluates with the policy in force and
// decides the clear cases; the rest go to review. A 'checking' row whose
// lease ran out (a crashed worker) is claimed again; the final write is
// guarded by the attempt number, so a late worker changes nothing.
type IMKChecker struct {
	db   *DB
	regs domain.Registers

	// Lease is how long a claimed application stays with its worker.
	Lease time.Duration
	// Poll is how often Run looks for work when nothing wakes it.
	Poll time.Duration
	// Batch is how many applications Run claims at a time.
	Batch int
	// Feed, when set, wakes Run as soon as an application arrives.
	Feed domain.ChangeFeed
	// Logger receives failures of Run; nil discards them.
	Logger *slog.Logger
}

// NewIMKChecker returns a checker on db asking regs.
func NewIMKChecker(db *DB, regs domain.Registers) *IMKChecker {
	return &IMKChecker{db: db, regs: regs, Lease: imkCheckDefaultLease, Poll: imkCheckDefaultPoll, Batch: imkCheckDefaultBatch}
}

// claimed is one application a worker holds.
type claimedIMK struct {
	id                int64
	code, first, last string
	email             string
	attempt           int
	snaps             []*domain.Snapshot
	fetchErr          error
}

// RunOnce checks at most batch applications (the default when batch ≤ 0)
// and returns how many it decided or sent to review. A register that does
// not answer sends the application to review; an error means the
// database failed, and the claimed rows are retried after the lease.
func (c *IMKChecker) RunOnce(ctx context.Context, batch int) (processed int, err error) {
	if batch <= 0 {
		batch = imkCheckDefaultBatch
	}
	var work []*claimedIMK
	err = c.db.inTx(ctx, "claim IMK applications", func(tx *Tx) error {
		rows, err := tx.Query(ctx, `
			WITH next AS (
			    SELECT id FROM imk_applications
			     WHERE state IN ('applied', 'checking')
			       AND (state = 'applied' OR check_lease_until <= $1)
			     ORDER BY applied_at, id
			     LIMIT $2
			       FOR UPDATE SKIP LOCKED
			)
			UPDATE imk_applications AS a
			   SET state = 'checking', check_lease_until = $3, check_attempts = a.check_attempts + 1
			  FROM next
			 WHERE a.id = next.id
			RETURNING a.id, a.personal_code, a.first_name, a.last_name, a.email, a.check_attempts`,
			tx.now, batch, tx.now.Add(c.lease()))
		if err != nil {
			return dbError("claim IMK applications", err)
		}
		var w claimedIMK
		_, err = pgx.ForEachRow(rows, []any{&w.id, &w.code, &w.first, &w.last, &w.email, &w.attempt}, func() error {
			cp := w
			work = append(work, &cp)
			return nil
		})
		return dbError("claim IMK applications", err)
	})
	if err != nil || len(work) == 0 {
		return 0, err
	}
	for _, w := range work {
		w.snaps, w.fetchErr = c.regs.FetchAll(ctx, w.code)
		if w.fetchErr != nil && ctx.Err() != nil {
			return 0, ctx.Err()
		}
	}
	err = c.db.inTx(ctx, "record IMK checks", func(tx *Tx) error {
		policy, err := policyInForce(ctx, tx)
		if err != nil {
			return err
		}
		var audits []*domain.AuditEntry
		for _, w := range work {
			entry, err := c.record(ctx, tx, policy, w)
			if err != nil {
				return err
			}
			if entry != nil {
				audits = append(audits, entry)
				processed++
			}
		}
		// Audit appends serialise until commit: they come last.
		for _, e := range audits {
			if err := appendAudit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return processed, nil
}

// record writes one application's evaluation and outcome, guarded by the
// attempt its worker claimed, and returns the audit entry to append (nil
// when the row has moved on).
func (c *IMKChecker) record(ctx context.Context, tx *Tx, policy *domain.EligibilityPolicy, w *claimedIMK) (*domain.AuditEntry, error) {
	other, err := otherActiveIMK(ctx, tx, w.code, w.id)
	if err != nil {
		return nil, err
	}
	ev := domain.Evaluate(*policy, w.snaps, other, tx.now)
	if w.fetchErr != nil {
		// The snapshots could not even be kept: review, never a pass.
		ev.Outcome, ev.ReviewWhy = domain.OutcomeNeedsReview, []string{domain.ReviewRegisters}
	}
	state, reason := domain.IMKNeedsReview, ""
	switch ev.Outcome {
	case domain.OutcomeEligible:
		// ¶24, ¶32: a person whose access is denied is not approved by the
		// check; the application waits for a reviewer, who sees the denial.
		hold, err := imkHold(ctx, tx, w.id)
		if err != nil {
			return nil, err
		}
		// ¶26.2: nor one who has not accepted the terms in force: the
		// application waits in review, its reason named, until they accept
		// through the portal and a reviewer approves. (Rejecting would
		// refuse an eligible person for what they can still do; waiting in
		// the check would hide it from everyone.)
		terms, err := imkTermsPending(ctx, tx, w.id)
		if err != nil {
			return nil, err
		}
		switch {
		case terms != nil:
			ev.Outcome = domain.OutcomeNeedsReview
			ev.ReviewWhy = append(ev.ReviewWhy, domain.ReviewTermsNotAccepted)
		case hold == nil:
			state = domain.IMKApproved
		}
	case domain.OutcomeNotEligible:
		state = domain.IMKRejected
		if rs := ev.DecidingRules(policy); len(rs) > 0 {
			reason = "imk.rule." + rs[0].Rule
		}
	}
	evJSON, err := json.Marshal(ev)
	if err != nil {
		return nil, errorf("encode evaluation", err)
	}
	var decidedAt *time.Time
	if state != domain.IMKNeedsReview {
		decidedAt = &tx.now
	}
	tag, err := tx.Exec(ctx, `
		UPDATE imk_applications
		   SET state = $3, evaluation = $4, policy_id = $5, review_why = $6, priority = $7,
		       decided_at = $8, reason = $9, check_lease_until = NULL,
		       version = version + 1, updated_at = $10
		 WHERE id = $1 AND state = 'checking' AND check_attempts = $2`,
		w.id, w.attempt, string(state), evJSON, policy.ID, reviewWhy(ev), string(ev.Priority), decidedAt, reason, tx.now)
	if err != nil {
		return nil, dbError("record IMK check", err)
	}
	if tag.RowsAffected() == 0 {
		return nil, nil
	}
	if state != domain.IMKNeedsReview {
		if err := imkAutoMail(ctx, tx, w, &ev, policy, state, reason); err != nil {
			return nil, err
		}
	}
	if err := Notify(ctx, tx, imkTopic, strconv.FormatInt(w.id, 10)); err != nil {
		return nil, err
	}
	return &domain.AuditEntry{ActorName: "system", Action: domain.AuditIMKCheck(ev.Outcome), SubjectKind: "imk_application",
		SubjectID: strconv.FormatInt(w.id, 10), Reason: reason,
		Details: "policy " + strconv.Itoa(policy.Version) + ", state " + string(state)}, nil
}

// imkAutoMail tells the client of an automatic decision (¶26.4) with what
// GDPR Art. 22 asks of one: the rules that decided, the register data
// they rest on (which register, what value, as of when) and how to ask
// that a person review it (reply, the Agency's address, the portal).
func imkAutoMail(ctx context.Context, tx *Tx, w *claimedIMK, ev *domain.Evaluation, policy *domain.EligibilityPolicy,
	state domain.IMKState, reason string) error {
	tmpl := "imk.auto_rejected"
	if state == domain.IMKApproved {
		tmpl = "imk.auto_approved"
	}
	data := map[string]string{
		"name":    strings.TrimSpace(w.first + " " + w.last),
		"rules":   i18n.For(i18n.LV).IMKDecisionRules(ev.DecidingRules(policy)),
		"id":      strconv.FormatInt(w.id, 10),
		"contact": domain.ReviewContactEmail,
		"portal":  tx.portalURL,
	}
	if state == domain.IMKRejected {
		data["reason"] = reason
	}
	_, err := enqueueMail(ctx, tx, w.email, "lv", tmpl, data)
	return err
}

func (c *IMKChecker) lease() time.Duration {
	if c.Lease <= 0 {
		return imkCheckDefaultLease
	}
	return c.Lease
}

// Run checks applications until ctx is done: at once while there is
// work, then on every new application (when Feed is set) or every Poll.
// It returns ctx's error.
func (c *IMKChecker) Run(ctx context.Context) error {
	var wake <-chan domain.Change
	if c.Feed != nil {
		ch, stop := c.Feed.Subscribe(imkTopic)
		defer stop()
		wake = ch
	}
	poll := c.Poll
	if poll <= 0 {
		poll = imkCheckDefaultPoll
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		case <-t.C:
		}
		for ctx.Err() == nil {
			n, err := c.RunOnce(ctx, c.Batch)
			if err != nil && c.Logger != nil && ctx.Err() == nil {
				c.Logger.Warn("IMK check failed", "err", err)
			}
			if err != nil || n == 0 {
				break
			}
		}
		t.Reset(poll)
	}
}
