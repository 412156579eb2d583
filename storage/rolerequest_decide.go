package storage

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// expireBatch is how many requests one transaction of ExpireUnconfirmed
// expires.
const expireBatch = 500

// mailLang is the language of the applicant's mail: the Platform speaks
// Latvian.
const mailLang = "lv"

// requestRow is what a decision reads of a request before changing it.
// A decision proceeds only when the row still has the version it read,
// so everything read here is still true when the decision commits.
type requestRow struct {
	id            int64
	kind          domain.RoleRequestKind
	state         domain.RoleRequestState
	route         domain.Route
	version       int64
	firstName     string
	lastName      string
	personalCode  string
	email         string
	instName      string
	companyReg    string
	educationReg  string
	institutionID *int64
	municipality  *string
	passwordHash  *string
	confirmedAt   *time.Time
	createdAt     time.Time
}

// applicantName is the name the applicant's mail addresses.
func (r *requestRow) applicantName() string {
	if r.kind == domain.KindInstitution {
		return r.instName
	}
	return r.firstName + " " + r.lastName
}

// readRequestRow reads request id inside tx, or ENOTFOUND.
func readRequestRow(ctx context.Context, tx *Tx, id int64) (*requestRow, error) {
	var r requestRow
	var kind, state, route string
	err := tx.QueryRow(ctx, `
		SELECT id, kind, state, route, version, first_name, last_name, personal_code, email,
		       institution_name, company_reg_number, education_reg_number,
		       institution_id, municipality_code, password_hash, email_confirmed_at, created_at
		  FROM role_requests
		 WHERE id = $1`, id).Scan(
		&r.id, &kind, &state, &route, &r.version, &r.firstName, &r.lastName, &r.personalCode, &r.email,
		&r.instName, &r.companyReg, &r.educationReg,
		&r.institutionID, &r.municipality, &r.passwordHash, &r.confirmedAt, &r.createdAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, roleRequestNotFound(id)
	}
	if err != nil {
		return nil, dbError("read role request", err)
	}
	r.kind, r.state, r.route = domain.RoleRequestKind(kind), domain.RoleRequestState(state), domain.Route(route)
	return &r, nil
}

// prepareDecision loads the acting operator and the request, locked, and
// asks the request's own rule whether the actor may do a to it now
// (domain.RoleRequest.Allows) and whether it is still at the version the
// reviewer saw (CheckVersion): it returns their refusals, such as
// ECONFLICT "denial.holds_approval" (¶24, ¶32), "terms.not_accepted"
// (¶26.2), EFORBIDDEN "rolerequest.own", ECONFLICT "rolerequest.decided" (Args: who
// decided), "rolerequest.claimed" (Args: the holder), "rolerequest.changed",
// and EINVALID "rolerequest.unconfirmed" or "rolerequest.at_institution".
func (s *RoleRequestService) prepareDecision(ctx context.Context, tx *Tx, a domain.RoleRequestAction, id, version int64) (*actor, *requestRow, error) {
	me, err := loadActor(ctx, tx, roleRequestGuard, domain.RoleReviewer)
	if err != nil {
		return nil, nil, err
	}
	if a == domain.RoleRequestApprove {
		// The hold lockRoleRequest reads must still be true at commit.
		if err := holdDenials(ctx, tx); err != nil {
			return nil, nil, err
		}
		// ¶26.2: the acceptance lockRoleRequest reads must still be of
		// the version in force at commit.
		if err := lockTermsInForce(ctx, tx); err != nil {
			return nil, nil, err
		}
	}
	r, err := lockRoleRequest(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := r.Allows(a, me.ref(), tx.now, s.Config); err != nil {
		return nil, nil, err
	}
	if err := r.CheckVersion(version); err != nil {
		return nil, nil, err
	}
	row, err := readRequestRow(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	return me, row, nil
}

// transition moves request id at version from state `from` to `to`,
// unless someone else holds it: the state-guarded write every decision
// ends in, after prepareDecision has locked the row and asked the rule, so
// that it changes nothing only in a race the lock did not cover
// (ECONFLICT "rolerequest.changed"). It releases the claim and increments
// the version. set adds assignments whose placeholders start at $7.
func transition(ctx context.Context, tx *Tx, me *actor, id, version int64, from, to domain.RoleRequestState, set string, args ...any) error {
	all := append([]any{id, version, string(from), string(to), tx.now, me.id}, args...)
	tag, err := tx.Exec(ctx, `
		UPDATE role_requests
		   SET state = $4, version = version + 1, updated_at = $5,
		       claimed_by = NULL, claim_session = NULL, claim_expires_at = NULL`+set+`
		 WHERE id = $1 AND version = $2 AND state = $3
		   AND (claimed_by IS NULL OR claimed_by = $6 OR claim_expires_at <= $5)`, all...)
	if err != nil {
		return dbError("change role request", err)
	}
	if tag.RowsAffected() == 0 {
		return roleRequestClaimTable.Changed()
	}
	return nil
}

// Approve approves a pending request: the role is granted until
// d.ValidUntil (now + Config.DefaultValidity when zero), the Platform user
// is created when new, an institution's registration activates the
// institution with its first user (institution_admin) holding the
// password the request carried, a career consultant is approved without
// an institution's scope even when the form named one (¶29.3: a request
// the Agency took over is never granted in the institution's name), and
// the applicant is e-mailed in Latvian
// — in one transaction with the history, the audit entry and the release
// of the claim. It returns EINVALID "rolerequest.valid_until_past" or
// "rolerequest.valid_until_too_far", the errors of prepareDecision and
// transition, EINVALID "rolerequest.institution_inactive" for staff of an
// institution that is no longer active, ECONFLICT
// "rolerequest.institution_exists" when an active institution has the
// registration number already, and ECONFLICT "rolerequest.email_taken"
// when the address belongs to another institution's user.
func (s *RoleRequestService) Approve(ctx context.Context, d domain.Decision) error {
	return s.db.inTx(ctx, "approve role request", func(tx *Tx) error {
		if err := d.CheckApproval(tx.now, s.Config); err != nil {
			return err
		}
		until := d.ValidUntil.UTC().Truncate(time.Microsecond)
		me, r, err := s.prepareDecision(ctx, tx, domain.RoleRequestApprove, d.RequestID, d.Version)
		if err != nil {
			return err
		}
		err = transition(ctx, tx, me, r.id, r.version, domain.StatePending, domain.StateApproved, `,
		       decided_by = $6, decided_at = $5, valid_until = $7, password_hash = NULL`, until)
		if err != nil {
			return err
		}
		assignment, err := grantRole(ctx, tx, r, granter{operatorID: me.id}, until)
		if err != nil {
			return err
		}
		return finishApproval(ctx, tx, r, me.id, me.name, until, assignment, "approved", domain.AuditRoleRequestApprove, "")
	})
}

// finishApproval records an approval and tells the applicant who approved
// it: the institution named byInstitution, or the Agency ("") — and, for
// a career consultant who named an institution the Agency approved
// instead, that the role is not the institution's (¶29.3).
func finishApproval(ctx context.Context, tx *Tx, r *requestRow, actorID int64, actorName string, until time.Time, assignment int64, event, action, byInstitution string) error {
	untilText := mailDay(until)
	if err := addEvent(ctx, tx, r.id, actorID, actorName, event, untilText); err != nil {
		return err
	}
	role := string(r.kind.PlatformRole())
	unscoped := ""
	if r.kind == domain.KindCareerConsultant && r.institutionID != nil && byInstitution == "" {
		unscoped = "1"
	}
	_, err := enqueueMail(ctx, tx, r.email, mailLang, "rolerequest.approved", map[string]string{
		"role": role, "valid_until": untilText, "name": r.applicantName(),
		"institution": byInstitution, "unscoped": unscoped,
	})
	if err != nil {
		return err
	}
	scope := "institution:" + int64PtrText(r.institutionID)
	if unscoped != "" {
		scope = "none (¶29.3: approved by the Agency, not institution " + int64PtrText(r.institutionID) + ")"
	}
	return appendAudit(ctx, tx, &domain.AuditEntry{
		Action: action, SubjectKind: "role_request", SubjectID: strconv.FormatInt(r.id, 10),
		Details: "kind=" + string(r.kind) + "; role=" + role +
			"; valid_until=" + until.Format(time.RFC3339) + "; assignment=" + strconv.FormatInt(assignment, 10) +
			"; scope=" + scope,
	})
}

// Reject rejects a pending request with a reason from
// domain.RejectReasons (and an explanation, required for "other"), drops
// the password hash it carried and e-mails the applicant, in one
// transaction with the history, the audit entry and the release of the
// claim. It returns EINVALID "rolerequest.reason_unknown",
// "rolerequest.reason_text_required" or "rolerequest.text_too_long", and
// the errors of prepareDecision and transition.
func (s *RoleRequestService) Reject(ctx context.Context, d domain.Decision) error {
	if err := d.CheckRejection(); err != nil {
		return err
	}
	return s.db.inTx(ctx, "reject role request", func(tx *Tx) error {
		me, r, err := s.prepareDecision(ctx, tx, domain.RoleRequestReject, d.RequestID, d.Version)
		if err != nil {
			return err
		}
		err = transition(ctx, tx, me, r.id, r.version, domain.StatePending, domain.StateRejected, `,
		       decided_by = $6, decided_at = $5, reason_code = $7, reason_text = $8, password_hash = NULL`,
			d.ReasonCode, d.ReasonText)
		if err != nil {
			return err
		}
		return finishRejection(ctx, tx, r, me.id, me.name, d.ReasonCode, d.ReasonText, "rejected", domain.AuditRoleRequestReject)
	})
}

// finishRejection records a rejection and tells the applicant.
func finishRejection(ctx context.Context, tx *Tx, r *requestRow, actorID int64, actorName, code, text, event, action string) error {
	note := code
	if text != "" {
		note += ": " + text
	}
	if err := addEvent(ctx, tx, r.id, actorID, actorName, event, note); err != nil {
		return err
	}
	_, err := enqueueMail(ctx, tx, r.email, mailLang, "rolerequest.rejected", map[string]string{
		"reason": code, "reason_text": text, "name": r.applicantName(),
	})
	if err != nil {
		return err
	}
	return appendAudit(ctx, tx, &domain.AuditEntry{
		Action: action, SubjectKind: "role_request", SubjectID: strconv.FormatInt(r.id, 10),
		Reason: note, Details: "kind=" + string(r.kind),
	})
}

// RequestInfo asks the applicant of a pending request for more
// information: the request waits in info_requested until the answer
// (PortalService.AnswerInfoRequest), and the applicant is e-mailed the
// message, in one transaction with the history, the audit entry and the
// release of the claim. It returns EINVALID
// "rolerequest.info_message_required" or "rolerequest.text_too_long", and
// the errors of prepareDecision and transition.
func (s *RoleRequestService) RequestInfo(ctx context.Context, d domain.Decision) error {
	if err := d.CheckInfoRequest(); err != nil {
		return err
	}
	return s.db.inTx(ctx, "request information", func(tx *Tx) error {
		me, r, err := s.prepareDecision(ctx, tx, domain.RoleRequestAskInfo, d.RequestID, d.Version)
		if err != nil {
			return err
		}
		err = transition(ctx, tx, me, r.id, r.version, domain.StatePending, domain.StateInfoRequested, `,
		       info_message = $7, info_answer = ''`, d.InfoMessage)
		if err != nil {
			return err
		}
		if err := addEvent(ctx, tx, r.id, me.id, me.name, "info_requested", d.InfoMessage); err != nil {
			return err
		}
		_, err = enqueueMail(ctx, tx, r.email, mailLang, "rolerequest.info_requested", map[string]string{
			"message": d.InfoMessage, "name": r.applicantName(),
		})
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditRoleRequestRequestInfo, SubjectKind: "role_request", SubjectID: strconv.FormatInt(r.id, 10),
			Reason: d.InfoMessage, Details: "kind=" + string(r.kind),
		})
	})
}

// TakeOver moves a request that has waited at its institution for at
// least Config.TakeOverAfterDays days (counted from its e-mail
// confirmation) to the Agency's queue, with the reason, and tells the
// applicant. It returns EINVALID "rolerequest.takeover_reason_required",
// "rolerequest.text_too_long", and the errors of prepareDecision (among
// them EINVALID "rolerequest.takeover_too_early", Args: the number of
// days, and "rolerequest.not_at_institution") and transition.
func (s *RoleRequestService) TakeOver(ctx context.Context, d domain.Decision) error {
	if err := d.CheckTakeOver(); err != nil {
		return err
	}
	return s.db.inTx(ctx, "take over role request", func(tx *Tx) error {
		me, r, err := s.prepareDecision(ctx, tx, domain.RoleRequestTakeOver, d.RequestID, d.Version)
		if err != nil {
			return err
		}
		err = transition(ctx, tx, me, r.id, r.version, domain.StateAtInstitution, domain.StatePending, `,
		       route = 'agency'`)
		if err != nil {
			return err
		}
		if err := addEvent(ctx, tx, r.id, me.id, me.name, "taken_over", d.ReasonText); err != nil {
			return err
		}
		_, err = enqueueMail(ctx, tx, r.email, mailLang, "rolerequest.taken_over", map[string]string{
			"reason": d.ReasonText, "name": r.applicantName(),
		})
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditRoleRequestTakeOver, SubjectKind: "role_request", SubjectID: strconv.FormatInt(r.id, 10),
			Reason: d.ReasonText, Details: "kind=" + string(r.kind) + "; institution=" + int64PtrText(r.institutionID),
		})
	})
}

// int64PtrText writes *p in decimal, or "" for nil.
func int64PtrText(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// ResendConfirmation sends the link to confirm the e-mail address again,
// with a new token (the old one stops working). It returns ENOTFOUND
// "rolerequest.not_found", the refusals of domain.RoleRequest.Allows
// (RoleRequestResend: EINVALID "rolerequest.not_unconfirmed" for a request
// whose address is confirmed, "rolerequest.expired" for one older than
// domain.UnconfirmedLifetime, ECONFLICT "rolerequest.claimed" while
// another operator holds it …), and EUNAUTHORIZED "rolerequest.no_operator".
func (s *RoleRequestService) ResendConfirmation(ctx context.Context, id int64) error {
	_, err := s.resendConfirmation(ctx, id)
	return err
}

// resendConfirmation is ResendConfirmation, returning the new token for
// tests (which have no mailbox to read it from).
func (s *RoleRequestService) resendConfirmation(ctx context.Context, id int64) (string, error) {
	token, hash, err := newConfirmToken()
	if err != nil {
		return "", err
	}
	err = s.db.inTx(ctx, "resend confirmation", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, roleRequestGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		r, err := lockRoleRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := r.Allows(domain.RoleRequestResend, me.ref(), tx.now, s.Config); err != nil {
			return err
		}
		var email, name string
		err = tx.QueryRow(ctx, `
			UPDATE role_requests
			   SET email_token_hash = $2, email_sent_at = $3, version = version + 1, updated_at = $3
			 WHERE id = $1 AND state = 'unconfirmed' AND created_at > $4
			RETURNING email, applicant_name`,
			id, hash, tx.now, tx.now.Add(-domain.UnconfirmedLifetime)).Scan(&email, &name)
		if errors.Is(err, pgx.ErrNoRows) {
			return roleRequestClaimTable.Changed()
		}
		if err != nil {
			return dbError("resend confirmation", err)
		}
		if err := addEvent(ctx, tx, id, me.id, me.name, "email_resent", ""); err != nil {
			return err
		}
		if _, err := enqueueMail(ctx, tx, email, mailLang, "rolerequest.submitted_confirm", map[string]string{
			"link": confirmLink(s.ConfirmURL, s.db.PortalURL, token), "name": name,
		}); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditRoleRequestResend, SubjectKind: "role_request", SubjectID: strconv.FormatInt(id, 10),
		})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// ExpireUnconfirmed moves every request whose e-mail address is still
// unconfirmed domain.UnconfirmedLifetime after it was submitted (before
// now) to expired, tells each applicant, and returns how many it expired.
// It works in batches, each its own transaction, and running it again
// finds nothing more to do. A zero now means the database's clock.
func (s *RoleRequestService) ExpireUnconfirmed(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for {
		n, err := s.expireBatch(ctx, now)
		total += n
		if err != nil || n < expireBatch {
			return total, err
		}
	}
}

// expireBatch expires up to expireBatch requests in one transaction.
func (s *RoleRequestService) expireBatch(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.db.inTx(ctx, "expire unconfirmed role requests", func(tx *Tx) error {
		if now.IsZero() {
			now = tx.now
		}
		rows, err := tx.Query(ctx, `
			WITH due AS (
			    SELECT id
			      FROM role_requests
			     WHERE state = 'unconfirmed' AND created_at <= $1
			     ORDER BY created_at, id
			     LIMIT $3
			       FOR UPDATE SKIP LOCKED
			)
			UPDATE role_requests AS r
			   SET state = 'expired', version = version + 1, updated_at = $2, password_hash = NULL,
			       claimed_by = NULL, claim_session = NULL, claim_expires_at = NULL
			  FROM due
			 WHERE r.id = due.id AND r.state = 'unconfirmed'
			RETURNING r.id, r.kind, r.email, r.applicant_name`,
			now.UTC().Add(-domain.UnconfirmedLifetime), tx.now, expireBatch)
		if err != nil {
			return dbError("expire unconfirmed role requests", err)
		}
		type expired struct {
			id                int64
			kind, email, name string
		}
		var all []expired
		var e expired
		_, err = pgx.ForEachRow(rows, []any{&e.id, &e.kind, &e.email, &e.name}, func() error {
			all = append(all, e)
			return nil
		})
		if err != nil {
			return dbError("expire unconfirmed role requests", err)
		}
		for _, e := range all {
			if err := addEvent(ctx, tx, e.id, 0, "system", "expired", ""); err != nil {
				return err
			}
			if _, err := enqueueMail(ctx, tx, e.email, mailLang, "rolerequest.expired", map[string]string{"name": e.name}); err != nil {
				return err
			}
		}
		// The audit entries last: appends serialise until commit.
		for _, e := range all {
			err := appendAudit(ctx, tx, &domain.AuditEntry{
				Action: domain.AuditRoleRequestExpire, SubjectKind: "role_request", SubjectID: strconv.FormatInt(e.id, 10),
				Reason: "e-mail not confirmed within 14 days", Details: "kind=" + e.kind,
			})
			if err != nil {
				return err
			}
		}
		n = len(all)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
