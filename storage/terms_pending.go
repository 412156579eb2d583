package storage

import (
	"context"

	"github.com/viaa/ppp/domain"
)

// ¶26.2: a request or application whose person has not accepted the terms
// version in force cannot be approved (domain.TermsPending). Rows read
// for screens carry it through termsPendingJoin: per row, a probe of the
// one published version (a unique partial index) and of the acceptances'
// unique (person_id, version_id) index — the same joins in the page's one
// query, never a query per row. The deciding transactions read it with
// the row they lock; the version in force is locked FOR SHARE there
// (lockTermsInForce) so that a publish cannot slip between the check and
// the commit.

// termsPendingJoin is a LEFT JOIN LATERAL, alias tp, of the version in
// force when accepted (an SQL condition on it, tv) is false: the version
// the row's person has not accepted.
func termsPendingJoin(accepted string) string {
	return `
	LEFT JOIN LATERAL (SELECT tv.id, tv.number FROM terms_versions tv
	                    WHERE tv.state = 'published' AND NOT (` + accepted + `)) tp ON true`
}

// termsPendingColumns are what termsPendingScan reads of termsPendingJoin.
const termsPendingColumns = `coalesce(tp.id, 0), coalesce(tp.number, '')`

// imkTermsPendingJoin joins, to IMK application a, the version in force
// its person has not accepted.
var imkTermsPendingJoin = termsPendingJoin(
	`EXISTS (SELECT FROM terms_acceptances ta WHERE ta.person_id = a.person_id AND ta.version_id = tv.id)`)

// roleRequestTermsPendingJoin joins, to role request r, the version in
// force its applicant has not accepted: accepted with the submission (the
// request's own record; for a person, also theirs), by the person of the
// request's personal code (either code form) through the portal, or, for
// an institution user without one (¶27.2), by the user signing in with
// the request's e-mail address.
var roleRequestTermsPendingJoin = termsPendingJoin(
	`tv.id IS NOT DISTINCT FROM r.terms_version_id
	  OR EXISTS (SELECT FROM person_codes pc JOIN terms_acceptances ta ON ta.person_id = pc.person_id
	              WHERE pc.code = r.personal_code AND ta.version_id = tv.id)
	  OR EXISTS (SELECT FROM platform_users u JOIN terms_acceptances ta ON ta.user_id = u.id
	              WHERE u.kind = 'password' AND lower(u.email) = lower(r.email) AND ta.version_id = tv.id)`)

// termsPendingScan is the destination of termsPendingColumns.
type termsPendingScan struct {
	id     int64
	number string
}

func (p *termsPendingScan) dest() []any { return []any{&p.id, &p.number} }

// pending returns the scan as a domain.TermsPending, nil when accepted.
func (p *termsPendingScan) pending() *domain.TermsPending {
	if p.id == 0 {
		return nil
	}
	return &domain.TermsPending{VersionID: p.id, Number: p.number}
}

// lockTermsInForce locks the version in force, if any, against a publish
// superseding it until tx ends: a decision that found it accepted commits
// before the publish, or waits and is refused after it. It returns
// nothing else.
func lockTermsInForce(ctx context.Context, tx *Tx) error {
	_, err := tx.Exec(ctx, `SELECT id FROM terms_versions WHERE state = 'published' FOR SHARE`)
	return dbError("lock the terms in force", err)
}

// roleRequestTermsPending locks the version in force (lockTermsInForce)
// and returns the one the applicant of role request id has not accepted,
// or nil. ENOTFOUND "rolerequest.not_found".
func roleRequestTermsPending(ctx context.Context, tx *Tx, id int64) (*domain.TermsPending, error) {
	return rowTermsPending(ctx, tx, `role_requests r`+roleRequestTermsPendingJoin+` WHERE r.id = $1`, id, roleRequestNotFound)
}

// imkTermsPending locks the version in force (lockTermsInForce) and
// returns the one the person of IMK application id has not accepted, or
// nil. ENOTFOUND "imk.not_found".
func imkTermsPending(ctx context.Context, tx *Tx, id int64) (*domain.TermsPending, error) {
	return rowTermsPending(ctx, tx, `imk_applications a`+imkTermsPendingJoin+` WHERE a.id = $1`, id, imkNotFound)
}

// rowTermsPending locks the version in force (lockTermsInForce) and reads
// termsPendingColumns from the row with id $1 of from (a FROM clause with
// its termsPendingJoin), or notFound(id) when there is no such row.
func rowTermsPending(ctx context.Context, tx *Tx, from string, id int64, notFound func(int64) error) (*domain.TermsPending, error) {
	if err := lockTermsInForce(ctx, tx); err != nil {
		return nil, err
	}
	var p termsPendingScan
	err := tx.QueryRow(ctx, `SELECT `+termsPendingColumns+` FROM `+from, id).Scan(p.dest()...)
	if isNoRows(err) {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, dbError("read the applicant's acceptance of the terms", err)
	}
	return p.pending(), nil
}
