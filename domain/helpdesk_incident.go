package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Security incidents that reach the helpdesk (¶17.5, ¶25: incidents are
// reported to the Agency) are the security officers' work too: they see
// and work incident tickets in the helpdesk queue, and from one raise a
// ¶32.6 denial (the Agency may deny access on a security incident). The
// rules below are the one place that says so; storage, the screens and the
// test doubles ask them.

// TicketDenyIncident is raising a ¶32.6 denial from an incident ticket.
const TicketDenyIncident TicketAction = "deny_incident"

// HelpdeskRoles are the roles that work the helpdesk queue: the helpdesk
// every ticket, a security officer the incident tickets (¶25, ¶17.5).
var HelpdeskRoles = []Role{RoleHelpdesk, RoleSecurity}

// TicketDenialNote is the template of a thread's note that a ¶32.6
// denial was raised from the ticket; its text is the denial's id. It is
// never mailed.
const TicketDenialNote = "helpdesk.denial_note"

// WorksHelpdesk reports whether op works the helpdesk queue at all (holds
// one of HelpdeskRoles); nil is the back office itself, which reads.
func WorksHelpdesk(op *Operator) bool {
	return op == nil || slices.ContainsFunc(HelpdeskRoles, op.HasRole)
}

// SeesTicketCategory reports whether op may see and work on tickets of
// category c: the back office itself (nil) and the helpdesk every one, a
// security officer incident tickets (¶25, ¶17.5), nobody else any.
func SeesTicketCategory(op *Operator, c TicketCategory) bool {
	switch {
	case op == nil || op.HasRole(RoleHelpdesk):
		return true
	case op.HasRole(RoleSecurity):
		return c == CategoryIncident
	}
	return false
}

// ForOperator narrows f to the tickets op sees (SeesTicketCategory): a
// security officer without the helpdesk role gets incident tickets only,
// whatever categories f names besides. ok is false when f then names no
// category op sees: the list is empty.
func (f TicketFilter) ForOperator(op *Operator) (out TicketFilter, ok bool) {
	if op == nil || op.HasRole(RoleHelpdesk) {
		return f, true
	}
	var cats []TicketCategory
	if len(f.Categories) == 0 {
		f.Categories = TicketCategories
	}
	for _, c := range f.Categories {
		if SeesTicketCategory(op, c) && !slices.Contains(cats, c) {
			cats = append(cats, c)
		}
	}
	f.Categories = cats
	return f, len(cats) > 0
}

// CheckSeenBy returns EFORBIDDEN "helpdesk.incident_only" unless op may see
// the ticket (SeesTicketCategory): a security officer reading a ticket
// that is not an incident.
func (t *Ticket) CheckSeenBy(op *Operator) error {
	if !SeesTicketCategory(op, t.Category) {
		return Errorf(EFORBIDDEN, "helpdesk.incident_only", "security officers see incident tickets only")
	}
	return nil
}

// AllowsOperator is Allows for the operator op with their roles, the rule
// storage, the screen and the test doubles ask before every action on a
// ticket. First what the roles allow: a ticket op may not see is
// EFORBIDDEN "helpdesk.incident_only"; a password reset or a ¶32.4
// suspension request needs the helpdesk role (EFORBIDDEN
// "helpdesk.not_helpdesk"); a ¶32.6 denial needs a security officer
// (EFORBIDDEN "denial.not_security") and an incident ticket (EINVALID
// "helpdesk.not_incident"). Then Allows (resolved, another's claim, no
// account). A nil op is refused what needs an operator's role.
func (t *Ticket) AllowsOperator(a TicketAction, op *Operator, now time.Time) error {
	if a == TicketDenyIncident {
		if op == nil || !op.HasRole(RoleSecurity) {
			return Errorf(EFORBIDDEN, "denial.not_security", "this needs the security role")
		}
		if t.Category != CategoryIncident {
			return Errorf(EINVALID, "helpdesk.not_incident", "a ¶32.6 denial is raised from an incident ticket")
		}
		if t.State == TicketResolved {
			return Errorf(EINVALID, "helpdesk.resolved", "the ticket is resolved")
		}
		if heldByOther(t.ClaimedBy, t.ClaimExpiresAt, op.ID, now) {
			return Errorf(ECONFLICT, "helpdesk.claimed", "%s is working on this ticket", whoOr(t.ClaimedByName))
		}
		return nil
	}
	if err := t.CheckSeenBy(op); err != nil {
		return err
	}
	if (a == TicketReset || a == TicketSuspend) && (op == nil || !op.HasRole(RoleHelpdesk)) {
		return Errorf(EFORBIDDEN, "helpdesk.not_helpdesk", "this needs the helpdesk role")
	}
	var ref OperatorRef
	if op != nil {
		ref = op.Ref()
	}
	return t.Allows(a, ref, now)
}

// IncidentEvidence is the evidence of a ¶32.6 denial raised from ticket
// id: what the officer wrote, led by the ticket's reference
// (TicketReference) unless it names it already.
func IncidentEvidence(id int64, evidence string) string {
	ref := TicketReference(id)
	evidence = strings.TrimSpace(evidence)
	switch {
	case evidence == "":
		return ref
	case containsReference(evidence, ref):
		return evidence
	}
	return ref + "; " + evidence
}

// TicketReference is how a denial's evidence names the helpdesk ticket it
// came from.
func TicketReference(id int64) string { return "helpdesk ticket " + strconv.FormatInt(id, 10) }

// containsReference reports whether s names ref whole: "helpdesk ticket 1"
// is not in "helpdesk ticket 12".
func containsReference(s, ref string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], ref)
		if j < 0 {
			return false
		}
		end := i + j + len(ref)
		if end == len(s) || s[end] < '0' || s[end] > '9' {
			return true
		}
		i = end
	}
}
