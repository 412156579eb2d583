package storage

import (
	"context"
	"strconv"

	"github.com/viaa/ppp/domain"
)

// Incident tickets are the security officers' work too (¶17.5, ¶25): they
// see them in the helpdesk queue (domain.Ticket.AllowsOperator) and raise
// a ¶32.6 denial from one here, in the transaction that notes it in the
// ticket's thread, so that a denial raised from a ticket is never missing
// from it.

// seenAs is the actor as the helpdesk's visibility rules see them
// (domain.SeesTicketCategory): nil for the back office itself.
func (a *actor) seenAs() *domain.Operator {
	if a.machine() {
		return nil
	}
	return a.operator()
}

// RaiseIncidentDenial raises a ¶32.6 denial of the subject from incident
// ticket id, as DenialService.Deny does (in force at once, or waiting for
// a second officer for an agency employee), its evidence led by the
// ticket's reference (domain.IncidentEvidence); notes the denial in the
// ticket's thread (domain.TicketDenialNote, never mailed); and audits both.
// It returns the denial. Errors: EUNAUTHORIZED "denial.no_operator" and
// EFORBIDDEN "denial.not_security" for a caller who is not a security
// officer; ENOTFOUND "helpdesk.not_found"; the refusals of
// domain.Ticket.AllowsOperator (EINVALID "helpdesk.not_incident",
// "helpdesk.resolved", ECONFLICT "helpdesk.claimed"); and Deny's errors
// (EINVALID note, ENOTFOUND subject, EFORBIDDEN denying oneself, ECONFLICT
// already denied on ¶32.6).
func (s *HelpdeskService) RaiseIncidentDenial(ctx context.Context, id int64, kind domain.SubjectKind, subjectID int64, note, evidence string) (*domain.Denial, error) {
	var d *domain.Denial
	err := s.db.inTx(ctx, "raise incident denial", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, denialGuard, domain.RoleSecurity)
		if err != nil {
			return err
		}
		r, err := findTicket(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := r.AllowsOperator(domain.TicketDenyIncident, me.operator(), tx.now); err != nil {
			return err
		}
		if err := lockDenials(ctx, tx); err != nil {
			return err
		}
		denialID, err := raiseDenial(ctx, tx, me.id, kind, subjectID, domain.GroundIncident, note,
			domain.IncidentEvidence(id, cleanText(evidence)), "")
		if err != nil {
			return err
		}
		if d, err = findDenial(ctx, tx, denialID, false); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO ticket_replies (ticket_id, template, lang, body, actor_id, actor_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			id, domain.TicketDenialNote, r.lang, strconv.FormatInt(denialID, 10), me.id, me.name, tx.now); err != nil {
			return dbError("note the denial", err)
		}
		if err := touchTicket(ctx, tx, id, ""); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditHelpdeskIncidentDenial, SubjectKind: "ticket", SubjectID: strconv.FormatInt(id, 10),
			Details: "denial=" + strconv.FormatInt(denialID, 10) + "; ground=" + string(domain.GroundIncident),
		})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}
