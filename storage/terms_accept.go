package storage

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/viaa/ppp/domain"
)

// Limits of PendingAcceptances.
const (
	pendingDefaultLimit = 50
	pendingMaxLimit     = 500
)

// AcceptTerms records that the Platform user userID accepted version
// versionID, which must be the version in force; the Platform portal calls
// it when the user agrees. Accepting again changes nothing (the first
// acceptance's time stays). Acceptances are the users' own acts, kept in
// terms_acceptances with their time, and are not written to the audit
// log. It returns ENOTFOUND "terms.not_found" or "terms.user_not_found",
// and ECONFLICT "terms.not_in_force" when the version is not the one in
// force (a newer one was published while the user read it, or it was
// never published).
func (s *TermsService) AcceptTerms(ctx context.Context, userID, versionID int64) error {
	return s.db.inTx(ctx, "accept terms", func(tx *Tx) error {
		var state string
		// FOR SHARE: a publish superseding the version waits until this
		// acceptance has committed, or this one sees it superseded.
		err := tx.QueryRow(ctx, `SELECT state FROM terms_versions WHERE id = $1 FOR SHARE`, versionID).Scan(&state)
		if isNoRows(err) {
			return termsNotFound(versionID)
		}
		if err != nil {
			return dbError("read terms version", err)
		}
		if domain.TermsState(state) != domain.TermsPublished {
			return domain.Errorf(domain.ECONFLICT, "terms.not_in_force", "terms version #%d is not the version in force", versionID)
		}
		return insertAcceptance(ctx, tx, userID, versionID, tx.now)
	})
}

// insertAcceptance writes one acceptance, at the database's now() when at
// is zero. Named by the user, it lands on the user's person (the trigger
// of migration 0131), or on the user when they have no personal code.
func insertAcceptance(ctx context.Context, tx pgx.Tx, userID, versionID int64, at time.Time) error {
	var when *time.Time
	if !at.IsZero() {
		when = &at
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO terms_acceptances (user_id, version_id, accepted_at)
		VALUES ($1, $2, coalesce($3, now()))
		ON CONFLICT DO NOTHING`, userID, versionID, when)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" && strings.Contains(pgErr.ConstraintName, "user_id") {
		return joinf("accept terms", domain.Errorf(domain.ENOTFOUND, "terms.user_not_found", "Platform user #%d does not exist", userID), err)
	}
	return dbError("accept terms", err)
}

// TermsAcceptance counts, for version versionID, the Platform users who
// must accept it and those who have, in total and for each Platform role
// (every role of domain.AnnouncementAudiences, in that order, zeros
// included). Users whose access is denied (¶32) are left out: they cannot
// sign in to accept anything. A user is counted under each role they hold
// now (an assignment running and valid at the time of the call), so the
// roles' counts may add up to more or less than the total: users without
// a role, such as IMK holders, count in the total only. All counts come
// from one snapshot. It returns ENOTFOUND "terms.not_found".
func (s *TermsService) TermsAcceptance(ctx context.Context, versionID int64) (*domain.TermsAcceptance, error) {
	res := &domain.TermsAcceptance{VersionID: versionID}
	now := s.db.now()
	err := s.db.readTx(ctx, "count terms acceptances", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, editorGuard, domain.RoleEditor); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM terms_versions WHERE id = $1)`, versionID).Scan(&exists); err != nil {
			return dbError("count terms acceptances", err)
		}
		if !exists {
			return termsNotFound(versionID)
		}
		// The estimates of these counts cross the JIT threshold at
		// 100,000 users; compiling costs more than it saves here.
		if _, err := tx.Exec(ctx, `SET LOCAL jit = off`); err != nil {
			return dbError("count terms acceptances", err)
		}
		// Everyone less the denied (a partial index finds them), and the
		// users who accepted: through their person, or (no personal code,
		// ¶27.2) as users. A person's acceptance without an account (an
		// IMK client's) counts for nobody here.
		err := tx.QueryRow(ctx, `
			SELECT (SELECT count(*) FROM platform_users)
			     - (SELECT count(*) FROM platform_users WHERE sign_in_denied),
			       (SELECT count(*)
			          FROM terms_acceptances a JOIN platform_users u ON u.person_id = a.person_id
			         WHERE a.version_id = $1 AND a.person_id IS NOT NULL AND NOT u.sign_in_denied)
			     + (SELECT count(*)
			          FROM terms_acceptances a JOIN platform_users u ON u.id = a.user_id
			         WHERE a.version_id = $1 AND a.user_id IS NOT NULL AND NOT u.sign_in_denied)`, versionID).Scan(&res.Users, &res.Accepted)
		if err != nil {
			return dbError("count terms acceptances", err)
		}
		rows, err := tx.Query(ctx, `
			SELECT r.role, count(DISTINCT r.user_id), count(DISTINCT r.user_id) FILTER (WHERE `+userAccepted("u", "$1")+`)
			  FROM role_assignments r
			  JOIN platform_users u ON u.id = r.user_id
			 WHERE r.ended_at IS NULL AND r.valid_from <= $2 AND r.valid_until > $2
			   AND NOT u.sign_in_denied
			 GROUP BY r.role`, versionID, now)
		if err != nil {
			return dbError("count terms acceptances by role", err)
		}
		byRole := map[string]domain.RoleCount{}
		var c domain.RoleCount
		_, err = pgx.ForEachRow(rows, []any{&c.Role, &c.Users, &c.Accepted}, func() error {
			byRole[c.Role] = c
			return nil
		})
		if err != nil {
			return dbError("count terms acceptances by role", err)
		}
		for _, role := range domain.AnnouncementAudiences {
			rc := byRole[string(role)]
			rc.Role = string(role)
			res.ByRole = append(res.ByRole, rc)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// PendingAcceptances lists Platform users who have not accepted the
// version in force, by user id from afterUserID on (exclusive), at most
// limit of them (50 when zero or less, never more than 500): pass the
// last UserID of a page to get the next. Users whose access is denied
// are left out, as in TermsAcceptance. Each comes with the Platform roles
// they hold now and the number of the last version they accepted. It
// walks the user table's primary key and probes the acceptances' primary
// key, so a page costs the same at any depth. It returns ENOTFOUND
// "terms.none_in_force" when no version has been published.
func (s *TermsService) PendingAcceptances(ctx context.Context, afterUserID int64, limit int) ([]*domain.PendingAcceptance, error) {
	if _, err := loadCaller(ctx, s.db.pool, editorGuard, domain.RoleEditor); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = pendingDefaultLimit
	}
	limit = min(limit, pendingMaxLimit)
	now := s.db.now()
	var out []*domain.PendingAcceptance
	err := s.db.readTx(ctx, "list pending acceptances", func(tx *Tx) error {
		inForce, err := inForceID(ctx, tx, "")
		if err != nil {
			return err
		}
		if inForce == 0 {
			return noneInForce()
		}
		rows, err := tx.Query(ctx, `
			SELECT u.id, btrim(u.first_name || ' ' || u.last_name), u.email,
			       coalesce((SELECT array_agg(DISTINCT r.role ORDER BY r.role)
			                   FROM role_assignments r
			                  WHERE r.user_id = u.id AND r.ended_at IS NULL
			                    AND r.valid_from <= $4 AND r.valid_until > $4), '{}'),
			       coalesce((SELECT v.number
			                   FROM terms_acceptances a
			                   JOIN terms_versions v ON v.id = a.version_id
			                  WHERE a.person_id = u.person_id OR a.user_id = u.id
			                  ORDER BY v.published_at DESC
			                  LIMIT 1), '')
			  FROM platform_users u
			 WHERE u.id > $2 AND NOT u.sign_in_denied
			   AND NOT `+userAccepted("u", "$1")+`
			 ORDER BY u.id
			 LIMIT $3`, inForce, afterUserID, limit, now)
		if err != nil {
			return dbError("list pending acceptances", err)
		}
		var p domain.PendingAcceptance
		_, err = pgx.ForEachRow(rows, []any{&p.UserID, &p.Name, &p.Email, &p.Roles, &p.LastAccepted}, func() error {
			q := p
			q.Roles = slices.Clone(p.Roles)
			out = append(out, &q)
			return nil
		})
		if err != nil {
			return dbError("list pending acceptances", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// userAccepted is the SQL condition "the Platform user u accepted the
// version v": through their person, or, without a personal code (¶27.2),
// as a user. Each arm probes one unique index.
func userAccepted(u, v string) string {
	return `(EXISTS (SELECT FROM terms_acceptances a WHERE a.person_id = ` + u + `.person_id AND a.version_id = ` + v + `)
	      OR EXISTS (SELECT FROM terms_acceptances a WHERE a.user_id = ` + u + `.id AND a.version_id = ` + v + `))`
}
