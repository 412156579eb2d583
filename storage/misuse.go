package storage

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// MisuseService implements domain.MisuseService on PostgreSQL
// (migrations/0330_misuse_signals.sql). The signals are raised by the
// sweep "misuse-signals" (sweep_misuse.go).
type MisuseService struct{ db *DB }

// NewMisuseService returns the service on db.
func NewMisuseService(db *DB) *MisuseService { return &MisuseService{db: db} }

var misuseAdminGuard = guard{
	noOperator: domain.Errorf(domain.EUNAUTHORIZED, "access.no_operator", "only a signed-in operator can do this"),
	forbidden:  domain.Errorf(domain.EFORBIDDEN, "misuse.not_admin", "the thresholds are changed by administrators"),
}

const misuseSignalSelect = `
	SELECT s.id, s.kind, s.key, s.subject, s.count, s.threshold, s.window_start, s.window_end, s.raised_at,
	       s.evidence, coalesce(s.closed_by, 0), coalesce(nullif(c.full_name, ''), c.name, ''), s.closed_at, s.note
	  FROM misuse_signals s LEFT JOIN operators c ON c.id = s.closed_by`

func scanMisuseSignal(row pgx.CollectableRow) (*domain.MisuseSignal, error) {
	s := &domain.MisuseSignal{}
	var kind string
	var closed *time.Time
	err := row.Scan(&s.ID, &kind, &s.Key, &s.Subject, &s.Count, &s.Threshold, &s.WindowStart, &s.WindowEnd,
		&s.RaisedAt, &s.Evidence, &s.ClosedBy, &s.ClosedByName, &closed, &s.Note)
	s.Kind = domain.MisuseKind(kind)
	if closed != nil {
		s.ClosedAt = *closed
	}
	return s, err
}

// OpenMisuseSignals lists the signals not yet closed, newest first
// (security role). It returns EFORBIDDEN "defence.forbidden" and
// EUNAUTHORIZED "defence.no_operator".
func (s *MisuseService) OpenMisuseSignals(ctx context.Context) ([]*domain.MisuseSignal, error) {
	var out []*domain.MisuseSignal
	err := s.db.readTx(ctx, "list misuse signals", func(tx *Tx) error {
		if _, err := loadActor(ctx, tx, defenceGuard, domain.RoleSecurity); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, misuseSignalSelect+` WHERE s.closed_at IS NULL ORDER BY s.raised_at DESC, s.id DESC LIMIT 500`)
		if err != nil {
			return dbError("list misuse signals", err)
		}
		out, err = pgx.CollectRows(rows, scanMisuseSignal)
		return dbError("list misuse signals", err)
	})
	return out, err
}

// CloseMisuseSignal closes a signal with a note (security role), audited.
// It returns EINVALID "defence.note_required", ENOTFOUND
// "misuse.not_found", ECONFLICT "misuse.closed", EFORBIDDEN
// "defence.forbidden".
func (s *MisuseService) CloseMisuseSignal(ctx context.Context, id int64, note string) error {
	note, err := domain.CheckDefenceNote(note)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "close misuse signal", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, defenceGuard, domain.RoleSecurity)
		if err != nil {
			return err
		}
		var closed *time.Time
		var kind string
		err = tx.QueryRow(ctx, `SELECT closed_at, kind FROM misuse_signals WHERE id = $1 FOR UPDATE`, id).Scan(&closed, &kind)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "misuse.not_found", "no misuse signal %d", id)
		}
		if err != nil {
			return dbError("read misuse signal", err)
		}
		sig := domain.MisuseSignal{}
		if closed != nil {
			sig.ClosedAt = *closed
		}
		if err := sig.CloseBlocker(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE misuse_signals SET closed_by = $2, closed_at = $3, note = $4 WHERE id = $1`,
			id, me.id, tx.now, note); err != nil {
			return dbError("close misuse signal", err)
		}
		if err := Notify(ctx, tx, domain.TopicMisuseSignal, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditMisuseClose, SubjectKind: "misuse_signal", SubjectID: strconv.FormatInt(id, 10),
			Reason: note, Details: "kind=" + kind,
		})
	})
}

// MisuseThresholds returns the thresholds in domain.MisuseKinds order
// (security or admin role, or the command line). It returns EFORBIDDEN
// "misuse.not_admin".
func (s *MisuseService) MisuseThresholds(ctx context.Context) ([]domain.MisuseThreshold, error) {
	if _, err := loadCaller(ctx, s.db.pool, misuseAdminGuard, domain.RoleSecurity, domain.RoleAdmin); err != nil {
		return nil, err
	}
	return readMisuseThresholds(ctx, s.db.pool)
}

// readMisuseThresholds reads the policy; a kind without a row has its
// default.
func readMisuseThresholds(ctx context.Context, q interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}) ([]domain.MisuseThreshold, error) {
	got := map[domain.MisuseKind]domain.MisuseThreshold{}
	rows, err := q.Query(ctx, `
		SELECT p.kind, p.threshold, p.window_minutes, p.changed_at, coalesce(nullif(o.full_name, ''), o.name, '')
		  FROM misuse_policy p LEFT JOIN operators o ON o.id = p.changed_by`)
	if err != nil {
		return nil, dbError("read misuse thresholds", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t domain.MisuseThreshold
		var kind string
		var minutes int
		if err := rows.Scan(&kind, &t.Threshold, &minutes, &t.ChangedAt, &t.ChangedByName); err != nil {
			return nil, dbError("read misuse thresholds", err)
		}
		t.Kind, t.Window, t.ChangedAt = domain.MisuseKind(kind), time.Duration(minutes)*time.Minute, t.ChangedAt.UTC()
		got[t.Kind] = t
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("read misuse thresholds", err)
	}
	out := domain.DefaultMisuseThresholds()
	for i, d := range out {
		if t, ok := got[d.Kind]; ok {
			out[i] = t
		}
	}
	return out, nil
}

// SetMisuseThreshold changes one kind's threshold and window, audited with
// the old and new values (admin role, or the command line). It returns
// domain.CheckMisuseThreshold's EINVALID and EFORBIDDEN "misuse.not_admin".
func (s *MisuseService) SetMisuseThreshold(ctx context.Context, kind domain.MisuseKind, threshold int, window time.Duration) (domain.MisuseThreshold, error) {
	if err := domain.CheckMisuseThreshold(kind, threshold, window); err != nil {
		return domain.MisuseThreshold{}, err
	}
	var out domain.MisuseThreshold
	err := s.db.inTx(ctx, "set misuse threshold", func(tx *Tx) error {
		me, err := loadCaller(ctx, tx, misuseAdminGuard, domain.RoleAdmin)
		if err != nil {
			return err
		}
		var by *int64
		if !me.machine() {
			by = &me.id
		}
		minutes := int(window / time.Minute)
		var oldT, oldM int
		err = tx.QueryRow(ctx, `SELECT threshold, window_minutes FROM misuse_policy WHERE kind = $1 FOR UPDATE`, string(kind)).Scan(&oldT, &oldM)
		if errors.Is(err, pgx.ErrNoRows) {
			err = nil
		}
		if err != nil {
			return dbError("set misuse threshold", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO misuse_policy (kind, threshold, window_minutes, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (kind) DO UPDATE SET threshold = excluded.threshold, window_minutes = excluded.window_minutes,
			       changed_at = excluded.changed_at, changed_by = excluded.changed_by`,
			string(kind), threshold, minutes, tx.now, by); err != nil {
			return dbError("set misuse threshold", err)
		}
		if err := appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditMisuseThreshold, SubjectKind: "policy",
			SubjectID: "misuse_" + string(kind),
			Details: "threshold " + strconv.Itoa(oldT) + " → " + strconv.Itoa(threshold) +
				"; window_minutes " + strconv.Itoa(oldM) + " → " + strconv.Itoa(minutes)}); err != nil {
			return err
		}
		all, err := readMisuseThresholds(ctx, tx)
		for _, t := range all {
			if t.Kind == kind {
				out = t
			}
		}
		return err
	})
	return out, err
}
