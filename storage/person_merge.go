package storage

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// Person merge conflicts (issue 16 left them, issue 17 resolves them): two
// person records the Population Register linked that linkPersonCodes did
// not merge, because both have a Platform account or both an active IMK.
// A security officer or administrator compares them and either merges
// them, choosing the account that stays (the other is ended with the
// reason and leaves its person), or says they are not one person.

// PersonMergeService implements domain.PersonMergeService on PostgreSQL.
// Each method needs an operator with the security or admin role
// (EUNAUTHORIZED "defence.no_operator", EFORBIDDEN "defence.forbidden").
type PersonMergeService struct {
	db *DB
}

var _ domain.PersonMergeService = (*PersonMergeService)(nil)

// NewPersonMergeService returns a PersonMergeService on db.
func NewPersonMergeService(db *DB) *PersonMergeService {
	return &PersonMergeService{db: db}
}

// mergeSide is the query of one side of a conflict, for the person whose
// id is the SQL expression person (a parameter, or a column of the
// conflict when the side is a LATERAL subquery): the person, their account
// (not an ended one; a person has one at most) and their IMK applications'
// states, newest first, and whether one of them is active (states: the
// parameter holding imkActiveStates). Its columns scan into scanSide.
func mergeSide(person, states string) string {
	return `
	SELECT p.id, p.personal_code, trim(p.first_name || ' ' || p.last_name),
	       coalesce(u.id, 0), coalesce(u.email, ''), coalesce(u.kind, ''),
	       coalesce((SELECT array_agg(a.state ORDER BY a.applied_at DESC, a.id DESC)
	                   FROM imk_applications a WHERE a.person_id = p.id), '{}'),
	       EXISTS (SELECT FROM imk_applications a WHERE a.person_id = p.id AND a.state = ANY (` + states + `::text[]))
	  FROM persons p
	  LEFT JOIN platform_users u ON u.person_id = p.id AND u.ended_at IS NULL
	 WHERE p.id = ` + person
}

// sideScan is what a row of mergeSide scans into; done masks the code.
type sideScan struct {
	side domain.MergeSide
	code string
}

func (s *sideScan) dest() []any {
	d := &s.side
	return []any{&d.PersonID, &s.code, &d.Name, &d.UserID, &d.AccountEmail, &d.AccountKind, &d.IMKStates, &d.ActiveIMK}
}

func (s *sideScan) done() domain.MergeSide {
	s.side.MaskedCode = domain.MaskPersonalCode(s.code)
	return s.side
}

func readMergeSide(ctx context.Context, tx *Tx, personID int64) (domain.MergeSide, error) {
	var s sideScan
	err := tx.QueryRow(ctx, mergeSide("$1", "$2"), personID, imkActiveStates).Scan(s.dest()...)
	return s.done(), dbError("read a merge conflict's person", err)
}

// readConflict reads conflict id (locking its row when lock) with both
// sides; ENOTFOUND "merge.not_found".
func readConflict(ctx context.Context, tx *Tx, id int64, lock bool) (*domain.MergeConflict, error) {
	c := &domain.MergeConflict{ID: id}
	var from, into int64
	var resolution *string
	var resolved *time.Time
	sql := `SELECT person_id, other_id, reason, found_at, resolution, resolved_at FROM person_merge_conflicts WHERE id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	err := tx.QueryRow(ctx, sql, id).Scan(&from, &into, &c.Why, &c.FoundAt, &resolution, &resolved)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "merge.not_found", "no merge conflict %d", id)
	}
	if err != nil {
		return nil, dbError("read a merge conflict", err)
	}
	if resolution != nil {
		c.Resolution = *resolution
	}
	if resolved != nil {
		c.ResolvedAt = *resolved
	}
	if c.Resolution != "" {
		// The records may be one now: nothing more to compare.
		c.From.PersonID, c.Into.PersonID = from, into
		return c, nil
	}
	if c.From, err = readMergeSide(ctx, tx, from); err != nil {
		return nil, err
	}
	if c.Into, err = readMergeSide(ctx, tx, into); err != nil {
		return nil, err
	}
	return c, nil
}

// mergeConflictsShown bounds the open conflicts listed at once.
const mergeConflictsShown = 500

// OpenMergeConflicts lists the conflicts not yet resolved, oldest first
// (at most mergeConflictsShown), each with both records (codes masked),
// in one query. It returns the errors of loadActor.
func (s *PersonMergeService) OpenMergeConflicts(ctx context.Context) ([]*domain.MergeConflict, error) {
	var out []*domain.MergeConflict
	err := s.db.readTx(ctx, "list merge conflicts", func(tx *Tx) error {
		if _, err := loadActor(ctx, tx, defenceGuard, domain.RoleSecurity, domain.RoleAdmin); err != nil {
			return err
		}
		// One query for the page: both sides of every conflict, as
		// readConflict reads one.
		rows, err := tx.Query(ctx, `
			SELECT c.id, c.reason, c.found_at, f.*, i.*
			  FROM person_merge_conflicts c
			 CROSS JOIN LATERAL (`+mergeSide("c.person_id", "$1")+`) f
			 CROSS JOIN LATERAL (`+mergeSide("c.other_id", "$1")+`) i
			 WHERE c.resolved_at IS NULL
			 ORDER BY c.found_at, c.id LIMIT $2`, imkActiveStates, mergeConflictsShown)
		if err != nil {
			return dbError("list merge conflicts", err)
		}
		defer rows.Close()
		for rows.Next() {
			c := &domain.MergeConflict{}
			var from, into sideScan
			if err := rows.Scan(append(append([]any{&c.ID, &c.Why, &c.FoundAt}, from.dest()...), into.dest()...)...); err != nil {
				return dbError("list merge conflicts", err)
			}
			c.From, c.Into = from.done(), into.done()
			out = append(out, c)
		}
		return dbError("list merge conflicts", rows.Err())
	})
	return out, err
}

// ResolveMergeConflict resolves a conflict as the operator says, with
// their reason. A merge ends the account not kept (it signs in no more,
// loses its personal code and leaves its person, with the reason), folds
// the older record into the other (foldPerson) and audits both; "distinct"
// only records the answer, so the next register import leaves the pair
// alone. It returns the errors of domain.MergeConflict.CheckResolution
// (ECONFLICT "merge.resolved" for the second of two operators),
// ENOTFOUND "merge.not_found", and the errors of loadActor.
func (s *PersonMergeService) ResolveMergeConflict(ctx context.Context, r domain.MergeResolution) error {
	return s.db.inTx(ctx, "resolve merge conflict", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, defenceGuard, domain.RoleSecurity, domain.RoleAdmin)
		if err != nil {
			return err
		}
		c, err := readConflict(ctx, tx, r.ConflictID, true)
		if err != nil {
			return err
		}
		if err := c.CheckResolution(&r); err != nil {
			return err
		}
		details := "conflict=" + idText(c.ID) + "; person " + idText(c.From.PersonID) + " and person " + idText(c.Into.PersonID)
		if r.Outcome == domain.MergeDistinct {
			if _, err := tx.Exec(ctx, `
				UPDATE person_merge_conflicts
				   SET resolution = 'distinct', resolved_at = $2, resolved_by = $3, resolution_reason = $4
				 WHERE id = $1`, c.ID, tx.now, me.id, r.Reason); err != nil {
				return dbError("resolve merge conflict", err)
			}
			return appendAudit(ctx, tx, &domain.AuditEntry{
				Action: domain.AuditPersonMergeDistinct, SubjectKind: "person", SubjectID: idText(c.Into.PersonID),
				Reason: r.Reason, Details: details + ": not the same person",
			})
		}
		ended := c.EndedUserID(&r)
		kept := r.KeepUserID
		if kept == 0 {
			kept = max(c.From.UserID, c.Into.UserID)
		}
		if ended != 0 {
			if _, err := tx.Exec(ctx, `
				UPDATE platform_users
				   SET ended_at = $2, ended_reason = $3, ended_person_id = person_id, personal_code = NULL,
				       sign_in_denied = true, updated_at = $2
				 WHERE id = $1`, ended, tx.now, r.Reason); err != nil {
				return dbError("end account", err)
			}
			if err := appendAudit(ctx, tx, &domain.AuditEntry{
				Action: domain.AuditAccountEnded, SubjectKind: "platform_user", SubjectID: idText(ended),
				Reason: r.Reason, Details: details + "; kept account " + idText(kept),
			}); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `
			UPDATE person_merge_conflicts
			   SET resolution = 'merged', resolved_at = $2, resolved_by = $3, resolution_reason = $4,
			       kept_user_id = nullif($5, 0), ended_user_id = nullif($6, 0), merged_person_id = person_id
			 WHERE id = $1`, c.ID, tx.now, me.id, r.Reason, kept, ended); err != nil {
			return dbError("resolve merge conflict", err)
		}
		if err := foldPerson(ctx, tx, c.From.PersonID, c.Into.PersonID); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditPersonMergeResolve, SubjectKind: "person", SubjectID: idText(c.Into.PersonID),
			Reason: r.Reason, Details: details + ": merged into person " + idText(c.Into.PersonID) + "; kept account " + idText(kept),
		})
	})
}
