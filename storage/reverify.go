package storage

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// ReverifyService is the reviewers' queue of institutions whose
// re-verification against the registers found differences (issue 17,
// ¶17.2), and the re-verification policy. It implements
// domain.ReverifyService: the queue needs the reviewer role
// (EUNAUTHORIZED "reverify.no_operator", EFORBIDDEN
// "reverify.not_reviewer"), except that security officers read the
// escalated items; the policy's cycle is changed by an administrator or
// the back office itself (EFORBIDDEN "reverify.not_admin").
type ReverifyService struct {
	db *DB
}

var _ domain.ReverifyService = (*ReverifyService)(nil)

// NewReverifyService returns the service on db.
func NewReverifyService(db *DB) *ReverifyService { return &ReverifyService{db: db} }

var (
	reverifyGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "reverify.no_operator", "only a signed-in operator can re-verify institutions"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "reverify.not_reviewer", "institutions are re-verified by reviewers"),
	}
	reverifyAdminGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "reverify.no_operator", "only a signed-in operator can re-verify institutions"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "reverify.not_admin", "the re-verification cycle is changed by administrators"),
	}
)

// reverifyColumns are read by scanReverification, in its order.
const reverifyColumns = `r.id, r.institution_id, r.institution_name, i.company_reg_number, i.education_reg_number,
	r.state, r.version, r.created_at, r.enterprise, r.school, r.differences,
	r.claimed_by, coalesce(nullif(c.full_name, ''), c.name, ''), r.claim_expires_at,
	r.decided_by, coalesce(nullif(d.full_name, ''), d.name, ''), r.decided_at, r.reason, r.old_name, r.new_name,
	coalesce(r.sanction_case_id, 0)`

const reverifyFrom = ` FROM reverifications r
	JOIN institutions i ON i.id = r.institution_id
	LEFT JOIN operators c ON c.id = r.claimed_by
	LEFT JOIN operators d ON d.id = r.decided_by`

func scanReverification(row pgx.Row) (*domain.Reverification, error) {
	r := &domain.Reverification{}
	var state string
	var company, school []byte
	var diffs []string
	var claimedBy, decidedBy *int64
	var claimExpires, decidedAt *time.Time
	if err := row.Scan(&r.ID, &r.InstitutionID, &r.InstitutionName, &r.CompanyRegNo, &r.InstitutionNo,
		&state, &r.Version, &r.CreatedAt, &company, &school, &diffs,
		&claimedBy, &r.ClaimedByName, &claimExpires, &decidedBy, &r.DecidedByName, &decidedAt, &r.Reason, &r.OldName, &r.NewName,
		&r.SanctionCaseID); err != nil {
		return nil, err
	}
	r.State = domain.ReverifyState(state)
	r.CreatedAt = r.CreatedAt.UTC()
	for _, d := range diffs {
		r.Differences = append(r.Differences, domain.Difference(d))
	}
	if len(company) > 0 {
		r.Company = &domain.EnterpriseRecord{}
		if err := json.Unmarshal(company, r.Company); err != nil {
			return nil, err
		}
	}
	if len(school) > 0 {
		r.School = &domain.SchoolRecord{}
		if err := json.Unmarshal(school, r.School); err != nil {
			return nil, err
		}
	}
	if claimedBy != nil {
		r.ClaimedBy = *claimedBy
	}
	if claimExpires != nil {
		r.ClaimExpiresAt = claimExpires.UTC()
	}
	if decidedBy != nil {
		r.DecidedBy = *decidedBy
	}
	if decidedAt != nil {
		r.DecidedAt = decidedAt.UTC()
	}
	return r, nil
}

func reverifyNotFound(id int64) error {
	return domain.Errorf(domain.ENOTFOUND, "reverify.not_found", "re-verification %d was not found", id)
}

// ListReverifications returns a page of re-verifications in the states
// asked (open by default), oldest first, after (AfterCreated, AfterID).
// Search matches the start of the institution's name (case folded) or a
// whole registration or institution number. A security officer who is not
// a reviewer sees the escalated items only. It returns the errors of the
// role check (see ReverifyService) and EUNAVAILABLE.
func (s *ReverifyService) ListReverifications(ctx context.Context, f domain.ReverifyFilter) ([]*domain.Reverification, error) {
	me, err := loadCaller(ctx, s.db.pool, reverifyGuard, domain.RoleReviewer, domain.RoleSecurity)
	if err != nil {
		return nil, err
	}
	states := []string{string(domain.ReverifyOpen)}
	if len(f.States) > 0 {
		states = states[:0]
		for _, st := range f.States {
			states = append(states, string(st))
		}
	}
	if !me.machine() && !me.has(domain.RoleReviewer) {
		states = []string{string(domain.ReverifyEscalated)}
	}
	var after *time.Time
	if !f.AfterCreated.IsZero() {
		after = &f.AfterCreated
	}
	search := strings.TrimSpace(f.Search)
	rows, err := s.db.pool.Query(ctx, `SELECT `+reverifyColumns+reverifyFrom+`
		 WHERE r.state = ANY ($1::text[])
		   AND ($2::timestamptz IS NULL OR (r.created_at, r.id) > ($2, $3))
		   AND ($4 = '' OR lower(r.institution_name) LIKE $5 || '%'
		        OR i.company_reg_number = $4 OR i.education_reg_number = $4)
		 ORDER BY r.created_at, r.id
		 LIMIT $6`, states, after, f.AfterID, search, likeEscape(strings.ToLower(search)), domain.PageLimit(f.Limit))
	if err != nil {
		return nil, dbError("list re-verifications", err)
	}
	defer rows.Close()
	var out []*domain.Reverification
	for rows.Next() {
		r, err := scanReverification(rows)
		if err != nil {
			return nil, dbError("list re-verifications", err)
		}
		out = append(out, r)
	}
	return out, dbError("list re-verifications", rows.Err())
}

// FindReverification returns one re-verification. It returns ENOTFOUND
// "reverify.not_found" (also for a security officer asking for an item
// that is not escalated) and the errors of the role check.
func (s *ReverifyService) FindReverification(ctx context.Context, id int64) (*domain.Reverification, error) {
	me, err := loadCaller(ctx, s.db.pool, reverifyGuard, domain.RoleReviewer, domain.RoleSecurity)
	if err != nil {
		return nil, err
	}
	r, err := scanReverification(s.db.pool.QueryRow(ctx, `SELECT `+reverifyColumns+reverifyFrom+` WHERE r.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, reverifyNotFound(id)
	}
	if err != nil {
		return nil, dbError("find re-verification", err)
	}
	if !me.machine() && !me.has(domain.RoleReviewer) && r.State != domain.ReverifyEscalated {
		return nil, reverifyNotFound(id)
	}
	return r, nil
}

// reverifyClaimTable is the queue's claim columns.
var reverifyClaimTable = claimTable{
	Table: "reverifications", Noun: "re-verification", OpenStates: []string{string(domain.ReverifyOpen)},
	Changed: func() error {
		return domain.Errorf(domain.ECONFLICT, "reverify.changed", "someone else has just changed this re-verification")
	},
}

// lockReverification reads item id and locks its row until tx ends.
// An expired claim is left as read: Reverification.Allows judges a claim
// by its lease (heldByOther), and what the service returns after a
// claim or a decision holds a live claim or none. ENOTFOUND
// "reverify.not_found".
func lockReverification(ctx context.Context, tx *Tx, id int64) (*domain.Reverification, error) {
	r, err := scanReverification(tx.QueryRow(ctx, `SELECT `+reverifyColumns+reverifyFrom+` WHERE r.id = $1 FOR UPDATE OF r`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, reverifyNotFound(id)
	}
	if err != nil {
		return nil, dbError("lock re-verification", err)
	}
	return r, nil
}

// ClaimReverification claims an open item for the acting reviewer until
// now + domain.ClaimLease, or renews their claim; a new claim is audited.
// It returns ENOTFOUND "reverify.not_found", the refusals of
// domain.Reverification.Allows (ReverifyClaim) and of the role check.
func (s *ReverifyService) ClaimReverification(ctx context.Context, id int64) (*domain.Reverification, error) {
	var r *domain.Reverification
	err := s.db.inTx(ctx, "claim re-verification", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, reverifyGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		renewal, err := claimRow(ctx, tx, reverifyClaimTable, id, me, func() error {
			r, err := lockReverification(ctx, tx, id)
			if err != nil {
				return err
			}
			return r.Allows(domain.ReverifyClaim, me.ref(), tx.now)
		})
		if err != nil {
			return err
		}
		if r, err = lockReverification(ctx, tx, id); err != nil {
			return err
		}
		if err := Notify(ctx, tx, domain.TopicReverify, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		if renewal {
			return nil
		}
		return appendPendingAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditReverifyClaim, SubjectKind: "reverification", SubjectID: strconv.FormatInt(id, 10)})
	})
	return r, err
}

// ReleaseReverification gives up the acting operator's claim; nothing
// when they hold none. EUNAUTHORIZED "reverify.no_operator".
func (s *ReverifyService) ReleaseReverification(ctx context.Context, id int64) error {
	return s.db.inTx(ctx, "release re-verification", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, reverifyGuard)
		if err != nil {
			return err
		}
		return releaseAnnounced(ctx, tx, reverifyClaimTable, id, me, domain.TopicReverify)
	})
}

// ReleaseSessionClaims gives up every re-verification claimed in the
// session, when it ends. See domain.SessionClaims for its errors.
func (s *ReverifyService) ReleaseSessionClaims(ctx context.Context, sessionID string) error {
	return releaseSessionRows(ctx, s.db, reverifyClaimTable, "release session re-verification claims", sessionID,
		announceReleased(domain.TopicReverify))
}

// DecideReverification decides an open item at the version the reviewer
// saw, with a reason, in one transaction: confirm (the data is fine),
// update (the institution takes the name the registers give; the old and
// new names are kept on the item, and the change goes into the
// institution's history of details with the reason, source
// "reverification", and raises its details version, ¶17.2) or escalate
// (to security, the reason its note: it opens a sanction case of the
// institution on domain.EscalationClause, or notes the escalation on the
// case already open, ¶32.5/¶32.7). Each is audited and announced. It returns the errors of
// domain.CheckReverifyReason, the refusals of
// domain.Reverification.Allows (ECONFLICT "reverify.decided" and
// "reverify.claimed", EINVALID "reverify.not_open" and
// "reverify.no_new_name") and CheckVersion (ECONFLICT "reverify.changed"),
// ENOTFOUND "reverify.not_found", EINVALID "reverify.action" for an
// action that is no decision, and the errors of the role check.
func (s *ReverifyService) DecideReverification(ctx context.Context, id, version int64, a domain.ReverifyAction, reason string) (*domain.Reverification, error) {
	state := map[domain.ReverifyAction]domain.ReverifyState{domain.ReverifyConfirm: domain.ReverifyConfirmed,
		domain.ReverifyUpdate: domain.ReverifyUpdated, domain.ReverifyEscalate: domain.ReverifyEscalated}[a]
	if state == "" {
		return nil, domain.Errorf(domain.EINVALID, "reverify.action", "%q is not a decision", string(a))
	}
	reason, err := domain.CheckReverifyReason(reason)
	if err != nil {
		return nil, err
	}
	var out *domain.Reverification
	err = s.db.inTx(ctx, "decide re-verification", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, reverifyGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		r, err := lockReverification(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := r.Allows(a, me.ref(), tx.now); err != nil {
			return err
		}
		if err := r.CheckVersion(version); err != nil {
			return err
		}
		var oldName, newName string
		if a == domain.ReverifyUpdate {
			newName = strings.TrimSpace(r.RegisterName())
			if err := tx.QueryRow(ctx, `SELECT name FROM institutions WHERE id = $1 FOR UPDATE`, r.InstitutionID).Scan(&oldName); err != nil {
				return dbError("lock institution", err)
			}
			if err := updateFromRegister(ctx, tx, me, r.InstitutionID, oldName, newName, reason); err != nil {
				return err
			}
		}
		details := "institution=" + strconv.FormatInt(r.InstitutionID, 10) + "; differences=" + joinDiffs(r.Differences)
		var caseID *int64
		if a == domain.ReverifyEscalate {
			id, err := escalateToSanction(ctx, tx, me, r, reason)
			if err != nil {
				return err
			}
			caseID = &id
			details += "; sanction_case=" + strconv.FormatInt(id, 10)
		}
		tag, err := tx.Exec(ctx, `
			UPDATE reverifications
			   SET state = $2, decided_by = $3, decided_at = $4, reason = $5, old_name = $6, new_name = $7,
			       claimed_by = NULL, claim_session = NULL, claim_expires_at = NULL, sanction_case_id = $9,
			       version = version + 1, updated_at = $4
			 WHERE id = $1 AND state = 'open' AND version = $8`,
			id, string(state), me.id, tx.now, reason, oldName, newName, version, caseID)
		if err != nil {
			return dbError("decide re-verification", err)
		}
		if tag.RowsAffected() != 1 {
			return reverifyClaimTable.Changed()
		}
		if err := Notify(ctx, tx, domain.TopicReverify, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditReverifyDecided(a), SubjectKind: "reverification",
			SubjectID: strconv.FormatInt(id, 10), Details: details + "; reason=" + reason}); err != nil {
			return err
		}
		out, err = lockReverification(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// updateFromRegister gives institution id (locked by the caller) the name
// newName the registers give, in place of oldName, as an edit of its
// details by the re-verification: the details version is raised, so that
// an edit typed over the old name is refused (Institution.CheckVersion),
// and the change is kept in its history with the reviewer and the reason
// (¶17.2). EINVALID "reverify.no_new_name" when the institution bears
// that name already (an edit got there first).
func updateFromRegister(ctx context.Context, tx *Tx, me *actor, id int64, oldName, newName, reason string) error {
	if oldName == newName {
		return domain.Errorf(domain.EINVALID, "reverify.no_new_name", "the registers give no other name to take")
	}
	if _, err := tx.Exec(ctx, `UPDATE institutions SET name = $2, details_version = details_version + 1, updated_at = $3 WHERE id = $1`,
		id, newName, tx.now); err != nil {
		return dbError("update institution", err)
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO institution_changes (institution_id, field, old_value, new_value, reason, operator_id, source, changed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		id, domain.InstitutionFieldName, oldName, newName, reason, me.id, string(domain.ChangeByReverification), tx.now)
	return dbError("record institution change", err)
}

// escalateToSanction hands an escalated re-verification r to security in
// tx: it opens a sanction case of the institution on
// domain.EscalationClause with the reviewer's reason and the differences
// as evidence, or, when a case of it is open already, notes the
// escalation on that case (its evidence gains the line, while it fits,
// its version moves on and the note is audited on the case) rather than
// fail. It returns the case's id. The open case's row is locked before
// the institution's, as the sanction steps lock them.
func escalateToSanction(ctx context.Context, tx *Tx, me *actor, r *domain.Reverification, reason string) (int64, error) {
	var caseID int64
	var evidence string
	err := tx.QueryRow(ctx, `SELECT id, evidence FROM sanction_cases WHERE institution_id = $1 AND state = 'open' FOR UPDATE`,
		r.InstitutionID).Scan(&caseID, &evidence)
	if isNoRows(err) {
		return openSanctionCase(ctx, tx, me, r.InstitutionID, domain.EscalationClause(r.Differences), reason, domain.EscalationEvidence(r))
	}
	if err != nil {
		return 0, dbError("read the institution's sanction case", err)
	}
	note := domain.EscalationEvidence(r)
	if evidence != "" {
		note = evidence + "\n" + note
	}
	if utf8.RuneCountInString(note) > domain.DenialEvidenceMaxLength {
		note = evidence
	}
	if _, err := tx.Exec(ctx, `UPDATE sanction_cases SET evidence = $2, version = version + 1 WHERE id = $1`, caseID, note); err != nil {
		return 0, dbError("note the escalation on the sanction case", err)
	}
	return caseID, auditSanction(ctx, tx, domain.AuditSanctionEscalation, caseID, r.InstitutionID,
		"reverification "+strconv.FormatInt(r.ID, 10)+" "+joinDiffs(r.Differences), reason)
}

func joinDiffs(ds []domain.Difference) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = string(d)
	}
	return strings.Join(s, ",")
}

// ReverifyPolicy returns the re-verification policy in force. It returns
// the errors of the role check (any enabled operator may read it) and
// EUNAVAILABLE.
func (s *ReverifyService) ReverifyPolicy(ctx context.Context) (*domain.ReverifyPolicy, error) {
	if _, err := loadCaller(ctx, s.db.pool, reverifyGuard); err != nil {
		return nil, err
	}
	return readReverifyPolicy(ctx, s.db.pool)
}

func readReverifyPolicy(ctx context.Context, q querier) (*domain.ReverifyPolicy, error) {
	p := &domain.ReverifyPolicy{}
	err := q.QueryRow(ctx, `
		SELECT p.cycle_months, p.changed_at, coalesce(nullif(o.full_name, ''), o.name, '')
		  FROM reverification_policy p LEFT JOIN operators o ON o.id = p.changed_by`).Scan(&p.CycleMonths, &p.ChangedAt, &p.ChangedByName)
	if errors.Is(err, pgx.ErrNoRows) {
		return &domain.ReverifyPolicy{CycleMonths: domain.DefaultReverifyCycleMonths}, nil
	}
	if err != nil {
		return nil, dbError("read the re-verification policy", err)
	}
	p.ChangedAt = p.ChangedAt.UTC()
	return p, nil
}

// SetReverifyCycle sets the re-verification cycle to months, audited
// with the old and new values; institutions already placed keep their
// due time and move by the new cycle after their next re-verification.
// It returns domain.CheckReverifyCycle's EINVALID "reverify.cycle_range",
// EFORBIDDEN "reverify.not_admin" for an operator who is not an
// administrator, and EUNAVAILABLE.
func (s *ReverifyService) SetReverifyCycle(ctx context.Context, months int) (*domain.ReverifyPolicy, error) {
	if err := domain.CheckReverifyCycle(months); err != nil {
		return nil, err
	}
	var out *domain.ReverifyPolicy
	err := s.db.inTx(ctx, "set the re-verification cycle", func(tx *Tx) error {
		me, err := loadCaller(ctx, tx, reverifyAdminGuard, domain.RoleAdmin)
		if err != nil {
			return err
		}
		var by *int64
		if !me.machine() {
			by = &me.id
		}
		var old int
		if err := tx.QueryRow(ctx, `SELECT cycle_months FROM reverification_policy FOR UPDATE`).Scan(&old); err != nil {
			return dbError("set the re-verification cycle", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE reverification_policy SET cycle_months = $1, changed_at = $2, changed_by = $3`,
			months, tx.now, by); err != nil {
			return dbError("set the re-verification cycle", err)
		}
		if err := appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditReverifyCycle, SubjectKind: "policy",
			SubjectID: "reverify_cycle", Details: "months " + strconv.Itoa(old) + " → " + strconv.Itoa(months)}); err != nil {
			return err
		}
		out, err = readReverifyPolicy(ctx, tx)
		return err
	})
	return out, err
}
