// Package common holds what every screen of one SSH session shares: the
// session's context, size, styles, catalog, key map, services and operator.
// Nothing here lives in a package variable; each session has its own Common.
package common

import (
	"context"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/theme"
)

// Services are the domain services the screens use. Every call takes
// Common.Ctx, which carries the session's actor and ends with the session.
type Services struct {
	Operators domain.OperatorService
	Audit     domain.AuditService
	Dashboard domain.DashboardService
	Feed      domain.ChangeFeed
	// RoleRequests is the reviewers' queue; nil hides its screen.
	RoleRequests domain.RoleRequestService
	// Terms is the editors' work on the terms of use; nil hides its screen.
	Terms domain.TermsService
	// Announcements are news and planned downtime; nil hides the editors'
	// screen and the downtime banner.
	Announcements domain.AnnouncementService
	// Denials is the security officers' work on access denials; nil hides
	// its screen.
	Denials domain.DenialService
	// IMK is the reviewers' queue of IMK eligibility reviews (¶26); nil
	// hides its screen.
	IMK domain.IMKService
	// Helpdesk is the helpdesk's queue of requests that came by mail; nil
	// hides its screen.
	Helpdesk domain.HelpdeskService
	// Defence holds the second approval of privileged resets, the misuse
	// alerts and the sign-in history (issue 9); nil hides their screens.
	Defence domain.DefenceService
	// Policy is the IMK target-group policy, whose drafts a second editor
	// or administrator approves (issue 13); nil hides its screen.
	Policy domain.PolicyService
}

// Common is shared by the root model and its pages. It is only read and
// written on the program's event loop; commands that run elsewhere copy what
// they need before they start.
type Common struct {
	Ctx      context.Context
	Width    int // of the page area
	Height   int // of the page area
	Styles   *theme.Styles
	Catalog  i18n.Catalog
	Keys     KeyMap
	Services Services
	Operator *domain.Operator
	Now      func() time.Time
}

// T translates key in the session's language.
func (c *Common) T(key string, args ...any) string { return c.Catalog.T(key, args...) }

// SetLanguage switches the catalog and the key map's help texts.
func (c *Common) SetLanguage(lang i18n.Lang) {
	c.Catalog = i18n.For(lang)
	c.Keys = NewKeyMap(c.Catalog)
}

// Clock returns the current time from Now, or time.Now when Now is unset.
func (c *Common) Clock() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// RoleName returns the role's name in the session's language.
func (c *Common) RoleName(r domain.Role) string { return c.T("tui.role." + string(r)) }

// RoleNames joins the names of roles with ", ".
func (c *Common) RoleNames(roles []domain.Role) string {
	s := ""
	for i, r := range roles {
		if i > 0 {
			s += ", "
		}
		s += c.RoleName(r)
	}
	return s
}
