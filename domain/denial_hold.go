package domain

import "time"

// DenialHold is a denial in force that reaches the person or the
// institution a pending decision is about (¶24, ¶32): while it is in
// force, a role request about them cannot be approved, nor their IMK
// application. Reviewers see it on the request before deciding.
type DenialHold struct {
	DenialID int64
	Ground   Ground
	Since    time.Time // when the denial took force
}

// Refusal returns the refusal of an approval that h holds: nil when h is
// nil, otherwise ECONFLICT "denial.holds_approval" (Args: the ground, the
// date the denial took force in the Agency's zone, the denial's number).
// Storage asks it inside the deciding transaction; the screens ask it to
// show the reason before the reviewer decides.
func (h *DenialHold) Refusal() error {
	if h == nil {
		return nil
	}
	return Errorf(ECONFLICT, "denial.holds_approval",
		"access is denied under clause %s since %s (denial #%d): nothing can be approved until it is lifted",
		string(h.Ground), h.Since.In(AgencyZone).Format("02.01.2006"), h.DenialID)
}
