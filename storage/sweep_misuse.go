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

// misuseQueries find, for each kind, the groups whose count reaches the
// threshold in the window [$1, $2]: $3 is the threshold. Each row is the
// signal's key (no personal data: a contact is hashed), its subject, its
// count and its evidence. A person is their personal code, or for a
// request without one (an institution's staff, ¶27.2) their name.
var misuseQueries = map[domain.MisuseKind]string{
	// ¶8, ¶27.3: a user applies for themselves; one address or phone
	// behind several persons' requests is one person applying for others.
	// IMK applications count with the requests; a group of IMK
	// applications alone is imk_contact's.
	domain.MisuseSharedContact: `
		WITH src AS (
			SELECT 'role_request' AS ek, id, 'email' AS channel, lower(btrim(email)) AS contact,
			       coalesce(nullif(personal_code, ''), 'name:' || lower(btrim(applicant_name))) AS who
			  FROM role_requests WHERE created_at BETWEEN $1 AND $2
			UNION ALL
			SELECT 'role_request', id, 'phone', regexp_replace(phone, '[^0-9+]', '', 'g'),
			       coalesce(nullif(personal_code, ''), 'name:' || lower(btrim(applicant_name)))
			  FROM role_requests WHERE created_at BETWEEN $1 AND $2 AND phone <> ''
			UNION ALL
			SELECT 'imk_application', id, 'email', lower(btrim(email)), personal_code
			  FROM imk_applications WHERE applied_at BETWEEN $1 AND $2
		)
		SELECT channel || ':' || encode(sha256(convert_to(contact, 'UTF8')), 'hex'), contact, count(DISTINCT who)::int,
		       jsonb_agg(jsonb_build_object('kind', ek, 'id', id) ORDER BY ek DESC, id)
		  FROM src WHERE contact <> ''
		 GROUP BY channel, contact
		HAVING count(DISTINCT who) >= $3 AND bool_or(ek = 'role_request')`,
	domain.MisuseIMKContact: `
		SELECT 'email:' || encode(sha256(convert_to(lower(btrim(email)), 'UTF8')), 'hex'), lower(btrim(email)),
		       count(DISTINCT personal_code)::int,
		       jsonb_agg(jsonb_build_object('kind', 'imk_application', 'id', id) ORDER BY id)
		  FROM imk_applications WHERE applied_at BETWEEN $1 AND $2
		 GROUP BY lower(btrim(email))
		HAVING count(DISTINCT personal_code) >= $3`,
	// ¶27.2, ¶29.3: staff and career consultants of one institution.
	domain.MisuseRequestBurst: `
		SELECT 'institution:' || r.institution_id, i.name, count(*)::int,
		       jsonb_agg(jsonb_build_object('kind', 'role_request', 'id', r.id) ORDER BY r.id)
		  FROM role_requests r JOIN institutions i ON i.id = r.institution_id
		 WHERE r.kind IN ('institution_staff', 'career_consultant') AND r.created_at BETWEEN $1 AND $2
		 GROUP BY r.institution_id, i.name
		HAVING count(*) >= $3`,
	// ¶31.3: the helpdesk's reset tickets matched to an account, and the
	// resets staff started from the account (a held one started from a
	// ticket is that ticket's).
	domain.MisuseResetBurst: `
		WITH src AS (
			SELECT 'ticket' AS ek, id, account_kind, account_id FROM tickets
			 WHERE category = 'password_reset' AND account_id IS NOT NULL AND created_at BETWEEN $1 AND $2
			UNION ALL
			SELECT 'pending_reset', id, account_kind, account_id FROM pending_resets
			 WHERE ticket_id IS NULL AND requested_at BETWEEN $1 AND $2
		)
		SELECT account_kind || ':' || account_id,
		       coalesce(CASE account_kind
		           WHEN 'platform_user' THEN (SELECT u.email FROM platform_users u WHERE u.id = account_id)
		           WHEN 'operator' THEN (SELECT o.name FROM operators o WHERE o.id = account_id) END, ''),
		       count(*)::int, jsonb_agg(jsonb_build_object('kind', ek, 'id', id) ORDER BY ek DESC, id)
		  FROM src GROUP BY account_kind, account_id
		HAVING count(*) >= $3`,
}

// MisuseEvidenceMax is how many of the rows it counted a signal keeps as
// its evidence (the first ones, by kind and id); its count says how many
// there were. A burst of requests cannot grow one signal without bound.
const MisuseEvidenceMax = 100

// misuseSignals is the sweep that raises the signals about applicants and
// providers (issue 18): for each kind, every group whose count reaches its
// threshold (policy data, misuse_policy) within the window before now. One
// signal stays open per (kind, key): a second run raises nothing new and
// updates the open one's count and evidence when they grew. A signal
// closed within the window is not raised again unless the count grew past
// the closed one's.
func (s *Sweeper) misuseSignals(ctx context.Context, r *sweepRun, now time.Time) error {
	policy, err := readMisuseThresholds(ctx, s.db.pool)
	if err != nil {
		return err
	}
	for _, p := range policy {
		if err := s.misuseKind(ctx, r, now, p); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sweeper) misuseKind(ctx context.Context, r *sweepRun, now time.Time, p domain.MisuseThreshold) error {
	from := now.Add(-p.Window)
	return s.inTxAt(ctx, "raise misuse signals", now, func(tx *Tx) error {
		rows, err := tx.Query(ctx, misuseQueries[p.Kind], from, now, p.Threshold)
		if err != nil {
			return dbError("find misuse "+string(p.Kind), err)
		}
		type group struct {
			key, subject string
			count        int
			evidence     []domain.MisuseEvidence
		}
		var groups []group
		for rows.Next() {
			var g group
			if err := rows.Scan(&g.key, &g.subject, &g.count, &g.evidence); err != nil {
				rows.Close()
				return dbError("find misuse "+string(p.Kind), err)
			}
			g.evidence = g.evidence[:min(len(g.evidence), MisuseEvidenceMax)]
			groups = append(groups, g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return dbError("find misuse "+string(p.Kind), err)
		}
		for _, g := range groups {
			r.Checked++
			if !p.Reached(g.count) {
				continue
			}
			var id int64
			var inserted bool
			err := tx.QueryRow(ctx, `
				INSERT INTO misuse_signals (kind, key, subject, count, threshold, window_start, window_end, evidence, raised_at)
				SELECT $1, $2, $3, $4, $5, $6, $7, $8, $7
				 WHERE NOT EXISTS (SELECT 1 FROM misuse_signals c
				                    WHERE c.kind = $1 AND c.key = $2 AND c.closed_at IS NOT NULL
				                      AND c.closed_at >= $6 AND c.count >= $4)
				ON CONFLICT (kind, key) WHERE closed_at IS NULL DO UPDATE
				   SET count = excluded.count, evidence = excluded.evidence, subject = excluded.subject,
				       window_start = excluded.window_start, window_end = excluded.window_end
				 WHERE misuse_signals.count < excluded.count
				RETURNING id, xmax = 0`,
				string(p.Kind), g.key, domain.AuditText(g.subject), g.count, p.Threshold, from, now, g.evidence).Scan(&id, &inserted)
			if err != nil {
				if errors.Is(err, pgx.ErrNoRows) {
					continue // open already with as much, or closed with as much
				}
				return dbError("raise misuse signal", err)
			}
			if err := Notify(ctx, tx, domain.TopicMisuseSignal, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
			if !inserted {
				continue
			}
			r.Changed++
			kind, subjectID := "misuse_signal", strconv.FormatInt(id, 10)
			if k, n, ok := strings.Cut(g.key, ":"); ok && k != "email" && k != "phone" {
				kind, subjectID = k, n
			}
			if err := appendAudit(ctx, tx, &domain.AuditEntry{
				Action: domain.AuditMisuseRaise, SubjectKind: kind, SubjectID: subjectID,
				Details: "signal=" + strconv.FormatInt(id, 10) + "; kind=" + string(p.Kind) +
					"; count=" + strconv.Itoa(g.count) + "; threshold=" + strconv.Itoa(p.Threshold) +
					"; evidence=" + strconv.Itoa(len(g.evidence)),
			}); err != nil {
				return err
			}
		}
		return nil
	})
}
