package storage

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/viaa/ppp/domain"
)

// The change-feed topics of terms versions and announcements: every change
// is announced as "terms:<id>" or "announcement:<id>", ids only.
const (
	termsTopic        = domain.TopicTerms
	announcementTopic = domain.TopicAnnouncement
)

// termsPublishLockKey is 'ppp_term' as a big-endian integer: publishes take
// turns on this transaction-level advisory lock, so each one reads the
// version in force its predecessor committed. The unique index on the
// published row stays the guarantee; the lock makes the loser's error the
// clear one.
const termsPublishLockKey int64 = 8102099284916531821

// TermsService is the editor's work on the terms of use (¶16, ¶33) and the
// Platform's side of accepting them (¶26.2). It implements
// domain.TermsService: every change is audited and announced on the
// change feed (topic "terms", ids only) in its transaction.
//
// Every method of the interface needs the editor role (EUNAUTHORIZED
// "editor.no_operator", EFORBIDDEN "editor.not_editor"); writing needs an
// operator, reading may be the back office itself.
type TermsService struct {
	db *DB
}

var _ domain.TermsService = (*TermsService)(nil)

// NewTermsService returns a TermsService on db.
func NewTermsService(db *DB) *TermsService { return &TermsService{db: db} }

// termsColumns are read by scanTerms, in its order, from terms_versions t
// joined by termsJoins; withText chooses between the text and ”.
func termsColumns(withText bool) string {
	text := "''"
	if withText {
		text = "t.text"
	}
	return `t.id, t.number, t.title, ` + text + `, t.summary, t.state, coalesce(t.based_on, 0),
		t.drafted_by, coalesce(nullif(d.full_name, ''), d.name),
		coalesce(t.approved_by, 0), coalesce(nullif(a.full_name, ''), a.name, ''),
		t.created_at, t.updated_at, t.published_at, t.version, t.return_note, t.contributors`
}

// termsJoins names what termsColumns reads besides the row.
const termsJoins = `
	JOIN      operators d ON d.id = t.drafted_by
	LEFT JOIN operators a ON a.id = t.approved_by`

// scanTerms reads termsColumns.
func scanTerms(row pgx.Row) (*domain.TermsVersion, error) {
	var v domain.TermsVersion
	var state string
	var published *time.Time
	err := row.Scan(&v.ID, &v.Number, &v.Title, &v.Text, &v.Summary, &state, &v.BasedOn,
		&v.DraftedBy, &v.DraftedByName, &v.ApprovedBy, &v.ApprovedName,
		&v.CreatedAt, &v.UpdatedAt, &published, &v.Version, &v.ReturnNote, &v.Contributors)
	if err != nil {
		return nil, err
	}
	v.State = domain.TermsState(state)
	v.CreatedAt, v.UpdatedAt, v.PublishedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC(), utcOrZero(published)
	return &v, nil
}

// ListTermsVersions returns every version, newest first, without their
// texts (FindTermsVersion reads one with its text). It returns
// EUNAVAILABLE when the database does not answer.
func (s *TermsService) ListTermsVersions(ctx context.Context) ([]*domain.TermsVersion, error) {
	if _, err := loadCaller(ctx, s.db.pool, editorGuard, domain.RoleEditor); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, `SELECT `+termsColumns(false)+` FROM terms_versions t `+termsJoins+`
		ORDER BY t.id DESC`)
	if err != nil {
		return nil, dbError("list terms versions", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.TermsVersion, error) {
		return scanTerms(row)
	})
	if err != nil {
		return nil, dbError("list terms versions", err)
	}
	return list, nil
}

// FindTermsVersion returns one version with its text. It returns
// ENOTFOUND "terms.not_found".
func (s *TermsService) FindTermsVersion(ctx context.Context, id int64) (*domain.TermsVersion, error) {
	if _, err := loadCaller(ctx, s.db.pool, editorGuard, domain.RoleEditor); err != nil {
		return nil, err
	}
	v, err := scanTerms(s.db.pool.QueryRow(ctx, `SELECT `+termsColumns(true)+` FROM terms_versions t `+termsJoins+`
		WHERE t.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, termsNotFound(id)
	}
	if err != nil {
		return nil, dbError("read terms version", err)
	}
	return v, nil
}

// TermsInForce returns the published version in force, with its text. It
// returns ENOTFOUND "terms.none_in_force" when none has been published
// yet.
func (s *TermsService) TermsInForce(ctx context.Context) (*domain.TermsVersion, error) {
	if _, err := loadCaller(ctx, s.db.pool, editorGuard, domain.RoleEditor); err != nil {
		return nil, err
	}
	v, err := scanTerms(s.db.pool.QueryRow(ctx, `SELECT `+termsColumns(true)+` FROM terms_versions t `+termsJoins+`
		WHERE t.state = 'published'`))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, noneInForce()
	}
	if err != nil {
		return nil, dbError("read the terms in force", err)
	}
	return v, nil
}

// termsNotFound is the error of a version that does not exist.
func termsNotFound(id int64) error {
	return domain.Errorf(domain.ENOTFOUND, "terms.not_found", "terms version #%d does not exist", id)
}

// noneInForce is the error when no version has been published.
func noneInForce() error {
	return domain.Errorf(domain.ENOTFOUND, "terms.none_in_force", "no terms version is in force yet")
}

// termsError maps the constraints a terms change can run into to errors
// an editor can act on, and anything else as dbError does.
func termsError(what string, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.ConstraintName {
		case "terms_versions_number_key":
			return joinf(what, domain.AsError(domain.TermsNumberTaken()), err)
		case "terms_versions_one_in_force":
			return joinf(what, domain.AsError(domain.TermsPublishedMeanwhile()), err)
		case "terms_versions_four_eyes":
			return joinf(what, domain.AsError(domain.TermsOwnDraft()), err)
		}
	}
	return dbError(what, err)
}

// lockTerms reads version id inside tx (its text only withText) and locks
// it until tx ends, or returns ENOTFOUND "terms.not_found".
func lockTerms(ctx context.Context, tx *Tx, id int64, withText bool) (*domain.TermsVersion, error) {
	text := "''"
	if withText {
		text = "text"
	}
	var v domain.TermsVersion
	var state string
	err := tx.QueryRow(ctx, `
		SELECT id, number, title, `+text+`, summary, state, coalesce(based_on, 0), drafted_by, contributors, version
		  FROM terms_versions
		 WHERE id = $1
		   FOR UPDATE`, id).Scan(&v.ID, &v.Number, &v.Title, &v.Text, &v.Summary, &state, &v.BasedOn,
		&v.DraftedBy, &v.Contributors, &v.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, termsNotFound(id)
	}
	if err != nil {
		return nil, dbError("read terms version", err)
	}
	v.State = domain.TermsState(state)
	return &v, nil
}

// inForceID returns the id of the version in force read inside tx, or 0.
// With lock, the row is locked against a concurrent supersede.
func inForceID(ctx context.Context, tx *Tx, lock string) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM terms_versions WHERE state = 'published' `+lock).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, dbError("read the terms in force", err)
	}
	return id, nil
}

// isNoRows reports whether err says a query found no row.
func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// idText writes an id for the audit log and the change feed.
func idText(id int64) string { return strconv.FormatInt(id, 10) }
