package contracttest

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// IMKHarness is an implementation of domain.IMKService with what the suite
// needs around it.
type IMKHarness interface {
	Clock
	Looks
	Staff
	// Service returns the implementation under test.
	Service() domain.IMKService
	// SeedIMK stores an application as the automatic check left it and
	// returns its id. The suite fills in every field it uses.
	SeedIMK(t *testing.T, s IMKSeed) int64
}

// IMKSeed is an application as the automatic check left it: in review,
// still being checked, or suspended. Decisions are reached through the
// service.
type IMKSeed struct {
	State        domain.IMKState // IMKNeedsReview, IMKChecking or IMKSuspended
	PersonalCode string
	FirstName    string
	LastName     string
	Email        string
	Age          time.Duration // since the application
	// TermsNotAccepted, when set, is the number of the terms version in
	// force that the person has not accepted (¶26.2); the harness puts
	// such a version in force.
	TermsNotAccepted string
}

type imkEnv struct {
	h            IMKHarness
	svc          domain.IMKService
	anna, janis  *domain.Operator
	annaC, janiC context.Context
}

func (e *imkEnv) seed(t *testing.T, s IMKSeed) int64 {
	t.Helper()
	return e.h.SeedIMK(t, s.filled())
}

// filled returns s with every field it does not name filled in.
func (s IMKSeed) filled() IMKSeed {
	n := int(seedSeq.Add(1))
	if s.State == "" {
		s.State = domain.IMKNeedsReview
	}
	if s.PersonalCode == "" {
		s.PersonalCode = PersonalCode(n)
	}
	if s.FirstName == "" {
		s.FirstName, s.LastName = "Marta", "Liepa"
	}
	if s.Email == "" {
		s.Email = "klients" + strconv.Itoa(n) + "@example.lv"
	}
	if s.Age == 0 {
		s.Age = time.Hour
	}
	return s
}

func (e *imkEnv) find(t *testing.T, id int64) *domain.IMKApplication {
	t.Helper()
	a, err := e.svc.FindIMK(Machine(t), id)
	must(t, "find application", err)
	return a
}

// RunIMKService runs the IMK review queue's suite, each test on a harness
// of its own from newHarness.
func RunIMKService(t *testing.T, newHarness func(t *testing.T) IMKHarness) {
	run := func(name string, f func(t *testing.T, e *imkEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &imkEnv{h: h, svc: h.Service()}
			e.anna = h.Operator(t, "anna.kalnina", "Anna Kalniņa", "anna.kalnina@viaa.gov.lv", domain.RoleReviewer)
			e.janis = h.Operator(t, "janis.berzins", "Jānis Bērziņš", "janis.berzins@viaa.gov.lv", domain.RoleReviewer)
			e.annaC, e.janiC = As(t, e.anna, "s-anna"), As(t, e.janis, "s-janis")
			f(t, e)
		})
	}

	run("Claim_RenewConflictReleaseLapse", func(t *testing.T, e *imkEnv) {
		id := e.seed(t, IMKSeed{})
		v := e.find(t, id).Version
		a, err := e.svc.ClaimIMK(e.annaC, id)
		must(t, "claim", err)
		if a.ClaimedBy != e.anna.ID || a.ClaimedByName != "Anna Kalniņa" || a.Version != v ||
			!near(a.ClaimExpiresAt, e.h.Now().Add(domain.ClaimLease)) {
			t.Errorf("claimed: by %d %q v%d until %v", a.ClaimedBy, a.ClaimedByName, a.Version, a.ClaimExpiresAt)
		}
		_, err = e.svc.ClaimIMK(e.annaC, id)
		must(t, "renew", err)
		_, err = e.svc.ClaimIMK(e.janiC, id)
		wantErr(t, "held", err, domain.ECONFLICT, "imk.claimed")
		wantArgs(t, "held", err, "Anna Kalniņa")
		must(t, "another's release", e.svc.ReleaseIMK(e.janiC, id))
		if got := e.find(t, id); got.ClaimedBy != e.anna.ID {
			t.Fatalf("another's release freed it: %d", got.ClaimedBy)
		}
		must(t, "release", e.svc.ReleaseIMK(e.annaC, id))
		_, err = e.svc.ClaimIMK(e.janiC, id)
		must(t, "claim after the release", err)
		e.h.Advance(domain.ClaimLease)
		_, err = e.svc.ClaimIMK(e.annaC, id)
		must(t, "claim after the lease ran out", err)

		checking := e.seed(t, IMKSeed{State: domain.IMKChecking})
		_, err = e.svc.ClaimIMK(e.annaC, checking)
		wantErr(t, "claim while checked", err, domain.EINVALID, "imk.not_in_review")
		_, err = e.svc.ClaimIMK(e.annaC, 999999)
		wantErr(t, "claim missing", err, domain.ENOTFOUND, "imk.not_found")
	})

	run("ReleaseSessionClaims_OnlyTheSessionsOwn", func(t *testing.T, e *imkEnv) {
		s1, s2 := As(t, e.anna, "s1"), As(t, e.anna, "s2")
		a, b := e.seed(t, IMKSeed{}), e.seed(t, IMKSeed{})
		_, err := e.svc.ClaimIMK(s1, a)
		must(t, "claim", err)
		_, err = e.svc.ClaimIMK(s2, b)
		must(t, "claim", err)
		wantErr(t, "another's session", e.svc.ReleaseSessionClaims(e.janiC, "s1"), domain.EFORBIDDEN, "access.other_session")
		ended, cancel := context.WithCancel(s1)
		cancel()
		must(t, "release s1", e.svc.ReleaseSessionClaims(ended, "s1"))
		if got := e.find(t, a).ClaimedBy; got != 0 {
			t.Errorf("s1's claim is held by %d", got)
		}
		if got := e.find(t, b).ClaimedBy; got != e.anna.ID {
			t.Errorf("s2's claim was released: %d", got)
		}
	})

	run("Decide_ApproveAndReject", func(t *testing.T, e *imkEnv) {
		for _, approve := range []bool{true, false} {
			id := e.seed(t, IMKSeed{})
			_, err := e.svc.ClaimIMK(e.annaC, id)
			must(t, "claim", err)
			v := e.find(t, id).Version
			must(t, "decide", e.svc.DecideIMK(e.annaC, id, v, approve, "  atbilst mērķa grupai  "))
			a := e.find(t, id)
			want := domain.IMKRejected
			if approve {
				want = domain.IMKApproved
			}
			if a.State != want || a.Version <= v || a.ClaimedBy != 0 || a.DecidedBy != e.anna.ID ||
				a.DecidedByName != "Anna Kalniņa" || a.Reason != "atbilst mērķa grupai" {
				t.Errorf("decided: %s v%d held by %d by %d %q for %q", a.State, a.Version, a.ClaimedBy, a.DecidedBy, a.DecidedByName, a.Reason)
			}
		}
	})

	// ¶26.2: nothing of a person who has not accepted the terms in force
	// is approved; the reviewer sees why on the detail and the list row.
	run("Approve_RefusedWithoutTheTermsAccepted_P26_2", func(t *testing.T, e *imkEnv) {
		id := e.seed(t, IMKSeed{TermsNotAccepted: "2024-09-04"})
		a := e.find(t, id)
		if a.Terms == nil || a.Terms.Number != "2024-09-04" {
			t.Fatalf("detail Terms = %+v, want 2024-09-04 pending", a.Terms)
		}
		list, err := e.svc.ListIMK(e.annaC, domain.IMKFilter{})
		must(t, "list", err)
		if len(list) != 1 || list[0].Terms == nil {
			t.Fatalf("list rows %+v: want the flag", list)
		}
		_, err = e.svc.ClaimIMK(e.annaC, id)
		must(t, "claim", err)
		v := e.find(t, id).Version
		wantErr(t, "approve", e.svc.DecideIMK(e.annaC, id, v, true, "atbilst"), domain.ECONFLICT, "terms.not_accepted")
		must(t, "reject", e.svc.DecideIMK(e.annaC, id, v, false, "nav apstiprināti noteikumi"))
	})

	run("Decide_Refusals", func(t *testing.T, e *imkEnv) {
		id := e.seed(t, IMKSeed{})
		v := e.find(t, id).Version
		wantErr(t, "no reason", e.svc.DecideIMK(e.annaC, id, v, true, " "), domain.EINVALID, "imk.reason_required")
		wantErr(t, "too long", e.svc.DecideIMK(e.annaC, id, v, true, strings.Repeat("x", domain.IMKReasonMaxLength+1)),
			domain.EINVALID, "imk.reason_too_long")
		wantErr(t, "stale", e.svc.DecideIMK(e.annaC, id, v+1, true, "ok"), domain.ECONFLICT, "imk.changed")
		_, err := e.svc.ClaimIMK(e.janiC, id)
		must(t, "claim", err)
		err = e.svc.DecideIMK(e.annaC, id, v, true, "ok")
		wantErr(t, "held", err, domain.ECONFLICT, "imk.claimed")
		wantArgs(t, "held", err, "Jānis Bērziņš")
		must(t, "janis decides", e.svc.DecideIMK(e.janiC, id, v, false, "neatbilst"))
		err = e.svc.DecideIMK(e.annaC, id, v, true, "ok")
		wantErr(t, "decided", err, domain.ECONFLICT, "imk.decided")
		wantArgs(t, "decided", err, "Jānis Bērziņš")
		if a := e.find(t, id); a.State != domain.IMKRejected || a.DecidedBy != e.janis.ID {
			t.Errorf("the first decision was overwritten: %s by %d", a.State, a.DecidedBy)
		}
		susp := e.seed(t, IMKSeed{State: domain.IMKSuspended})
		wantErr(t, "suspended", e.svc.DecideIMK(e.annaC, susp, e.find(t, susp).Version, true, "ok"), domain.EINVALID, "imk.not_in_review")
		_, err = e.svc.Refetch(e.annaC, id)
		wantErr(t, "refetch decided", err, domain.ECONFLICT, "imk.decided")
	})

	run("Refetch_KeepsItInReviewAndClaimed", func(t *testing.T, e *imkEnv) {
		id := e.seed(t, IMKSeed{})
		v := e.find(t, id).Version
		a, err := e.svc.Refetch(e.annaC, id)
		must(t, "refetch", err)
		if a.State != domain.IMKNeedsReview || a.ClaimedBy != e.anna.ID || a.Version <= v {
			t.Errorf("after a refetch: %s held by %d v%d (was v%d)", a.State, a.ClaimedBy, a.Version, v)
		}
		_, err = e.svc.Refetch(e.janiC, id)
		wantErr(t, "refetch held", err, domain.ECONFLICT, "imk.claimed")
	})

	run("List_FiltersPagingAndSearch", func(t *testing.T, e *imkEnv) {
		a := e.seed(t, IMKSeed{Age: 3 * time.Hour, FirstName: "Pēteris", LastName: "Ozols"})
		e.seed(t, IMKSeed{State: domain.IMKChecking, Age: 2 * time.Hour})
		c := e.seed(t, IMKSeed{Age: time.Hour})
		susp := e.seed(t, IMKSeed{State: domain.IMKSuspended, Age: time.Hour})
		ids := func(f domain.IMKFilter) []int64 {
			t.Helper()
			list, err := e.svc.ListIMK(e.annaC, f)
			must(t, "list", err)
			var out []int64
			for _, x := range list {
				out = append(out, x.ID)
			}
			return out
		}
		want := func(what string, got []int64, want ...int64) {
			t.Helper()
			if !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", what, got, want)
			}
		}
		want("in review, oldest first", ids(domain.IMKFilter{}), a, c)
		want("suspended", ids(domain.IMKFilter{States: []domain.IMKState{domain.IMKSuspended}}), susp)
		want("first page", ids(domain.IMKFilter{Limit: 1}), a)
		first := e.find(t, a)
		want("second page", ids(domain.IMKFilter{Limit: 1, AfterApplied: first.AppliedAt, AfterID: first.ID}), c)
		want("start of the last name", ids(domain.IMKFilter{Search: "ozo"}), a)
		want("whole code", ids(domain.IMKFilter{Search: first.PersonalCode}), a)
		_, err := e.svc.ListIMK(e.annaC, domain.IMKFilter{Search: first.PersonalCode[:6]})
		wantErr(t, "part of a code", err, domain.EINVALID, "search.whole_code")
	})

	run("RevealPersonalCode_AndFind_AreCounted", func(t *testing.T, e *imkEnv) {
		id := e.seed(t, IMKSeed{})
		want := e.find(t, id).PersonalCode
		if n := e.h.Views(t, e.anna); n != 0 {
			t.Fatalf("views before any read: %d", n)
		}
		_, err := e.svc.FindIMK(e.annaC, id)
		must(t, "find", err)
		if n := e.h.Views(t, e.anna); n != 1 {
			t.Errorf("views counted: %d, want 1", n)
		}
		code, err := e.svc.RevealPersonalCode(e.annaC, id, "pārbaude")
		must(t, "reveal", err)
		if code != want || e.h.Reveals(t, e.anna) != 1 {
			t.Errorf("revealed %q (want %q), %d reveals counted", code, want, e.h.Reveals(t, e.anna))
		}
		_, err = e.svc.RevealPersonalCode(e.annaC, id, "")
		wantErr(t, "no reason", err, domain.EINVALID, "reveal.reason_required")
		_, err = e.svc.RevealPersonalCode(e.annaC, 999999, "x")
		wantErr(t, "missing", err, domain.ENOTFOUND, "imk.not_found")
		if n := e.h.Reveals(t, e.anna); n != 1 {
			t.Errorf("refused reveals counted: %d", n)
		}
	})
}
