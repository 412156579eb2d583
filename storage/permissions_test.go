package storage_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// Permissions live in the services (issue 13): an operator who lacks the
// role a method needs gets EFORBIDDEN from every method of every service
// interface, whatever the screens show. Each test below lists every method
// of one interface (reflection fails the test when a method has no case),
// and calls it as an operator holding every role except the ones it needs,
// on real PostgreSQL. Methods any enabled operator may call are called by
// a disabled operator instead, who must get EUNAUTHORIZED.

// permCase is one method of an interface: the roles it needs (any of
// them; none: any enabled operator) and a call of it with plausible
// arguments, so that nothing but the role can refuse it.
type permCase struct {
	roles []domain.Role
	call  func(ctx context.Context) error
	// free marks a method that reads nobody's data and takes no context,
	// such as a service's configuration: there is nothing to refuse.
	free bool
}

// needs is a shorter way to write a permCase.
func needs(call func(ctx context.Context) error, roles ...domain.Role) permCase {
	return permCase{roles: roles, call: call}
}

// permEnv is a database with an operator for each set of roles a test
// needs, made on first use.
type permEnv struct {
	db    *storage.DB
	ops   map[string]*domain.Operator
	other *domain.Operator // a bystander whose things are asked for
}

func newPermEnv(t *testing.T) *permEnv {
	t.Helper()
	e := &permEnv{db: pgtest.NewDB(t), ops: map[string]*domain.Operator{}}
	e.other = e.create(t, "bystander", domain.Roles, false)
	return e
}

// machineCtx acts as the command line: the back office itself.
func machineCtx(t testing.TB) context.Context {
	return domain.WithActor(t.Context(), domain.Actor{Name: "cli:test", RemoteAddr: "test-host"})
}

func (e *permEnv) create(t *testing.T, name string, roles []domain.Role, disabled bool) *domain.Operator {
	t.Helper()
	ops := storage.NewOperatorService(e.db)
	op := &domain.Operator{Name: name, FullName: "Perm " + name, Email: name + "@viaa.gov.lv", Roles: roles}
	if err := ops.CreateOperator(machineCtx(t), op, ""); err != nil {
		t.Fatalf("create operator %s: %v", name, err)
	}
	if disabled {
		if err := ops.SetOperatorDisabled(machineCtx(t), name, true, "test"); err != nil {
			t.Fatal(err)
		}
	}
	return op
}

// without returns a context acting as an operator who holds every role
// but the given ones.
func (e *permEnv) without(t *testing.T, roles []domain.Role) (context.Context, *domain.Operator) {
	t.Helper()
	var keep []domain.Role
	for _, r := range domain.Roles {
		if !slices.Contains(roles, r) {
			keep = append(keep, r)
		}
	}
	if len(keep) == 0 {
		t.Fatalf("a method that needs any of %v cannot be refused by role: list it with no roles", roles)
	}
	key := "without"
	for _, r := range roles {
		key += "-" + string(r)
	}
	op := e.ops[key]
	if op == nil {
		op = e.create(t, key, keep, false)
		e.ops[key] = op
	}
	return asSession(t, op, "sess-"+key), op
}

// disabled returns a context acting as a disabled operator with every
// role.
func (e *permEnv) disabled(t *testing.T) context.Context {
	t.Helper()
	op := e.ops["disabled"]
	if op == nil {
		op = e.create(t, "disabled", domain.Roles, true)
		e.ops["disabled"] = op
	}
	return asSession(t, op, "sess-disabled")
}

// check calls every method of iface (a pointer to an interface type, such
// as (*domain.AuditService)(nil)) as the test's operators and fails on
// any method without a case, or that does not refuse.
func (e *permEnv) check(t *testing.T, iface any, cases map[string]permCase) {
	t.Helper()
	it := reflect.TypeOf(iface).Elem()
	var names []string
	for i := range it.NumMethod() {
		names = append(names, it.Method(i).Name)
	}
	for name := range cases {
		if !slices.Contains(names, name) {
			t.Errorf("case %s is no method of %s", name, it.Name())
		}
	}
	for _, name := range names {
		c, ok := cases[name]
		if !ok {
			t.Errorf("%s.%s has no case: say which roles it needs", it.Name(), name)
			continue
		}
		if c.free {
			if m, _ := it.MethodByName(name); m.Type.NumIn() > 0 {
				t.Errorf("%s.%s takes arguments: it is no configuration read", it.Name(), name)
			}
			continue
		}
		if len(c.roles) == 0 {
			err := c.call(e.disabled(t))
			if domain.ErrorCode(err) != domain.EUNAUTHORIZED {
				t.Errorf("%s.%s by a disabled operator = %v, want EUNAUTHORIZED", it.Name(), name, err)
			}
			continue
		}
		ctx, op := e.without(t, c.roles)
		err := c.call(ctx)
		if domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("%s.%s by %s (%v) = %v, want EFORBIDDEN", it.Name(), name, op.Name, op.Roles, err)
		}
	}
}

func TestPermissions_OperatorService_EveryMethodNeedsAdmin(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewOperatorService(e.db)
	line, fp := newKey(t, "perm")
	if _, err := s.AddOperatorKey(machineCtx(t), e.other.Name, line); err != nil {
		t.Fatal(err)
	}
	admin := domain.RoleAdmin
	e.check(t, (*domain.OperatorService)(nil), map[string]permCase{
		"CreateOperator": needs(func(ctx context.Context) error {
			return s.CreateOperator(ctx, &domain.Operator{Name: "intruder", Roles: []domain.Role{domain.RoleAdmin}}, "")
		}, admin),
		"FindOperatorByName": needs(func(ctx context.Context) error { _, err := s.FindOperatorByName(ctx, e.other.Name); return err }, admin),
		"FindOperatorByID":   needs(func(ctx context.Context) error { _, err := s.FindOperatorByID(ctx, e.other.ID); return err }, admin),
		"UnlockOperator":     needs(func(ctx context.Context) error { _, err := s.UnlockOperator(ctx, e.other.Name); return err }, admin),
		"ListOperators":      needs(func(ctx context.Context) error { _, err := s.ListOperators(ctx); return err }, admin),
		"SetOperatorDisabled": needs(func(ctx context.Context) error {
			return s.SetOperatorDisabled(ctx, e.other.Name, true, "taken over")
		}, admin),
		"SetOperatorRoles": needs(func(ctx context.Context) error {
			return s.SetOperatorRoles(ctx, e.other.Name, []domain.Role{domain.RoleReviewer})
		}, admin),
		"SetOperatorPassword": needs(func(ctx context.Context) error {
			return s.SetOperatorPassword(ctx, e.other.Name, testPassword)
		}, admin),
		"SetOperatorLanguage": needs(func(ctx context.Context) error { return s.SetOperatorLanguage(ctx, e.other.ID, "en") }, admin),
		"AddOperatorKey": needs(func(ctx context.Context) error {
			l, _ := newKey(t, "intruder")
			_, err := s.AddOperatorKey(ctx, e.other.Name, l)
			return err
		}, admin),
		"RemoveOperatorKey": needs(func(ctx context.Context) error { return s.RemoveOperatorKey(ctx, e.other.Name, fp) }, admin),
		"ListOperatorKeys":  needs(func(ctx context.Context) error { _, err := s.ListOperatorKeys(ctx, e.other.Name); return err }, admin),
	})
	// Nothing of the bystander changed.
	other, err := s.FindOperatorByID(machineCtx(t), e.other.ID)
	if err != nil {
		t.Fatal(err)
	}
	if other.Disabled || len(other.Roles) != len(domain.Roles) || other.Language != "lv" {
		t.Errorf("the bystander was changed: %+v", other)
	}
}

// TestPermissions_OperatorService_OwnAccount proves what an operator may
// do to their own account without the admin role: read it, set their
// language and (when forced to change it) their password.
func TestPermissions_OperatorService_OwnAccount(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewOperatorService(e.db)
	ctx, me := e.without(t, []domain.Role{domain.RoleAdmin})
	if got, err := s.FindOperatorByID(ctx, me.ID); err != nil || got.Name != me.Name {
		t.Fatalf("FindOperatorByID(self) = %v, %v", got, err)
	}
	if err := s.SetOperatorLanguage(ctx, me.ID, "en"); err != nil {
		t.Fatalf("SetOperatorLanguage(self): %v", err)
	}
	if err := s.SetOperatorPassword(ctx, me.Name, testPassword); err != nil {
		t.Fatalf("SetOperatorPassword(self): %v", err)
	}
	if _, err := s.FindOperatorByName(ctx, me.Name); err != nil {
		t.Fatalf("FindOperatorByName(self): %v", err)
	}
}

func TestPermissions_AuditService_AdminOrSecurity(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewAuditService(e.db)
	e.check(t, (*domain.AuditService)(nil), map[string]permCase{
		"SearchAudit": needs(func(ctx context.Context) error { _, err := s.SearchAudit(ctx, domain.AuditFilter{}); return err },
			domain.RoleAdmin, domain.RoleSecurity),
		"VerifyAudit": needs(func(ctx context.Context) error { _, err := s.VerifyAudit(ctx); return err },
			domain.RoleAdmin, domain.RoleSecurity),
		// The screens that reveal a personal code record it: the
		// reviewers' queues.
		"RecordAudit": needs(func(ctx context.Context) error {
			return s.RecordAudit(ctx, &domain.AuditEntry{Action: domain.AuditPersonalDataReveal, SubjectKind: "role_request", SubjectID: "1"})
		}, domain.RoleReviewer),
	})
}

func TestPermissions_DashboardService_AnyEnabledOperator(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewDashboardService(e.db)
	e.check(t, (*domain.DashboardService)(nil), map[string]permCase{
		"QueueTiles": needs(func(ctx context.Context) error { _, err := s.QueueTiles(ctx); return err }),
	})
}

func TestPermissions_RoleRequestService_EveryMethodNeedsReviewer(t *testing.T) {
	e := newPermEnv(t)
	rr := &rrEnv{db: e.db, portal: storage.NewPortalService(e.db), svc: storage.NewRoleRequestService(e.db)}
	id := rr.pending(t, domain.KindMunicipalCoordinator)
	s := rr.svc
	d := domain.Decision{RequestID: id, Version: rr.find(t, id).Version, ValidUntil: time.Now().AddDate(1, 0, 0),
		ReasonCode: "other", ReasonText: "no", InfoMessage: "why?"}
	rev := domain.RoleReviewer
	e.check(t, (*domain.RoleRequestService)(nil), map[string]permCase{
		"ListRoleRequests": needs(func(ctx context.Context) error {
			_, err := s.ListRoleRequests(ctx, domain.RoleRequestFilter{})
			return err
		}, rev),
		"FindRoleRequest":    needs(func(ctx context.Context) error { _, err := s.FindRoleRequest(ctx, id); return err }, rev),
		"RoleRequestHistory": needs(func(ctx context.Context) error { _, err := s.RoleRequestHistory(ctx, id); return err }, rev),
		"FindDuplicates":     needs(func(ctx context.Context) error { _, err := s.FindDuplicates(ctx, id); return err }, rev),
		"ClaimRoleRequest":   needs(func(ctx context.Context) error { _, err := s.ClaimRoleRequest(ctx, id); return err }, rev),
		"ReleaseRoleRequest": needs(func(ctx context.Context) error { return s.ReleaseRoleRequest(ctx, id) }, rev),
		// Anyone may give up their own session's claims (a role taken
		// away mid-session must not keep them held); another session's
		// are refused.
		"ReleaseSessionClaims": needs(func(ctx context.Context) error { return s.ReleaseSessionClaims(ctx, "sess-bystander") }, rev),
		"Approve":              needs(func(ctx context.Context) error { return s.Approve(ctx, d) }, rev),
		"Reject":               needs(func(ctx context.Context) error { return s.Reject(ctx, d) }, rev),
		"RequestInfo":          needs(func(ctx context.Context) error { return s.RequestInfo(ctx, d) }, rev),
		"ResendConfirmation":   needs(func(ctx context.Context) error { return s.ResendConfirmation(ctx, id) }, rev),
		"TakeOver":             needs(func(ctx context.Context) error { return s.TakeOver(ctx, d) }, rev),
		"RemindInstitution":    needs(func(ctx context.Context) error { return s.RemindInstitution(ctx, d) }, rev),
		"ClaimNext":            needs(func(ctx context.Context) error { _, err := s.ClaimNext(ctx); return err }, rev),
		"RevealPersonalCode": needs(func(ctx context.Context) error {
			_, err := s.RevealPersonalCode(ctx, id, "curious")
			return err
		}, rev),
		"RoleRequestConfig": {free: true},
		"PersonAssignments": needs(func(ctx context.Context) error { _, err := s.PersonAssignments(ctx, id); return err }, rev),
		"ChangeAssignment": needs(func(ctx context.Context) error {
			return s.ChangeAssignment(ctx, domain.AssignmentChange{AssignmentID: 1, Action: domain.AssignmentEnd, Reason: "x"})
		}, rev),
	})
	if got := rr.find(t, id); got.State != domain.StatePending || got.ClaimedBy != 0 {
		t.Errorf("the request was changed: state %s, claimed by %d", got.State, got.ClaimedBy)
	}
}

func TestPermissions_IMKService_EveryMethodNeedsReviewer(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewIMKService(e.db, storage.NewMirrorRegisters(e.db, storage.Outage{}, nil))
	appID, err := s.ApplyIMK(machineCtx(t), "180565-05610", "Jānis", "Bērziņš", "janis@example.lv")
	if err != nil {
		t.Fatal(err)
	}
	app, err := s.FindIMK(machineCtx(t), appID)
	if err != nil {
		t.Fatal(err)
	}
	rev := domain.RoleReviewer
	e.check(t, (*domain.IMKService)(nil), map[string]permCase{
		"ListIMK":              needs(func(ctx context.Context) error { _, err := s.ListIMK(ctx, domain.IMKFilter{}); return err }, rev),
		"FindIMK":              needs(func(ctx context.Context) error { _, err := s.FindIMK(ctx, app.ID); return err }, rev),
		"ClaimIMK":             needs(func(ctx context.Context) error { _, err := s.ClaimIMK(ctx, app.ID); return err }, rev),
		"ReleaseIMK":           needs(func(ctx context.Context) error { return s.ReleaseIMK(ctx, app.ID) }, rev),
		"Refetch":              needs(func(ctx context.Context) error { _, err := s.Refetch(ctx, app.ID); return err }, rev),
		"DecideIMK":            needs(func(ctx context.Context) error { return s.DecideIMK(ctx, app.ID, app.Version, true, "fits") }, rev),
		"ReleaseSessionClaims": needs(func(ctx context.Context) error { return s.ReleaseSessionClaims(ctx, "sess-bystander") }, rev),
		"RevealPersonalCode": needs(func(ctx context.Context) error {
			_, err := s.RevealPersonalCode(ctx, app.ID, "curious")
			return err
		}, rev),
	})
}

func TestPermissions_HelpdeskService_EveryMethodNeedsHelpdesk(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewHelpdeskService(e.db)
	// The queue is the helpdesk's and, for incident tickets, the security
	// officers' (¶25, ¶17.5); resets and suspension requests are the
	// helpdesk's, a ¶32.6 denial the security officers'.
	hd, sec := domain.RoleHelpdesk, domain.RoleSecurity
	e.check(t, (*domain.HelpdeskService)(nil), map[string]permCase{
		"ListTickets":   needs(func(ctx context.Context) error { _, err := s.ListTickets(ctx, domain.TicketFilter{}); return err }, hd, sec),
		"FindTicket":    needs(func(ctx context.Context) error { _, err := s.FindTicket(ctx, 1); return err }, hd, sec),
		"ClaimTicket":   needs(func(ctx context.Context) error { _, err := s.ClaimTicket(ctx, 1); return err }, hd, sec),
		"ReleaseTicket": needs(func(ctx context.Context) error { return s.ReleaseTicket(ctx, 1) }, hd, sec),
		"SetCategory": needs(func(ctx context.Context) error {
			return s.SetCategory(ctx, 1, 1, domain.CategoryQuestion)
		}, hd, sec),
		"Reply": needs(func(ctx context.Context) error {
			return s.Reply(ctx, 1, 1, "helpdesk.reply", "lv", "Labdien", domain.TicketWaiting)
		}, hd, sec),
		"IssuePasswordReset":   needs(func(ctx context.Context) error { return s.IssuePasswordReset(ctx, 1, 1) }, hd),
		"RequestSuspension":    needs(func(ctx context.Context) error { return s.RequestSuspension(ctx, 1, 1, "asked by mail") }, hd),
		"ReleaseSessionClaims": needs(func(ctx context.Context) error { return s.ReleaseSessionClaims(ctx, "sess-bystander") }, hd, sec),
		"RaiseIncidentDenial": needs(func(ctx context.Context) error {
			_, err := s.RaiseIncidentDenial(ctx, 1, domain.SubjectOperator, e.other.ID, "incident", "")
			return err
		}, sec),
	})
}

func TestPermissions_DenialService_EveryMethodNeedsSecurity(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewDenialService(e.db)
	sec := domain.RoleSecurity
	e.check(t, (*domain.DenialService)(nil), map[string]permCase{
		"ListDenials": needs(func(ctx context.Context) error { _, err := s.ListDenials(ctx, domain.DenialFilter{}); return err }, sec),
		"FindDenial":  needs(func(ctx context.Context) error { _, err := s.FindDenial(ctx, 1); return err }, sec),
		"SubjectHistory": needs(func(ctx context.Context) error {
			_, err := s.SubjectHistory(ctx, domain.SubjectOperator, e.other.ID)
			return err
		}, sec),
		"Deny": needs(func(ctx context.Context) error {
			_, err := s.Deny(ctx, domain.SubjectOperator, e.other.ID, domain.GroundIncident, "incident", "")
			return err
		}, sec),
		"Lift": needs(func(ctx context.Context) error { return s.Lift(ctx, 1, 1, "resolved") }, sec),
		"LiftRequiringNewPassword": needs(func(ctx context.Context) error {
			return s.LiftRequiringNewPassword(ctx, 1, 1, "resolved")
		}, sec),
		"Approve":          needs(func(ctx context.Context) error { return s.Approve(ctx, 1, 1) }, sec),
		"Refuse":           needs(func(ctx context.Context) error { return s.Refuse(ctx, 1, 1, "no") }, sec),
		"PendingApprovals": needs(func(ctx context.Context) error { _, err := s.PendingApprovals(ctx); return err }, sec),
		"SweepRuns":        needs(func(ctx context.Context) error { _, err := s.SweepRuns(ctx, 10); return err }, sec),
		"DeathCheckReport": needs(func(ctx context.Context) error { _, err := s.DeathCheckReport(ctx, time.Now()); return err }, sec),
	})
}

// ¶32.5, ¶32.7: the steps of a sanction case need the security role;
// reading and opening a case, security or reviewer (a re-verification
// escalates to one).
func TestPermissions_SanctionService_SecurityTakesSteps(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewSanctionService(e.db)
	sec, rev := domain.RoleSecurity, domain.RoleReviewer
	e.check(t, (*domain.SanctionService)(nil), map[string]permCase{
		"ListCases": needs(func(ctx context.Context) error { _, err := s.ListCases(ctx, domain.SanctionFilter{}); return err }, sec, rev),
		"CasesOf":   needs(func(ctx context.Context) error { _, err := s.CasesOf(ctx, 1); return err }, sec, rev),
		"FindCase":  needs(func(ctx context.Context) error { _, err := s.FindCase(ctx, 1); return err }, sec, rev),
		"FindInstitutions": needs(func(ctx context.Context) error {
			_, err := s.FindInstitutions(ctx, "skola", 10)
			return err
		}, sec, rev),
		"OpenCase": needs(func(ctx context.Context) error {
			_, err := s.OpenCase(ctx, 1, domain.GroundRulesBroken, "pārkāpums", "")
			return err
		}, sec, rev),
		"ProposeStep": needs(func(ctx context.Context) error {
			_, err := s.ProposeStep(ctx, 1, 1, domain.SanctionWarning, "brīdinājums", "", time.Time{})
			return err
		}, sec),
		"ApproveStep": needs(func(ctx context.Context) error { return s.ApproveStep(ctx, 1, 1) }, sec),
		"RefuseStep":  needs(func(ctx context.Context) error { return s.RefuseStep(ctx, 1, 1, "nē") }, sec),
		"LiftStep":    needs(func(ctx context.Context) error { return s.LiftStep(ctx, 1, 1, "novērsts") }, sec),
		"CloseCase":   needs(func(ctx context.Context) error { return s.CloseCase(ctx, 1, 1, "beigas") }, sec),
	})
}

func TestPermissions_DefenceService_EachMethodItsRoles(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewDefenceService(e.db)
	hd, sec, admin := domain.RoleHelpdesk, domain.RoleSecurity, domain.RoleAdmin
	e.check(t, (*domain.DefenceService)(nil), map[string]permCase{
		"PendingResets": needs(func(ctx context.Context) error { _, err := s.PendingResets(ctx); return err }, hd, sec),
		"ApproveReset":  needs(func(ctx context.Context) error { return s.ApproveReset(ctx, 1) }, hd, sec),
		"RefuseReset":   needs(func(ctx context.Context) error { return s.RefuseReset(ctx, 1, "no") }, hd, sec),
		// A look-up only ever counts against the one who made it.
		"RecordView": needs(func(ctx context.Context) error { return s.RecordView(ctx, strings.Repeat("ab", 32)) }),
		"OpenAlerts": needs(func(ctx context.Context) error { _, err := s.OpenAlerts(ctx); return err }, sec),
		"CloseAlert": needs(func(ctx context.Context) error { return s.CloseAlert(ctx, 1, "seen") }, sec),
		// Everyone sees their own sign-ins; only an administrator sees
		// someone else's.
		"SignIns": needs(func(ctx context.Context) error { _, err := s.SignIns(ctx, e.other.ID, time.Time{}, 10); return err }, admin),
		"RequestEmailChange": needs(func(ctx context.Context) error {
			_, err := s.RequestEmailChange(ctx, 1, "new@example.lv", "asked by phone")
			return err
		}, hd, sec, admin),
		"PendingEmailChanges": needs(func(ctx context.Context) error { _, err := s.PendingEmailChanges(ctx); return err }, hd, admin),
		"ApproveEmailChange":  needs(func(ctx context.Context) error { return s.ApproveEmailChange(ctx, 1) }, hd, admin),
		"RefuseEmailChange":   needs(func(ctx context.Context) error { return s.RefuseEmailChange(ctx, 1, "no") }, hd, admin),
		"AccountHistory":      needs(func(ctx context.Context) error { _, err := s.AccountHistory(ctx, 1); return err }, hd, sec, admin),
		"AccountEmailChanges": needs(func(ctx context.Context) error { _, err := s.AccountEmailChanges(ctx, 1); return err }, hd, sec, admin),
		"StartAccountReset": needs(func(ctx context.Context) error {
			_, err := s.StartAccountReset(ctx, 1, "asked by phone")
			return err
		}, hd),
	})
}

// TestPermissions_PersonMergeService_SecurityOrAdmin: issue 17's merge
// conflicts are resolved by a security officer or an administrator.
func TestPermissions_PersonMergeService_SecurityOrAdmin(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewPersonMergeService(e.db)
	sec, admin := domain.RoleSecurity, domain.RoleAdmin
	e.check(t, (*domain.PersonMergeService)(nil), map[string]permCase{
		"OpenMergeConflicts": needs(func(ctx context.Context) error { _, err := s.OpenMergeConflicts(ctx); return err }, sec, admin),
		"ResolveMergeConflict": needs(func(ctx context.Context) error {
			return s.ResolveMergeConflict(ctx, domain.MergeResolution{ConflictID: 1, Outcome: domain.MergeDistinct, Reason: "x"})
		}, sec, admin),
	})
}

func TestPermissions_TermsService_EveryMethodNeedsEditor(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewTermsService(e.db)
	ed := domain.RoleEditor
	e.check(t, (*domain.TermsService)(nil), map[string]permCase{
		"ListTermsVersions": needs(func(ctx context.Context) error { _, err := s.ListTermsVersions(ctx); return err }, ed),
		"FindTermsVersion":  needs(func(ctx context.Context) error { _, err := s.FindTermsVersion(ctx, 1); return err }, ed),
		"TermsInForce":      needs(func(ctx context.Context) error { _, err := s.TermsInForce(ctx); return err }, ed),
		"StartTermsDraft":   needs(func(ctx context.Context) error { _, err := s.StartTermsDraft(ctx, "9.9", "Noteikumi"); return err }, ed),
		"SaveTermsDraft": needs(func(ctx context.Context) error {
			return s.SaveTermsDraft(ctx, &domain.TermsVersion{ID: 1, Version: 1, Title: "Noteikumi", Text: "1. Teksts."})
		}, ed),
		"SubmitTermsDraft":   needs(func(ctx context.Context) error { return s.SubmitTermsDraft(ctx, 1, 1) }, ed),
		"ReturnTermsDraft":   needs(func(ctx context.Context) error { return s.ReturnTermsDraft(ctx, 1, "redo") }, ed),
		"ApproveAndPublish":  needs(func(ctx context.Context) error { return s.ApproveAndPublish(ctx, 1) }, ed),
		"TermsAcceptance":    needs(func(ctx context.Context) error { _, err := s.TermsAcceptance(ctx, 1); return err }, ed),
		"PendingAcceptances": needs(func(ctx context.Context) error { _, err := s.PendingAcceptances(ctx, 0, 10); return err }, ed),
	})
}

func TestPermissions_AnnouncementService_EditorButBannersForEveryone(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewAnnouncementService(e.db)
	ed := domain.RoleEditor
	e.check(t, (*domain.AnnouncementService)(nil), map[string]permCase{
		"ListAnnouncements": needs(func(ctx context.Context) error { _, err := s.ListAnnouncements(ctx); return err }, ed),
		"SaveAnnouncement": needs(func(ctx context.Context) error {
			return s.SaveAnnouncement(ctx, &domain.Announcement{Kind: domain.AnnouncementNews, Title: "Ziņa", Body: "Teksts"})
		}, ed),
		"PublishAnnouncement":  needs(func(ctx context.Context) error { return s.PublishAnnouncement(ctx, 1) }, ed),
		"WithdrawAnnouncement": needs(func(ctx context.Context) error { return s.WithdrawAnnouncement(ctx, 1, "wrong") }, ed),
		// The downtime banner is shown to every operator.
		"ActiveBanners": needs(func(ctx context.Context) error { _, err := s.ActiveBanners(ctx, time.Now()); return err }),
	})
}

func TestPermissions_PolicyService_EditorOrAdmin(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewPolicyService(e.db)
	ed, admin := domain.RoleEditor, domain.RoleAdmin
	p := domain.DefaultEligibilityPolicy()
	p.Name = "2027"
	e.check(t, (*domain.PolicyService)(nil), map[string]permCase{
		"ListPolicies":  needs(func(ctx context.Context) error { _, err := s.ListPolicies(ctx); return err }, ed, admin),
		"FindPolicy":    needs(func(ctx context.Context) error { _, err := s.FindPolicy(ctx, 1); return err }, ed, admin),
		"PolicyInForce": needs(func(ctx context.Context) error { _, err := s.PolicyInForce(ctx, time.Now()); return err }, ed, admin),
		"DraftPolicy":   needs(func(ctx context.Context) error { q := p; _, err := s.DraftPolicy(ctx, &q); return err }, ed, admin),
		"ApprovePolicy": needs(func(ctx context.Context) error { _, err := s.ApprovePolicy(ctx, 1, time.Time{}); return err }, ed, admin),
		"DiscardPolicy": needs(func(ctx context.Context) error { return s.DiscardPolicy(ctx, 1) }, ed, admin),
	})
}

// TestPermissions_MachineReadsAndAdministers proves that the back office
// itself (the command line, the server's own work) keeps working: it
// administers operators and reads, with no operator in the context.
func TestPermissions_MachineReadsAndAdministers(t *testing.T) {
	e := newPermEnv(t)
	ctx := machineCtx(t)
	if _, err := storage.NewOperatorService(e.db).ListOperators(ctx); err != nil {
		t.Errorf("ListOperators: %v", err)
	}
	if _, err := storage.NewAuditService(e.db).VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit: %v", err)
	}
	if _, err := storage.NewDenialService(e.db).DeathCheckReport(ctx, time.Now()); err != nil {
		t.Errorf("DeathCheckReport: %v", err)
	}
	if _, err := storage.NewPolicyService(e.db).ListPolicies(ctx); err != nil {
		t.Errorf("ListPolicies: %v", err)
	}
	// Deciding is a person's work.
	_, err := storage.NewRoleRequestService(e.db).ClaimNext(ctx)
	wantError(t, err, domain.EUNAUTHORIZED, "rolerequest.no_operator")
}

func TestPermissions_MisuseService_SecurityReadsAndCloses_AdminSets(t *testing.T) {
	e := newPermEnv(t)
	s := storage.NewMisuseService(e.db)
	sec, admin := domain.RoleSecurity, domain.RoleAdmin
	e.check(t, (*domain.MisuseService)(nil), map[string]permCase{
		"OpenMisuseSignals": needs(func(ctx context.Context) error { _, err := s.OpenMisuseSignals(ctx); return err }, sec),
		"CloseMisuseSignal": needs(func(ctx context.Context) error { return s.CloseMisuseSignal(ctx, 1, "redzēts") }, sec),
		"MisuseThresholds":  needs(func(ctx context.Context) error { _, err := s.MisuseThresholds(ctx); return err }, sec, admin),
		"SetMisuseThreshold": needs(func(ctx context.Context) error {
			_, err := s.SetMisuseThreshold(ctx, domain.MisuseResetBurst, 4, time.Hour)
			return err
		}, admin),
	})
}
