package contracttest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// DenialHarness is an implementation of domain.DenialService with what
// the suite needs around it.
type DenialHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.DenialService
	// Subject stores a subject a denial can be about (a Platform user of
	// Latvija.gov.lv, or an institution) and returns its id; operators are
	// made by Staff.
	Subject(t *testing.T, kind domain.SubjectKind) int64
	// SeedSweepRun records a finished run of a sweep.
	SeedSweepRun(t *testing.T, sweep string, startedAt time.Time, checked, changed int64)
}

// denEnv is one run of the suite: a fresh harness, three security
// officers and a reviewer.
type denEnv struct {
	h                   DenialHarness
	svc                 domain.DenialService
	laura, maris, vents *domain.Operator
	ilze                *domain.Operator // a reviewer, whom the officers may deny
	lauraC, marisC      context.Context
	ventsC              context.Context
}

// deny raises a denial as ctx and fails the test on an error.
func (e *denEnv) deny(t *testing.T, ctx context.Context, kind domain.SubjectKind, id int64, g domain.Ground) *domain.Denial {
	t.Helper()
	d, err := e.svc.Deny(ctx, kind, id, g, "Pārkāpums konstatēts", "")
	must(t, "deny", err)
	return d
}

func (e *denEnv) find(t *testing.T, id int64) *domain.Denial {
	t.Helper()
	d, err := e.svc.FindDenial(e.lauraC, id)
	must(t, "find denial", err)
	return d
}

func denialIDs(list []*domain.Denial) []int64 {
	var out []int64
	for _, d := range list {
		out = append(out, d.ID)
	}
	return out
}

// RunDenialService runs the denials' suite, each test on a harness of its
// own from newHarness.
func RunDenialService(t *testing.T, newHarness func(t *testing.T) DenialHarness) {
	run := func(name string, f func(t *testing.T, e *denEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &denEnv{h: h, svc: h.Service()}
			e.laura = h.Operator(t, "laura.berzina", "Laura Bērziņa", "laura.berzina@viaa.gov.lv", domain.RoleSecurity)
			e.maris = h.Operator(t, "maris.kalnins", "Māris Kalniņš", "maris.kalnins@viaa.gov.lv", domain.RoleSecurity)
			e.vents = h.Operator(t, "vents.ozols", "Vents Ozols", "vents.ozols@viaa.gov.lv", domain.RoleSecurity)
			e.ilze = h.Operator(t, "ilze.liepina", "Ilze Liepiņa", "ilze.liepina@viaa.gov.lv", domain.RoleReviewer)
			e.lauraC, e.marisC, e.ventsC = As(t, e.laura, "s-laura"), As(t, e.maris, "s-maris"), As(t, e.vents, "s-vents")
			f(t, e)
		})
	}

	run("Deny_InForceAtOnce_OperatorsWait_Refusals", func(t *testing.T, e *denEnv) {
		user := e.h.Subject(t, domain.SubjectPlatformUser)
		d, err := e.svc.Deny(e.lauraC, domain.SubjectPlatformUser, user, domain.GroundRulesBroken, "  Atkārtoti pārkāpumi  ", "vēstule")
		must(t, "deny a user", err)
		if d.ID == 0 || d.State != domain.DenialInForce || d.RaisedBy != e.laura.ID || d.Note != "Atkārtoti pārkāpumi" ||
			d.SubjectKind != domain.SubjectPlatformUser || d.SubjectID != user || d.Ground != domain.GroundRulesBroken ||
			!near(d.InForceAt, e.h.Now()) || d.SubjectName == "" {
			t.Errorf("a user's denial: %+v", d)
		}
		_, err = e.svc.Deny(e.marisC, domain.SubjectPlatformUser, user, domain.GroundRulesBroken, "vēlreiz", "")
		wantErr(t, "the same ground again", err, domain.ECONFLICT, "denial.exists")
		e.deny(t, e.marisC, domain.SubjectPlatformUser, user, domain.GroundIncident)

		op, err := e.svc.Deny(e.lauraC, domain.SubjectOperator, e.ilze.ID, domain.GroundCompromised, "Aizdomīga darbība", "")
		must(t, "deny an operator", err)
		if op.State != domain.DenialPendingApproval || !op.InForceAt.IsZero() {
			t.Errorf("an operator's denial is %s, in force at %v; want it waiting", op.State, op.InForceAt)
		}
		_, err = e.svc.Deny(e.marisC, domain.SubjectOperator, e.ilze.ID, domain.GroundCompromised, "arī es", "")
		wantErr(t, "a waiting denial holds the ground", err, domain.ECONFLICT, "denial.exists")
		_, err = e.svc.Deny(e.lauraC, domain.SubjectOperator, e.laura.ID, domain.GroundRulesBroken, "pati sevi", "")
		wantErr(t, "oneself", err, domain.EFORBIDDEN, "denial.self")

		inst := e.h.Subject(t, domain.SubjectInstitution)
		for _, tc := range []struct {
			what       string
			kind       domain.SubjectKind
			id         int64
			ground     domain.Ground
			note, evid string
			code, key  string
		}{
			{"unknown ground", domain.SubjectInstitution, inst, "32.9", "x", "", domain.EINVALID, "denial.bad_ground"},
			{"unknown kind", "person", inst, domain.GroundRulesBroken, "x", "", domain.EINVALID, "denial.bad_subject"},
			{"no note", domain.SubjectInstitution, inst, domain.GroundRulesBroken, "   ", "", domain.EINVALID, "denial.note_required"},
			{"long note", domain.SubjectInstitution, inst, domain.GroundRulesBroken, strings.Repeat("ā", domain.DenialNoteMaxLength+1), "", domain.EINVALID, "denial.too_long"},
			{"long evidence", domain.SubjectInstitution, inst, domain.GroundRulesBroken, "x", strings.Repeat("e", domain.DenialEvidenceMaxLength+1), domain.EINVALID, "denial.too_long"},
			{"control characters", domain.SubjectInstitution, inst, domain.GroundRulesBroken, "a\x1b]0;x\x07", "", domain.EINVALID, "denial.bad_text"},
			{"no such institution", domain.SubjectInstitution, inst + 100000, domain.GroundRulesBroken, "x", "", domain.ENOTFOUND, "denial.no_subject"},
		} {
			_, err := e.svc.Deny(e.lauraC, tc.kind, tc.id, tc.ground, tc.note, tc.evid)
			wantErr(t, tc.what, err, tc.code, tc.key)
		}
		e.deny(t, e.lauraC, domain.SubjectInstitution, inst, domain.GroundCooperation)
	})

	run("Approve_FourEyes_VersionAndState", func(t *testing.T, e *denEnv) {
		d := e.deny(t, e.lauraC, domain.SubjectOperator, e.ilze.ID, domain.GroundCompromised)
		wantErr(t, "the raiser", e.svc.Approve(e.lauraC, d.ID, d.Version), domain.EFORBIDDEN, "denial.own")
		wantErr(t, "the raiser in another session", e.svc.Approve(As(t, e.laura, "s-laura-2"), d.ID, d.Version),
			domain.EFORBIDDEN, "denial.own")
		wantErr(t, "a stale version", e.svc.Approve(e.marisC, d.ID, d.Version+1), domain.ECONFLICT, "denial.changed")
		must(t, "approve", e.svc.Approve(e.marisC, d.ID, d.Version))
		got := e.find(t, d.ID)
		if got.State != domain.DenialInForce || got.ApprovedBy != e.maris.ID || got.Version <= d.Version || !near(got.InForceAt, e.h.Now()) {
			t.Errorf("approved: %s by %d, v%d, in force at %v", got.State, got.ApprovedBy, got.Version, got.InForceAt)
		}
		wantErr(t, "approve again", e.svc.Approve(e.ventsC, got.ID, got.Version), domain.ECONFLICT, "denial.not_pending")
		wantErr(t, "no such denial", e.svc.Approve(e.marisC, d.ID+100000, 1), domain.ENOTFOUND, "denial.not_found")

		// The subject of a waiting denial does not approve it either.
		mine := e.deny(t, e.lauraC, domain.SubjectOperator, e.maris.ID, domain.GroundRulesBroken)
		wantErr(t, "the subject", e.svc.Approve(e.marisC, mine.ID, mine.Version), domain.EFORBIDDEN, "denial.own")
	})

	run("Lift_AtOnce_OrWaitingForASecondOfficer", func(t *testing.T, e *denEnv) {
		user := e.h.Subject(t, domain.SubjectPlatformUser)
		plain := e.deny(t, e.lauraC, domain.SubjectPlatformUser, user, domain.GroundRulesBroken)
		wantErr(t, "no reason", e.svc.Lift(e.marisC, plain.ID, plain.Version, "  "), domain.EINVALID, "denial.reason_required")
		wantErr(t, "a long reason", e.svc.Lift(e.marisC, plain.ID, plain.Version, strings.Repeat("r", domain.DenialNoteMaxLength+1)),
			domain.EINVALID, "denial.too_long")
		wantErr(t, "a stale version", e.svc.Lift(e.marisC, plain.ID, plain.Version+1, "pārpratums"), domain.ECONFLICT, "denial.changed")
		must(t, "lift", e.svc.Lift(e.lauraC, plain.ID, plain.Version, " pārpratums "))
		got := e.find(t, plain.ID)
		if got.State != domain.DenialLifted || got.LiftedBy != e.laura.ID || got.LiftReason != "pārpratums" || !near(got.LiftedAt, e.h.Now()) {
			t.Errorf("lifted: %s by %d (%q) at %v", got.State, got.LiftedBy, got.LiftReason, got.LiftedAt)
		}
		wantErr(t, "lift again", e.svc.Lift(e.lauraC, got.ID, got.Version, "vēlreiz"), domain.ECONFLICT, "denial.not_in_force")

		incident := e.deny(t, e.lauraC, domain.SubjectPlatformUser, user, domain.GroundIncident)
		must(t, "ask to lift", e.svc.Lift(e.lauraC, incident.ID, incident.Version, "incidents slēgts"))
		got = e.find(t, incident.ID)
		if got.State != domain.DenialLiftPending || got.LiftedBy != e.laura.ID || !got.LiftedAt.IsZero() {
			t.Errorf("a ¶32.6 lift: %s by %d at %v; want it waiting", got.State, got.LiftedBy, got.LiftedAt)
		}
		wantErr(t, "the one who asked", e.svc.Approve(e.lauraC, got.ID, got.Version), domain.EFORBIDDEN, "denial.own")
		must(t, "approve the lift", e.svc.Approve(e.marisC, got.ID, got.Version))
		got = e.find(t, incident.ID)
		if got.State != domain.DenialLifted || got.LiftApprover != e.maris.ID || !near(got.LiftedAt, e.h.Now()) {
			t.Errorf("the lift approved: %s, approver %d, at %v", got.State, got.LiftApprover, got.LiftedAt)
		}

	})

	// ¶32.3, ¶32.6: a lift can require a new password at the next
	// sign-in, as one step; a lift waiting for a second officer keeps the
	// requirement until it is approved, and a refused lift drops it.
	run("LiftRequiringNewPassword_P32_3", func(t *testing.T, e *denEnv) {
		inst := e.h.Subject(t, domain.SubjectInstitution)
		plain := e.deny(t, e.lauraC, domain.SubjectInstitution, inst, domain.GroundRulesBroken)
		wantErr(t, "no reason", e.svc.LiftRequiringNewPassword(e.marisC, plain.ID, plain.Version, " "), domain.EINVALID, "denial.reason_required")
		must(t, "lift", e.svc.LiftRequiringNewPassword(e.marisC, plain.ID, plain.Version, "paroles jānomaina"))
		if got := e.find(t, plain.ID); got.State != domain.DenialLifted || !got.LiftNewPassword {
			t.Errorf("lifted requiring a new password: %s, new password %v", got.State, got.LiftNewPassword)
		}
		c := e.deny(t, e.lauraC, domain.SubjectInstitution, inst, domain.GroundCompromised)
		must(t, "ask to lift", e.svc.LiftRequiringNewPassword(e.lauraC, c.ID, c.Version, "paroles nomainītas"))
		c = e.find(t, c.ID)
		if c.State != domain.DenialLiftPending || !c.LiftNewPassword {
			t.Errorf("a ¶32.3 lift asked for: %s, new password %v", c.State, c.LiftNewPassword)
		}
		must(t, "refuse the lift", e.svc.Refuse(e.marisC, c.ID, c.Version, "vēl pārbaudām"))
		if got := e.find(t, c.ID); got.State != domain.DenialInForce || got.LiftNewPassword {
			t.Errorf("the lift refused: %s, new password %v", got.State, got.LiftNewPassword)
		}
		plainLift := e.deny(t, e.lauraC, domain.SubjectInstitution, inst, domain.GroundCooperation)
		must(t, "lift", e.svc.Lift(e.marisC, plainLift.ID, plainLift.Version, "sadarbība atjaunota"))
		if got := e.find(t, plainLift.ID); got.LiftNewPassword {
			t.Errorf("a plain lift requires a new password")
		}
	})

	run("Refuse_WithdrawsOrDropsTheLift", func(t *testing.T, e *denEnv) {
		d := e.deny(t, e.lauraC, domain.SubjectOperator, e.ilze.ID, domain.GroundRulesBroken)
		wantErr(t, "no reason", e.svc.Refuse(e.marisC, d.ID, d.Version, ""), domain.EINVALID, "denial.reason_required")
		wantErr(t, "a stale version", e.svc.Refuse(e.marisC, d.ID, d.Version+1, "nav pierādījumu"), domain.ECONFLICT, "denial.changed")
		// The one who raised it may withdraw it.
		must(t, "withdraw", e.svc.Refuse(e.lauraC, d.ID, d.Version, "kļūdījos"))
		got := e.find(t, d.ID)
		if got.State != domain.DenialCancelled || got.RefusedBy != e.laura.ID || got.RefuseReason != "kļūdījos" || !got.InForceAt.IsZero() {
			t.Errorf("withdrawn: %s by %d (%q), in force at %v", got.State, got.RefusedBy, got.RefuseReason, got.InForceAt)
		}
		wantErr(t, "refuse again", e.svc.Refuse(e.marisC, got.ID, got.Version, "x"), domain.ECONFLICT, "denial.not_pending")

		user := e.h.Subject(t, domain.SubjectPlatformUser)
		c := e.deny(t, e.lauraC, domain.SubjectPlatformUser, user, domain.GroundCompromised)
		must(t, "ask to lift", e.svc.Lift(e.lauraC, c.ID, c.Version, "paroles nomainītas"))
		c = e.find(t, c.ID)
		must(t, "refuse the lift", e.svc.Refuse(e.marisC, c.ID, c.Version, "vēl pārbaudām"))
		got = e.find(t, c.ID)
		if got.State != domain.DenialInForce || got.LiftedBy != 0 || got.LiftReason != "" || got.RefusedBy != e.maris.ID {
			t.Errorf("the lift refused: %s, lift by %d (%q), refused by %d", got.State, got.LiftedBy, got.LiftReason, got.RefusedBy)
		}
		wantErr(t, "no such denial", e.svc.Refuse(e.marisC, c.ID+100000, 1, "x"), domain.ENOTFOUND, "denial.not_found")
	})

	run("Lists_FiltersHistoryAndPending", func(t *testing.T, e *denEnv) {
		user, inst := e.h.Subject(t, domain.SubjectPlatformUser), e.h.Subject(t, domain.SubjectInstitution)
		a := e.deny(t, e.lauraC, domain.SubjectPlatformUser, user, domain.GroundRulesBroken)
		b := e.deny(t, e.lauraC, domain.SubjectPlatformUser, user, domain.GroundIncident)
		c := e.deny(t, e.lauraC, domain.SubjectInstitution, inst, domain.GroundCooperation)
		w := e.deny(t, e.lauraC, domain.SubjectOperator, e.ilze.ID, domain.GroundRulesBroken)
		must(t, "lift a", e.svc.Lift(e.marisC, a.ID, a.Version, "atrisināts"))
		must(t, "ask to lift b", e.svc.Lift(e.marisC, b.ID, b.Version, "atrisināts"))
		ids := func(f domain.DenialFilter) []int64 {
			t.Helper()
			list, err := e.svc.ListDenials(e.lauraC, f)
			must(t, "list", err)
			return denialIDs(list)
		}
		want := func(what string, got []int64, want ...int64) {
			t.Helper()
			if !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", what, got, want)
			}
		}
		want("in force (and waiting for a lift), newest first", ids(domain.DenialFilter{}), c.ID, b.ID)
		want("lifted", ids(domain.DenialFilter{States: []domain.DenialState{domain.DenialLifted}}), a.ID)
		want("waiting", ids(domain.DenialFilter{States: []domain.DenialState{domain.DenialPendingApproval}}), w.ID)
		want("¶32.6", ids(domain.DenialFilter{Grounds: []domain.Ground{domain.GroundIncident}}), b.ID)
		want("institutions", ids(domain.DenialFilter{SubjectKind: domain.SubjectInstitution}), c.ID)
		want("the user's", ids(domain.DenialFilter{SubjectKind: domain.SubjectPlatformUser, SubjectID: user}), b.ID)
		want("first page", ids(domain.DenialFilter{Limit: 1}), c.ID)
		want("next page", ids(domain.DenialFilter{Limit: 1, BeforeID: c.ID}), b.ID)

		hist, err := e.svc.SubjectHistory(e.lauraC, domain.SubjectPlatformUser, user)
		must(t, "history", err)
		want("the user's history, newest first", denialIDs(hist), b.ID, a.ID)
		pending, err := e.svc.PendingApprovals(e.lauraC)
		must(t, "pending", err)
		want("waiting for a second officer, oldest first", denialIDs(pending), b.ID, w.ID)
		_, err = e.svc.FindDenial(e.lauraC, w.ID+100000)
		wantErr(t, "no such denial", err, domain.ENOTFOUND, "denial.not_found")
	})

	run("SweepRuns_AndDeathCheckReport", func(t *testing.T, e *denEnv) {
		now := e.h.Now()
		e.h.SeedSweepRun(t, "role-expiry", now.Add(-3*time.Hour), 10, 1)
		e.h.SeedSweepRun(t, domain.SweepDeathCheck, now.Add(-2*time.Hour), 40, 0)
		e.h.SeedSweepRun(t, domain.SweepDeathCheck, now.Add(-time.Hour), 2, 0)
		runs, err := e.svc.SweepRuns(e.lauraC, 2)
		must(t, "sweep runs", err)
		if len(runs) != 2 || runs[0].Checked != 2 || runs[1].Checked != 40 || runs[0].Sweep != domain.SweepDeathCheck {
			t.Errorf("the newest two runs: %+v", runs)
		}
		rep, err := e.svc.DeathCheckReport(e.lauraC, now)
		must(t, "report", err)
		months, _ := domain.DeathCheckMonths(now)
		if len(rep.CheckedByMon) != len(months) {
			t.Fatalf("the report counts %d months, want %d", len(rep.CheckedByMon), len(months))
		}
		for i, m := range rep.CheckedByMon {
			want := int64(0)
			if m.Month == domain.MonthOf(now.Add(-time.Hour)) {
				want += 2
			}
			if m.Month == domain.MonthOf(now.Add(-2*time.Hour)) {
				want += 40
			}
			if m.Month != months[i].Month || m.Count != want {
				t.Errorf("month %d: %s %d, want %s %d", i, m.Month, m.Count, months[i].Month, want)
			}
		}
		// ¶32.8 (issue 16): each list holds no more than its count, and
		// the report fails exactly when someone who can be checked was
		// not (overdue, not found, stale), never for users without a code.
		for _, l := range []struct {
			name  string
			n     int64
			count int64
		}{{"overdue", int64(len(rep.OverdueList)), rep.Overdue}, {"not found", int64(len(rep.NotFoundList)), rep.NotFound},
			{"stale", int64(len(rep.StaleList)), rep.Stale}, {"no code", int64(len(rep.NoCodeList)), rep.NoCode}} {
			if l.n > l.count {
				t.Errorf("%s: %d listed of %d", l.name, l.n, l.count)
			}
		}
		if rep.Failing() != (rep.Overdue+rep.NotFound+rep.Stale > 0) {
			t.Errorf("Failing() = %v for %+v", rep.Failing(), rep)
		}
	})
}
