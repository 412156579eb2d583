package storage

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// One person, one record (issue 16). A natural person is a row of persons
// (migration 0130); person_codes maps each code they are known by to it.
// Platform users, IMK applications and acceptances get their person from
// the code in the database (person_for_code, by trigger), so no writer can
// forget. What the Go side does is follow the Population Register when it
// says that two codes name one person (population_register.current_code).

// linkPersonCodes follows the links an import of the Population Register
// brought (importID): for each row naming a current code other than its
// own, the two codes come to name one person.
//
//   - Neither code names a person yet: nothing to do; whoever first writes
//     either code gets the person person_for_code finds through the link.
//   - One does: the other code is added to that person (Linked), and the
//     person's personal_code becomes the current one.
//   - Both name different persons: the older record (the old code's) is
//     merged into the current code's (Merged): its IMK applications,
//     acceptances, codes and Platform account move over, the death-check
//     state keeps the more telling of the two (a death, the later check,
//     the earlier due time), and the merge is audited. When both persons
//     have a Platform account, or both an active IMK, a merge would fold
//     two accounts (or two applications) a person made into one without
//     anyone looking: the pair is recorded in person_merge_conflicts and
//     audited instead (Conflicts), for a person to resolve.
//
// A code that names no person never appears in the audit log; persons are
// named by id.
func linkPersonCodes(ctx context.Context, tx *Tx, importID int64, res *ImportResult) error {
	rows, err := tx.Query(ctx, `
		SELECT r.personal_code, r.current_code, a.person_id, b.person_id
		  FROM population_register r
		  LEFT JOIN person_codes a ON a.code = r.personal_code
		  LEFT JOIN person_codes b ON b.code = r.current_code
		 WHERE r.import_id = $1 AND r.current_code <> ''
		   AND (a.person_id IS NOT NULL OR b.person_id IS NOT NULL)
		   AND a.person_id IS DISTINCT FROM b.person_id
		 ORDER BY r.personal_code`, importID)
	if err != nil {
		return dbError("link persons' codes", err)
	}
	type link struct {
		old, current string
		a, b         *int64
	}
	var links []link
	var l link
	if _, err := pgx.ForEachRow(rows, []any{&l.old, &l.current, &l.a, &l.b}, func() error {
		links = append(links, link{l.old, l.current, clonePtr(l.a), clonePtr(l.b)})
		return nil
	}); err != nil {
		return dbError("link persons' codes", err)
	}
	for _, l := range links {
		switch {
		case l.b == nil:
			if err := addPersonCode(ctx, tx, *l.a, l.current, true); err != nil {
				return err
			}
			res.Linked++
		case l.a == nil:
			if err := addPersonCode(ctx, tx, *l.b, l.old, false); err != nil {
				return err
			}
			res.Linked++
		default:
			merged, err := mergePersons(ctx, tx, *l.a, *l.b, importID)
			if err != nil {
				return err
			}
			if merged {
				res.Merged++
			} else {
				res.Conflicts++
			}
		}
	}
	return nil
}

// addPersonCode adds code to person id; current makes it their personal
// code.
func addPersonCode(ctx context.Context, tx *Tx, id int64, code string, current bool) error {
	if _, err := tx.Exec(ctx, `INSERT INTO person_codes (code, person_id) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING`, code, id); err != nil {
		return dbError("link persons' codes", err)
	}
	if current {
		if _, err := tx.Exec(ctx, `UPDATE persons SET personal_code = $2, updated_at = $3 WHERE id = $1`, id, code, tx.now); err != nil {
			return dbError("link persons' codes", err)
		}
	}
	return nil
}

// mergePersons merges person from into person into (see linkPersonCodes)
// and reports whether it did; when it cannot, it records the conflict.
func mergePersons(ctx context.Context, tx *Tx, from, into, importID int64) (bool, error) {
	var users, activeIMK int
	if err := tx.QueryRow(ctx, `
		SELECT (SELECT count(DISTINCT person_id) FROM platform_users WHERE person_id IN ($1, $2)),
		       (SELECT count(DISTINCT person_id) FROM imk_applications WHERE person_id IN ($1, $2) AND state = ANY ($3::text[]))`,
		from, into, imkActiveStates).Scan(&users, &activeIMK); err != nil {
		return false, dbError("merge persons", err)
	}
	if users > 1 || activeIMK > 1 {
		reason := "both have a Platform account"
		if users <= 1 {
			reason = "both have an active IMK"
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO person_merge_conflicts (person_id, other_id, import_id, found_at, reason)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id, other_id) DO NOTHING`, from, into, importID, tx.now, reason)
		if err != nil {
			return false, dbError("record a merge conflict", err)
		}
		if tag.RowsAffected() == 0 {
			return false, nil
		}
		return false, appendAudit(ctx, tx, &domain.AuditEntry{
			ActorName: "system", Action: domain.AuditPersonMergeConflict, SubjectKind: "person", SubjectID: strconv.FormatInt(into, 10),
			Details: "person " + strconv.FormatInt(from, 10) + " is the same person (Population Register); not merged: " + reason,
		})
	}
	if err := foldPerson(ctx, tx, from, into); err != nil {
		return false, err
	}
	return true, appendAudit(ctx, tx, &domain.AuditEntry{
		ActorName: "system", Action: domain.AuditPersonMerged, SubjectKind: "person", SubjectID: strconv.FormatInt(into, 10),
		Details: "person " + strconv.FormatInt(from, 10) + " merged into it: the Population Register names both codes as one person",
	})
}

// foldPerson moves everything of person from into person into and deletes
// from: its IMK applications, acceptances, codes and Platform account (the
// caller sees that into has none, or ended one of them), and the
// death-check state keeps the more telling of the two.
func foldPerson(ctx context.Context, tx *Tx, from, into int64) error {
	if _, err := tx.Exec(ctx, `
		UPDATE persons i
		    SET deceased_on = coalesce(i.deceased_on, f.deceased_on),
		        last_death_check_at = greatest(i.last_death_check_at, f.last_death_check_at),
		        death_check_due_at = least(i.death_check_due_at, f.death_check_due_at),
		        first_name = CASE WHEN i.first_name = '' THEN f.first_name ELSE i.first_name END,
		        last_name = CASE WHEN i.last_name = '' THEN f.last_name ELSE i.last_name END,
		        created_at = least(i.created_at, f.created_at), updated_at = $3
		   FROM persons f WHERE i.id = $2 AND f.id = $1`, from, into, tx.now); err != nil {
		return dbError("merge persons", err)
	}
	for _, sql := range []string{
		`UPDATE platform_users SET person_id = $2 WHERE person_id = $1`,
		`UPDATE imk_applications SET person_id = $2 WHERE person_id = $1`,
		`SELECT terms_acceptances_merge($1, $2)`,
		`UPDATE person_merge_conflicts SET person_id = $2 WHERE person_id = $1`,
		`UPDATE person_merge_conflicts SET other_id = $2 WHERE other_id = $1`,
		`UPDATE person_codes SET person_id = $2 WHERE person_id = $1`,
		`DELETE FROM persons WHERE id = $1 AND $2::bigint IS NOT NULL`,
	} {
		if _, err := tx.Exec(ctx, sql, from, into); err != nil {
			return dbError("merge persons", err)
		}
	}
	return nil
}
