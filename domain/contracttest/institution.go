package contracttest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// InstitutionHarness is an implementation of domain.InstitutionService
// with what the suite needs around it.
type InstitutionHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.InstitutionService
	// Institution seeds an institution as a registration leaves it (no
	// phone, no address, version 1) and returns its id.
	Institution(t *testing.T, name, companyReg, educationReg string, state domain.InstitutionState) int64
	// ReverifyDue sets when institution id is next re-verified, as the
	// reverify sweep does.
	ReverifyDue(t *testing.T, id int64, at time.Time)
}

// CompanyRegNumber returns a valid company registration number (¶27.1.2,
// domain.ValidateCompanyRegNumber), distinct for each n below 10^8.
func CompanyRegNumber(n int) string {
	weights := [10]int{9, 1, 4, 8, 3, 10, 2, 5, 7, 6}
	for prefix := 4; ; prefix++ {
		s := strconv.Itoa(prefix%10) + "0" + pad(n, 8)
		sum := 0
		for i, w := range weights {
			sum += w * int(s[i]-'0')
		}
		if d := (3 - sum%11 + 11) % 11; d < 10 {
			return s + strconv.Itoa(d)
		}
	}
}

// insEnv is one run of the suite: a harness, a reviewer, a security
// officer and three institutions.
type insEnv struct {
	h                 InstitutionHarness
	svc               domain.InstitutionService
	rita, sandis      *domain.Operator
	ritaC, sandisC    context.Context
	alpha, beta, gamm int64
}

// RunInstitutionService runs the institutions suite (issue 17), each test
// on a harness of its own from newHarness.
func RunInstitutionService(t *testing.T, newHarness func(t *testing.T) InstitutionHarness) {
	run := func(name string, f func(t *testing.T, e *insEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &insEnv{h: h, svc: h.Service()}
			e.rita = h.Operator(t, "rita.ozola", "Rita Ozola", "rita.ozola@viaa.gov.lv", domain.RoleReviewer)
			e.sandis = h.Operator(t, "sandis.berzs", "Sandis Bērzs", "sandis.berzs@viaa.gov.lv", domain.RoleSecurity)
			e.ritaC, e.sandisC = As(t, e.rita, "s-rita"), As(t, e.sandis, "s-sandis")
			e.alpha = h.Institution(t, "Alfa vidusskola", CompanyRegNumber(1), "2000000001", domain.InstitutionActive)
			e.beta = h.Institution(t, "Rīgas Beta ģimnāzija", CompanyRegNumber(2), "2000000002", domain.InstitutionPending)
			e.gamm = h.Institution(t, "Gamma tehnikums", CompanyRegNumber(3), "2000000003", domain.InstitutionSuspended)
			f(t, e)
		})
	}

	names := func(list []*domain.Institution) []string {
		var out []string
		for _, i := range list {
			out = append(out, i.Name)
		}
		return out
	}
	want := func(t *testing.T, what string, list []*domain.Institution, err error, wantNames ...string) {
		t.Helper()
		must(t, what, err)
		got := names(list)
		if len(got) != len(wantNames) {
			t.Errorf("%s: %q, want %q", what, got, wantNames)
			return
		}
		for i := range got {
			if got[i] != wantNames[i] {
				t.Errorf("%s: %q, want %q", what, got, wantNames)
				return
			}
		}
	}

	run("List_SearchEachWay_FilterByState_Paged", func(t *testing.T, e *insEnv) {
		all, err := e.svc.ListInstitutions(e.sandisC, domain.InstitutionFilter{})
		want(t, "all, by name", all, err, "Alfa vidusskola", "Gamma tehnikums", "Rīgas Beta ģimnāzija")
		got, err := e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{Name: "ALFA"})
		want(t, "a prefix, any case", got, err, "Alfa vidusskola")
		got, err = e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{CompanyRegNumber: " " + CompanyRegNumber(2) + " "})
		want(t, "company number", got, err, "Rīgas Beta ģimnāzija")
		got, err = e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{EducationRegNumber: "2000000003"})
		want(t, "institution number", got, err, "Gamma tehnikums")
		got, err = e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{Name: "ma", States: []domain.InstitutionState{domain.InstitutionActive}})
		want(t, "nothing active of that name", got, err)
		got, err = e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{States: []domain.InstitutionState{domain.InstitutionPending, domain.InstitutionSuspended}})
		want(t, "pending and suspended", got, err, "Gamma tehnikums", "Rīgas Beta ģimnāzija")
		page1, err := e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{Limit: 2})
		want(t, "the first page", page1, err, "Alfa vidusskola", "Gamma tehnikums")
		last := page1[len(page1)-1]
		page2, err := e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{Limit: 2, AfterName: last.Name, AfterID: last.ID})
		want(t, "the second page", page2, err, "Rīgas Beta ģimnāzija")

		// Re-verification due (issue 17): active institutions due by
		// then, whatever the others' dates.
		now := e.h.Now()
		e.h.ReverifyDue(t, e.alpha, now.AddDate(0, 0, 10))
		e.h.ReverifyDue(t, e.gamm, now.AddDate(0, 0, -5))
		got, err = e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{ReverifyDueBy: now.AddDate(0, 0, 30)})
		want(t, "active and due within 30 days", got, err, "Alfa vidusskola")
		if len(got) == 1 && !got[0].ReverifyDueAt.Equal(now.AddDate(0, 0, 10)) {
			t.Errorf("due at %v, want %v", got[0].ReverifyDueAt, now.AddDate(0, 0, 10))
		}
		got, err = e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{ReverifyDueBy: now})
		want(t, "overdue: none active", got, err)

		_, err = e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{CompanyRegNumber: "4000000000"})
		wantErr(t, "10 digits for a company", err, domain.EINVALID, "company_reg.format")
		bad := CompanyRegNumber(2)
		bad = bad[:10] + strconv.Itoa((int(bad[10]-'0')+1)%10)
		_, err = e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{CompanyRegNumber: bad})
		wantErr(t, "a wrong check digit", err, domain.EINVALID, "company_reg.checksum")
		_, err = e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{EducationRegNumber: "20000-0001"})
		wantErr(t, "not 10 digits", err, domain.EINVALID, "institution_reg.format")
		_, err = e.svc.ListInstitutions(e.ritaC, domain.InstitutionFilter{Name: "a"})
		wantErr(t, "one letter", err, domain.EINVALID, "institution.search_short")
	})

	// ¶17.2: an edit keeps each changed detail in the history with its
	// reason and who made it; a second reviewer editing over the same
	// version gets ECONFLICT and nothing the first saved is lost.
	run("Edit_KeptAsHistory_ConcurrentEditConflicts_P17_2", func(t *testing.T, e *insEnv) {
		p, err := e.svc.InstitutionPage(e.ritaC, e.alpha)
		must(t, "page", err)
		i := p.Institution
		if i.Version != 1 || i.Phone != "" || i.Address != "" || len(p.Changes) != 0 {
			t.Fatalf("a registered institution: %+v, %d changes", i, len(p.Changes))
		}
		edit := i.EditOf()
		edit.Phone, edit.Address = "2612 3456", "  Skolas iela 1, Rīga  "
		got, err := e.svc.EditInstitution(e.ritaC, i.ID, i.Version, edit, "  Iestāde paziņoja jaunu tālruni  ")
		must(t, "edit", err)
		if got.Version != 2 || got.Phone != "+37126123456" || got.Address != "Skolas iela 1, Rīga" {
			t.Errorf("after the edit: %+v", got)
		}
		other := i.EditOf()
		other.Name = "Alfa vidusskola (cits)"
		_, err = e.svc.EditInstitution(e.ritaC, i.ID, i.Version, other, "Otra izskatītāja labojums")
		wantErr(t, "an edit over the old version", err, domain.ECONFLICT, "institution.changed")

		p, err = e.svc.InstitutionPage(e.sandisC, e.alpha)
		must(t, "page after", err)
		if p.Institution.Name != "Alfa vidusskola" || p.Institution.Phone != "+37126123456" {
			t.Errorf("the first edit was lost: %+v", p.Institution)
		}
		if len(p.Changes) != 2 {
			t.Fatalf("history: %d changes, want phone and address", len(p.Changes))
		}
		fields := map[string]*domain.InstitutionChange{}
		for _, c := range p.Changes {
			fields[c.Field] = c
			if c.Reason != "Iestāde paziņoja jaunu tālruni" || c.OperatorID != e.rita.ID || c.Source != domain.ChangeByOperator ||
				!near(c.ChangedAt, e.h.Now()) || c.OperatorName != "Rita Ozola" {
				t.Errorf("change %+v", c)
			}
		}
		if c := fields[domain.InstitutionFieldPhone]; c == nil || c.OldValue != "" || c.NewValue != "+37126123456" {
			t.Errorf("the phone's change: %+v", c)
		}
		if c := fields[domain.InstitutionFieldAddress]; c == nil || c.NewValue != "Skolas iela 1, Rīga" {
			t.Errorf("the address's change: %+v", c)
		}

		now := p.Institution
		_, err = e.svc.EditInstitution(e.ritaC, now.ID, now.Version, now.EditOf(), "Nekas")
		wantErr(t, "an edit that changes nothing", err, domain.EINVALID, "institution.unchanged")
		_, err = e.svc.EditInstitution(e.ritaC, now.ID, now.Version, edit, "   ")
		wantErr(t, "no reason", err, domain.EINVALID, "institution.reason_required")
	})

	run("Edit_BadInput_ProblemsPerField_SecurityOnlySees", func(t *testing.T, e *insEnv) {
		p, err := e.svc.InstitutionPage(e.ritaC, e.beta)
		must(t, "page", err)
		edit := p.Institution.EditOf()
		edit.Phone, edit.CompanyRegNumber, edit.Name = "+371 123", "12345678901", ""
		_, err = e.svc.EditInstitution(e.ritaC, e.beta, 1, edit, "Labojums")
		wantErr(t, "bad details", err, domain.EINVALID, "institution.invalid")
		keys := map[string]string{}
		if de := domain.AsError(err); de != nil {
			for _, pr := range de.Problems {
				keys[pr.Field] = pr.Key
			}
		}
		if keys[domain.InstitutionFieldPhone] != "institution.phone_latvian" || keys[domain.InstitutionFieldCompanyRegNumber] != "company_reg.checksum" ||
			keys[domain.InstitutionFieldName] != "institution.name_required" || len(keys) != 3 {
			t.Errorf("problems %v", keys)
		}
		ok := p.Institution.EditOf()
		ok.Phone = "+37167000000"
		_, err = e.svc.EditInstitution(e.sandisC, e.beta, 1, ok, "Drošības labojums")
		wantErr(t, "a security officer edits", err, domain.EFORBIDDEN, "institution.edit_forbidden")
		if p, _ := e.svc.InstitutionPage(e.sandisC, e.beta); p == nil || p.Institution.Version != 1 || len(p.Changes) != 0 {
			t.Errorf("a refused edit changed the institution: %+v", p)
		}
		_, err = e.svc.InstitutionPage(e.ritaC, e.gamm+1000)
		wantErr(t, "no such institution", err, domain.ENOTFOUND, "institution.not_found")
		_, err = e.svc.EditInstitution(e.ritaC, e.gamm+1000, 1, ok, "x")
		wantErr(t, "edit no such institution", err, domain.ENOTFOUND, "institution.not_found")
		_, err = e.svc.OpenInstitutionDocument(e.ritaC, 987654)
		wantErr(t, "no such document", err, domain.ENOTFOUND, "institution.document_not_found")
	})
}
