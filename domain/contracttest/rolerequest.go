package contracttest

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// RoleRequestHarness is an implementation of domain.RoleRequestService
// with what the suite needs around it.
type RoleRequestHarness interface {
	Clock
	Looks
	Staff
	// Service returns the implementation under test.
	Service() domain.RoleRequestService
	// SeedRoleRequest stores a request as the Platform left it and returns
	// its id. The suite fills in every field it uses.
	SeedRoleRequest(t *testing.T, s RoleRequestSeed) int64
}

// RoleRequestSeed is a request as the Platform left it: unconfirmed,
// pending (e-mail confirmed), waiting at an institution (a career
// consultant of one, e-mail confirmed), or expired. The states decisions
// lead to are reached through the service.
type RoleRequestSeed struct {
	State              domain.RoleRequestState // StateUnconfirmed, StatePending, StateAtInstitution or StateExpired
	Kind               domain.RoleRequestKind
	FirstName          string
	LastName           string
	PersonalCode       string // "" for the institution kinds
	Email              string
	InstitutionName    string // KindInstitution
	CompanyRegNumber   string // KindInstitution: 11 digits
	EducationRegNumber string // KindInstitution: 10 digits
	// Age is how long ago the request was submitted and, but for the
	// unconfirmed and expired, its e-mail confirmed.
	Age time.Duration
	// TermsNotAccepted, when set, is the number of the terms version in
	// force that the applicant has not accepted (¶26.2); the harness puts
	// such a version in force.
	TermsNotAccepted string
}

// seedSeq makes every seeded person distinct.
var seedSeq atomic.Int64

// rrEnv is one run of the suite: a fresh harness and two reviewers.
type rrEnv struct {
	h            RoleRequestHarness
	svc          domain.RoleRequestService
	anna, janis  *domain.Operator
	annaC, janiC context.Context
}

func newRREnv(t *testing.T, newHarness func(t *testing.T) RoleRequestHarness) *rrEnv {
	h := newHarness(t)
	e := &rrEnv{h: h, svc: h.Service()}
	e.anna = h.Operator(t, "anna.kalnina", "Anna Kalniņa", "anna.kalnina@viaa.gov.lv", domain.RoleReviewer)
	e.janis = h.Operator(t, "janis.berzins", "Jānis Bērziņš", "janis.berzins@viaa.gov.lv", domain.RoleReviewer)
	e.annaC, e.janiC = As(t, e.anna, "s-anna"), As(t, e.janis, "s-janis")
	return e
}

// seed stores a request of state, with every field filled in unless s
// names it.
func (e *rrEnv) seed(t *testing.T, s RoleRequestSeed) int64 {
	t.Helper()
	return e.h.SeedRoleRequest(t, s.filled())
}

// filled returns s with every field it does not name filled in.
func (s RoleRequestSeed) filled() RoleRequestSeed {
	n := int(seedSeq.Add(1))
	if s.Kind == "" {
		s.Kind = domain.KindMunicipalCoordinator
		if s.State == domain.StateAtInstitution {
			s.Kind = domain.KindCareerConsultant
		}
	}
	if s.FirstName == "" && s.Kind != domain.KindInstitution {
		s.FirstName, s.LastName = "Līga", "Kalniņa"
	}
	if s.PersonalCode == "" && s.Kind != domain.KindInstitution && s.Kind != domain.KindInstitutionStaff {
		s.PersonalCode = PersonalCode(n)
	}
	if s.Email == "" {
		s.Email = "pieteicejs" + strconv.Itoa(n) + "@example.lv"
	}
	if s.Kind == domain.KindInstitution {
		if s.InstitutionName == "" {
			s.InstitutionName = "Rīgas " + strconv.Itoa(n) + ". tehnikums"
		}
		if s.CompanyRegNumber == "" {
			s.CompanyRegNumber = "4" + pad(n, 10)
		}
		if s.EducationRegNumber == "" {
			s.EducationRegNumber = "3" + pad(n, 9)
		}
	}
	if s.Age == 0 {
		s.Age = time.Hour
	}
	return s
}

func (e *rrEnv) pending(t *testing.T) int64 {
	return e.seed(t, RoleRequestSeed{State: domain.StatePending})
}

// find reads a request as the back office itself, which counts no view.
func (e *rrEnv) find(t *testing.T, id int64) *domain.RoleRequest {
	t.Helper()
	r, err := e.svc.FindRoleRequest(Machine(t), id)
	must(t, "find request "+strconv.FormatInt(id, 10), err)
	return r
}

// decide calls the decision named by a with the texts it needs.
func (e *rrEnv) decide(ctx context.Context, a domain.RoleRequestAction, id, version int64) error {
	d := domain.Decision{RequestID: id, Version: version}
	switch a {
	case domain.RoleRequestApprove:
		d.ValidUntil = e.h.Now().AddDate(1, 0, 0)
		return e.svc.Approve(ctx, d)
	case domain.RoleRequestReject:
		d.ReasonCode = "incomplete"
		return e.svc.Reject(ctx, d)
	case domain.RoleRequestAskInfo:
		d.InfoMessage = "Lūdzu, atsūtiet diplomu."
		return e.svc.RequestInfo(ctx, d)
	}
	panic("not a decision: " + string(a))
}

// RunRoleRequestService runs the role-request queue's suite, each test on
// a harness of its own from newHarness.
func RunRoleRequestService(t *testing.T, newHarness func(t *testing.T) RoleRequestHarness) {
	run := func(name string, f func(t *testing.T, e *rrEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f(t, newRREnv(t, newHarness))
		})
	}

	run("Claim_RenewConflictReleaseLapse", func(t *testing.T, e *rrEnv) {
		id := e.pending(t)
		before := e.find(t, id)
		r, err := e.svc.ClaimRoleRequest(e.annaC, id)
		must(t, "claim", err)
		if r.ClaimedBy != e.anna.ID || r.ClaimedByName != "Anna Kalniņa" || !near(r.ClaimExpiresAt, e.h.Now().Add(domain.ClaimLease)) {
			t.Errorf("claimed: by %d %q until %v", r.ClaimedBy, r.ClaimedByName, r.ClaimExpiresAt)
		}
		if r.Version != before.Version {
			t.Errorf("a claim changed the version: %d → %d", before.Version, r.Version)
		}
		e.h.Advance(time.Minute)
		r, err = e.svc.ClaimRoleRequest(e.annaC, id)
		must(t, "renew", err)
		if !near(r.ClaimExpiresAt, e.h.Now().Add(domain.ClaimLease)) {
			t.Errorf("renewed until %v", r.ClaimExpiresAt)
		}
		_, err = e.svc.ClaimRoleRequest(e.janiC, id)
		wantErr(t, "claim held by another", err, domain.ECONFLICT, "rolerequest.claimed")
		wantArgs(t, "claim held by another", err, "Anna Kalniņa")

		must(t, "release by someone who holds nothing", e.svc.ReleaseRoleRequest(e.janiC, id))
		if got := e.find(t, id); got.ClaimedBy != e.anna.ID {
			t.Fatalf("another's release freed it: held by %d", got.ClaimedBy)
		}
		must(t, "release", e.svc.ReleaseRoleRequest(e.annaC, id))
		if got := e.find(t, id); got.ClaimedBy != 0 {
			t.Fatalf("still held by %d after the release", got.ClaimedBy)
		}
		_, err = e.svc.ClaimRoleRequest(e.janiC, id)
		must(t, "claim after the release", err)
		e.h.Advance(domain.ClaimLease)
		if got := e.find(t, id); got.ClaimedBy != 0 {
			t.Errorf("a lapsed claim still shows: held by %d", got.ClaimedBy)
		}
		r, err = e.svc.ClaimRoleRequest(e.annaC, id)
		must(t, "claim after the lease ran out", err)
		if r.ClaimedBy != e.anna.ID {
			t.Errorf("held by %d", r.ClaimedBy)
		}
	})

	run("Claim_Refusals", func(t *testing.T, e *rrEnv) {
		own := e.seed(t, RoleRequestSeed{State: domain.StatePending, Email: "ANNA.KALNINA@viaa.gov.lv"})
		_, err := e.svc.ClaimRoleRequest(e.annaC, own)
		wantErr(t, "claim own", err, domain.EFORBIDDEN, "rolerequest.own")

		decided := e.pending(t)
		must(t, "approve", e.decide(e.janiC, domain.RoleRequestApprove, decided, e.find(t, decided).Version))
		_, err = e.svc.ClaimRoleRequest(e.annaC, decided)
		wantErr(t, "claim decided", err, domain.ECONFLICT, "rolerequest.decided")
		wantArgs(t, "claim decided", err, "Jānis Bērziņš")

		expired := e.seed(t, RoleRequestSeed{State: domain.StateExpired})
		_, err = e.svc.ClaimRoleRequest(e.annaC, expired)
		wantErr(t, "claim expired", err, domain.EINVALID, "rolerequest.expired")

		_, err = e.svc.ClaimRoleRequest(e.annaC, 999999)
		wantErr(t, "claim missing", err, domain.ENOTFOUND, "rolerequest.not_found")

		for _, st := range []domain.RoleRequestState{domain.StateUnconfirmed, domain.StateAtInstitution} {
			id := e.seed(t, RoleRequestSeed{State: st})
			_, err := e.svc.ClaimRoleRequest(e.annaC, id)
			must(t, "claim "+string(st), err)
		}
	})

	run("ReleaseSessionClaims_OnlyTheSessionsOwn", func(t *testing.T, e *rrEnv) {
		s1, s2 := As(t, e.anna, "s1"), As(t, e.anna, "s2")
		a, b, c := e.pending(t), e.pending(t), e.pending(t)
		for _, x := range []struct {
			ctx context.Context
			id  int64
		}{{s1, a}, {s1, b}, {s2, c}} {
			_, err := e.svc.ClaimRoleRequest(x.ctx, x.id)
			must(t, "claim", err)
		}
		wantErr(t, "another's session", e.svc.ReleaseSessionClaims(e.janiC, "s2"), domain.EFORBIDDEN, "access.other_session")
		must(t, "no session", e.svc.ReleaseSessionClaims(s1, " "))
		if got := e.find(t, a); got.ClaimedBy != e.anna.ID {
			t.Fatalf("an empty session id released %d", a)
		}
		ended, cancel := context.WithCancel(s1)
		cancel()
		must(t, "release s1 with an ended context", e.svc.ReleaseSessionClaims(ended, "s1"))
		for id, want := range map[int64]int64{a: 0, b: 0, c: e.anna.ID} {
			if got := e.find(t, id).ClaimedBy; got != want {
				t.Errorf("request %d held by %d, want %d", id, got, want)
			}
		}
		must(t, "the back office releases s2", e.svc.ReleaseSessionClaims(Machine(t), "s2"))
		if got := e.find(t, c).ClaimedBy; got != 0 {
			t.Errorf("s2's claim is still held by %d", got)
		}
	})

	run("Decisions_FromPending", func(t *testing.T, e *rrEnv) {
		for _, a := range domain.RoleRequestDecisions {
			id := e.pending(t)
			_, err := e.svc.ClaimRoleRequest(e.annaC, id)
			must(t, "claim", err)
			v := e.find(t, id).Version
			must(t, string(a), e.decide(e.annaC, a, id, v))
			r := e.find(t, id)
			want := map[domain.RoleRequestAction]domain.RoleRequestState{
				domain.RoleRequestApprove: domain.StateApproved, domain.RoleRequestReject: domain.StateRejected,
				domain.RoleRequestAskInfo: domain.StateInfoRequested,
			}[a]
			if r.State != want || r.Version <= v || r.ClaimedBy != 0 {
				t.Errorf("%s: state %s version %d→%d held by %d", a, r.State, v, r.Version, r.ClaimedBy)
			}
			switch a {
			case domain.RoleRequestApprove:
				if r.DecidedBy != e.anna.ID || r.DecidedByName != "Anna Kalniņa" || r.ValidUntil.IsZero() {
					t.Errorf("approved by %d %q until %v", r.DecidedBy, r.DecidedByName, r.ValidUntil)
				}
			case domain.RoleRequestReject:
				if r.ReasonCode != "incomplete" || r.DecidedByName != "Anna Kalniņa" {
					t.Errorf("rejected by %q for %q", r.DecidedByName, r.ReasonCode)
				}
			case domain.RoleRequestAskInfo:
				if r.InfoMessage != "Lūdzu, atsūtiet diplomu." {
					t.Errorf("info message %q", r.InfoMessage)
				}
			}
		}
		// Unclaimed is fine as long as nobody else holds it.
		id := e.pending(t)
		must(t, "approve unclaimed", e.decide(e.annaC, domain.RoleRequestApprove, id, e.find(t, id).Version))
	})

	// ¶26.2: the applicant who has not accepted the terms in force is
	// shown as such (detail and list row) and their approval refused;
	// rejecting stays possible.
	run("Approve_RefusedWithoutTheTermsAccepted_P26_2", func(t *testing.T, e *rrEnv) {
		id := e.seed(t, RoleRequestSeed{State: domain.StatePending, TermsNotAccepted: "2024-09-04"})
		r := e.find(t, id)
		if r.Terms == nil || r.Terms.Number != "2024-09-04" {
			t.Fatalf("detail Terms = %+v, want 2024-09-04 pending", r.Terms)
		}
		list, err := e.svc.ListRoleRequests(e.annaC, domain.RoleRequestFilter{})
		must(t, "list", err)
		if len(list) != 1 || list[0].Terms == nil || list[0].Terms.Number != "2024-09-04" {
			t.Fatalf("list rows %+v: want the flag", list)
		}
		wantErr(t, "approve", e.decide(e.annaC, domain.RoleRequestApprove, id, r.Version), domain.ECONFLICT, "terms.not_accepted")
		if got := e.find(t, id); got.State != domain.StatePending || got.Version != r.Version {
			t.Errorf("after the refusal: %s v%d", got.State, got.Version)
		}
		must(t, "reject", e.decide(e.annaC, domain.RoleRequestReject, id, r.Version))
	})

	// ¶32.1: the role an approval granted is the person's assignment; a
	// reviewer extends it, ends it and renews it, each with a reason, and
	// each step is refused where it does not fit.
	run("Assignments_ExtendEndRenew_P32_1", func(t *testing.T, e *rrEnv) {
		id := e.pending(t)
		must(t, "approve", e.decide(e.annaC, domain.RoleRequestApprove, id, e.find(t, id).Version))
		list, err := e.svc.PersonAssignments(e.janiC, id)
		must(t, "assignments", err)
		if len(list) != 1 || !list[0].Running() || !list[0].ValidUntil.Equal(e.find(t, id).ValidUntil) || list[0].RequestID != id {
			t.Fatalf("after the approval: %d assignments %+v", len(list), list)
		}
		_, err = e.svc.PersonAssignments(e.janiC, id+100000)
		wantErr(t, "no such request", err, domain.ENOTFOUND, "rolerequest.not_found")
		a := list[0].ID
		until := e.h.Now().Add(500 * 24 * time.Hour).UTC().Truncate(time.Second)
		change := func(act domain.AssignmentAction, id int64, reason string) error {
			return e.svc.ChangeAssignment(e.janiC, domain.AssignmentChange{AssignmentID: id, Action: act, ValidUntil: until, Reason: reason})
		}
		wantErr(t, "no reason", change(domain.AssignmentExtend, a, " "), domain.EINVALID, "assignment.reason_required")
		wantErr(t, "renew a running one", change(domain.AssignmentRenew, a, "atjaunots"), domain.ECONFLICT, "assignment.running")
		wantErr(t, "no such assignment", change(domain.AssignmentEnd, a+100000, "beigts"), domain.ENOTFOUND, "assignment.not_found")
		must(t, "extend", change(domain.AssignmentExtend, a, "pagarināts"))
		list, err = e.svc.PersonAssignments(e.janiC, id)
		must(t, "assignments", err)
		if !list[0].ValidUntil.Equal(until) {
			t.Errorf("extended until %v, want %v", list[0].ValidUntil, until)
		}
		must(t, "end", change(domain.AssignmentEnd, a, "beigts"))
		wantErr(t, "end again", change(domain.AssignmentEnd, a, "beigts"), domain.ECONFLICT, "assignment.ended")
		must(t, "renew", change(domain.AssignmentRenew, a, "atjaunots"))
		list, err = e.svc.PersonAssignments(e.janiC, id)
		must(t, "assignments", err)
		if len(list) != 2 || !list[0].Running() || list[0].ID == a || list[1].ID != a || list[1].EndReason != "beigts" {
			t.Errorf("after the renewal: %+v", list)
		}
	})

	run("Decisions_RefusedByState", func(t *testing.T, e *rrEnv) {
		for _, a := range domain.RoleRequestDecisions {
			for _, tc := range []struct {
				state     domain.RoleRequestState
				code, key string
			}{
				{domain.StateUnconfirmed, domain.EINVALID, "rolerequest.unconfirmed"},
				{domain.StateAtInstitution, domain.EINVALID, "rolerequest.at_institution"},
				{domain.StateExpired, domain.EINVALID, "rolerequest.expired"},
			} {
				id := e.seed(t, RoleRequestSeed{State: tc.state})
				r := e.find(t, id)
				wantErr(t, string(a)+" "+string(tc.state), e.decide(e.annaC, a, id, r.Version), tc.code, tc.key)
				if got := e.find(t, id); got.Version != r.Version || got.State != r.State {
					t.Errorf("%s %s changed it: %s v%d", a, tc.state, got.State, got.Version)
				}
			}
			// Asked for information, or decided, by someone else meanwhile:
			// the version Anna saw is stale, and the refusal says why.
			asked := e.pending(t)
			seen := e.find(t, asked).Version
			must(t, "ask", e.decide(e.janiC, domain.RoleRequestAskInfo, asked, seen))
			wantErr(t, string(a)+" asked meanwhile", e.decide(e.annaC, a, asked, seen), domain.ECONFLICT, "rolerequest.info_requested")

			decided := e.pending(t)
			seen = e.find(t, decided).Version
			must(t, "reject", e.decide(e.janiC, domain.RoleRequestReject, decided, seen))
			err := e.decide(e.annaC, a, decided, seen)
			wantErr(t, string(a)+" decided meanwhile", err, domain.ECONFLICT, "rolerequest.decided")
			wantArgs(t, string(a)+" decided meanwhile", err, "Jānis Bērziņš")
			if got := e.find(t, decided); got.State != domain.StateRejected || got.DecidedBy != e.janis.ID {
				t.Errorf("the first decision was overwritten: %s by %d", got.State, got.DecidedBy)
			}
		}
	})

	run("Decisions_VersionClaimAndOwn", func(t *testing.T, e *rrEnv) {
		for _, a := range domain.RoleRequestDecisions {
			id := e.pending(t)
			r := e.find(t, id)
			wantErr(t, string(a)+" stale", e.decide(e.annaC, a, id, r.Version+1), domain.ECONFLICT, "rolerequest.changed")

			_, err := e.svc.ClaimRoleRequest(e.janiC, id)
			must(t, "claim", err)
			err = e.decide(e.annaC, a, id, r.Version)
			wantErr(t, string(a)+" held", err, domain.ECONFLICT, "rolerequest.claimed")
			wantArgs(t, string(a)+" held", err, "Jānis Bērziņš")

			own := e.seed(t, RoleRequestSeed{State: domain.StatePending, Email: e.anna.Email})
			wantErr(t, string(a)+" own", e.decide(e.annaC, a, own, e.find(t, own).Version), domain.EFORBIDDEN, "rolerequest.own")
			for _, x := range []int64{id, own} {
				if got := e.find(t, x); got.State != domain.StatePending {
					t.Errorf("%s: request %d is %s", a, x, got.State)
				}
			}
		}
	})

	run("Decisions_Texts", func(t *testing.T, e *rrEnv) {
		id := e.pending(t)
		v := e.find(t, id).Version
		d := domain.Decision{RequestID: id, Version: v}
		for _, tc := range []struct {
			name string
			call func(d domain.Decision) error
			set  func(d *domain.Decision)
			key  string
		}{
			{"reject without a reason", e.rejectCall(), func(d *domain.Decision) {}, "rolerequest.reason_unknown"},
			{"reject other without text", e.rejectCall(), func(d *domain.Decision) { d.ReasonCode = "other"; d.ReasonText = "  " }, "rolerequest.reason_text_required"},
			{"reject with too long a text", e.rejectCall(), func(d *domain.Decision) {
				d.ReasonCode, d.ReasonText = "other", strings.Repeat("ā", domain.MessageMaxLength+1)
			}, "rolerequest.text_too_long"},
			{"ask without a message", e.askCall(), func(d *domain.Decision) { d.InfoMessage = " " }, "rolerequest.info_message_required"},
			{"approve until yesterday", e.approveCall(), func(d *domain.Decision) { d.ValidUntil = e.h.Now().AddDate(0, 0, -1) }, "rolerequest.valid_until_past"},
			{"approve for a century", e.approveCall(), func(d *domain.Decision) { d.ValidUntil = e.h.Now().AddDate(100, 0, 0) }, "rolerequest.valid_until_too_far"},
		} {
			x := d
			tc.set(&x)
			wantErr(t, tc.name, tc.call(x), domain.EINVALID, tc.key)
		}
		if got := e.find(t, id); got.State != domain.StatePending || got.Version != v {
			t.Fatalf("a refused decision changed the request: %s v%d", got.State, got.Version)
		}
		// Without a validity end the configured default applies.
		cfg := e.svc.RoleRequestConfig()
		must(t, "approve with the default", e.svc.Approve(e.annaC, d))
		if got := e.find(t, id); !near(got.ValidUntil, e.h.Now().Add(cfg.DefaultValidity)) {
			t.Errorf("valid until %v, want now + %v", got.ValidUntil, cfg.DefaultValidity)
		}
	})

	run("ResendConfirmation", func(t *testing.T, e *rrEnv) {
		id := e.seed(t, RoleRequestSeed{State: domain.StateUnconfirmed, Age: time.Minute})
		v := e.find(t, id).Version
		must(t, "resend", e.svc.ResendConfirmation(e.annaC, id))
		if got := e.find(t, id); got.Version <= v || got.State != domain.StateUnconfirmed {
			t.Errorf("after the resend: %s v%d (was v%d)", got.State, got.Version, v)
		}
		wantErr(t, "resend pending", e.svc.ResendConfirmation(e.annaC, e.pending(t)), domain.EINVALID, "rolerequest.not_unconfirmed")

		_, err := e.svc.ClaimRoleRequest(e.janiC, id)
		must(t, "claim", err)
		err = e.svc.ResendConfirmation(e.annaC, id)
		wantErr(t, "resend held", err, domain.ECONFLICT, "rolerequest.claimed")

		e.h.Advance(domain.UnconfirmedLifetime)
		wantErr(t, "resend too late", e.svc.ResendConfirmation(e.janiC, id), domain.EINVALID, "rolerequest.expired")
	})

	run("TakeOver", func(t *testing.T, e *rrEnv) {
		cfg := e.svc.RoleRequestConfig()
		id := e.seed(t, RoleRequestSeed{State: domain.StateAtInstitution, Age: 24 * time.Hour})
		r := e.find(t, id)
		if r.State != domain.StateAtInstitution || r.Route != domain.RouteInstitution {
			t.Fatalf("seeded %s %s", r.State, r.Route)
		}
		d := domain.Decision{RequestID: id, Version: r.Version, ReasonText: "Iestāde neatbild."}
		err := e.svc.TakeOver(e.annaC, d)
		wantErr(t, "too early", err, domain.EINVALID, "rolerequest.takeover_too_early")
		wantArgs(t, "too early", err, cfg.TakeOverAfterDays)

		e.h.Advance(time.Duration(cfg.TakeOverAfterDays) * 24 * time.Hour)
		noReason := d
		noReason.ReasonText = " "
		wantErr(t, "no reason", e.svc.TakeOver(e.annaC, noReason), domain.EINVALID, "rolerequest.takeover_reason_required")
		wantErr(t, "stale", e.svc.TakeOver(e.annaC, domain.Decision{RequestID: id, Version: r.Version + 1, ReasonText: "x"}),
			domain.ECONFLICT, "rolerequest.changed")
		must(t, "take over", e.svc.TakeOver(e.annaC, d))
		got := e.find(t, id)
		if got.State != domain.StatePending || got.Route != domain.RouteAgency || got.Version <= r.Version {
			t.Errorf("taken over: %s %s v%d", got.State, got.Route, got.Version)
		}
		wantErr(t, "take over pending", e.svc.TakeOver(e.annaC, domain.Decision{RequestID: id, Version: got.Version, ReasonText: "x"}),
			domain.EINVALID, "rolerequest.not_at_institution")
	})

	// ¶29.3: after the take-over limit the Agency may remind the
	// institution again instead of taking the request over; the request
	// stays at the institution, the limit is not reset, the holder keeps it.
	run("RemindInstitution_AfterTheLimit_StaysThere_P29_3", func(t *testing.T, e *rrEnv) {
		cfg := e.svc.RoleRequestConfig()
		id := e.seed(t, RoleRequestSeed{State: domain.StateAtInstitution, Age: 24 * time.Hour})
		r := e.find(t, id)
		d := domain.Decision{RequestID: id, Version: r.Version, ReasonText: "  Lūdzam izskatīt šonedēļ.  "}
		err := e.svc.RemindInstitution(e.annaC, d)
		wantErr(t, "too early", err, domain.EINVALID, "rolerequest.takeover_too_early")
		wantArgs(t, "too early", err, cfg.TakeOverAfterDays)

		e.h.Advance(time.Duration(cfg.TakeOverAfterDays) * 24 * time.Hour)
		_, err = e.svc.ClaimRoleRequest(e.janiC, id)
		must(t, "claim", err)
		wantErr(t, "held", e.svc.RemindInstitution(e.annaC, d), domain.ECONFLICT, "rolerequest.claimed")
		wantErr(t, "stale", e.svc.RemindInstitution(e.janiC, domain.Decision{RequestID: id, Version: r.Version + 1}),
			domain.ECONFLICT, "rolerequest.changed")
		must(t, "remind", e.svc.RemindInstitution(e.janiC, d))
		got := e.find(t, id)
		if got.State != domain.StateAtInstitution || got.Route != domain.RouteInstitution || got.Version <= r.Version {
			t.Errorf("reminded: %s %s v%d", got.State, got.Route, got.Version)
		}
		if got.AgencyRemindedAt.IsZero() || !got.CanTakeOver(e.h.Now(), cfg) || !got.TakeOverFrom(cfg).Equal(r.TakeOverFrom(cfg)) {
			t.Errorf("reminded at %v; take-over from %v (was %v)", got.AgencyRemindedAt, got.TakeOverFrom(cfg), r.TakeOverFrom(cfg))
		}
		if got.ClaimedBy != e.janis.ID {
			t.Errorf("the reminder took the request from its holder: held by %d", got.ClaimedBy)
		}
		// A second reminder, without a note, is allowed too.
		must(t, "remind again", e.svc.RemindInstitution(e.janiC, domain.Decision{RequestID: id, Version: got.Version}))
		got = e.find(t, id)
		must(t, "take over", e.svc.TakeOver(e.janiC, domain.Decision{RequestID: id, Version: got.Version, ReasonText: "Iestāde neatbild."}))
		got = e.find(t, id)
		wantErr(t, "remind pending", e.svc.RemindInstitution(e.janiC, domain.Decision{RequestID: id, Version: got.Version}),
			domain.EINVALID, "rolerequest.not_at_institution")
	})

	run("ClaimNext_OldestNobodyHolds_NeverOwn", func(t *testing.T, e *rrEnv) {
		own := e.seed(t, RoleRequestSeed{State: domain.StatePending, Email: e.anna.Email, Age: 5 * time.Hour})
		held := e.seed(t, RoleRequestSeed{State: domain.StatePending, Age: 4 * time.Hour})
		e.seed(t, RoleRequestSeed{State: domain.StateUnconfirmed, Age: 4 * time.Hour})
		inst := e.seed(t, RoleRequestSeed{State: domain.StatePending, Kind: domain.KindInstitution, Age: 3 * time.Hour})
		coord := e.seed(t, RoleRequestSeed{State: domain.StatePending, Age: 2 * time.Hour})
		_, err := e.svc.ClaimRoleRequest(e.janiC, held)
		must(t, "claim", err)

		r, err := e.svc.ClaimNext(e.annaC)
		must(t, "next", err)
		if r.ID != inst || r.ClaimedBy != e.anna.ID {
			t.Fatalf("next = %d held by %d, want %d (own %d, held %d)", r.ID, r.ClaimedBy, inst, own, held)
		}
		r, err = e.svc.ClaimNext(e.annaC, domain.KindMunicipalCoordinator)
		must(t, "next coordinator", err)
		if r.ID != coord {
			t.Fatalf("next coordinator = %d, want %d", r.ID, coord)
		}
		_, err = e.svc.ClaimNext(e.annaC)
		wantErr(t, "nothing left", err, domain.ENOTFOUND, "rolerequest.queue_empty")

		// A lease that ran out is free again.
		e.h.Advance(domain.ClaimLease)
		r, err = e.svc.ClaimNext(e.annaC)
		must(t, "next after the leases ran out", err)
		if r.ID != held {
			t.Errorf("next = %d, want the lapsed %d", r.ID, held)
		}
	})

	run("List_FiltersPagingAndSearch", func(t *testing.T, e *rrEnv) {
		old := e.seed(t, RoleRequestSeed{State: domain.StatePending, Age: 72 * time.Hour, FirstName: "Ērika", LastName: "Šmite"})
		unconf := e.seed(t, RoleRequestSeed{State: domain.StateUnconfirmed, Age: 48 * time.Hour})
		inst := e.seed(t, RoleRequestSeed{State: domain.StatePending, Kind: domain.KindInstitution, Age: 24 * time.Hour})
		expired := e.seed(t, RoleRequestSeed{State: domain.StateExpired, Age: 20 * time.Hour})
		newest := e.seed(t, RoleRequestSeed{State: domain.StatePending, Age: time.Hour})
		ids := func(f domain.RoleRequestFilter) []int64 {
			t.Helper()
			list, err := e.svc.ListRoleRequests(e.annaC, f)
			must(t, "list", err)
			var out []int64
			for _, r := range list {
				out = append(out, r.ID)
			}
			return out
		}
		want := func(what string, got []int64, want ...int64) {
			t.Helper()
			if !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", what, got, want)
			}
		}
		want("open, oldest first", ids(domain.RoleRequestFilter{}), old, unconf, inst, newest)
		want("expired", ids(domain.RoleRequestFilter{States: []domain.RoleRequestState{domain.StateExpired}}), expired)
		want("institutions", ids(domain.RoleRequestFilter{Kinds: []domain.RoleRequestKind{domain.KindInstitution}}), inst)
		want("waiting a day", ids(domain.RoleRequestFilter{OlderThan: 24 * time.Hour}), old, unconf, inst)
		page := ids(domain.RoleRequestFilter{Limit: 2})
		want("first page", page, old, unconf)
		u := e.find(t, unconf)
		want("second page", ids(domain.RoleRequestFilter{Limit: 2, AfterCreated: u.CreatedAt, AfterID: u.ID}), inst, newest)

		o, in := e.find(t, old), e.find(t, inst)
		want("whole code", ids(domain.RoleRequestFilter{Search: o.Form.PersonalCode}), old)
		want("whole code without the hyphen", ids(domain.RoleRequestFilter{Search: strings.ReplaceAll(o.Form.PersonalCode, "-", "")}), old)
		want("e-mail", ids(domain.RoleRequestFilter{Search: strings.ToUpper(o.Form.Email)}), old)
		want("name", ids(domain.RoleRequestFilter{Search: "ērika šm"}), old)
		want("company number", ids(domain.RoleRequestFilter{Search: in.Form.CompanyRegNumber}), inst)
		want("education number", ids(domain.RoleRequestFilter{Search: in.Form.EducationRegNumber}), inst)

		for _, tc := range []struct {
			f   domain.RoleRequestFilter
			key string
		}{
			{domain.RoleRequestFilter{Search: o.Form.PersonalCode[:6]}, "search.whole_code"},
			{domain.RoleRequestFilter{Search: o.Form.PersonalCode[:9]}, "search.whole_code"},
			{domain.RoleRequestFilter{Search: "Ēr"}, "rolerequest.search_short"},
			{domain.RoleRequestFilter{States: []domain.RoleRequestState{"lost"}}, "rolerequest.filter_state"},
			{domain.RoleRequestFilter{Kinds: []domain.RoleRequestKind{"pilot"}}, "rolerequest.filter_kind"},
			{domain.RoleRequestFilter{OlderThan: -time.Hour}, "rolerequest.filter_age"},
		} {
			_, err := e.svc.ListRoleRequests(e.annaC, tc.f)
			wantErr(t, "list "+tc.key, err, domain.EINVALID, tc.key)
		}
	})

	run("RevealPersonalCode_AuditedAndCounted", func(t *testing.T, e *rrEnv) {
		id := e.pending(t)
		r := e.find(t, id)
		code, err := e.svc.RevealPersonalCode(e.annaC, id, "  sakrīt ar #5?  ")
		must(t, "reveal", err)
		if code != r.Form.PersonalCode {
			t.Errorf("revealed %q, want %q", code, r.Form.PersonalCode)
		}
		if n := e.h.Reveals(t, e.anna); n != 1 {
			t.Errorf("reveals counted: %d, want 1", n)
		}
		_, err = e.svc.RevealPersonalCode(e.annaC, id, " ")
		wantErr(t, "no reason", err, domain.EINVALID, "reveal.reason_required")
		inst := e.seed(t, RoleRequestSeed{State: domain.StatePending, Kind: domain.KindInstitution})
		_, err = e.svc.RevealPersonalCode(e.annaC, inst, "why")
		wantErr(t, "no code", err, domain.EINVALID, "rolerequest.no_personal_code")
		_, err = e.svc.RevealPersonalCode(e.annaC, 999999, "why")
		wantErr(t, "missing", err, domain.ENOTFOUND, "rolerequest.not_found")
		if n := e.h.Reveals(t, e.anna); n != 1 {
			t.Errorf("refused reveals were counted: %d", n)
		}
	})

	run("Find_CountsAViewOfThePerson", func(t *testing.T, e *rrEnv) {
		id := e.pending(t)
		_, err := e.svc.FindRoleRequest(e.annaC, id)
		must(t, "find", err)
		if n := e.h.Views(t, e.anna); n != 1 {
			t.Errorf("views counted for the reader: %d, want 1", n)
		}
		if n := e.h.Views(t, e.janis); n != 0 {
			t.Errorf("views counted for another: %d", n)
		}
		e.find(t, id) // the back office itself is not counted
		_, err = e.svc.FindRoleRequest(e.annaC, 999999)
		wantErr(t, "missing", err, domain.ENOTFOUND, "rolerequest.not_found")
		if n := e.h.Views(t, e.anna); n != 1 {
			t.Errorf("views after a miss: %d, want 1", n)
		}
	})
}

func (e *rrEnv) rejectCall() func(domain.Decision) error {
	return func(d domain.Decision) error { return e.svc.Reject(e.annaC, d) }
}

func (e *rrEnv) askCall() func(domain.Decision) error {
	return func(d domain.Decision) error { return e.svc.RequestInfo(e.annaC, d) }
}

func (e *rrEnv) approveCall() func(domain.Decision) error {
	return func(d domain.Decision) error { return e.svc.Approve(e.annaC, d) }
}
