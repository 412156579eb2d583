package domain

// TermsPending is the version of the terms of use in force that the
// person a pending decision is about has not accepted (¶26.2: one may
// register only having read and approved the Platform's terms). While it
// is set, their role request cannot be approved, nor their IMK
// application; reviewers see it on the request before deciding, and the
// lists flag the row. Only the person accepts (through the portal:
// with the submission, or the portal API's acceptance); nobody accepts
// for them.
type TermsPending struct {
	VersionID int64
	Number    string // the version's number, such as "2024-09-04"
}

// Refusal returns the refusal of an approval that p holds: nil when p is
// nil, otherwise ECONFLICT "terms.not_accepted" (Args: the version's
// number). Storage asks it inside the deciding transaction; the screens
// ask it to show the reason before the reviewer decides.
func (p *TermsPending) Refusal() error {
	if p == nil {
		return nil
	}
	return Errorf(ECONFLICT, "terms.not_accepted",
		"the person has not accepted the terms of use in force (version %s): nothing can be approved until they do (¶26.2)", p.Number)
}
