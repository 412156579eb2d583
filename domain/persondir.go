package domain

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The people directory (issue 17): one page per natural person, found by
// a whole personal code (either form), a name or an e-mail address, with
// every section of what the Platform and the back office hold about them.
// Each section pages on its own, newest first, by keyset (PersonCursor).

// PersonSection names a section of a person's page.
type PersonSection string

// The sections of a person's page, in the order the screen shows them.
const (
	PersonRoles      PersonSection = "roles"       // role assignments with scope and validity (¶32.1)
	PersonRequests   PersonSection = "requests"    // role requests under any of the person's codes
	PersonIMK        PersonSection = "imk"         // IMK applications with their eligibility outcome (¶26)
	PersonDenials    PersonSection = "denials"     // denials of the person's account, with effects (¶24, ¶32)
	PersonTickets    PersonSection = "tickets"     // helpdesk tickets linked to the account or sent from an address
	PersonMail       PersonSection = "mail"        // e-mails queued to the person's addresses (subject only)
	PersonSignIns    PersonSection = "signins"     // Platform sign-ins the portal reported
	PersonTerms      PersonSection = "terms"       // acceptances of the terms of use (¶26.2)
	PersonChanges    PersonSection = "changes"     // changes of the account (e-mail address …)
	PersonEmailAsked PersonSection = "email_asked" // staff requests to change the account's e-mail address
)

// PersonSections lists every section in the screen's order.
var PersonSections = []PersonSection{PersonRoles, PersonRequests, PersonIMK, PersonDenials, PersonTickets,
	PersonMail, PersonSignIns, PersonTerms, PersonChanges, PersonEmailAsked}

// PersonSectionPageSize is how many entries of a section one read
// returns: the page shows the first ones with the section's count.
const PersonSectionPageSize = 20

// PersonSearchLimit is the most persons a search returns.
const PersonSearchLimit = 50

// PersonNameMinLength is the shortest name prefix searched, in
// characters: shorter ones would list half the country.
const PersonNameMinLength = 2

// PersonRolesAllowed are the roles that work the people screen; every method of
// PersonDirectory needs one of them.
var PersonRolesAllowed = []Role{RoleReviewer, RoleHelpdesk, RoleSecurity, RoleAdmin}

// MayUsePeople reports whether op works the people screen.
func MayUsePeople(op *Operator) bool {
	return op != nil && slices.ContainsFunc(PersonRolesAllowed, op.HasRole)
}

// PersonAction is something done from a person's page through another
// service (whose own rules and role check decide).
type PersonAction string

// The actions of the person's page.
const (
	PersonDeny       PersonAction = "deny"   // deny the account access (¶32; security)
	PersonLift       PersonAction = "lift"   // lift a denial in force (security)
	PersonRoleChange PersonAction = "role"   // extend or end a role assignment (¶32.1; reviewer)
	PersonReveal     PersonAction = "reveal" // reveal the whole personal code with a reason
	// The account's actions (accountforms): their services' roles.
	PersonEmailChange   PersonAction = "email_change"   // ask for the account's e-mail address to change (helpdesk, security, admin)
	PersonPasswordReset PersonAction = "password_reset" // start a password reset of the account (helpdesk)
)

// PersonActionRoles are the roles each acting action needs; the service
// called checks them again itself.
var PersonActionRoles = map[PersonAction][]Role{
	PersonDeny:       {RoleSecurity},
	PersonLift:       {RoleSecurity},
	PersonRoleChange: {RoleReviewer},
	// DefenceService.RequestEmailChange's and StartAccountReset's roles.
	PersonEmailChange:   {RoleHelpdesk, RoleSecurity, RoleAdmin},
	PersonPasswordReset: {RoleHelpdesk},
	PersonExportAction:  PersonExportRoles,
}

// MayDoOnPerson says whether op may take act from a person's page: nil,
// or EFORBIDDEN "person.action_forbidden". Actions that change nothing
// need only the screen's roles.
func MayDoOnPerson(op *Operator, act PersonAction) error {
	need, ok := PersonActionRoles[act]
	if !ok {
		need = PersonRolesAllowed
	}
	if op == nil || !slices.ContainsFunc(need, op.HasRole) {
		return Errorf(EFORBIDDEN, "person.action_forbidden", "you do not hold the role this needs")
	}
	return nil
}

// PersonQueryKind is what a search text is read as.
type PersonQueryKind string

// The kinds of search.
const (
	PersonByCode  PersonQueryKind = "code"
	PersonByEmail PersonQueryKind = "email"
	PersonByName  PersonQueryKind = "name"
)

// PersonQuery is a search text read by ParsePersonQuery.
type PersonQuery struct {
	Kind  PersonQueryKind
	Codes []string // by code: the code's forms (NumberSearch.CodeForms)
	Email string   // by e-mail: lower case
	Name  string   // by name: FoldName of the prefix
}

// ParsePersonQuery reads a search of the people screen: a number is a
// whole personal code only, in either form, with or without the hyphen
// (the whole-code rule of search.go: EINVALID "search.whole_code" or the
// errors of NormalizePersonalCode); a text with "@" an e-mail address,
// matched whole and case-insensitively; anything else the start of a
// first or last name ("Bērziņš Jānis", "jānis berz"), without regard to
// case or Latvian diacritics. EINVALID "person.query_short" for a name of
// fewer than PersonNameMinLength characters, "person.query_chars" for
// control characters.
func ParsePersonQuery(s string) (PersonQuery, error) {
	s = strings.TrimSpace(s)
	if !IsPlainText(s, false) {
		return PersonQuery{}, Errorf(EINVALID, "person.query_chars", "the search holds characters that are not allowed")
	}
	if n, ok := ParseNumberSearch(s); ok {
		if err := n.Whole(); err != nil {
			return PersonQuery{}, err
		}
		return PersonQuery{Kind: PersonByCode, Codes: n.CodeForms()}, nil
	}
	if strings.Contains(s, "@") {
		return PersonQuery{Kind: PersonByEmail, Email: strings.ToLower(s)}, nil
	}
	name := FoldName(s)
	if utf8.RuneCountInString(name) < PersonNameMinLength {
		return PersonQuery{}, Errorf(EINVALID, "person.query_short", "type at least %d letters of the name", PersonNameMinLength)
	}
	return PersonQuery{Kind: PersonByName, Name: name}, nil
}

// nameFolds are the Latvian letters with diacritics and the letters they
// fold to; storage's person_fold (migration 0200) folds the same ones.
var nameFolds = strings.NewReplacer("ā", "a", "č", "c", "ē", "e", "ģ", "g", "ī", "i", "ķ", "k", "ļ", "l", "ņ", "n",
	"š", "s", "ū", "u", "ž", "z", "ō", "o", "ŗ", "r")

// FoldName returns s in lower case, its Latvian diacritics dropped and
// its runs of white space made one space: the form names are searched in.
func FoldName(s string) string {
	return nameFolds.Replace(strings.Join(strings.Fields(strings.ToLower(s)), " "))
}

// MatchesName reports whether the folded prefix q starts "first last" or
// "last first" of the person.
func MatchesName(q, first, last string) bool {
	return strings.HasPrefix(FoldName(first+" "+last), q) || strings.HasPrefix(FoldName(last+" "+first), q)
}

// PersonMatch is one person a search found; the code is masked.
type PersonMatch struct {
	PersonID   int64
	MaskedCode string
	FirstName  string
	LastName   string
	Email      string // the account's address; "" without an account
	UserID     int64  // the Platform account's id; 0 without an account
	HasAccount bool
	HasIMK     bool
}

// PersonIdentity is who the person is, as the page shows them.
type PersonIdentity struct {
	ID         int64
	MaskedCode string // MaskPersonalCode of the current code; RevealPersonCode gives it whole
	FirstName  string
	LastName   string
	Language   string
	CreatedAt  time.Time
	// The ¶32.8 death check: the last completed check, when the next is
	// due, the outcome of the last attempt and the date of death.
	LastDeathCheck time.Time
	DeathCheckDue  time.Time // zero: at once
	DeathOutcome   string    // "", checked, deceased, not_found, stale
	DeceasedOn     time.Time
}

// PersonAccount is the person's Platform account, when they have one.
type PersonAccount struct {
	UserID         int64
	Kind           string // viss, password
	Email          string
	EmailConfirmed bool
	SignInDenied   bool
	CreatedAt      time.Time
}

// PersonEntry is one entry of a section. What its fields hold depends on
// the section; Kind and State are values from fixed sets that the screen
// translates, Text is stored text (drawn plain).
type PersonEntry struct {
	Section PersonSection
	ID      int64     // the row's id in its table
	At      time.Time // the entry's time: the sections are ordered by (At, ID), newest first
	Kind    string    // role, request kind, ground, mail template, sign-in method, changed field, terms number …
	State   string    // the row's state
	Text    string    // institution, subject, addresses changed …
	Note    string    // a reason or a note that goes with it
	Until   time.Time // validity end (roles), expiry (e-mail change requests)
	// By is who made the entry (the operator who asked for an account
	// change or an e-mail change request), DecidedBy who approved or
	// refused it; "" where the section keeps no one.
	By, DecidedBy string
	// Effects are a denial's effects (denial_effects: "imk", "role" …),
	// one per kind with its count ("role×2").
	Effects []string
	// The rows actions need: a denial (lift), a role assignment (extend,
	// end).
	Denial     *Denial
	Assignment *RoleAssignment
}

// PersonCursor is where a section's next page starts: after the entry
// with this time and id.
type PersonCursor struct {
	At time.Time
	ID int64
}

// CursorAfter returns the cursor after e.
func CursorAfter(e *PersonEntry) PersonCursor { return PersonCursor{At: e.At, ID: e.ID} }

// IsZero reports whether c is the start of a section.
func (c PersonCursor) IsZero() bool { return c.At.IsZero() && c.ID == 0 }

// PersonSectionPage is the first entries of a section (or the next ones
// after a cursor) and how many the section holds in all.
type PersonSectionPage struct {
	Entries []*PersonEntry
	Count   int
}

// PersonPage is the page of one person.
type PersonPage struct {
	Identity  PersonIdentity
	Account   *PersonAccount // nil: no Platform account
	Addresses []string       // every address known: the account's, the IMK applications' (lower case, sorted)
	Sections  map[PersonSection]*PersonSectionPage
}

// PersonDirectory finds persons and reads their pages. Every method needs
// one of PersonRolesAllowed (EUNAUTHORIZED without a signed-in operator,
// EFORBIDDEN "person.forbidden" otherwise); the command line may read.
type PersonDirectory interface {
	// SearchPersons finds persons by a whole personal code (either form),
	// an e-mail address or a name prefix (ParsePersonQuery: its EINVALID),
	// at most PersonSearchLimit, codes masked. A search by code that finds
	// the person counts as a look-up of them (the misuse alert's views).
	SearchPersons(ctx context.Context, query string) ([]*PersonMatch, error)
	// OpenPerson returns the person's page with the first
	// PersonSectionPageSize entries of each section and their counts.
	// Opening a person is a recorded look-up, counted in the same
	// transaction as the read. ENOTFOUND "person.not_found".
	OpenPerson(ctx context.Context, personID int64) (*PersonPage, error)
	// PersonSectionAfter returns the next page of one section after the
	// cursor (the zero cursor: the first). EINVALID "person.bad_section",
	// ENOTFOUND "person.not_found".
	PersonSectionAfter(ctx context.Context, personID int64, s PersonSection, after PersonCursor) (*PersonSectionPage, error)
	// RevealPersonCode returns the person's whole current code for a
	// reason (CheckRevealReason's EINVALID): audited as
	// AuditPersonalDataReveal and counted toward the reveals alert.
	// ENOTFOUND "person.not_found".
	RevealPersonCode(ctx context.Context, personID int64, reason string) (string, error)
}

// CheckPersonSection returns EINVALID "person.bad_section" for a section
// that is not one of PersonSections.
func CheckPersonSection(s PersonSection) error {
	if !slices.Contains(PersonSections, s) {
		return Errorf(EINVALID, "person.bad_section", "unknown section %q", string(s))
	}
	return nil
}

// PersonNotFound is the error of an unknown person.
func PersonNotFound() error {
	return Errorf(ENOTFOUND, "person.not_found", "no such person")
}
