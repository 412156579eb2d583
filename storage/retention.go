package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// RetentionService reads and changes the retention rules (migration 0320)
// and says what the retention sweep would do. It implements
// domain.RetentionService.
type RetentionService struct {
	db *DB
}

var _ domain.RetentionService = (*RetentionService)(nil)

// NewRetentionService returns a RetentionService on db.
func NewRetentionService(db *DB) *RetentionService { return &RetentionService{db: db} }

var retentionGuard = guard{
	noOperator: domain.Errorf(domain.EUNAUTHORIZED, "access.no_operator", "only a signed-in operator can do this"),
	forbidden:  domain.Errorf(domain.EFORBIDDEN, "operator.not_admin", "back-office accounts are managed by administrators"),
}

// RetentionRules returns every kind's rule, in domain.RetentionKinds
// order. It returns EUNAVAILABLE when the database does not answer.
func (s *RetentionService) RetentionRules(ctx context.Context) ([]*domain.RetentionRule, error) {
	var out []*domain.RetentionRule
	err := s.db.readTx(ctx, "read retention rules", func(tx *Tx) error {
		var err error
		out, err = retentionRules(ctx, tx)
		return err
	})
	return out, err
}

func retentionRules(ctx context.Context, tx *Tx) ([]*domain.RetentionRule, error) {
	rows, err := tx.Query(ctx, `
		SELECT kind, period_months, period_days, action, updated_at, updated_by FROM retention_rules`)
	if err != nil {
		return nil, dbError("read retention rules", err)
	}
	byKind := map[domain.RetentionKind]*domain.RetentionRule{}
	for rows.Next() {
		r := &domain.RetentionRule{}
		if err := rows.Scan(&r.Kind, &r.Period.Months, &r.Period.Days, &r.Action, &r.UpdatedAt, &r.UpdatedBy); err != nil {
			rows.Close()
			return nil, dbError("read retention rules", err)
		}
		byKind[r.Kind] = r
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("read retention rules", err)
	}
	var out []*domain.RetentionRule
	for _, k := range domain.RetentionKinds {
		if r, ok := byKind[k]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// SetRetentionRule changes r.Kind's rule and records the change, with the
// old rule, in the audit log. It needs an administrator, or the command
// line (EUNAUTHORIZED, EFORBIDDEN), and returns r.Validate's errors (the
// database's checks agree with them).
func (s *RetentionService) SetRetentionRule(ctx context.Context, r domain.RetentionRule) (*domain.RetentionRule, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out *domain.RetentionRule
	err := s.db.inTx(ctx, "set retention rule", func(tx *Tx) error {
		a, err := loadCaller(ctx, tx, retentionGuard, domain.RoleAdmin)
		if err != nil {
			return err
		}
		var old domain.RetentionRule
		err = tx.QueryRow(ctx, `
			SELECT period_months, period_days, action FROM retention_rules WHERE kind = $1 FOR UPDATE`,
			r.Kind).Scan(&old.Period.Months, &old.Period.Days, &old.Action)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.ENOTFOUND, "retention.unknown_kind", "unknown kind of data %q", string(r.Kind))
		} else if err != nil {
			return dbError("set retention rule", err)
		}
		out = &domain.RetentionRule{Kind: r.Kind, Period: r.Period, Action: r.Action, UpdatedAt: tx.now, UpdatedBy: a.name}
		if _, err := tx.Exec(ctx, `
			UPDATE retention_rules SET period_months = $2, period_days = $3, action = $4, updated_at = $5, updated_by = $6
			 WHERE kind = $1`, r.Kind, r.Period.Months, r.Period.Days, r.Action, tx.now, a.name); err != nil {
			return dbError("set retention rule", err)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditRetentionSet, SubjectKind: "retention_rule", SubjectID: string(r.Kind),
			Details: fmt.Sprintf("%s %s → %s %s", old.Period, old.Action, r.Period, r.Action),
		})
	})
	return out, err
}

// RetentionPlan counts, per kind, what the retention sweep at now would
// delete or minimise, in one snapshot, changing nothing: `ppp sweep
// retention --dry-run`. It returns EUNAVAILABLE when the database does
// not answer.
func (s *RetentionService) RetentionPlan(ctx context.Context, now time.Time) ([]domain.RetentionCount, error) {
	var out []domain.RetentionCount
	err := s.db.readTx(ctx, "plan retention", func(tx *Tx) error {
		rules, err := retentionRules(ctx, tx)
		if err != nil {
			return err
		}
		for _, r := range rules {
			c := domain.RetentionCount{Kind: r.Kind, Action: r.Action, Before: r.Period.Before(now)}
			q := retentionWork[r.Kind]
			for _, count := range q.count(r.Action) {
				var n int64
				if err := tx.QueryRow(ctx, count, c.Before).Scan(&n); err != nil {
					return dbError("plan retention of "+string(r.Kind), err)
				}
				c.Count += n
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// retentionKindWork is a kind's statements: counting what is past the
// period ($1), and applying the action to at most $2 of them (the
// minimise statements also take the time, $3; prepareMinimise runs
// first, on the same rows, and is not counted). Each statement picks only
// what is still to do, so a second run finds nothing.
//
// deleteFiles are what the application's role may not delete itself:
// calls of an owner's function that deletes at most $2 rows past $1 (and
// past the rule, which it reads itself) and returns how many; they run
// with either action and are counted with it.
type retentionKindWork struct {
	countDelete, countMinimise []string
	delete, minimise           []string
	prepareMinimise            []string
	deleteFiles                []string
}

func (w retentionKindWork) count(a domain.RetentionAction) []string {
	if a == domain.RetentionDelete {
		return w.countDelete
	}
	return w.countMinimise
}

func (w retentionKindWork) apply(a domain.RetentionAction) []string {
	if a == domain.RetentionDelete {
		return w.delete
	}
	return w.minimise
}

// The register imports no mirror row, person or merge conflict names any
// longer.
const retentionUnusedImports = `
	FROM register_imports i
	WHERE i.imported_at < $1
	  AND NOT EXISTS (SELECT FROM population_register p WHERE p.import_id = i.id)
	  AND NOT EXISTS (SELECT FROM persons p WHERE p.death_check_import_id = i.id)
	  AND NOT EXISTS (SELECT FROM person_merge_conflicts c WHERE c.import_id = i.id)
	  AND NOT EXISTS (SELECT FROM enterprise_register e WHERE e.import_id = i.id)
	  AND NOT EXISTS (SELECT FROM institution_register r WHERE r.import_id = i.id)`

var retentionWork = map[domain.RetentionKind]retentionKindWork{
	// Helpdesk mail: the ticket keeps the message's place in the thread
	// (Message-ID, references, time); the minimal record drops the raw
	// message, its text, its sender and its attachments' names.
	domain.RetentionInboundMail: {
		countDelete:   []string{`SELECT count(*) FROM inbound_messages WHERE received_at < $1`},
		countMinimise: []string{`SELECT count(*) FROM inbound_messages WHERE received_at < $1 AND minimised_at IS NULL`},
		delete: []string{`DELETE FROM inbound_messages WHERE id IN (
			SELECT id FROM inbound_messages WHERE received_at < $1 ORDER BY id LIMIT $2)`},
		minimise: []string{`UPDATE inbound_messages
			   SET raw = ''::bytea, body = '', attachments = '[]', from_addr = '', from_name = '',
			       to_addrs = '{}', subject = '', parse_error = '', minimised_at = $3
			 WHERE id IN (SELECT id FROM inbound_messages WHERE received_at < $1 AND minimised_at IS NULL
			              ORDER BY id LIMIT $2)`},
	},
	// The registers' answers; the rows of the mirrors of persons' registers
	// (population, revenue, education) that no extract has confirmed
	// within the period, which the register no longer lists; and the
	// imports nothing names any longer (counted as they will be once
	// those mirror rows are gone; deleted only once they are).
	domain.RetentionRegisterSnapshots: {
		countDelete: []string{`SELECT count(*) FROM register_snapshots WHERE fetched_at < $1`,
			`SELECT count(*) FROM population_register WHERE fetched_at < $1`,
			`SELECT count(*) FROM revenue_register WHERE fetched_at < $1`,
			`SELECT count(*) FROM education_register WHERE fetched_at < $1`,
			`SELECT count(*)` + strings.Replace(retentionUnusedImports, "p.import_id = i.id)", "p.import_id = i.id AND p.fetched_at >= $1)", 1)},
		delete: []string{`DELETE FROM register_snapshots WHERE id IN (
			SELECT id FROM register_snapshots WHERE fetched_at < $1 ORDER BY id LIMIT $2)`,
			`DELETE FROM population_register WHERE personal_code IN (
			SELECT personal_code FROM population_register WHERE fetched_at < $1 ORDER BY personal_code LIMIT $2)`,
			`DELETE FROM revenue_register WHERE (personal_code, employer, valid_from) IN (
			SELECT personal_code, employer, valid_from FROM revenue_register WHERE fetched_at < $1
			 ORDER BY personal_code, employer, valid_from LIMIT $2)`,
			`DELETE FROM education_register WHERE personal_code IN (
			SELECT personal_code FROM education_register WHERE fetched_at < $1 ORDER BY personal_code LIMIT $2)`,
			`DELETE FROM register_imports WHERE id IN (SELECT i.id` + retentionUnusedImports + ` ORDER BY i.id LIMIT $2)`},
	},
	// Rejected and expired requests keep kind, state, route, dates, the
	// institution and the reason code, which the statistics and the
	// events name; the applicant's name, codes, contacts, free texts and
	// documents' files go.
	domain.RetentionRoleRequests: {
		countMinimise: []string{`SELECT count(*) FROM role_requests
			WHERE state IN ('rejected', 'expired') AND minimised_at IS NULL AND updated_at < $1`,
			`SELECT count(*) FROM role_request_document_contents f
			   JOIN role_request_documents d ON d.id = f.document_id JOIN role_requests r ON r.id = d.request_id
			  WHERE r.state IN ('rejected', 'expired') AND r.updated_at < $1`},
		// The files the applicant sent go (their name, type, size and
		// SHA-256 stay): through the owner's function of migration 0345,
		// as the application may not delete a file.
		deleteFiles: []string{`SELECT retention_delete_document_files($1, $2)`},
		prepareMinimise: []string{`UPDATE role_request_events SET note = ''
			 WHERE note <> '' AND request_id IN (SELECT id FROM role_requests
			               WHERE state IN ('rejected', 'expired') AND minimised_at IS NULL AND updated_at < $1
			               ORDER BY updated_at, id LIMIT $2)`},
		minimise: []string{`UPDATE role_requests
			   SET first_name = '', last_name = '', personal_code = '', email = '', phone = '', position = '',
			       notes = '', info_message = '', info_answer = '', reason_text = '',
			       password_hash = NULL, email_token_hash = NULL, minimised_at = $3
			 WHERE id IN (SELECT id FROM role_requests
			               WHERE state IN ('rejected', 'expired') AND minimised_at IS NULL AND updated_at < $1
			               ORDER BY updated_at, id LIMIT $2)`},
	},
	// Sign-in attempts: the minimal record keeps the time, the method and
	// the outcome, without the name tried or the address.
	domain.RetentionSignInAttempts: {
		countDelete:   []string{`SELECT count(*) FROM sign_in_attempts WHERE at < $1`},
		countMinimise: []string{`SELECT count(*) FROM sign_in_attempts WHERE at < $1 AND (operator_name <> '' OR remote_addr <> '')`},
		delete: []string{`DELETE FROM sign_in_attempts WHERE id IN (
			SELECT id FROM sign_in_attempts WHERE at < $1 ORDER BY id LIMIT $2)`},
		minimise: []string{`UPDATE sign_in_attempts SET operator_name = '', remote_addr = ''
			 WHERE id IN (SELECT id FROM sign_in_attempts WHERE at < $1 AND (operator_name <> '' OR remote_addr <> '')
			              ORDER BY id LIMIT $2)`},
	},
	// Sent and failed e-mails (never pending ones): the minimal record
	// keeps the template, language, times and state.
	domain.RetentionOutboxBodies: {
		countDelete:   []string{`SELECT count(*) FROM outbox WHERE state IN ('sent', 'failed') AND created_at < $1`},
		countMinimise: []string{`SELECT count(*) FROM outbox WHERE state IN ('sent', 'failed') AND created_at < $1 AND minimised_at IS NULL`},
		delete: []string{`DELETE FROM outbox WHERE id IN (
			SELECT id FROM outbox WHERE state IN ('sent', 'failed') AND created_at < $1 ORDER BY id LIMIT $2)`},
		minimise: []string{`UPDATE outbox SET to_addr = '', subject = '', body = '', last_error = '', minimised_at = $3
			 WHERE id IN (SELECT id FROM outbox WHERE state IN ('sent', 'failed') AND created_at < $1
			              AND minimised_at IS NULL ORDER BY id LIMIT $2)`},
	},
	// Audit entries are redacted by audit_redact (migration 0320), which
	// takes the period from the rule and the time from the database
	// itself, so that the application cannot redact a newer entry.
	domain.RetentionAudit: {
		countMinimise: []string{`SELECT count(*) FROM audit_log WHERE redacted_at IS NULL AND at < $1`},
	},
}

// retentionSummary writes counts as "kind action count" pairs for the
// audit log: counts only, no personal data.
func retentionSummary(counts []domain.RetentionCount) string {
	var b strings.Builder
	for i, c := range counts {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s %s %d", c.Kind, c.Action, c.Count)
	}
	return b.String()
}
