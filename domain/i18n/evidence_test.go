package i18n

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// evidenceCases runs domain.Evaluate over inputs that, between them,
// give every evidence key it has.
func evidenceCases(t *testing.T) []domain.Evidence {
	t.Helper()
	date := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	at := date("2027-03-01").Add(10 * time.Hour)
	fetched := at.Add(-time.Hour)
	type edit func(p *domain.EligibilityPolicy, pop, rev, edu *domain.Snapshot)
	edits := []edit{
		nil,
		func(_ *domain.EligibilityPolicy, pop, _, _ *domain.Snapshot) {
			pop.Person.DeceasedOn = date("2026-12-01")
		},
		func(_ *domain.EligibilityPolicy, pop, _, _ *domain.Snapshot) {
			pop.Person.BirthDate = date("2010-01-01")
		},
		func(p *domain.EligibilityPolicy, pop, _, _ *domain.Snapshot) {
			p.MaxAge, pop.Person.BirthDate = 64, date("1950-01-01")
		},
		func(_ *domain.EligibilityPolicy, pop, _, _ *domain.Snapshot) { pop.Person.BirthDate = time.Time{} },
		func(_ *domain.EligibilityPolicy, pop, _, _ *domain.Snapshot) {
			pop.Person.PersonalCode, pop.Person.BirthDate = "180565-12343", date("1965-05-19")
		},
		func(_ *domain.EligibilityPolicy, pop, _, _ *domain.Snapshot) { pop.Person = nil },
		func(_ *domain.EligibilityPolicy, pop, _, _ *domain.Snapshot) { pop.Person.Resident = false },
		func(p *domain.EligibilityPolicy, _, _, _ *domain.Snapshot) {
			p.RequireResidence, p.RequireEmployment, p.ExcludeStudying = false, false, true
		},
		func(_ *domain.EligibilityPolicy, _, rev, _ *domain.Snapshot) { rev.Answered = false },
		func(_ *domain.EligibilityPolicy, _, rev, _ *domain.Snapshot) { rev.Found = false },
		func(_ *domain.EligibilityPolicy, _, rev, _ *domain.Snapshot) { rev.FetchedAt = at.AddDate(0, -2, 0) },
		func(_ *domain.EligibilityPolicy, _, rev, _ *domain.Snapshot) { rev.Register = "gone" },
		func(_ *domain.EligibilityPolicy, _, rev, _ *domain.Snapshot) {
			rev.Employment[0].Until = date("2019-01-01")
		},
		func(_ *domain.EligibilityPolicy, _, rev, _ *domain.Snapshot) {
			rev.Employment[0].Until = date("2027-12-31")
		},
		func(_ *domain.EligibilityPolicy, _, rev, _ *domain.Snapshot) {
			rev.Employment[0].SelfEmployed = true
		},
		func(_ *domain.EligibilityPolicy, _, rev, _ *domain.Snapshot) {
			rev.Employment[0].SelfEmployed, rev.Employment[0].Until = true, date("2027-12-31")
		},
		func(_ *domain.EligibilityPolicy, _, rev, _ *domain.Snapshot) {
			rev.Employment[0].Until = date("2026-12-31")
		},
		func(p *domain.EligibilityPolicy, _, _, edu *domain.Snapshot) {
			p.ExcludeStudying, edu.Education.Studying = true, true
		},
		func(p *domain.EligibilityPolicy, _, _, _ *domain.Snapshot) { p.ExcludeStudying = true },
		func(_ *domain.EligibilityPolicy, _, _, edu *domain.Snapshot) { edu.Education = nil },
		func(_ *domain.EligibilityPolicy, _, _, edu *domain.Snapshot) { edu.Education.HighestLKI = 9 },
		func(_ *domain.EligibilityPolicy, _, _, edu *domain.Snapshot) { edu.Education.HighestLKI = 0 },
		func(p *domain.EligibilityPolicy, _, _, edu *domain.Snapshot) {
			p.PriorityMaxLKI, edu.Education.HighestLKI = 0, 0
		},
		func(_ *domain.EligibilityPolicy, _, _, edu *domain.Snapshot) { edu.Education.HighestLKI = 2 },
	}
	var out []domain.Evidence
	for i, e := range edits {
		p := domain.DefaultEligibilityPolicy()
		pop := &domain.Snapshot{ID: 1, Register: domain.RegisterPopulation, FetchedAt: fetched, Answered: true, Found: true,
			Person: &domain.PersonRecord{PersonalCode: "32550128526", BirthDate: date("1990-06-15"), Resident: true, Municipality: "Rīga"}}
		rev := &domain.Snapshot{ID: 2, Register: domain.RegisterRevenue, FetchedAt: fetched, Answered: true, Found: true,
			Employment: []domain.EmploymentPeriod{{From: date("2020-01-01")}}}
		edu := &domain.Snapshot{ID: 3, Register: domain.RegisterEducation, FetchedAt: fetched, Answered: true, Found: true,
			Education: &domain.EducationRecord{HighestLKI: 5}}
		if e != nil {
			e(&p, pop, rev, edu)
		}
		ev := domain.Evaluate(p, []*domain.Snapshot{pop, rev, edu}, i == 1, at)
		for _, r := range ev.Rules {
			out = append(out, r.Evidence)
		}
	}
	return out
}

// TestEvidence_EveryKeyEvaluateGives_RendersInBothLanguages proves that
// no evidence reaches a reviewer as a key or a formatting mistake, and
// that the inputs above reach every evidence message of the catalogs.
func TestEvidence_EveryKeyEvaluateGives_RendersInBothLanguages(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range evidenceCases(t) {
		if e.Key == "" {
			t.Errorf("evidence without a key: %+v", e)
			continue
		}
		seen[e.Key] = true
		for _, lang := range []Lang{LV, EN} {
			got := For(lang).Evidence(e)
			if strings.Contains(got, "%!") || strings.Contains(got, "[") || got == "" {
				t.Errorf("%s: %s renders as %q", lang, e, got)
			}
		}
	}
	for _, k := range For(LV).Keys() {
		if strings.HasPrefix(k, "imk.ev.") && !seen[k] {
			t.Errorf("no input gives the evidence %s; add one", k)
		}
	}
}

// TestEvidence_RendersInTheCatalogsLanguage_CountsDeclined pins the words
// of a few pieces of evidence: the register by its name, the count
// declined, and a number written as the language writes it.
func TestEvidence_RendersInTheCatalogsLanguage_CountsDeclined(t *testing.T) {
	day := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		ev     domain.Evidence
		lv, en string
	}{
		{domain.Evidence{Key: "imk.ev.stale", Args: []domain.EvidenceArg{domain.RegisterArg(domain.RegisterRevenue), domain.DateArg(day)}},
			"Valsts ieņēmumu dienests (VID): dati novecojuši (iegūti 2027-03-01)",
			"State Revenue Service (VID): the data is stale (fetched 2027-03-01)"},
		{domain.Evidence{Key: "imk.ev.age", Args: []domain.EvidenceArg{domain.NumberArg(21), domain.DateArg(day.AddDate(-21, 0, 0)), domain.DateArg(day)}},
			"2027-03-01: 21 gads (dzimšanas datums 2006-03-01)", "born 2006-03-01: 21 on 2027-03-01"},
		{domain.Evidence{Key: "imk.ev.age", Args: []domain.EvidenceArg{domain.NumberArg(30), domain.DateArg(day.AddDate(-30, 0, 0)), domain.DateArg(day)}},
			"2027-03-01: 30 gadu (dzimšanas datums 1997-03-01)", "born 1997-03-01: 30 on 2027-03-01"},
		{domain.Evidence{Key: "imk.ev.age", Args: []domain.EvidenceArg{domain.NumberArg(36), domain.DateArg(day.AddDate(-36, 0, 0)), domain.DateArg(day)}},
			"2027-03-01: 36 gadi (dzimšanas datums 1991-03-01)", "born 1991-03-01: 36 on 2027-03-01"},
		{domain.Evidence{Key: "imk.ev.no_employment", Args: []domain.EvidenceArg{domain.NumberArg(1), domain.DateArg(day)}},
			"2027-03-01 nav nodarbinātības (VID zina 1 periodu)", "no employment on 2027-03-01 (1 period known)"},
		{domain.Evidence{Key: "imk.ev.no_employment", Args: []domain.EvidenceArg{domain.NumberArg(1002), domain.DateArg(day)}},
			"2027-03-01 nav nodarbinātības (VID zina 1\u00a0002 periodus)", "no employment on 2027-03-01 (1,002 periods known)"},
		{domain.Evidence{Prose: "alive"}, "alive", "alive"},
	}
	for _, c := range cases {
		if got := For(LV).Evidence(c.ev); got != c.lv {
			t.Errorf("lv %s = %q, want %q", c.ev, got, c.lv)
		}
		if got := For(EN).Evidence(c.ev); got != c.en {
			t.Errorf("en %s = %q, want %q", c.ev, got, c.en)
		}
	}
}

// TestEvidence_JSON_NewAndOldRowsRead proves that an evaluation stored as
// JSON keeps the key and the typed arguments, and that an evaluation
// stored before evidence had keys (English prose) still reads.
func TestEvidence_JSON_NewAndOldRowsRead(t *testing.T) {
	in := domain.Evaluation{Rules: []domain.RuleResult{{Rule: "age", Evidence: domain.Evidence{Key: "imk.ev.age",
		Args: []domain.EvidenceArg{domain.NumberArg(36), domain.DateArg(time.Date(1990, 6, 15, 0, 0, 0, 0, time.UTC)), domain.TextArg("Rīga")}}}}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out domain.Evaluation
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if got := out.Rules[0].Evidence; got.Key != "imk.ev.age" || !slices.Equal(got.Args, in.Rules[0].Evidence.Args) {
		t.Errorf("round trip gives %+v from %s", got, b)
	}
	old := `{"Rules":[{"Rule":"age","Verdict":"pass","Evidence":"born 1990-06-15: 36 on 2027-03-01"},{"Rule":"alive","Evidence":null}]}`
	if err := json.Unmarshal([]byte(old), &out); err != nil {
		t.Fatalf("an old evaluation does not read: %v", err)
	}
	if got := out.Rules[0].Evidence; got.Prose != "born 1990-06-15: 36 on 2027-03-01" || got.Key != "" {
		t.Errorf("old evidence reads as %+v", got)
	}
	if !out.Rules[1].Evidence.IsZero() {
		t.Errorf("null evidence reads as %+v", out.Rules[1].Evidence)
	}
	if got := For(LV).Evidence(out.Rules[0].Evidence); got != "born 1990-06-15: 36 on 2027-03-01" {
		t.Errorf("old evidence renders as %q", got)
	}
}
