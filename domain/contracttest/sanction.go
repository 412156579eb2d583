package contracttest

import (
	"context"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// SanctionHarness is an implementation of domain.SanctionService with
// what the suite needs around it.
type SanctionHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.SanctionService
	// Institution stores an active institution with the name and the
	// company registration number (11 digits) given and returns its id.
	Institution(t *testing.T, name, regNumber string) int64
}

type sanEnv struct {
	h            SanctionHarness
	svc          domain.SanctionService
	laura, maris *domain.Operator // security
	vents        *domain.Operator // security
	lauraC       context.Context
	marisC       context.Context
	ventsC       context.Context
}

func (e *sanEnv) find(t *testing.T, id int64) *domain.SanctionCase {
	t.Helper()
	c, err := e.svc.FindCase(e.lauraC, id)
	must(t, "find case", err)
	return c
}

func (e *sanEnv) step(t *testing.T, c *domain.SanctionCase, id int64) *domain.SanctionStep {
	t.Helper()
	for _, s := range c.Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("case %d has no step %d", c.ID, id)
	return nil
}

func (e *sanEnv) propose(t *testing.T, ctx context.Context, id int64, kind domain.SanctionStepKind, until time.Time) *domain.SanctionStep {
	t.Helper()
	s, err := e.svc.ProposeStep(ctx, id, e.find(t, id).Version, kind, "Pārkāpums turpinās", "Akts Nr. 5", until)
	must(t, "propose "+string(kind), err)
	return s
}

// RunSanctionService runs the sanction cases' suite (¶32.5, ¶32.7), each
// test on a harness of its own from newHarness. Which roles each method
// needs is proved on storage (storage's TestSanction_*).
func RunSanctionService(t *testing.T, newHarness func(t *testing.T) SanctionHarness) {
	run := func(name string, f func(t *testing.T, e *sanEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &sanEnv{h: h, svc: h.Service()}
			e.laura = h.Operator(t, "laura.berzina", "Laura Bērziņa", "laura.berzina@viaa.gov.lv", domain.RoleSecurity)
			e.maris = h.Operator(t, "maris.kalnins", "Māris Kalniņš", "maris.kalnins@viaa.gov.lv", domain.RoleSecurity)
			e.vents = h.Operator(t, "vents.ozols", "Vents Ozols", "vents.ozols@viaa.gov.lv", domain.RoleSecurity)
			e.lauraC, e.marisC, e.ventsC = As(t, e.laura, "s-laura"), As(t, e.maris, "s-maris"), As(t, e.vents, "s-vents")
			f(t, e)
		})
	}

	// ¶32.5: warning first, then a suspension a second officer approves,
	// then a denial that takes it over; refusals and conflicts on the way.
	run("GraduatedSteps_FourEyes_P32_5", func(t *testing.T, e *sanEnv) {
		inst := e.h.Institution(t, "Rīgas Mākslas skola", "40003000001")
		found, err := e.svc.FindInstitutions(e.lauraC, "mākslas", 10)
		if err != nil || len(found) != 1 || found[0].ID != inst || found[0].CompanyRegNumber != "40003000001" {
			t.Fatalf("FindInstitutions by name = %v, %v", found, err)
		}
		if found, err = e.svc.FindInstitutions(e.lauraC, "4000300", 10); err != nil || len(found) != 1 || found[0].ID != inst {
			t.Fatalf("FindInstitutions by number = %v, %v", found, err)
		}
		_, err = e.svc.FindInstitutions(e.lauraC, "x", 10)
		wantErr(t, "one-letter query", err, domain.EINVALID, "sanction.query_short")

		c, err := e.svc.OpenCase(e.lauraC, inst, domain.GroundRulesBroken, "Ziņojums par pārkāpumu", "Vēstule")
		must(t, "open", err)
		if c.State != domain.SanctionCaseOpen || c.InstitutionName != "Rīgas Mākslas skola" || c.OpenedBy != e.laura.ID || c.Clause != domain.GroundRulesBroken {
			t.Fatalf("opened case = %+v", c)
		}
		if found, _ = e.svc.FindInstitutions(e.lauraC, "mākslas", 10); len(found) != 1 || found[0].OpenCaseID != c.ID {
			t.Errorf("FindInstitutions does not name the open case: %+v", found)
		}
		_, err = e.svc.ProposeStep(e.lauraC, c.ID, c.Version, domain.SanctionSuspension, "Uzreiz", "", e.h.Now().Add(time.Hour))
		wantErr(t, "suspension first", err, domain.ECONFLICT, "sanction.warn_first")
		w := e.propose(t, e.lauraC, c.ID, domain.SanctionWarning, time.Time{})
		if w.State != domain.SanctionStepGiven || w.ProposedBy != e.laura.ID {
			t.Fatalf("warning = %+v", w)
		}
		_, err = e.svc.ProposeStep(e.lauraC, c.ID, c.Version, domain.SanctionWarning, "Vēlreiz", "", time.Time{})
		wantErr(t, "stale case version", err, domain.ECONFLICT, "sanction.changed")
		_, err = e.svc.ProposeStep(e.lauraC, c.ID, e.find(t, c.ID).Version, domain.SanctionSuspension, "Pagātnē", "", e.h.Now().Add(-time.Hour))
		wantErr(t, "suspension ending in the past", err, domain.EINVALID, "sanction.bad_until")

		until := e.h.Now().Add(72 * time.Hour)
		s := e.propose(t, e.lauraC, c.ID, domain.SanctionSuspension, until)
		if s.State != domain.SanctionStepPending || !near(s.Until, until) {
			t.Fatalf("proposed suspension = %+v", s)
		}
		_, err = e.svc.ProposeStep(e.marisC, c.ID, e.find(t, c.ID).Version, domain.SanctionDenial, "Arī", "", time.Time{})
		wantErr(t, "second pending step", err, domain.ECONFLICT, "sanction.step_pending")
		wantErr(t, "proposer approves", e.svc.ApproveStep(e.lauraC, s.ID, s.Version), domain.EFORBIDDEN, "sanction.own")
		wantErr(t, "proposer approves from another session", e.svc.ApproveStep(As(t, e.laura, "s-laura-2"), s.ID, s.Version), domain.EFORBIDDEN, "sanction.own")
		must(t, "approve", e.svc.ApproveStep(e.marisC, s.ID, s.Version))
		wantErr(t, "approve twice", e.svc.ApproveStep(e.ventsC, s.ID, s.Version), domain.ECONFLICT, "sanction.changed")
		got := e.find(t, c.ID)
		if st := e.step(t, got, s.ID); st.State != domain.SanctionStepInForce || st.DecidedBy != e.maris.ID || st.InForceAt.IsZero() {
			t.Fatalf("approved suspension = %+v", st)
		}
		if got.Current != domain.SanctionSuspension || got.Pending {
			t.Fatalf("case after approval: current %q, pending %v", got.Current, got.Pending)
		}
		_, err = e.svc.ProposeStep(e.lauraC, c.ID, got.Version, domain.SanctionWarning, "Vēl", "", time.Time{})
		wantErr(t, "warning while suspended", err, domain.ECONFLICT, "sanction.step_in_force")
		wantErr(t, "close while suspended", e.svc.CloseCase(e.lauraC, c.ID, got.Version, "Beigas"), domain.ECONFLICT, "sanction.step_in_force")

		d := e.propose(t, e.marisC, c.ID, domain.SanctionDenial, time.Time{})
		wantErr(t, "refuse without reason", e.svc.RefuseStep(e.ventsC, d.ID, d.Version, " "), domain.EINVALID, "sanction.reason_required")
		must(t, "refuse", e.svc.RefuseStep(e.ventsC, d.ID, d.Version, "Pierādījumu par maz"))
		got = e.find(t, c.ID)
		if st := e.step(t, got, d.ID); st.State != domain.SanctionStepRefused || st.RefuseReason != "Pierādījumu par maz" || st.DecidedBy != e.vents.ID {
			t.Fatalf("refused denial = %+v", st)
		}
		if got.Current != domain.SanctionSuspension {
			t.Fatalf("a refused denial changed the case: current %q", got.Current)
		}
		d = e.propose(t, e.marisC, c.ID, domain.SanctionDenial, time.Time{})
		must(t, "approve denial", e.svc.ApproveStep(e.lauraC, d.ID, d.Version))
		got = e.find(t, c.ID)
		if e.step(t, got, s.ID).State != domain.SanctionStepSuperseded || e.step(t, got, d.ID).State != domain.SanctionStepInForce || got.Current != domain.SanctionDenial {
			t.Fatalf("after the denial: suspension %s, denial %s, current %q", e.step(t, got, s.ID).State, e.step(t, got, d.ID).State, got.Current)
		}
		wantErr(t, "lift a superseded step", e.svc.LiftStep(e.lauraC, s.ID, e.step(t, got, s.ID).Version, "x"), domain.ECONFLICT, "sanction.not_in_force")
		ds := e.step(t, got, d.ID)
		must(t, "lift", e.svc.LiftStep(e.ventsC, ds.ID, ds.Version, "Novērsts"))
		got = e.find(t, c.ID)
		if st := e.step(t, got, d.ID); st.State != domain.SanctionStepLifted || st.EndReason != "Novērsts" || st.EndedBy != e.vents.ID || st.EndedAt.IsZero() {
			t.Fatalf("lifted denial = %+v", st)
		}
		wantErr(t, "close without reason", e.svc.CloseCase(e.lauraC, c.ID, got.Version, ""), domain.EINVALID, "sanction.reason_required")
		must(t, "close", e.svc.CloseCase(e.lauraC, c.ID, got.Version, "Lieta pabeigta"))
		got = e.find(t, c.ID)
		if got.State != domain.SanctionCaseClosed || got.CloseReason != "Lieta pabeigta" || got.ClosedBy != e.laura.ID {
			t.Fatalf("closed case = %+v", got)
		}
		_, err = e.svc.ProposeStep(e.lauraC, c.ID, got.Version, domain.SanctionWarning, "Vēl", "", time.Time{})
		wantErr(t, "step on a closed case", err, domain.ECONFLICT, "sanction.closed")
	})

	run("OpenCase_Validation", func(t *testing.T, e *sanEnv) {
		inst := e.h.Institution(t, "Liepājas tehnikums", "40003000002")
		_, err := e.svc.OpenCase(e.lauraC, inst, domain.GroundIncident, "Incidents", "")
		wantErr(t, "¶32.6", err, domain.EINVALID, "sanction.bad_clause")
		_, err = e.svc.OpenCase(e.lauraC, inst, domain.GroundCooperation, "  ", "")
		wantErr(t, "no reason", err, domain.EINVALID, "sanction.reason_required")
		_, err = e.svc.OpenCase(e.lauraC, inst, domain.GroundCooperation, "Iemesls\x1b[2J", "")
		wantErr(t, "control characters", err, domain.EINVALID, "sanction.bad_text")
		_, err = e.svc.OpenCase(e.lauraC, 987654, domain.GroundCooperation, "Iemesls", "")
		wantErr(t, "unknown institution", err, domain.ENOTFOUND, "sanction.no_institution")
		_, err = e.svc.FindCase(e.lauraC, 987654)
		wantErr(t, "unknown case", err, domain.ENOTFOUND, "sanction.not_found")
		_, err = e.svc.OpenCase(e.lauraC, inst, domain.GroundCooperation, "  Atteikta sadarbība ", "")
		must(t, "open", err)
		_, err = e.svc.OpenCase(e.marisC, inst, domain.GroundRulesBroken, "Otra", "")
		wantErr(t, "second open case", err, domain.ECONFLICT, "sanction.case_open")
	})

	run("Lists_OpenFirst_Filters_CasesOf", func(t *testing.T, e *sanEnv) {
		a := e.h.Institution(t, "Alfa skola", "40003000003")
		b := e.h.Institution(t, "Beta skola", "40003000004")
		ca, err := e.svc.OpenCase(e.lauraC, a, domain.GroundRulesBroken, "Pirmā", "")
		must(t, "open a", err)
		must(t, "close a", e.svc.CloseCase(e.lauraC, ca.ID, ca.Version, "Bez pamata"))
		cb, err := e.svc.OpenCase(e.lauraC, b, domain.GroundRulesBroken, "Otrā", "")
		must(t, "open b", err)
		ca2, err := e.svc.OpenCase(e.lauraC, a, domain.GroundCooperation, "Trešā", "")
		must(t, "reopen a", err)
		e.propose(t, e.lauraC, cb.ID, domain.SanctionWarning, time.Time{})
		e.propose(t, e.lauraC, cb.ID, domain.SanctionDenial, time.Time{})

		ids := func(list []*domain.SanctionCase, err error) []int64 {
			t.Helper()
			must(t, "list", err)
			var out []int64
			for _, c := range list {
				out = append(out, c.ID)
			}
			return out
		}
		wantIDs := func(what string, got []int64, want ...int64) {
			t.Helper()
			if len(got) != len(want) {
				t.Errorf("%s = %v, want %v", what, got, want)
				return
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("%s = %v, want %v", what, got, want)
					return
				}
			}
		}
		wantIDs("all", ids(e.svc.ListCases(e.lauraC, domain.SanctionFilter{})), ca2.ID, cb.ID, ca.ID)
		wantIDs("closed", ids(e.svc.ListCases(e.lauraC, domain.SanctionFilter{States: []domain.SanctionCaseState{domain.SanctionCaseClosed}})), ca.ID)
		wantIDs("warned", ids(e.svc.ListCases(e.lauraC, domain.SanctionFilter{Steps: []domain.SanctionStepKind{domain.SanctionWarning}})), cb.ID)
		wantIDs("pending", ids(e.svc.ListCases(e.lauraC, domain.SanctionFilter{PendingOnly: true})), cb.ID)
		wantIDs("second page", ids(e.svc.ListCases(e.lauraC, domain.SanctionFilter{AfterState: domain.SanctionCaseOpen, AfterID: cb.ID})), ca.ID)
		wantIDs("page of one", ids(e.svc.ListCases(e.lauraC, domain.SanctionFilter{Limit: 1})), ca2.ID)
		wantIDs("cases of a", ids(e.svc.CasesOf(e.lauraC, a)), ca2.ID, ca.ID)
		list, err := e.svc.CasesOf(e.lauraC, b)
		must(t, "cases of b", err)
		if len(list) != 1 || list[0].Current != domain.SanctionWarning || !list[0].Pending || list[0].InstitutionName != "Beta skola" {
			t.Errorf("cases of b = %+v", list[0])
		}
	})
}
