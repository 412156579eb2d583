package domain

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The portal's side of the back office (issue 15): what the Platform
// portal, through the portal API, tells the back office a person did —
// submitted a role request, confirmed an address, answered a question,
// applied for an IMK, accepted the terms, signed in — and what it asks —
// the terms in force, the announcements for a role, whether someone may
// sign in. Acceptances of the terms are the person's acts (¶26.2): the
// portal carries them, with the version the person was shown, when and
// through which channel; the back office never writes one on anyone's
// behalf.

// ClockSkew is how far in the future a time the portal reports (a
// sign-in, an acceptance) may lie and still be taken as now: the two
// systems' clocks differ a little.
const ClockSkew = 5 * time.Minute

// ReportedAtMaxAge bounds how old a sign-in or a deactivation the portal
// reports may be: older news is a portal that replays its history.
const ReportedAtMaxAge = 7 * 24 * time.Hour

// PlatformSignInMethod is how a person signed in to the Platform: through
// Latvija.gov.lv (¶14, since 2025 eParaksts mobile, an eID card, a
// qualified Smart-ID or another EU country's eID) or, for an institution's
// users, with an e-mail address and a password (¶27.1.5, ¶27.2.4).
type PlatformSignInMethod string

// The Platform's sign-in methods.
const (
	SignInEParakstsMobile PlatformSignInMethod = "eparaksts_mobile"
	SignInEIDCard         PlatformSignInMethod = "eid_card"
	SignInSmartID         PlatformSignInMethod = "smart_id"
	SignInEUeID           PlatformSignInMethod = "eu_eid"
	SignInPlatformPasswd  PlatformSignInMethod = "password"
)

// PlatformSignInMethods lists every method in a stable order.
var PlatformSignInMethods = []PlatformSignInMethod{SignInEParakstsMobile, SignInEIDCard, SignInSmartID, SignInEUeID, SignInPlatformPasswd}

// ThroughLatvijaGovLv reports whether the method is one of Latvija.gov.lv's
// (a person identified by personal code), not a Platform password.
func (m PlatformSignInMethod) ThroughLatvijaGovLv() bool {
	return m != SignInPlatformPasswd && slices.Contains(PlatformSignInMethods, m)
}

// PlatformSignIn is a sign-in to the Platform the portal reports.
type PlatformSignIn struct {
	UserID int64
	Method PlatformSignInMethod
	At     time.Time // when the person signed in; zero: now
}

// Check fills in a missing time with now and checks the report. It returns
// EINVALID "portal.invalid" with a problem per bad field: "user_id"
// ("portal.user_id_required"), "method" ("portal.sign_in_method_unknown")
// and "at" ("portal.time_in_future", "portal.time_too_old").
func (s *PlatformSignIn) Check(now time.Time) error {
	var p []Problem
	if s.UserID <= 0 {
		p = append(p, Problem{Field: "user_id", Key: "portal.user_id_required"})
	}
	if !slices.Contains(PlatformSignInMethods, s.Method) {
		p = append(p, Problem{Field: "method", Key: "portal.sign_in_method_unknown"})
	}
	if s.At.IsZero() {
		s.At = now
	}
	p = append(p, checkReportedAt("at", s.At, now)...)
	return portalInvalid(p)
}

// AuthDeactivation is the portal's report that a person's sign-in method
// was deactivated (¶32.2): the auth-deactivated sweep denies their access.
type AuthDeactivation struct {
	UserID int64
	Method PlatformSignInMethod
	At     time.Time // when it was deactivated; zero: now
}

// Check fills in a missing time with now and checks the report, as
// PlatformSignIn.Check does: EINVALID "portal.invalid".
func (d *AuthDeactivation) Check(now time.Time) error {
	s := PlatformSignIn{UserID: d.UserID, Method: d.Method, At: d.At}
	err := s.Check(now)
	d.At = s.At
	return err
}

// checkReportedAt refuses a reported time later than now (beyond
// ClockSkew) or older than ReportedAtMaxAge.
func checkReportedAt(field string, at, now time.Time) []Problem {
	switch {
	case at.After(now.Add(ClockSkew)):
		return []Problem{{Field: field, Key: "portal.time_in_future"}}
	case at.Before(now.Add(-ReportedAtMaxAge)):
		return []Problem{{Field: field, Key: "portal.time_too_old"}}
	}
	return nil
}

// portalInvalid returns nil for no problems, and otherwise EINVALID
// "portal.invalid" with them.
func portalInvalid(p []Problem) error {
	if len(p) == 0 {
		return nil
	}
	parts := make([]string, len(p))
	for i, pr := range p {
		parts[i] = pr.Field + ": " + pr.Key
	}
	return &Error{Code: EINVALID, Key: "portal.invalid", Message: "the request is not valid: " + strings.Join(parts, "; "), Problems: p}
}

// SignInDenial is a denial in force that stops a person signing in: its
// ground (¶32) and since when.
type SignInDenial struct {
	Ground Ground
	Since  time.Time
}

// SignInStatus answers whether a person or a Platform user may sign in.
type SignInStatus struct {
	// Known is false for a personal code no Platform user has: nobody has
	// denied such a person anything, so they may sign in (and register).
	Known  bool
	UserID int64
	// Allowed is false while a denial covers the user or their
	// institution (¶24, ¶32), or the Population Register says they died.
	Allowed bool
	Denials []SignInDenial
	// PasswordChangeRequired: the user must choose a new password at this
	// sign-in before anything else (set when a denial was lifted with that
	// requirement, ¶32.3, ¶32.6; institution password users only).
	PasswordChangeRequired bool
}

// TermsChannel is how a person was shown the terms they accepted.
type TermsChannel string

// The channels of an acceptance.
const (
	TermsChannelWeb    TermsChannel = "web"        // the portal's web pages
	TermsChannelMobile TermsChannel = "mobile_app" // the Platform's mobile application
)

// TermsChannels lists every channel in a stable order.
var TermsChannels = []TermsChannel{TermsChannelWeb, TermsChannelMobile}

// TermsAct is a person's acceptance of a version of the terms of use
// (¶26.2), as the portal saw it: the version the person was shown, when
// they agreed and through which channel. It is the person's act; the back
// office records it and never makes one up.
type TermsAct struct {
	VersionID  int64
	AcceptedAt time.Time
	Channel    TermsChannel
}

// Check checks the act's own fields; that the version is the one in force
// and that the person accepted it after it was published is for storage
// to check. It returns the problems, each field named in group (group
// "terms" gives "terms.version_id"; no group, "version_id"): "version_id"
// ("portal.terms_version_required"), "accepted_at"
// ("portal.accepted_at_required", "portal.time_in_future") and "channel"
// ("portal.terms_channel_unknown").
func (a *TermsAct) Check(group string, now time.Time) []Problem {
	prefix := ""
	if group != "" {
		prefix = group + "."
	}
	var p []Problem
	if a.VersionID <= 0 {
		p = append(p, Problem{Field: prefix + "version_id", Key: "portal.terms_version_required"})
	}
	switch {
	case a.AcceptedAt.IsZero():
		p = append(p, Problem{Field: prefix + "accepted_at", Key: "portal.accepted_at_required"})
	case a.AcceptedAt.After(now.Add(ClockSkew)):
		p = append(p, Problem{Field: prefix + "accepted_at", Key: "portal.time_in_future"})
	}
	if !slices.Contains(TermsChannels, a.Channel) {
		p = append(p, Problem{Field: prefix + "channel", Key: "portal.terms_channel_unknown"})
	}
	return p
}

// CheckTermsAct returns EINVALID "portal.invalid" with the problems of
// a.Check (fields without a prefix).
func CheckTermsAct(a *TermsAct, now time.Time) error {
	return portalInvalid(a.Check("", now))
}

// IMKNameMaxLength bounds an IMK applicant's first and last name.
const IMKNameMaxLength = NameMaxLength

// IMKApplicationForm is an application for an individual learning account
// (¶26) as the portal sends it, with the person's acceptance of the terms
// they were shown (¶26.2).
type IMKApplicationForm struct {
	PersonalCode string
	FirstName    string
	LastName     string
	Email        string
	Terms        TermsAct
}

// Problems tidies the form in place (trims; the personal code in its
// stored form) and returns one problem per bad field: "personal_code" (the
// keys of NormalizePersonalCode), "first_name" and "last_name"
// ("imk.name_required", "imk.name_invalid": longer than IMKNameMaxLength or
// holding control characters), "email" ("imk.bad_email"). The terms are
// checked only when checkTerms, as TermsAct.Check in group "terms".
func (f *IMKApplicationForm) Problems(now time.Time, checkTerms bool) []Problem {
	var p []Problem
	f.PersonalCode = strings.TrimSpace(f.PersonalCode)
	if code, err := NormalizePersonalCode(f.PersonalCode); err != nil {
		p = append(p, Problem{Field: "personal_code", Key: AsError(err).Key})
	} else {
		f.PersonalCode = code
	}
	f.FirstName, f.LastName, f.Email = strings.TrimSpace(f.FirstName), strings.TrimSpace(f.LastName), strings.TrimSpace(f.Email)
	for _, n := range []struct{ field, value string }{{"first_name", f.FirstName}, {"last_name", f.LastName}} {
		switch {
		case n.value == "":
			p = append(p, Problem{Field: n.field, Key: "imk.name_required"})
		case utf8.RuneCountInString(n.value) > IMKNameMaxLength || !IsPlainText(n.value, false):
			p = append(p, Problem{Field: n.field, Key: "imk.name_invalid"})
		}
	}
	if at := strings.LastIndexByte(f.Email, '@'); at <= 0 || at == len(f.Email)-1 || strings.ContainsAny(f.Email, " \t\r\n<>") ||
		len(f.Email) > 254 || !IsPlainText(f.Email, false) {
		p = append(p, Problem{Field: "email", Key: "imk.bad_email"})
	}
	if checkTerms {
		p = append(p, f.Terms.Check("terms", now)...)
	}
	return p
}

// Validate is Problems with the terms checked, as an error: nil, or
// EINVALID "imk.application_invalid" with the problems.
func (f *IMKApplicationForm) Validate(now time.Time) error {
	p := f.Problems(now, true)
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Key: "imk.application_invalid", Message: "the IMK application is not valid", Problems: p}
}

// PortalService is the Platform portal's side of the back office, what
// the portal API calls (issue 15). Its callers are API clients (see
// Actor.IsAPIClient) and the back office itself (the demo, tests); every
// change is audited as the actor in the context and announced on the
// change feed, in its transaction.
type PortalService interface {
	// SubmitRoleRequest stores a role request of any kind (¶27–¶29) with
	// its documents, as unconfirmed, and e-mails the link that confirms
	// the address. It returns the request's id and the link's token (for
	// tests and the demo: an API never shows it). EINVALID
	// "rolerequest.invalid" with a problem per bad field
	// (RoleRequestForm.Validate, unknown municipality or institution).
	SubmitRoleRequest(ctx context.Context, form RoleRequestForm) (int64, string, error)
	// ConfirmEmail confirms the address of the request whose link carried
	// token and returns its id. ENOTFOUND "rolerequest.token_unknown",
	// EINVALID "rolerequest.token_expired".
	ConfirmEmail(ctx context.Context, token string) (int64, error)
	// AnswerInfoRequest records the applicant's answer and puts the
	// request back in the queue. EINVALID "rolerequest.answer_required",
	// "rolerequest.text_too_long", "rolerequest.not_info_requested";
	// ENOTFOUND "rolerequest.not_found".
	AnswerInfoRequest(ctx context.Context, id int64, message string) error
	// InstitutionDecide records an institution's decision on a career
	// consultant's request routed to it (¶29.3). ENOTFOUND
	// "rolerequest.not_found", EINVALID "rolerequest.reason_text_required",
	// "rolerequest.institution_inactive", ECONFLICT "rolerequest.changed".
	InstitutionDecide(ctx context.Context, institutionID, requestID int64, approve bool, reason string) error
	// RedeemResetToken sets a new password with a reset link's token
	// (¶31.3). EUNAUTHORIZED "reset.invalid", EINVALID "password.weak"
	// with every broken rule of ¶31.
	RedeemResetToken(ctx context.Context, token, newPassword string) error
	// ApplyIMK records an IMK application (¶26) with the person's
	// acceptance of the terms version in force (¶26.2), and returns its
	// id. EINVALID "imk.application_invalid" (IMKApplicationForm.Validate)
	// or "portal.invalid" ("terms.accepted_at" before the version took
	// force); ECONFLICT "terms.not_in_force" when the version is not the
	// one in force, "imk.active_exists".
	ApplyIMK(ctx context.Context, form IMKApplicationForm) (int64, error)
	// RequestIMKReview records the person's request that a person review
	// the automatic decision on their IMK application (GDPR Art. 22,
	// ¶26.4): the application goes back to the review queue ("person
	// asked for review"), the decision kept in its history. EINVALID
	// "portal.invalid" (IMKReviewRequest.Check); ENOTFOUND "imk.not_found"
	// (also when the personal code is not the application's); ECONFLICT
	// "imk.review_not_automatic" (IMKApplication.CheckReviewRequest) and
	// "imk.active_exists" when the person has another active IMK.
	RequestIMKReview(ctx context.Context, req IMKReviewRequest) error
	// AcceptTerms records the Platform user's acceptance of the version
	// in force. Accepting a version again changes nothing. EINVALID
	// "portal.invalid" (CheckTermsAct, or accepted before the version took
	// force); ENOTFOUND "terms.user_not_found", "terms.not_found";
	// ECONFLICT "terms.not_in_force".
	AcceptTerms(ctx context.Context, userID int64, act TermsAct) error
	// PortalTermsInForce returns the version in force with its text.
	// ENOTFOUND "terms.none_in_force".
	PortalTermsInForce(ctx context.Context) (*TermsVersion, error)
	// PortalAnnouncements returns the published announcements for the
	// role (every Platform user's when role is empty): news, newest first,
	// at most 50, and planned downtime that has not ended. EINVALID
	// "portal.role_unknown".
	PortalAnnouncements(ctx context.Context, role PlatformRole) ([]*Announcement, error)
	// RecordSignIn records a sign-in of a Platform user and returns its
	// id. EINVALID "portal.invalid" (PlatformSignIn.Check) or
	// "portal.sign_in_method_wrong" (a password for a Latvija.gov.lv user
	// or the other way round); ENOTFOUND "portal.user_not_found";
	// EFORBIDDEN "portal.sign_in_denied" while a denial covers the user,
	// and then nothing is recorded.
	RecordSignIn(ctx context.Context, s PlatformSignIn) (int64, error)
	// RecordAuthDeactivated records that the user's sign-in method was
	// deactivated (¶32.2); the auth-deactivated sweep denies access.
	// EINVALID "portal.invalid", ENOTFOUND "portal.user_not_found".
	RecordAuthDeactivated(ctx context.Context, d AuthDeactivation) error
	// SignInStatus says whether the Platform user may sign in.
	// ENOTFOUND "portal.user_not_found".
	SignInStatus(ctx context.Context, userID int64) (*SignInStatus, error)
	// PersonSignInStatus says whether the person with the personal code
	// may sign in through Latvija.gov.lv. EINVALID with the keys of
	// NormalizePersonalCode.
	PersonSignInStatus(ctx context.Context, personalCode string) (*SignInStatus, error)
}

// RoleRequestDocuments opens the files of role requests' documents that
// the portal sent through the API, for a reviewer (issue 15).
type RoleRequestDocuments interface {
	// OpenRoleRequestDocument returns a request's document (position
	// 1-based) with its file (nil Content when only its metadata is
	// kept); the look is audited. It needs the reviewer role. ENOTFOUND
	// "rolerequest.document_not_found".
	OpenRoleRequestDocument(ctx context.Context, requestID int64, position int) (*Document, error)
}
