package storage

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// imkTopic is the change-feed topic of IMK applications.
const imkTopic = domain.TopicIMK

// imkActiveStates are the states of an active IMK: one per person.
var imkActiveStates = []string{"applied", "checking", "needs_review", "approved", "suspended"}

// IMKService is the reviewers' IMK eligibility queue and the portal's
// side of applying. It implements domain.IMKService: every method needs the
// reviewer role (EUNAUTHORIZED "imk.no_operator", EFORBIDDEN
// "imk.not_reviewer"); the reads may be the back office itself, the work
// needs an operator.
type IMKService struct {
	db   *DB
	regs domain.Registers
}

var _ domain.IMKService = (*IMKService)(nil)

// NewIMKService returns the service on db, fetching again from regs.
func NewIMKService(db *DB, regs domain.Registers) *IMKService {
	return &IMKService{db: db, regs: regs}
}

// imkColumns are read by scanIMK, in its order.
var imkColumns = `a.id, a.personal_code, a.first_name, a.last_name, a.email, a.state, a.version, a.applied_at,
	a.decided_at, a.decided_by, coalesce(nullif(d.full_name, ''), d.name, CASE WHEN a.decided_at IS NOT NULL THEN 'system' END, ''),
	a.reason, a.evaluation, a.claimed_by, coalesce(nullif(c.full_name, ''), c.name, ''), a.claim_expires_at, ` + holdColumns + `, ` + termsPendingColumns

var imkFrom = ` FROM imk_applications a
	LEFT JOIN operators d ON d.id = a.decided_by
	LEFT JOIN operators c ON c.id = a.claimed_by` + imkHoldJoin + imkTermsPendingJoin

func scanIMK(row pgx.Row) (*domain.IMKApplication, error) {
	a := &domain.IMKApplication{}
	var state string
	var decidedAt, claimExpires *time.Time
	var decidedBy, claimedBy *int64
	var eval []byte
	var hold holdScan
	var terms termsPendingScan
	err := row.Scan(append(append([]any{&a.ID, &a.PersonalCode, &a.FirstName, &a.LastName, &a.Email, &state, &a.Version, &a.AppliedAt,
		&decidedAt, &decidedBy, &a.DecidedByName, &a.Reason, &eval, &claimedBy, &a.ClaimedByName, &claimExpires}, hold.dest()...), terms.dest()...)...)
	if err != nil {
		return nil, err
	}
	a.Hold, a.Terms = hold.hold(), terms.pending()
	a.State = domain.IMKState(state)
	a.AppliedAt = a.AppliedAt.UTC()
	if decidedAt != nil {
		a.DecidedAt = decidedAt.UTC()
	}
	if decidedBy != nil {
		a.DecidedBy = *decidedBy
	}
	if claimedBy != nil {
		a.ClaimedBy = *claimedBy
	}
	if claimExpires != nil {
		a.ClaimExpiresAt = claimExpires.UTC()
	}
	if len(eval) > 0 {
		a.Evaluation = &domain.Evaluation{}
		if err := json.Unmarshal(eval, a.Evaluation); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func imkNotFound(id int64) error {
	return domain.Errorf(domain.ENOTFOUND, "imk.not_found", "IMK application %d was not found", id)
}

// ListIMK returns a page of applications in the given states (needs
// review by default), oldest first, after (AfterApplied, AfterID). Search
// matches the start of the first or the last name, or a whole personal
// code (either form, with or without the hyphen), never a part of one: a
// search that finds someone by code counts as a look-up of that person
// for the misuse alerts (recordLookup). It returns EINVALID
// "search.whole_code" for a number that is not a whole code and the
// personal-code errors for a mistyped one, the errors of the role check
// (see IMKService), and EUNAVAILABLE when the database does not answer.
func (s *IMKService) ListIMK(ctx context.Context, f domain.IMKFilter) ([]*domain.IMKApplication, error) {
	me, err := loadCaller(ctx, s.db.pool, imkGuard, domain.RoleReviewer)
	if err != nil {
		return nil, err
	}
	q, err := f.Normalize()
	if err != nil {
		return nil, err
	}
	// A name is a literal prefix: '%', '_' and '\' match themselves.
	name, codes := likeEscape(q.Name), q.CodeForms
	var states []string
	for _, st := range f.States {
		states = append(states, string(st))
	}
	limit := f.Limit
	var after *time.Time
	if !f.AfterApplied.IsZero() {
		after = &f.AfterApplied
	}
	rows, err := s.db.pool.Query(ctx, `SELECT `+imkColumns+imkFrom+`
		 WHERE a.state = ANY ($1::text[])
		   AND ($2::timestamptz IS NULL OR (a.applied_at, a.id) > ($2, $3))
		   AND ($4 = '' OR lower(a.first_name) LIKE $4 || '%' OR lower(a.last_name) LIKE $4 || '%')
		   AND ($6::text[] IS NULL OR a.personal_code = ANY ($6::text[]))
		 ORDER BY a.applied_at, a.id
		 LIMIT $5`, states, after, f.AfterID, name, limit, codes)
	if err != nil {
		return nil, dbError("list IMK applications", err)
	}
	defer rows.Close()
	var out []*domain.IMKApplication
	for rows.Next() {
		a, err := scanIMK(rows)
		if err != nil {
			return nil, dbError("list IMK applications", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("list IMK applications", err)
	}
	if len(out) > 0 && codes != nil {
		if err := recordLookup(ctx, s.db, me, codes[0]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FindIMK returns one application with its latest evaluation and the
// person's latest request for a review of an automatic decision. Read by an
// operator, it counts in the same transaction as a look-up of the person
// for the misuse alerts (countView: the views alert). It returns ENOTFOUND
// "imk.not_found".
func (s *IMKService) FindIMK(ctx context.Context, id int64) (*domain.IMKApplication, error) {
	var a *domain.IMKApplication
	err := s.db.inTx(ctx, "find IMK application", func(tx *Tx) error {
		me, err := loadCaller(ctx, tx, imkGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		if a, err = findIMKTx(ctx, tx, id); err != nil {
			return err
		}
		return countLookup(ctx, tx, me, a.PersonalCode, s.db.AlertThresholds.ViewsPerHour)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// RevealPersonalCode returns the applicant's whole personal code and, in
// the same transaction, writes the "personal_data.reveal" audit entry with
// the reason and counts it toward the reveals alert (countReveal). It
// returns the errors of domain.CheckRevealReason, ENOTFOUND "imk.not_found",
// EINVALID "imk.no_personal_code" (domain.IMKApplication.Allows) and the
// errors of the role check (see IMKService).
func (s *IMKService) RevealPersonalCode(ctx context.Context, id int64, reason string) (string, error) {
	reason, err := domain.CheckRevealReason(reason)
	if err != nil {
		return "", err
	}
	var code string
	err = s.db.inTx(ctx, "reveal personal code", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, imkGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		a, err := findIMKTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := a.Allows(domain.IMKReveal, me.ref(), tx.now); err != nil {
			return err
		}
		code = a.PersonalCode
		return revealCode(ctx, tx, me, "imk_application", id, reason, s.db.AlertThresholds.RevealsPerHour)
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

func findIMKTx(ctx context.Context, tx *Tx, id int64) (*domain.IMKApplication, error) {
	a, err := scanIMK(tx.QueryRow(ctx, `SELECT `+imkColumns+imkFrom+` WHERE a.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, imkNotFound(id)
	}
	if err != nil {
		return nil, dbError("find IMK application", err)
	}
	c := &domain.IMKContest{}
	var state string
	err = tx.QueryRow(ctx, `
		SELECT requested_at, channel, message, decided_state, decided_at, decided_reason
		  FROM imk_review_requests WHERE application_id = $1
		 ORDER BY requested_at DESC, id DESC LIMIT 1`, id).Scan(&c.RequestedAt, &c.Channel, &c.Message, &state, &c.DecidedAt, &c.Reason)
	switch {
	case err == nil:
		c.DecidedState = domain.IMKState(state)
		a.Contest = c
	case !errors.Is(err, pgx.ErrNoRows):
		return nil, dbError("find IMK application's review request", err)
	}
	return a, nil
}

// imkClaimTable is the IMK queue's claim columns.
var imkClaimTable = claimTable{
	Table: "imk_applications", OpenStates: []string{string(domain.IMKNeedsReview)},
	Changed: func() error {
		return domain.Errorf(domain.ECONFLICT, "imk.changed", "someone else has just changed this application")
	},
}

// lockIMK reads application id as domain's rules judge it and locks its
// row until tx ends. ENOTFOUND "imk.not_found".
func lockIMK(ctx context.Context, tx *Tx, id int64) (*domain.IMKApplication, error) {
	a, err := scanIMK(tx.QueryRow(ctx, `SELECT `+imkColumns+imkFrom+` WHERE a.id = $1 FOR UPDATE OF a`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, imkNotFound(id)
	}
	if err != nil {
		return nil, dbError("lock IMK application", err)
	}
	if a.ClaimedBy != 0 && !tx.now.Before(a.ClaimExpiresAt) {
		a.ClaimedBy, a.ClaimedByName, a.ClaimExpiresAt = 0, "", time.Time{}
	}
	return a, nil
}

// ClaimIMK claims an application in review for the acting operator until
// now + domain.ClaimLease, or renews the actor's claim; a new claim is
// audited. It returns ENOTFOUND "imk.not_found", the refusals of
// domain.IMKApplication.Allows (IMKClaim: ECONFLICT "imk.claimed" and
// "imk.decided", EINVALID "imk.not_in_review") and EUNAUTHORIZED
// "imk.no_operator".
func (s *IMKService) ClaimIMK(ctx context.Context, id int64) (*domain.IMKApplication, error) {
	return s.claim(ctx, id, domain.IMKClaim)
}

// claim is ClaimIMK for an action that claims: a claim, or a refetch.
func (s *IMKService) claim(ctx context.Context, id int64, act domain.IMKAction) (*domain.IMKApplication, error) {
	var a *domain.IMKApplication
	err := s.db.inTx(ctx, "claim IMK application", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, imkGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		renewal, err := claimRow(ctx, tx, imkClaimTable, id, me, func() error {
			a, err := lockIMK(ctx, tx, id)
			if err != nil {
				return err
			}
			return a.Allows(act, me.ref(), tx.now)
		})
		if err != nil {
			return err
		}
		if a, err = findIMKTx(ctx, tx, id); err != nil {
			return err
		}
		if err := Notify(ctx, tx, imkTopic, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		if renewal {
			return nil
		}
		return appendPendingAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditIMKClaim, SubjectKind: "imk_application", SubjectID: strconv.FormatInt(id, 10)})
	})
	return a, err
}

// ReleaseIMK gives up the acting operator's claim; it does nothing when
// the actor holds none. It returns EUNAUTHORIZED "imk.no_operator".
func (s *IMKService) ReleaseIMK(ctx context.Context, id int64) error {
	return s.db.inTx(ctx, "release IMK application", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, imkGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		return releaseAnnounced(ctx, tx, imkClaimTable, id, me, imkTopic)
	})
}

// ReleaseSessionClaims gives up every IMK application claimed in the
// session, when it ends, and announces each on the "imk" topic. It runs
// even when ctx is already done (an ended session's context usually is),
// for at most a few seconds. An empty session id releases nothing. Only
// the session's own operator or the back office itself may release a
// session's claims: EFORBIDDEN "access.other_session" for anyone else. It
// returns EUNAVAILABLE when the database does not answer.
func (s *IMKService) ReleaseSessionClaims(ctx context.Context, sessionID string) error {
	return releaseSessionRows(ctx, s.db, imkClaimTable, "release session IMK claims", sessionID, announceReleased(imkTopic))
}

// Refetch asks the registers again about the applicant, re-evaluates with
// the policy in force and keeps the application in review (claiming it
// for the actor). It returns the errors of ClaimIMK (the refusals of
// domain.IMKApplication.Allows for IMKRefetch), EUNAVAILABLE when the
// snapshots cannot be kept, and EINTERNAL "imk.no_policy".
func (s *IMKService) Refetch(ctx context.Context, id int64) (*domain.IMKApplication, error) {
	a, err := s.claim(ctx, id, domain.IMKRefetch)
	if err != nil {
		return nil, err
	}
	snaps, err := s.regs.FetchAll(ctx, a.PersonalCode)
	if err != nil {
		return nil, err
	}
	err = s.db.inTx(ctx, "re-evaluate IMK application", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, imkGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		policy, err := policyInForce(ctx, tx)
		if err != nil {
			return err
		}
		other, err := otherActiveIMK(ctx, tx, a.PersonalCode, id)
		if err != nil {
			return err
		}
		ev := domain.Evaluate(*policy, snaps, other, tx.now)
		evJSON, err := json.Marshal(ev)
		if err != nil {
			return errorf("encode evaluation", err)
		}
		tag, err := tx.Exec(ctx, `
			UPDATE imk_applications
			   SET evaluation = $2, policy_id = $3, review_why = $4, priority = $5,
			       version = version + 1, updated_at = $6
			 WHERE id = $1 AND state = 'needs_review' AND claimed_by = $7`,
			id, evJSON, policy.ID, reviewWhy(ev), string(ev.Priority), tx.now, me.id)
		if err != nil {
			return dbError("re-evaluate IMK application", err)
		}
		if tag.RowsAffected() == 0 {
			return domain.Errorf(domain.ECONFLICT, "imk.changed", "someone else has just changed this application")
		}
		if err := Notify(ctx, tx, imkTopic, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		a, err = findIMKTx(ctx, tx, id)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditIMKRefetch, SubjectKind: "imk_application",
			SubjectID: strconv.FormatInt(id, 10), Details: "outcome " + string(ev.Outcome)})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// DecideIMK approves or rejects an application in review with a reason,
// if it is still at the version the reviewer saw and nobody else holds
// it. The client is told by e-mail. It returns the errors of
// domain.CheckIMKReason (EINVALID "imk.reason_required" …), the refusals
// of domain.IMKApplication.Allows (ECONFLICT "imk.decided", Args: who
// decided, "imk.claimed" when another operator holds it, EINVALID
// "imk.not_in_review", ECONFLICT "denial.holds_approval" while a denial
// in force reaches the applicant, ¶24, ¶32; ECONFLICT "terms.not_accepted"
// while the applicant has not accepted the terms in force, ¶26.2) and CheckVersion (ECONFLICT
// "imk.changed"),
// ECONFLICT "imk.active_exists" when the person has another active IMK,
// ENOTFOUND "imk.not_found" and EUNAUTHORIZED "imk.no_operator".
func (s *IMKService) DecideIMK(ctx context.Context, id, version int64, approve bool, reason string) error {
	reason, err := domain.CheckIMKReason(reason)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "decide IMK application", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, imkGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		act, state := domain.IMKReject, domain.IMKRejected
		if approve {
			act, state = domain.IMKApprove, domain.IMKApproved
		}
		if approve {
			// The hold lockIMK reads must still be true at commit.
			if err := holdDenials(ctx, tx); err != nil {
				return err
			}
			// ¶26.2: the acceptance lockIMK reads must still be of the
			// version in force at commit.
			if err := lockTermsInForce(ctx, tx); err != nil {
				return err
			}
		}
		app, err := lockIMK(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := app.Allows(act, me.ref(), tx.now); err != nil {
			return err
		}
		if err := app.CheckVersion(version); err != nil {
			return err
		}
		code, first, last, email := app.PersonalCode, app.FirstName, app.LastName, app.Email
		if approve {
			other, err := otherActiveIMK(ctx, tx, code, id)
			if err != nil {
				return err
			}
			if other {
				return domain.Errorf(domain.ECONFLICT, "imk.active_exists", "the person has an active IMK already")
			}
		}
		tag, err := tx.Exec(ctx, `
			UPDATE imk_applications
			   SET state = $3, version = version + 1, decided_at = $4, decided_by = $5, reason = $6,
			       policy_id = coalesce(policy_id, (SELECT id FROM eligibility_policies WHERE state = 'approved'
			                                         ORDER BY effective_from DESC, version DESC LIMIT 1)),
			       claimed_by = NULL, claim_session = NULL, claim_expires_at = NULL, updated_at = $4
			 WHERE id = $1 AND version = $2 AND state = 'needs_review'`,
			id, version, string(state), tx.now, me.id, reason)
		if err != nil {
			return dbError("decide IMK application", err)
		}
		if tag.RowsAffected() == 0 {
			return domain.Errorf(domain.ECONFLICT, "imk.changed", "someone else has just changed this application")
		}
		if err := imkMail(ctx, tx, email, first, last, state, reason); err != nil {
			return err
		}
		if err := Notify(ctx, tx, imkTopic, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditIMKDecided(approve), SubjectKind: "imk_application",
			SubjectID: strconv.FormatInt(id, 10), Reason: reason})
	})
}

// ApplyIMK records an application from the portal and wakes the checker.
// It returns EINVALID with a problem per field (personal_code,
// first_name, last_name, email: domain.IMKApplicationForm's rules) and
// ECONFLICT "imk.active_exists" when the person has an active IMK already.
// The portal API applies through PortalService.ApplyIMK, which carries the
// person's acceptance of the terms too.
func (s *IMKService) ApplyIMK(ctx context.Context, personalCode, firstName, lastName, email string) (int64, error) {
	f := domain.IMKApplicationForm{PersonalCode: personalCode, FirstName: firstName, LastName: lastName, Email: email}
	if problems := f.Problems(time.Time{}, false); len(problems) > 0 {
		return 0, &domain.Error{Code: domain.EINVALID, Key: problems[0].Key, Message: "the IMK application is not valid", Problems: problems}
	}
	var id int64
	err := s.db.inTx(ctx, "apply for IMK", func(tx *Tx) error {
		var err error
		id, err = insertIMKApplication(ctx, tx, &f)
		return err
	})
	return id, err
}

// insertIMKApplication stores a checked application and wakes the
// checker. It returns ECONFLICT "imk.active_exists" when the person has an
// active IMK already.
func insertIMKApplication(ctx context.Context, tx *Tx, f *domain.IMKApplicationForm) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO imk_applications (personal_code, first_name, last_name, email, applied_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, f.PersonalCode, f.FirstName, f.LastName, f.Email, tx.now).Scan(&id)
	if err != nil {
		if domain.ErrorCode(dbError("", err)) == domain.ECONFLICT {
			return 0, domain.Errorf(domain.ECONFLICT, "imk.active_exists", "the person has an active IMK already")
		}
		return 0, dbError("apply for IMK", err)
	}
	return id, Notify(ctx, tx, imkTopic, strconv.FormatInt(id, 10))
}

// otherActiveIMK reports whether the person has an active IMK besides id,
// applied for with either form of their code (issue 16).
func otherActiveIMK(ctx context.Context, tx *Tx, code string, id int64) (bool, error) {
	var other bool
	err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT FROM imk_applications
		                WHERE person_id = (SELECT person_id FROM person_codes WHERE code = $1)
		                  AND id <> $2 AND state = ANY ($3::text[]))`,
		code, id, imkActiveStates).Scan(&other)
	return other, dbError("look for another active IMK", err)
}

// policyInForce reads the approved policy version in force at tx's time.
// It returns EINTERNAL "imk.no_policy" when there is none.
func policyInForce(ctx context.Context, tx *Tx) (*domain.EligibilityPolicy, error) {
	p := &domain.EligibilityPolicy{}
	var maxAge time.Duration
	var drafted, approved *int64
	var from *time.Time
	err := tx.QueryRow(ctx, `
		SELECT id, version, name, min_age, max_age, require_employment, require_residence, exclude_studying,
		       max_data_age, priority_max_lki, priority_min_age, priority_combine, auto_reject, state, drafted_by, approved_by,
		       CASE WHEN isfinite(effective_from) THEN effective_from END, created_at
		  FROM eligibility_policies
		 WHERE state = 'approved' AND effective_from <= $1
		 ORDER BY effective_from DESC, version DESC LIMIT 1`, tx.now,
	).Scan(&p.ID, &p.Version, &p.Name, &p.MinAge, &p.MaxAge, &p.RequireEmployment, &p.RequireResidence, &p.ExcludeStudying,
		&maxAge, &p.PriorityMaxLKI, &p.PriorityMinAge, &p.PriorityCombine, &p.AutoReject, &p.State, &drafted, &approved, &from, &p.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.EINTERNAL, "imk.no_policy", "no approved target-group policy is in force")
	}
	if err != nil {
		return nil, dbError("read the policy in force", err)
	}
	p.MaxDataAge = maxAge
	if drafted != nil {
		p.DraftedBy = *drafted
	}
	if approved != nil {
		p.ApprovedBy = *approved
	}
	if from != nil && !from.IsZero() && from.Year() > 1 {
		p.EffectiveFrom = from.UTC()
	}
	return p, nil
}

// reviewWhy is what review_why stores: never NULL.
func reviewWhy(ev domain.Evaluation) []string {
	if ev.ReviewWhy == nil {
		return []string{}
	}
	return ev.ReviewWhy
}

// imkMail tells the client of a decision.
func imkMail(ctx context.Context, tx *Tx, email, first, last string, state domain.IMKState, reason string) error {
	tmpl := "imk.rejected"
	if state == domain.IMKApproved {
		tmpl = "imk.approved"
	}
	_, err := enqueueMail(ctx, tx, email, "lv", tmpl, map[string]string{
		"name": strings.TrimSpace(first + " " + last), "reason": reason,
	})
	return err
}
