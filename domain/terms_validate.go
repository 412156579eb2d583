package domain

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits of terms versions and announcements, in characters (runes);
// MaxTermsText, in bytes, bounds the text of a version.
const (
	TermsNumberMaxLength          = 32
	TermsTitleMaxLength           = 200
	TermsSummaryMaxLength         = 4000
	AnnouncementTitleMaxLength    = 200
	AnnouncementBodyMaxLength     = 10000
	AnnouncementServicesMaxLength = 500
)

// The fields of a terms version and an announcement, as Problem.Field
// reports them.
const (
	FieldNumber   = "number"
	FieldTitle    = "title"
	FieldText     = "text"
	FieldSummary  = "summary"
	FieldNote     = "note"
	FieldBody     = "body"
	FieldStartsAt = "starts_at"
	FieldEndsAt   = "ends_at"
	FieldServices = "services"
	FieldAudience = "audience"
	FieldReason   = "reason"
)

// AnnouncementAudiences are the Platform roles an announcement can be
// addressed to; an empty audience means every Platform user.
var AnnouncementAudiences = []PlatformRole{
	PlatformInstitutionAdmin, PlatformInstitutionStaff, PlatformMunicipalCoord,
	PlatformCareerConsultant, PlatformAdultEducationCoor,
}

// termsNumber is the shape of a version number: letters, digits and
// ". / -" inside, such as "2026-2" or "3.1".
var termsNumber = regexp.MustCompile(`^[0-9A-Za-z](?:[0-9A-Za-z./-]*[0-9A-Za-z])?$`)

// CheckTermsNumber trims a version number and checks its shape. It returns
// the number, or EINVALID "terms.number_required", "terms.number_too_long"
// (Args: the limit) or "terms.number_format".
func CheckTermsNumber(number string) (string, error) {
	number = strings.TrimSpace(number)
	switch {
	case number == "":
		return "", Errorf(EINVALID, "terms.number_required", "the version needs a number")
	case utf8.RuneCountInString(number) > TermsNumberMaxLength:
		return "", Errorf(EINVALID, "terms.number_too_long", "the version number is too long (at most %d characters)", TermsNumberMaxLength)
	case !termsNumber.MatchString(number):
		return "", Errorf(EINVALID, "terms.number_format", "the version number may hold only letters, digits and . / -")
	}
	return number, nil
}

// Validate tidies a terms version's title, text and summary in place and
// checks them as a draft may be saved: the title trimmed, given, at most
// TermsTitleMaxLength characters on one line; the text with "\r\n" written
// as "\n", at most MaxTermsText bytes of valid UTF-8 without control
// characters other than tab and line feed (they would upset the terminals
// it is shown on); the summary likewise, at most TermsSummaryMaxLength
// characters. The text and the summary may still be empty.
//
// It returns nil, or EINVALID "terms.invalid" with a Problem per broken
// rule: "terms.title_required", "terms.title_too_long" (Args: the
// limit), "terms.text_too_long" (Args: the limit in KiB),
// "terms.summary_too_long" (Args: the limit), and "terms.not_utf8" or
// "terms.control_chars" for the field concerned.
func (v *TermsVersion) Validate() error {
	v.Title = strings.TrimSpace(v.Title)
	v.Text = strings.ReplaceAll(v.Text, "\r\n", "\n")
	v.Summary = strings.TrimSpace(strings.ReplaceAll(v.Summary, "\r\n", "\n"))

	var p []Problem
	add := func(field, key string, args ...any) {
		p = append(p, Problem{Field: field, Key: key, Args: args})
	}
	switch {
	case v.Title == "":
		add(FieldTitle, "terms.title_required")
	case utf8.RuneCountInString(v.Title) > TermsTitleMaxLength:
		add(FieldTitle, "terms.title_too_long", TermsTitleMaxLength)
	default:
		checkChars(FieldTitle, v.Title, false, add)
	}
	if len(v.Text) > MaxTermsText {
		add(FieldText, "terms.text_too_long", MaxTermsText>>10)
	} else {
		checkChars(FieldText, v.Text, true, add)
	}
	if utf8.RuneCountInString(v.Summary) > TermsSummaryMaxLength {
		add(FieldSummary, "terms.summary_too_long", TermsSummaryMaxLength)
	} else {
		checkChars(FieldSummary, v.Summary, true, add)
	}
	return invalid("terms.invalid", "the terms version is not valid", p)
}

// ValidateForSubmit checks a draft as Validate does and, besides, that
// its text and its summary of changes are given: EINVALID "terms.invalid"
// with "terms.text_required" or "terms.summary_required" among the
// problems.
func (v *TermsVersion) ValidateForSubmit() error {
	var p []Problem
	if err := v.Validate(); err != nil {
		p = AsError(err).Problems
	}
	if strings.TrimSpace(v.Text) == "" {
		p = append(p, Problem{Field: FieldText, Key: "terms.text_required"})
	}
	if v.Summary == "" {
		p = append(p, Problem{Field: FieldSummary, Key: "terms.summary_required"})
	}
	return invalid("terms.invalid", "the terms version cannot be submitted", p)
}

// CheckReturnNote trims the note of a version sent back to draft. It
// returns EINVALID "terms.note_required", "terms.note_too_long" (Args:
// the limit) or "terms.control_chars".
func CheckReturnNote(note string) (string, error) {
	return checkReason(note, "terms.note_required", "terms.note_too_long", "terms.control_chars")
}

// CheckWithdrawReason trims the reason an announcement is withdrawn for.
// It returns EINVALID "announcement.reason_required",
// "announcement.reason_too_long" (Args: the limit) or
// "announcement.control_chars" (not valid UTF-8, or control characters).
func CheckWithdrawReason(reason string) (string, error) {
	return checkReason(reason, "announcement.reason_required", "announcement.reason_too_long", "announcement.control_chars")
}

// checkReason trims s and checks it is given, short and printable.
func checkReason(s, required, tooLong, chars string) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch {
	case s == "":
		return "", Errorf(EINVALID, required, "a reason is required")
	case utf8.RuneCountInString(s) > MessageMaxLength:
		return "", Errorf(EINVALID, tooLong, "the text is too long (at most %d characters)", MessageMaxLength)
	case !utf8.ValidString(s) || hasControl(s, true):
		return "", Errorf(EINVALID, chars, "the text contains characters that are not allowed")
	}
	return s, nil
}

// Validate tidies an announcement in place (texts trimmed, "\r\n" as
// "\n", the audience sorted without repeats, times in UTC) and checks it:
// a known kind; a title of at most AnnouncementTitleMaxLength characters
// on one line; a body of at most AnnouncementBodyMaxLength; for planned
// downtime a start, an end and the affected services (at most
// AnnouncementServicesMaxLength); for any kind an end, when given, after
// the start; only roles of AnnouncementAudiences.
//
// It returns nil, or EINVALID "announcement.invalid" with a Problem per
// broken rule: "announcement.kind_unknown", "announcement.title_required",
// "announcement.title_too_long", "announcement.body_required",
// "announcement.body_too_long", "announcement.services_too_long" (Args of
// the "too_long" ones: the limit), "announcement.starts_required",
// "announcement.ends_required", "announcement.services_required",
// "announcement.ends_before_start", "announcement.role_unknown" (Args:
// the role), and "announcement.not_utf8" or "announcement.control_chars"
// for the field concerned.
func (a *Announcement) Validate() error {
	a.Title = strings.TrimSpace(a.Title)
	a.Body = strings.TrimSpace(strings.ReplaceAll(a.Body, "\r\n", "\n"))
	a.Services = strings.TrimSpace(a.Services)
	if !a.StartsAt.IsZero() {
		a.StartsAt = a.StartsAt.UTC()
	}
	if !a.EndsAt.IsZero() {
		a.EndsAt = a.EndsAt.UTC()
	}
	audience := make([]string, 0, len(a.Audience))
	for _, r := range a.Audience {
		if r = strings.TrimSpace(r); r != "" && !slices.Contains(audience, r) {
			audience = append(audience, r)
		}
	}
	slices.Sort(audience)
	a.Audience = audience

	var p []Problem
	add := func(field, key string, args ...any) {
		p = append(p, Problem{Field: field, Key: key, Args: args})
	}
	if a.Kind != AnnouncementNews && a.Kind != AnnouncementDowntime {
		add(FieldKind, "announcement.kind_unknown")
	}
	switch {
	case a.Title == "":
		add(FieldTitle, "announcement.title_required")
	case utf8.RuneCountInString(a.Title) > AnnouncementTitleMaxLength:
		add(FieldTitle, "announcement.title_too_long", AnnouncementTitleMaxLength)
	default:
		checkAnnouncementChars(FieldTitle, a.Title, false, add)
	}
	switch {
	case a.Body == "":
		add(FieldBody, "announcement.body_required")
	case utf8.RuneCountInString(a.Body) > AnnouncementBodyMaxLength:
		add(FieldBody, "announcement.body_too_long", AnnouncementBodyMaxLength)
	default:
		checkAnnouncementChars(FieldBody, a.Body, true, add)
	}
	if utf8.RuneCountInString(a.Services) > AnnouncementServicesMaxLength {
		add(FieldServices, "announcement.services_too_long", AnnouncementServicesMaxLength)
	} else {
		checkAnnouncementChars(FieldServices, a.Services, false, add)
	}
	if a.Kind == AnnouncementDowntime {
		if a.StartsAt.IsZero() {
			add(FieldStartsAt, "announcement.starts_required")
		}
		if a.EndsAt.IsZero() {
			add(FieldEndsAt, "announcement.ends_required")
		}
		if a.Services == "" {
			add(FieldServices, "announcement.services_required")
		}
	}
	if !a.StartsAt.IsZero() && !a.EndsAt.IsZero() && !a.StartsAt.Before(a.EndsAt) {
		add(FieldEndsAt, "announcement.ends_before_start")
	}
	for _, r := range a.Audience {
		if !slices.Contains(AnnouncementAudiences, PlatformRole(r)) {
			add(FieldAudience, "announcement.role_unknown", r)
		}
	}
	return invalid("announcement.invalid", "the announcement is not valid", p)
}

// checkChars reports text that is not valid UTF-8 or holds control
// characters, with the terms' keys.
func checkChars(field, s string, multiline bool, add func(field, key string, args ...any)) {
	switch {
	case !utf8.ValidString(s):
		add(field, "terms.not_utf8")
	case hasControl(s, multiline):
		add(field, "terms.control_chars")
	}
}

// checkAnnouncementChars is checkChars with the announcements' keys.
func checkAnnouncementChars(field, s string, multiline bool, add func(field, key string, args ...any)) {
	switch {
	case !utf8.ValidString(s):
		add(field, "announcement.not_utf8")
	case hasControl(s, multiline):
		add(field, "announcement.control_chars")
	}
}

// hasControl reports whether s holds a C0 or C1 control character or DEL,
// other than tab and (when multiline) line feed, or an invisible character
// that reorders text. NUL cannot be stored in
// a PostgreSQL text, and escape sequences would act on the terminals the
// text is shown on.
func hasControl(s string, multiline bool) bool {
	for _, r := range s {
		switch {
		case r == '\t', r == '\n' && multiline:
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, isBidiControl(r):
			return true
		}
	}
	return false
}

// invalid returns EINVALID key with the problems, or nil when there are
// none.
func invalid(key, message string, problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	parts := make([]string, len(problems))
	for i, pr := range problems {
		parts[i] = pr.Field + ": " + pr.Key
	}
	return &Error{Code: EINVALID, Key: key, Message: message + ": " + strings.Join(parts, "; "), Problems: problems}
}
