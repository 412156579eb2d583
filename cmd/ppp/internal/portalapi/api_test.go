package portalapi_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/portalapi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

func TestAPI_MissingBadOrRevokedToken_401(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := roleRequest(domain.KindMunicipalCoordinator, 0)
	other, _ := domain.NewAPIToken()
	for _, auth := range []string{"", "Bearer", "Bearer " + other, "Basic " + e.token, "Bearer " + e.token + "x"} {
		r := e.call(http.MethodPost, "/v1/role-requests", body, "Authorization", auth)
		r.want(t, http.StatusUnauthorized, "api.unauthorized")
		if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("401 without WWW-Authenticate: %v", r.header)
		}
	}
	e.call(http.MethodGet, "/v1/terms", nil, "Authorization", "").want(t, http.StatusUnauthorized, "api.unauthorized")
	if err := e.clients.RevokeAPIClient(cliCtx(t), "portal"); err != nil {
		t.Fatal(err)
	}
	e.call(http.MethodPost, "/v1/role-requests", body).want(t, http.StatusUnauthorized, "api.unauthorized")
	if n := e.count(`SELECT count(*) FROM role_requests`); n != 0 {
		t.Errorf("%d requests stored by unauthenticated calls", n)
	}
}

func TestAPI_SubmitRoleRequest_EachKind_StoredAuditedAsClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	inst := e.institution()
	for _, kind := range []domain.RoleRequestKind{domain.KindInstitution, domain.KindInstitutionStaff,
		domain.KindMunicipalCoordinator, domain.KindCareerConsultant, domain.KindAdultEducationCoordinator} {
		body := roleRequest(kind, inst)
		r := e.call(http.MethodPost, "/v1/role-requests", body).want(t, http.StatusCreated)
		if r.id() <= 0 {
			t.Fatalf("%s: no id in %s", kind, r.raw)
		}
		if n := e.count(`SELECT count(*) FROM role_requests WHERE id = $1 AND kind = $2 AND state = 'unconfirmed'`, r.id(), string(kind)); n != 1 {
			t.Errorf("%s: request %d not stored unconfirmed", kind, r.id())
		}
		if n := e.count(`SELECT count(*) FROM audit_log WHERE actor_name = 'api:portal' AND subject_kind = 'role_request' AND subject_id = $1`,
			strconv.FormatInt(r.id(), 10)); n != 1 {
			t.Errorf("%s: %d audit entries by api:portal", kind, n)
		}
		if strings.Contains(string(r.raw), "token") {
			t.Errorf("the response shows the confirmation token: %s", r.raw)
		}
	}
	var content []byte
	var sum string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT c.content, d.sha256 FROM role_request_document_contents c
		JOIN role_request_documents d ON d.id = c.document_id`).Scan(&content, &sum); err != nil {
		t.Fatal(err)
	}
	if string(content) != "%PDF-1.7 apliecība" || len(sum) != 64 {
		t.Errorf("document stored as %q with SHA-256 %q", content, sum)
	}
}

func TestAPI_SubmitRoleRequest_Invalid_422_ProblemsInTheCallersLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := roleRequest(domain.KindMunicipalCoordinator, 0)
	body["personal_code"], body["email"] = "123", "nav-adrese"
	lv := e.call(http.MethodPost, "/v1/role-requests", body).want(t, http.StatusUnprocessableEntity, "rolerequest.invalid")
	en := e.call(http.MethodPost, "/v1/role-requests", body, "Accept-Language", "en-GB,en;q=0.8").want(t, http.StatusUnprocessableEntity, "rolerequest.invalid")
	if !slices.Contains(lv.problems(), "email:rolerequest.bad_email") && len(lv.problems()) < 2 {
		t.Errorf("problems %v, want one per bad field", lv.problems())
	}
	if !slices.Equal(lv.problems(), en.problems()) || lv.str("message") == en.str("message") {
		t.Errorf("lv %q / en %q: the same problems in two languages", lv.str("message"), en.str("message"))
	}
	if lv.header.Get("Content-Language") != "lv" || en.header.Get("Content-Language") != "en" {
		t.Errorf("Content-Language %q, %q", lv.header.Get("Content-Language"), en.header.Get("Content-Language"))
	}
	if n := e.count(`SELECT count(*) FROM role_requests`); n != 0 {
		t.Errorf("%d requests stored by refused calls", n)
	}
	// The refusal is audited as the client's call.
	if _, err := storage.NewAuditService(e.db).SealAudit(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE actor_name = 'api:portal' AND action = $1`, domain.AuditAPIRefused); n != 2 {
		t.Errorf("%d refusals audited, want 2", n)
	}
}

func TestAPI_StrictJSON_400(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	good := roleRequest(domain.KindMunicipalCoordinator, 0)
	good["is_admin"] = true
	e.call(http.MethodPost, "/v1/role-requests", good).want(t, http.StatusBadRequest, "api.bad_json")
	e.call(http.MethodPost, "/v1/email-confirmations", `{"token":"a"} {"token":"b"}`).want(t, http.StatusBadRequest, "api.bad_json")
	e.call(http.MethodPost, "/v1/email-confirmations", `{"token":`).want(t, http.StatusBadRequest, "api.bad_json")
	e.call(http.MethodPost, "/v1/email-confirmations", `{"token":"a"}`, "Content-Type", "text/plain").want(t, http.StatusUnsupportedMediaType)
	e.call(http.MethodPost, "/v1/role-requests/abc/answer", `{"message":"x"}`).want(t, http.StatusBadRequest, "api.bad_path")
	e.call(http.MethodGet, "/v1/nothing-here", nil).want(t, http.StatusNotFound, "api.no_route")
}

func TestAPI_Idempotency_ReplaySameBody_RefuseOtherBody_KeyRequired(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	body := roleRequest(domain.KindAdultEducationCoordinator, 0)
	first := e.call(http.MethodPost, "/v1/role-requests", body, "Idempotency-Key", "retry-1").want(t, http.StatusCreated)
	again := e.call(http.MethodPost, "/v1/role-requests", body, "Idempotency-Key", "retry-1").want(t, http.StatusCreated)
	if again.id() != first.id() || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry gave %s (replayed %q), want the first response %s", again.raw, again.header.Get("Idempotent-Replayed"), first.raw)
	}
	if n := e.count(`SELECT count(*) FROM role_requests`); n != 1 {
		t.Errorf("%d requests after a retry, want 1", n)
	}
	body["first_name"] = "Cits"
	e.call(http.MethodPost, "/v1/role-requests", body, "Idempotency-Key", "retry-1").want(t, http.StatusUnprocessableEntity, "api.idempotency_key_reused")
	e.call(http.MethodPost, "/v1/role-requests", body, "Idempotency-Key", "").want(t, http.StatusBadRequest, "api.idempotency_key_required")
	e.call(http.MethodPost, "/v1/role-requests", body, "Idempotency-Key", strings.Repeat("k", 256)).want(t, http.StatusBadRequest, "api.idempotency_key_bad")
	// Concurrent retries of one call submit once.
	body = roleRequest(domain.KindAdultEducationCoordinator, 0)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { e.call(http.MethodPost, "/v1/role-requests", body, "Idempotency-Key", "race-1") })
	}
	wg.Wait()
	if n := e.count(`SELECT count(*) FROM role_requests WHERE email = $1`, body["email"]); n != 1 {
		t.Errorf("%d requests from four concurrent retries, want 1", n)
	}
}

func TestAPI_BodyLimit_413(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	big := `{"token":"` + strings.Repeat("a", portalapi.SmallBodyLimit) + `"}`
	e.call(http.MethodPost, "/v1/email-confirmations", big).want(t, http.StatusRequestEntityTooLarge, "api.body_too_large")
	// A file over 10 MiB within the role request's limit is refused by
	// the rule, not the transport.
	body := roleRequest(domain.KindInstitution, 0)
	body["documents"] = []map[string]any{{"name": "liels.pdf", "media_type": "application/pdf",
		"content": bytes.Repeat([]byte{'x'}, domain.DocumentContentMaxSize+1)}}
	r := e.call(http.MethodPost, "/v1/role-requests", body).want(t, http.StatusUnprocessableEntity, "rolerequest.invalid")
	if !slices.Contains(r.problems(), "documents:rolerequest.document_too_large") {
		t.Errorf("problems %v", r.problems())
	}
	huge := `{"kind":"institution","notes":"` + strings.Repeat("a", portalapi.RoleRequestBodyLimit) + `"}`
	e.call(http.MethodPost, "/v1/role-requests", huge).want(t, http.StatusRequestEntityTooLarge, "api.body_too_large")
}

func TestAPI_RateLimit_429WithRetryAfter_PerClient(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	e := newEnv(t, func(c *portalapi.Config) {
		c.Rate, c.Burst = 1, 2
		c.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	})
	e.call(http.MethodGet, "/v1/announcements", nil).want(t, http.StatusOK)
	e.call(http.MethodGet, "/v1/announcements", nil).want(t, http.StatusOK)
	r := e.call(http.MethodGet, "/v1/announcements", nil).want(t, http.StatusTooManyRequests, "api.rate_limited")
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q, want 1", r.header.Get("Retry-After"))
	}
	// Another client has a bucket of its own.
	_, token2, err := e.clients.AddAPIClient(cliCtx(t), "mobile")
	if err != nil {
		t.Fatal(err)
	}
	e.call(http.MethodGet, "/v1/announcements", nil, "Authorization", "Bearer "+token2).want(t, http.StatusOK)
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	e.call(http.MethodGet, "/v1/announcements", nil).want(t, http.StatusOK)
}

func TestAPI_HostileText_StoredAsGiven_EscapedInJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	hostile := `<script>alert('x')</script> "; DROP TABLE role_requests; -- & {{.}}`
	body := roleRequest(domain.KindMunicipalCoordinator, 0)
	body["notes"] = hostile
	body["position"] = "<b>vadītāja</b>"
	e.call(http.MethodPost, "/v1/role-requests", body).want(t, http.StatusCreated)
	if n := e.count(`SELECT count(*) FROM role_requests WHERE notes = $1`, hostile); n != 1 {
		t.Errorf("hostile notes not stored as given")
	}
	r := e.call(http.MethodGet, "/v1/announcements?role=<script>alert(1)</script>", nil).want(t, http.StatusUnprocessableEntity, "portal.role_unknown")
	if bytes.Contains(r.raw, []byte("<script>")) || !bytes.Contains(r.raw, []byte(`\u003cscript\u003e`)) {
		t.Errorf("the echoed role is not JSON-escaped: %s", r.raw)
	}
}

func TestAPI_ConfirmEmail_AnswerInfoRequest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, token, err := e.portal.SubmitRoleRequest(t.Context(), domain.RoleRequestForm{Kind: domain.KindAdultEducationCoordinator,
		FirstName: "Ģirts", LastName: "Ūdris", PersonalCode: personalCode(), Email: email(), MunicipalityCode: "cesu_novads"})
	if err != nil {
		t.Fatal(err)
	}
	e.call(http.MethodPost, "/v1/email-confirmations", map[string]any{"token": "nezinams"}).want(t, http.StatusNotFound, "rolerequest.token_unknown")
	if r := e.call(http.MethodPost, "/v1/email-confirmations", map[string]any{"token": token}).want(t, http.StatusOK); r.id() != id {
		t.Errorf("confirmed %d, want %d", r.id(), id)
	}
	path := "/v1/role-requests/" + strconv.FormatInt(id, 10) + "/answer"
	e.call(http.MethodPost, path, map[string]any{"message": "Lūdzu"}).want(t, http.StatusUnprocessableEntity, "rolerequest.not_info_requested")
	rr := storage.NewRoleRequestService(e.db)
	rev := e.operator("anna.kalnina", domain.RoleReviewer)
	r, err := rr.FindRoleRequest(rev, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := rr.RequestInfo(rev, domain.Decision{RequestID: id, Version: r.Version, InfoMessage: "Pievienojiet līgumu."}); err != nil {
		t.Fatal(err)
	}
	e.call(http.MethodPost, path, map[string]any{"message": " "}).want(t, http.StatusUnprocessableEntity, "rolerequest.answer_required")
	e.call(http.MethodPost, path, map[string]any{"message": "Līgums pievienots."}).want(t, http.StatusOK)
	e.call(http.MethodPost, "/v1/role-requests/999999/answer", map[string]any{"message": "x"}).want(t, http.StatusNotFound, "rolerequest.not_found")
	if n := e.count(`SELECT count(*) FROM role_requests WHERE id = $1 AND state = 'pending' AND info_answer = 'Līgums pievienots.'`, id); n != 1 {
		t.Error("the answer did not put the request back in the queue")
	}
}

func TestAPI_InstitutionDecision_OnItsCareerConsultant(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	inst := e.institution()
	body := roleRequest(domain.KindCareerConsultant, inst)
	id := e.call(http.MethodPost, "/v1/role-requests", body).want(t, http.StatusCreated).id()
	// The confirmation link is mailed, never in the response: the test
	// puts the request where confirming leaves it (¶29.3).
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE role_requests SET state = 'at_institution', route = 'institution', email_confirmed_at = now() WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	path := func(inst int64) string {
		return "/v1/institutions/" + strconv.FormatInt(inst, 10) + "/role-requests/" + strconv.FormatInt(id, 10) + "/decision"
	}
	e.call(http.MethodPost, path(e.institution()), map[string]any{"approve": true}).want(t, http.StatusNotFound, "rolerequest.not_found")
	e.call(http.MethodPost, path(inst), map[string]any{"reason": "x"}).want(t, http.StatusBadRequest, "api.bad_json")
	e.call(http.MethodPost, path(inst), map[string]any{"approve": false}).want(t, http.StatusUnprocessableEntity, "rolerequest.reason_text_required")
	e.call(http.MethodPost, path(inst), map[string]any{"approve": true}).want(t, http.StatusOK)
	e.call(http.MethodPost, path(inst), map[string]any{"approve": true, "reason": "vēlreiz"}).want(t, http.StatusConflict, "rolerequest.changed")
}

func TestAPI_IMKApplication_CarriesThePersonsAcceptance(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	old := e.publishTerms("1.0")
	cur := e.publishTerms("2.0")
	app := func(version int64, at time.Time) map[string]any {
		return map[string]any{"personal_code": personalCode(), "first_name": "Anna", "last_name": "Liepa", "email": email(),
			"terms": map[string]any{"version_id": version, "accepted_at": at, "channel": "web"}}
	}
	now := time.Now().UTC()
	r := e.call(http.MethodPost, "/v1/imk-applications", app(cur.ID, now)).want(t, http.StatusCreated)
	if n := e.count(`SELECT count(*) FROM terms_acceptances a JOIN imk_applications i ON i.person_id = a.person_id WHERE a.imk_application_id = $1 AND i.id = $1 AND a.version_id = $2 AND a.channel = 'web'`, r.id(), cur.ID); n != 1 {
		t.Error("the person's acceptance is not kept with the application")
	}
	e.call(http.MethodPost, "/v1/imk-applications", app(old.ID, now)).want(t, http.StatusConflict, "terms.not_in_force")
	bad := e.call(http.MethodPost, "/v1/imk-applications", map[string]any{"personal_code": "1", "first_name": "", "last_name": "L",
		"email": "x", "terms": map[string]any{"version_id": 0, "channel": "fax"}}).want(t, http.StatusUnprocessableEntity, "imk.application_invalid")
	for _, want := range []string{"personal_code", "first_name", "email", "terms.version_id", "terms.accepted_at", "terms.channel"} {
		found := false
		for _, p := range bad.problems() {
			found = found || strings.HasPrefix(p, want+":")
		}
		if !found {
			t.Errorf("no problem on %s: %v", want, bad.problems())
		}
	}
}

func TestAPI_Terms_ReadAndAccept_Announcements(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.call(http.MethodGet, "/v1/terms", nil).want(t, http.StatusNotFound, "terms.none_in_force")
	v := e.publishTerms("1.0")
	r := e.call(http.MethodGet, "/v1/terms", nil).want(t, http.StatusOK)
	if r.id() != v.ID || r.str("text") != v.Text || r.str("number") != "1.0" {
		t.Errorf("terms = %s", r.raw)
	}
	user, _ := e.vissUser()
	path := "/v1/platform-users/" + strconv.FormatInt(user, 10) + "/terms-acceptances"
	act := map[string]any{"version_id": v.ID, "accepted_at": time.Now().UTC(), "channel": "mobile_app"}
	e.call(http.MethodPost, path, act).want(t, http.StatusOK)
	if n := e.count(`SELECT count(*) FROM terms_acceptances a JOIN platform_users u ON u.person_id = a.person_id WHERE u.id = $1 AND a.channel = 'mobile_app' AND a.api_client_id = $2`, user, e.client.ID); n != 1 {
		t.Error("the acceptance is not kept as the person's act with its channel and client")
	}
	e.call(http.MethodPost, "/v1/platform-users/999999/terms-acceptances", act).want(t, http.StatusNotFound, "terms.user_not_found")
	act["accepted_at"] = time.Now().Add(time.Hour).UTC()
	e.call(http.MethodPost, path, act).want(t, http.StatusUnprocessableEntity, "portal.invalid")
	a := e.call(http.MethodGet, "/v1/announcements?role=career_consultant", nil).want(t, http.StatusOK)
	list, _ := a.body["announcements"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["kind"] != "news" {
		t.Errorf("announcements = %s, want the news of the terms", a.raw)
	}
}

func TestAPI_PasswordReset_RulesListed_ThenSet(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var user int64
	addr := email()
	if err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, email, password_hash, institution_id, first_name, last_name, email_confirmed)
		VALUES ('password', $1, '$argon2id$old', $2, 'Līga', 'Bērziņa', true) RETURNING id`, addr, e.institution()).Scan(&user); err != nil {
		t.Fatal(err)
	}
	token, hash := domain.NewResetToken()
	if _, err := e.db.Pool().Exec(t.Context(), `
		INSERT INTO password_reset_tokens (account_kind, account_id, token_hash, created_at, expires_at)
		VALUES ('platform_user', $1, $2, now(), now() + interval '1 hour')`, user, hash); err != nil {
		t.Fatal(err)
	}
	weak := e.call(http.MethodPost, "/v1/password-resets", map[string]any{"token": token, "new_password": "abc"}, "Accept-Language", "en").
		want(t, http.StatusUnprocessableEntity, "password.weak")
	if len(weak.problems()) < 2 {
		t.Errorf("problems %v, want every broken rule of ¶31", weak.problems())
	}
	e.call(http.MethodPost, "/v1/password-resets", map[string]any{"token": "nederigs", "new_password": password}).want(t, http.StatusUnprocessableEntity, "reset.invalid")
	e.call(http.MethodPost, "/v1/password-resets", map[string]any{"token": token, "new_password": password}).want(t, http.StatusOK)
	e.call(http.MethodPost, "/v1/password-resets", map[string]any{"token": token, "new_password": password + "2"}).want(t, http.StatusUnprocessableEntity, "reset.invalid")
	if n := e.count(`SELECT count(*) FROM platform_users WHERE id = $1 AND password_hash LIKE '$argon2id$v=%'`, user); n != 1 {
		t.Error("the new password is not set")
	}
}

func TestAPI_SignIns_Deactivation_SignInStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, code := e.vissUser()
	u := "/v1/platform-users/" + strconv.FormatInt(user, 10)
	e.call(http.MethodPost, u+"/sign-ins", map[string]any{"method": "smart_id"}).want(t, http.StatusCreated)
	e.call(http.MethodPost, u+"/sign-ins", map[string]any{"method": "password"}).want(t, http.StatusUnprocessableEntity, "portal.invalid")
	e.call(http.MethodPost, "/v1/platform-users/999999/sign-ins", map[string]any{"method": "smart_id"}).want(t, http.StatusNotFound, "portal.user_not_found")
	st := e.call(http.MethodGet, u+"/sign-in-status", nil).want(t, http.StatusOK)
	if st.body["allowed"] != true || st.body["known"] != true {
		t.Errorf("status = %s", st.raw)
	}
	sec := e.operator("ilze.drosiba", domain.RoleSecurity)
	if _, err := storage.NewDenialService(e.db).Deny(sec, domain.SubjectPlatformUser, user, domain.GroundRulesBroken, "pārkāpums", "ziņojums"); err != nil {
		t.Fatal(err)
	}
	e.call(http.MethodPost, u+"/sign-ins", map[string]any{"method": "eid_card"}).want(t, http.StatusForbidden, "portal.sign_in_denied")
	st = e.call(http.MethodPost, "/v1/sign-in-status", map[string]any{"personal_code": code}).want(t, http.StatusOK)
	if st.body["allowed"] != false || len(st.body["denials"].([]any)) != 1 {
		t.Errorf("person status = %s", st.raw)
	}
	st = e.call(http.MethodPost, "/v1/sign-in-status", map[string]any{"personal_code": personalCode()}).want(t, http.StatusOK)
	if st.body["allowed"] != true || st.body["known"] != false {
		t.Errorf("unknown person status = %s", st.raw)
	}
	e.call(http.MethodPost, "/v1/sign-in-status", map[string]any{"personal_code": "12"}).want(t, http.StatusUnprocessableEntity, "portal.invalid")
	e.call(http.MethodPost, u+"/auth-deactivations", map[string]any{"method": "eid_card", "at": time.Now().Add(-time.Hour).UTC()}).want(t, http.StatusOK)
	e.call(http.MethodPost, u+"/auth-deactivations", map[string]any{"method": "pigeon"}).want(t, http.StatusUnprocessableEntity, "portal.invalid")
	if n := e.count(`SELECT count(*) FROM platform_users WHERE id = $1 AND auth_deactivated_method = 'eid_card'`, user); n != 1 {
		t.Error("the deactivation is not kept for the ¶32.2 sweep")
	}
}

// A request submitted through the API reaches reviewers' screens through
// the change feed they listen to.
func TestAPI_Submission_ProducesTheFeedChange(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	feed := storage.NewChangeFeed(pgtest.URL(t))
	go func() { _ = feed.Run(t.Context()) }()
	changes, stop := feed.Subscribe(domain.TopicRoleRequest)
	defer stop()
	eventually(t, "the feed connects", feed.Connected)
	id := e.call(http.MethodPost, "/v1/role-requests", roleRequest(domain.KindAdultEducationCoordinator, 0)).want(t, http.StatusCreated).id()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case c := <-changes:
			if c.Topic == domain.TopicRoleRequest && c.ID == strconv.FormatInt(id, 10) {
				return
			}
		case <-timeout:
			t.Fatalf("no change of request %d on the feed", id)
		}
	}
}

// countingClients is the real client service, counting the look-ups of
// tokens that reach it.
type countingClients struct {
	domain.APIClientService
	lookups atomic.Int64
}

func (c *countingClients) AuthenticateAPIClient(ctx context.Context, token string) (*domain.APIClient, error) {
	c.lookups.Add(1)
	return c.APIClientService.AuthenticateAPIClient(ctx, token)
}

// TestAPI_StrangerWithBadTokens_CannotMakeTheServerQueryWithoutBound: a
// caller sending well-formed but wrong tokens (here a revoked one) as fast
// as it can. Before the limit every call was a database look-up (200
// calls, 200 look-ups). Now an address whose tokens failed gets
// failedAuthBurst tries and then 429 with Retry-After, answered without a
// look-up, until its bucket refills.
func TestAPI_StrangerWithBadTokens_CannotMakeTheServerQueryWithoutBound(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var counter *countingClients
	e := newEnv(t, func(c *portalapi.Config) {
		counter = &countingClients{APIClientService: c.Clients}
		c.Clients = counter
		c.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	})
	_, stale, err := e.clients.AddAPIClient(cliCtx(t), "gone")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.clients.RevokeAPIClient(cliCtx(t), "gone"); err != nil {
		t.Fatal(err)
	}
	limited := 0
	for range 200 {
		r := e.call(http.MethodGet, "/v1/announcements", nil, "Authorization", "Bearer "+stale)
		switch r.status {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			limited++
			if r.header.Get("Retry-After") == "" {
				t.Fatal("429 without Retry-After")
			}
		default:
			t.Fatalf("status %d", r.status)
		}
	}
	if n := counter.lookups.Load(); n > 20 || limited < 180 {
		t.Fatalf("200 calls with a revoked token: %d look-ups, %d answered 429; want at most 20 look-ups", n, limited)
	}
	// The bucket refills with time: the address may try again.
	mu.Lock()
	now = now.Add(5 * time.Second)
	mu.Unlock()
	e.call(http.MethodGet, "/v1/announcements", nil, "Authorization", "Bearer "+stale).want(t, http.StatusUnauthorized, "api.unauthorized")
}

// GDPR Art. 22, ¶26.4: the person asks, through the portal, that a person
// review the automatic rejection; the application re-enters the review
// queue ("person asked for review") with the decision kept in its
// history. Another person's code is an unknown application; asking again
// is a conflict; a missing code is a 422.
func TestAPI_IMKReviewRequest_AutomaticDecisionBackToReview_GDPRArt22(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code := personalCode()
	stored, err := domain.NormalizePersonalCode(code)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO imk_applications (personal_code, first_name, last_name, email, state, decided_at, policy_id, reason, evaluation)
		VALUES ($1, 'Anna', 'Liepa', 'anna@example.lv', 'rejected', now(), 1, 'imk.rule.residence',
		        '{"Outcome": "not_eligible", "Priority": "no", "Rules": []}')
		RETURNING id`, stored).Scan(&id); err != nil {
		t.Fatal(err)
	}
	path := "/v1/imk-applications/" + strconv.FormatInt(id, 10) + "/review-requests"
	e.call(http.MethodPost, path, map[string]any{"message": "x"}).want(t, http.StatusUnprocessableEntity, "portal.invalid")
	e.call(http.MethodPost, path, map[string]any{"personal_code": personalCode()}).want(t, http.StatusNotFound, "imk.not_found")
	e.call(http.MethodPost, "/v1/imk-applications/999999/review-requests", map[string]any{"personal_code": code}).want(t, http.StatusNotFound, "imk.not_found")
	// A stranger's words are bounded: a message over domain.ReviewMessageMaxLength
	// characters is a 422, a body over SmallBodyLimit a 413; neither
	// touches the application.
	e.call(http.MethodPost, path, map[string]any{"personal_code": code,
		"message": strings.Repeat("ā", domain.ReviewMessageMaxLength+1)}).want(t, http.StatusUnprocessableEntity, "portal.invalid")
	e.call(http.MethodPost, path, `{"personal_code":"`+code+`","message":"`+strings.Repeat("a", portalapi.SmallBodyLimit)+`"}`).
		want(t, http.StatusRequestEntityTooLarge, "api.body_too_large")
	if n := e.count(`SELECT count(*) FROM imk_review_requests WHERE application_id = $1`, id); n != 0 {
		t.Fatal("a refused review request was recorded")
	}
	e.call(http.MethodPost, path, map[string]any{"personal_code": code, "message": "Dzīvoju Rīgā kopš 2019. gada."}).want(t, http.StatusOK)
	if n := e.count(`SELECT count(*) FROM imk_applications WHERE id = $1 AND state = 'needs_review' AND review_why = '{person_asked}'
		AND decided_at IS NULL AND evaluation->'ReviewWhy' = '["person_asked"]'`, id); n != 1 {
		t.Error("the application did not re-enter the review queue as asked for review")
	}
	if n := e.count(`SELECT count(*) FROM imk_review_requests WHERE application_id = $1 AND decided_state = 'rejected'
		AND decided_reason = 'imk.rule.residence' AND channel = 'portal'`, id); n != 1 {
		t.Error("the contested decision is not kept")
	}
	e.call(http.MethodPost, path, map[string]any{"personal_code": code}).want(t, http.StatusConflict, "imk.review_not_automatic")
}

// TestAPI_SubmitRoleRequest_CarriesThePersonsAcceptance_P26_2: ¶26.2 — the
// portal reports, with a role request, which terms version the person
// accepted, when and through which channel; it is kept on the request and
// as the person's; an old version is refused (409), an unknown one 404,
// a bad act 422 with a problem per field.
func TestAPI_SubmitRoleRequest_CarriesThePersonsAcceptance_P26_2(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	old := e.publishTerms("1.0")
	cur := e.publishTerms("2.0")
	now := time.Now().UTC()
	with := func(terms map[string]any) map[string]any {
		b := roleRequest(domain.KindMunicipalCoordinator, 0)
		b["terms"] = terms
		return b
	}
	body := with(map[string]any{"version_id": cur.ID, "accepted_at": now, "channel": "mobile_app"})
	r := e.call(http.MethodPost, "/v1/role-requests", body).want(t, http.StatusCreated)
	if n := e.count(`SELECT count(*) FROM role_requests WHERE id = $1 AND terms_version_id = $2 AND terms_channel = 'mobile_app'`, r.id(), cur.ID); n != 1 {
		t.Error("the acceptance is not kept on the request")
	}
	if n := e.count(`SELECT count(*) FROM terms_acceptances a JOIN person_codes c ON c.person_id = a.person_id
		WHERE c.code = $1 AND a.version_id = $2 AND a.role_request_id = $3 AND a.api_client_id = $4`, body["personal_code"], cur.ID, r.id(), e.client.ID); n != 1 {
		t.Error("the acceptance is not the person's, with the request and the client that carried it")
	}
	e.call(http.MethodPost, "/v1/role-requests", with(map[string]any{"version_id": old.ID, "accepted_at": now, "channel": "web"})).
		want(t, http.StatusConflict, "terms.not_in_force")
	e.call(http.MethodPost, "/v1/role-requests", with(map[string]any{"version_id": 999999, "accepted_at": now, "channel": "web"})).
		want(t, http.StatusNotFound, "terms.not_found")
	bad := e.call(http.MethodPost, "/v1/role-requests", with(map[string]any{"version_id": 0, "channel": "fax"})).
		want(t, http.StatusUnprocessableEntity, "rolerequest.invalid")
	for _, want := range []string{"terms.version_id", "terms.accepted_at", "terms.channel"} {
		found := false
		for _, p := range bad.problems() {
			found = found || strings.HasPrefix(p, want+":")
		}
		if !found {
			t.Errorf("no problem on %s: %v", want, bad.problems())
		}
	}
}
