package domain

import (
	"context"
	"slices"
	"time"
)

// MisuseKind is what a misuse signal about the Platform's side is about
// (issue 18): applicants and providers rather than staff (Alert).
type MisuseKind string

// Misuse signal kinds.
const (
	// MisuseSharedContact: one e-mail address or phone behind role
	// requests (and IMK applications) of several persons (¶8, ¶27.3: each
	// user applies for themselves).
	MisuseSharedContact MisuseKind = "shared_contact"
	// MisuseIMKContact: IMK applications of several persons sharing an
	// e-mail address.
	MisuseIMKContact MisuseKind = "imk_contact"
	// MisuseRequestBurst: many staff or career consultant role requests
	// for one institution within the window (¶27.2, ¶29.3).
	MisuseRequestBurst MisuseKind = "request_burst"
	// MisuseResetBurst: many password-reset requests for one account
	// within the window (¶31.3).
	MisuseResetBurst MisuseKind = "reset_burst"
)

// MisuseKinds lists the kinds in the order they are shown.
var MisuseKinds = []MisuseKind{MisuseSharedContact, MisuseIMKContact, MisuseRequestBurst, MisuseResetBurst}

// Known reports whether k is one of MisuseKinds.
func (k MisuseKind) Known() bool { return slices.Contains(MisuseKinds, k) }

// MisuseThreshold is the policy of one kind: a signal is raised when a
// count reaches Threshold within Window.
type MisuseThreshold struct {
	Kind          MisuseKind
	Threshold     int
	Window        time.Duration
	ChangedAt     time.Time
	ChangedByName string
}

// Limits of a misuse threshold.
const (
	MisuseThresholdMin = 2
	MisuseThresholdMax = 10000
	MisuseWindowMin    = time.Minute
	MisuseWindowMax    = 366 * 24 * time.Hour
)

// DefaultMisuseThresholds returns the thresholds migration 0330 starts
// with.
func DefaultMisuseThresholds() []MisuseThreshold {
	return []MisuseThreshold{
		{Kind: MisuseSharedContact, Threshold: 3, Window: 30 * 24 * time.Hour},
		{Kind: MisuseIMKContact, Threshold: 2, Window: 30 * 24 * time.Hour},
		{Kind: MisuseRequestBurst, Threshold: 10, Window: time.Hour},
		{Kind: MisuseResetBurst, Threshold: 5, Window: 24 * time.Hour},
	}
}

// CheckMisuseThreshold returns EINVALID "misuse.kind_unknown" for a kind
// not in MisuseKinds, "misuse.threshold_range" for a threshold outside
// MisuseThresholdMin–MisuseThresholdMax, and "misuse.window_range" for a
// window outside MisuseWindowMin–MisuseWindowMax or not whole minutes.
func CheckMisuseThreshold(kind MisuseKind, threshold int, window time.Duration) error {
	switch {
	case !kind.Known():
		return Errorf(EINVALID, "misuse.kind_unknown", "unknown signal kind %q", string(kind))
	case threshold < MisuseThresholdMin || threshold > MisuseThresholdMax:
		return Errorf(EINVALID, "misuse.threshold_range", "the threshold is %d to %d", MisuseThresholdMin, MisuseThresholdMax)
	case window < MisuseWindowMin || window > MisuseWindowMax || window%time.Minute != 0:
		return Errorf(EINVALID, "misuse.window_range", "the window is whole minutes, a minute to 366 days")
	}
	return nil
}

// Reached reports whether count raises a signal: at the threshold or
// above it.
func (t MisuseThreshold) Reached(count int) bool { return t.Threshold > 0 && count >= t.Threshold }

// MisuseEvidence is one row a signal counted: Kind is "role_request",
// "imk_application", "ticket" or "pending_reset".
type MisuseEvidence struct {
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
}

// MisuseSignal is raised by the sweep when a count reaches its threshold;
// nobody is blocked. A security officer closes it with a note. Key names
// what it is about without personal data; Subject is what the officer
// reads (a contact, an institution's name, an account's address).
type MisuseSignal struct {
	ID           int64
	Kind         MisuseKind
	Key          string
	Subject      string
	Count        int
	Threshold    int
	WindowStart  time.Time
	WindowEnd    time.Time
	RaisedAt     time.Time
	Evidence     []MisuseEvidence
	ClosedBy     int64
	ClosedByName string
	ClosedAt     time.Time
	Note         string
}

// CloseBlocker returns ECONFLICT "misuse.closed" once the signal is
// closed.
func (s *MisuseSignal) CloseBlocker() error {
	if !s.ClosedAt.IsZero() {
		return Errorf(ECONFLICT, "misuse.closed", "the signal is already closed")
	}
	return nil
}

// MisuseService holds the signals about applicants and providers and
// their thresholds. Every change is audited.
type MisuseService interface {
	// OpenMisuseSignals lists the signals not yet closed, newest first
	// (security role): EFORBIDDEN "defence.forbidden" otherwise.
	OpenMisuseSignals(ctx context.Context) ([]*MisuseSignal, error)
	// CloseMisuseSignal closes a signal with a note (security role).
	// EINVALID "defence.note_required" without a note, ENOTFOUND
	// "misuse.not_found", ECONFLICT "misuse.closed".
	CloseMisuseSignal(ctx context.Context, id int64, note string) error
	// MisuseThresholds returns the thresholds in MisuseKinds order
	// (security or admin role, or the command line).
	MisuseThresholds(ctx context.Context) ([]MisuseThreshold, error)
	// SetMisuseThreshold changes one kind's threshold and window, audited
	// with the old and new values (admin role, or the command line): the
	// errors of CheckMisuseThreshold, EFORBIDDEN "misuse.not_admin".
	SetMisuseThreshold(ctx context.Context, kind MisuseKind, threshold int, window time.Duration) (MisuseThreshold, error)
}
