package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/mailtmpl"
)

// Defences against account takeover and staff misuse (issue 9):
// migrations/0070_defence.sql. Privileged password resets wait in
// pending_resets for a second person; every issued reset and every staff
// change of an e-mail address is told to the previous and the current
// address; operators who open or reveal too much raise alerts, announced
// on the change feed as topic "alert".

// alertWindow is the window the alert thresholds count in.
const alertWindow = time.Hour

// noticeLookback is how far back an e-mail change makes a reset notice go
// to the previous address too.
const noticeLookback = 30 * 24 * time.Hour

// DefenceService implements domain.DefenceService on PostgreSQL. Each
// method needs an operator holding the roles it names (EUNAUTHORIZED
// "defence.no_operator", EFORBIDDEN "defence.forbidden"). Its alert
// limits are the database's (DB.AlertThresholds).
type DefenceService struct {
	db *DB
}

var _ domain.DefenceService = (*DefenceService)(nil)

// NewDefenceService returns a DefenceService on db.
func NewDefenceService(db *DB) *DefenceService {
	return &DefenceService{db: db}
}

// noticeTime is a time as the notices show it.
func noticeTime(t time.Time) string {
	if loc, err := time.LoadLocation("Europe/Riga"); err == nil {
		t = t.In(loc)
	}
	return t.Format("02.01.2006 15:04 MST")
}

// isPrivileged tells whether a reset of acc needs a second person: an
// operator, or a Platform user holding a running institution_admin role.
func isPrivileged(ctx context.Context, tx *Tx, acc *domain.AccountRef) (bool, error) {
	if acc.Kind == "operator" {
		return true, nil
	}
	var ok bool
	err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM role_assignments
		                WHERE user_id = $1 AND role = 'institution_admin' AND ended_at IS NULL
		                  AND valid_from <= $2 AND valid_until > $2)`, acc.ID, tx.now).Scan(&ok)
	if err != nil {
		return false, dbError("check privileged account", err)
	}
	return ok, nil
}

// holdReset stores a privileged reset for a second person and leaves the
// ticket in progress. A reset already waiting for the account is kept.
func holdReset(ctx context.Context, tx *Tx, r *ticketRow, me *actor, acc *domain.AccountRef, lang string) error {
	if _, err := tx.Exec(ctx, `
		INSERT INTO pending_resets (ticket_id, account_kind, account_id, lang, requested_by, requested_session, requested_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (account_kind, account_id) WHERE state = 'pending' DO NOTHING`,
		r.ID, acc.Kind, acc.ID, mailtmpl.Language(lang), me.id, me.session, tx.now); err != nil {
		return dbError("hold password reset", err)
	}
	return Notify(ctx, tx, domain.TopicPendingReset, strconv.FormatInt(r.ID, 10))
}

// sendResetNotices tells the account that a reset was issued at the
// previous address when a staff change replaced it in the last 30 days.
// The current address is told by the link or code mail itself, which
// goes only there (a separate notice would break the link being the
// account's only mail of the reset, which the helpdesk's tests rely on).
func sendResetNotices(ctx context.Context, tx *Tx, kind string, id int64, current, lang string) error {
	cur := strings.ToLower(strings.TrimSpace(current))
	var addrs []string
	if kind == "platform_user" {
		var old string
		err := tx.QueryRow(ctx, `
			SELECT lower(old_value) FROM account_changes
			 WHERE user_id = $1 AND field = 'email' AND at > $2
			 ORDER BY at DESC, id DESC LIMIT 1`, id, tx.now.Add(-noticeLookback)).Scan(&old)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return dbError("read e-mail changes", err)
		}
		if old != "" && old != cur {
			addrs = append(addrs, old)
		}
	}
	for _, a := range addrs {
		if domain.ValidateEmail(a) != nil {
			continue
		}
		if _, err := enqueueMail(ctx, tx, a, lang, "account.reset_notice", map[string]string{"at": noticeTime(tx.now)}); err != nil {
			return err
		}
	}
	return nil
}
