package demodata_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/passhash"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/demodata"
	"github.com/viaa/ppp/storage/pgtest"
)

// fixedNow makes loads comparable.
var fixedNow = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)

// withReviewers returns a fresh database with two reviewers.
func withReviewers(t *testing.T) *storage.DB {
	t.Helper()
	db := pgtest.NewDB(t)
	ops := storage.NewOperatorService(db)
	ctx := domain.WithActor(t.Context(), domain.Actor{Name: "cli:test"})
	for _, op := range []*domain.Operator{
		{Name: "demo", FullName: "Līga Ozoliņa", Email: "demo@viaa.gov.lv", Roles: domain.Roles},
		{Name: "janis.berzins", FullName: "Jānis Bērziņš", Email: "janis.berzins@viaa.gov.lv", Roles: []domain.Role{domain.RoleReviewer}},
	} {
		if err := ops.CreateOperator(ctx, op, ""); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func load(t *testing.T, db *storage.DB, opts demodata.Options) *demodata.Result {
	t.Helper()
	start := time.Now()
	res, err := demodata.Load(t.Context(), db, opts)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	t.Logf("loaded %v in %v", res, time.Since(start))
	return res
}

func count(t *testing.T, db *storage.DB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool().QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestLoad_DefaultScale_EveryKindInEveryStateAtLeast500(t *testing.T) {
	t.Parallel()
	db := withReviewers(t)
	res := load(t, db, demodata.Options{Now: fixedNow})
	if !res.Loaded || res.Requests < demodata.DefaultScale*9/10 {
		t.Fatalf("result = %+v", res)
	}
	rows, err := db.Pool().Query(t.Context(), `SELECT kind, state, count(*) FROM role_requests GROUP BY kind, state`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for rows.Next() {
		var kind, state string
		var n int
		if err := rows.Scan(&kind, &state, &n); err != nil {
			t.Fatal(err)
		}
		got[kind+"/"+state] = n
	}
	for _, kind := range domain.RoleRequestKinds {
		for _, state := range domain.RoleRequestStates {
			key := string(kind) + "/" + string(state)
			if state == domain.StateAtInstitution && kind != domain.KindCareerConsultant {
				if got[key] != 0 {
					t.Errorf("%s: %d requests, but only career consultants are routed to institutions (¶29.3)", key, got[key])
				}
				continue
			}
			if got[key] < demodata.MinPerCell {
				t.Errorf("%s: %d requests, want at least %d", key, got[key], demodata.MinPerCell)
			}
			if res.Counts[kind][state] != got[key] {
				t.Errorf("%s: result says %d, database has %d", key, res.Counts[kind][state], got[key])
			}
		}
	}
}

func TestLoad_Twice_SecondLoadsNothing(t *testing.T) {
	t.Parallel()
	db := withReviewers(t)
	load(t, db, demodata.Options{Scale: 500, Now: fixedNow})
	before := count(t, db, `SELECT count(*) FROM role_requests`)
	res := load(t, db, demodata.Options{Scale: 500, Now: fixedNow})
	if res.Loaded {
		t.Error("the second load says it loaded")
	}
	if after := count(t, db, `SELECT count(*) FROM role_requests`); after != before {
		t.Errorf("requests %d -> %d", before, after)
	}
}

func TestLoad_SameSeed_SameData(t *testing.T) {
	t.Parallel()
	digest := func(seed int64) (d string) {
		t.Run("seed"+strconv.FormatInt(seed, 10), func(t *testing.T) {
			db := withReviewers(t)
			load(t, db, demodata.Options{Scale: 1500, Seed: seed, Now: fixedNow})
			err := db.Pool().QueryRow(t.Context(), `
			SELECT md5(string_agg(concat_ws('|', id, kind, state, first_name, last_name, personal_code, email,
			                                company_reg_number, created_at), ',' ORDER BY id))
			  FROM role_requests`).Scan(&d)
			if err != nil {
				t.Fatal(err)
			}
		})
		return d
	}
	a, b, c := digest(7), digest(7), digest(8)
	if a != b {
		t.Error("the same seed gave different data")
	}
	if a == c {
		t.Error("another seed gave the same data")
	}
}

func TestLoad_Data_IsValidLatvianAndConsistent(t *testing.T) {
	t.Parallel()
	db := withReviewers(t)
	load(t, db, demodata.Options{Scale: 6000, Now: fixedNow})
	ctx := t.Context()

	// Every personal code and registration number passes the rules.
	rows, err := db.Pool().Query(ctx, `
		SELECT personal_code, company_reg_number, education_reg_number, first_name, last_name, email
		  FROM role_requests`)
	if err != nil {
		t.Fatal(err)
	}
	var newForm, oldForm, diacritics, feminine int
	for rows.Next() {
		var code, company, education, first, last, email string
		if err := rows.Scan(&code, &company, &education, &first, &last, &email); err != nil {
			t.Fatal(err)
		}
		if code != "" {
			if err := domain.ValidatePersonalCode(code); err != nil {
				t.Fatalf("personal code %s: %v", domain.MaskPersonalCode(code), err)
			}
			if strings.Contains(code, "-") {
				oldForm++
			} else {
				newForm++
			}
		}
		if company != "" {
			if err := domain.ValidateCompanyRegNumber(company); err != nil {
				t.Fatalf("company number %s: %v", company, err)
			}
			if err := domain.ValidateInstitutionRegNumber(education); err != nil {
				t.Fatalf("education number %s: %v", education, err)
			}
		}
		if err := domain.ValidateEmail(email); err != nil {
			t.Fatalf("e-mail %q: %v", email, err)
		}
		if strings.ContainsAny(first+last, "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ") {
			diacritics++
		}
		if strings.HasSuffix(last, "iņa") {
			feminine++
		}
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	if newForm == 0 || oldForm == 0 || diacritics < 1000 || feminine == 0 {
		t.Errorf("codes old %d new %d, names with diacritics %d, feminine -iņa %d", oldForm, newForm, diacritics, feminine)
	}

	checks := map[string]string{
		"unconfirmed older than 14 days": `SELECT count(*) FROM role_requests WHERE state = 'unconfirmed' AND created_at < $1::timestamptz - interval '14 days'`,
		"unconfirmed within 14 days":     `SELECT count(*) FROM role_requests WHERE state = 'unconfirmed' AND created_at >= $1::timestamptz - interval '14 days'`,
		"waiting at an institution over 10 days": `SELECT count(*) FROM role_requests
			WHERE state = 'at_institution' AND email_confirmed_at < $1::timestamptz - interval '10 days'`,
		"taken over from an institution": `SELECT count(*) FROM role_requests WHERE state = 'pending' AND kind = 'career_consultant' AND institution_id IS NOT NULL`,
		// ¶29.3: a request whose reminder is due within the day, and
		// reminders sent, as the consultant-reminder sweep would have.
		"institution reminder due within a day": `SELECT count(*) FROM role_requests
			WHERE state = 'at_institution' AND institution_reminder_at IS NULL
			  AND email_confirmed_at BETWEEN $1::timestamptz - interval '7 days' AND $1::timestamptz - interval '6 days'`,
		"institution reminded":      `SELECT count(*) FROM role_requests WHERE state = 'at_institution' AND institution_reminder_at IS NOT NULL`,
		"decided by an institution": `SELECT count(*) FROM role_requests WHERE decided_by_institution IS NOT NULL`,
		"duplicate personal codes among open requests": `SELECT count(*) FROM role_requests r
			WHERE r.state IN ('pending', 'unconfirmed', 'info_requested', 'at_institution') AND r.personal_code <> ''
			  AND EXISTS (SELECT FROM role_requests o WHERE o.personal_code = r.personal_code AND o.id <> r.id)`,
		"registrations repeating an active institution's number": `SELECT count(*) FROM role_requests r
			WHERE r.kind = 'institution' AND r.state = 'pending'
			  AND EXISTS (SELECT FROM institutions i WHERE i.state = 'active'
			              AND (i.company_reg_number = r.company_reg_number OR i.education_reg_number = r.education_reg_number))
			 `,
		"approved registrations with their active institution and first user": `SELECT count(*) FROM role_requests r
			JOIN institutions i ON i.id = r.institution_id AND i.state = 'active'
			JOIN platform_users u ON u.institution_id = i.id AND u.kind = 'password'
			JOIN role_assignments a ON a.user_id = u.id AND a.role = 'institution_admin' AND a.request_id = r.id
			WHERE r.kind = 'institution' AND r.state = 'approved'`,
		"requests with a history": `SELECT count(DISTINCT request_id) FROM role_request_events`,
	}
	for what, sql := range checks {
		var args []any
		if strings.Contains(sql, "$1") {
			args = append(args, fixedNow)
		}
		if n := count(t, db, sql, args...); n == 0 {
			t.Errorf("no %s", what)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM role_requests WHERE created_at < $1::timestamptz - interval '60 days' OR created_at > $1`, fixedNow); n != 0 {
		t.Errorf("%d requests outside the 60 days", n)
	}
	approved := count(t, db, `SELECT count(*) FROM role_requests WHERE state = 'approved'`)
	if n := count(t, db, `SELECT count(*) FROM role_assignments WHERE request_id IS NOT NULL`); n != approved {
		t.Errorf("%d assignments for %d approvals", n, approved)
	}

	var hash string
	if err := db.Pool().QueryRow(ctx, `SELECT password_hash FROM platform_users WHERE kind = 'password' LIMIT 1`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if ok, err := passhash.Verify(demodata.DemoPassword, hash); err != nil || !ok {
		t.Errorf("the demo password does not sign in: %v %v", ok, err)
	}
}

func TestLoad_QueueWorksOnDemoData(t *testing.T) {
	t.Parallel()
	db := withReviewers(t)
	load(t, db, demodata.Options{Scale: 4000, Now: time.Now()})
	svc := storage.NewRoleRequestService(db)
	var reviewerID int64
	if err := db.Pool().QueryRow(t.Context(), `SELECT id FROM operators WHERE name = 'janis.berzins'`).Scan(&reviewerID); err != nil {
		t.Fatal(err)
	}
	ctx := domain.WithActor(context.Background(), domain.Actor{OperatorID: reviewerID, Name: "janis.berzins", SessionID: "s"})

	page, err := svc.ListRoleRequests(ctx, domain.RoleRequestFilter{Kinds: []domain.RoleRequestKind{domain.KindInstitution}, States: []domain.RoleRequestState{domain.StatePending}})
	if err != nil || len(page) == 0 {
		t.Fatalf("pending registrations: %d, %v", len(page), err)
	}
	// Approve registrations until one does not repeat an active number.
	approved := false
	for _, r := range page {
		if _, err := svc.ClaimRoleRequest(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		err := svc.Approve(ctx, domain.Decision{RequestID: r.ID, Version: r.Version})
		if err == nil {
			approved = true
			break
		}
		if domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("approve demo registration: %v", err)
		}
	}
	if !approved {
		t.Error("no demo registration could be approved")
	}
	dupsFound := false
	open, err := svc.ListRoleRequests(ctx, domain.RoleRequestFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range open {
		dups, err := svc.FindDuplicates(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(dups) > 0 {
			dupsFound = true
			break
		}
	}
	if !dupsFound {
		t.Error("no duplicates among the first 500 open requests")
	}
	n, err := svc.ExpireUnconfirmed(ctx, time.Time{})
	if err != nil || n == 0 {
		t.Errorf("expired %d, %v; the demo has unconfirmed requests older than 14 days", n, err)
	}
	if _, err := svc.ClaimNext(ctx); err != nil {
		t.Errorf("claim next: %v", err)
	}
}
