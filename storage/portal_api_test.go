package storage_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// portalEnv is the terms environment with the portal's service and an API
// client acting for the portal.
type portalEnv struct {
	*termsEnv
	portal *storage.PortalService
	client *domain.APIClient
}

func newPortalEnv(t testing.TB) *portalEnv {
	t.Helper()
	e := &portalEnv{termsEnv: newTermsEnv(t)}
	e.portal = storage.NewPortalService(e.db)
	e.client, _ = apiClient(t, e.db, "portal")
	return e
}

// count runs a count query.
func (e *portalEnv) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.Pool().QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPortalAPI_ApplyIMK_AcceptanceKeptAsThePersonsAct(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	v := e.published(t, "1.0", clauses(3))
	ctx := asClient(t, e.client)
	shown := e.clock.now().Add(-2 * time.Minute).UTC().Truncate(time.Second)
	form := domain.IMKApplicationForm{PersonalCode: personalCodeFor(9001), FirstName: "Anna", LastName: "Liepa",
		Email: "anna.liepa@example.lv", Terms: domain.TermsAct{VersionID: v.ID, AcceptedAt: shown, Channel: domain.TermsChannelMobile}}
	id, err := e.portal.ApplyIMK(ctx, form)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	var at time.Time
	var channel string
	var client, app int64
	err = e.db.Pool().QueryRow(t.Context(), `
		SELECT a.accepted_at, a.channel, a.api_client_id, a.imk_application_id
		  FROM terms_acceptances a JOIN persons p ON p.id = a.person_id
		 WHERE p.personal_code = $1 AND a.version_id = $2`, form.PersonalCode, v.ID).Scan(&at, &channel, &client, &app)
	if err != nil {
		t.Fatalf("the acceptance is not kept: %v", err)
	}
	if !at.Equal(shown) || channel != "mobile_app" || client != e.client.ID || app != id {
		t.Errorf("acceptance = %v %s client %d app %d; want the person's time, channel, the client and the application", at, channel, client, app)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_name = 'api:portal'`, domain.AuditIMKApply); n != 1 {
		t.Errorf("%d imk.apply entries by api:portal, want 1", n)
	}
}

func TestPortalAPI_ApplyIMK_Refusals_StoreNothing(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	old := e.published(t, "1.0", clauses(3))
	e.clock.advance(time.Hour)
	cur := e.published(t, "2.0", clauses(4))
	ctx := asClient(t, e.client)
	now := e.clock.now()
	form := func(mod func(*domain.IMKApplicationForm)) domain.IMKApplicationForm {
		f := domain.IMKApplicationForm{PersonalCode: personalCodeFor(9002), FirstName: "Anna", LastName: "Liepa",
			Email: "anna.liepa@example.lv", Terms: domain.TermsAct{VersionID: cur.ID, AcceptedAt: now, Channel: domain.TermsChannelWeb}}
		mod(&f)
		return f
	}
	_, err := e.portal.ApplyIMK(ctx, form(func(f *domain.IMKApplicationForm) { f.Terms.VersionID = old.ID }))
	wantError(t, err, domain.ECONFLICT, "terms.not_in_force")
	_, err = e.portal.ApplyIMK(ctx, form(func(f *domain.IMKApplicationForm) { f.Terms.AcceptedAt = now.Add(-3 * time.Hour) }))
	wantError(t, err, domain.EINVALID, "portal.invalid")
	_, err = e.portal.ApplyIMK(ctx, form(func(f *domain.IMKApplicationForm) { f.Terms = domain.TermsAct{}; f.Email = "nav" }))
	wantError(t, err, domain.EINVALID, "imk.application_invalid")
	var fields []string
	for _, p := range domain.AsError(err).Problems {
		fields = append(fields, p.Field)
	}
	if want := []string{"email", "terms.version_id", "terms.accepted_at", "terms.channel"}; !slices.Equal(fields, want) {
		t.Errorf("problems on %v, want %v", fields, want)
	}
	if n := e.count(t, `SELECT (SELECT count(*) FROM imk_applications) + (SELECT count(*) FROM terms_acceptances)`); n != 0 {
		t.Errorf("%d rows stored by refused applications", n)
	}
}

func TestPortalAPI_AcceptTerms_OnceWithChannelAndClient_RefusesOldVersion(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	v := e.published(t, "1.0", clauses(3))
	user := e.platformUser(t)
	ctx := asClient(t, e.client)
	act := domain.TermsAct{VersionID: v.ID, AcceptedAt: e.clock.now(), Channel: domain.TermsChannelWeb}
	if err := e.portal.AcceptTerms(ctx, user, act); err != nil {
		t.Fatal(err)
	}
	if err := e.portal.AcceptTerms(ctx, user, act); err != nil {
		t.Fatalf("accept again: %v", err)
	}
	if n := e.count(t, `SELECT count(*) FROM terms_acceptances a JOIN platform_users u ON u.person_id = a.person_id WHERE u.id = $1 AND a.channel = 'web' AND a.api_client_id = $2`, user, e.client.ID); n != 1 {
		t.Errorf("%d acceptances with channel and client, want 1", n)
	}
	wantError(t, e.portal.AcceptTerms(ctx, 987654, act), domain.ENOTFOUND, "terms.user_not_found")
	e.clock.advance(time.Hour)
	e.published(t, "2.0", clauses(4))
	act.AcceptedAt = e.clock.now()
	wantError(t, e.portal.AcceptTerms(ctx, e.platformUser(t), act), domain.ECONFLICT, "terms.not_in_force")
	act.Channel = "fax"
	wantError(t, e.portal.AcceptTerms(ctx, user, act), domain.EINVALID, "portal.invalid")
}

func TestPortalAPI_TermsAndAnnouncements_ForARole(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := asClient(t, e.client)
	_, err := e.portal.PortalTermsInForce(ctx)
	wantError(t, err, domain.ENOTFOUND, "terms.none_in_force")
	v := e.published(t, "1.0", clauses(3))
	got, err := e.portal.PortalTermsInForce(ctx)
	if err != nil || got.ID != v.ID || got.Text != v.Text {
		t.Fatalf("terms in force = %+v, %v", got, err)
	}
	for _, a := range []*domain.Announcement{
		{Kind: domain.AnnouncementNews, Title: "Visiem", Body: "Teksts visiem."},
		{Kind: domain.AnnouncementNews, Title: "Konsultantiem", Body: "Teksts.", Audience: []string{string(domain.PlatformCareerConsultant)}},
	} {
		if err := e.ann.SaveAnnouncement(asEditor(t, e.ilze), a); err != nil {
			t.Fatal(err)
		}
		if err := e.ann.PublishAnnouncement(asEditor(t, e.maris), a.ID); err != nil {
			t.Fatal(err)
		}
	}
	// Publishing the terms announced them to everyone (¶33).
	titles := func(role domain.PlatformRole) []string {
		list, err := e.portal.PortalAnnouncements(ctx, role)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range list {
			out = append(out, a.Title)
		}
		slices.Sort(out)
		return out
	}
	if got := titles(domain.PlatformCareerConsultant); !slices.Equal(got, []string{"Jauna lietošanas noteikumu redakcija Nr. 1.0", "Konsultantiem", "Visiem"}) {
		t.Errorf("a consultant sees %v", got)
	}
	if got := titles(domain.PlatformMunicipalCoord); !slices.Equal(got, []string{"Jauna lietošanas noteikumu redakcija Nr. 1.0", "Visiem"}) {
		t.Errorf("a coordinator sees %v", got)
	}
	_, err = e.portal.PortalAnnouncements(ctx, "admin")
	wantError(t, err, domain.EINVALID, "portal.role_unknown")
}

func TestPortalAPI_SignIns_RecordedRefusedWhileDenied_StatusSaysWhy(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	ctx := asClient(t, e.client)
	user := e.platformUser(t)
	if _, err := e.portal.RecordSignIn(ctx, domain.PlatformSignIn{UserID: user, Method: domain.SignInSmartID}); err != nil {
		t.Fatal(err)
	}
	_, err := e.portal.RecordSignIn(ctx, domain.PlatformSignIn{UserID: user, Method: domain.SignInPlatformPasswd})
	wantError(t, err, domain.EINVALID, "portal.invalid")
	_, err = e.portal.RecordSignIn(ctx, domain.PlatformSignIn{UserID: user, Method: domain.SignInEIDCard, At: e.clock.now().Add(time.Hour)})
	wantError(t, err, domain.EINVALID, "portal.invalid")
	_, err = e.portal.RecordSignIn(ctx, domain.PlatformSignIn{UserID: 987654, Method: domain.SignInEIDCard})
	wantError(t, err, domain.ENOTFOUND, "portal.user_not_found")

	st, err := e.portal.SignInStatus(ctx, user)
	if err != nil || !st.Allowed || !st.Known {
		t.Fatalf("status before the denial = %+v, %v", st, err)
	}
	sec := newOperator(t, e.db, "ilze.drosiba", withRoles(domain.RoleSecurity))
	if _, err := storage.NewDenialService(e.db).Deny(as(t, sec), domain.SubjectPlatformUser, user, domain.GroundRulesBroken, "pārkāpums", "ziņojums"); err != nil {
		t.Fatal(err)
	}
	_, err = e.portal.RecordSignIn(ctx, domain.PlatformSignIn{UserID: user, Method: domain.SignInSmartID})
	wantError(t, err, domain.EFORBIDDEN, "portal.sign_in_denied")
	if n := e.count(t, `SELECT count(*) FROM platform_sign_ins WHERE user_id = $1`, user); n != 1 {
		t.Errorf("%d sign-ins recorded, want only the one before the denial", n)
	}
	st, err = e.portal.SignInStatus(ctx, user)
	if err != nil || st.Allowed || len(st.Denials) != 1 || st.Denials[0].Ground != domain.GroundRulesBroken {
		t.Fatalf("status after the denial = %+v, %v", st, err)
	}
	var code string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT personal_code FROM platform_users WHERE id = $1`, user).Scan(&code); err != nil {
		t.Fatal(err)
	}
	st, err = e.portal.PersonSignInStatus(ctx, code)
	if err != nil || !st.Known || st.Allowed || st.UserID != user {
		t.Fatalf("person status = %+v, %v", st, err)
	}
	st, err = e.portal.PersonSignInStatus(ctx, personalCodeFor(9003))
	if err != nil || st.Known || !st.Allowed {
		t.Fatalf("unknown person status = %+v, %v", st, err)
	}
	_, err = e.portal.PersonSignInStatus(ctx, "123")
	wantError(t, err, domain.EINVALID, "portal.invalid")
	// Personal codes never reach the audit log in full.
	if _, err := storage.NewAuditService(e.db).SealAudit(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log a WHERE strpos(a::text, $1) > 0`, personalCodeFor(9003)); n != 0 {
		t.Errorf("a personal code asked about is in the audit log %d times", n)
	}
}

func TestPortalAPI_AuthDeactivated_KeptForTheSweep(t *testing.T) {
	t.Parallel()
	e := newPortalEnv(t)
	user := e.platformUser(t)
	at := e.clock.now().Add(-time.Hour).UTC().Truncate(time.Second)
	if err := e.portal.RecordAuthDeactivated(asClient(t, e.client), domain.AuthDeactivation{UserID: user, Method: domain.SignInEIDCard, At: at}); err != nil {
		t.Fatal(err)
	}
	var got time.Time
	var method string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT auth_deactivated_at, auth_deactivated_method FROM platform_users WHERE id = $1`, user).Scan(&got, &method); err != nil {
		t.Fatal(err)
	}
	if !got.Equal(at) || method != "eid_card" {
		t.Errorf("deactivated %v %q, want %v eid_card", got, method, at)
	}
	wantError(t, e.portal.RecordAuthDeactivated(asClient(t, e.client), domain.AuthDeactivation{UserID: user, Method: "pigeon"}),
		domain.EINVALID, "portal.invalid")
}

func TestPortalAPI_DocumentFile_StoredWithHash_ReviewerOpensIt(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	file := bytes.Repeat([]byte("%PDF-1.7 reģistrācija\n"), 1000)
	f := rrForm(domain.KindInstitution, 0)
	f.Documents = []domain.Document{{Name: "apliecība.pdf", MediaType: "application/pdf", Content: file}}
	id, _ := e.submit(t, f)
	d, err := e.svc.OpenRoleRequestDocument(as(t, e.anna), id, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Content, file) || d.Size != int64(len(file)) || d.SHA256 != sha256Hex(string(file)) {
		t.Errorf("document = %s %d %s, want the file with its size and SHA-256", d.Name, d.Size, d.SHA256)
	}
	_, err = e.svc.OpenRoleRequestDocument(as(t, e.anna), id, 2)
	wantError(t, err, domain.ENOTFOUND, "rolerequest.document_not_found")
	// The application role cannot change a stored file.
	_, err = e.db.Pool().Exec(t.Context(), `UPDATE role_request_document_contents SET content = 'x'`)
	wantSQLState(t, err, "42501")

	bad := rrForm(domain.KindInstitution, 0)
	bad.Documents = []domain.Document{
		{Name: "a.pdf", MediaType: "application/pdf", Content: []byte("one"), SHA256: sha256Hex("two")},
		{Name: "b.pdf", MediaType: "application/pdf", Content: make([]byte, domain.DocumentContentMaxSize+1)},
	}
	_, _, err = e.portal.SubmitRoleRequest(t.Context(), bad)
	wantError(t, err, domain.EINVALID, "rolerequest.invalid")
	var keys []string
	for _, p := range domain.AsError(err).Problems {
		keys = append(keys, p.Key)
	}
	if !slices.Contains(keys, "rolerequest.document_hash_mismatch") || !slices.Contains(keys, "rolerequest.document_too_large") {
		t.Errorf("problems %v, want the hash mismatch and the size", keys)
	}
	if strings.Contains(strings.Join(keys, ","), "documents_too_many") {
		t.Error("two documents are not too many")
	}
}
