package app

import (
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/pages/alerts"
	"github.com/viaa/ppp/tui/pages/announcements"
	"github.com/viaa/ppp/tui/pages/audit"
	"github.com/viaa/ppp/tui/pages/dashboard"
	"github.com/viaa/ppp/tui/pages/denials"
	"github.com/viaa/ppp/tui/pages/helpdesk"
	"github.com/viaa/ppp/tui/pages/imk"
	"github.com/viaa/ppp/tui/pages/operators"
	"github.com/viaa/ppp/tui/pages/policy"
	"github.com/viaa/ppp/tui/pages/rolerequests"
	"github.com/viaa/ppp/tui/pages/signins"
	"github.com/viaa/ppp/tui/pages/terms"
)

type tabID int

const (
	tabDashboard tabID = iota
	tabOperators
	tabAudit
	tabRoleRequests
	tabTerms
	tabAnnouncements
	tabDenials
	tabIMK
	tabHelpdesk
	tabAlerts
	tabSignIns
	tabPolicy
)

var allTabs = []tabID{tabDashboard, tabRoleRequests, tabIMK, tabHelpdesk, tabTerms, tabAnnouncements, tabDenials, tabOperators, tabAudit, tabAlerts, tabSignIns, tabPolicy}

type tab struct {
	id    tabID
	title string // catalog key
}

// visibleTabs lists the screens op may see: role requests and IMK
// eligibility reviews for reviewers (each with its service), the
// helpdesk's requests for the helpdesk (with its service),
// the terms of use and announcements for editors (each when its service is
// there), access denials for security officers (with their service),
// operators for administrators, the audit log for administrators
// and security officers, and the IMK target-group policy for editors and
// administrators (with its service).
func visibleTabs(op *domain.Operator, svc common.Services) []tab {
	tabs := []tab{{tabDashboard, "tui.tab.dashboard"}}
	if op.HasRole(domain.RoleReviewer) && svc.RoleRequests != nil {
		tabs = append(tabs, tab{tabRoleRequests, "tui.tab.rolerequests"})
	}
	if op.HasRole(domain.RoleReviewer) && svc.IMK != nil {
		tabs = append(tabs, tab{tabIMK, "tui.tab.imk"})
	}
	if op.HasRole(domain.RoleHelpdesk) && svc.Helpdesk != nil {
		tabs = append(tabs, tab{tabHelpdesk, "tui.tab.helpdesk"})
	}
	if op.HasRole(domain.RoleEditor) && svc.Terms != nil {
		tabs = append(tabs, tab{tabTerms, "tui.tab.terms"})
	}
	if op.HasRole(domain.RoleEditor) && svc.Announcements != nil {
		tabs = append(tabs, tab{tabAnnouncements, "tui.tab.announcements"})
	}
	if op.HasRole(domain.RoleSecurity) && svc.Denials != nil {
		tabs = append(tabs, tab{tabDenials, "tui.tab.denials"})
	}
	if op.HasRole(domain.RoleAdmin) {
		tabs = append(tabs, tab{tabOperators, "tui.tab.operators"})
	}
	if op.HasRole(domain.RoleAdmin) || op.HasRole(domain.RoleSecurity) {
		tabs = append(tabs, tab{tabAudit, "tui.tab.audit"})
	}
	// The defences of issue 9 come last, so the other screens keep their
	// numbers.
	if op.HasRole(domain.RoleSecurity) && svc.Defence != nil {
		tabs = append(tabs, tab{tabAlerts, "tui.tab.alerts"})
	}
	if svc.Defence != nil {
		tabs = append(tabs, tab{tabSignIns, "tui.tab.signins"})
	}
	// The approval of IMK policy drafts (issue 13), last for the same
	// reason.
	if (op.HasRole(domain.RoleEditor) || op.HasRole(domain.RoleAdmin)) && svc.Policy != nil {
		tabs = append(tabs, tab{tabPolicy, "tui.tab.policy"})
	}
	return tabs
}

// pageMakers builds each screen. A session builds a screen the first time
// its tab is opened, so that an operator who stays on the dashboard holds
// (and loads) nothing of the other screens.
var pageMakers = map[tabID]func(c *common.Common) common.Page{
	tabDashboard:     func(c *common.Common) common.Page { return dashboard.New(c) },
	tabOperators:     func(c *common.Common) common.Page { return operators.New(c) },
	tabAudit:         func(c *common.Common) common.Page { return audit.New(c) },
	tabRoleRequests:  func(c *common.Common) common.Page { return rolerequests.New(c) },
	tabTerms:         func(c *common.Common) common.Page { return terms.New(c) },
	tabAnnouncements: func(c *common.Common) common.Page { return announcements.New(c) },
	tabDenials:       func(c *common.Common) common.Page { return denials.New(c) },
	tabIMK:           func(c *common.Common) common.Page { return imk.New(c) },
	tabHelpdesk:      func(c *common.Common) common.Page { return helpdesk.New(c) },
	tabAlerts:        func(c *common.Common) common.Page { return alerts.New(c) },
	tabSignIns:       func(c *common.Common) common.Page { return signins.New(c) },
	tabPolicy:        func(c *common.Common) common.Page { return policy.New(c) },
}
