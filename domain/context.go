package domain

import "context"

// Actor is who is acting: an operator in an SSH session, or the command
// line (OperatorID 0, Name "cli:<os user>"), or the server itself ("system"),
// or a system calling the portal API (APIClient set, Name "api:<client>").
type Actor struct {
	OperatorID int64
	Name       string
	SessionID  string
	RemoteAddr string
	// APIClient is the name of the API client whose call this is (issue
	// 15), and APIClientID its id; empty and 0 for everyone else.
	APIClient   string
	APIClientID int64
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// IsOperator reports whether the actor is a back-office operator: one
// signed in over SSH, or a command-line verb acting as one. Any other
// actor (OperatorID 0) is the back office itself — the server's own work,
// the portal's door, or a command-line verb run by someone who holds the
// database's credentials.
//
// Every method of every service interface checks its caller itself,
// whatever the screens show (issue 13). An operator must be enabled
// (EUNAUTHORIZED otherwise) and hold one of the roles the method needs
// (EFORBIDDEN otherwise), as each interface says: reviewer for role
// requests and IMK, helpdesk for tickets, security for denials and
// alerts, editor for terms and announcements, editor or admin for the IMK
// policy, admin for operators, admin or security for the audit log. The
// back office itself may read and administer, never decide what a person
// decides (claims, decisions, four eyes), which needs an operator.
func (a Actor) IsOperator() bool { return a.OperatorID > 0 }

// IsAPIClient reports whether the actor is a system calling the portal API
// (issue 15). Such an actor is no operator and not the back office itself
// either: it may call the portal's methods (PortalService) and nothing a
// screen or the command line calls, which refuse it as they refuse a
// caller without an operator.
func (a Actor) IsAPIClient() bool { return a.APIClient != "" && a.OperatorID == 0 }

// ActorFrom returns the actor in ctx; the zero Actor names "system".
func ActorFrom(ctx context.Context) Actor {
	a, ok := ctx.Value(actorKey{}).(Actor)
	if !ok || a.Name == "" {
		return Actor{Name: "system"}
	}
	return a
}
