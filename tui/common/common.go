// Package common holds what every screen of one SSH session shares: the
// session's context, size, styles, catalog, key map, services and operator.
// Nothing here lives in a package variable; each session has its own Common.
package common

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/domain/plain"
	"github.com/viaa/ppp/tui/theme"
)

// Services are the domain services of the SSH server and of the screens of
// its sessions: the server (tui/server), each session's root model and its
// screens take this one struct as cmd/ppp fills it. Every call from a screen
// takes Common.Ctx, which carries the session's actor and ends with the
// session.
//
// Operators, Audit, Dashboard and Feed are required (server.New refuses to
// start without them, and Auth); every other service is optional: nil hides
// the screens that need it (see the screens table in tui/app).
type Services struct {
	Operators domain.OperatorService
	// Auth signs operators in; only the server uses it.
	Auth      domain.AuthService
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
	// Institutions is the institutions screen's service (issue 17): the
	// list, an institution's page and the edit of its details; nil hides
	// its screen.
	Institutions domain.InstitutionService
	// Reverify is the reviewers' queue of institutions whose
	// re-verification against the registers found differences (issue
	// 17); nil hides its screen.
	Reverify domain.ReverifyService
	// PersonMerge resolves the person merge conflicts (issue 17); nil
	// hides its screen.
	PersonMerge domain.PersonMergeService
	// Sanctions are the security officers' sanction cases against
	// institutions (¶32.5, ¶32.7; issue 17); nil hides their screen.
	Sanctions domain.SanctionService
	// People is the people directory (issue 17): one page per person;
	// nil hides its screen.
	People domain.PersonDirectory
	// Bulk keeps the bulk actions taken from lists (issue 17); nil hides
	// its screen and the lists' marking keys.
	Bulk domain.BulkService
	// Reports runs the reports of issue 18 for admin and security (the
	// reports screen is to come; `ppp report` uses the same service).
	Reports domain.ReportService
	// Misuse holds the signals about applicants and providers (issue 18),
	// shown on the alerts screen beside the alerts about staff; nil hides
	// that view.
	Misuse domain.MisuseService
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
	// Timers arm the session's timers (see Tick); nil: real ones.
	Timers Timers
}

// T translates key in the session's language. The catalog's text is the
// program's own, but what is formatted into it — a name, a subject, a key
// comment — is data: every string argument is made plain (Show) first, so
// no title, notice or status line can carry a stored value's escape
// sequences. A key the catalog lacks comes back in brackets, made plain
// too: a key is sometimes built from a stored value ("…state." + state).
func (c *Common) T(key string, args ...any) string {
	out := c.Catalog.T(key, PlainArgs(args)...)
	if len(out) == len(key)+2 && out[0] == '[' && out[1:len(out)-1] == key {
		return plain.Show(out)
	}
	return out
}

// Named returns the catalog's text for key, or, when the catalog has none,
// stored (a kind, a state, a rule as the database holds it) made plain.
func (c *Common) Named(key, stored string) string {
	if t := c.Catalog.T(key); t != "["+key+"]" {
		return t
	}
	return plain.Show(stored)
}

// Err renders err for a person in the session's language, as
// Catalog.Err does, with the arguments of the error and of its problems
// made plain first: an error names what it is about ("held by %s").
func (c *Common) Err(err error) string {
	e := domain.AsError(err)
	if e == nil {
		return c.Catalog.Err(err)
	}
	clean := *e
	clean.Args = PlainArgs(e.Args)
	if len(e.Problems) > 0 {
		clean.Problems = make([]domain.Problem, len(e.Problems))
		for i, p := range e.Problems {
			p.Args = PlainArgs(p.Args)
			clean.Problems[i] = p
		}
	}
	return c.Catalog.Err(&clean)
}

// PlainArgs returns args with every string (and every value of a string
// type, error or Stringer that is not a number) made plain with Show, for
// formatting into a message. args is returned as it is when nothing
// changes.
func PlainArgs(args []any) []any {
	var out []any
	for i, a := range args {
		v, changed := plainArg(a)
		if !changed {
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = v
	}
	if out == nil {
		return args
	}
	return out
}

func plainArg(a any) (any, bool) {
	var s string
	switch v := a.(type) {
	case nil:
		return nil, false
	case string:
		s = v
	case error:
		return plain.Show(v.Error()), true
	default:
		rv := reflect.ValueOf(a)
		switch {
		case rv.Kind() == reflect.String:
			s = rv.String()
		case rv.Kind() >= reflect.Bool && rv.Kind() <= reflect.Complex128:
			return nil, false // a number prints no text of its own
		default:
			if st, ok := a.(fmt.Stringer); ok {
				return plain.Show(st.String()), true
			}
			return nil, false
		}
	}
	if p := plain.Show(s); p != s {
		return p, true
	}
	return nil, false
}

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
