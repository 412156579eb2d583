package storage_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// termsEnv is a database with the terms and announcement services, three
// editors and a clock.
type termsEnv struct {
	db    *storage.DB
	terms *storage.TermsService
	ann   *storage.AnnouncementService
	ilze  *domain.Operator // ilze.kalna, drafts
	maris *domain.Operator // maris.ozols, approves
	rasma *domain.Operator // rasma.lace, a third editor
	clock *clock
}

// newTermsEnv returns a fresh database with three editors.
func newTermsEnv(t testing.TB) *termsEnv {
	t.Helper()
	db := pgtest.NewDB(t)
	e := &termsEnv{db: db, terms: storage.NewTermsService(db), ann: storage.NewAnnouncementService(db)}
	e.ilze = editorOperator(t, db, "ilze.kalna", "Ilze Kalna", domain.RoleEditor)
	e.maris = editorOperator(t, db, "maris.ozols", "Māris Ozols", domain.RoleEditor)
	e.rasma = editorOperator(t, db, "rasma.lace", "Rasma Lāce", domain.RoleEditor, domain.RoleReviewer)
	e.clock = useClock(db)
	return e
}

// editorOperator creates an operator with the roles.
func editorOperator(t testing.TB, db *storage.DB, name, full string, roles ...domain.Role) *domain.Operator {
	t.Helper()
	op := &domain.Operator{Name: name, FullName: full, Email: name + "@viaa.gov.lv", Roles: roles}
	if err := storage.NewOperatorService(db).CreateOperator(adminCtx(t), op, ""); err != nil {
		t.Fatalf("create operator %s: %v", name, err)
	}
	return op
}

// editorSessions numbers the sessions of asEditor.
var editorSessions atomic.Int64

// asEditor returns a context acting as op in a session of its own.
func asEditor(t testing.TB, op *domain.Operator) context.Context {
	return domain.WithActor(t.Context(), domain.Actor{
		OperatorID: op.ID, Name: op.Name, RemoteAddr: "192.0.2.30:41000",
		SessionID: "terms-" + op.Name + "-" + strconv.FormatInt(editorSessions.Add(1), 10),
	})
}

// clauses returns a numbered Latvian text of n clauses.
func clauses(n int) string {
	var b strings.Builder
	b.WriteString("Prasmju pārvaldības platformas lietošanas noteikumi\n\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d. Lietotājs ievēro %d. punktā noteikto un rūpējas par savu ziņu pareizību.\n", i, i)
	}
	return b.String()
}

// submitted drafts version number as by (from the version in force),
// replaces its text and summary, submits it and returns it.
func (e *termsEnv) submitted(t testing.TB, by *domain.Operator, number, text, summary string) *domain.TermsVersion {
	t.Helper()
	ctx := asEditor(t, by)
	v, err := e.terms.StartTermsDraft(ctx, number, "")
	if err != nil {
		t.Fatalf("start draft %s: %v", number, err)
	}
	v.Text, v.Summary = text, summary
	if err := e.terms.SaveTermsDraft(ctx, v); err != nil {
		t.Fatalf("save draft %s: %v", number, err)
	}
	if err := e.terms.SubmitTermsDraft(ctx, v.ID, v.Version); err != nil {
		t.Fatalf("submit draft %s: %v", number, err)
	}
	return v
}

// published drafts, submits (as ilze) and publishes (as maris) a version.
func (e *termsEnv) published(t testing.TB, number, text string) *domain.TermsVersion {
	t.Helper()
	v := e.submitted(t, e.ilze, number, text, "Redakcija "+number+".")
	if err := e.terms.ApproveAndPublish(asEditor(t, e.maris), v.ID); err != nil {
		t.Fatalf("publish %s: %v", number, err)
	}
	got, err := e.terms.FindTermsVersion(t.Context(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// inForceCount counts the published rows, straight from the table.
func (e *termsEnv) inForceCount(t testing.TB) int {
	t.Helper()
	var n int
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM terms_versions WHERE state = 'published'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// userSeq makes each Platform user of platformUser distinct.
var userSeq atomic.Int64

// platformUser inserts a Latvija.gov.lv Platform user with a confirmed
// address holding the roles now, and returns its id. A role ending in
// "!" is given an assignment that has ended, and one ending in "~" one
// that expired; neither counts as held.
func (e *termsEnv) platformUser(t testing.TB, roles ...string) int64 {
	t.Helper()
	ctx := t.Context()
	n := userSeq.Add(1)
	var id int64
	err := e.db.Pool().QueryRow(ctx, `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
		VALUES ('viss', $1, $2, 'Ērika', $3, true) RETURNING id`,
		fmt.Sprintf("32%09d", n), "lietotajs"+strconv.FormatInt(n, 10)+"@example.lv",
		"Šmite-"+strconv.FormatInt(n, 10)).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.now()
	for _, role := range roles {
		from, until := now.Add(-30*24*time.Hour), now.Add(300*24*time.Hour)
		var ended *time.Time
		reason := ""
		switch {
		case strings.HasSuffix(role, "!"):
			role, ended, reason = strings.TrimSuffix(role, "!"), &now, "¶32.4 pēc lietotāja lūguma"
		case strings.HasSuffix(role, "~"):
			role, until = strings.TrimSuffix(role, "~"), now.Add(-time.Hour)
		}
		var municipality *string
		if role == string(domain.PlatformMunicipalCoord) {
			m := "riga"
			municipality = &m
		}
		var institution *int64
		if role == string(domain.PlatformInstitutionAdmin) || role == string(domain.PlatformInstitutionStaff) {
			i := e.institution(t)
			institution = &i
		}
		_, err := e.db.Pool().Exec(ctx, `
			INSERT INTO role_assignments (user_id, role, institution_id, municipality_code, valid_from, valid_until,
			                              ended_at, end_reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, role, institution, municipality, from, until, ended, reason)
		if err != nil {
			t.Fatalf("assign %s: %v", role, err)
		}
	}
	return id
}

// institution returns the id of the test's one active institution.
func (e *termsEnv) institution(t testing.TB) int64 {
	t.Helper()
	var id int64
	err := e.db.Pool().QueryRow(t.Context(), `SELECT id FROM institutions WHERE name = 'Valmieras tehnikums'`).Scan(&id)
	if err == nil {
		return id
	}
	err = e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
		VALUES ('Valmieras tehnikums', '40003521600', '3113903386', 'info@tehnikums.example.lv', 'active', now())
		RETURNING id`).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// accept records userID's acceptance of the version in force as the
// portal would, failing the test on error.
func (e *termsEnv) accept(t testing.TB, userID, versionID int64) {
	t.Helper()
	if err := e.terms.AcceptTerms(t.Context(), userID, versionID); err != nil {
		t.Fatalf("user %d accepts %d: %v", userID, versionID, err)
	}
}
