package domain

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The lists of the three queues read their filters the same way wherever
// they are implemented: each filter's Normalize checks it, fills in the
// defaults and says what its search asks for; storage turns that into SQL,
// a test double matches it in memory (the search's Matches).

// Paging of every queue list.
const (
	PageDefault = 50  // items on a page when the filter names no limit
	PageMax     = 500 // the most a page holds, whatever the filter asks
)

// PageLimit returns the number of items a list reads for a filter's limit
// n: PageDefault for none, never more than PageMax.
func PageLimit(n int) int {
	if n <= 0 {
		return PageDefault
	}
	return min(n, PageMax)
}

// NameSearchMin is the shortest search by part of a name in the role
// request queue, in characters: shorter ones would match half the queue.
const NameSearchMin = 3

// RoleRequestSearch is what a role-request search text asks for; at most
// one of Email, Digits and Name is set.
type RoleRequestSearch struct {
	Email string // a whole e-mail address, any case
	// Digits is a whole number: with Code, a personal code (CodeForms, the
	// ways it is written) or a company registration number of the same
	// digits; without, an 11-digit company or a 10-digit education
	// institution registration number.
	Digits    string
	Code      string
	CodeForms []string
	Name      string // part of the applicant's name, lower case, single spaces
}

// Normalize checks the filter and fills in its defaults: the open states
// when none, each state and kind once, the page limit (PageLimit). It
// returns what the search asks for, or EINVALID "rolerequest.filter_state",
// "rolerequest.filter_kind", "rolerequest.filter_age", "search.whole_code"
// (or the personal-code errors) for a number that is not whole, and
// "rolerequest.search_short" (Args: NameSearchMin) for a name search
// shorter than NameSearchMin.
func (f *RoleRequestFilter) Normalize() (RoleRequestSearch, error) {
	var states []RoleRequestState
	for _, st := range f.States {
		if !slices.Contains(RoleRequestStates, st) {
			return RoleRequestSearch{}, Errorf(EINVALID, "rolerequest.filter_state", "unknown state %q", string(st))
		}
		if !slices.Contains(states, st) {
			states = append(states, st)
		}
	}
	if len(states) == 0 {
		for _, st := range RoleRequestStates {
			if st.Open() {
				states = append(states, st)
			}
		}
	}
	var kinds []RoleRequestKind
	for _, k := range f.Kinds {
		if !slices.Contains(RoleRequestKinds, k) {
			return RoleRequestSearch{}, Errorf(EINVALID, "rolerequest.filter_kind", "unknown kind %q", string(k))
		}
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	if f.OlderThan < 0 {
		return RoleRequestSearch{}, Errorf(EINVALID, "rolerequest.filter_age", "the age filter must not be negative")
	}
	f.States, f.Kinds, f.Limit = states, kinds, PageLimit(f.Limit)

	search := strings.TrimSpace(f.Search)
	switch n, isNumber := ParseNumberSearch(search); {
	case search == "":
		return RoleRequestSearch{}, nil
	case strings.Contains(search, "@"):
		return RoleRequestSearch{Email: search}, nil
	case isNumber:
		if err := n.Whole(10, 11); err != nil {
			return RoleRequestSearch{}, err
		}
		return RoleRequestSearch{Digits: n.Digits, Code: n.Code, CodeForms: n.CodeForms()}, nil
	case utf8.RuneCountInString(search) < NameSearchMin:
		return RoleRequestSearch{}, Errorf(EINVALID, "rolerequest.search_short", "search for at least %d characters of a name", NameSearchMin)
	}
	return RoleRequestSearch{Name: strings.ToLower(strings.Join(strings.Fields(search), " "))}, nil
}

// Matches reports whether r is in the filter f, as Normalize left it, with
// the search s, at now: the meaning of a role-request list's filter, for an
// implementation that filters in memory. It does not page.
func (s RoleRequestSearch) Matches(f RoleRequestFilter, r *RoleRequest, now time.Time) bool {
	switch {
	case !slices.Contains(f.States, r.State),
		len(f.Kinds) > 0 && !slices.Contains(f.Kinds, r.Form.Kind),
		f.OlderThan > 0 && r.CreatedAt.After(now.Add(-f.OlderThan)):
		return false
	case s.Email != "":
		return strings.EqualFold(strings.TrimSpace(r.Form.Email), s.Email)
	case s.Code != "":
		return slices.Contains(s.CodeForms, r.Form.PersonalCode) || r.Form.CompanyRegNumber == s.Digits
	case s.Digits != "":
		return len(s.Digits) == 11 && r.Form.CompanyRegNumber == s.Digits ||
			len(s.Digits) == 10 && r.Form.EducationRegNumber == s.Digits
	case s.Name != "":
		return strings.Contains(strings.ToLower(r.ApplicantName()), s.Name)
	}
	return true
}

// IMKSearch is what an IMK search text asks for: the start of a first or
// last name (lower case), or a whole personal code (CodeForms).
type IMKSearch struct {
	Name      string
	CodeForms []string
}

// Normalize checks the filter and fills in its defaults (needs review
// when no state is named, the page limit) and returns what the search asks
// for, or EINVALID "search.whole_code" (or the personal-code errors) for a
// number that is not a whole code.
func (f *IMKFilter) Normalize() (IMKSearch, error) {
	if len(f.States) == 0 {
		f.States = []IMKState{IMKNeedsReview}
	}
	f.Limit = PageLimit(f.Limit)
	if n, ok := ParseNumberSearch(f.Search); ok {
		if err := n.Whole(); err != nil {
			return IMKSearch{}, err
		}
		return IMKSearch{CodeForms: n.CodeForms()}, nil
	}
	return IMKSearch{Name: strings.ToLower(strings.TrimSpace(f.Search))}, nil
}

// Matches reports whether a is in the filter f, as Normalize left it, with
// the search s. It does not page.
func (s IMKSearch) Matches(f IMKFilter, a *IMKApplication) bool {
	switch {
	case !slices.Contains(f.States, a.State):
		return false
	case s.CodeForms != nil:
		return slices.Contains(s.CodeForms, a.PersonalCode)
	}
	return strings.HasPrefix(strings.ToLower(a.FirstName), s.Name) || strings.HasPrefix(strings.ToLower(a.LastName), s.Name)
}

// TicketSearch is what a helpdesk search text asks for: part of the
// subject or the sender's address (Text, any case), or a whole personal
// code (CodeForms) — that of the matched account, or written whole in the
// subject.
type TicketSearch struct {
	Text      string
	CodeForms []string
}

// Normalize checks the filter and fills in its defaults (new and in
// progress when no state is named, the page limit) and returns what the
// search asks for, or EINVALID "search.whole_code" (or the personal-code
// errors) for a number that is not a whole code.
func (f *TicketFilter) Normalize() (TicketSearch, error) {
	if len(f.States) == 0 {
		f.States = []TicketState{TicketNew, TicketInProgress}
	}
	f.Limit = PageLimit(f.Limit)
	search := strings.TrimSpace(f.Search)
	if n, ok := ParseNumberSearch(search); ok {
		if err := n.Whole(); err != nil {
			return TicketSearch{}, err
		}
		return TicketSearch{CodeForms: n.CodeForms()}, nil
	}
	return TicketSearch{Text: search}, nil
}

// Matches reports whether t is in the filter f, as Normalize left it, with
// the search s; accountCode is the personal code of the ticket's matched
// account ("" when none or unknown). It does not page.
func (s TicketSearch) Matches(f TicketFilter, t *Ticket, accountCode string) bool {
	switch {
	case !slices.Contains(f.States, t.State),
		len(f.Categories) > 0 && !slices.Contains(f.Categories, t.Category):
		return false
	case s.CodeForms != nil:
		if accountCode != "" && slices.Contains(s.CodeForms, accountCode) {
			return true
		}
		for _, c := range s.CodeForms {
			if wholeNumberIn(t.Subject, c) {
				return true
			}
		}
		return false
	}
	q := strings.ToLower(s.Text)
	return strings.Contains(strings.ToLower(t.Subject), q) || strings.Contains(strings.ToLower(t.From), q)
}

// wholeNumberIn reports whether number occurs in s not as part of a longer
// run of digits.
func wholeNumberIn(s, number string) bool {
	return regexp.MustCompile(`(^|[^0-9])` + regexp.QuoteMeta(number) + `($|[^0-9])`).MatchString(s)
}
