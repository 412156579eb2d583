package i18n

import (
	"slices"
	"strconv"
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
	for _, p := range []domain.EligibilityPolicy{
		{MinAge: -1, MaxDataAge: 1}, {MinAge: 18, MaxAge: 10, MaxDataAge: 1}, {MinAge: 18},
		{MinAge: 18, MaxDataAge: 1, PriorityMaxLKI: 9}, {MinAge: 18, MaxDataAge: 1, PriorityMinAge: 121},
	} {
		errs = append(errs, p.Validate())
	}
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
		"imk.policy_invalid", "imk.policy_min_age", "imk.policy_max_age", "imk.policy_max_data_age",
		"imk.policy_priority_lki", "imk.policy_priority_age",
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

// placeholders lists a message's arguments as "index:verb" ("1:d",
// "2:s"), in argument order, each once: explicit indexes ("%[2]s") and
// the implicit ones that follow them counted as fmt counts them.
func placeholders(msg string) []string {
	var out []string
	next := 1
	for i := 0; i < len(msg); i++ {
		if msg[i] != '%' {
			continue
		}
		i++
		if i < len(msg) && msg[i] == '%' {
			continue
		}
		for i < len(msg) && strings.IndexByte("-+# 0", msg[i]) >= 0 {
			i++
		}
		if i < len(msg) && msg[i] == '[' {
			end := strings.IndexByte(msg[i:], ']')
			if end < 0 {
				return append(out, "bad index")
			}
			n := 0
			for _, r := range msg[i+1 : i+end] {
				n = n*10 + int(r-'0')
			}
			next, i = n, i+end+1
		}
		for i < len(msg) && (msg[i] >= '0' && msg[i] <= '9' || msg[i] == '.') {
			i++
		}
		if i < len(msg) {
			p := strconv.Itoa(next) + ":" + string(msg[i])
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
			next++
		}
	}
	slices.Sort(out)
	return out
}

func TestPlaceholders_ReadsImplicitAndExplicitIndexes(t *testing.T) {
	for msg, want := range map[string][]string{
		"%d of %d (%s) 100%%":         {"1:d", "2:d", "3:s"},
		"%[2]s: %[1]d, %[3]d and %s":  {"1:d", "2:s", "3:d", "4:s"},
		"%-5s|%5.1f|%q":               {"1:s", "2:f", "3:q"},
		"no placeholder":              nil,
		"%[1]d ieraksts, %[1]d again": {"1:d"},
	} {
		if got := placeholders(msg); !slices.Equal(got, want) {
			t.Errorf("placeholders(%q) = %v, want %v", msg, got, want)
		}
	}
}

func TestCatalogs_NoEmptyMessagesAndSamePlaceholders(t *testing.T) {
	lvKeys, enKeys := For(LV).Keys(), For(EN).Keys()
	slices.Sort(lvKeys)
	slices.Sort(enKeys)
	if !slices.Equal(lvKeys, enKeys) {
		t.Fatalf("the catalogs have different keys")
	}
	for _, key := range lvKeys {
		if _, ok := lvPlural[key]; ok {
			continue
		}
		l, e := lv[key], en[key]
		if strings.TrimSpace(l) == "" || strings.TrimSpace(e) == "" {
			t.Errorf("%s: empty message (lv %q, en %q)", key, l, e)
		}
		if lp, ep := placeholders(l), placeholders(e); !slices.Equal(lp, ep) {
			t.Errorf("%s: placeholders differ: lv %v, en %v", key, lp, ep)
		}
	}
}

// TestCatalogs_CountedPhrases_EveryFormTakesTheSameArguments proves that
// each form of a counted phrase, in both languages, formats the same
// arguments, the count (%d) among them.
func TestCatalogs_CountedPhrases_EveryFormTakesTheSameArguments(t *testing.T) {
	if len(lvPlural) == 0 {
		t.Fatal("no counted phrases")
	}
	for key, l := range lvPlural {
		e := enPlural[key]
		want := placeholders(l.Other)
		if count := strconv.Itoa(max(l.Count, 1)) + ":d"; !slices.Contains(want, count) {
			t.Errorf("%s: the count is not argument %s (%v)", key, count, want)
		}
		for _, form := range []string{l.Zero, l.One, e.Zero, e.One, e.Other} {
			if form == "" {
				continue
			}
			if got := placeholders(form); !slices.Equal(got, want) {
				t.Errorf("%s: form %q takes %v, the Latvian other form %v", key, form, got, want)
			}
		}
		if l.Zero != "" && l.One == "" {
			t.Errorf("%s: Latvian has a zero form but no one form", key)
		}
	}
}

// TestN_LatvianAndEnglishPluralForms pins CLDR's rules on a counted
// phrase of the catalogs: Latvian zero/11–19-like, one-ending and other
// forms, English one and other, and the digits grouped.
func TestN_LatvianAndEnglishPluralForms(t *testing.T) {
	lv, en := For(LV), For(EN)
	for _, c := range []struct {
		n      int64
		lv, en string
	}{
		{0, "0 ierakstu", "0 entries"},
		{1, "1 ieraksts", "1 entry"},
		{2, "2 ieraksti", "2 entries"},
		{9, "9 ieraksti", "9 entries"},
		{10, "10 ierakstu", "10 entries"},
		{11, "11 ierakstu", "11 entries"},
		{19, "19 ierakstu", "19 entries"},
		{21, "21 ieraksts", "21 entries"},
		{22, "22 ieraksti", "22 entries"},
		{101, "101 ieraksts", "101 entries"},
		{111, "111 ierakstu", "111 entries"},
		{1000, "1\u00a0000 ierakstu", "1,000 entries"},
		{25001, "25\u00a0001 ieraksts", "25,001 entries"},
		{1000000, "1\u00a0000\u00a0000 ierakstu", "1,000,000 entries"},
	} {
		if got, want := lv.N("cli.audit.intact", c.n), "Audita žurnāls ir vesels: "+c.lv+"."; got != want {
			t.Errorf("lv N(%d) = %q, want %q", c.n, got, want)
		}
		if got, want := en.N("cli.audit.intact", c.n), "The audit log is intact: "+c.en+" checked."; got != want {
			t.Errorf("en N(%d) = %q, want %q", c.n, got, want)
		}
		// T gives a counted phrase the same way: call sites that pass the
		// count first need no change.
		if got, want := lv.T("cli.audit.intact", c.n), lv.N("cli.audit.intact", c.n); got != want {
			t.Errorf("lv T(%d) = %q, N gives %q", c.n, got, want)
		}
	}
	// A phrase counting its second argument.
	if got := lv.T("tui.terms.diff.counts", 3, 4, 21); got != "−3 / +4 rindas, 21 vietā" {
		t.Errorf("lv diff counts = %q", got)
	}
	if got := en.T("tui.terms.diff.counts", 3, 4, 1000); got != "−3 / +4 lines in 1,000 places" {
		t.Errorf("en diff counts = %q", got)
	}
}

func TestNum_GroupsDigitsAsTheLanguageWritesThem(t *testing.T) {
	lv, en := For(LV), For(EN)
	for _, c := range []struct {
		n      int64
		lv, en string
	}{
		{0, "0", "0"}, {999, "999", "999"}, {1000, "1\u00a0000", "1,000"}, {25000, "25\u00a0000", "25,000"},
		{1000000, "1\u00a0000\u00a0000", "1,000,000"}, {-25000, "-25\u00a0000", "-25,000"},
	} {
		if got := lv.Num(c.n); got != c.lv {
			t.Errorf("lv Num(%d) = %q, want %q", c.n, got, c.lv)
		}
		if got := en.Num(c.n); got != c.en {
			t.Errorf("en Num(%d) = %q, want %q", c.n, got, c.en)
		}
	}
	if got := lv.Decimal(1234.5, 1); got != "1\u00a0234,5" {
		t.Errorf("lv Decimal = %q, want 1 234,5", got)
	}
	if got := en.Decimal(1234.5, 1); got != "1,234.5" {
		t.Errorf("en Decimal = %q, want 1,234.5", got)
	}
}
