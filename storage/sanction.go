package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// Sanction cases against institutions (¶32.5, ¶32.7):
// migrations/0230_sanctions.sql.
//
// A suspension or a denial in force is a denial of the institution in
// denials, inserted in force by the approving transaction with the denial
// effects (applyDenial) and lifted with them undone (revertDenial), so
// that what another denial in force still requires passes to it. Every
// change locks the case's row first, then (when denials change) the
// denials' lock: two officers approving one step wait for each other and
// the second finds it no longer pending.

// SanctionService is the security officers' work on sanction cases on
// PostgreSQL. It implements domain.SanctionService.
type SanctionService struct {
	db *DB
}

var _ domain.SanctionService = (*SanctionService)(nil)

// NewSanctionService returns a SanctionService on db.
func NewSanctionService(db *DB) *SanctionService { return &SanctionService{db: db} }

var (
	sanctionGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "sanction.no_operator", "only a signed-in operator can work on sanction cases"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "sanction.not_security", "sanctions need the security role"),
	}
	// sanctionReadGuard lets reviewers read and open cases too.
	sanctionReadGuard = guard{
		noOperator: sanctionGuard.noOperator,
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "sanction.forbidden", "sanction cases are for security officers and reviewers"),
	}
)

// operatorName is the display name of the operator whose id is the SQL
// expression id.
func operatorName(id string) string {
	return `(SELECT coalesce(nullif(o.full_name, ''), o.name) FROM operators o WHERE o.id = ` + id + `)`
}

var caseSelect = `
	SELECT c.id, c.institution_id, i.name, i.company_reg_number, c.clause, c.reason, c.evidence, c.state,
	       coalesce(c.opened_by, 0), coalesce(` + operatorName("c.opened_by") + `, 'system'), c.opened_at,
	       coalesce(c.closed_by, 0), c.closed_at, c.close_reason, c.current_step, c.pending, c.version
	  FROM sanction_cases c JOIN institutions i ON i.id = c.institution_id`

func scanCase(row pgx.Row) (*domain.SanctionCase, error) {
	c := &domain.SanctionCase{}
	var clause, state, current string
	var closed *time.Time
	if err := row.Scan(&c.ID, &c.InstitutionID, &c.InstitutionName, &c.InstitutionRegNumber, &clause, &c.Reason, &c.Evidence,
		&state, &c.OpenedBy, &c.OpenedByName, &c.OpenedAt, &c.ClosedBy, &closed, &c.CloseReason, &current, &c.Pending, &c.Version); err != nil {
		return nil, err
	}
	c.Clause, c.State, c.Current, c.ClosedAt = domain.Ground(clause), domain.SanctionCaseState(state), domain.SanctionStepKind(current), utcOrZero(closed)
	return c, nil
}

func collectCases(rows pgx.Rows, what string) ([]*domain.SanctionCase, error) {
	defer rows.Close()
	var out []*domain.SanctionCase
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, dbError(what, err)
		}
		out = append(out, c)
	}
	return out, dbError(what, rows.Err())
}

// stepSelect reads steps. A step whose denial was lifted elsewhere (on
// the denials screen) reads as lifted, with that lift's reason and time.
var stepSelect = `
	SELECT s.id, s.case_id, s.kind, s.reason, s.evidence, s.until,
	       CASE WHEN s.state = 'in_force' AND d.state NOT IN ('in_force', 'lift_pending') THEN 'lifted' ELSE s.state END,
	       s.proposed_by, coalesce(` + operatorName("s.proposed_by") + `, ''), s.proposed_at,
	       coalesce(s.decided_by, 0), coalesce(` + operatorName("s.decided_by") + `, ''), s.decided_at, s.refuse_reason, s.in_force_at,
	       coalesce(s.ended_at, CASE WHEN s.state = 'in_force' THEN d.lifted_at END),
	       CASE WHEN s.state = 'in_force' AND d.state = 'lifted' THEN d.lift_reason ELSE s.end_reason END,
	       coalesce(s.ended_by, CASE WHEN s.state = 'in_force' THEN d.lift_requested_by END, 0),
	       coalesce(s.denial_id, 0), s.version
	  FROM sanction_steps s LEFT JOIN denials d ON d.id = s.denial_id`

func scanStep(row pgx.Row) (*domain.SanctionStep, error) {
	s := &domain.SanctionStep{}
	var kind, state string
	var until, decided, inForce, ended *time.Time
	if err := row.Scan(&s.ID, &s.CaseID, &kind, &s.Reason, &s.Evidence, &until, &state,
		&s.ProposedBy, &s.ProposedByName, &s.ProposedAt, &s.DecidedBy, &s.DecidedByName, &decided, &s.RefuseReason, &inForce,
		&ended, &s.EndReason, &s.EndedBy, &s.DenialID, &s.Version); err != nil {
		return nil, err
	}
	s.Kind, s.State = domain.SanctionStepKind(kind), domain.SanctionStepState(state)
	s.Until, s.DecidedAt, s.InForceAt, s.EndedAt = utcOrZero(until), utcOrZero(decided), utcOrZero(inForce), utcOrZero(ended)
	return s, nil
}

// readCase reads case id with its steps in q, locking the case's row when
// forUpdate; ENOTFOUND "sanction.not_found".
func readCase(ctx context.Context, q pgx.Tx, id int64, forUpdate bool) (*domain.SanctionCase, error) {
	sql := caseSelect + " WHERE c.id = $1"
	if forUpdate {
		sql += " FOR UPDATE OF c"
	}
	c, err := scanCase(q.QueryRow(ctx, sql, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "sanction.not_found", "no such sanction case")
	}
	if err != nil {
		return nil, dbError("read sanction case", err)
	}
	rows, err := q.Query(ctx, stepSelect+" WHERE s.case_id = $1 ORDER BY s.id", id)
	if err != nil {
		return nil, dbError("read sanction steps", err)
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanStep(rows)
		if err != nil {
			return nil, dbError("read sanction steps", err)
		}
		c.Steps = append(c.Steps, s)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("read sanction steps", err)
	}
	c.Summarize()
	return c, nil
}

// ListCases returns the cases matching f, open first, then newest first,
// at most f.Limit (50 when zero, never more than 500). It returns
// EFORBIDDEN "sanction.forbidden" to an operator who is neither a security
// officer nor a reviewer.
func (s *SanctionService) ListCases(ctx context.Context, f domain.SanctionFilter) ([]*domain.SanctionCase, error) {
	if _, err := loadCaller(ctx, s.db.pool, sanctionReadGuard, domain.RoleSecurity, domain.RoleReviewer); err != nil {
		return nil, err
	}
	f.Normalize()
	var states, steps []string
	for _, st := range f.States {
		states = append(states, string(st))
	}
	for _, k := range f.Steps {
		steps = append(steps, string(k))
	}
	rows, err := s.db.pool.Query(ctx, caseSelect+`
		 WHERE (coalesce(cardinality($1::text[]), 0) = 0 OR c.state = ANY ($1::text[]))
		   AND (coalesce(cardinality($2::text[]), 0) = 0 OR c.current_step = ANY ($2::text[]))
		   AND (NOT $3 OR c.pending)
		   AND ($5 = 0 OR (c.state <> 'open') > ($4::text <> 'open') OR ((c.state <> 'open') = ($4::text <> 'open') AND c.id < $5))
		 ORDER BY (c.state <> 'open'), c.id DESC
		 LIMIT $6`, states, steps, f.PendingOnly, string(f.AfterState), f.AfterID, f.Limit)
	if err != nil {
		return nil, dbError("list sanction cases", err)
	}
	return collectCases(rows, "list sanction cases")
}

// CasesOf returns the institution's cases, newest first, without their
// steps: at most domain.InstitutionSectionMax, as many as a section of its
// page holds. Errors as ListCases.
func (s *SanctionService) CasesOf(ctx context.Context, institutionID int64) ([]*domain.SanctionCase, error) {
	if _, err := loadCaller(ctx, s.db.pool, sanctionReadGuard, domain.RoleSecurity, domain.RoleReviewer); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, caseSelect+" WHERE c.institution_id = $1 ORDER BY c.id DESC LIMIT $2", institutionID, domain.InstitutionSectionMax)
	if err != nil {
		return nil, dbError("list the institution's sanction cases", err)
	}
	return collectCases(rows, "list the institution's sanction cases")
}

// FindCase returns case id with its steps, oldest first; ENOTFOUND
// "sanction.not_found", and the errors of ListCases.
func (s *SanctionService) FindCase(ctx context.Context, id int64) (*domain.SanctionCase, error) {
	var c *domain.SanctionCase
	err := s.db.readTx(ctx, "find sanction case", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, sanctionReadGuard, domain.RoleSecurity, domain.RoleReviewer); err != nil {
			return err
		}
		var err error
		c, err = readCase(ctx, tx, id, false)
		return err
	})
	return c, err
}

// FindInstitutions returns up to limit institutions (50 when zero) whose
// name contains query, or whose company or education registration number
// starts with it, by name. It returns EINVALID "sanction.query_short"
// for a query under two characters, and the errors of ListCases.
func (s *SanctionService) FindInstitutions(ctx context.Context, query string, limit int) ([]*domain.SanctionInstitution, error) {
	if _, err := loadCaller(ctx, s.db.pool, sanctionReadGuard, domain.RoleSecurity, domain.RoleReviewer); err != nil {
		return nil, err
	}
	query = strings.TrimSpace(query)
	if len([]rune(query)) < 2 {
		return nil, domain.Errorf(domain.EINVALID, "sanction.query_short", "type at least two characters of the name or the registration number")
	}
	q := likeEscape(query)
	rows, err := s.db.pool.Query(ctx, `
		SELECT i.id, i.name, i.company_reg_number, i.education_reg_number, i.state,
		       coalesce((SELECT c.id FROM sanction_cases c WHERE c.institution_id = i.id AND c.state = 'open'), 0)
		  FROM institutions i
		 WHERE lower(i.name) LIKE '%' || lower($1) || '%'
		    OR i.company_reg_number LIKE $1 || '%' OR i.education_reg_number LIKE $1 || '%'
		 ORDER BY lower(i.name), i.id
		 LIMIT $2`, q, domain.PageLimit(limit))
	if err != nil {
		return nil, dbError("find institutions", err)
	}
	defer rows.Close()
	var out []*domain.SanctionInstitution
	for rows.Next() {
		in := &domain.SanctionInstitution{}
		if err := rows.Scan(&in.ID, &in.Name, &in.CompanyRegNumber, &in.EducationRegNumber, &in.State, &in.OpenCaseID); err != nil {
			return nil, dbError("find institutions", err)
		}
		out = append(out, in)
	}
	return out, dbError("find institutions", rows.Err())
}

// OpenCase opens a case about the institution on clause with a reason
// and evidence. A security officer or a reviewer may open one (a
// re-verification escalates to a case). It returns the errors of
// domain.NewSanctionCase (EINVALID "sanction.bad_clause",
// "sanction.reason_required", "sanction.too_long", "sanction.bad_text";
// ECONFLICT "sanction.case_open"), ENOTFOUND "sanction.no_institution",
// EUNAUTHORIZED "sanction.no_operator", EFORBIDDEN "sanction.forbidden".
func (s *SanctionService) OpenCase(ctx context.Context, institutionID int64, clause domain.Ground, reason, evidence string) (*domain.SanctionCase, error) {
	var c *domain.SanctionCase
	err := s.db.inTx(ctx, "open sanction case", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, sanctionReadGuard, domain.RoleSecurity, domain.RoleReviewer)
		if err != nil {
			return err
		}
		id, err := openSanctionCase(ctx, tx, me, institutionID, clause, reason, evidence)
		if err != nil {
			return err
		}
		c, err = readCase(ctx, tx, id, false)
		return err
	})
	return c, err
}

// openSanctionCase opens a case about the institution in tx for me (a
// security officer or a reviewer, checked by the caller) and returns its
// id, with the errors of OpenCase.
func openSanctionCase(ctx context.Context, tx *Tx, me *actor, institutionID int64, clause domain.Ground, reason, evidence string) (int64, error) {
	var open int64
	err := tx.QueryRow(ctx, `
		SELECT coalesce((SELECT c.id FROM sanction_cases c WHERE c.institution_id = i.id AND c.state = 'open'), 0)
		  FROM institutions i WHERE i.id = $1 FOR UPDATE`, institutionID).Scan(&open)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, domain.Errorf(domain.ENOTFOUND, "sanction.no_institution", "no such institution")
	}
	if err != nil {
		return 0, dbError("read the institution", err)
	}
	nc, err := domain.NewSanctionCase(institutionID, clause, reason, evidence, me.id, tx.now, open)
	if err != nil {
		return 0, err
	}
	var id int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO sanction_cases (institution_id, clause, reason, evidence, opened_by, opened_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		institutionID, string(clause), nc.Reason, nc.Evidence, me.id, tx.now).Scan(&id); err != nil {
		return 0, dbError("insert sanction case", err)
	}
	return id, auditSanction(ctx, tx, domain.AuditSanctionOpen, id, institutionID, "¶"+string(clause), nc.Reason)
}

// auditSanction appends the audit entry of a change of case id.
func auditSanction(ctx context.Context, tx *Tx, action string, id, institutionID int64, details, reason string) error {
	return appendAudit(ctx, tx, &domain.AuditEntry{
		Action: action, SubjectKind: "sanction_case", SubjectID: strconv.FormatInt(id, 10), Reason: reason,
		Details: "institution " + strconv.FormatInt(institutionID, 10) + " " + details,
	})
}

// stepDetails names a step in an audit entry.
func stepDetails(st *domain.SanctionStep) string {
	return string(st.Kind) + " step " + strconv.FormatInt(st.ID, 10)
}

// lockCase locks case id for a change by a security officer and reads it
// with its steps.
func lockCase(ctx context.Context, tx *Tx, id int64) (*actor, *domain.SanctionCase, error) {
	me, err := loadActor(ctx, tx, sanctionGuard, domain.RoleSecurity)
	if err != nil {
		return nil, nil, err
	}
	c, err := readCase(ctx, tx, id, true)
	if err != nil {
		return nil, nil, err
	}
	return me, c, nil
}

// lockStep locks the case of step id and returns the step, checked at
// version and against domain.SanctionStep.Allows for action a. The role
// is checked before anything is read, so that an operator without it
// learns nothing, not even whether the step exists.
func lockStep(ctx context.Context, tx *Tx, a domain.SanctionAction, id, version int64) (*actor, *domain.SanctionCase, *domain.SanctionStep, error) {
	if _, err := loadActor(ctx, tx, sanctionGuard, domain.RoleSecurity); err != nil {
		return nil, nil, nil, err
	}
	var caseID int64
	err := tx.QueryRow(ctx, `SELECT case_id FROM sanction_steps WHERE id = $1`, id).Scan(&caseID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, nil, domain.Errorf(domain.ENOTFOUND, "sanction.no_step", "no such step")
	}
	if err != nil {
		return nil, nil, nil, dbError("read sanction step", err)
	}
	me, c, err := lockCase(ctx, tx, caseID)
	if err != nil {
		return nil, nil, nil, err
	}
	var st *domain.SanctionStep
	for _, x := range c.Steps {
		if x.ID == id {
			st = x
		}
	}
	if err := st.CheckVersion(version); err != nil {
		return nil, nil, nil, err
	}
	if err := st.Allows(a, me.id, tx.now); err != nil {
		return nil, nil, nil, err
	}
	return me, c, st, nil
}

// touchCase records what the case's steps now sum to (domain.
// SanctionCase.Summarize) and moves its version on.
func touchCase(ctx context.Context, tx *Tx, id int64) error {
	c, err := readCase(ctx, tx, id, false)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE sanction_cases SET current_step = $2, pending = $3, version = version + 1 WHERE id = $1`,
		id, string(c.Current), c.Pending)
	return dbError("update sanction case", err)
}

// ProposeStep adds a step to case id at version. A warning is given at
// once: recorded, mailed to the institution and audited; a suspension
// (ending at until) or a denial waits for a second security officer. It
// returns the errors of domain.NewSanctionStep (ECONFLICT
// "sanction.closed", "sanction.step_pending", "sanction.warn_first",
// "sanction.step_in_force"; EINVALID "sanction.bad_step",
// "sanction.bad_until" and those of the reason), ECONFLICT
// "sanction.changed", ENOTFOUND "sanction.not_found", EUNAUTHORIZED
// "sanction.no_operator", EFORBIDDEN "sanction.not_security".
func (s *SanctionService) ProposeStep(ctx context.Context, caseID, version int64, kind domain.SanctionStepKind, reason, evidence string, until time.Time) (*domain.SanctionStep, error) {
	var out *domain.SanctionStep
	err := s.db.inTx(ctx, "propose sanction step", func(tx *Tx) error {
		me, c, err := lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if err := c.CheckVersion(version); err != nil {
			return err
		}
		st, err := domain.NewSanctionStep(c, kind, reason, evidence, until, me.id, tx.now)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO sanction_steps (case_id, kind, reason, evidence, until, state, proposed_by, proposed_at, in_force_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			caseID, string(kind), st.Reason, st.Evidence, nullTime(st.Until), string(st.State), me.id, tx.now, nullTime(st.InForceAt)).Scan(&st.ID); err != nil {
			return dbError("insert sanction step", err)
		}
		action := domain.AuditSanctionPropose
		if kind == domain.SanctionWarning {
			action = domain.AuditSanctionWarning
			if err := mailSanction(ctx, tx, c, "sanction.warning", map[string]string{"note": st.Reason, "since": mailDay(tx.now)}); err != nil {
				return err
			}
		}
		if err := auditSanction(ctx, tx, action, c.ID, c.InstitutionID, stepDetails(st), st.Reason); err != nil {
			return err
		}
		if err := touchCase(ctx, tx, c.ID); err != nil {
			return err
		}
		out, err = readStep(ctx, tx, st.ID)
		return err
	})
	return out, err
}

func readStep(ctx context.Context, tx *Tx, id int64) (*domain.SanctionStep, error) {
	st, err := scanStep(tx.QueryRow(ctx, stepSelect+" WHERE s.id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "sanction.no_step", "no such step")
	}
	return st, dbError("read sanction step", err)
}

// mailSanction writes template to the institution of case c through the
// outbox, with data and the case's number and clause; nothing when the
// institution has no address. Nothing of it goes to the log.
func mailSanction(ctx context.Context, tx *Tx, c *domain.SanctionCase, template string, data map[string]string) error {
	var email string
	if err := tx.QueryRow(ctx, `SELECT email FROM institutions WHERE id = $1`, c.InstitutionID).Scan(&email); err != nil {
		return dbError("read the institution's address", err)
	}
	if strings.TrimSpace(email) == "" {
		return nil
	}
	data["case"] = strconv.FormatInt(c.ID, 10)
	data["clause"] = string(c.Clause)
	data["institution"] = c.InstitutionName
	_, err := enqueueMail(ctx, tx, email, "lv", template, data)
	return err
}

// ApproveStep puts pending step id (at version) in force: a suspension
// or a denial becomes a denial of the institution in force with its
// effects (a denial takes over a suspension in force, which ends without
// undoing what the denial now requires); the institution is mailed. It
// returns the refusals of domain.SanctionStep.Allows (EFORBIDDEN
// "sanction.own" when the acting officer proposed it, whatever their
// session; ECONFLICT "sanction.not_pending"; EINVALID "sanction.bad_until"),
// ECONFLICT "sanction.changed" or "denial.exists" (the institution is
// denied on the clause already), ENOTFOUND "sanction.no_step", and the
// officer's errors of ProposeStep.
func (s *SanctionService) ApproveStep(ctx context.Context, stepID, version int64) error {
	return s.db.inTx(ctx, "approve sanction step", func(tx *Tx) error {
		me, c, st, err := lockStep(ctx, tx, domain.SanctionApprove, stepID, version)
		if err != nil {
			return err
		}
		if err := lockDenials(ctx, tx); err != nil {
			return err
		}
		superseded := c.InForce()
		denialID, err := sanctionDenial(ctx, tx, c, st, me.id)
		if err != nil {
			return err
		}
		if superseded != nil {
			// The denial holds everything the suspension changed: ending the
			// suspension passes its effects to it (revertDenial).
			if err := endSanctionDenial(ctx, tx, superseded.DenialID, "replaced by the denial of sanction step "+strconv.FormatInt(st.ID, 10), 0); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `
				UPDATE sanction_steps SET state = 'superseded', ended_at = $2, version = version + 1
				 WHERE id = $1 AND state = 'in_force'`, superseded.ID, tx.now); err != nil {
				return dbError("end the suspension", err)
			}
		}
		tag, err := tx.Exec(ctx, `
			UPDATE sanction_steps SET state = 'in_force', decided_by = $2, decided_at = $3, in_force_at = $3,
			       denial_id = $4, version = version + 1
			 WHERE id = $1 AND state = 'pending'`, st.ID, me.id, tx.now, denialID)
		if err != nil {
			return dbError("approve sanction step", err)
		}
		if tag.RowsAffected() != 1 {
			return domain.Errorf(domain.ECONFLICT, "sanction.changed", "someone else changed this case; look at it again")
		}
		data := map[string]string{"note": st.Reason, "since": mailDay(tx.now)}
		template := "sanction.denied"
		if st.Kind == domain.SanctionSuspension {
			template, data["until"] = "sanction.suspended", mailDay(st.Until)
		}
		if err := mailSanction(ctx, tx, c, template, data); err != nil {
			return err
		}
		if err := auditSanction(ctx, tx, domain.AuditSanctionApprove, c.ID, c.InstitutionID, stepDetails(st), st.Reason); err != nil {
			return err
		}
		return touchCase(ctx, tx, c.ID)
	})
}

// sanctionDenial inserts the denial of the case's institution that
// carries step st, in force at once with its effects (applyDenial),
// raised by the step's proposer and approved by approver; a suspension's
// ends at its end. The caller holds the denials' lock. A denial is
// refused when the institution is denied on the clause already (ECONFLICT
// "denial.exists"); a suspension stands beside any denial.
func sanctionDenial(ctx context.Context, tx *Tx, c *domain.SanctionCase, st *domain.SanctionStep, approver int64) (int64, error) {
	var live []*domain.Denial
	if st.Kind == domain.SanctionDenial {
		var err error
		if live, err = liveDenials(ctx, tx, domain.SubjectInstitution, c.InstitutionID); err != nil {
			return 0, err
		}
	}
	d, err := domain.NewDenial(domain.SubjectInstitution, c.InstitutionID, c.Clause, st.Reason, st.Evidence, st.ProposedBy, tx.now, live)
	if err != nil {
		return 0, err
	}
	if err := subjectExists(ctx, tx, domain.SubjectInstitution, c.InstitutionID); err != nil {
		return 0, err
	}
	var id int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO denials (subject_kind, subject_id, ground, note, evidence, state, raised_by, raised_at, approved_by, in_force_at, ends_at)
		VALUES ('institution', $1, $2, $3, $4, 'in_force', $5, $6, $7, $6, $8)
		RETURNING id`,
		c.InstitutionID, string(c.Clause), d.Note, d.Evidence, st.ProposedBy, tx.now, approver, nullTime(st.Until)).Scan(&id); err != nil {
		return 0, dbError("insert the institution's denial", err)
	}
	if err := applyDenial(ctx, tx, id, domain.SubjectInstitution, c.InstitutionID); err != nil {
		return 0, err
	}
	if err := Notify(ctx, tx, domain.TopicDenial, strconv.FormatInt(id, 10)); err != nil {
		return 0, err
	}
	return id, auditDenial(ctx, tx, domain.AuditDenialInForce, id, domain.SubjectInstitution, c.InstitutionID, c.Clause, d.Note)
}

// endSanctionDenial lifts denial id, which carries a sanction step, with
// reason, by the operator by (0: the sweep, or a denial taking over), and
// undoes its effects except what another denial in force still requires
// (revertDenial). The caller holds the denials' lock. A denial no longer
// in force (lifted on the denials screen) is left as it is.
func endSanctionDenial(ctx context.Context, tx *Tx, id int64, reason string, by int64) error {
	d, err := findDenial(ctx, tx, id, true)
	if err != nil {
		return err
	}
	if d.State != domain.DenialInForce && d.State != domain.DenialLiftPending {
		return nil
	}
	var byID *int64
	if by != 0 {
		byID = &by
	}
	if err := setState(ctx, tx, d, domain.DenialLifted,
		", lift_reason = $4, lift_requested_by = $5, lifted_at = $6", reason, byID, tx.now); err != nil {
		return err
	}
	if err := revertDenial(ctx, tx, d.ID); err != nil {
		return err
	}
	return auditDenial(ctx, tx, domain.AuditDenialLift, d.ID, d.SubjectKind, d.SubjectID, d.Ground, reason)
}

// RefuseStep refuses pending step id (at version) with a reason: it
// never had an effect. The one who proposed it may withdraw it so. It
// returns EINVALID "sanction.reason_required" (and the other errors of
// the reason), ECONFLICT "sanction.not_pending" or "sanction.changed",
// ENOTFOUND "sanction.no_step", and the officer's errors of ProposeStep.
func (s *SanctionService) RefuseStep(ctx context.Context, stepID, version int64, reason string) error {
	reason, err := domain.CheckSanctionReason(reason)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "refuse sanction step", func(tx *Tx) error {
		me, c, st, err := lockStep(ctx, tx, domain.SanctionRefuse, stepID, version)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE sanction_steps SET state = 'refused', decided_by = $2, decided_at = $3, refuse_reason = $4, version = version + 1
			 WHERE id = $1 AND state = 'pending'`, st.ID, me.id, tx.now, reason); err != nil {
			return dbError("refuse sanction step", err)
		}
		if err := auditSanction(ctx, tx, domain.AuditSanctionRefuse, c.ID, c.InstitutionID, stepDetails(st), reason); err != nil {
			return err
		}
		return touchCase(ctx, tx, c.ID)
	})
}

// LiftStep lifts suspension or denial step id (at version) in force,
// with a reason: its denial is lifted and exactly what it changed is
// undone, except what another denial in force still requires; the
// institution is mailed. It returns ECONFLICT "sanction.not_in_force" or
// "sanction.changed", and the errors of RefuseStep.
func (s *SanctionService) LiftStep(ctx context.Context, stepID, version int64, reason string) error {
	reason, err := domain.CheckSanctionReason(reason)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "lift sanction step", func(tx *Tx) error {
		me, c, st, err := lockStep(ctx, tx, domain.SanctionLift, stepID, version)
		if err != nil {
			return err
		}
		return endStep(ctx, tx, c, st, domain.SanctionStepLifted, reason, me.id, domain.AuditSanctionLift)
	})
}

// endStep ends step st of case c in force: lifted by by with reason, or
// expired (the sweep, by 0). The caller holds the case's row.
func endStep(ctx context.Context, tx *Tx, c *domain.SanctionCase, st *domain.SanctionStep, state domain.SanctionStepState, reason string, by int64, action string) error {
	if err := lockDenials(ctx, tx); err != nil {
		return err
	}
	if err := endSanctionDenial(ctx, tx, st.DenialID, reason, by); err != nil {
		return err
	}
	var byID *int64
	if by != 0 {
		byID = &by
	}
	if _, err := tx.Exec(ctx, `
		UPDATE sanction_steps SET state = $2, ended_at = $3, end_reason = $4, ended_by = $5, version = version + 1
		 WHERE id = $1 AND state = 'in_force'`, st.ID, string(state), tx.now, reason, byID); err != nil {
		return dbError("end sanction step", err)
	}
	template := "sanction.suspension_ended"
	if st.Kind == domain.SanctionDenial {
		template = "sanction.denial_lifted"
	}
	if err := mailSanction(ctx, tx, c, template, map[string]string{"since": mailDay(st.InForceAt), "ended": mailDay(tx.now)}); err != nil {
		return err
	}
	if err := auditSanction(ctx, tx, action, c.ID, c.InstitutionID, stepDetails(st), reason); err != nil {
		return err
	}
	return touchCase(ctx, tx, c.ID)
}

// CloseCase closes case id (at version) with a reason, once no step
// waits and none is in force. It returns the refusals of
// domain.SanctionCase.Allows (ECONFLICT "sanction.closed",
// "sanction.step_pending", "sanction.step_in_force"), ECONFLICT
// "sanction.changed", and the errors of RefuseStep.
func (s *SanctionService) CloseCase(ctx context.Context, caseID, version int64, reason string) error {
	reason, err := domain.CheckSanctionReason(reason)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "close sanction case", func(tx *Tx) error {
		me, c, err := lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if err := c.CheckVersion(version); err != nil {
			return err
		}
		if err := c.Allows(domain.SanctionClose, ""); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE sanction_cases SET state = 'closed', closed_by = $2, closed_at = $3, close_reason = $4, version = version + 1
			 WHERE id = $1 AND state = 'open'`, c.ID, me.id, tx.now, reason); err != nil {
			return dbError("close sanction case", err)
		}
		return auditSanction(ctx, tx, domain.AuditSanctionClose, c.ID, c.InstitutionID, "¶"+string(c.Clause), reason)
	})
}

// sanctionExpiry is the sweep that ends suspensions whose period is over
// (¶32.5, ¶32.7): each in its own transaction, restoring exactly what it
// changed (except what a denial still in force requires) and mailing the
// institution.
func (s *Sweeper) sanctionExpiry(ctx context.Context, r *sweepRun, now time.Time) error {
	rows, err := s.db.pool.Query(ctx, `
		SELECT s.id, s.case_id FROM sanction_steps s JOIN denials d ON d.id = s.denial_id
		 WHERE s.state = 'in_force' AND s.kind = 'suspension' AND s.until <= $1
		   AND d.state IN ('in_force', 'lift_pending')
		 ORDER BY s.until, s.id LIMIT $2`, now, s.BatchSize)
	if err != nil {
		return dbError("find suspensions due to end", err)
	}
	type due struct{ step, kase int64 }
	var dues []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.step, &d.kase); err != nil {
			rows.Close()
			return dbError("find suspensions due to end", err)
		}
		dues = append(dues, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return dbError("find suspensions due to end", err)
	}
	for _, d := range dues {
		r.Checked++
		err := s.inTxAt(ctx, "end suspension", now, func(tx *Tx) error {
			c, err := readCase(ctx, tx, d.kase, true)
			if err != nil {
				return err
			}
			for _, st := range c.Steps {
				if st.ID == d.step && st.State == domain.SanctionStepInForce && !st.Until.After(now) {
					r.Changed++
					return endStep(ctx, tx, c, st, domain.SanctionStepExpired, "the suspension's period ended", 0, domain.AuditSanctionExpire)
				}
			}
			return nil // lifted meanwhile
		})
		if err != nil {
			return err
		}
	}
	return nil
}
