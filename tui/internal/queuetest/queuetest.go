// Package queuetest is the session the queue screens' tests drive, as
// pagetest builds it for every screen.
package queuetest

import "github.com/viaa/ppp/tui/internal/pagetest"

// The session and its options, as pagetest has them.
type (
	Env     = pagetest.Env
	Options = pagetest.Options
	Opt     = pagetest.Opt
)

// The options and moves, as pagetest has them.
var (
	Size         = pagetest.Size
	Lang         = pagetest.Lang
	WithChanges  = pagetest.WithChanges
	WithServices = pagetest.WithServices
	SessionID    = pagetest.SessionID
	Select       = pagetest.Select
	Open         = pagetest.Open
)
