package app

import (
	"slices"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/pages/alerts"
	"github.com/viaa/ppp/tui/pages/announcements"
	"github.com/viaa/ppp/tui/pages/audit"
	"github.com/viaa/ppp/tui/pages/bulk"
	"github.com/viaa/ppp/tui/pages/dashboard"
	"github.com/viaa/ppp/tui/pages/denials"
	"github.com/viaa/ppp/tui/pages/helpdesk"
	"github.com/viaa/ppp/tui/pages/imk"
	"github.com/viaa/ppp/tui/pages/institutions"
	"github.com/viaa/ppp/tui/pages/mergeconflicts"
	"github.com/viaa/ppp/tui/pages/operators"
	"github.com/viaa/ppp/tui/pages/people"
	"github.com/viaa/ppp/tui/pages/policy"
	"github.com/viaa/ppp/tui/pages/reports"
	"github.com/viaa/ppp/tui/pages/reverify"
	"github.com/viaa/ppp/tui/pages/rolerequests"
	"github.com/viaa/ppp/tui/pages/sanctions"
	"github.com/viaa/ppp/tui/pages/signins"
	"github.com/viaa/ppp/tui/pages/terms"
)

// screenID names a screen for good (tests, the pages of a session). The
// number an operator presses is something else: the screen's position
// among the screens they see.
type screenID string

// screen is one line of the screens table.
type screen struct {
	id screenID
	// title is the catalog key of the screen's name: its tab, the help
	// overlay's title, the jump list.
	title string
	// short is the catalog key of the name a crowded tab bar shows for
	// it; empty: the title, cut.
	short string
	// roles see the screen (any one of them); none: every operator.
	roles []domain.Role
	// not hides the screen from operators with any of these roles: they
	// reach the same work on another screen.
	not []domain.Role
	// service returns the service the screen works on: when that is nil
	// the screen is hidden. Nil when it needs none beyond the required
	// ones.
	service func(*common.Services) any
	// queues are the dashboard's tiles (domain.QueueTile.Queue) of the
	// screen's work: their names find the screen in the jump list too.
	queues []string
	// make builds the screen; a session builds it the first time it is
	// opened.
	make func(*common.Common) common.Page
}

// screens is the table of screens, in the order of their tabs. Tabs, their
// numbers, the help overlay, the jump list and who sees what all read it:
// adding a screen is one line here (and its package). Operators rely on
// the numbers 1–9, so a new screen goes at the end.
var screens = []screen{
	{id: "dashboard", title: "tui.tab.dashboard",
		make: func(c *common.Common) common.Page { return dashboard.New(c) }},
	{id: "rolerequests", title: "tui.tab.rolerequests", short: "tui.tab.short.rolerequests", roles: roles(domain.RoleReviewer),
		service: func(s *common.Services) any { return s.RoleRequests }, queues: []string{"role_requests", "role_requests_institution"},
		make: func(c *common.Common) common.Page { return rolerequests.New(c) }},
	{id: "imk", title: "tui.tab.imk", roles: roles(domain.RoleReviewer),
		service: func(s *common.Services) any { return s.IMK }, queues: []string{"imk_review"},
		make: func(c *common.Common) common.Page { return imk.New(c) }},
	{id: "helpdesk", title: "tui.tab.helpdesk", short: "tui.tab.short.helpdesk", roles: roles(domain.RoleHelpdesk),
		service: func(s *common.Services) any { return s.Helpdesk }, queues: []string{"helpdesk"},
		make: func(c *common.Common) common.Page { return helpdesk.New(c) }},
	{id: "terms", title: "tui.tab.terms", short: "tui.tab.short.terms", roles: roles(domain.RoleEditor),
		service: func(s *common.Services) any { return s.Terms },
		make:    func(c *common.Common) common.Page { return terms.New(c) }},
	{id: "announcements", title: "tui.tab.announcements", short: "tui.tab.short.announcements", roles: roles(domain.RoleEditor),
		service: func(s *common.Services) any { return s.Announcements },
		make:    func(c *common.Common) common.Page { return announcements.New(c) }},
	{id: "denials", title: "tui.tab.denials", short: "tui.tab.short.denials", roles: roles(domain.RoleSecurity),
		service: func(s *common.Services) any { return s.Denials },
		make:    func(c *common.Common) common.Page { return denials.New(c) }},
	{id: "operators", title: "tui.tab.operators", short: "tui.tab.short.operators", roles: roles(domain.RoleAdmin),
		make: func(c *common.Common) common.Page { return operators.New(c) }},
	{id: "audit", title: "tui.tab.audit", short: "tui.tab.short.audit", roles: roles(domain.RoleAdmin, domain.RoleSecurity),
		make: func(c *common.Common) common.Page { return audit.New(c) }},
	// The defences of issue 9.
	{id: "alerts", title: "tui.tab.alerts", short: "tui.tab.short.alerts", roles: roles(domain.RoleSecurity),
		service: func(s *common.Services) any { return s.Defence },
		make:    func(c *common.Common) common.Page { return alerts.New(c) }},
	{id: "signins", title: "tui.tab.signins", short: "tui.tab.short.signins",
		service: func(s *common.Services) any { return s.Defence },
		make:    func(c *common.Common) common.Page { return signins.New(c) }},
	// The approval of IMK policy drafts (issue 13).
	{id: "policy", title: "tui.tab.policy", short: "tui.tab.short.policy", roles: roles(domain.RoleEditor, domain.RoleAdmin),
		service: func(s *common.Services) any { return s.Policy },
		make:    func(c *common.Common) common.Page { return policy.New(c) }},
	// Security officers work the helpdesk's incident tickets (¶25, ¶17.5)
	// on the helpdesk's screen, which its service narrows to them; it
	// comes last so that their other screens keep their numbers, and an
	// operator who also has the helpdesk role works them there.
	{id: "incidents", title: "tui.tab.incidents", short: "tui.tab.short.incidents", roles: roles(domain.RoleSecurity),
		not: roles(domain.RoleHelpdesk), service: func(s *common.Services) any { return s.Helpdesk },
		make: func(c *common.Common) common.Page { return helpdesk.New(c) }},
	// One page per person (issue 17).
	{id: "people", title: "tui.tab.people", short: "tui.tab.short.people", roles: roles(domain.PersonRolesAllowed...), service: func(s *common.Services) any { return s.People }, make: func(c *common.Common) common.Page { return people.New(c) }},
	// The institutions and their pages (issue 17).
	{id: "institutions", title: "tui.tab.institutions", short: "tui.tab.short.institutions", roles: roles(domain.RoleReviewer, domain.RoleSecurity, domain.RoleAdmin),
		service: func(s *common.Services) any { return s.Institutions },
		make:    func(c *common.Common) common.Page { return institutions.New(c) }},
	{id: "reverification", title: "tui.tab.reverify", short: "tui.tab.short.reverify", roles: roles(domain.RoleReviewer), service: func(s *common.Services) any { return s.Reverify }, queues: []string{domain.QueueReverify}, make: func(c *common.Common) common.Page { return reverify.New(c) }},
	// Sanction cases against institutions, ¶32.5, ¶32.7 (issue 17).
	{id: "sanctions", title: "tui.tab.sanctions", short: "tui.tab.short.sanctions", roles: roles(domain.RoleSecurity), service: func(s *common.Services) any { return s.Sanctions }, make: func(c *common.Common) common.Page { return sanctions.New(c) }},
	// Person merge conflicts (issue 17, task "account").
	{id: "mergeconflicts", title: "tui.tab.mergeconflicts", short: "tui.tab.short.mergeconflicts", roles: roles(domain.RoleSecurity, domain.RoleAdmin),
		service: func(s *common.Services) any { return s.PersonMerge },
		make:    func(c *common.Common) common.Page { return mergeconflicts.New(c) }},
	{id: "bulk", title: "tui.tab.bulk", short: "tui.tab.short.bulk", roles: roles(domain.RoleReviewer, domain.RoleSecurity), service: func(s *common.Services) any { return s.Bulk }, make: func(c *common.Common) common.Page { return bulk.New(c) }},
	{id: "reports", title: "tui.tab.reports", short: "tui.tab.short.reports", roles: roles(domain.RoleAdmin, domain.RoleSecurity), service: func(s *common.Services) any { return s.Reports }, make: func(c *common.Common) common.Page { return reports.New(c) }},
}

func roles(r ...domain.Role) []domain.Role { return r }

// visibleTo reports whether op sees s with the services svc.
func (s *screen) visibleTo(op *domain.Operator, svc *common.Services) bool {
	if len(s.roles) > 0 && !slices.ContainsFunc(s.roles, op.HasRole) || slices.ContainsFunc(s.not, op.HasRole) {
		return false
	}
	return s.service == nil || s.service(svc) != nil
}

// visibleScreens returns the screens op sees, in the table's order; the
// first is the dashboard, which everyone sees.
func visibleScreens(op *domain.Operator, svc *common.Services) []*screen {
	var out []*screen
	for i := range screens {
		if screens[i].visibleTo(op, svc) {
			out = append(out, &screens[i])
		}
	}
	return out
}
