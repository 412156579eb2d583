package storage

import (
	"context"
	"strconv"

	"github.com/viaa/ppp/domain"
)

// RequestIMKReview records the person's request that a person review the
// automatic decision on their IMK application (GDPR Art. 22, ¶26.4), as
// the portal carries it: in one transaction the contested decision is
// kept in imk_review_requests (state, time, reason, policy, evaluation),
// the application goes back to needs_review with "person_asked" as the
// reason, the request is audited and the queue told. A personal code that
// does not name the application's person (in either form) reads as an
// unknown application, so that the
// API tells nobody whose an id is. It returns EINVALID "portal.invalid"
// (domain.IMKReviewRequest.Check), ENOTFOUND "imk.not_found", ECONFLICT
// "imk.review_not_automatic" (domain.IMKApplication.CheckReviewRequest) and
// "imk.active_exists" when the person has another active IMK, and
// EUNAVAILABLE when the database does not answer.
func (s *PortalService) RequestIMKReview(ctx context.Context, req domain.IMKReviewRequest) error {
	if err := req.Check(); err != nil {
		return err
	}
	return s.db.inTx(ctx, "request IMK review", func(tx *Tx) error {
		return requestIMKReview(ctx, tx, &req, apiClientID(ctx))
	})
}

// requestIMKReview is RequestIMKReview inside tx, for a checked request.
func requestIMKReview(ctx context.Context, tx *Tx, req *domain.IMKReviewRequest, client *int64) error {
	app, err := lockIMK(ctx, tx, req.ApplicationID)
	if err != nil {
		return err
	}
	// The code may be either form the Population Register links to the
	// application's person (person_codes).
	var theirs bool
	if err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT FROM imk_applications a JOIN person_codes pc ON pc.person_id = a.person_id
		                WHERE a.id = $1 AND pc.code = $2)`, app.ID, req.PersonalCode).Scan(&theirs); err != nil {
		return dbError("match the person", err)
	}
	if !theirs {
		return imkNotFound(req.ApplicationID)
	}
	if err := app.CheckReviewRequest(); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO imk_review_requests (application_id, requested_at, channel, message, api_client_id,
		                                 decided_state, decided_at, decided_reason, policy_id, evaluation)
		SELECT id, $2, $3, $4, $5, state, decided_at, reason, policy_id, evaluation
		  FROM imk_applications WHERE id = $1`,
		app.ID, tx.now, req.Channel, req.Message, client); err != nil {
		return dbError("record the review request", err)
	}
	why := []string{domain.ReviewPersonAsked}
	_, err = tx.Exec(ctx, `
		UPDATE imk_applications
		   SET state = 'needs_review', decided_at = NULL, decided_by = NULL, reason = '',
		       review_why = $2,
		       evaluation = CASE WHEN evaluation IS NULL THEN NULL
		                         ELSE jsonb_set(evaluation, '{ReviewWhy}', to_jsonb($2::text[])) END,
		       version = version + 1, updated_at = $3
		 WHERE id = $1`, app.ID, why, tx.now)
	if err != nil {
		if domain.ErrorCode(dbError("", err)) == domain.ECONFLICT {
			return domain.Errorf(domain.ECONFLICT, "imk.active_exists", "the person has an active IMK already")
		}
		return dbError("send the application back to review", err)
	}
	if err := Notify(ctx, tx, imkTopic, strconv.FormatInt(app.ID, 10)); err != nil {
		return err
	}
	return appendAudit(ctx, tx, &domain.AuditEntry{
		Action: domain.AuditIMKReviewRequest, SubjectKind: "imk_application", SubjectID: strconv.FormatInt(app.ID, 10),
		Details: "channel=" + req.Channel + "; contested=" + string(app.State) + "; reason=" + app.Reason,
	})
}
