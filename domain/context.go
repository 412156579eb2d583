package domain

import "context"

// Actor is who is acting: an operator in an SSH session, or the command
// line (OperatorID 0, Name "cli:<os user>"), or the server itself ("system").
type Actor struct {
	OperatorID int64
	Name       string
	SessionID  string
	RemoteAddr string
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx; the zero Actor names "system".
func ActorFrom(ctx context.Context) Actor {
	a, ok := ctx.Value(actorKey{}).(Actor)
	if !ok || a.Name == "" {
		return Actor{Name: "system"}
	}
	return a
}
