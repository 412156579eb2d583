package fakes_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
	"github.com/viaa/ppp/tui/internal/fakes"
)

// The test doubles the screens use run the same behaviour suites as
// storage (storage/contract_test.go): a double that drifts from the
// contract fails here.

// fakeClock is a settable clock shared by a fake and its harness.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeStaff makes operators, numbered from 1, and tells each fake about
// them.
type fakeStaff struct {
	next int64
	tell []interface{ AddOperator(*domain.Operator) }
}

func (s *fakeStaff) Operator(t *testing.T, login, fullName, email string, roles ...domain.Role) *domain.Operator {
	s.next++
	op := &domain.Operator{ID: s.next, Name: login, FullName: fullName, Email: email, Roles: roles}
	for _, f := range s.tell {
		f.AddOperator(op)
	}
	return op
}

// fakeOn is what every fake's harness shares: the fake, the clock it
// reads and the operators it is told about.
type fakeOn[F any] struct {
	*fakeClock
	*fakeStaff
	f F
}

// newFakeOn sets the fake's clock (*now) to a fresh one and, when the fake
// keeps operators, tells it of every operator the suite makes.
func newFakeOn[F any](f F, now *func() time.Time) fakeOn[F] {
	c := newFakeClock()
	*now = c.Now
	staff := &fakeStaff{}
	if t, ok := any(f).(interface{ AddOperator(*domain.Operator) }); ok {
		staff.tell = append(staff.tell, t)
	}
	return fakeOn[F]{fakeClock: c, fakeStaff: staff, f: f}
}

// lookCounts counts a fake's recorded looks per operator.
type lookCounts struct {
	views, reveals func() []fakes.Look
}

func (l lookCounts) count(looks []fakes.Look, op *domain.Operator) int {
	n := 0
	for _, x := range looks {
		if x.OperatorID == op.ID {
			n++
		}
	}
	return n
}

func (l lookCounts) Views(_ *testing.T, op *domain.Operator) int   { return l.count(l.views(), op) }
func (l lookCounts) Reveals(_ *testing.T, op *domain.Operator) int { return l.count(l.reveals(), op) }

type rrHarness struct {
	fakeOn[*fakes.RoleRequests]
	lookCounts
}

func (h *rrHarness) Service() domain.RoleRequestService { return h.f }

func (h *rrHarness) SeedRoleRequest(_ *testing.T, s contracttest.RoleRequestSeed) int64 {
	at := h.Now().Add(-s.Age)
	r := &domain.RoleRequest{State: s.State, CreatedAt: at, UpdatedAt: at, EmailSentAt: at, Route: domain.RouteAgency,
		Form: domain.RoleRequestForm{Kind: s.Kind, FirstName: s.FirstName, LastName: s.LastName, PersonalCode: s.PersonalCode,
			Email: s.Email, InstitutionName: s.InstitutionName, CompanyRegNumber: s.CompanyRegNumber, EducationRegNumber: s.EducationRegNumber}}
	if s.State != domain.StateUnconfirmed && s.State != domain.StateExpired {
		r.EmailConfirmedAt = at
	}
	if s.State == domain.StateAtInstitution {
		r.Route, r.Form.InstitutionID, r.InstitutionName = domain.RouteInstitution, 1, "Rīgas Valsts tehnikums"
	}
	if s.TermsNotAccepted != "" {
		r.Terms = &domain.TermsPending{VersionID: 1, Number: s.TermsNotAccepted}
	}
	return h.f.Add(r).ID
}

func TestContract_RoleRequestService_Fake(t *testing.T) {
	contracttest.RunRoleRequestService(t, func(t *testing.T) contracttest.RoleRequestHarness {
		f := fakes.NewRoleRequests()
		return &rrHarness{fakeOn: newFakeOn(f, &f.Now), lookCounts: lookCounts{views: f.Views, reveals: f.Reveals}}
	})
}

type imkHarness struct {
	fakeOn[*fakes.IMK]
	lookCounts
}

func (h *imkHarness) Service() domain.IMKService { return h.f }

func (h *imkHarness) SeedIMK(_ *testing.T, s contracttest.IMKSeed) int64 {
	a := &domain.IMKApplication{State: s.State, PersonalCode: s.PersonalCode, FirstName: s.FirstName,
		LastName: s.LastName, Email: s.Email, AppliedAt: h.Now().Add(-s.Age)}
	if s.TermsNotAccepted != "" {
		a.Terms = &domain.TermsPending{VersionID: 1, Number: s.TermsNotAccepted}
	}
	return h.f.Add(a).ID
}

func TestContract_IMKService_Fake(t *testing.T) {
	contracttest.RunIMKService(t, func(t *testing.T) contracttest.IMKHarness {
		f := fakes.NewIMK()
		return &imkHarness{fakeOn: newFakeOn(f, &f.Now), lookCounts: lookCounts{views: f.Views, reveals: f.Reveals}}
	})
}

type hdHarness struct {
	fakeOn[*fakes.Helpdesk]
}

func (h *hdHarness) Service() domain.HelpdeskService { return h.f }

func (h *hdHarness) SeedTicket(_ *testing.T, s contracttest.TicketSeed) int64 {
	at := h.Now().Add(-s.Age)
	tk := &domain.Ticket{Subject: s.Subject, From: s.From, Category: s.Category, Suggested: s.Category, State: s.State,
		CreatedAt: at, UpdatedAt: at}
	if s.AccountCode != "" {
		tk.Account = &domain.AccountRef{Kind: "platform_user", ID: 1, Name: "Platformas lietotājs"}
	}
	id := h.f.Add(tk).ID
	if s.AccountCode != "" {
		h.f.SetAccountCode(id, s.AccountCode)
	}
	return id
}

func TestContract_HelpdeskService_Fake(t *testing.T) {
	contracttest.RunHelpdeskService(t, func(t *testing.T) contracttest.HelpdeskHarness {
		f := fakes.NewHelpdesk()
		return &hdHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}

type denHarness struct {
	fakeOn[*fakes.Denials]
	next int64
}

func (h *denHarness) Service() domain.DenialService { return h.f }

func (h *denHarness) Subject(_ *testing.T, kind domain.SubjectKind) int64 {
	h.next++
	id := 1000 + h.next
	h.f.AddSubject(kind, id, "Subjekts "+strconv.FormatInt(id, 10))
	return id
}

func (h *denHarness) SeedSweepRun(_ *testing.T, sweep string, startedAt time.Time, checked, changed int64) {
	h.next++
	h.f.Runs = append(h.f.Runs, &domain.SweepRun{ID: h.next, Sweep: sweep, Instance: "contract", StartedAt: startedAt,
		FinishedAt: startedAt, Checked: checked, Changed: changed})
}

func TestContract_DenialService_Fake(t *testing.T) {
	contracttest.RunDenialService(t, func(t *testing.T) contracttest.DenialHarness {
		f := fakes.NewDenials()
		return &denHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}

type termsHarness struct {
	fakeOn[*fakes.Terms]
}

func (h *termsHarness) Service() domain.TermsService { return h.f }

func (h *termsHarness) Announcements() domain.AnnouncementService { return h.f.Announcements }

func TestContract_TermsService_Fake(t *testing.T) {
	contracttest.RunTermsService(t, func(t *testing.T) contracttest.TermsHarness {
		f := fakes.NewTerms()
		h := &termsHarness{fakeOn: newFakeOn(f, &f.Now)}
		f.Announcements = fakes.NewAnnouncements()
		f.Announcements.Now = f.Now
		return h
	})
}

type annHarness struct {
	fakeOn[*fakes.Announcements]
}

func (h *annHarness) Service() domain.AnnouncementService { return h.f }

func TestContract_AnnouncementService_Fake(t *testing.T) {
	contracttest.RunAnnouncementService(t, func(t *testing.T) contracttest.AnnouncementHarness {
		f := fakes.NewAnnouncements()
		return &annHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}

type polHarness struct {
	fakeOn[*fakes.Policy]
}

func (h *polHarness) Service() domain.PolicyService { return h.f }

func TestContract_PolicyService_Fake(t *testing.T) {
	contracttest.RunPolicyService(t, func(t *testing.T) contracttest.PolicyHarness {
		v1 := domain.DefaultEligibilityPolicy()
		v1.ID = 1
		f := fakes.NewPolicy(&v1)
		return &polHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}

type defHarness struct {
	fakeOn[*fakes.Defence]
	next int64
}

func (h *defHarness) Service() domain.DefenceService { return h.f }

func (h *defHarness) Views(*testing.T, *domain.Operator) int { return len(h.f.Views) }

func (h *defHarness) Account(_ *testing.T, email string) int64 {
	h.next++
	h.f.Accounts[h.next] = email
	return h.next
}

func (h *defHarness) SetAccountEmail(_ *testing.T, id int64, email string) { h.f.Accounts[id] = email }

func (h *defHarness) SeedPendingReset(_ *testing.T, requester *domain.Operator, requestedAt time.Time) int64 {
	h.next++
	h.f.Resets = append(h.f.Resets, &domain.PendingReset{ID: h.next, TicketID: h.next, AccountKind: "operator", AccountID: 900 + h.next,
		RequestedBy: requester.ID, RequestedName: requester.FullName, RequestedAt: requestedAt, State: "pending"})
	return h.next
}

func (h *defHarness) ResetAccount(_ *testing.T, email string, a domain.ResetAccount, privileged bool) int64 {
	h.next++
	h.f.Accounts[h.next] = email
	if h.f.ResetAccounts == nil {
		h.f.ResetAccounts, h.f.Privileged = map[int64]domain.ResetAccount{}, map[int64]bool{}
	}
	h.f.ResetAccounts[h.next], h.f.Privileged[h.next] = a, privileged
	return h.next
}

func (h *defHarness) SeedAlert(_ *testing.T, op *domain.Operator, kind domain.AlertKind, raisedAt time.Time) int64 {
	h.next++
	h.f.Alerts = append(h.f.Alerts, &domain.Alert{ID: h.next, Kind: kind, OperatorID: op.ID, OperatorName: op.FullName, Count: 31,
		Threshold: 30, WindowStart: raisedAt.Add(-time.Hour), WindowEnd: raisedAt, RaisedAt: raisedAt})
	return h.next
}

func (h *defHarness) SeedSignIn(_ *testing.T, op *domain.Operator, at time.Time, success bool) {
	h.f.History[op.ID] = append(h.f.History[op.ID], &domain.SignIn{At: at, Name: op.Name, RemoteAddr: "192.0.2.7",
		Method: string(domain.SignInPassword), Success: success})
}

func TestContract_DefenceService_Fake(t *testing.T) {
	contracttest.RunDefenceService(t, func(t *testing.T) contracttest.DefenceHarness {
		f := fakes.NewDefence()
		return &defHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}

type opHarness struct {
	fakeOn[*fakes.Operators]
}

func (h *opHarness) Service() domain.OperatorService { return h.f }

func (h *opHarness) Operator(_ *testing.T, login, fullName, email string, roles ...domain.Role) *domain.Operator {
	return h.f.Add(&domain.Operator{Name: login, FullName: fullName, Email: email, Roles: roles, Language: "lv", CreatedAt: h.Now()})
}

func (h *opHarness) Lock(_ *testing.T, name string, until time.Time) {
	op, _ := h.f.FindOperatorByName(context.Background(), name)
	h.f.Update(op.ID, func(op *domain.Operator) { op.LockedUntil = until })
}

func TestContract_OperatorService_Fake(t *testing.T) {
	contracttest.RunOperatorService(t, func(t *testing.T) contracttest.OperatorHarness {
		f := fakes.NewOperators()
		return &opHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}

type auditHarness struct {
	fakeOn[*fakes.Audit]
}

func (h *auditHarness) Service() domain.AuditService { return h.f }

func TestContract_AuditService_Fake(t *testing.T) {
	contracttest.RunAuditService(t, func(t *testing.T) contracttest.AuditHarness {
		f := fakes.NewAudit(0)
		return &auditHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}

type authHarness struct {
	ops  *fakes.Operators
	auth *fakes.Auth
}

func (h *authHarness) Service() domain.AuthService { return h.auth }

func (h *authHarness) Operators() domain.OperatorService { return h.ops }

func (h *authHarness) Operator(_ *testing.T, login, fullName, email string, roles ...domain.Role) *domain.Operator {
	return h.ops.Add(&domain.Operator{Name: login, FullName: fullName, Email: email, Roles: roles, Language: "lv"})
}

func (h *authHarness) SetPassword(t *testing.T, op *domain.Operator, password string) {
	if err := h.ops.SetOperatorPassword(t.Context(), op.Name, password); err != nil {
		t.Fatalf("set %s's password: %v", op.Name, err)
	}
	h.auth.SetPassword(op.Name, password)
}

func (h *authHarness) Attempts(_ *testing.T, name string) int {
	_, answers := h.auth.NoSessionCalls()
	n := 0
	for _, a := range answers {
		if strings.HasPrefix(a, name+" ") {
			n++
		}
	}
	return n
}

func (h *authHarness) Entries(_ *testing.T, op *domain.Operator) []string {
	ins, outs := h.auth.Calls()
	noSessions, _ := h.auth.NoSessionCalls()
	var out []string
	for _, c := range []struct {
		what, prefix string
		calls        []string
	}{{"sign_in ", op.Name + " ", ins}, {"sign_out ", op.Name + " ", outs}, {"no_session ", strconv.FormatInt(op.ID, 10) + " ", noSessions}} {
		for _, s := range c.calls {
			if rest, ok := strings.CutPrefix(s, c.prefix); ok {
				out = append(out, c.what+rest)
			}
		}
	}
	return out
}

func TestContract_AuthService_Fake(t *testing.T) {
	contracttest.RunAuthService(t, func(t *testing.T) contracttest.AuthHarness {
		ops := fakes.NewOperators()
		return &authHarness{ops: ops, auth: fakes.NewAuth(ops)}
	})
}

type feedHarness struct{ f *fakes.Feed }

func (h feedHarness) Service() domain.ChangeFeed { return h.f }

func (h feedHarness) Publish(_ *testing.T, topic, id string) {
	h.f.Publish(domain.Change{Topic: topic, ID: id})
}

func (h feedHarness) Interrupt(*testing.T) {
	h.f.Publish(domain.Change{Topic: domain.TopicDB, ID: domain.ChangeDown})
	h.f.Publish(domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp})
}

func TestContract_ChangeFeed_Fake(t *testing.T) {
	contracttest.RunChangeFeed(t, func(*testing.T) contracttest.FeedHarness { return feedHarness{fakes.NewFeed()} })
}

type dashHarness struct {
	fakeOn[*fakes.Dashboard]
	rr  *rrHarness
	imk *imkHarness
	hd  *hdHarness
}

func (h *dashHarness) Service() domain.DashboardService { return h.f }

func (h *dashHarness) SeedRoleRequest(t *testing.T, s contracttest.RoleRequestSeed) int64 {
	return h.rr.SeedRoleRequest(t, s)
}

func (h *dashHarness) SeedReverification(_ *testing.T, state domain.ReverifyState, age time.Duration) int64 {
	r := &domain.Reverification{State: state, CreatedAt: h.Now().Add(-age), InstitutionName: "Iestāde"}
	if state != domain.ReverifyPassed {
		r.Differences = []domain.Difference{domain.DiffNameChanged}
	}
	return h.f.Reverify.Add(r).ID
}

func (h *dashHarness) SeedIMK(t *testing.T, s contracttest.IMKSeed) int64 { return h.imk.SeedIMK(t, s) }

func (h *dashHarness) SeedTicket(t *testing.T, s contracttest.TicketSeed) int64 {
	return h.hd.SeedTicket(t, s)
}

func TestContract_DashboardService_Fake(t *testing.T) {
	contracttest.RunDashboardService(t, func(t *testing.T) contracttest.DashboardHarness {
		d := &fakes.Dashboard{RoleRequests: fakes.NewRoleRequests(), IMK: fakes.NewIMK(), Helpdesk: fakes.NewHelpdesk(), Reverify: fakes.NewReverify()}
		var now func() time.Time
		h := &dashHarness{fakeOn: newFakeOn(d, &now)}
		d.RoleRequests.Now, d.IMK.Now, d.Helpdesk.Now, d.Reverify.Now = now, now, now, now
		// The queues' harnesses seed on the same clock.
		h.rr = &rrHarness{fakeOn: fakeOn[*fakes.RoleRequests]{h.fakeClock, h.fakeStaff, d.RoleRequests}}
		h.imk = &imkHarness{fakeOn: fakeOn[*fakes.IMK]{h.fakeClock, h.fakeStaff, d.IMK}}
		h.hd = &hdHarness{fakeOn: fakeOn[*fakes.Helpdesk]{h.fakeClock, h.fakeStaff, d.Helpdesk}}
		return h
	})
}

type insHarness struct {
	fakeOn[*fakes.Institutions]
	next int64
}

func (h *insHarness) Service() domain.InstitutionService { return h.f }

func (h *insHarness) Institution(_ *testing.T, name, company, education string, state domain.InstitutionState) int64 {
	h.next++
	h.f.Rows = append(h.f.Rows, &domain.Institution{ID: h.next, Name: name, CompanyRegNumber: company,
		EducationRegNumber: education, Email: "kanceleja@example.lv", State: state, Version: 1})
	return h.next
}

func (h *insHarness) ReverifyDue(_ *testing.T, id int64, at time.Time) {
	for _, i := range h.f.Rows {
		if i.ID == id {
			i.ReverifyDueAt = at.UTC()
		}
	}
}

func TestContract_InstitutionService_Fake(t *testing.T) {
	contracttest.RunInstitutionService(t, func(t *testing.T) contracttest.InstitutionHarness {
		f := fakes.NewInstitutions()
		return &insHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}

type sanHarness struct {
	fakeOn[*fakes.Sanctions]
}

func (h *sanHarness) Service() domain.SanctionService { return h.f }

func (h *sanHarness) Institution(_ *testing.T, name, regNumber string) int64 {
	return h.f.AddInstitution(domain.SanctionInstitution{Name: name, CompanyRegNumber: regNumber, EducationRegNumber: regNumber[1:]})
}

func TestContract_SanctionService_Fake(t *testing.T) {
	contracttest.RunSanctionService(t, func(t *testing.T) contracttest.SanctionHarness {
		f := fakes.NewSanctions()
		return &sanHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}

type misuseHarness struct {
	fakeOn[*fakes.Misuse]
	next int64
}

func (h *misuseHarness) Service() domain.MisuseService { return h.f }

func (h *misuseHarness) SeedSignal(_ *testing.T, s *domain.MisuseSignal) int64 {
	h.next++
	cp := *s
	cp.ID = h.next
	h.f.Signals = append(h.f.Signals, &cp)
	return cp.ID
}

func TestContract_MisuseService_Fake(t *testing.T) {
	contracttest.RunMisuseService(t, func(t *testing.T) contracttest.MisuseHarness {
		f := fakes.NewMisuse()
		return &misuseHarness{fakeOn: newFakeOn(f, &f.Now)}
	})
}
