package app

// Why a session ended; RecordSignOut receives these.
const (
	ReasonQuit     = "quit"
	ReasonIdle     = "idle"
	ReasonMax      = "max"
	ReasonDisabled = "disabled"
	ReasonShutdown = "shutdown"
	ReasonDropped  = "dropped"
)

// EndSessionMsg asks the session to end for Reason (one of the Reason
// constants); the server sends it on shutdown, at the absolute time limit
// and when the operator is disabled.
type EndSessionMsg struct{ Reason string }

// FarewellKey returns the catalog key of the line shown after a session
// ended for reason; empty when nothing needs saying.
func FarewellKey(reason string) string {
	switch reason {
	case ReasonIdle, ReasonMax, ReasonDisabled, ReasonShutdown:
		return "tui.end." + reason
	}
	return ""
}
