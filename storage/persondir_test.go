package storage_test

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// personFixture is one person with a Platform account, a second code
// (the new form the register linked), an IMK application under another
// address, and entries in several sections.
type personFixture struct {
	db       *storage.DB
	person   int64
	user     int64
	oldCode  string // "DDMMYY-NNNNN"
	newCode  string // 11 digits
	signIns  int
	outboxes int
}

const personNewCode = "32771234567"

func seedPerson(t *testing.T, db *storage.DB) *personFixture {
	t.Helper()
	ctx := t.Context()
	f := &personFixture{db: db, oldCode: contracttest.PersonalCode(777), newCode: personNewCode, signIns: 25, outboxes: 3}
	pool := db.Pool()
	must := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if err := pool.QueryRow(ctx, `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
		VALUES ('viss', $1, 'Janis.Berzins@Example.LV', 'Jānis', 'Bērziņš', true) RETURNING id, person_id`,
		f.oldCode).Scan(&f.user, &f.person); err != nil {
		t.Fatal(err)
	}
	must(`INSERT INTO person_codes (code, person_id) VALUES ($1, $2)`, f.newCode, f.person)
	must(`INSERT INTO imk_applications (personal_code, first_name, last_name, email, state, applied_at, updated_at)
	      VALUES ($1, 'Jānis', 'Bērziņš', 'janis@imk.example.lv', 'needs_review', now() - interval '40 days', now())`, f.oldCode)
	must(`INSERT INTO platform_sign_ins (user_id, at, method, recorded_at)
	      SELECT $1, now() - make_interval(hours => g), 'smart_id', now() FROM generate_series(1, $2) g`, f.user, f.signIns)
	must(`INSERT INTO outbox (to_addr, lang, template, subject, body, state, next_try_at, message_id)
	      SELECT CASE WHEN g = 1 THEN 'janis@imk.example.lv' ELSE 'janis.berzins@example.lv' END, 'lv', 'imk_decision',
	             'Lēmums ' || g, 'secret body ' || g, 'pending', now(), 'm' || g || '-' || $1::bigint || '@test'
	        FROM generate_series(1, $2) g`, f.user, f.outboxes)
	must(`INSERT INTO tickets (subject, from_addr, category, suggested, created_at, updated_at)
	      VALUES ('Nevaru pieslēgties', 'janis.berzins@example.lv', 'question', 'question', now(), now())`)
	must(`INSERT INTO account_changes (user_id, field, old_value, new_value, reason, actor_name, at)
	      VALUES ($1, 'email', 'vecais@example.lv', 'janis.berzins@example.lv', 'helpdesk ticket', 'cli', now() - interval '1 day')`, f.user)
	// A stranger, who must never appear.
	must(`INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
	      VALUES ('viss', $1, 'cits@example.lv', 'Jānis', 'Kalniņš', true)`, contracttest.PersonalCode(778))
	return f
}

// TestPersons_SearchEveryForm_OpenAndPage proves the people directory on
// PostgreSQL (issue 17): a whole code finds the person in either form and
// by the other code the register linked (counted as a look-up), a part of
// a code is refused (the whole-code rule of issue 13), a name prefix finds
// them without case or diacritics, an e-mail address whole and without
// case (the account's and the IMK application's); the list masks codes;
// opening the page reads every section with its count and counts a
// look-up in the same call; a section pages on by its cursor; the mail
// section shows subjects, never bodies; revealing the code is audited.
func TestPersons_SearchEveryForm_OpenAndPage(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	f := seedPerson(t, db)
	svc := storage.NewPersonDirectory(db)
	op := newOperator(t, db, "ilze.helpdesk", withRoles(domain.RoleHelpdesk))
	ctx := asSession(t, op, "s-people")
	views := func() int {
		var n int
		if err := db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM person_views WHERE operator_id = $1`, op.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	for i, q := range []string{f.oldCode, strings.ReplaceAll(f.oldCode, "-", ""), f.newCode, f.newCode[:6] + "-" + f.newCode[6:]} {
		got, err := svc.SearchPersons(ctx, q)
		if err != nil || len(got) != 1 || got[0].PersonID != f.person {
			t.Fatalf("search by code form %d = %+v, %v; want the person", i, got, err)
		}
		if got[0].MaskedCode != f.oldCode[:6]+"-*****" || strings.Contains(got[0].MaskedCode, f.oldCode[7:]) {
			t.Errorf("masked code = %q", got[0].MaskedCode)
		}
		if views() != i+1 {
			t.Errorf("after %d code searches the views count %d", i+1, views())
		}
	}
	_, err := svc.SearchPersons(ctx, f.oldCode[:8])
	wantError(t, err, domain.EINVALID, "search.whole_code")

	for _, q := range []string{"berz", "Bērziņš J", "janis berz", "JĀNIS BĒRZIŅŠ"} {
		got, err := svc.SearchPersons(ctx, q)
		if err != nil || len(got) != 1 || got[0].PersonID != f.person || !got[0].HasAccount || !got[0].HasIMK {
			t.Errorf("search by name %q = %+v, %v", q, got, err)
		}
	}
	if got, err := svc.SearchPersons(ctx, "jānis"); err != nil || len(got) != 2 {
		t.Errorf("search jānis = %d, %v; want both Jānis", len(got), err)
	}
	for _, q := range []string{"JANIS.BERZINS@example.lv", "janis@IMK.example.lv"} {
		got, err := svc.SearchPersons(ctx, q)
		if err != nil || len(got) != 1 || got[0].PersonID != f.person {
			t.Errorf("search by e-mail %q = %+v, %v", q, got, err)
		}
	}
	if got, _ := svc.SearchPersons(ctx, "janis.berzins@example"); len(got) != 0 {
		t.Errorf("part of an address found %d", len(got))
	}
	before := views()

	page, err := svc.OpenPerson(ctx, f.person)
	if err != nil {
		t.Fatal(err)
	}
	if views() != before+1 {
		t.Errorf("opening the person counted %d views, want 1", views()-before)
	}
	if page.Identity.MaskedCode != f.oldCode[:6]+"-*****" || page.Account == nil || page.Account.UserID != f.user {
		t.Errorf("identity %+v account %+v", page.Identity, page.Account)
	}
	if want := []string{"janis.berzins@example.lv", "janis@imk.example.lv"}; strings.Join(page.Addresses, ",") != strings.Join(want, ",") {
		t.Errorf("addresses %v, want %v", page.Addresses, want)
	}
	counts := map[domain.PersonSection]int{domain.PersonSignIns: f.signIns, domain.PersonMail: f.outboxes,
		domain.PersonIMK: 1, domain.PersonTickets: 1, domain.PersonChanges: 1, domain.PersonRoles: 0}
	for s, n := range counts {
		p := page.Sections[s]
		if p == nil || p.Count != n || len(p.Entries) != min(n, domain.PersonSectionPageSize) {
			t.Errorf("section %s: %+v, want %d", s, p, n)
		}
	}
	for _, e := range page.Sections[domain.PersonMail].Entries {
		if strings.Contains(e.Text+e.Note, "secret") || !strings.HasPrefix(e.Text, "Lēmums") {
			t.Errorf("mail entry %+v: a subject, never the body", e)
		}
	}
	first := page.Sections[domain.PersonSignIns].Entries
	rest, err := svc.PersonSectionAfter(ctx, f.person, domain.PersonSignIns, domain.CursorAfter(first[len(first)-1]))
	if err != nil || len(rest.Entries) != f.signIns-domain.PersonSectionPageSize || rest.Count != f.signIns {
		t.Fatalf("next page %+v, %v", rest, err)
	}
	if !rest.Entries[0].At.Before(first[len(first)-1].At) {
		t.Errorf("the next page does not follow on: %v after %v", rest.Entries[0].At, first[len(first)-1].At)
	}
	if views() != before+1 {
		t.Errorf("paging counted a look-up again")
	}
	_, err = svc.PersonSectionAfter(ctx, f.person, "bodies", domain.PersonCursor{})
	wantError(t, err, domain.EINVALID, "person.bad_section")
	_, err = svc.OpenPerson(ctx, f.person+1000)
	wantError(t, err, domain.ENOTFOUND, "person.not_found")

	_, err = svc.RevealPersonCode(ctx, f.person, " ")
	wantError(t, err, domain.EINVALID, "reveal.reason_required")
	code, err := svc.RevealPersonCode(ctx, f.person, "helpdesk ticket 42")
	if err != nil || code != f.oldCode {
		t.Fatalf("reveal = %q, %v", code, err)
	}
	var reason string
	if err := db.Pool().QueryRow(t.Context(), `
		SELECT reason FROM audit_log WHERE actor_id = $1 AND action = $2 AND subject_kind = 'person' AND subject_id = $3`,
		op.ID, domain.AuditPersonalDataReveal, strconv.FormatInt(f.person, 10)).Scan(&reason); err != nil || reason != "helpdesk ticket 42" {
		t.Errorf("reveal audit: %q, %v", reason, err)
	}
}

// TestPermissions_PersonDirectory_ReviewerHelpdeskSecurityOrAdmin: an
// operator without any of the people screen's roles (an editor) gets
// EFORBIDDEN from every method (issue 17).
func TestPermissions_PersonDirectory_ReviewerHelpdeskSecurityOrAdmin(t *testing.T) {
	t.Parallel()
	e := newPermEnv(t)
	s := storage.NewPersonDirectory(e.db)
	editor := asSession(t, e.create(t, "editor.only", []domain.Role{domain.RoleEditor}, false), "s-editor")
	calls := map[string]func(ctx context.Context) error{
		"SearchPersons": func(ctx context.Context) error { _, err := s.SearchPersons(ctx, "bērziņš"); return err },
		"OpenPerson":    func(ctx context.Context) error { _, err := s.OpenPerson(ctx, 1); return err },
		"PersonSectionAfter": func(ctx context.Context) error {
			_, err := s.PersonSectionAfter(ctx, 1, domain.PersonRoles, domain.PersonCursor{At: time.Now(), ID: 1})
			return err
		},
		"RevealPersonCode": func(ctx context.Context) error { _, err := s.RevealPersonCode(ctx, 1, "why"); return err },
	}
	it := reflect.TypeFor[domain.PersonDirectory]()
	for i := range it.NumMethod() {
		name := it.Method(i).Name
		call, ok := calls[name]
		if !ok {
			t.Errorf("PersonDirectory.%s has no case", name)
			continue
		}
		if err := call(editor); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("PersonDirectory.%s by an editor = %v, want EFORBIDDEN", name, err)
		}
		if err := call(e.disabled(t)); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Errorf("PersonDirectory.%s by a disabled operator = %v, want EUNAUTHORIZED", name, err)
		}
	}
}

// TestPersons_ContactHistory_WhoStateWhen proves the page's contact
// history on PostgreSQL (issue 17): the account's changes show the old
// and the new address, the reason, who asked and who approved; its
// e-mail change requests show every state — a pending one past its
// expiry reads as expired — with who asked, who decided and the reason;
// the search gives each person's account id for bulk actions.
func TestPersons_ContactHistory_WhoStateWhen(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	f := seedPerson(t, db)
	svc := storage.NewPersonDirectory(db)
	anna := newOperator(t, db, "anna.helpdesk", withRoles(domain.RoleHelpdesk))
	liga := newOperator(t, db, "liga.helpdesk", withRoles(domain.RoleHelpdesk))
	ctx := asSession(t, anna, "s-contact")
	pool := db.Pool()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(t.Context(), sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`UPDATE operators SET full_name = CASE id WHEN $1 THEN 'Anna Palīdze' ELSE '' END WHERE id IN ($1, $2)`, anna.ID, liga.ID)
	exec(`INSERT INTO account_changes (user_id, field, old_value, new_value, reason, actor_id, actor_name, approved_by, approved_by_name, at)
	      VALUES ($1, 'email', 'janis.berzins@example.lv', 'janis@jauns.lv', 'asked at the counter', $2, 'Anna Palīdze', $3, 'Līga Otrā', now())`,
		f.user, anna.ID, liga.ID)
	exec(`INSERT INTO email_change_requests (user_id, old_email, new_email, reason, requested_by, requested_at, expires_at, state, decided_by, decided_at, note)
	      VALUES ($1, 'janis.berzins@example.lv', 'janis@jauns.lv', 'asked at the counter', $2, now() - interval '2 hours', now() + interval '70 hours',
	              'approved', $3, now(), ''),
	             ($1, 'janis.berzins@example.lv', 'janis@cits.lv', 'phoned in', $2, now() - interval '3 days', now() + interval '1 day',
	              'refused', $3, now() - interval '2 days', 'no passport'),
	             ($1, 'janis.berzins@example.lv', 'janis@vecs.lv', 'letter', $3, now() - interval '10 days', now() - interval '7 days',
	              'pending', NULL, NULL, '')`, f.user, anna.ID, liga.ID)

	got, err := svc.SearchPersons(ctx, "berz")
	if err != nil || len(got) != 1 || got[0].UserID != f.user || !got[0].HasAccount {
		t.Fatalf("search = %+v, %v; want the account's id %d", got, err, f.user)
	}
	page, err := svc.OpenPerson(ctx, f.person)
	if err != nil {
		t.Fatal(err)
	}
	changes := page.Sections[domain.PersonChanges].Entries
	if len(changes) != 2 {
		t.Fatalf("changes %+v", changes)
	}
	if c := changes[0]; c.Text != "janis.berzins@example.lv → janis@jauns.lv" || c.State != "approved" ||
		c.Note != "asked at the counter" || c.By != "Anna Palīdze" || c.DecidedBy != "Līga Otrā" || c.At.IsZero() {
		t.Errorf("newest change %+v", c)
	}
	if c := changes[1]; c.By != "cli" || c.DecidedBy != "" || c.State != "" {
		t.Errorf("change before four eyes %+v", c)
	}
	asked := page.Sections[domain.PersonEmailAsked]
	if asked.Count != 3 || len(asked.Entries) != 3 {
		t.Fatalf("e-mail change requests %+v", asked)
	}
	type seen struct{ state, text, note, by, decided string }
	want := []seen{
		{"approved", "janis.berzins@example.lv → janis@jauns.lv", "asked at the counter", "Anna Palīdze", "liga.helpdesk"},
		{"refused", "janis.berzins@example.lv → janis@cits.lv", "phoned in", "Anna Palīdze", "liga.helpdesk"},
		{"expired", "janis.berzins@example.lv → janis@vecs.lv", "letter", "liga.helpdesk", ""},
	}
	for i, e := range asked.Entries {
		if g := (seen{e.State, e.Text, e.Note, e.By, e.DecidedBy}); g != want[i] || e.At.IsZero() {
			t.Errorf("request %d = %+v, want %+v", i, g, want[i])
		}
	}
	// The next page by the cursor reads the same way.
	rest, err := svc.PersonSectionAfter(ctx, f.person, domain.PersonEmailAsked, domain.CursorAfter(asked.Entries[0]))
	if err != nil || rest.Count != 3 || len(rest.Entries) != 2 || rest.Entries[1].State != "expired" {
		t.Fatalf("after the first: %+v, %v", rest, err)
	}
}
