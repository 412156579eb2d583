package demodata

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/viaa/ppp/domain"
)

// History is how long a history PersonHistory writes: Entries in each
// section, but Tickets tickets and Denials denials (the demo leaves the
// helpdesk's queue to its own mail, and the denials screen to its own
// cases).
type History struct{ Entries, Tickets, Denials int }

// PersonHistory gives the Platform user userID a long history over the
// sections of the people screen (issue 17), as h says: ended role
// assignments, role requests, closed IMK applications, lifted denials,
// helpdesk tickets, mail, Platform sign-ins, account changes and expired
// e-mail change requests (asked by operator requestedBy), spread over the
// last days. The demo gives a few people such histories; `ppp bench`
// and the storage benchmark time the person's page over them. The rows
// are written straight in SQL, as the Platform and the years would have
// left them.
func PersonHistory(ctx context.Context, pool *pgxpool.Pool, userID, requestedBy int64, h History) error {
	steps := []struct{ what, sql string }{
		{"role assignments", `
			INSERT INTO role_assignments (user_id, role, valid_from, valid_until, ended_at, end_reason, created_at)
			SELECT $1, 'career_consultant', now() - make_interval(days => g + 30), now() - make_interval(days => g),
			       now() - make_interval(days => g), 'expired', now() - make_interval(days => g + 30)
			  FROM generate_series(1, $2) g`},
		{"role requests", `
			INSERT INTO role_requests (kind, state, route, first_name, last_name, personal_code, email,
			                           email_sent_at, email_confirmed_at, decided_at, reason_code, reason_text, created_at, updated_at)
			SELECT 'career_consultant', 'rejected', 'agency', u.first_name, u.last_name, u.personal_code, u.email,
			       now() - make_interval(days => g), now() - make_interval(days => g),
			       now() - make_interval(days => g), 'other', 'dublikāts', now() - make_interval(days => g), now()
			  FROM platform_users u, generate_series(1, $2) g WHERE u.id = $1`},
		{"IMK applications", `
			INSERT INTO imk_applications (personal_code, first_name, last_name, email, state, applied_at, updated_at)
			SELECT u.personal_code, u.first_name, u.last_name, u.email, 'closed', now() - make_interval(days => g), now()
			  FROM platform_users u, generate_series(1, $2) g WHERE u.id = $1`},
		{"denials", `
			INSERT INTO denials (subject_kind, subject_id, ground, note, state, raised_at, in_force_at, lift_reason, lifted_at)
			SELECT 'platform_user', $1, '32.1', 'lomas derīgums beidzies', 'lifted', now() - make_interval(days => g + 1),
			       now() - make_interval(days => g + 1), 'loma atjaunota', now() - make_interval(days => g)
			  FROM generate_series(1, $2) g`},
		{"tickets", `
			INSERT INTO tickets (subject, from_addr, category, suggested, state, account_kind, account_id, created_at, updated_at)
			SELECT 'Jautājums Nr. ' || g, lower(u.email), 'question', 'question', 'resolved', 'platform_user', u.id,
			       now() - make_interval(days => g), now() - make_interval(days => g)
			  FROM platform_users u, generate_series(1, $2) g WHERE u.id = $1`},
		{"mail", `
			INSERT INTO outbox (to_addr, lang, template, subject, body, state, next_try_at, sent_at, created_at, message_id)
			SELECT u.email, 'lv', $3::text, 'Atbilde uz jūsu jautājumu Nr. ' || g, '', 'sent', now(),
			       now() - make_interval(days => g), now() - make_interval(days => g),
			       'hist-' || u.id || '-' || g || '-' || md5(random()::text) || '@ppp.viaa.gov.lv'
			  FROM platform_users u, generate_series(1, $2) g WHERE u.id = $1`},
		{"sign-ins", `
			INSERT INTO platform_sign_ins (user_id, at, method, recorded_at)
			SELECT $1, now() - make_interval(hours => g * 7), (ARRAY['smart_id', 'eparaksts_mobile', 'eid_card'])[1 + g % 3],
			       now() - make_interval(hours => g * 7)
			  FROM generate_series(1, $2) g`},
		{"account changes", `
			INSERT INTO account_changes (user_id, field, old_value, new_value, reason, actor_name, at)
			SELECT $1, 'email', 'vecais' || g || '@example.lv', 'jaunais' || g || '@example.lv', 'personas lūgums',
			       'cli:demo', now() - make_interval(days => g)
			  FROM generate_series(1, $2) g`},
		{"e-mail change requests", `
			INSERT INTO email_change_requests (user_id, old_email, new_email, reason, requested_by, requested_at, expires_at,
			                                   state, decided_at)
			SELECT $1, u.email, 'cits' || g || '@example.lv', 'personas lūgums', $3::bigint, now() - make_interval(days => g + 3),
			       now() - make_interval(days => g), 'expired', now() - make_interval(days => g)
			  FROM platform_users u, generate_series(1, $2) g WHERE u.id = $1`},
	}
	for _, s := range steps {
		args := []any{userID, h.Entries}
		switch s.what {
		case "tickets":
			args[1] = h.Tickets
		case "denials":
			args[1] = h.Denials
		}
		switch s.what {
		case "e-mail change requests":
			args = append(args, requestedBy)
		case "mail":
			args = append(args, domain.FreeReplyTemplate)
		}
		if _, err := pool.Exec(ctx, s.sql, args...); err != nil {
			return fmt.Errorf("person history: %s: %w", s.what, err)
		}
	}
	return nil
}

// demoHistories is how many people the demo gives long histories, and
// how many entries each section of theirs holds.
const demoHistories, demoHistoryEntries = 3, 150

// people gives a few Platform users with a personal code long histories
// over every section of the people screen (issue 17), once: a database
// that has them already is left alone.
func (w *work) people(ctx context.Context) error {
	var done bool
	if err := w.db.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT FROM outbox WHERE message_id LIKE 'hist-%')`).Scan(&done); err != nil {
		return fmt.Errorf("demo work: people: %w", err)
	}
	if done {
		return nil
	}
	rows, err := w.db.Pool().Query(ctx, `
		SELECT id FROM platform_users WHERE kind = 'viss' AND person_id IS NOT NULL ORDER BY id LIMIT $1`, demoHistories)
	if err != nil {
		return fmt.Errorf("demo work: people: %w", err)
	}
	var users []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("demo work: people: %w", err)
		}
		users = append(users, id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("demo work: people: %w", err)
	}
	for _, u := range users {
		if err := PersonHistory(ctx, w.db.Pool(), u, w.staff[OperatorHelpdesk].id,
			History{Entries: demoHistoryEntries, Denials: 3}); err != nil {
			return fmt.Errorf("demo work: %w", err)
		}
	}
	return nil
}
