package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
)

// keysOf returns the catalog keys an error carries: its own and those of
// its problems.
func keysOf(t *testing.T, err error) []string {
	t.Helper()
	e := domain.AsError(err)
	if e == nil {
		t.Fatalf("error %v is not a *domain.Error", err)
	}
	keys := []string{e.Key}
	for _, p := range e.Problems {
		keys = append(keys, p.Key)
	}
	return keys
}

// domainErrors provokes every catalog key the domain validators return.
func domainErrors(t *testing.T) []*domain.Error {
	t.Helper()
	var errs []error
	errs = append(errs,
		domain.PasswordError(domain.CheckPassword("", "")),
		domain.PasswordError(domain.CheckPassword("Sasha_007", "")),
		domain.PasswordError(domain.CheckPassword("Ilze.Berzina1", "ilze.berzina")),
		domain.ValidatePersonalCode("nonsense"),
		domain.ValidatePersonalCode("290200-34566"),
		domain.ValidatePersonalCode("290213-29381"),
		domain.ValidatePersonalCode("180565-05611"),
		domain.ValidateCompanyRegNumber("123"),
		domain.ValidateCompanyRegNumber("40003521601"),
		domain.ValidateInstitutionRegNumber("123"),
		domain.ValidateEmail(""),
		domain.ValidateEmail(strings.Repeat("a", 255)),
		domain.ValidateEmail("nonsense"),
		domain.ValidateOperatorName("Not A Name"),
	)
	_, err := domain.ParseRoles("reviewer,wizard")
	errs = append(errs, err)
	_, err = domain.ParseRoles(" , ")
	errs = append(errs, err)
	out := make([]*domain.Error, len(errs))
	for i, err := range errs {
		if out[i] = domain.AsError(err); out[i] == nil {
			t.Fatalf("case %d: error %v is not a *domain.Error", i, err)
		}
	}
	return out
}

func TestCatalogs_EveryKeyDomainReturns_IsInBothLanguages(t *testing.T) {
	want := []string{
		"password.weak", "password.too_short", "password.no_lower", "password.no_upper",
		"password.no_digit", "password.no_special", "password.common", "password.contains_username",
		"personal_code.format", "personal_code.century", "personal_code.date", "personal_code.checksum",
		"company_reg.format", "company_reg.checksum", "institution_reg.format",
		"email.required", "email.too_long", "email.format",
		"operator.bad_name", "role.unknown", "role.none",
	}
	var seen []string
	for _, e := range domainErrors(t) {
		seen = append(seen, keysOf(t, e)...)
	}
	for _, key := range want {
		if !slices.Contains(seen, key) {
			t.Errorf("no test input provokes %s; add one", key)
		}
	}
	for _, key := range seen {
		for _, lang := range []Lang{LV, EN} {
			if msg := For(lang).T(key); strings.HasPrefix(msg, "[") {
				t.Errorf("%s: key %s is missing", lang, key)
			}
		}
	}
}

func TestCatalogs_DomainErrorsRender_WithoutFormattingMistakes(t *testing.T) {
	for _, e := range domainErrors(t) {
		for _, lang := range []Lang{LV, EN} {
			msg := For(lang).Err(e)
			if strings.Contains(msg, "%!") || strings.Contains(msg, "[") {
				t.Errorf("%s: %s renders as %q", lang, e.Key, msg)
			}
		}
	}
	lines := strings.Split(For(LV).Err(domain.PasswordError(domain.CheckPassword("abc", ""))), "\n")
	if len(lines) != 5 || lines[1] != "• Parolei jābūt vismaz 9 simbolus garai." {
		t.Errorf("Latvian password error = %q, want a heading and four rules", lines)
	}
}

var verbRE = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z]`)

func TestCatalogs_NoEmptyMessagesAndSamePlaceholders(t *testing.T) {
	lvKeys, enKeys := For(LV).Keys(), For(EN).Keys()
	slices.Sort(lvKeys)
	slices.Sort(enKeys)
	if !slices.Equal(lvKeys, enKeys) {
		t.Fatalf("the catalogs have different keys")
	}
	for _, key := range lvKeys {
		l, e := lv[key], en[key]
		if strings.TrimSpace(l) == "" || strings.TrimSpace(e) == "" {
			t.Errorf("%s: empty message (lv %q, en %q)", key, l, e)
		}
		lvVerbs := verbRE.FindAllString(strings.ReplaceAll(l, "%%", ""), -1)
		enVerbs := verbRE.FindAllString(strings.ReplaceAll(e, "%%", ""), -1)
		if !slices.Equal(lvVerbs, enVerbs) {
			t.Errorf("%s: placeholders differ: lv %v, en %v", key, lvVerbs, enVerbs)
		}
	}
}
