package storage

import (
	"context"
	"errors"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// Who may call a service method (issue 13). Every method of every service
// reads its caller with loadActor or loadCaller, naming the roles it needs,
// before it reads or changes anything: a screen that hides a tab is a
// convenience, never the permission. The roles per method follow the
// README's table of screens; the contract is proved by
// TestPermissions_* (permissions_test.go), one table per service.

// actor is who acts in ctx, as a service method needs them.
type actor struct {
	id      int64  // the operator's id; 0 for the back office itself
	login   string // sign-in name; "" for the back office itself
	name    string // full name, or the sign-in name
	email   string // lower case; "" when the account has none
	session string
	roles   []string
}

// machine reports whether the actor is the back office itself (the
// server's own work, the portal's door, the command line) rather than an
// operator.
func (a *actor) machine() bool { return a.id == 0 }

// ref is the actor as domain's rules see them (RoleRequest.Allows …).
func (a *actor) ref() domain.OperatorRef {
	return domain.OperatorRef{ID: a.id, Name: a.name, Email: a.email}
}

// operator is the actor as domain's rules about operators see them.
func (a *actor) operator() *domain.Operator {
	op := &domain.Operator{ID: a.id, Name: a.login, FullName: a.name, Email: a.email}
	for _, r := range a.roles {
		op.Roles = append(op.Roles, domain.Role(r))
	}
	return op
}

// has reports whether the actor holds any of roles.
func (a *actor) has(roles ...domain.Role) bool {
	for _, r := range roles {
		if slices.Contains(a.roles, string(r)) {
			return true
		}
	}
	return false
}

// guard holds the refusals of one area of work, so that each screen
// explains them in its own words: noOperator (EUNAUTHORIZED) when ctx
// names no enabled operator, forbidden (EFORBIDDEN) when the operator
// holds none of the roles a method needs.
type guard struct {
	noOperator *domain.Error
	forbidden  *domain.Error
}

// refuse returns a copy of e, so that no caller can change the template.
func refuse(e *domain.Error) error {
	c := *e
	return &c
}

// The areas' refusals. Their keys are the ones the screens showed before
// the loaders became one; the new ones are in domain/i18n/permissions.go.
var (
	roleRequestGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "rolerequest.no_operator", "only a signed-in operator can work the queue"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "rolerequest.not_reviewer", "role requests are worked by reviewers"),
	}
	imkGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "imk.no_operator", "only a signed-in operator can review IMK applications"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "imk.not_reviewer", "IMK applications are reviewed by reviewers"),
	}
	helpdeskGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "helpdesk.no_operator", "only a signed-in operator can work on tickets"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "helpdesk.not_helpdesk", "this needs the helpdesk role"),
	}
	denialGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "denial.no_operator", "only a signed-in operator can deny or restore access"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "denial.not_security", "this needs the security role"),
	}
	editorGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "editor.no_operator", "only a signed-in operator can edit terms and announcements"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "editor.not_editor", "only an editor can do this"),
	}
	policyGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "imk.policy_no_operator", "only a signed-in operator can change the target-group policy"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "imk.policy_not_editor", "only an editor or an administrator can change the target-group policy"),
	}
	defenceGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "defence.no_operator", "only a signed-in operator can do this"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "defence.forbidden", "you do not hold the role this needs"),
	}
	operatorGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "access.no_operator", "only a signed-in operator can do this"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "operator.not_admin", "back-office accounts are managed by administrators"),
	}
	auditGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "access.no_operator", "only a signed-in operator can do this"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "audit.forbidden", "the audit log is for administrators and security officers"),
	}
	dashboardGuard = guard{
		noOperator: domain.Errorf(domain.EUNAUTHORIZED, "access.no_operator", "only a signed-in operator can do this"),
		forbidden:  domain.Errorf(domain.EFORBIDDEN, "access.forbidden", "you do not hold the role this needs"),
	}
)

// querier is what loadActor reads with: a transaction or the pool.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// loadActor reads the operator acting in ctx, as they are in the database
// now (a role taken away counts at once), and checks that they hold one of
// roles (any enabled operator will do when roles is empty). It returns the
// guard's EUNAUTHORIZED when ctx names no operator, or one that does not
// exist or is disabled, and its EFORBIDDEN when the operator holds none of
// roles; EUNAVAILABLE when the database does not answer.
func loadActor(ctx context.Context, q querier, g guard, roles ...domain.Role) (*actor, error) {
	a := domain.ActorFrom(ctx)
	if !a.IsOperator() {
		return nil, refuse(g.noOperator)
	}
	me := &actor{id: a.OperatorID, session: a.SessionID}
	var disabled bool
	err := q.QueryRow(ctx, `
		SELECT name, coalesce(nullif(full_name, ''), name), lower(email), roles, disabled
		  FROM operators WHERE id = $1`, a.OperatorID).Scan(&me.login, &me.name, &me.email, &me.roles, &disabled)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && disabled) {
		return nil, refuse(g.noOperator)
	}
	if err != nil {
		return nil, dbError("read the acting operator", err)
	}
	if len(roles) > 0 && !me.has(roles...) {
		return nil, refuse(g.forbidden)
	}
	return me, nil
}

// loadCaller is loadActor for the methods the back office itself may call
// too (reads and administration from the command line, the server's own
// work): an actor that is not an operator (domain.Actor.IsOperator)
// passes as the machine, without a database round trip; an operator must
// hold one of roles, as in loadActor. An API client (domain.Actor.IsAPIClient)
// is neither: it gets the guard's EUNAUTHORIZED, as loadActor gives it,
// so that the portal's door opens onto the portal's methods only
// (PortalService) and never onto what the screens and the command line
// read and administer (issue 15).
func loadCaller(ctx context.Context, q querier, g guard, roles ...domain.Role) (*actor, error) {
	a := domain.ActorFrom(ctx)
	if a.IsAPIClient() {
		return nil, refuse(g.noOperator)
	}
	if !a.IsOperator() {
		return &actor{name: a.Name, session: a.SessionID}, nil
	}
	return loadActor(ctx, q, g, roles...)
}
