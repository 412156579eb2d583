package storage

import (
	"context"

	"github.com/viaa/ppp/domain"
)

// ApproveAndPublish approves the submitted version id and publishes it,
// all in one transaction: the version takes force at the transaction's
// time (published_at), the version in force until then is superseded,
// and a published news item (domain.AnnouncementNews) named after the
// version's number, with its summary of changes as the body, announces it
// (¶33). From then on every user must accept the new version
// (PendingAcceptances lists them all).
//
// Publishes take turns; of two publishing at once, one wins and the
// other finds the version in force changed. A version can only be
// published on top of the version it was drafted from: after another
// version was published, it must be returned and rebased first
// (SaveTermsDraft).
//
// It returns ENOTFOUND "terms.not_found"; EFORBIDDEN "terms.own_draft"
// when the acting editor started, saved or submitted the version (four
// eyes: whichever session they use); ECONFLICT "terms.not_submitted"
// when it does not wait for approval (another editor published or
// returned it meanwhile); ECONFLICT "terms.published_meanwhile" when the
// version in force is no longer the one it was based on; and the errors
// of the editor check (see TermsService).
func (s *TermsService) ApproveAndPublish(ctx context.Context, id int64) error {
	return s.db.inTx(ctx, "publish terms version", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, editorGuard, domain.RoleEditor)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, termsPublishLockKey); err != nil {
			return dbError("wait for other publishes", err)
		}
		r, err := lockTerms(ctx, tx, id, false)
		if err != nil {
			return err
		}
		old, err := inForceID(ctx, tx, "FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkStep(r, domain.TermsPublish, me.id, old, 0); err != nil {
			return err
		}
		if old != 0 {
			tag, err := tx.Exec(ctx, `UPDATE terms_versions SET state = 'superseded' WHERE id = $1 AND state = 'published'`, old)
			if err != nil {
				return termsError("supersede the terms in force", err)
			}
			if tag.RowsAffected() != 1 {
				return domain.TermsPublishedMeanwhile()
			}
		}
		tag, err := tx.Exec(ctx, `
			UPDATE terms_versions
			   SET state = 'published', approved_by = $2, published_at = $3, updated_at = $3,
			       version = version + 1
			 WHERE id = $1 AND state = 'submitted'`, id, me.id, tx.now)
		if err != nil {
			return termsError("publish terms version", err)
		}
		if tag.RowsAffected() != 1 {
			return domain.TermsNotSubmitted(r.State)
		}
		var announcement int64
		err = tx.QueryRow(ctx, `
			INSERT INTO announcements (kind, state, title, body, starts_at, terms_version_id,
			                           created_by, created_at, updated_at, published_by, published_at)
			VALUES ('news', 'published', $1, $2, $3, $4, $5, $3, $3, $5, $3)
			RETURNING id`,
			domain.TermsAnnouncementTitle(r.Number), r.Summary, tx.now, id, me.id).Scan(&announcement)
		if err != nil {
			return dbError("announce the terms version", err)
		}
		for _, n := range []struct {
			topic string
			id    int64
		}{{termsTopic, id}, {termsTopic, old}, {announcementTopic, announcement}} {
			if n.id == 0 {
				continue
			}
			if err := Notify(ctx, tx, n.topic, idText(n.id)); err != nil {
				return err
			}
		}
		details := "number=" + r.Number + "; announcement=" + idText(announcement)
		if old != 0 {
			details += "; superseded=" + idText(old)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditTermsPublish, SubjectKind: "terms_version", SubjectID: idText(id), Details: details,
		})
	})
}
