package storage

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// ¶29.3: "ja Karjeras konsultants reģistrējas kā Platformā reģistrētas
// izglītības iestādes Karjeras konsultants, tad izglītības iestāde
// Platformā apstiprina to kā Lietotāju. Pārējiem – dalību Platformā
// apstiprina Aģentūras darbinieks." A career consultant's request routed
// to an institution waits there: the institution is told on the
// applicant's e-mail confirmation, reminded before the Agency's take-over
// limit (SweepConsultantReminder), and may be reminded again by the Agency
// after it (RemindInstitution). A request the Agency takes over is
// approved without the institution's scope (grantRole; the database's
// trigger role_assignments_consultant_scope, migration 0170).

// reminderBatch is how many requests one transaction of the reminder
// sweep reminds.
const reminderBatch = 500

// waitingInstitution is what the mails to an institution say of a request
// waiting for it.
type waitingInstitution struct {
	requestID   int64
	name, email string // the institution's
	applicant   string
	confirmedAt time.Time
}

// data is the mail's data: the request, the applicant, the institution,
// and the take-over date under cfg.
func (w *waitingInstitution) data(cfg domain.RoleRequestConfig) map[string]string {
	return map[string]string{
		"id":          strconv.FormatInt(w.requestID, 10),
		"name":        w.applicant,
		"institution": w.name,
		"since":       mailDay(w.confirmedAt),
		"until":       mailDay(w.confirmedAt.AddDate(0, 0, cfg.TakeOverAfterDays)),
	}
}

// readWaitingInstitution reads request id's institution inside tx.
func readWaitingInstitution(ctx context.Context, tx *Tx, id int64) (*waitingInstitution, error) {
	w := &waitingInstitution{requestID: id}
	err := tx.QueryRow(ctx, `
		SELECT i.name, i.email, r.applicant_name, r.email_confirmed_at
		  FROM role_requests r JOIN institutions i ON i.id = r.institution_id
		 WHERE r.id = $1`, id).Scan(&w.name, &w.email, &w.applicant, &w.confirmedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, roleRequestNotFound(id)
	}
	if err != nil {
		return nil, dbError("read the request's institution", err)
	}
	return w, nil
}

// notifyInstitution tells the institution, at its registered address,
// that the career consultant's request id now waits for its decision and
// by when (¶29.3): in the transaction of the e-mail confirmation, with
// the history and the audit entry.
func notifyInstitution(ctx context.Context, tx *Tx, id int64, cfg domain.RoleRequestConfig) error {
	w, err := readWaitingInstitution(ctx, tx, id)
	if err != nil {
		return err
	}
	if _, err := enqueueMail(ctx, tx, w.email, mailLang, "rolerequest.institution_waiting", w.data(cfg)); err != nil {
		return err
	}
	return addEvent(ctx, tx, id, 0, "system", "institution_notified", w.name)
}

// consultantReminder (¶29.3) reminds each institution of every career
// consultant's request that has waited for it until cfg.TakeOverRemindDays
// before the take-over limit, once per request (institution_reminder_at),
// with the history and an audit entry. Batches of reminderBatch, each its
// own transaction; a second run finds nothing more to do.
func (s *Sweeper) consultantReminder(ctx context.Context, r *sweepRun, now time.Time) error {
	cfg := s.RoleRequests
	due := now.AddDate(0, 0, -max(cfg.TakeOverAfterDays-cfg.TakeOverRemindDays, 0))
	for {
		n, err := s.remindBatch(ctx, now, due, cfg)
		r.Checked += n
		r.Changed += n
		if err != nil || n < reminderBatch {
			return err
		}
		if err := s.renew(ctx, r); err != nil {
			return err
		}
	}
}

// remindBatch reminds up to reminderBatch institutions of requests
// confirmed at or before due, in one transaction.
func (s *Sweeper) remindBatch(ctx context.Context, now, due time.Time, cfg domain.RoleRequestConfig) (int64, error) {
	var n int64
	err := s.inTxAt(ctx, "sweep consultant reminders", now, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `
			WITH due AS (
			    SELECT id
			      FROM role_requests
			     WHERE state = 'at_institution' AND institution_reminder_at IS NULL
			       AND email_confirmed_at <= $2
			     ORDER BY email_confirmed_at, id
			     LIMIT $3
			       FOR UPDATE SKIP LOCKED
			)
			UPDATE role_requests AS r
			   SET institution_reminder_at = $1, version = version + 1, updated_at = $1
			  FROM due, institutions i
			 WHERE r.id = due.id AND r.state = 'at_institution' AND r.institution_reminder_at IS NULL
			   AND i.id = r.institution_id
			RETURNING r.id, i.name, i.email, r.applicant_name, r.email_confirmed_at`, now, due, reminderBatch)
		if err != nil {
			return dbError("remind institutions", err)
		}
		// What the mails say comes back with the update: no read per request.
		waiting, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*waitingInstitution, error) {
			w := &waitingInstitution{}
			return w, row.Scan(&w.requestID, &w.name, &w.email, &w.applicant, &w.confirmedAt)
		})
		if err != nil {
			return dbError("remind institutions", err)
		}
		for _, w := range waiting {
			if _, err := enqueueMail(ctx, tx, w.email, mailLang, "rolerequest.institution_reminder", w.data(cfg)); err != nil {
				return err
			}
			if err := addEvent(ctx, tx, w.requestID, 0, "system", "institution_reminded", w.name); err != nil {
				return err
			}
		}
		// The audit entries last: appends serialise until commit.
		for _, w := range waiting {
			if err := appendAudit(ctx, tx, &domain.AuditEntry{
				Action: domain.AuditRoleRequestInstitutionReminder, SubjectKind: "role_request", SubjectID: strconv.FormatInt(w.requestID, 10),
				Reason: "¶29.3", Details: "remind_days=" + strconv.Itoa(cfg.TakeOverRemindDays),
			}); err != nil {
				return err
			}
		}
		n = int64(len(waiting))
		return nil
	})
	return n, err
}

// RemindInstitution reminds the institution a career consultant's request
// waits at, once the take-over limit has passed, by e-mail with the
// reviewer's note (d.ReasonText, may be empty): the request stays at the
// institution, its wait and the limit are not reset, and whoever holds it
// keeps it (¶29.3). It is audited and recorded in the history. It returns
// EINVALID from domain.Decision.CheckReminder, and the refusals of
// domain.RoleRequest.Allows (RoleRequestRemind: EINVALID
// "rolerequest.not_at_institution", "rolerequest.takeover_too_early" …)
// and CheckVersion, as prepareDecision does.
func (s *RoleRequestService) RemindInstitution(ctx context.Context, d domain.Decision) error {
	if err := d.CheckReminder(); err != nil {
		return err
	}
	return s.db.inTx(ctx, "remind the institution", func(tx *Tx) error {
		me, r, err := s.prepareDecision(ctx, tx, domain.RoleRequestRemind, d.RequestID, d.Version)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE role_requests SET agency_reminded_at = $3, version = version + 1, updated_at = $3
			 WHERE id = $1 AND version = $2 AND state = 'at_institution'`, r.id, r.version, tx.now)
		if err != nil {
			return dbError("remind the institution", err)
		}
		if tag.RowsAffected() == 0 {
			return roleRequestClaimTable.Changed()
		}
		w, err := readWaitingInstitution(ctx, tx, r.id)
		if err != nil {
			return err
		}
		data := w.data(s.Config)
		data["note"] = d.ReasonText
		if _, err := enqueueMail(ctx, tx, w.email, mailLang, "rolerequest.institution_reminder_agency", data); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, r.id, me.id, me.name, "institution_reminded_by_agency", d.ReasonText); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditRoleRequestRemindInstitution, SubjectKind: "role_request", SubjectID: strconv.FormatInt(r.id, 10),
			Reason: d.ReasonText, Details: "kind=" + string(r.kind) + "; institution=" + int64PtrText(r.institutionID),
		})
	})
}
