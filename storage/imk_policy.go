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

// policyTopic is the change-feed topic of the target-group policy.
const policyTopic = domain.TopicIMKPolicy

// PolicyService implements domain.PolicyService on PostgreSQL. Every
// method needs an editor or an administrator (EUNAUTHORIZED
// "imk.policy_no_operator", EFORBIDDEN "imk.policy_not_editor"); the reads
// may be the back office itself (the command line, the checker).
type PolicyService struct{ db *DB }

var _ domain.PolicyService = (*PolicyService)(nil)

// NewPolicyService returns a PolicyService on db.
func NewPolicyService(db *DB) *PolicyService { return &PolicyService{db: db} }

// policyColumns are read by scanPolicy, in its order. '-infinity' (the
// default version's effective date) reads as the zero time.
const policyColumns = `id, version, name, min_age, max_age, require_employment, require_residence, exclude_studying,
	max_data_age, priority_max_lki, priority_min_age, priority_combine, auto_reject, state, drafted_by, approved_by,
	CASE WHEN isfinite(effective_from) THEN effective_from END, created_at,
	coalesce((SELECT coalesce(nullif(o.full_name, ''), o.name) FROM operators o WHERE o.id = eligibility_policies.drafted_by), ''),
	coalesce((SELECT coalesce(nullif(o.full_name, ''), o.name) FROM operators o WHERE o.id = eligibility_policies.approved_by), '')`

func scanPolicy(row pgx.Row) (*domain.EligibilityPolicy, error) {
	p := &domain.EligibilityPolicy{}
	var drafted, approved *int64
	var from *time.Time
	err := row.Scan(&p.ID, &p.Version, &p.Name, &p.MinAge, &p.MaxAge, &p.RequireEmployment, &p.RequireResidence,
		&p.ExcludeStudying, &p.MaxDataAge, &p.PriorityMaxLKI, &p.PriorityMinAge, &p.PriorityCombine, &p.AutoReject,
		&p.State, &drafted, &approved,
		&from, &p.CreatedAt, &p.DraftedByName, &p.ApprovedByName)
	if err != nil {
		return nil, err
	}
	if drafted != nil {
		p.DraftedBy = *drafted
	}
	if approved != nil {
		p.ApprovedBy = *approved
	}
	if from != nil {
		p.EffectiveFrom = from.UTC()
	}
	p.CreatedAt = p.CreatedAt.UTC()
	return p, nil
}

func policyNotFound(id int64) error {
	return domain.Errorf(domain.ENOTFOUND, "imk.policy_not_found", "target-group policy %d was not found", id)
}

// ListPolicies returns every version, newest first.
func (s *PolicyService) ListPolicies(ctx context.Context) ([]*domain.EligibilityPolicy, error) {
	if _, err := loadCaller(ctx, s.db.pool, policyGuard, domain.RoleEditor, domain.RoleAdmin); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, `SELECT `+policyColumns+` FROM eligibility_policies ORDER BY version DESC`)
	if err != nil {
		return nil, dbError("list policies", err)
	}
	defer rows.Close()
	var out []*domain.EligibilityPolicy
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, dbError("list policies", err)
		}
		out = append(out, p)
	}
	return out, dbError("list policies", rows.Err())
}

// FindPolicy returns one version, or ENOTFOUND "imk.policy_not_found".
func (s *PolicyService) FindPolicy(ctx context.Context, id int64) (*domain.EligibilityPolicy, error) {
	if _, err := loadCaller(ctx, s.db.pool, policyGuard, domain.RoleEditor, domain.RoleAdmin); err != nil {
		return nil, err
	}
	p, err := scanPolicy(s.db.pool.QueryRow(ctx, `SELECT `+policyColumns+` FROM eligibility_policies WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, policyNotFound(id)
	}
	if err != nil {
		return nil, dbError("find policy", err)
	}
	return p, nil
}

// PolicyInForce returns the approved version with the latest effective
// date not after at: the one the checker would use at that time.
func (s *PolicyService) PolicyInForce(ctx context.Context, at time.Time) (*domain.EligibilityPolicy, error) {
	if _, err := loadCaller(ctx, s.db.pool, policyGuard, domain.RoleEditor, domain.RoleAdmin); err != nil {
		return nil, err
	}
	p, err := scanPolicy(s.db.pool.QueryRow(ctx, `
		SELECT `+policyColumns+` FROM eligibility_policies
		 WHERE state = 'approved' AND effective_from <= $1
		 ORDER BY effective_from DESC, version DESC LIMIT 1`, at.UTC()))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.EINTERNAL, "imk.no_policy", "no approved target-group policy is in force")
	}
	if err != nil {
		return nil, dbError("read the policy in force", err)
	}
	return p, nil
}

// policyDetails sums a version up for the audit log.
func policyDetails(p *domain.EligibilityPolicy) string {
	b := func(v bool) string { return strconv.FormatBool(v) }
	return "version=" + strconv.Itoa(p.Version) +
		"; min_age=" + strconv.Itoa(p.MinAge) + "; max_age=" + strconv.Itoa(p.MaxAge) +
		"; employment=" + b(p.RequireEmployment) + "; residence=" + b(p.RequireResidence) +
		"; exclude_studying=" + b(p.ExcludeStudying) + "; max_data_age=" + p.MaxDataAge.String() +
		"; priority_lki=" + strconv.Itoa(p.PriorityMaxLKI) + "; priority_age=" + strconv.Itoa(p.PriorityMinAge) +
		"; priority_combine=" + p.Combine() + "; auto_reject=" + strings.Join(p.AutoReject, ",")
}

// DraftPolicy stores p as a draft with the next version number, drafted
// by the acting editor or admin (domain.NewPolicyDraft), and returns it.
func (s *PolicyService) DraftPolicy(ctx context.Context, p *domain.EligibilityPolicy) (*domain.EligibilityPolicy, error) {
	if _, err := domain.NewPolicyDraft(p, 0, time.Time{}); err != nil {
		return nil, err
	}
	var id int64
	err := s.db.inTx(ctx, "draft policy", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, policyGuard, domain.RoleEditor, domain.RoleAdmin)
		if err != nil {
			return err
		}
		d, err := domain.NewPolicyDraft(p, me.id, tx.now)
		if err != nil {
			return err
		}
		// Version numbers are handed out one draft at a time.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('eligibility_policies.version'))`); err != nil {
			return dbError("draft policy", err)
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO eligibility_policies (version, name, min_age, max_age, require_employment, require_residence,
			                                  exclude_studying, max_data_age, priority_max_lki, priority_min_age,
			                                  priority_combine, auto_reject, state, drafted_by, created_at)
			SELECT coalesce(max(version), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $12, $13, 'draft', $10, $11
			  FROM eligibility_policies
			RETURNING id, version`,
			d.Name, d.MinAge, d.MaxAge, d.RequireEmployment, d.RequireResidence, d.ExcludeStudying,
			d.MaxDataAge, d.PriorityMaxLKI, d.PriorityMinAge, me.id, tx.now, d.Combine(), d.AutoReject).Scan(&id, &d.Version)
		if err != nil {
			return dbError("draft policy", err)
		}
		if err := Notify(ctx, tx, policyTopic, idText(id)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditIMKPolicyDraft, SubjectKind: "eligibility_policy", SubjectID: idText(id), Details: policyDetails(d),
		})
	})
	if err != nil {
		return nil, err
	}
	return s.FindPolicy(ctx, id)
}

// lockPolicy reads a version for update.
func lockPolicy(ctx context.Context, tx *Tx, id int64) (*domain.EligibilityPolicy, error) {
	p, err := scanPolicy(tx.QueryRow(ctx, `SELECT `+policyColumns+` FROM eligibility_policies WHERE id = $1 FOR UPDATE`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, policyNotFound(id)
	}
	if err != nil {
		return nil, dbError("read policy", err)
	}
	if err := p.CheckDraft(); err != nil {
		return nil, err
	}
	return p, nil
}

// ApprovePolicy approves a draft drafted by someone else, in force from
// effectiveFrom (the transaction's time when zero).
func (s *PolicyService) ApprovePolicy(ctx context.Context, id int64, effectiveFrom time.Time) (*domain.EligibilityPolicy, error) {
	err := s.db.inTx(ctx, "approve policy", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, policyGuard, domain.RoleEditor, domain.RoleAdmin)
		if err != nil {
			return err
		}
		from, err := domain.PolicyEffectiveFrom(effectiveFrom, tx.now)
		if err != nil {
			return err
		}
		p, err := lockPolicy(ctx, tx, id)
		if err != nil {
			return err
		}
		// Four eyes by operator, not by session: the same person in a
		// second session is still the drafter.
		if err := p.ApprovalBlocker(me.id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE eligibility_policies
			   SET state = 'approved', approved_by = $2, approved_at = $3, effective_from = $4
			 WHERE id = $1 AND state = 'draft' AND drafted_by IS DISTINCT FROM $2`,
			id, me.id, tx.now, from)
		if err != nil {
			return dbError("approve policy", err)
		}
		if tag.RowsAffected() != 1 {
			return (&domain.EligibilityPolicy{Version: p.Version}).CheckDraft()
		}
		if err := Notify(ctx, tx, policyTopic, idText(id)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditIMKPolicyApprove, SubjectKind: "eligibility_policy", SubjectID: idText(id),
			Details: policyDetails(p) + "; drafted_by=" + idText(p.DraftedBy) + "; effective_from=" + from.Format(time.RFC3339),
		})
	})
	if err != nil {
		return nil, err
	}
	return s.FindPolicy(ctx, id)
}

// DiscardPolicy deletes a draft; any editor or admin may.
func (s *PolicyService) DiscardPolicy(ctx context.Context, id int64) error {
	return s.db.inTx(ctx, "discard policy", func(tx *Tx) error {
		if _, err := loadActor(ctx, tx, policyGuard, domain.RoleEditor, domain.RoleAdmin); err != nil {
			return err
		}
		p, err := lockPolicy(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM eligibility_policies WHERE id = $1 AND state = 'draft'`, id); err != nil {
			return dbError("discard policy", err)
		}
		if err := Notify(ctx, tx, policyTopic, idText(id)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditIMKPolicyDiscard, SubjectKind: "eligibility_policy", SubjectID: idText(id),
			Details: "version=" + strconv.Itoa(p.Version),
		})
	})
}
