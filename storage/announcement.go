package storage

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// announcementListLimit bounds ListAnnouncements: a few dozen are
// published in a year.
const announcementListLimit = 500

// AnnouncementService manages news and planned downtime (¶23). It
// implements domain.AnnouncementService: every change is audited and
// announced on the change feed (topic "announcement", ids only) in its
// transaction. Every method needs the editor role (EUNAUTHORIZED
// "editor.no_operator", EFORBIDDEN "editor.not_editor"), except
// ActiveBanners, which every enabled operator reads (EUNAUTHORIZED
// "access.no_operator"); writing needs an operator, reading may be the back
// office itself (storage/actor.go).
type AnnouncementService struct {
	db *DB

	// MailBatch is how many e-mails one transaction writes to the outbox
	// when an announcement is e-mailed to its audience.
	MailBatch int
}

var _ domain.AnnouncementService = (*AnnouncementService)(nil)

// defaultMailBatch is AnnouncementService.MailBatch's default.
const defaultMailBatch = 500

// NewAnnouncementService returns an AnnouncementService on db.
func NewAnnouncementService(db *DB) *AnnouncementService {
	return &AnnouncementService{db: db, MailBatch: defaultMailBatch}
}

// announcementColumns are read by scanAnnouncement, in its order, from
// announcements n joined with the creator c.
const announcementColumns = `
	n.id, n.kind, n.state, n.title, n.body, n.audience, n.starts_at, n.ends_at, n.services,
	n.email_audience, coalesce(n.terms_version_id, 0), n.created_by,
	coalesce(nullif(c.full_name, ''), c.name), n.created_at, n.published_at, n.withdrawn_at,
	n.withdraw_reason, n.version, n.mail_queued, n.mail_state = 'pending'`

// announcementFrom names the table and the join announcementColumns reads.
const announcementFrom = ` FROM announcements n JOIN operators c ON c.id = n.created_by `

// scanAnnouncement reads announcementColumns.
func scanAnnouncement(row pgx.Row) (*domain.Announcement, error) {
	var a domain.Announcement
	var kind, state string
	var starts, ends, published, withdrawn *time.Time
	err := row.Scan(&a.ID, &kind, &state, &a.Title, &a.Body, &a.Audience, &starts, &ends, &a.Services,
		&a.EmailAudience, &a.TermsVersion, &a.CreatedBy, &a.CreatedByName, &a.CreatedAt, &published, &withdrawn,
		&a.WithdrawReason, &a.Version, &a.EmailsQueued, &a.EmailsPending)
	if err != nil {
		return nil, err
	}
	a.Kind, a.State = domain.AnnouncementKind(kind), domain.AnnouncementState(state)
	a.StartsAt, a.EndsAt = utcOrZero(starts), utcOrZero(ends)
	a.CreatedAt, a.PublishedAt, a.WithdrawnAt = a.CreatedAt.UTC(), utcOrZero(published), utcOrZero(withdrawn)
	if a.Audience == nil {
		a.Audience = []string{}
	}
	return &a, nil
}

// ListAnnouncements returns the newest 500 announcements, newest first.
// It returns EUNAVAILABLE when the database does not answer.
func (s *AnnouncementService) ListAnnouncements(ctx context.Context) ([]*domain.Announcement, error) {
	if _, err := loadCaller(ctx, s.db.pool, editorGuard, domain.RoleEditor); err != nil {
		return nil, err
	}
	return s.query(ctx, "list announcements", `SELECT `+announcementColumns+announcementFrom+`
		ORDER BY n.id DESC LIMIT $1`, announcementListLimit)
}

// FindAnnouncement returns one announcement. It returns ENOTFOUND
// "announcement.not_found".
func (s *AnnouncementService) FindAnnouncement(ctx context.Context, id int64) (*domain.Announcement, error) {
	if _, err := loadCaller(ctx, s.db.pool, editorGuard, domain.RoleEditor); err != nil {
		return nil, err
	}
	a, err := scanAnnouncement(s.db.pool.QueryRow(ctx, `SELECT `+announcementColumns+announcementFrom+`
		WHERE n.id = $1`, id))
	if isNoRows(err) {
		return nil, announcementNotFound(id)
	}
	if err != nil {
		return nil, dbError("read announcement", err)
	}
	return a, nil
}

// ActiveBanners returns the planned downtimes to show as a banner at now
// (the database clock's time when zero), soonest first: those
// domain.Announcement.ShowsBannerAt, as SQL. It
// returns EUNAVAILABLE when the database does not answer.
func (s *AnnouncementService) ActiveBanners(ctx context.Context, now time.Time) ([]*domain.Announcement, error) {
	if _, err := loadCaller(ctx, s.db.pool, dashboardGuard); err != nil {
		return nil, err
	}
	if now.IsZero() {
		now = s.db.now()
	}
	return s.query(ctx, "list downtime banners", `SELECT `+announcementColumns+announcementFrom+`
		WHERE n.kind = 'downtime' AND n.state = 'published' AND n.ends_at > $1 AND n.starts_at <= $2
		ORDER BY n.starts_at, n.id`, now, now.Add(domain.DowntimeBannerLead))
}

// query runs a statement returning announcementColumns.
func (s *AnnouncementService) query(ctx context.Context, what, sql string, args ...any) ([]*domain.Announcement, error) {
	rows, err := s.db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, dbError(what, err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.Announcement, error) {
		return scanAnnouncement(row)
	})
	if err != nil {
		return nil, dbError(what, err)
	}
	return list, nil
}

// SaveAnnouncement creates a draft (a.ID 0) or updates one, after tidying
// and checking it with domain.Announcement.Validate (which rewrites a's
// fields). An update needs the draft to still have a.Version (when not
// zero). a receives its ID, Version, CreatedBy and CreatedAt. TermsVersion
// cannot be set this way: publishing a terms version creates its own
// announcement.
//
// It returns EINVALID "announcement.invalid" with the problems of
// Validate, ENOTFOUND "announcement.not_found", ECONFLICT
// "announcement.not_draft" for one published or withdrawn and ECONFLICT
// "announcement.changed" when it was saved meanwhile, and the errors of
// the editor check (see AnnouncementService).
func (s *AnnouncementService) SaveAnnouncement(ctx context.Context, a *domain.Announcement) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.db.inTx(ctx, "save announcement", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, editorGuard, domain.RoleEditor)
		if err != nil {
			return err
		}
		action := domain.AuditAnnouncementUpdate
		if a.ID == 0 {
			action = domain.AuditAnnouncementCreate
			err = tx.QueryRow(ctx, `
				INSERT INTO announcements (kind, title, body, audience, starts_at, ends_at, services,
				                           email_audience, created_by, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
				RETURNING id, version`,
				string(a.Kind), a.Title, a.Body, a.Audience, nullTime(a.StartsAt), nullTime(a.EndsAt), a.Services,
				a.EmailAudience, me.id, tx.now).Scan(&a.ID, &a.Version)
			if err != nil {
				return dbError("create announcement", err)
			}
			a.CreatedBy, a.CreatedByName, a.CreatedAt = me.id, me.name, tx.now
		} else {
			r, err := lockAnnouncement(ctx, tx, a.ID)
			if err != nil {
				return err
			}
			if err := r.Allows(domain.AnnounceEdit, tx.now); err != nil {
				return err
			}
			if err := r.CheckVersion(a.Version); err != nil {
				return err
			}
			err = tx.QueryRow(ctx, `
				UPDATE announcements
				   SET kind = $2, title = $3, body = $4, audience = $5, starts_at = $6, ends_at = $7,
				       services = $8, email_audience = $9, version = version + 1, updated_at = $10
				 WHERE id = $1 AND state = 'draft'
				RETURNING version, created_by, created_at`,
				a.ID, string(a.Kind), a.Title, a.Body, a.Audience, nullTime(a.StartsAt), nullTime(a.EndsAt),
				a.Services, a.EmailAudience, tx.now).Scan(&a.Version, &a.CreatedBy, &a.CreatedAt)
			if err != nil {
				return dbError("save announcement", err)
			}
			a.CreatedByName = r.CreatedByName
		}
		a.State, a.TermsVersion = domain.AnnouncementDraft, 0
		if err := Notify(ctx, tx, announcementTopic, idText(a.ID)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: action, SubjectKind: "announcement", SubjectID: idText(a.ID),
			Details: "kind=" + string(a.Kind) + "; audience=" + audienceText(a.Audience),
		})
	})
}

// lockAnnouncement reads announcement id inside tx and locks it until tx
// ends, or returns ENOTFOUND "announcement.not_found".
func lockAnnouncement(ctx context.Context, tx *Tx, id int64) (*domain.Announcement, error) {
	a, err := scanAnnouncement(tx.QueryRow(ctx, `SELECT `+announcementColumns+announcementFrom+`
		WHERE n.id = $1 FOR UPDATE OF n`, id))
	if isNoRows(err) {
		return nil, announcementNotFound(id)
	}
	if err != nil {
		return nil, dbError("read announcement", err)
	}
	return a, nil
}

// PublishAnnouncement publishes a draft at once. When it is to be
// e-mailed (EmailAudience), the first batch of mails to its audience is
// written to the outbox in the same transaction, and the rest a batch per
// transaction before this returns (see QueueAnnouncementMails, which
// finishes what an interrupted call left).
//
// It returns ENOTFOUND "announcement.not_found", ECONFLICT
// "announcement.not_draft", EINVALID "announcement.invalid" when the
// draft no longer passes Validate, EINVALID "announcement.ends_past" for
// planned downtime that has ended already, and the errors of the editor
// check (see AnnouncementService). Once the publish has committed, an
// error writing the later batches is not returned: the announcement shows
// EmailsPending, and QueueAnnouncementMails takes it up.
func (s *AnnouncementService) PublishAnnouncement(ctx context.Context, id int64) error {
	pending := false
	err := s.db.inTx(ctx, "publish announcement", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, editorGuard, domain.RoleEditor)
		if err != nil {
			return err
		}
		a, err := lockAnnouncement(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := a.Allows(domain.AnnouncePublish, tx.now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE announcements
			   SET state = 'published', published_by = $2, published_at = $3, updated_at = $3,
			       version = version + 1,
			       mail_state = CASE WHEN email_audience THEN 'pending' ELSE 'none' END
			 WHERE id = $1 AND state = 'draft'`, id, me.id, tx.now)
		if err != nil {
			return dbError("publish announcement", err)
		}
		queued := 0
		if a.EmailAudience {
			var done bool
			if queued, done, err = s.mailBatch(ctx, tx, id); err != nil {
				return err
			}
			pending = !done
		}
		if err := Notify(ctx, tx, announcementTopic, idText(id)); err != nil {
			return err
		}
		details := "kind=" + string(a.Kind) + "; audience=" + audienceText(a.Audience)
		if a.EmailAudience {
			details += "; emails_first_batch=" + idText(int64(queued))
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditAnnouncementPublish, SubjectKind: "announcement", SubjectID: idText(id), Details: details,
		})
	})
	if err != nil || !pending {
		return err
	}
	_, _ = s.queueMails(ctx, id)
	return nil
}

// WithdrawAnnouncement withdraws a published announcement with the
// reason: it stops showing (banners included), and e-mails not yet
// written to the outbox are not written. Mails already in the outbox
// still go. It returns EINVALID "announcement.reason_required",
// "announcement.reason_too_long" or "announcement.control_chars",
// ENOTFOUND "announcement.not_found", ECONFLICT "announcement.not_published",
// and the errors of the editor check (see AnnouncementService).
func (s *AnnouncementService) WithdrawAnnouncement(ctx context.Context, id int64, reason string) error {
	reason, err := domain.CheckWithdrawReason(reason)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "withdraw announcement", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, editorGuard, domain.RoleEditor)
		if err != nil {
			return err
		}
		r, err := lockAnnouncement(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := r.Allows(domain.AnnounceWithdraw, tx.now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE announcements
			   SET state = 'withdrawn', withdrawn_by = $2, withdrawn_at = $3, withdraw_reason = $4,
			       updated_at = $3, version = version + 1,
			       mail_state = CASE mail_state WHEN 'pending' THEN 'cancelled' ELSE mail_state END
			 WHERE id = $1 AND state = 'published'`, id, me.id, tx.now, reason)
		if err != nil {
			return dbError("withdraw announcement", err)
		}
		if err := Notify(ctx, tx, announcementTopic, idText(id)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditAnnouncementWithdraw, SubjectKind: "announcement", SubjectID: idText(id), Reason: reason,
		})
	})
}

// announcementNotFound is the error of an announcement that does not
// exist.
func announcementNotFound(id int64) error {
	return domain.Errorf(domain.ENOTFOUND, "announcement.not_found", "announcement #%d does not exist", id)
}

// audienceText writes an audience for the audit log.
func audienceText(roles []string) string {
	if len(roles) == 0 {
		return "everyone"
	}
	return strings.Join(roles, ",")
}

// nullTime is NULL for the zero time.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
