package contracttest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// PolicyHarness is an implementation of domain.PolicyService with what the
// suite needs around it. It starts, as a migrated database does, with the
// default policy (domain.DefaultEligibilityPolicy) approved as version 1,
// in force since always.
type PolicyHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.PolicyService
}

// polEnv is one run of the suite: a fresh harness, an editor and an
// administrator.
type polEnv struct {
	h             PolicyHarness
	svc           domain.PolicyService
	anna, berta   *domain.Operator
	annaC, bertaC context.Context
}

func (e *polEnv) draft(t *testing.T, name string) *domain.EligibilityPolicy {
	t.Helper()
	p := domain.DefaultEligibilityPolicy()
	p.Name, p.MinAge = name, 20
	d, err := e.svc.DraftPolicy(e.annaC, &p)
	must(t, "draft "+name, err)
	return d
}

// RunPolicyService runs the target-group policy's suite, each test on a
// harness of its own from newHarness.
func RunPolicyService(t *testing.T, newHarness func(t *testing.T) PolicyHarness) {
	run := func(name string, f func(t *testing.T, e *polEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &polEnv{h: h, svc: h.Service()}
			e.anna = h.Operator(t, "anna.kalnina", "Anna Kalniņa", "anna.kalnina@viaa.gov.lv", domain.RoleEditor)
			e.berta = h.Operator(t, "berta.liepa", "Berta Liepa", "berta.liepa@viaa.gov.lv", domain.RoleAdmin)
			e.annaC, e.bertaC = As(t, e.anna, "s-anna"), As(t, e.berta, "s-berta")
			f(t, e)
		})
	}

	run("Draft_CheckedAndNumbered", func(t *testing.T, e *polEnv) {
		list, err := e.svc.ListPolicies(e.annaC)
		must(t, "list", err)
		if len(list) != 1 || list[0].Version != 1 || list[0].State != domain.PolicyApproved {
			t.Fatalf("a fresh service holds %d versions (%+v), want the default approved", len(list), list)
		}
		d := e.draft(t, "  Jaunā politika  ")
		if d.ID == 0 || d.Version != 2 || d.State != domain.PolicyDraft || d.DraftedBy != e.anna.ID || d.Name != "Jaunā politika" ||
			d.MinAge != 20 || d.ApprovedBy != 0 {
			t.Errorf("the draft: %+v", d)
		}
		if got, err := e.svc.FindPolicy(e.bertaC, d.ID); err != nil || got.Version != 2 || got.Name != "Jaunā politika" {
			t.Errorf("find the draft: %+v, %v", got, err)
		}
		if next := e.draft(t, "Vēl viena"); next.Version != 3 {
			t.Errorf("the next draft is version %d, want 3", next.Version)
		}
		bad := domain.DefaultEligibilityPolicy()
		bad.Name, bad.MinAge = "Nederīga", -1
		_, err = e.svc.DraftPolicy(e.annaC, &bad)
		wantErr(t, "a negative age", err, domain.EINVALID, "imk.policy_invalid")
		for _, name := range []string{"   ", strings.Repeat("n", domain.PolicyNameMaxLength+1)} {
			p := domain.DefaultEligibilityPolicy()
			p.Name = name
			_, err = e.svc.DraftPolicy(e.annaC, &p)
			wantErr(t, "a name of "+name[:1], err, domain.EINVALID, "imk.policy_name_required")
		}
		list, err = e.svc.ListPolicies(e.annaC)
		must(t, "list", err)
		if len(list) != 3 || list[0].Version != 3 || list[2].Version != 1 {
			t.Errorf("the list, newest first: %d versions", len(list))
		}
		_, err = e.svc.FindPolicy(e.annaC, d.ID+1000)
		wantErr(t, "no such version", err, domain.ENOTFOUND, "imk.policy_not_found")
	})

	// ¶26.4, GDPR Art. 22 (issue 16): the rules that reject
	// automatically and how the priorities combine are versioned with
	// the rest; the default version leaves "studying" to a person.
	run("Draft_KeepsAutoRejectAndCombine_P26_4", func(t *testing.T, e *polEnv) {
		list, err := e.svc.ListPolicies(e.annaC)
		must(t, "list", err)
		if v1 := list[0]; v1.Combine() != domain.PriorityAnyOf || v1.AutoRejects(domain.RuleStudying) || !v1.AutoRejects(domain.RuleAlive) {
			t.Errorf("the default version: combine %q, auto-reject %v", v1.PriorityCombine, v1.AutoReject)
		}
		p := domain.DefaultEligibilityPolicy()
		p.Name, p.PriorityCombine = "Un", domain.PriorityAllOf
		p.AutoReject = []string{domain.RuleStudying, domain.RuleAge, domain.RuleAge}
		d, err := e.svc.DraftPolicy(e.annaC, &p)
		must(t, "draft", err)
		got, err := e.svc.FindPolicy(e.bertaC, d.ID)
		must(t, "find", err)
		if got.PriorityCombine != domain.PriorityAllOf || !slices.Equal(got.AutoReject, []string{domain.RuleAge, domain.RuleStudying}) {
			t.Errorf("kept combine %q, auto-reject %v; want and, [age studying]", got.PriorityCombine, got.AutoReject)
		}
		p.Name, p.AutoReject = "Neviens", nil
		d, err = e.svc.DraftPolicy(e.annaC, &p)
		must(t, "draft without auto-reject", err)
		if got, _ := e.svc.FindPolicy(e.bertaC, d.ID); got == nil || len(got.AutoReject) != 0 {
			t.Errorf("no rule named: %+v", got)
		}
		p.AutoReject = []string{domain.RulePriorityAge}
		_, err = e.svc.DraftPolicy(e.annaC, &p)
		wantErr(t, "a priority rule rejecting", err, domain.EINVALID, "imk.policy_invalid")
		p.AutoReject, p.PriorityCombine = nil, "xor"
		_, err = e.svc.DraftPolicy(e.annaC, &p)
		wantErr(t, "an unknown combination", err, domain.EINVALID, "imk.policy_invalid")
	})

	run("Approve_FourEyesAndTheEffectiveDate", func(t *testing.T, e *polEnv) {
		d := e.draft(t, "Jaunā politika")
		_, err := e.svc.ApprovePolicy(e.annaC, d.ID, time.Time{})
		wantErr(t, "the drafter", err, domain.EFORBIDDEN, "imk.policy_own_draft")
		_, err = e.svc.ApprovePolicy(As(t, e.anna, "s-anna-2"), d.ID, time.Time{})
		wantErr(t, "the drafter in another session", err, domain.EFORBIDDEN, "imk.policy_own_draft")
		_, err = e.svc.ApprovePolicy(e.bertaC, d.ID, e.h.Now().Add(-time.Hour))
		wantErr(t, "a date in the past", err, domain.EINVALID, "imk.policy_past")
		before := e.h.Now()
		e.h.Advance(time.Minute)
		got, err := e.svc.ApprovePolicy(e.bertaC, d.ID, time.Time{})
		must(t, "approve from now", err)
		if got.State != domain.PolicyApproved || got.ApprovedBy != e.berta.ID || !near(got.EffectiveFrom, e.h.Now()) {
			t.Errorf("approved: %s by %d from %v", got.State, got.ApprovedBy, got.EffectiveFrom)
		}
		_, err = e.svc.ApprovePolicy(e.bertaC, d.ID, time.Time{})
		wantErr(t, "approve again", err, domain.ECONFLICT, "imk.policy_not_draft")
		_, err = e.svc.ApprovePolicy(e.bertaC, d.ID+1000, time.Time{})
		wantErr(t, "no such version", err, domain.ENOTFOUND, "imk.policy_not_found")

		later := e.draft(t, "Nākamā politika")
		from := e.h.Now().Add(48 * time.Hour)
		got, err = e.svc.ApprovePolicy(e.bertaC, later.ID, from)
		must(t, "approve from a later date", err)
		if !got.EffectiveFrom.Equal(from.UTC().Truncate(time.Microsecond)) {
			t.Errorf("in force from %v, want %v", got.EffectiveFrom, from)
		}
		for _, tc := range []struct {
			at      time.Time
			version int
		}{{before, 1}, {e.h.Now(), 2}, {from.Add(time.Hour), 3}} {
			p, err := e.svc.PolicyInForce(e.bertaC, tc.at)
			must(t, "in force", err)
			if p.Version != tc.version {
				t.Errorf("in force at %v: version %d, want %d", tc.at, p.Version, tc.version)
			}
		}
	})

	run("Discard_DraftsOnly", func(t *testing.T, e *polEnv) {
		d := e.draft(t, "Izmetamā")
		must(t, "discard", e.svc.DiscardPolicy(e.bertaC, d.ID))
		_, err := e.svc.FindPolicy(e.annaC, d.ID)
		wantErr(t, "discarded", err, domain.ENOTFOUND, "imk.policy_not_found")
		wantErr(t, "discard again", e.svc.DiscardPolicy(e.bertaC, d.ID), domain.ENOTFOUND, "imk.policy_not_found")
		list, err := e.svc.ListPolicies(e.annaC)
		must(t, "list", err)
		wantErr(t, "discard the version in force", e.svc.DiscardPolicy(e.annaC, list[0].ID), domain.ECONFLICT, "imk.policy_not_draft")
	})
}
