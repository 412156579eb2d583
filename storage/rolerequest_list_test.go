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

// ids returns the ids of a page.
func ids(list []*domain.RoleRequest) []int64 {
	var out []int64
	for _, r := range list {
		out = append(out, r.ID)
	}
	return out
}

func TestRoleRequests_List_KeysetPagesAcrossStatesOldestFirst(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	var all []int64
	for i := range 7 {
		e.clock.advance(time.Minute)
		if i%3 == 0 {
			id, _ := e.submit(t, rrForm(domain.KindCareerConsultant, 0)) // unconfirmed
			all = append(all, id)
		} else {
			all = append(all, e.pending(t, domain.KindAdultEducationCoordinator))
		}
	}
	approved := all[1]
	if err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: approved, Version: 2}); err != nil {
		t.Fatal(err)
	}

	// Default: the open states, three at a time.
	var got []int64
	f := domain.RoleRequestFilter{Limit: 3}
	for {
		page, err := e.svc.ListRoleRequests(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if len(page) > 3 {
			t.Fatalf("page of %d, limit 3", len(page))
		}
		got = append(got, ids(page)...)
		last := page[len(page)-1]
		f.AfterCreated, f.AfterID = last.CreatedAt, last.ID
	}
	want := slices.DeleteFunc(slices.Clone(all), func(id int64) bool { return id == approved })
	if !slices.Equal(got, want) {
		t.Errorf("open requests paged = %v, want %v", got, want)
	}

	page, err := e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{States: domain.RoleRequestStates})
	if err != nil || !slices.Equal(ids(page), all) {
		t.Errorf("every state = %v (%v), want %v", ids(page), err, all)
	}
	page, err = e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{States: []domain.RoleRequestState{domain.StateApproved}})
	if err != nil || !slices.Equal(ids(page), []int64{approved}) {
		t.Errorf("approved = %v (%v)", ids(page), err)
	}
	page, err = e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{Kinds: []domain.RoleRequestKind{domain.KindCareerConsultant}})
	if err != nil || !slices.Equal(ids(page), []int64{all[0], all[3], all[6]}) {
		t.Errorf("consultants = %v (%v)", ids(page), err)
	}
	// Older than 3 minutes: the first four of seven, a minute apart.
	page, err = e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{States: domain.RoleRequestStates, OlderThan: 3 * time.Minute})
	if err != nil || !slices.Equal(ids(page), all[:4]) {
		t.Errorf("older than 3 min = %v (%v), want %v", ids(page), err, all[:4])
	}
}

func TestRoleRequests_List_ShowsHolderAndNames(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	id := e.confirmed(t, rrForm(domain.KindMunicipalCoordinator, 0))
	if _, err := e.svc.ClaimRoleRequest(as(t, e.janis), id); err != nil {
		t.Fatal(err)
	}
	page, err := e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{})
	if err != nil || len(page) != 1 {
		t.Fatalf("list = %v, %v", page, err)
	}
	r := page[0]
	if r.ClaimedByName != "Jānis Bērziņš" || r.MunicipalityName != "Liepāja" || r.ApplicantName() != "Jānis Bērziņš" {
		t.Errorf("row = holder %q, municipality %q, applicant %q", r.ClaimedByName, r.MunicipalityName, r.ApplicantName())
	}
	e.clock.advance(domain.ClaimLease + time.Second)
	page, _ = e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{})
	if page[0].ClaimedBy != 0 || page[0].ClaimedByName != "" {
		t.Error("an expired claim is listed")
	}
}

func TestRoleRequests_List_SearchByNumberAddressOrName(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	coord := rrForm(domain.KindMunicipalCoordinator, 0)
	coord.FirstName, coord.LastName = "Žanete", "Grīnberga-Ķēniņa"
	e.pending(t, domain.KindCareerConsultant) // another, to be left out
	idCoord := e.confirmed(t, coord)
	inst := rrForm(domain.KindInstitution, 0)
	inst.InstitutionName = "Liepājas Valsts tehnikums"
	idInst, _ := e.submit(t, inst)

	for _, tc := range []struct {
		search string
		want   []int64
	}{
		{coord.Email, []int64{idCoord}},
		{"PIETEICEJS" + coord.Email[len("pieteicejs"):], []int64{idCoord}}, // case-insensitive
		{coord.PersonalCode, []int64{idCoord}},
		{coord.PersonalCode[:6] + coord.PersonalCode[7:], []int64{idCoord}}, // without the hyphen
		{inst.CompanyRegNumber, []int64{idInst}},
		{inst.EducationRegNumber, []int64{idInst}},
		{"grīnberg", []int64{idCoord}},
		{"ŽANETE GRĪNBERGA", []int64{idCoord}},
		{"ķēniņa", []int64{idCoord}},
		{"valsts tehn", []int64{idInst}},
		{"nekas tāds", nil},
	} {
		page, err := e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{Search: tc.search, States: domain.RoleRequestStates})
		if err != nil {
			t.Errorf("search %q: %v", tc.search, err)
			continue
		}
		if !slices.Equal(ids(page), tc.want) {
			t.Errorf("search %q = %v, want %v", tc.search, ids(page), tc.want)
		}
	}
	_, err := e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{Search: "Ša"})
	wantError(t, err, domain.EINVALID, "rolerequest.search_short")
	_, err = e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{States: []domain.RoleRequestState{"lost"}})
	wantError(t, err, domain.EINVALID, "rolerequest.filter_state")
	_, err = e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{Kinds: []domain.RoleRequestKind{"wizard"}})
	wantError(t, err, domain.EINVALID, "rolerequest.filter_kind")
}

func TestRoleRequests_List_UsesTheQueueIndexNotASort(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	// Enough rows that the planner prefers an index to a scan and sort.
	_, err := e.db.Pool().Exec(t.Context(), `
		INSERT INTO role_requests (kind, state, first_name, last_name, personal_code, email,
		                           email_confirmed_at, created_at, updated_at)
		SELECT 'career_consultant', 'pending', 'Vārds', 'Uzvārds', '010180-10000', 'x' || i || '@example.lv',
		       now(), now() - i * interval '1 second', now()
		  FROM generate_series(1, 20000) AS i`)
	if err != nil {
		t.Fatal(err)
	}
	// As the superuser: only a table's owner may analyze it.
	if _, err := pgtest.NewAdminDB(t).Pool().Exec(t.Context(), `ANALYZE role_requests`); err != nil {
		t.Fatal(err)
	}
	rows, err := e.db.Pool().Query(t.Context(), `
		EXPLAIN (COSTS OFF)
		SELECT id FROM role_requests
		 WHERE state = 'pending' AND (created_at, id) > (now() - interval '1 hour', 0)
		 ORDER BY created_at, id LIMIT 50`)
	if err != nil {
		t.Fatal(err)
	}
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	if text := plan.String(); !strings.Contains(text, "role_requests_queue_idx") || strings.Contains(text, "Sort") {
		t.Errorf("keyset page plan:\n%s", text)
	}
	page, err := e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{States: []domain.RoleRequestState{domain.StatePending}, Limit: 500})
	if err != nil || len(page) != 500 {
		t.Errorf("a page of 500: %d, %v", len(page), err)
	}
}

func TestDashboard_RoleRequestTiles_CountAndOldest(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	start := e.clock.t.UTC().Truncate(time.Microsecond)
	e.pending(t, domain.KindCareerConsultant)
	e.clock.advance(time.Hour)
	e.pending(t, domain.KindAdultEducationCoordinator)
	e.submit(t, rrForm(domain.KindCareerConsultant, 0)) // unconfirmed: not in the queue
	inst := e.institution(t)
	e.clock.advance(time.Hour)
	atInst := e.clock.t.UTC().Truncate(time.Microsecond)
	e.confirmed(t, rrForm(domain.KindCareerConsultant, inst))

	tiles, err := storage.NewDashboardService(e.db).QueueTiles(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]domain.QueueTile{}
	for _, tile := range tiles {
		got[tile.Queue] = tile
	}
	if q := got["role_requests"]; q.Count != 2 || !q.Oldest.Equal(start) || q.Role != domain.RoleReviewer {
		t.Errorf("role_requests tile = %+v, want 2 from %v", q, start)
	}
	if q := got["role_requests_institution"]; q.Count != 1 || !q.Oldest.Equal(atInst) {
		t.Errorf("role_requests_institution tile = %+v, want 1 from %v", q, atInst)
	}
}

// TestRoleRequests_List_RowsAgreeWithTheFullRequest checks that what a
// page reads of each request (the slim list columns) is what
// FindRoleRequest reads for the same fields, for every kind, so that the
// list shows the same institution, municipality, confirmation and holder
// as the detail.
func TestRoleRequests_List_RowsAgreeWithTheFullRequest(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	inst := e.institution(t)
	var want []int64
	for _, k := range domain.RoleRequestKinds {
		e.clock.advance(time.Minute)
		want = append(want, e.confirmed(t, rrForm(k, inst)))
		e.clock.advance(time.Minute)
		id, _ := e.submit(t, rrForm(k, inst)) // unconfirmed
		want = append(want, id)
	}
	if _, err := e.svc.ClaimRoleRequest(as(t, e.janis), want[0]); err != nil {
		t.Fatal(err)
	}
	page, err := e.svc.ListRoleRequests(t.Context(), domain.RoleRequestFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(page), want) {
		t.Fatalf("listed %v, want %v", ids(page), want)
	}
	for _, r := range page {
		full := e.find(t, r.ID)
		type shown struct {
			Kind                        domain.RoleRequestKind
			State                       domain.RoleRequestState
			Version                     int64
			Applicant, Code, Email      string
			Institution, Municipality   string
			MunicipalityCode            string
			Confirmed, Created, Updated time.Time
			ClaimedBy                   int64
			Holder                      string
			ClaimExpires                time.Time
		}
		of := func(x *domain.RoleRequest) shown {
			return shown{x.Form.Kind, x.State, x.Version, x.ApplicantName(), x.Form.PersonalCode, x.Form.Email,
				x.InstitutionName, x.MunicipalityName, x.Form.MunicipalityCode,
				x.EmailConfirmedAt, x.CreatedAt, x.UpdatedAt, x.ClaimedBy, x.ClaimedByName, x.ClaimExpiresAt}
		}
		if got, want := of(r), of(full); got != want {
			t.Errorf("request #%d listed as %+v, read as %+v", r.ID, got, want)
		}
	}
	if page[0].ClaimedByName != "Jānis Bērziņš" {
		t.Errorf("holder listed as %q", page[0].ClaimedByName)
	}
}
