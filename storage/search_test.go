package storage_test

import (
	"slices"
	"strconv"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// Searches by personal code (issue 13): a list shows codes masked
// ("397678-*****"), and a search must not give back what the mask hides.

// recoverByPrefix plays the attack of issue 13: from the masked code's six
// digits, it tries each next digit until the search still finds the
// target, and returns the digits it learnt and the searches it made.
func recoverByPrefix(known string, finds func(prefix string) bool) (string, int) {
	searches := 0
	for len(known) < 11 {
		found := false
		for d := '0'; d <= '9'; d++ {
			searches++
			if finds(known + string(d)) {
				known += string(d)
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	return known, searches
}

// viewCount returns the distinct persons op looked up.
func viewCount(t *testing.T, db *storage.DB, op *domain.Operator) int {
	t.Helper()
	var n int
	if err := db.Pool().QueryRow(t.Context(),
		`SELECT count(DISTINCT person_key) FROM person_views WHERE operator_id = $1`, op.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSearch_IMK_MaskedCodeCannotBeRecoveredByPrefixes(t *testing.T) {
	t.Parallel()
	e := newPermEnv(t)
	imk := storage.NewIMKService(e.db, nil)
	const code = "39767812345" // shown as 397678-*****
	id, err := imk.ApplyIMK(machineCtx(t), code, "Jānis", "Bērziņš", "janis@example.lv")
	if err != nil {
		t.Fatal(err)
	}
	// Others born on the same day share the visible digits.
	for _, other := range []string{"39767800001", "39767899999"} {
		if _, err := imk.ApplyIMK(machineCtx(t), other, "Cits", "Cilvēks", "cits"+other+"@example.lv"); err != nil {
			t.Fatal(err)
		}
	}
	reviewer := e.create(t, "rita.reviewer", []domain.Role{domain.RoleReviewer}, false)
	ctx := asSession(t, reviewer, "sess-rita")
	all := []domain.IMKState{domain.IMKApplied, domain.IMKNeedsReview}

	refused := 0
	got, searches := recoverByPrefix("397678", func(prefix string) bool {
		list, err := imk.ListIMK(ctx, domain.IMKFilter{States: all, Search: prefix})
		if err != nil {
			refused++
			wantError(t, err, domain.EINVALID, "search.whole_code")
			return false
		}
		return slices.ContainsFunc(list, func(a *domain.IMKApplication) bool { return a.ID == id })
	})
	if got != "397678" {
		t.Fatalf("%d prefix searches recovered %s of the masked code 397678-*****", searches, got)
	}
	if refused != searches {
		t.Errorf("%d of %d partial searches were not refused", searches-refused, searches)
	}
	// The masked form pasted back is not a code either.
	if list, err := imk.ListIMK(ctx, domain.IMKFilter{States: all, Search: "397678-*****"}); err == nil && len(list) > 0 {
		t.Errorf("the masked code found %d applications", len(list))
	}
	if n := viewCount(t, e.db, reviewer); n != 0 {
		t.Errorf("refused searches counted %d look-ups", n)
	}

	// The whole code, either way it is written, finds the one person.
	for _, q := range []string{"39767812345", "397678-12345", " 397678 12345 "} {
		list, err := imk.ListIMK(ctx, domain.IMKFilter{States: all, Search: q})
		if err != nil || len(list) != 1 || list[0].ID != id {
			t.Fatalf("search %q = %d applications, %v; want application %d", q, len(list), err, id)
		}
	}
	// A mistyped whole code says so.
	_, err = imk.ListIMK(ctx, domain.IMKFilter{States: all, Search: "180565-05611"})
	wantError(t, err, domain.EINVALID, "personal_code.checksum")
	if n := viewCount(t, e.db, reviewer); n != 1 {
		t.Errorf("three searches for one person counted %d persons, want 1", n)
	}
}

// TestSearch_WholeCode_CountsTowardTheViewsAlert proves that finding
// people by personal code feeds the same alert as opening their records
// (PPP_ALERT_VIEWS_PER_HOUR), in every queue that searches by code.
func TestSearch_WholeCode_CountsTowardTheViewsAlert(t *testing.T) {
	t.Parallel()
	e := newPermEnv(t)
	e.db.AlertThresholds = domain.AlertThresholds{ViewsPerHour: 2, RevealsPerHour: 30}
	imk := storage.NewIMKService(e.db, nil)
	rr := &rrEnv{db: e.db, portal: storage.NewPortalService(e.db), svc: storage.NewRoleRequestService(e.db)}
	var codes []string
	for i := range 3 {
		code := "3976781234" + strconv.Itoa(i)
		if _, err := imk.ApplyIMK(machineCtx(t), code, "Jānis", "Bērziņš", "j"+code+"@example.lv"); err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
	}
	f := rrForm(domain.KindMunicipalCoordinator, 0)
	f.PersonalCode = "325501-28526"
	rrID := rr.confirmed(t, f)

	reviewer := e.create(t, "rita.reviewer", []domain.Role{domain.RoleReviewer}, false)
	ctx := asSession(t, reviewer, "sess-rita")
	all := []domain.IMKState{domain.IMKApplied, domain.IMKNeedsReview}
	search := func(q string) {
		t.Helper()
		list, err := imk.ListIMK(ctx, domain.IMKFilter{States: all, Search: q})
		if err != nil || len(list) != 1 {
			t.Fatalf("search %q = %d, %v", q, len(list), err)
		}
	}
	search(codes[0])
	search(codes[1])
	list, err := rr.svc.ListRoleRequests(ctx, domain.RoleRequestFilter{Search: "32550128526"})
	if err != nil || len(list) != 1 || list[0].ID != rrID {
		t.Fatalf("role request search by code = %d, %v", len(list), err)
	}
	if n := viewCount(t, e.db, reviewer); n != 3 {
		t.Fatalf("three persons found by code counted as %d look-ups", n)
	}
	// Opening the request found is a look at the same person, counted
	// under the same key inside the read (issue 14): still three persons.
	if _, err := rr.svc.FindRoleRequest(ctx, rrID); err != nil {
		t.Fatal(err)
	}
	if n := viewCount(t, e.db, reviewer); n != 3 {
		t.Fatalf("opening a person found by code counted as another person: %d", n)
	}
	security := e.create(t, "ilze.security", []domain.Role{domain.RoleSecurity}, false)
	alerts, err := storage.NewDefenceService(e.db).OpenAlerts(asSession(t, security, "sess-ilze"))
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || alerts[0].OperatorID != reviewer.ID || alerts[0].Kind != domain.AlertViews || alerts[0].Count != 3 {
		t.Fatalf("alerts = %+v, want one views alert for the reviewer at 3", alerts)
	}
	// A search that finds nobody looks nobody up.
	if list, err := imk.ListIMK(ctx, domain.IMKFilter{States: all, Search: "32550128526"}); err != nil || len(list) != 0 {
		t.Fatalf("search for someone without an IMK = %d, %v", len(list), err)
	}
	if n := viewCount(t, e.db, reviewer); n != 3 {
		t.Errorf("a search that found nobody counted a look-up (%d)", n)
	}
}

func TestSearch_RoleRequests_WholeNumbersOnly(t *testing.T) {
	t.Parallel()
	e := newPermEnv(t)
	rr := &rrEnv{db: e.db, portal: storage.NewPortalService(e.db), svc: storage.NewRoleRequestService(e.db)}
	f := rrForm(domain.KindMunicipalCoordinator, 0)
	f.PersonalCode = "180565-05610"
	id := rr.confirmed(t, f)
	reviewer := e.create(t, "rita.reviewer", []domain.Role{domain.RoleReviewer}, false)
	ctx := asSession(t, reviewer, "sess-rita")
	for _, q := range []string{"180565", "1805650", "180565-0561", "180565-056", "18056505"} {
		list, err := rr.svc.ListRoleRequests(ctx, domain.RoleRequestFilter{Search: q})
		if err == nil {
			t.Errorf("partial code %q found %d requests, want a refusal", q, len(list))
			continue
		}
		wantError(t, err, domain.EINVALID, "search.whole_code")
	}
	for _, q := range []string{"180565-05610", "18056505610"} {
		list, err := rr.svc.ListRoleRequests(ctx, domain.RoleRequestFilter{Search: q})
		if err != nil || len(list) != 1 || list[0].ID != id {
			t.Fatalf("whole code %q = %d, %v", q, len(list), err)
		}
	}
	if n := viewCount(t, e.db, reviewer); n != 1 {
		t.Errorf("look-ups = %d, want 1", n)
	}
}

func TestSearch_Helpdesk_WholeCodeFindsTheAccountsTickets(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	user := e.vissUser(t, "janis.ozolins@example.lv")
	var code string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT personal_code FROM platform_users WHERE id = $1`, user).Scan(&code); err != nil {
		t.Fatal(err)
	}
	raw, _ := rawMail("janis.ozolins@example.lv", "Aizmirsu paroli", "Labdien!")
	if _, err := e.svc.Ingest(t.Context(), raw); err != nil {
		t.Fatal(err)
	}
	raw, _ = rawMail("cits@example.lv", "Jautājums", "Labdien!")
	if _, err := e.svc.Ingest(t.Context(), raw); err != nil {
		t.Fatal(err)
	}
	ctx := as(t, e.anna)
	list, err := e.svc.ListTickets(ctx, domain.TicketFilter{Search: code})
	if err != nil || len(list) != 1 || list[0].From != "janis.ozolins@example.lv" {
		t.Fatalf("search by the account's code = %+v, %v", list, err)
	}
	_, err = e.svc.ListTickets(ctx, domain.TicketFilter{Search: code[:7]})
	wantError(t, err, domain.EINVALID, "search.whole_code")
	if n := viewCount(t, e.db, e.anna); n != 1 {
		t.Errorf("look-ups = %d, want 1", n)
	}
}

// TestSearch_Audit_CodesNeverWholeInTheLog proves that the audit log's
// free-text search cannot match the hidden digits of a code: every way of
// writing a code in an entry is stored masked, and a search by a whole
// code finds the entries about that person's requests instead.
func TestSearch_Audit_CodesNeverWholeInTheLog(t *testing.T) {
	t.Parallel()
	e := newPermEnv(t)
	audit := storage.NewAuditService(e.db)
	for _, reason := range []string{
		"called, code 180565 05610", "code 180565.05610 given", "ref 2024-180565-05610",
		"kods:18056505610.", "kods 180565-05610",
	} {
		if err := audit.RecordAudit(machineCtx(t), &domain.AuditEntry{Action: "test.note", Reason: reason}); err != nil {
			t.Fatal(err)
		}
	}
	rr := &rrEnv{db: e.db, portal: storage.NewPortalService(e.db), svc: storage.NewRoleRequestService(e.db)}
	f := rrForm(domain.KindMunicipalCoordinator, 0)
	f.PersonalCode = "180565-05610"
	id := rr.confirmed(t, f)

	admin := e.create(t, "admins", []domain.Role{domain.RoleAdmin}, false)
	ctx := asSession(t, admin, "sess-admin")
	for _, q := range []string{"05610", "5610", "0561", "05 610", "180565 0", "180565.0"} {
		list, err := audit.SearchAudit(ctx, domain.AuditFilter{Text: q})
		if err != nil {
			continue // refused: nothing found either
		}
		for _, en := range list {
			t.Errorf("text %q found %q: hidden digits of a code are in the log", q, en.Reason)
		}
	}
	list, err := audit.SearchAudit(ctx, domain.AuditFilter{Text: "18056505610"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatal("the whole code found no entry about the person's request")
	}
	for _, en := range list {
		if en.SubjectKind != "role_request" || en.SubjectID != strconv.FormatInt(id, 10) {
			t.Errorf("the whole code found %s %s %q, not an entry about the person", en.SubjectKind, en.SubjectID, en.Reason)
		}
	}
	if n := viewCount(t, e.db, admin); n != 1 {
		t.Errorf("look-ups = %d, want 1", n)
	}
}
