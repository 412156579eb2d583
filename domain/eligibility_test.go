package domain_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// checkDate is a date in a year without 29 February.
var checkDate = day("2027-03-01").Add(10 * time.Hour)

// person builds the three snapshots of a clearly eligible person (new-form
// code, so the birth date is not cross-checked), changed by edit.
func person(edit func(pop *domain.PersonRecord, rev *domain.Snapshot, edu *domain.Snapshot)) []*domain.Snapshot {
	fetched := checkDate.Add(-time.Hour)
	pop := &domain.PersonRecord{PersonalCode: "32550128526", FirstName: "Anna", LastName: "Bērziņa",
		BirthDate: day("1990-06-15"), Resident: true, Municipality: "Rīga"}
	ps := &domain.Snapshot{ID: 1, Register: domain.RegisterPopulation, FetchedAt: fetched, Answered: true, Found: true, Person: pop}
	rs := &domain.Snapshot{ID: 2, Register: domain.RegisterRevenue, FetchedAt: fetched, Answered: true, Found: true,
		Employment: []domain.EmploymentPeriod{{Employer: "40003521600", From: day("2020-01-01")}}}
	es := &domain.Snapshot{ID: 3, Register: domain.RegisterEducation, FetchedAt: fetched, Answered: true, Found: true,
		Education: &domain.EducationRecord{HighestLKI: 5}}
	if edit != nil {
		edit(pop, rs, es)
	}
	return []*domain.Snapshot{ps, rs, es}
}

func verdict(ev domain.Evaluation, rule string) domain.Verdict {
	for _, r := range ev.Rules {
		if r.Rule == rule {
			return r.Verdict
		}
	}
	return ""
}

func TestEvaluate_EveryRuleAndEdgeDate(t *testing.T) {
	type edit = func(pop *domain.PersonRecord, rev, edu *domain.Snapshot)
	policy := domain.DefaultEligibilityPolicy()
	studyPolicy := policy
	studyPolicy.ExcludeStudying = true
	policy25 := policy
	policy25.MinAge = 25
	noEmployment := policy
	noEmployment.RequireEmployment = false
	maxAge := policy
	maxAge.MaxAge = 64

	cases := []struct {
		name     string
		policy   domain.EligibilityPolicy
		edit     edit
		other    bool
		at       time.Time
		rule     string
		verdict  domain.Verdict
		outcome  domain.Outcome
		priority domain.PriorityState
	}{
		{name: "clear case", rule: domain.RuleAge, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible},
		{name: "deceased before", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.DeceasedOn = day("2026-12-01") },
			rule: domain.RuleAlive, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible},
		{name: "deceased on the check date", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.DeceasedOn = day("2027-03-01") },
			rule: domain.RuleAlive, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible},
		{name: "death recorded after the check date", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.DeceasedOn = day("2027-03-02") },
			rule: domain.RuleAlive, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible},
		{name: "18 exactly today", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.BirthDate = day("2009-03-01") },
			rule: domain.RuleAge, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible},
		{name: "18 tomorrow", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.BirthDate = day("2009-03-02") },
			rule: domain.RuleAge, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible},
		{name: "29 Feb birth reaches 18 on 1 Mar of a common year", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.BirthDate = day("2008-02-29") },
			at: day("2026-03-01"), rule: domain.RuleAge, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible},
		{name: "29 Feb birth is 17 on 28 Feb of a common year", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.BirthDate = day("2008-02-29") },
			at: day("2026-02-28"), rule: domain.RuleAge, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible},
		{name: "29 Feb birth is 20 on 29 Feb of a leap year", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.BirthDate = day("2008-02-29") },
			at: day("2028-02-29"), rule: domain.RuleAge, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible},
		{name: "min age 25 (2017–2023 programme)", policy: policy25, edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.BirthDate = day("2003-01-01") },
			rule: domain.RuleAge, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible},
		{name: "over max age", policy: maxAge, edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.BirthDate = day("1960-01-01") },
			rule: domain.RuleAge, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible, priority: domain.PriorityYes},
		{name: "no birth date", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.BirthDate = time.Time{} },
			rule: domain.RuleAge, verdict: domain.VerdictUnknown, outcome: domain.OutcomeNeedsReview, priority: domain.PriorityUnknown},
		{name: "birth date contradicts the old-form code", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) {
			p.PersonalCode, p.BirthDate = "180565-12343", day("1965-05-19")
		}, rule: domain.RuleAge, verdict: domain.VerdictUnknown, outcome: domain.OutcomeNeedsReview, priority: domain.PriorityUnknown},
		{name: "birth date agrees with the old-form code", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) {
			p.PersonalCode, p.BirthDate = "180565-12343", day("1965-05-18")
		}, rule: domain.RuleAge, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible, priority: domain.PriorityYes},
		{name: "not resident", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.Resident = false },
			rule: domain.RuleResidence, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible},
		{name: "employment ended yesterday", edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) { r.Employment[0].Until = day("2027-02-28") },
			rule: domain.RuleEmployment, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible},
		{name: "employment ends on the check date", edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) { r.Employment[0].Until = day("2027-03-01") },
			rule: domain.RuleEmployment, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible},
		{name: "employment starts tomorrow", edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) { r.Employment[0].From = day("2027-03-02") },
			rule: domain.RuleEmployment, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible},
		{name: "employment starts on the check date", edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) { r.Employment[0].From = day("2027-03-01") },
			rule: domain.RuleEmployment, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible},
		{name: "self-employed", edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) {
			r.Employment = []domain.EmploymentPeriod{{From: day("2010-01-01"), Until: day("2015-01-01")}, {SelfEmployed: true, From: day("2024-05-01")}}
		}, rule: domain.RuleEmployment, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible},
		{name: "no periods", edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) { r.Employment = nil },
			rule: domain.RuleEmployment, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible},
		{name: "employment not required", policy: noEmployment, edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) { r.Answered = false },
			rule: domain.RuleEmployment, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible},
		{name: "contradictory period", edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) { r.Employment[0].Until = day("2019-01-01") },
			rule: domain.RuleEmployment, verdict: domain.VerdictUnknown, outcome: domain.OutcomeNeedsReview},
		{name: "VID did not answer", edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) { r.Answered, r.Employment = false, nil },
			rule: domain.RuleEmployment, verdict: domain.VerdictUnknown, outcome: domain.OutcomeNeedsReview},
		{name: "VID does not know the person", edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) { r.Found, r.Employment = false, nil },
			rule: domain.RuleEmployment, verdict: domain.VerdictUnknown, outcome: domain.OutcomeNeedsReview},
		{name: "VID data 31 days old", edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) { r.FetchedAt = checkDate.Add(-31 * 24 * time.Hour) },
			rule: domain.RuleEmployment, verdict: domain.VerdictUnknown, outcome: domain.OutcomeNeedsReview},
		{name: "VID data exactly 30 days old", edit: func(_ *domain.PersonRecord, r, _ *domain.Snapshot) { r.FetchedAt = checkDate.Add(-30 * 24 * time.Hour) },
			rule: domain.RuleEmployment, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible},
		{name: "population register did not answer", edit: func(_ *domain.PersonRecord, _, _ *domain.Snapshot) {},
			rule: domain.RuleAlive, verdict: domain.VerdictUnknown, outcome: domain.OutcomeNeedsReview, priority: domain.PriorityUnknown},
		{name: "other active IMK", other: true,
			rule: domain.RuleNoOtherIMK, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible},
		{name: "studying, not an exclusion", edit: func(_ *domain.PersonRecord, _, e *domain.Snapshot) { e.Education.Studying = true },
			rule: domain.RuleStudying, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible},
		// ¶26.4, GDPR Art. 22: studying rests on VIIS, whose failure the
		// default policy leaves to a person (DefaultAutoReject).
		{name: "studying excluded", policy: studyPolicy, edit: func(_ *domain.PersonRecord, _, e *domain.Snapshot) { e.Education.Studying = true },
			rule: domain.RuleStudying, verdict: domain.VerdictFail, outcome: domain.OutcomeNeedsReview},
		{name: "VIIS did not answer", policy: studyPolicy, edit: func(_ *domain.PersonRecord, _, e *domain.Snapshot) { e.Answered = false },
			rule: domain.RuleStudying, verdict: domain.VerdictUnknown, outcome: domain.OutcomeNeedsReview, priority: domain.PriorityUnknown},
		{name: "LKI 3 is priority", edit: func(_ *domain.PersonRecord, _, e *domain.Snapshot) { e.Education.HighestLKI = 3 },
			rule: domain.RulePriorityLKI, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible, priority: domain.PriorityYes},
		{name: "LKI 4 is not priority", edit: func(_ *domain.PersonRecord, _, e *domain.Snapshot) { e.Education.HighestLKI = 4 },
			rule: domain.RulePriorityLKI, verdict: domain.VerdictFail, outcome: domain.OutcomeEligible},
		{name: "45 today is priority", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.BirthDate = day("1982-03-01") },
			rule: domain.RulePriorityAge, verdict: domain.VerdictPass, outcome: domain.OutcomeEligible, priority: domain.PriorityYes},
		{name: "45 tomorrow is not priority", edit: func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.BirthDate = day("1982-03-02") },
			rule: domain.RulePriorityAge, verdict: domain.VerdictFail, outcome: domain.OutcomeEligible},
		// Issue 16: an unknown priority no longer holds the decision.
		{name: "VIIS unknown leaves the LKI priority unknown", edit: func(_ *domain.PersonRecord, _, e *domain.Snapshot) { e.Found = false },
			rule: domain.RulePriorityLKI, verdict: domain.VerdictUnknown, outcome: domain.OutcomeEligible, priority: domain.PriorityUnknown},
		{name: "a fail outweighs an unknown", edit: func(p *domain.PersonRecord, r, _ *domain.Snapshot) { p.Resident = false; r.Answered = false },
			rule: domain.RuleResidence, verdict: domain.VerdictFail, outcome: domain.OutcomeNotEligible},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.policy
			if p.MinAge == 0 {
				p = policy
			}
			at := c.at
			if at.IsZero() {
				at = checkDate
			}
			snaps := person(c.edit)
			for _, s := range snaps {
				if s.FetchedAt.After(at) || at.Sub(s.FetchedAt) > 40*24*time.Hour {
					if s.FetchedAt.Equal(checkDate.Add(-time.Hour)) {
						s.FetchedAt = at.Add(-time.Hour)
					}
				}
			}
			if c.name == "population register did not answer" {
				snaps[0].Answered, snaps[0].Person = false, nil
			}
			ev := domain.Evaluate(p, snaps, c.other, at)
			if got := verdict(ev, c.rule); got != c.verdict {
				t.Errorf("%s: verdict %q, want %q (%+v)", c.rule, got, c.verdict, ev.Rules)
			}
			if ev.Outcome != c.outcome {
				t.Errorf("outcome %q, want %q (review: %v)", ev.Outcome, c.outcome, ev.ReviewWhy)
			}
			want := c.priority
			if want == "" {
				want = domain.PriorityNo
			}
			if ev.Priority != want {
				t.Errorf("priority %v, want %v", ev.Priority, want)
			}
			if (ev.Outcome == domain.OutcomeNeedsReview) != (len(ev.ReviewWhy) > 0) {
				t.Errorf("review reasons %v for outcome %s", ev.ReviewWhy, ev.Outcome)
			}
			if len(ev.Rules) != 8 {
				t.Errorf("%d rules, want 8", len(ev.Rules))
			}
		})
	}
}

func TestEvaluate_NoSnapshots_NeedsReviewNeverPasses(t *testing.T) {
	ev := domain.Evaluate(domain.DefaultEligibilityPolicy(), nil, false, checkDate)
	if ev.Outcome != domain.OutcomeNeedsReview {
		t.Fatalf("outcome %s, want needs review", ev.Outcome)
	}
}

func TestEvaluate_NewestSnapshotCounts(t *testing.T) {
	snaps := person(nil)
	newer := *snaps[1]
	newer.ID, newer.FetchedAt, newer.Answered = 9, snaps[1].FetchedAt.Add(time.Minute), false
	ev := domain.Evaluate(domain.DefaultEligibilityPolicy(), append(snaps, &newer), false, checkDate)
	if verdict(ev, domain.RuleEmployment) != domain.VerdictUnknown {
		t.Fatalf("the newer unanswered snapshot was ignored: %+v", ev.Rules)
	}
	for _, r := range ev.Rules {
		if r.Rule == domain.RuleEmployment && r.SnapshotID != 9 {
			t.Fatalf("evidence from snapshot %d, want 9", r.SnapshotID)
		}
	}
}

func TestEvaluate_SameInputs_SameOutcome(t *testing.T) {
	p := domain.DefaultEligibilityPolicy()
	first := domain.Evaluate(p, person(nil), false, checkDate)
	for range 100 {
		if again := domain.Evaluate(p, person(nil), false, checkDate); !reflect.DeepEqual(first, again) {
			t.Fatalf("evaluation changed:\n%+v\n%+v", first, again)
		}
	}
}

func TestAgeOn_LeapDay(t *testing.T) {
	cases := []struct {
		birth, on string
		want      int
	}{
		{"2000-02-29", "2018-02-28", 17},
		{"2000-02-29", "2018-03-01", 18},
		{"2000-02-29", "2020-02-29", 20},
		{"2000-03-01", "2018-03-01", 18},
		{"2000-03-01", "2018-02-28", 17},
	}
	for _, c := range cases {
		if got := domain.AgeOn(day(c.birth), day(c.on)); got != c.want {
			t.Errorf("AgeOn(%s, %s) = %d, want %d", c.birth, c.on, got, c.want)
		}
	}
}

func TestDefaultEligibilityPolicy_IsValid(t *testing.T) {
	p := domain.DefaultEligibilityPolicy()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.PriorityCombine != domain.PriorityAnyOf || p.AutoRejects(domain.RuleStudying) || !p.AutoRejects(domain.RuleAge) {
		t.Fatalf("default policy: combine %q, auto-reject %v", p.PriorityCombine, p.AutoReject)
	}
	if p.MinAge != 18 || !p.RequireEmployment || !p.RequireResidence || p.MaxDataAge != 30*24*time.Hour ||
		p.PriorityMaxLKI != 3 || p.PriorityMinAge != 45 {
		t.Fatalf("default policy %+v", p)
	}
}

// BenchmarkEvaluate_100k evaluates 100,000 applications per iteration.
func BenchmarkEvaluate_100k(b *testing.B) {
	const n = 100_000
	p := domain.DefaultEligibilityPolicy()
	inputs := make([][]*domain.Snapshot, n)
	for i := range inputs {
		inputs[i] = person(func(pop *domain.PersonRecord, r, e *domain.Snapshot) {
			pop.BirthDate = day("1960-01-01").AddDate(0, 0, i%15000)
			e.Education.HighestLKI = i % 9
			if i%7 == 0 {
				r.Answered = false
			}
		})
	}
	b.ResetTimer()
	for b.Loop() {
		for i := range inputs {
			_ = domain.Evaluate(p, inputs[i], false, checkDate)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "applications/s")
}

// ¶26.4, GDPR Art. 22: automatic rejection is a setting per rule. A failed
// rule that rejects automatically decides; one that does not sends the
// application to review with that rule as the reason; a rule that rejects
// automatically outweighs one left to a person.
func TestEvaluate_AutoRejectPerRule_P26_4_GDPRArt22(t *testing.T) {
	notResident := person(func(p *domain.PersonRecord, _, _ *domain.Snapshot) { p.Resident = false })
	on := domain.DefaultEligibilityPolicy()
	if ev := domain.Evaluate(on, notResident, false, checkDate); ev.Outcome != domain.OutcomeNotEligible || len(ev.ReviewWhy) != 0 {
		t.Fatalf("residence auto-reject on: %s %v, want not eligible", ev.Outcome, ev.ReviewWhy)
	}
	off := on
	off.AutoReject = []string{domain.RuleAlive, domain.RuleAge, domain.RuleEmployment, domain.RuleNoOtherIMK}
	ev := domain.Evaluate(off, notResident, false, checkDate)
	if ev.Outcome != domain.OutcomeNeedsReview || !reflect.DeepEqual(ev.ReviewWhy, []string{domain.RuleResidence}) {
		t.Fatalf("residence auto-reject off: %s %v, want needs review for residence", ev.Outcome, ev.ReviewWhy)
	}
	// Both fail: the one that rejects automatically decides.
	both := person(func(p *domain.PersonRecord, r, _ *domain.Snapshot) { p.Resident = false; r.Employment = nil })
	if ev := domain.Evaluate(off, both, false, checkDate); ev.Outcome != domain.OutcomeNotEligible {
		t.Fatalf("employment (on) and residence (off) failed: %s, want not eligible", ev.Outcome)
	}
	deciding := domain.Evaluate(off, both, false, checkDate)
	if rs := deciding.DecidingRules(&off); len(rs) != 1 || rs[0].Rule != domain.RuleEmployment {
		t.Fatalf("deciding rules %+v, want employment only", rs)
	}
	// No rule named: nothing is rejected without a person.
	none := on
	none.AutoReject = nil
	if ev := domain.Evaluate(none, both, false, checkDate); ev.Outcome != domain.OutcomeNeedsReview || len(ev.ReviewWhy) != 2 {
		t.Fatalf("no auto-reject: %s %v, want review for both", ev.Outcome, ev.ReviewWhy)
	}
}

// ¶26.4: an unknown priority (VIIS lacks the diploma) is recorded as
// unknown and does not hold an otherwise clear decision; how LKI and age
// combine (or / and) is the policy's.
func TestEvaluate_PriorityTriStateAndCombine_P26_4(t *testing.T) {
	or := domain.DefaultEligibilityPolicy()
	and := or
	and.PriorityCombine = domain.PriorityAllOf
	young, old := day("1990-06-15"), day("1970-01-01")
	cases := []struct {
		name      string
		birth     time.Time
		lki       int
		viisFound bool
		or, and   domain.PriorityState
	}{
		{"LKI known low, young", young, 3, true, domain.PriorityYes, domain.PriorityNo},
		{"LKI known low, old", old, 3, true, domain.PriorityYes, domain.PriorityYes},
		{"LKI known high, old", old, 5, true, domain.PriorityYes, domain.PriorityNo},
		{"LKI known high, young", young, 5, true, domain.PriorityNo, domain.PriorityNo},
		{"LKI unknown, old", old, 0, false, domain.PriorityYes, domain.PriorityUnknown},
		{"LKI unknown, young", young, 0, false, domain.PriorityUnknown, domain.PriorityNo},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			snaps := person(func(p *domain.PersonRecord, _, e *domain.Snapshot) {
				p.BirthDate, e.Education.HighestLKI, e.Found = c.birth, c.lki, c.viisFound
			})
			for _, pc := range []struct {
				p    domain.EligibilityPolicy
				want domain.PriorityState
			}{{or, c.or}, {and, c.and}} {
				ev := domain.Evaluate(pc.p, snaps, false, checkDate)
				if ev.Priority != pc.want {
					t.Errorf("%s: priority %s, want %s", pc.p.Combine(), ev.Priority, pc.want)
				}
				if ev.Outcome != domain.OutcomeEligible {
					t.Errorf("%s: outcome %s (%v), want eligible: the priority never holds the decision", pc.p.Combine(), ev.Outcome, ev.ReviewWhy)
				}
			}
		})
	}
}

// An evaluation stored before priority had three states reads its boolean.
func TestPriorityState_ReadsOldBoolean(t *testing.T) {
	var ev domain.Evaluation
	if err := json.Unmarshal([]byte(`{"Priority":true}`), &ev); err != nil || ev.Priority != domain.PriorityYes {
		t.Fatalf("true: %v %q", err, ev.Priority)
	}
	if err := json.Unmarshal([]byte(`{"Priority":"unknown"}`), &ev); err != nil || ev.Priority != domain.PriorityUnknown {
		t.Fatalf("unknown: %v %q", err, ev.Priority)
	}
}

func TestEligibilityPolicy_Validate_CombineAndAutoReject(t *testing.T) {
	p := domain.DefaultEligibilityPolicy()
	p.PriorityCombine = "xor"
	if e := domain.AsError(p.Validate()); e == nil || e.Problems[0].Key != "imk.policy_priority_combine" {
		t.Fatalf("combine xor: %v", e)
	}
	p = domain.DefaultEligibilityPolicy()
	p.AutoReject = append(p.AutoReject, domain.RulePriorityLKI)
	if e := domain.AsError(p.Validate()); e == nil || e.Problems[0].Key != "imk.policy_auto_reject" {
		t.Fatalf("auto-reject priority_lki: %v", e)
	}
}
