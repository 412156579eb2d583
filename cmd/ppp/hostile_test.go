package main_test

// What reaches an operator's terminal (issue 13): the database is filled
// with hostile text in every field a screen or a verb shows, every screen is
// walked (lists, details, sub-views) with the real storage services, every
// verb that prints stored data is run, and what comes out is parsed: no
// escape sequence but the renderer's own, no C1 control, no bidi control,
// no stray control character, and nothing of the hostile sequences'
// payloads.

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/jackc/pgx/v5"
	"github.com/muesli/termenv"
	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/theme"
)

// hostileTail is one of each thing a stranger can put into a stored value:
// a title change (OSC 0) and a clipboard write (OSC 52) with BEL and ST
// endings, CSI clear-screen and colour, the C1 forms of CSI and OSC (U+009B,
// U+009D), and bidi overrides (U+202E, U+2066). Every payload says PWNED,
// so that debris of a sequence half removed shows.
const hostileTail = "\x1b]0;PWNED-TITLE\x07\x1b]52;c;UFdORUQ=\x1b\\\x1b[2J\x1b[31m\u009b2J\u009d0;PWNED-C1\x07\u202e\u2066"

// hostile is s with the hostile tail.
func hostile(s string) string { return s + hostileTail }

// hugeLine is a 100 KB line with a sequence every few characters.
var hugeLine = strings.Repeat("Ā\x1b[7mx\x1b]0;PWNED\x07 ", 100<<10/22)

// seedHostile fills the instance's database: the demo data first, then
// hostile text over every field shown, and rows of the kinds the demo has
// none of. It returns the id of a Platform user with a history of e-mail
// changes and of the policy shown.
// hostileDemoPassword is the demo operator's password in the hostile
// text test (it obeys ¶31).
const hostileDemoPassword = "Naidīga#Vārpa7"

func seedHostile(t *testing.T, in *instance) (userID, policyID int64) {
	t.Helper()
	in.mustRun(t, "", "demo", "--scale", "24")
	// A verb that acts as demo proves it with demo's password.
	in.mustRun(t, hostileDemoPassword+"\n", "operator", "passwd", "demo")

	// Paths a stranger has: an SSH key's comment, and mail.
	_, _, pub := newKeyFiles(t, "hostile")
	key, err := os.ReadFile(pub)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(key)) + " " + hostile("laptop") + hugeLine + "\n"
	if err := os.WriteFile(pub, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	in.mustRun(t, "", "operator", "key", "add", "demo", pub)
	mailDir := t.TempDir()
	writeHostileMail(t, mailDir)
	in.run(t, "", "mail", "import", mailDir) // an unparsable message fails the verb; it is stored all the same

	// The rest is written straight into the tables, as the database's
	// administrator could: past the application's grants (and, for
	// published terms and policies, its triggers).
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.AdminURL(in.tb))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	H, L := hostileTail, hugeLine
	exec := func(sql string, args ...any) {
		t.Helper()
		start := time.Now()
		tag, err := conn.Exec(ctx, sql, args...)
		if d := time.Since(start); d > 200*time.Millisecond {
			t.Logf("seed: %v for %.60s", d, sql)
		}
		if err != nil {
			t.Fatalf("seed: %v\n%s", err, sql)
		}
		if tag.RowsAffected() == 0 && (tag.Insert() || tag.Update()) {
			t.Fatalf("seed: no row\n%s", sql)
		}
	}
	var demoID, otherID, helpdeskID int64
	if err := conn.QueryRow(ctx, `SELECT id FROM operators WHERE name = 'demo'`).Scan(&demoID); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT id FROM operators WHERE name = 'janis.berzins'`).Scan(&otherID); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT id FROM operators WHERE name = 'anna.kalnina'`).Scan(&helpdeskID); err != nil {
		t.Fatal(err)
	}

	// Operators: the signed-in one's own name shows in the header.
	exec(`UPDATE operators SET full_name = full_name || $1, email = $1 || email, disabled_reason = $1 || $2`, H, L)
	exec(`UPDATE operators SET disabled = true WHERE name = 'rute.liepa'`)

	// The audit log: what an unauthenticated user name becomes, and more.
	for i := 0; i < 3; i++ {
		exec(`INSERT INTO audit_log (at, actor_id, actor_name, session_id, remote_addr, action, subject_kind, subject_id, reason, details)
		      VALUES (now(), NULL, $1, $1, $1, '`+domain.AuditSignInFailure+`', 'operator', $1 || $2, $1 || $2, $1 || $2)`, H, L)
	}
	exec(`INSERT INTO audit_log (at, actor_id, actor_name, session_id, remote_addr, action, subject_kind, subject_id, reason, details)
	      VALUES (now(), $3, 'demo', 's', '127.0.0.1', 'x' || $1, $1, $1, $1, $1 || $2)`, H, L, demoID)

	// Sign-in attempts, shown to the operator and to administrators.
	exec(`INSERT INTO sign_in_attempts (at, operator_name, remote_addr, method, success)
	      SELECT now() - make_interval(mins => g), 'demo' || $1, $1 || $2, 'password', g % 2 = 0 FROM generate_series(1, 4) g`, H, L)

	// People: Platform users, institutions, municipalities.
	exec(`UPDATE platform_users SET first_name = first_name || $1, last_name = $1 || last_name || $2, email = email || $1`, H, L)
	// The 100 KB line on the persons a screen lists first or who hold an
	// account, not on every IMK client: written to each of thousands of
	// rows it made this the slowest statement of the suite.
	exec(`UPDATE persons SET first_name = first_name || $1, last_name = $1 || last_name`, H)
	exec(`UPDATE persons SET last_name = last_name || $1
	      WHERE id IN (SELECT id FROM persons ORDER BY id LIMIT 200) OR id IN (SELECT person_id FROM platform_users)`, L)
	exec(`UPDATE institutions SET name = name || $1 || $2, email = email || $1`, H, L)
	exec(`UPDATE municipalities SET name = name || $1`, H)

	// Role requests: the form, the documents, the history, a holder.
	exec(`UPDATE role_requests SET first_name = first_name || $1, last_name = last_name || $1 || $2,
	        email = email || $1, phone = phone || $1, position = position || $1,
	        institution_name = institution_name || $1, notes = notes || $1 || E'\n' || $2,
	        info_message = info_message || $1, reason_text = reason_text || $1,
	        personal_code = CASE WHEN personal_code = '' THEN '' ELSE $1 || personal_code END`, H, L)
	exec(`UPDATE role_request_documents SET name = name || $1 || $2, media_type = media_type || $1`, H, L)
	exec(`UPDATE role_request_events SET note = note || $1 || $2, actor_name = actor_name || $1`, H, L)
	exec(`UPDATE role_request_events SET action = action || $1 WHERE id IN (SELECT id FROM role_request_events ORDER BY id LIMIT 40)`, H)
	exec(`UPDATE role_requests SET claimed_by = $1, claim_session = 'other', claim_expires_at = now() + interval '1 hour'
	      WHERE id IN (SELECT id FROM role_requests WHERE state = 'pending' ORDER BY created_at LIMIT 2)`, otherID)

	// IMK: the registers the check reads, applicants, the check's
	// evidence. Only a few applications are checked, to keep it quick.
	exec(`UPDATE imk_applications SET state = 'closed' WHERE state = 'applied'
	        AND id NOT IN (SELECT id FROM imk_applications WHERE state = 'applied' ORDER BY id LIMIT 40)`)
	exec(`UPDATE population_register SET first_name = first_name || $1, last_name = last_name || $1, municipality = municipality || $1
	      WHERE personal_code IN (SELECT personal_code FROM imk_applications WHERE state = 'applied')`, H)
	exec(`UPDATE revenue_register SET employer = employer || $1 || $2
	      WHERE personal_code IN (SELECT personal_code FROM imk_applications WHERE state = 'applied')`, H, L)
	in.mustRun(t, "", "imk", "check")
	exec(`UPDATE imk_applications SET first_name = first_name || $1, last_name = last_name || $1, email = email || $1,
	        reason = reason || $1, personal_code = $1 || personal_code
	      WHERE state IN ('needs_review', 'approved', 'rejected')`, H)
	exec(`UPDATE imk_applications SET last_name = last_name || $1, reason = reason || $1
	      WHERE id IN (SELECT id FROM imk_applications WHERE state = 'needs_review' ORDER BY id LIMIT 5)`, L)
	// Evidence is a key with arguments: hostile text arguments, a hostile
	// key on every other rule, and one application whose evaluation was
	// stored before evidence had keys (prose).
	exec(`UPDATE imk_applications SET evaluation = jsonb_set(evaluation, '{Rules}',
	        (SELECT jsonb_agg(r || jsonb_build_object('Rule', (r->>'Rule') || $1, 'Source', (r->>'Source') || $1,
	                'Evidence', (r->'Evidence') || jsonb_build_object(
	                    'key', (r->'Evidence'->>'key') || CASE WHEN n % 2 = 0 THEN $1 ELSE '' END,
	                    'args', coalesce((SELECT jsonb_agg(a || jsonb_build_object('text', coalesce(a->>'text', '') || $1))
	                                        FROM jsonb_array_elements(r->'Evidence'->'args') a), '[]'::jsonb))))
	           FROM jsonb_array_elements(evaluation->'Rules') WITH ORDINALITY AS e(r, n)))
	      WHERE jsonb_typeof(evaluation->'Rules') = 'array' AND jsonb_array_length(evaluation->'Rules') > 0
	        AND id IN (SELECT id FROM imk_applications WHERE state = 'needs_review' ORDER BY id LIMIT 2)`, H)
	exec(`UPDATE imk_applications SET evaluation = jsonb_set(evaluation, '{Rules}',
	        (SELECT jsonb_agg(r || jsonb_build_object('Evidence', 'born 1990-06-15' || $1))
	           FROM jsonb_array_elements(evaluation->'Rules') r))
	      WHERE jsonb_typeof(evaluation->'Rules') = 'array' AND jsonb_array_length(evaluation->'Rules') > 0
	        AND id IN (SELECT id FROM imk_applications WHERE state = 'needs_review' ORDER BY id OFFSET 2 LIMIT 1)`, H)
	exec(`UPDATE imk_applications SET claimed_by = $1, claim_session = 'other', claim_expires_at = now() + interval '1 hour'
	      WHERE id IN (SELECT id FROM imk_applications WHERE state = 'needs_review' ORDER BY id DESC LIMIT 2)`, otherID)

	// Terms of use and announcements.
	exec(`ALTER TABLE terms_versions DISABLE TRIGGER USER`)
	exec(`UPDATE terms_versions SET number = number || $1, title = title || $1 || $2, summary = summary || $1 || $2,
	        return_note = $1 || $2, text = text || E'\n' || $1 || E'\n' || $2`, H, L)
	exec(`ALTER TABLE terms_versions ENABLE TRIGGER USER`)
	exec(`UPDATE announcements SET title = title || $1 || $2, body = body || E'\n' || $1 || E'\n' || $2,
	        services = services || $1, withdraw_reason = withdraw_reason || $1`, H, L)
	exec(`INSERT INTO announcements (kind, state, title, body, audience, starts_at, ends_at, services, email_audience,
	        created_by, created_at, updated_at, published_by, published_at, mail_state)
	      VALUES ('downtime', 'published', 'Pārtraukums' || $1 || $2, 'Darbi' || $1, '{}', now() + interval '1 hour',
	        now() + interval '2 hours', 'VIIS' || $1, false, $3, now(), now(), $3, now(), 'none')`, H, L, demoID)

	// Denials: notes, evidence, reasons; a lift waiting; one refused.
	exec(`INSERT INTO denials (subject_kind, subject_id, ground, note, evidence, state, raised_by, raised_at, approved_by, in_force_at, lift_reason, lift_requested_by)
	      SELECT 'platform_user', id, '32.1', 'Piezīme' || $1 || $2, 'Pierādījums' || $1, 'lift_pending', $3, now(), NULL, now(), 'Atcelt' || $1 || $2, $4
	        FROM platform_users ORDER BY id LIMIT 2`, H, L, otherID, otherID)
	exec(`INSERT INTO denials (subject_kind, subject_id, ground, note, state, raised_by, raised_at, refused_by, refuse_reason)
	      SELECT 'platform_user', id, '32.2', 'Piezīme' || $1, 'cancelled', $2, now(), $3, 'Atteikts' || $1 || $4
	        FROM platform_users ORDER BY id LIMIT 1`, H, otherID, demoID, L)
	exec(`INSERT INTO denials (subject_kind, subject_id, ground, note, state, raised_by, raised_at)
	      SELECT 'platform_user', id, '32.3', 'Gaida' || $1 || $2, 'pending_approval', $3, now()
	        FROM platform_users ORDER BY id DESC LIMIT 1`, H, L, otherID)
	// Sanction cases (issue 17, ¶32.5): reasons, evidence; a warning given,
	// a suspension waiting for a second officer.
	exec(`INSERT INTO sanction_cases (institution_id, clause, reason, evidence, opened_by, opened_at, current_step, pending)
	      SELECT i.id, '32.5', 'Lieta' || $1 || $2, 'Akts' || $1, $3, now(), 'warning', true FROM institutions i
	       WHERE NOT EXISTS (SELECT FROM sanction_cases c WHERE c.institution_id = i.id AND c.state = 'open')
	       ORDER BY i.id LIMIT 2`, H, L, otherID)
	exec(`INSERT INTO sanction_steps (case_id, kind, reason, evidence, state, proposed_by, proposed_at, in_force_at)
	      SELECT id, 'warning', 'Brīdinājums' || $1 || $2, 'Akts' || $1, 'given', $3, now(), now() FROM sanction_cases WHERE reason LIKE 'Lieta%'`, H, L, otherID)
	exec(`INSERT INTO sanction_steps (case_id, kind, reason, evidence, until, state, proposed_by, proposed_at)
	      SELECT id, 'suspension', 'Apturēt' || $1 || $2, 'Akts' || $1, now() + interval '10 days', 'pending', $3, now() FROM sanction_cases WHERE reason LIKE 'Lieta%'`, H, L, otherID)
	in.mustRun(t, "", "sweep", "role-expiry")
	in.mustRun(t, "", "sweep", "death-check")
	exec(`UPDATE sweep_runs SET instance = instance || $1, error = $1 || $2`, H, L)
	exec(`UPDATE persons SET death_check_due_at = now() - interval '1 day'
	      WHERE id IN (SELECT id FROM persons ORDER BY id LIMIT 3)`)

	// The helpdesk: replies, a reset waiting for a second person.
	var ticketID int64
	if err := conn.QueryRow(ctx, `SELECT id FROM tickets ORDER BY id LIMIT 1`).Scan(&ticketID); err != nil {
		t.Fatalf("the hostile mail made no ticket: %v", err)
	}
	exec(`UPDATE tickets SET subject = subject || $1 || $2`, H, L)
	exec(`INSERT INTO ticket_replies (ticket_id, template, lang, body, actor_id, actor_name, created_at)
	      VALUES ($1, 'reply' || $2, 'lv', 'Atbilde' || $2 || E'\n' || $3, $4, 'Anna' || $2, now())`, ticketID, H, L, helpdeskID)
	// The demo holds a reset of janis.berzins already: one of maris.ozols.
	exec(`INSERT INTO pending_resets (ticket_id, account_kind, account_id, requested_by, requested_at, note)
	      VALUES ($1, 'operator', (SELECT id FROM operators WHERE name = 'maris.ozols'), $2, now(), 'Piezīme' || $3)`, ticketID, helpdeskID, H)

	// Issue 17: an institution's history of changes, the re-verification
	// queue, person merge conflicts and bulk jobs (the demo makes each).
	exec(`INSERT INTO institution_changes (institution_id, field, old_value, new_value, reason, operator_id, source, changed_at)
	      SELECT id, 'name', 'Vecais' || $1, 'Jaunais' || $1 || $2, 'Iemesls' || $1 || $2, $3, 'operator', now()
	        FROM institutions ORDER BY id LIMIT 3`, H, L, demoID)
	exec(`UPDATE reverifications SET institution_name = institution_name || $1 || $2`, H, L)
	exec(`INSERT INTO person_merge_conflicts (person_id, other_id, found_at, reason)
	      SELECT (SELECT person_id FROM platform_users WHERE person_id IS NOT NULL ORDER BY id LIMIT 1),
	             (SELECT person_id FROM platform_users WHERE person_id IS NOT NULL ORDER BY id OFFSET 1 LIMIT 1), now(), 'Abi ar kontu' || $1 || $2`, H, L)
	exec(`INSERT INTO bulk_jobs (kind, source, reason, template, state, requested_by, created_at, finished_at, total, done)
	      VALUES ('mail', 'platform_users', 'Paziņojums' || $1 || $2, 'bulk.notice', 'done', $3, now(), now(), 2, 2)`, H, L, otherID)
	exec(`INSERT INTO bulk_job_items (job_id, seq, target_kind, target_id, state, done_at)
	      SELECT (SELECT max(id) FROM bulk_jobs), row_number() OVER (ORDER BY id), 'platform_user', id, 'done', now()
	        FROM (SELECT id FROM platform_users ORDER BY id LIMIT 2) u`)

	// Misuse alerts, by the operator whose name is hostile.
	exec(`INSERT INTO alerts (kind, operator_id, count, threshold, window_start, window_end, raised_at)
	      VALUES ('reveals', $1, 40, 30, now() - interval '1 hour', now(), now())`, otherID)
	exec(`INSERT INTO alerts (kind, operator_id, count, threshold, window_start, window_end, raised_at, closed_by, closed_at, note)
	      VALUES ('views', $1, 400, 200, now() - interval '2 hours', now() - interval '1 hour', now() - interval '1 hour', $2, now(), 'Slēgts' || $3 || $4)`, otherID, demoID, H, L)

	// A misuse signal about applicants (issue 18): its subject and an
	// evidence kind hostile.
	exec(`INSERT INTO misuse_signals (kind, key, subject, count, threshold, window_start, window_end, evidence, raised_at)
	      VALUES ('shared_contact', 'email:hostile', 'Kopa' || $1 || $2, 4, 3, now() - interval '30 days', now(),
	              jsonb_build_array(jsonb_build_object('kind', 'role_request', 'id', 1), jsonb_build_object('kind', $1::text, 'id', 2)), now())`, H, L)

	// A Platform account's e-mail history, and the IMK policy's name.
	if err := conn.QueryRow(ctx, `SELECT id FROM platform_users ORDER BY id LIMIT 1`).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO account_changes (user_id, field, old_value, new_value, reason, actor_id, actor_name, at)
	      VALUES ($1, 'email', 'old' || $2, 'new' || $2 || $3, 'Iemesls' || $2 || $3, $4, 'demo' || $2, now())`, userID, H, L, demoID)
	exec(`ALTER TABLE eligibility_policies DISABLE TRIGGER USER`)
	exec(`UPDATE eligibility_policies SET name = name || $1 || $2`, H, L)
	exec(`ALTER TABLE eligibility_policies ENABLE TRIGGER USER`)
	if err := conn.QueryRow(ctx, `SELECT id FROM eligibility_policies ORDER BY id LIMIT 1`).Scan(&policyID); err != nil {
		t.Fatal(err)
	}
	return userID, policyID
}

// writeHostileMail writes mail a stranger sends: raw escapes and encoded
// ones in the subject and the sender's name, a body with sequences, bytes
// that are not UTF-8 and a 100 KB line, and a message that does not parse.
func writeHostileMail(t *testing.T, dir string) {
	t.Helper()
	enc := func(s string) string {
		return "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
	}
	msgs := []string{
		"From: " + enc("Jānis"+hostileTail) + " <janis@example.lv>\r\n" +
			"To: stars@viaa.gov.lv\r\nSubject: Parole " + enc(hostileTail) + "\x1b]0;RAW-PWNED\x07\r\n" +
			"Message-ID: <hostile-1@example.lv>\r\nDate: Mon, 02 Mar 2026 10:00:00 +0200\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
			"Labdien!\r\n" + hostileTail + "\r\nslikti baiti: \xff\xfe\xc0\r\n" + hugeLine + "\r\n",
		"From: mallory@example.lv\r\nTo: stars@viaa.gov.lv\r\nSubject: " + hostileTail + "\r\n" +
			"Message-ID: <hostile-2@example.lv>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
			"<p>Teksts <b>" + hostileTail + "</b></p>\r\n--b\r\nContent-Type: application/pdf; name=\"" + hostileTail + ".pdf\"\r\n" +
			"Content-Disposition: attachment; filename=\"doc" + hostileTail + ".pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n",
		"From: broken\x1b]0;PWNED\x07\r\nSubject: \xff\xfe\r\nMessage-ID: <hostile-3@example.lv>\r\nContent-Type: multipart/mixed; boundary=\"\r\n\r\n" +
			hostileTail + "\xff\r\n",
	}
	for i, m := range msgs {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.eml", i)), []byte(m), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// plainProblems returns what in out could do more than print (at most a
// few, each with where it is), or nothing: an escape sequence (any, or any but SGR when sgr), a control
// character other than \n and \t, a C1 control, a bidi control, invalid
// UTF-8, or the payload of a hostile sequence.
func plainProblems(out string, sgr bool) []string {
	var found []string
	report := func(what string, at int) {
		if len(found) < 5 {
			found = append(found, fmt.Sprintf("%s: …%q…", what, out[max(at-30, 0):min(at+15, len(out))]))
		}
	}
	for i := 0; i < len(out); {
		c := out[i]
		if c == 0x1b {
			j := i + 1
			if j < len(out) && out[j] == '[' {
				j++
				for j < len(out) && out[j] >= 0x20 && out[j] <= 0x3f {
					j++
				}
				if j < len(out) && out[j] == 'm' && sgr {
					i = j + 1
					continue
				}
			}
			report(fmt.Sprintf("escape sequence %q", out[i:min(i+8, len(out))]), i)
			i++
			continue
		}
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			report(fmt.Sprintf("control %#x", c), i)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(out[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			report("invalid UTF-8", i)
		case r >= 0x80 && r <= 0x9f:
			report(fmt.Sprintf("C1 control %U", r), i)
		case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c:
			report(fmt.Sprintf("bidi control %U", r), i)
		}
		i += size
	}
	for at, rest := 0, out; ; {
		i := strings.Index(rest, "PWNED")
		if i < 0 {
			break
		}
		report("a hostile sequence's payload", at+i)
		at, rest = at+i+5, rest[i+5:]
	}
	return found
}

func TestHostileText_EveryScreenAndVerb_ShowsItPlain(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	start := time.Now()
	userID, policyID := seedHostile(t, in)

	t.Logf("seeded in %v", time.Since(start))
	t.Run("verbs", func(t *testing.T) {
		for _, v := range []struct {
			args  []string
			shown string // a seeded value the output shows, plain; "" for none
		}{
			{[]string{"operator", "list"}, "Anna Kalniņa"},
			{[]string{"operator", "key", "list", "demo"}, "laptopĀx Āx"},
			{[]string{"audit", "verify"}, ""},
			{[]string{"account", "history", strconv.FormatInt(userID, 10), "--as", "demo", "--password-stdin"}, "IemeslsĀx Āx"},
			{[]string{"imk", "policy", "list"}, "Āx Āx"},
			{[]string{"imk", "policy", "show", strconv.FormatInt(policyID, 10)}, "Āx Āx"},
			{[]string{"sweep", "death-check", "--report"}, "Āx Āx"},
			{[]string{"sweep", "role-expiry"}, ""},
			{[]string{"mail", "import", hostileMailFile(t)}, ""},
			{[]string{"registers", "import", "population", hostileRegisterFile(t)}, ""},
		} {
			stdin := ""
			if slices.Contains(v.args, "--password-stdin") {
				stdin = hostileDemoPassword + "\n"
			}
			res := in.run(t, stdin, v.args...)
			for name, out := range map[string]string{"stdout": res.stdout, "stderr": res.stderr} {
				for _, p := range plainProblems(out, false) {
					t.Errorf("ppp %s, %s: %s", strings.Join(v.args, " "), name, p)
				}
			}
			if !strings.Contains(res.stdout, v.shown) {
				t.Errorf("ppp %s printed no %q:\n%s", strings.Join(v.args, " "), v.shown, res)
			}
		}
	})

	t.Run("screens", func(t *testing.T) {
		for _, p := range []struct {
			name    string
			profile termenv.Profile
		}{{"no colour", termenv.Ascii}, {"256 colours", termenv.ANSI256}} {
			t.Run(p.name, func(t *testing.T) {
				t.Parallel()
				start := time.Now()
				walkScreens(t, in.dbURL, p.profile, p.profile == termenv.Ascii)
				t.Logf("walked in %v", time.Since(start))
			})
		}
	})
}

// hostileMailFile is a message the import refuses, named and holding
// hostile text, for the verb's error lines.
func hostileMailFile(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeHostileMail(t, dir)
	return dir
}

// hostileRegisterFile is a population extract whose bad row carries
// hostile text.
func hostileRegisterFile(t *testing.T) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "population"+hostileTail+".csv")
	body := "personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on\n" +
		"bad" + hostileTail + ",A" + hostileTail + ",B,1990-01-01,true,riga,\n"
	if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// connectedFeed is a change feed that is always up and never changes:
// the walk reads, it does not wait for changes.
type connectedFeed struct{}

func (connectedFeed) Subscribe(...string) (<-chan domain.Change, func()) {
	return make(chan domain.Change), func() {}
}
func (connectedFeed) Connected() bool { return true }

// walkScreens signs the demo operator (every role) in to the root model
// with the real storage services and walks every screen, checking every
// frame.
func walkScreens(t *testing.T, url string, profile termenv.Profile, full bool) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, err := storage.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ops := storage.NewOperatorService(db)
	demo, err := ops.FindOperatorByName(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	regs := storage.NewMirrorRegisters(db, storage.Outage{}, nil)
	ctx = domain.WithActor(ctx, domain.Actor{OperatorID: demo.ID, Name: demo.Name, SessionID: "hostile-" + strconv.Itoa(int(profile)), RemoteAddr: "127.0.0.1"})
	m := app.New(app.Options{
		Ctx: ctx,
		Services: common.Services{
			Operators:     ops,
			Audit:         storage.NewAuditService(db),
			Dashboard:     storage.NewDashboardService(db),
			Feed:          connectedFeed{},
			RoleRequests:  storage.NewRoleRequestService(db),
			Terms:         storage.NewTermsService(db),
			Announcements: storage.NewAnnouncementService(db),
			Denials:       storage.NewDenialService(db),
			IMK:           storage.NewIMKService(db, regs),
			Helpdesk:      storage.NewHelpdeskService(db),
			Defence:       storage.NewDefenceService(db),
			Sanctions:     storage.NewSanctionService(db),
			People:        storage.NewPersonDirectory(db),
			Institutions:  storage.NewInstitutionService(db),
			Reverify:      storage.NewReverifyService(db),
			PersonMerge:   storage.NewPersonMergeService(db),
			Bulk:          storage.NewBulkService(db, storage.NewDenialService(db), storage.NewRoleRequestService(db), storage.NewIMKService(db, regs)),
			Misuse:        storage.NewMisuseService(db),
			Reports:       storage.NewReportService(db),
		},
		Operator: demo,
		Timers:   stillTimers{},
		Styles:   theme.New(theme.NewRenderer(os.Stdout, profile)),
		Width:    100,
		Height:   30,
	})
	w := &walker{t: t, m: m, sgr: profile != termenv.Ascii, seen: map[string]bool{}}
	w.drain(m.Init())
	w.check("dashboard")

	type step struct {
		keys  string // space-separated key names
		where string
	}
	open := func(n int) []step { // the first n rows of a list, each opened and scrolled
		var s []step
		for i := 0; i < n; i++ {
			s = append(s, step{"enter", "open"}, step{"pgdown", "scrolled"}, step{"pgdown", "scrolled more"}, step{"esc", "back"}, step{"down", "next row"})
		}
		return s
	}
	// Each screen shows a seeded value: huge, a 100 KB line whose plain
	// form starts "Āx Āx"; or a word of the seeded rows.
	screens := []struct {
		name  string
		steps []step
		shown string
	}{
		{"role requests", append(append(open(3), step{"s s s s s s", "every state"}), open(2)...), "Āx Āx"},
		{"IMK", append(open(3), step{"enter", "open"}, step{"f", "fetched again"}, step{"esc", "back"}), "Āx Āx"},
		{"helpdesk", append(append(open(3), step{"a", "resets waiting"}), step{"esc", "back"}), "Āx Āx"},
		{"terms", []step{{"enter", "open"}, {"esc", "back"}, {"d", "diff"}, {"pgdown", "diff scrolled"}, {"esc", "back"}, {"down", "next"}, {"a", "acceptance"}, {"esc", "back"}, {"enter", "open"}, {"esc", "back"}, {"down", "next"}, {"d", "diff"}, {"esc", "back"}}, "Āx Āx"},
		{"announcements", []step{{"enter", "open"}, {"pgdown", "scrolled"}, {"esc", "back"}, {"down", "next"}, {"enter", "open"}, {"esc", "back"}, {"down", "next"}, {"enter", "open"}, {"esc", "back"}}, "Āx Āx"},
		{"denials", []step{{"enter", "open"}, {"esc", "back"}, {"down", "next"}, {"enter", "open"}, {"esc", "back"}, {"s s s s", "every state"}, {"enter", "open"}, {"esc", "back"}, {"v", "pending"}, {"enter", "open"}, {"esc", "back"}, {"v", "sweeps"}, {"down", "next"}, {"v", "death check"}, {"v", "back to the list"}}, "Āx Āx"},
		{"operators", []step{{"enter", "keys"}, {"esc", "back"}, {"down", "next"}, {"enter", "keys"}, {"esc", "back"}, {"down down down", "further"}}, "laptop"},
		{"audit", []step{{"f", "action filter"}, {"a u t h . f a i l u r e enter", "failed sign-ins"}, {"down", "entry"}, {"down", "entry"},
			{"f", "action filter"}, {"backspace backspace backspace backspace backspace backspace backspace backspace backspace backspace backspace backspace x enter", "hostile action"}}, "Āx Āx"},
		{"alerts", []step{{"down", "next"}, {"down", "next"}, {"m", "misuse signals"}, {"down", "next"}, {"a", "back to the alerts"}}, "Jānis Bērziņš"},
		{"sign-ins", []step{{"down", "next"}, {"/", "other"}, {"j a n i s . b e r z i n s enter", "someone else's"}, {"o", "own again"}}, "Āx Āx"},
		// Issue 17's screens. People: found by the start of a name (the
		// hostile line is on some persons only, so no value is required).
		{"people", []step{{"/", "search"}, {"j a n enter", "found"}, {"enter", "open"}, {"right", "next section"}, {"right", "next section"}, {"esc", "back"}}, ""},
		{"institutions", []step{{"enter", "open"}, {"pgdown", "scrolled"}, {"esc", "back"}, {"down", "next"}}, "Āx Āx"},
		{"re-verification", []step{{"enter", "open"}, {"esc", "back"}, {"down", "next"}}, "Āx Āx"},
		{"sanctions", []step{{"enter", "open"}, {"pgdown", "scrolled"}, {"pgdown", "scrolled more"}, {"esc", "back"}, {"down", "next"}, {"s", "open ones"}, {"t", "warned"}, {"enter", "open"}, {"esc", "back"}}, "Āx Āx"},
		{"merge conflicts", []step{{"enter", "open"}, {"esc", "back"}}, "Āx Āx"},
		{"bulk", []step{{"enter", "open"}, {"pgdown", "scrolled"}, {"esc", "back"}, {"down", "next"}}, "Āx Āx"},
		// Issue 18: the take-up report's municipalities (names seeded
		// hostile) in the table, the bar chart and the list behind a figure.
		{"reports", []step{{"enter", "imk-uptake"}, {"right right right right right", "figures scrolled"},
			{"down down down down down down down down down down down down", "municipality rows"}, {"left left left left left", "applications"},
			{"enter", "list behind"}, {"esc", "back"}, {"c", "charts"}, {"down down down down down down down down down down down down down down down down", "charts scrolled"},
			{"c", "table"}, {"esc", "reports"}}, "Jelgava"},
	}
	for i, s := range screens {
		w.press("tab", s.name)
		if v := w.m.View(); !strings.Contains(v, fmt.Sprintf("[%d ", i+2)) {
			t.Fatalf("tab did not move to screen %d (%s):\n%s", i+2, s.name, v)
		}
		steps := s.steps
		if !full {
			// In colour, the list and its first row opened: where styles
			// meet stored text; the walk without colour goes everywhere.
			steps = steps[:min(len(steps), 2)]
		}
		w.shown = ""
		for _, st := range steps {
			w.press(st.keys, s.name+": "+st.where)
		}
		if full && !strings.Contains(w.shown, s.shown) {
			t.Errorf("%s: the walk never showed %q, so it did not draw the hostile rows", s.name, s.shown)
		}
		// Back from what the two steps opened: a row, or a search, which
		// would take the tab to the next screen as typing.
		if !full && len(steps) == 2 && (steps[0].keys == "enter" || steps[1].keys == "/") {
			w.press("esc", s.name+": back")
		}
	}
	w.press("?", "help")
	w.press("esc", "help closed")
}

// walker drives the root model as the program would and checks each frame.
type walker struct {
	t     *testing.T
	m     *app.Model
	sgr   bool
	seen  map[string]bool
	shown string // every frame since the screen was opened
}

func (w *walker) check(where string) {
	w.t.Helper()
	view := w.m.View()
	w.shown += view
	for _, line := range strings.Split(view, "\n") {
		// The first problem of each line, each once: the header's would
		// hide every other.
		if p := plainProblems(line, w.sgr); len(p) > 0 && !w.seen[p[0]] {
			w.seen[p[0]] = true
			w.t.Errorf("%s: %s", where, p[0])
		}
	}
}

func (w *walker) press(keys, where string) {
	w.t.Helper()
	for _, k := range strings.Fields(keys) {
		_, cmd := w.m.Update(keyMsg(k))
		w.drain(cmd)
	}
	if d := os.Getenv("HOSTILE_DUMP"); d != "" && strings.HasPrefix(where, d) && !w.sgr {
		w.t.Logf("%s:\n%s", where, w.m.View())
	}
	w.check(where)
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// drain runs cmd and feeds what it answers back until nothing is left; a
// command that does not answer within a moment (a timer) is dropped.
func (w *walker) drain(cmd tea.Cmd) {
	queue := results(cmd)
	for i := 0; len(queue) > 0; i++ {
		if i > 500 {
			w.t.Fatal("commands do not settle")
		}
		msg := queue[0]
		queue = queue[1:]
		if _, ok := msg.(tea.QuitMsg); ok {
			continue
		}
		_, next := w.m.Update(msg)
		queue = append(queue, results(next)...)
	}
}

// answerWithin is how long a command may take before it is dropped. The
// walk's session arms its timers on stillTimers and has no feed, so every
// command is a read that answers: the bound only ends a walk that would
// hang, and is long enough for a database read on a loaded machine under
// -race (a read dropped would leave a screen "loading" and unchecked).
const answerWithin = 30 * time.Second

// stillTimers are the walk's session's timers: none ever fires (the walk
// looks at screens, not at what time does to them), and their commands
// answer at once, so the walk never waits for one.
type stillTimers struct{}

func (stillTimers) Tick(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
	return func() tea.Msg { return nil }
}

func results(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	out := make(chan tea.Msg, 1)
	go func() { out <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-out:
	case <-time.After(answerWithin):
		return nil
	}
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		parts := make([]chan []tea.Msg, len(msg))
		for i, c := range msg {
			parts[i] = make(chan []tea.Msg, 1)
			go func() { parts[i] <- results(c) }()
		}
		var all []tea.Msg
		for _, p := range parts {
			all = append(all, <-p...)
		}
		return all
	}
	return []tea.Msg{msg}
}

// streamProblems returns what in a session's raw output Bubble Tea's
// renderer would not have written: any escape sequence but SGR, cursor
// movement, erasing, line insertion, scroll margins and its DEC modes; a
// control other than \r \n \b \t; a C1 or bidi control; invalid UTF-8.
func streamProblems(raw []byte) []string {
	var found []string
	report := func(what string, at int) {
		if len(found) < 5 {
			found = append(found, fmt.Sprintf("%s: …%q…", what, raw[max(at-30, 0):min(at+20, len(raw))]))
		}
	}
	for i := 0; i < len(raw); {
		c := raw[i]
		if c == 0x1b {
			j := i + 1
			if j >= len(raw) || raw[j] != '[' {
				report("escape sequence", i)
				i++
				continue
			}
			j++
			start := j
			for j < len(raw) && raw[j] >= 0x30 && raw[j] <= 0x3f {
				j++
			}
			params := string(raw[start:j])
			if j >= len(raw) {
				break
			}
			final := raw[j]
			ok := strings.ContainsRune("mABCDEFGHfJKLMr", rune(final)) && !strings.HasPrefix(params, "?")
			if strings.HasPrefix(params, "?") && (final == 'h' || final == 'l') {
				ok = true
				for _, p := range strings.Split(params[1:], ";") {
					switch p {
					case "25", "1049", "1047", "47", "2004", "1000", "1002", "1003", "1006", "1004":
					default:
						ok = false
					}
				}
			}
			if !ok {
				report(fmt.Sprintf("CSI %q%c", params, final), i)
			}
			i = j + 1
			continue
		}
		if c < 0x20 && c != '\r' && c != '\n' && c != '\b' && c != '\t' || c == 0x7f {
			report(fmt.Sprintf("control %#x", c), i)
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			report("invalid UTF-8", i)
		case r >= 0x80 && r <= 0x9f:
			report(fmt.Sprintf("C1 control %U", r), i)
		case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c:
			report(fmt.Sprintf("bidi control %U", r), i)
		}
		i += size
	}
	if i := strings.Index(string(raw), "PWNED"); i >= 0 {
		report("a hostile sequence's payload", i)
	}
	return found
}

// The attack of issue 13 over a real SSH connection: a key whose comment
// retitles the terminal and writes its clipboard, and a stranger's user
// name doing the same from a failed sign-in; an administrator opens the
// Operators screen, the key, and the Audit log. What reaches the
// administrator's terminal is only what the renderer itself writes.
func TestE2E_HostileKeyCommentAndUserName_ReachTheTerminalPlain(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	admin := in.addOperator("ilze.berzina", "Ilze Bērziņa", "admin")
	_, _, pub := newKeyFiles(t, "hostile")
	key, err := os.ReadFile(pub)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pub, []byte(strings.TrimSpace(string(key))+" laptop"+hostileTail+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	in.mustRun(t, "", "operator", "key", "add", admin.name, pub)
	srv := in.startServer()
	if _, err := srv.dial("\x1b]0;PWNED-TITLE\x07\x1b]52;c;UFdORUQ=\x07x", (&passwordAnswers{password: "Nepareiza-1-parole"}).method()); err == nil {
		t.Fatal("a stranger got in")
	}

	term := signIn(t, srv.mustDial(t, admin.name, ssh.PublicKeys(admin.signer)), admin)
	at := term.mark()
	term.press("2") // Operators: an administrator's second screen
	term.waitText(text(t, lv, "tui.ops.title", 1), at)
	at = term.mark()
	term.press("\r") // the selected operator's keys: the administrator's own
	term.waitText("laptop", at)
	term.press("\x1b")
	time.Sleep(100 * time.Millisecond) // esc alone, not the start of a key sequence
	at = term.mark()
	term.press("3") // the Audit log
	term.waitText(domain.AuditSignInFailure, at)
	for _, p := range streamProblems(term.screen.rawSince(0)) {
		t.Errorf("the administrator's terminal received %s", p)
	}
}
