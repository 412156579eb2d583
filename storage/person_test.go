package storage_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// newFormCode is a new-form personal code (32xxxxxxxxx, as
// domain.NormalizePersonalCode writes it) for n.
func newFormCode(n int) string {
	return "32" + leftPad(itoa(int64(n)), 9)
}

// imkClient files an IMK application (no Platform account) and returns
// its id and its person.
func (e *denialEnv) imkClient(t testing.TB, code string) (app, person int64) {
	t.Helper()
	err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO imk_applications (personal_code, first_name, last_name, email, state, decided_at, policy_id)
		VALUES ($1, 'Inese', 'Kļava', 'inese@example.lv', 'approved', now(),
		        (SELECT id FROM eligibility_policies WHERE state = 'approved' ORDER BY version LIMIT 1))
		RETURNING id, person_id`, code).Scan(&app, &person)
	if err != nil {
		t.Fatal(err)
	}
	return app, person
}

// importPopulation imports a Population Register extract with the linked
// header (current_code); lines are the rows after it.
func importPopulation(t testing.TB, db *storage.DB, lines ...string) *storage.ImportResult {
	t.Helper()
	text := "personal_code,first_name,last_name,birth_date,resident,municipality,deceased_on,current_code\n" + strings.Join(lines, "\n") + "\n"
	res, err := storage.ImportRegisterReport(t.Context(), db, domain.RegisterPopulation, strings.NewReader(text))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

// ¶32.8 (issue 16): an IMK client who has no Platform account is a person
// the death check covers: checked while alive, and when the register says
// they died, recorded deceased and their active IMK closed.
func TestDeathCheck_IMKClientWithoutAccount_CheckedAndClosedWhenDeceased_P32_8(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	aliveApp, alive := e.imkClient(t, newFormCode(1))
	deadApp, dead := e.imkClient(t, newFormCode(2))
	if e.count(t, `SELECT count(*) FROM platform_users`) != 0 {
		t.Fatal("an IMK client got a Platform account")
	}
	now := time.Now().UTC().Truncate(time.Second)
	importPopulation(t, e.db,
		newFormCode(1)+",Inese,Kļava,1980-01-01,true,Rīga,,",
		newFormCode(2)+",Inese,Kļava,1980-01-01,true,Rīga,2026-10-01,")
	r := runSweep(t, storage.NewSweeper(e.db, "test"), storage.SweepDeathCheck, now)
	if r.Checked != 2 || r.Changed != 1 {
		t.Fatalf("checked %d, changed %d; want both checked and the deceased one changed", r.Checked, r.Changed)
	}
	if e.count(t, `SELECT count(*) FROM persons WHERE id = $1 AND death_check_outcome = 'checked' AND last_death_check_at = $2`, alive, now) != 1 {
		t.Fatal("the living IMK client's check was not recorded")
	}
	if e.count(t, `SELECT count(*) FROM persons WHERE id = $1 AND deceased_on = '2026-10-01' AND death_check_outcome = 'deceased'`, dead) != 1 {
		t.Fatal("the deceased IMK client was not recorded deceased")
	}
	if e.count(t, `SELECT count(*) FROM imk_applications WHERE id = $1 AND state = 'closed'`, deadApp) != 1 ||
		e.count(t, `SELECT count(*) FROM imk_applications WHERE id = $1 AND state = 'approved'`, aliveApp) != 1 {
		t.Fatal("want the deceased client's IMK closed and the living one's kept")
	}
}

// ¶32.8: a person the register has no record of, and one whose record is
// older than the allowed age, are not checked: each attempt is recorded
// with its outcome and the data it used, the due time stays, and the next
// run tries again; a larger MaxDataAge makes the older record count.
func TestDeathCheck_NotFoundAndStale_NotCompleted_RetriedAndSnapshotRecorded_P32_8(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	now := time.Now().UTC().Truncate(time.Second)
	_, fresh := e.imkClient(t, newFormCode(11))
	_, missing := e.imkClient(t, newFormCode(12))
	_, old := e.imkClient(t, newFormCode(13))
	importPopulation(t, e.db,
		newFormCode(11)+",Inese,Kļava,1980-01-01,true,Rīga,,",
		newFormCode(13)+",Inese,Kļava,1980-01-01,true,Rīga,,")
	staleAt := now.Add(-40 * 24 * time.Hour)
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE population_register SET fetched_at = $2 WHERE personal_code = $1`, newFormCode(13), staleAt); err != nil {
		t.Fatal(err)
	}
	importID := e.count(t, `SELECT max(id) FROM register_imports`)
	due := func(id int64) string {
		var d string
		if err := e.db.Pool().QueryRow(t.Context(), `SELECT death_check_due_at::text FROM persons WHERE id = $1`, id).Scan(&d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	dueMissing, dueOld := due(missing), due(old)

	sw := storage.NewSweeper(e.db, "test")
	r := runSweep(t, sw, storage.SweepDeathCheck, now)
	if r.Checked != 1 {
		t.Fatalf("checked %d, want 1: only the fresh record counts", r.Checked)
	}
	outcome := func(id int64) (string, *time.Time, *int64, *time.Time) {
		var o string
		var data, last *time.Time
		var imp *int64
		if err := e.db.Pool().QueryRow(t.Context(), `
			SELECT death_check_outcome, death_check_data_at, death_check_import_id, last_death_check_at FROM persons WHERE id = $1`, id).Scan(&o, &data, &imp, &last); err != nil {
			t.Fatal(err)
		}
		return o, data, imp, last
	}
	if o, data, imp, last := outcome(fresh); o != "checked" || data == nil || imp == nil || *imp != int64(importID) || last == nil {
		t.Fatalf("fresh: %s, data %v, import %v, last %v; want checked on the import's data", o, data, imp, last)
	}
	if o, data, _, last := outcome(missing); o != "not_found" || data != nil || last != nil || due(missing) != dueMissing {
		t.Fatalf("missing: %s, data %v, last %v; want not_found, no check, due unchanged", o, data, last)
	}
	if o, data, imp, last := outcome(old); o != "stale" || data == nil || !data.Equal(staleAt) || imp == nil || last != nil || due(old) != dueOld {
		t.Fatalf("old: %s, data %v, last %v; want stale on the old row, no check, due unchanged", o, data, last)
	}
	// The next run tries them again (and them only).
	r = runSweep(t, sw, storage.SweepDeathCheck, now.Add(time.Hour))
	if r.Checked != 0 || e.count(t, `SELECT count(*) FROM persons WHERE death_check_tried_at = $1`, now.Add(time.Hour)) != 2 {
		t.Fatalf("second run checked %d; want the two retried, none completed", r.Checked)
	}
	// PPP_DEATH_CHECK_MAX_DATA_AGE: 60 days accepts the 40-day-old record.
	sw.MaxDataAge = 60 * 24 * time.Hour
	if r := runSweep(t, sw, storage.SweepDeathCheck, now.Add(2*time.Hour)); r.Checked != 1 {
		t.Fatalf("with a 60-day limit checked %d, want the stale one", r.Checked)
	}
	if o, _, _, _ := outcome(old); o != "checked" {
		t.Fatalf("old: %s, want checked", o)
	}

	// The report lists what is not done, and users without a code.
	inst := e.institution(t)
	e.user(t, inst)
	rep, err := e.svc.DeathCheckReport(t.Context(), now.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if rep.NotFound != 1 || len(rep.NotFoundList) != 1 || rep.NotFoundList[0].PersonID != missing || rep.NotFoundList[0].UserID != 0 {
		t.Errorf("not found: %d %+v", rep.NotFound, rep.NotFoundList)
	}
	if rep.Stale != 0 || rep.NoCode != 1 || len(rep.NoCodeList) != 1 || rep.NoCodeList[0].UserID == 0 || !rep.Failing() {
		t.Errorf("report = %+v; want no stale, one user without a code listed, failing", rep)
	}
}

// Issue 16: the old and the new form of a personal code name one person
// when the Population Register links them: whoever applies or signs in
// with either form is the same person, and two records made before the
// link are merged (audited), unless both have an account.
func TestPersons_EitherCodeFormFindsTheSamePerson_MergeAudited(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	ctx := t.Context()
	// Codes of the env's own sequence, so that no user it makes in a
	// parallel test's turn takes one of them (fixed numbers did, at times).
	seq := dnSeq.Add(3)
	n21, n22, n23 := seq-2, seq-1, seq
	oldCode, newCode := personalCodeFor(n21%28000), newFormCode(int(n21))
	user := e.user(t, 0) // personalCodeFor(n) of the env's sequence: re-point it to oldCode
	if _, err := e.db.Pool().Exec(ctx, `UPDATE platform_users SET personal_code = $2 WHERE id = $1`, user, oldCode); err != nil {
		t.Fatal(err)
	}
	res := importPopulation(t, e.db, oldCode+",Jānis,Ozoliņš,1980-01-21,true,Rīga,,"+newCode)
	if res.Linked != 0 && res.Linked != 1 {
		t.Fatalf("linked %d", res.Linked)
	}
	person := e.personOf(t, user)
	app, appPerson := e.imkClient(t, newCode)
	if appPerson != person {
		t.Fatalf("an application with the new code got person %d, the user with the old code is %d", appPerson, person)
	}
	st, err := storage.NewPortalService(e.db).PersonSignInStatus(domain.WithActor(ctx, domain.Actor{Name: "api:portal"}), newCode)
	if err != nil || !st.Known || st.UserID != user {
		t.Fatalf("sign-in status by the new code = %+v, %v; want the user", st, err)
	}
	_ = app

	// Two records made before the register linked them.
	a1, p1 := e.imkClient(t, personalCodeFor(n22%28000))
	if _, err := e.db.Pool().Exec(ctx, `UPDATE imk_applications SET state = 'rejected' WHERE id = $1`, a1); err != nil {
		t.Fatal(err)
	}
	_, p2 := e.imkClient(t, newFormCode(int(n22)))
	res = importPopulation(t, e.db, personalCodeFor(n22%28000)+",Inese,Kļava,1980-01-22,true,Rīga,,"+newFormCode(int(n22)))
	if res.Merged != 1 {
		t.Fatalf("import = %+v, want one merge", res)
	}
	if e.count(t, `SELECT count(*) FROM persons WHERE id = $1`, p1) != 0 ||
		e.count(t, `SELECT count(*) FROM imk_applications WHERE person_id = $1`, p2) != 2 ||
		e.count(t, `SELECT count(*) FROM person_codes WHERE person_id = $1`, p2) != 2 {
		t.Fatal("the two records were not merged into the current code's person")
	}
	if e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2`, domain.AuditPersonMerged, itoa(p2)) != 1 {
		t.Fatal("the merge was not audited")
	}

	// Both with an account: left for a person.
	u1, u2 := e.user(t, 0), e.user(t, 0)
	if _, err := e.db.Pool().Exec(ctx, `UPDATE platform_users SET personal_code = $2 WHERE id = $1`, u2, newFormCode(int(n23))); err != nil {
		t.Fatal(err)
	}
	var c1 string
	_ = e.db.Pool().QueryRow(ctx, `SELECT personal_code FROM platform_users WHERE id = $1`, u1).Scan(&c1)
	res = importPopulation(t, e.db, c1+",Jānis,Ozoliņš,1980-01-01,true,Rīga,,"+newFormCode(int(n23)))
	if res.Conflicts != 1 || res.Merged != 0 || e.personOf(t, u1) == e.personOf(t, u2) {
		t.Fatalf("import = %+v; want a conflict, no merge", res)
	}
	if e.count(t, `SELECT count(*) FROM person_merge_conflicts WHERE resolved_at IS NULL`) != 1 {
		t.Fatal("the conflict was not recorded")
	}
}

// Issue 16: a database at the schema before persons, with Latvija.gov.lv
// users, institution users, IMK applications (one of a user, one of a
// client) and acceptances (by user and by code), gets one person per code,
// person_id everywhere it belongs, the users' death-check state on the
// person, and one acceptance table keyed by person (¶26.2).
func TestMigration_Persons_ExistingRows(t *testing.T) {
	t.Parallel()
	db := pgtest.NewEmptyDB(t)
	ctx := t.Context()
	if err := storage.MigrateBefore(ctx, db, "persons"); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool().Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	checked := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	exec(`INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
	      VALUES ('Skola', $1, '3000000001', 'skola@example.lv', 'active', now())`, companyNumberFor(9))
	exec(`INSERT INTO platform_users (id, kind, personal_code, email, first_name, last_name, last_death_check_at, death_check_due_at)
	      VALUES (7, 'viss', $1, 'a@example.lv', 'Anna', 'Ābele', $3::timestamptz, $3::timestamptz + interval '183 days'),
	             (8, 'viss', $2, 'b@example.lv', 'Bruno', 'Bērziņš', NULL, '-infinity')`, personalCodeFor(31), personalCodeFor(32), checked)
	exec(`INSERT INTO platform_users (id, kind, email, password_hash, institution_id) VALUES (9, 'password', 'c@example.lv', '$argon2id$x', (SELECT min(id) FROM institutions))`)
	exec(`INSERT INTO imk_applications (personal_code, first_name, last_name, email) VALUES ($1, 'Anna', 'Ābele', 'a@example.lv'), ($2, 'Cilda', 'Cīrule', 'c@example.lv')`,
		personalCodeFor(31), newFormCode(33))
	// Acceptances: user 7 as a user (later) and by code (earlier), the
	// institution user, the IMK client by code.
	exec(`INSERT INTO operators (name, roles) VALUES ('ilze', '{editor}'), ('maris', '{editor}')`)
	exec(`INSERT INTO terms_versions (id, number, title, text, summary, state, drafted_by, approved_by, published_at)
	      VALUES (1, '2026-1', 'Noteikumi', 'Teksts', 'Kopsavilkums', 'published',
	              (SELECT id FROM operators WHERE name = 'ilze'), (SELECT id FROM operators WHERE name = 'maris'), now() - interval '2 days')`)
	exec(`INSERT INTO terms_acceptances (user_id, version_id, accepted_at) VALUES (7, 1, now()), (9, 1, now())`)
	exec(`INSERT INTO person_terms_acceptances (personal_code, version_id, accepted_at, channel, recorded_at)
	      VALUES ($1, 1, now() - interval '1 day', 'web', now()), ($2, 1, now(), 'mobile_app', now())`, personalCodeFor(31), newFormCode(33))
	if err := storage.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	count := func(sql string, args ...any) int {
		t.Helper()
		var n int
		if err := db.Pool().QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM persons`); n != 3 {
		t.Fatalf("%d persons, want 3 (two users, one IMK client)", n)
	}
	if count(`SELECT count(*) FROM platform_users WHERE (person_id IS NULL) <> (kind = 'password')`) != 0 {
		t.Fatal("person_id missing on a user with a code, or set on one without")
	}
	if count(`SELECT count(*) FROM imk_applications a JOIN persons p ON p.id = a.person_id AND p.personal_code = a.personal_code`) != 2 {
		t.Fatal("IMK applications are not on their persons")
	}
	if count(`SELECT count(*) FROM imk_applications a JOIN platform_users u ON u.person_id = a.person_id WHERE u.id = 7`) != 1 {
		t.Fatal("the user's application is not on the user's person")
	}
	if count(`SELECT count(*) FROM persons p JOIN platform_users u ON u.person_id = p.id
	           WHERE u.id = 7 AND p.last_death_check_at = $1::timestamptz AND p.death_check_due_at = $1::timestamptz + interval '183 days'`, checked) != 1 {
		t.Fatal("the user's death-check state did not move to the person")
	}
	if count(`SELECT count(*) FROM persons p WHERE p.personal_code = $1 AND isfinite(p.death_check_due_at)`, newFormCode(33)) != 1 {
		t.Fatal("the IMK client is not due for the death check")
	}
	if count(`SELECT count(*) FROM person_codes`) != 3 {
		t.Fatal("person_codes not filled")
	}
	// One acceptance each: the person's earlier one kept, the institution
	// user's on the user, the client's on the client's person.
	if n := count(`SELECT count(*) FROM terms_acceptances`); n != 3 {
		t.Fatalf("%d acceptances, want 3", n)
	}
	if count(`SELECT count(*) FROM terms_acceptances a JOIN platform_users u ON u.person_id = a.person_id
	           WHERE u.id = 7 AND a.channel = 'web' AND a.accepted_at < now() - interval '12 hours'`) != 1 ||
		count(`SELECT count(*) FROM terms_acceptances WHERE user_id = 9 AND person_id IS NULL`) != 1 ||
		count(`SELECT count(*) FROM terms_acceptances a JOIN persons p ON p.id = a.person_id WHERE p.personal_code = $1 AND a.channel = 'mobile_app'`, newFormCode(33)) != 1 {
		t.Fatal("acceptances not folded onto their persons")
	}
}

// ¶26.2 (issue 16): acceptance is the person's act, kept on the person. A
// user registered with the old form of their code who applies for IMK
// through the portal with the new form (which the register linked) has
// accepted the version: the terms screen counts them among those who did.
func TestPortalAPI_ApplyIMKWithTheOtherCodeForm_AcceptanceOnThePerson_CountedForTheUser_P26_2(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	v := e.published(t, "1.0", clauses(3))
	oldCode := personalCodeFor(4101)
	var user int64
	if err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
		VALUES ('viss', $1, 'janis@example.lv', 'Jānis', 'Ozoliņš', true) RETURNING id`, oldCode).Scan(&user); err != nil {
		t.Fatal(err)
	}
	importPopulation(t, e.db, oldCode+",Jānis,Ozoliņš,1980-01-01,true,Rīga,,"+newFormCode(4101))
	before, err := e.terms.TermsAcceptance(asEditor(t, e.ilze), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	shown := e.clock.now().Add(-time.Minute).UTC().Truncate(time.Second)
	if _, err := e.portal.ApplyIMK(asClient(t, e.client), domain.IMKApplicationForm{PersonalCode: newFormCode(4101), FirstName: "Jānis", LastName: "Ozoliņš",
		Email: "janis@example.lv", Terms: domain.TermsAct{VersionID: v.ID, AcceptedAt: shown, Channel: domain.TermsChannelWeb}}); err != nil {
		t.Fatalf("apply: %v", err)
	}
	if n := e.count(t, `SELECT count(*) FROM terms_acceptances a JOIN platform_users u ON u.person_id = a.person_id
	                     WHERE u.id = $1 AND a.version_id = $2 AND a.channel = 'web'`, user, v.ID); n != 1 {
		t.Fatal("the acceptance is not on the user's person")
	}
	after, err := e.terms.TermsAcceptance(asEditor(t, e.ilze), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Accepted != before.Accepted+1 || after.Users != before.Users {
		t.Fatalf("accepted %d → %d of %d; want the user counted once more", before.Accepted, after.Accepted, after.Users)
	}
	pending, err := e.terms.PendingAcceptances(asEditor(t, e.ilze), 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pending {
		if p.UserID == user {
			t.Fatal("the user is still listed as not having accepted")
		}
	}
}

// ¶23 (issue 16): an announcement for everyone reaches IMK clients, one
// mail per person: a client with an active IMK and no account gets it at
// their application's address; a client who is also a user gets the
// user's mail only; a rejected applicant and a deceased client get none;
// an announcement for roles reaches no client.
func TestAnnouncements_ReachIMKClients_OneMailPerPerson_P23(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	e.ann.MailBatch = 2
	ctx := t.Context()
	user := e.platformUser(t, "career_consultant")
	apply := func(code, email, state string) {
		t.Helper()
		if _, err := e.db.Pool().Exec(ctx, `
			INSERT INTO imk_applications (personal_code, first_name, last_name, email, state, decided_at, policy_id)
			VALUES ($1, 'Inese', 'Kļava', $2, $3, CASE WHEN $3 IN ('approved', 'rejected') THEN now() END,
			        (SELECT id FROM eligibility_policies WHERE state = 'approved' ORDER BY version LIMIT 1))`, code, email, state); err != nil {
			t.Fatal(err)
		}
	}
	apply(newFormCode(501), "klients1@example.lv", "approved")
	apply(newFormCode(502), "klients2@example.lv", "applied")
	apply(newFormCode(503), "noraidits@example.lv", "rejected")
	apply(newFormCode(504), "miris@example.lv", "approved")
	if _, err := e.db.Pool().Exec(ctx, `UPDATE persons SET deceased_on = '2026-01-01' WHERE personal_code = $1`, newFormCode(504)); err != nil {
		t.Fatal(err)
	}
	var userCode string
	if err := e.db.Pool().QueryRow(ctx, `SELECT personal_code FROM platform_users WHERE id = $1`, user).Scan(&userCode); err != nil {
		t.Fatal(err)
	}
	apply(userCode, "cits.adrese@example.lv", "approved")

	roles := &domain.Announcement{Kind: domain.AnnouncementNews, Title: "Konsultantiem", Body: "Teksts.", EmailAudience: true,
		Audience: []string{"career_consultant"}}
	news := &domain.Announcement{Kind: domain.AnnouncementNews, Title: "Visiem", Body: "Teksts.", EmailAudience: true}
	for _, a := range []*domain.Announcement{roles, news} {
		if err := e.ann.SaveAnnouncement(asEditor(t, e.ilze), a); err != nil {
			t.Fatal(err)
		}
		if err := e.ann.PublishAnnouncement(asEditor(t, e.maris), a.ID); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	rows, err := e.db.Pool().Query(ctx, `SELECT to_addr FROM outbox WHERE template = 'announcement.news' ORDER BY to_addr`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		_ = rows.Scan(&a)
		got = append(got, a)
	}
	rows.Close()
	mail := userEmail(t, e, user)
	want := []string{"klients1@example.lv", "klients2@example.lv", mail, mail}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("mailed %v, want %v: the user twice (two announcements), each living IMK client without an account once (the news)", got, want)
	}
}

// ¶26.2 (issue 16): an acceptance of the terms is the person's act. With
// the application's credentials it can be added and read, never changed
// or removed, and the one function that brings two records' acceptances
// together refuses persons the register has not linked.
func TestDBRoles_AppRole_CannotRewriteAPersonsAcceptance_P26_2(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	v := e.published(t, "1.0", clauses(3))
	a := e.platformUser(t)
	b := e.platformUser(t)
	e.accept(t, a, v.ID)
	ctx := t.Context()
	pa, pb := int64(0), int64(0)
	_ = e.db.Pool().QueryRow(ctx, `SELECT (SELECT person_id FROM platform_users WHERE id = $1), (SELECT person_id FROM platform_users WHERE id = $2)`, a, b).Scan(&pa, &pb)
	for _, sql := range []string{
		`UPDATE terms_acceptances SET accepted_at = accepted_at - interval '1 year'`,
		`UPDATE terms_acceptances SET person_id = ` + itoa(pb),
		`DELETE FROM terms_acceptances`,
		`SELECT terms_acceptances_merge(` + itoa(pa) + `, ` + itoa(pb) + `)`,
		`CREATE OR REPLACE FUNCTION terms_acceptances_merge(p_from bigint, p_into bigint) RETURNS void LANGUAGE sql AS 'SELECT'`,
	} {
		_, err := e.db.Pool().Exec(ctx, sql)
		wantSQLState(t, err, "42501")
	}
	if n := e.count(t, `SELECT count(*) FROM terms_acceptances WHERE person_id = $1 AND version_id = $2`, pa, v.ID); n != 1 {
		t.Fatalf("the acceptance changed: %d", n)
	}
}
