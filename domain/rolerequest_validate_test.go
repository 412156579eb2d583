package domain_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
)

const (
	goodPassword = "Vējš-Pūš7!"
	goodHash     = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
)

// validForms returns a valid form of every kind.
func validForms() map[domain.RoleRequestKind]domain.RoleRequestForm {
	return map[domain.RoleRequestKind]domain.RoleRequestForm{
		domain.KindInstitution: {
			Kind: domain.KindInstitution, InstitutionName: "Rīgas Valsts tehnikums",
			CompanyRegNumber: "40003521600", EducationRegNumber: "3113903386",
			Email: "info@rvt.lv", Password: goodPassword,
			Documents: []domain.Document{{Name: "nolikums.pdf", MediaType: "application/pdf", Size: 1024, SHA256: goodHash}},
		},
		domain.KindInstitutionStaff: {
			Kind: domain.KindInstitutionStaff, FirstName: "Līga", LastName: "Bērziņa",
			InstitutionID: 7, Email: "liga.berzina@rvt.lv", Password: goodPassword,
		},
		domain.KindMunicipalCoordinator: {
			Kind: domain.KindMunicipalCoordinator, FirstName: "Jānis", LastName: "Ozols",
			PersonalCode: "180565-05610", Email: "janis.ozols@riga.lv", MunicipalityCode: "riga",
		},
		domain.KindCareerConsultant: {
			Kind: domain.KindCareerConsultant, FirstName: "Anna", LastName: "Kalniņa-Liepa",
			PersonalCode: "32550128526", Email: "anna@example.lv", InstitutionID: 3,
		},
		domain.KindAdultEducationCoordinator: {
			Kind: domain.KindAdultEducationCoordinator, FirstName: "Ērika", LastName: "O'Konore",
			PersonalCode: "061193-06460", Email: "erika@example.lv",
		},
	}
}

// problems returns the problems of err as "field key" strings.
func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	e := domain.AsError(err)
	if e == nil || e.Code != domain.EINVALID || e.Key != "rolerequest.invalid" {
		t.Fatalf("error = %#v, want EINVALID rolerequest.invalid", err)
	}
	var out []string
	for _, p := range e.Problems {
		out = append(out, p.Field+" "+p.Key)
	}
	return out
}

// wantProblems fails unless got holds every one of want.
func wantProblems(t *testing.T, got []string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("problems %q lack %q", got, w)
		}
	}
}

func TestRoleRequestForm_ValidFormOfEveryKind_Passes(t *testing.T) {
	for kind, f := range validForms() {
		if err := f.Validate(); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
}

func TestRoleRequestForm_Validate_TidiesInPlace(t *testing.T) {
	f := domain.RoleRequestForm{
		Kind: domain.KindCareerConsultant, FirstName: "  Anna   Marija ", LastName: " Bērziņa ",
		PersonalCode: " 18056505610 ", Email: " anna@example.lv ",
		Documents: []domain.Document{{Name: " a.pdf ", MediaType: "Application/PDF", Size: 1, SHA256: strings.ToUpper(goodHash)}},
	}
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	if f.FirstName != "Anna Marija" || f.LastName != "Bērziņa" || f.PersonalCode != "180565-05610" || f.Email != "anna@example.lv" {
		t.Errorf("tidied form = %+v", f)
	}
	if d := f.Documents[0]; d.Name != "a.pdf" || d.MediaType != "application/pdf" || d.SHA256 != goodHash {
		t.Errorf("tidied document = %+v", d)
	}
}

func TestRoleRequestForm_EmptyFormOfEachKind_ReportsEveryRequiredField(t *testing.T) {
	want := map[domain.RoleRequestKind][]string{
		domain.KindInstitution:               {"institution_name", "company_reg_number", "education_reg_number", "email", "password"},
		domain.KindInstitutionStaff:          {"first_name", "last_name", "institution_id", "email", "password"},
		domain.KindMunicipalCoordinator:      {"first_name", "last_name", "personal_code", "email", "municipality_code"},
		domain.KindCareerConsultant:          {"first_name", "last_name", "personal_code", "email"},
		domain.KindAdultEducationCoordinator: {"first_name", "last_name", "personal_code", "email"},
	}
	for kind, fields := range want {
		f := domain.RoleRequestForm{Kind: kind}
		got := problems(t, f.Validate())
		if len(got) != len(fields) {
			t.Errorf("%s: problems %q, want one per field of %q", kind, got, fields)
		}
		for _, field := range fields {
			wantProblems(t, got, field+" rolerequest.required."+field)
		}
	}
}

func TestRoleRequestForm_FieldsOfOtherKinds_AreNotApplicable(t *testing.T) {
	f := validForms()[domain.KindMunicipalCoordinator]
	f.Password = goodPassword
	f.CompanyRegNumber = "40003521600"
	f.InstitutionID = 3
	got := problems(t, f.Validate())
	wantProblems(t, got,
		"password rolerequest.not_applicable.password",
		"company_reg_number rolerequest.not_applicable.company_reg_number",
		"institution_id rolerequest.not_applicable.institution_id")

	staff := validForms()[domain.KindInstitutionStaff]
	staff.PersonalCode = "180565-05610"
	staff.MunicipalityCode = "riga"
	wantProblems(t, problems(t, staff.Validate()),
		"personal_code rolerequest.not_applicable.personal_code",
		"municipality_code rolerequest.not_applicable.municipality_code")
}

func TestRoleRequestForm_BadValues_ReportEachFieldWithItsRule(t *testing.T) {
	f := validForms()[domain.KindInstitution]
	f.InstitutionName = "12345"
	f.CompanyRegNumber = "40003521601"
	f.EducationRegNumber = "311390338"
	f.Email = "not-an-address"
	f.Password = "password"
	f.FirstName = "R2D2"
	f.Phone = "12-34"
	got := problems(t, f.Validate())
	wantProblems(t, got,
		"institution_name rolerequest.text_chars.institution_name",
		"company_reg_number company_reg.checksum",
		"education_reg_number institution_reg.format",
		"email email.format",
		"password password.no_upper",
		"password password.no_digit",
		"password password.common",
		"first_name rolerequest.name_chars.first_name",
		"phone rolerequest.phone_format")
}

func TestRoleRequestForm_PersonalCodes_OfBriefAreCheckedByTheirRules(t *testing.T) {
	for code, key := range map[string]string{
		"180565-05611": "personal_code.checksum",
		"290213-29381": "personal_code.date",
		"12345":        "personal_code.format",
	} {
		f := validForms()[domain.KindCareerConsultant]
		f.PersonalCode = code
		wantProblems(t, problems(t, f.Validate()), "personal_code "+key)
	}
}

func TestRoleRequestForm_Names_AllowLatvianLettersHyphensApostrophes(t *testing.T) {
	for _, name := range []string{"Ķēniņš", "Žanete", "Anna-Marija", "D'Artanjans", "Ūdris Ģirts", "Čaklā", "O’Brien"} {
		f := validForms()[domain.KindCareerConsultant]
		f.FirstName = name
		if err := f.Validate(); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
	for _, name := range []string{"-Anna", "Anna-", "Anna  -Marija'", "Jānis3", "Иван", "Jā<nis", strings.Repeat("ā", 51)} {
		f := validForms()[domain.KindCareerConsultant]
		f.FirstName = name
		got := problems(t, f.Validate())
		if len(got) != 1 || !strings.HasPrefix(got[0], "first_name rolerequest.") {
			t.Errorf("%q: problems %q, want one about first_name", name, got)
		}
	}
}

func TestRoleRequestForm_Documents_MetadataChecked(t *testing.T) {
	f := validForms()[domain.KindInstitution]
	f.Documents = []domain.Document{
		{Name: "ok.pdf", MediaType: "application/pdf", Size: domain.DocumentMaxSize, SHA256: goodHash},
		{Name: "", MediaType: "application/pdf", Size: 10, SHA256: goodHash},
		{Name: "virus.exe", MediaType: "application/x-msdownload", Size: 10, SHA256: goodHash},
		{Name: "big.pdf", MediaType: "application/pdf", Size: domain.DocumentMaxSize + 1, SHA256: goodHash},
		{Name: "empty.pdf", MediaType: "application/pdf", Size: 0, SHA256: goodHash},
		{Name: "hash.pdf", MediaType: "application/pdf", Size: 10, SHA256: "abc"},
		{Name: "../etc/passwd", MediaType: "image/png", Size: 10, SHA256: goodHash},
		{Name: "parakstits.edoc", MediaType: "application/vnd.etsi.asic-e+zip", Size: 10, SHA256: goodHash},
	}
	got := problems(t, f.Validate())
	want := []string{
		"documents rolerequest.document_name",
		"documents rolerequest.document_type",
		"documents rolerequest.document_size",
		"documents rolerequest.document_size",
		"documents rolerequest.document_hash",
		"documents rolerequest.document_name",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems = %q, want %q", got, want)
	}
	e := domain.AsError(f.Validate())
	if e.Problems[0].Args[0] != 2 {
		t.Errorf("first problem names document %v, want 2", e.Problems[0].Args)
	}

	f.Documents = make([]domain.Document, domain.DocumentsMax+1)
	wantProblems(t, problems(t, f.Validate()), "documents rolerequest.documents_too_many")
}

func TestRoleRequestForm_UnknownKind_Refused(t *testing.T) {
	f := domain.RoleRequestForm{Kind: "wizard", Email: "a@b.lv"}
	got := problems(t, f.Validate())
	if !slices.Equal(got, []string{"kind rolerequest.kind_unknown"}) {
		t.Errorf("problems = %q", got)
	}
}

func TestRoleRequestForm_PasswordContainingEmailName_Refused(t *testing.T) {
	f := validForms()[domain.KindInstitutionStaff]
	f.Email = "berzina@rvt.lv"
	f.Password = "Berzina-2024!x"
	wantProblems(t, problems(t, f.Validate()), "password password.contains_username")
}

func TestRoleRequestForm_EveryProblemKey_IsInBothCatalogs(t *testing.T) {
	f := domain.RoleRequestForm{Kind: domain.KindInstitution}
	var errs []error
	errs = append(errs, f.Validate())
	bad := []domain.RoleRequestForm{
		{Kind: "x"},
		{Kind: domain.KindMunicipalCoordinator, FirstName: strings.Repeat("a", 60), LastName: "1", PersonalCode: "1", Email: "x",
			MunicipalityCode: "NOPE", Password: "x", CompanyRegNumber: "1", EducationRegNumber: "1", InstitutionID: 1, Phone: "x",
			Position: strings.Repeat("a", 101), Notes: "a\x00", InstitutionName: "x"},
		{Kind: domain.KindInstitution, InstitutionName: "\x01", Position: "\x01", Notes: strings.Repeat("a", 2001), LastName: strings.Repeat("b", 51),
			PersonalCode: "180565-05610", MunicipalityCode: "riga", InstitutionID: 2,
			Documents: []domain.Document{{}}},
		{Kind: domain.KindInstitutionStaff, InstitutionID: -1, Documents: make([]domain.Document, 11)},
	}
	for _, f := range bad {
		errs = append(errs, f.Validate())
	}
	d := domain.Decision{}
	errs = append(errs, d.CheckRejection(), (&domain.Decision{ReasonCode: "other"}).CheckRejection(),
		(&domain.Decision{ReasonCode: "duplicate", ReasonText: strings.Repeat("x", 2001)}).CheckRejection(),
		d.CheckInfoRequest(), d.CheckTakeOver(),
		(&domain.Decision{ValidUntil: time.Now().Add(-time.Hour)}).CheckApproval(time.Now(), domain.DefaultRoleRequestConfig()),
		(&domain.Decision{ValidUntil: time.Now().AddDate(50, 0, 0)}).CheckApproval(time.Now(), domain.DefaultRoleRequestConfig()))
	_, err := domain.CheckAnswer(" ")
	errs = append(errs, err)

	seen := 0
	for _, err := range errs {
		e := domain.AsError(err)
		if e == nil {
			t.Fatalf("error %v is not a *domain.Error", err)
		}
		keys := []struct {
			key  string
			args []any
		}{{e.Key, e.Args}}
		for _, p := range e.Problems {
			keys = append(keys, struct {
				key  string
				args []any
			}{p.Key, p.Args})
		}
		for _, k := range keys {
			seen++
			for _, lang := range []i18n.Lang{i18n.LV, i18n.EN} {
				msg := i18n.For(lang).T(k.key, k.args...)
				if strings.HasPrefix(msg, "[") || strings.Contains(msg, "%!") {
					t.Errorf("%s: %s renders as %q", lang, k.key, msg)
				}
			}
		}
	}
	if seen < 40 {
		t.Errorf("only %d keys provoked; the test lost its inputs", seen)
	}
}

func TestDecision_CheckApproval_DefaultsAndLimits(t *testing.T) {
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	cfg := domain.DefaultRoleRequestConfig()
	d := domain.Decision{}
	if err := d.CheckApproval(now, cfg); err != nil || !d.ValidUntil.Equal(now.Add(cfg.DefaultValidity)) {
		t.Errorf("default validity: %v, %v", d.ValidUntil, err)
	}
	d = domain.Decision{ValidUntil: now}
	if e := domain.AsError(d.CheckApproval(now, cfg)); e == nil || e.Key != "rolerequest.valid_until_past" {
		t.Errorf("validity ending now: %v", e)
	}
	d = domain.Decision{ValidUntil: now.Add(cfg.MaxValidity + time.Hour)}
	if e := domain.AsError(d.CheckApproval(now, cfg)); e == nil || e.Key != "rolerequest.valid_until_too_far" {
		t.Errorf("validity beyond the limit: %v", e)
	}
}

func TestDecision_CheckRejection_OtherNeedsText(t *testing.T) {
	for _, tc := range []struct {
		d   domain.Decision
		key string
	}{
		{domain.Decision{ReasonCode: "incomplete"}, ""},
		{domain.Decision{ReasonCode: " other ", ReasonText: " Nav līguma. "}, ""},
		{domain.Decision{ReasonCode: "other"}, "rolerequest.reason_text_required"},
		{domain.Decision{ReasonCode: "because"}, "rolerequest.reason_unknown"},
		{domain.Decision{}, "rolerequest.reason_unknown"},
	} {
		err := tc.d.CheckRejection()
		if got := ""; err != nil {
			got = domain.AsError(err).Key
			if got != tc.key {
				t.Errorf("%+v: key %q, want %q", tc.d, got, tc.key)
			}
		} else if tc.key != "" {
			t.Errorf("%+v: no error, want %q", tc.d, tc.key)
		}
	}
}

func TestRoleRequest_TakeOver_AfterConfiguredDaysFromConfirmation(t *testing.T) {
	cfg := domain.RoleRequestConfig{TakeOverAfterDays: 10}
	confirmed := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	r := &domain.RoleRequest{State: domain.StateAtInstitution, EmailConfirmedAt: confirmed}
	if r.CanTakeOver(confirmed.AddDate(0, 0, 10).Add(-time.Second), cfg) {
		t.Error("may take over a second before ten days")
	}
	if !r.CanTakeOver(confirmed.AddDate(0, 0, 10), cfg) {
		t.Error("may not take over after ten days")
	}
	r.State = domain.StatePending
	if r.CanTakeOver(confirmed.AddDate(1, 0, 0), cfg) || !r.TakeOverFrom(cfg).IsZero() {
		t.Error("a pending request can be taken over")
	}
}

func TestRoleRequestKind_PlatformRoleAndPassword(t *testing.T) {
	for _, k := range domain.RoleRequestKinds {
		if k.PlatformRole() == "" {
			t.Errorf("%s grants no role", k)
		}
	}
	if domain.KindInstitution.PlatformRole() != domain.PlatformInstitutionAdmin {
		t.Error("an institution's registration does not make its first user institution_admin")
	}
	if !domain.KindInstitutionStaff.UsesPassword() || domain.KindCareerConsultant.UsesPassword() {
		t.Error("UsesPassword is wrong")
	}
}
