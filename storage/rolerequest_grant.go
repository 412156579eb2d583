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

// granter is who grants a role: an agency reviewer, or an institution
// deciding on its own career consultant (¶29.3).
type granter struct {
	operatorID    int64
	institutionID int64
}

// ids returns the granter as the two nullable columns of role_assignments.
func (g granter) ids() (*int64, *int64) {
	var op, inst *int64
	if g.operatorID > 0 {
		op = &g.operatorID
	}
	if g.institutionID > 0 {
		inst = &g.institutionID
	}
	return op, inst
}

// grantRole carries out an approval of r inside tx: it activates the
// institution an institution's registration names, creates the Platform
// user unless the person has one already, ends a running assignment of
// the same role in the same scope (a renewal replaces it), and inserts the
// new assignment, valid from now until until. A career consultant's role
// is scoped to the institution only when that institution grants it
// (¶29.3; the database refuses any other, migration 0170). It returns the
// assignment's id.
func grantRole(ctx context.Context, tx *Tx, r *requestRow, by granter, until time.Time) (int64, error) {
	var userID int64
	var institution *int64
	var municipality *string
	var err error
	switch r.kind {
	case domain.KindInstitution:
		var id int64
		if id, err = activateInstitution(ctx, tx, r); err != nil {
			return 0, err
		}
		institution = &id
		userID, err = passwordUser(ctx, tx, r, id)
	case domain.KindInstitutionStaff:
		if r.institutionID == nil {
			return 0, domain.Errorf(domain.EINTERNAL, "", "staff request #%d names no institution", r.id)
		}
		if err = checkInstitutionActive(ctx, tx, *r.institutionID); err != nil {
			return 0, err
		}
		institution = r.institutionID
		userID, err = passwordUser(ctx, tx, r, *r.institutionID)
	case domain.KindMunicipalCoordinator, domain.KindAdultEducationCoordinator:
		municipality = r.municipality
		userID, err = vissUser(ctx, tx, r)
	case domain.KindCareerConsultant:
		// ¶29.3: the institution's scope only by the institution's own
		// approval; the Agency approves the consultant without it.
		if r.institutionID != nil && by.institutionID == *r.institutionID {
			institution = r.institutionID
		}
		userID, err = vissUser(ctx, tx, r)
	default:
		return 0, domain.Errorf(domain.EINTERNAL, "", "request #%d has an unknown kind", r.id)
	}
	if err != nil {
		return 0, err
	}

	role := string(r.kind.PlatformRole())
	_, err = tx.Exec(ctx, `
		UPDATE role_assignments
		   SET ended_at = $5, end_reason = $6
		 WHERE user_id = $1 AND role = $2
		   AND institution_id IS NOT DISTINCT FROM $3
		   AND municipality_code IS NOT DISTINCT FROM $4
		   AND ended_at IS NULL`,
		userID, role, institution, municipality, tx.now, "replaced by role request #"+strconv.FormatInt(r.id, 10))
	if err != nil {
		return 0, dbError("end the replaced role assignment", err)
	}
	byOperator, byInstitution := by.ids()
	var id int64
	err = tx.QueryRow(ctx, `
		INSERT INTO role_assignments (user_id, role, institution_id, municipality_code, valid_from, valid_until,
		                              granted_by, granted_by_institution, request_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $5)
		RETURNING id`,
		userID, role, institution, municipality, tx.now, until, byOperator, byInstitution, r.id).Scan(&id)
	if err != nil {
		return 0, grantError("grant role", err)
	}
	return id, nil
}

// activateInstitution registers the institution of an approved
// registration request as active and links the request to it. It returns
// ECONFLICT "rolerequest.institution_exists" when an active institution
// has either registration number already.
func activateInstitution(ctx context.Context, tx *Tx, r *requestRow) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state,
		                          activated_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'active', $5, $5, $5)
		RETURNING id`,
		r.instName, r.companyReg, r.educationReg, r.email, tx.now).Scan(&id)
	if err != nil {
		return 0, grantError("activate institution", err)
	}
	// The version stays: this completes the approval in the same
	// transaction.
	if _, err := tx.Exec(ctx, `UPDATE role_requests SET institution_id = $2 WHERE id = $1`, r.id, id); err != nil {
		return 0, dbError("link request to institution", err)
	}
	return id, nil
}

// checkInstitutionActive returns EINVALID "rolerequest.institution_inactive"
// unless the institution is active, and keeps it so until tx ends.
func checkInstitutionActive(ctx context.Context, tx *Tx, id int64) error {
	var state string
	err := tx.QueryRow(ctx, `SELECT state FROM institutions WHERE id = $1 FOR SHARE`, id).Scan(&state)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && state != "active") {
		return domain.Errorf(domain.EINVALID, "rolerequest.institution_inactive", "the institution is not active on the Platform")
	}
	return dbError("read institution", err)
}

// passwordUser returns the institution user signing in with r's e-mail
// address, creating it with r's password hash when there is none. It
// returns ECONFLICT "rolerequest.email_taken" when the address belongs to
// a user of another institution.
func passwordUser(ctx context.Context, tx *Tx, r *requestRow, institutionID int64) (int64, error) {
	var id, of int64
	err := tx.QueryRow(ctx, `
		SELECT id, institution_id FROM platform_users
		 WHERE kind = 'password' AND lower(email) = lower($1)
		   FOR UPDATE`, r.email).Scan(&id, &of)
	switch {
	case err == nil && of == institutionID:
		return id, nil
	case err == nil:
		return 0, emailTaken()
	case !errors.Is(err, pgx.ErrNoRows):
		return 0, dbError("find institution user", err)
	}
	if r.passwordHash == nil {
		return 0, domain.Errorf(domain.EINTERNAL, "", "request #%d carries no password hash", r.id)
	}
	err = tx.QueryRow(ctx, `
		INSERT INTO platform_users (kind, email, first_name, last_name, password_hash, institution_id,
		                            email_confirmed, created_at, updated_at)
		VALUES ('password', $1, $2, $3, $4, $5, true, $6, $6)
		RETURNING id`,
		r.email, r.firstName, r.lastName, *r.passwordHash, institutionID, tx.now).Scan(&id)
	if err != nil {
		return 0, grantError("create institution user", err)
	}
	// ¶26.2: the account carries the acceptance the person made with the
	// submission (without a personal code there is no person record to
	// have held it); approving accepts nothing for them.
	if _, err := tx.Exec(ctx, `
		INSERT INTO terms_acceptances (user_id, version_id, accepted_at, channel, recorded_at, role_request_id)
		SELECT $1, terms_version_id, terms_accepted_at, terms_channel, $3, id
		  FROM role_requests WHERE id = $2 AND terms_version_id IS NOT NULL
		ON CONFLICT DO NOTHING`, id, r.id, tx.now); err != nil {
		return 0, dbError("carry the applicant's acceptance of the terms", err)
	}
	return id, nil
}

// vissUser returns the Latvija.gov.lv user with r's personal code,
// creating it when new; an existing user takes r's confirmed address.
func vissUser(ctx context.Context, tx *Tx, r *requestRow) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name,
		                            email_confirmed, created_at, updated_at)
		VALUES ('viss', $1, $2, $3, $4, true, $5, $5)
		ON CONFLICT (personal_code) WHERE kind = 'viss'
		DO UPDATE SET email = EXCLUDED.email, email_confirmed = true, updated_at = EXCLUDED.updated_at
		RETURNING id`,
		r.personalCode, r.email, r.firstName, r.lastName, tx.now).Scan(&id)
	if err != nil {
		return 0, grantError("create platform user", err)
	}
	// ¶26.2: the person's own acceptances (with the submission, or through
	// the portal) are theirs already; approving accepts nothing for them.
	return id, nil
}

// emailTaken is the conflict of an address another institution's user
// signs in with.
func emailTaken() error {
	return domain.Errorf(domain.ECONFLICT, "rolerequest.email_taken", "another institution's user signs in with this e-mail address")
}

// grantError maps the constraints an approval can run into to errors a
// reviewer can act on, and anything else as dbError does.
func grantError(what string, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.ConstraintName {
		case "institutions_company_reg_active_key", "institutions_education_reg_active_key":
			return joinf(what, domain.Errorf(domain.ECONFLICT, "rolerequest.institution_exists",
				"an active institution has this registration number already"), err)
		case "platform_users_password_email_key":
			return joinf(what, domain.AsError(emailTaken()), err)
		}
	}
	return dbError(what, err)
}
