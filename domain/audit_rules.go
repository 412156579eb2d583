package domain

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// The rules of the audit log's entries and searches, asked by storage and
// by the test double alike, so that what an entry holds and which search
// is refused is the same wherever it happens.

// AuditSeparator separates an entry's fields in its hash chain; the fields
// never hold it.
const AuditSeparator = "\x1f"

// auditCleaner is built once: a Replacer is safe for concurrent use.
var auditCleaner = strings.NewReplacer("\x00", "", AuditSeparator, " ")

// AuditText makes s storable and unambiguous in the chain: valid UTF-8,
// without NUL (which text cannot hold) and without AuditSeparator.
func AuditText(s string) string {
	return auditCleaner.Replace(strings.ToValidUTF8(s, "\uFFFD"))
}

// CleanAuditEntry makes e's texts storable (AuditText) and masks every
// personal code in the actor's name, the subject's id, the reason and the
// details (MaskPersonalCodesIn): the log never holds one in full.
func CleanAuditEntry(e *AuditEntry) {
	e.ActorName = MaskPersonalCodesIn(AuditText(e.ActorName))
	e.SessionID = AuditText(e.SessionID)
	e.RemoteAddr = AuditText(e.RemoteAddr)
	e.Action = AuditText(e.Action)
	e.SubjectKind = AuditText(e.SubjectKind)
	e.SubjectID = MaskPersonalCodesIn(AuditText(e.SubjectID))
	e.Reason = MaskPersonalCodesIn(AuditText(e.Reason))
	e.Details = MaskPersonalCodesIn(AuditText(e.Details))
}

// PrepareAuditEntry makes e ready to be appended at time at by actor a:
// the actor fields left empty are filled from a, and CleanAuditEntry
// applies. It returns EINVALID "audit.no_action" when e has no action.
func PrepareAuditEntry(e *AuditEntry, a Actor, at time.Time) error {
	if strings.TrimSpace(e.Action) == "" {
		return Errorf(EINVALID, "audit.no_action", "an audit entry needs an action")
	}
	if e.ActorName == "" {
		e.ActorID, e.ActorName = a.OperatorID, a.Name
		if e.SessionID == "" {
			e.SessionID = a.SessionID
		}
		if e.RemoteAddr == "" {
			e.RemoteAddr = a.RemoteAddr
		}
	}
	e.At = at
	CleanAuditEntry(e)
	return nil
}

// digitRun finds maximal runs of digits; MaskPersonalCodesIn looks at each
// as a whole, and at pairs of runs joined by one separator, so that a
// personal code inside a longer number is not mistaken for one.
var digitRun = regexp.MustCompile(`[0-9]+`)

// MaskPersonalCodesIn replaces every personal code in s by its masked form
// ("180565-*****"). A code is a run of eleven digits, or a run of six and
// one of five joined by a hyphen, a space or a dot (as people write them),
// with the shape of one (PersonalCodeShaped). Company registration
// numbers, which begin with 4, 5 or 9, are left alone; any other eleven
// digits that happen to fit are masked all the same, since the audit log
// must never hold a personal code in full: its search could then find the
// digits the screens hide.
func MaskPersonalCodesIn(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	runs := digitRun.FindAllStringIndex(s, -1)
	var b strings.Builder
	last := 0
	for i := 0; i < len(runs); i++ {
		start, end := runs[i][0], runs[i][1]
		d := s[start:end]
		if len(d) == 6 && i+1 < len(runs) {
			next := runs[i+1]
			if next[0] == end+1 && next[1]-next[0] == 5 && strings.ContainsRune("-. ", rune(s[end])) {
				d += s[next[0]:next[1]]
				end = next[1]
			}
		}
		if len(d) != 11 || !PersonalCodeShaped(d) {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(MaskPersonalCode(d))
		last = end
		if end != runs[i][1] {
			i++ // the pair's second run is masked already
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// PersonalCodeShaped reports whether eleven digits have the shape of a
// personal code of either form: DDMMYY-CNNNN (day 0–3, month 0–1, century
// 0–2) or the new form 3XNNNN-NNNNN (X 2–9).
func PersonalCodeShaped(d string) bool {
	oldForm := d[0] <= '3' && d[2] <= '1' && d[6] <= '2'
	newForm := d[0] == '3' && d[1] >= '2'
	return oldForm || newForm
}

// AuditSearch is an AuditFilter as a search runs it (AuditFilter.Plan).
type AuditSearch struct {
	AuditFilter
	// Codes are the forms of the whole personal code the text was, whose
	// person's entries the search finds instead of matching text (Text
	// is then empty).
	Codes []string
}

// Plan checks f and returns it as a search runs it: the text trimmed, the
// limit PageLimit's (50 when zero, never more than 500), and a text that
// is a whole personal code (either form) turned into Codes. It returns
// the personal-code errors (EINVALID) for eleven digits shaped like a code
// that is not one, and EINVALID "audit.search_short" for a text shorter
// than AuditTextMin.
func (f AuditFilter) Plan() (AuditSearch, error) {
	s := AuditSearch{AuditFilter: f}
	s.Text, s.Limit = strings.TrimSpace(f.Text), PageLimit(f.Limit)
	if n, ok := ParseNumberSearch(s.Text); ok && len(n.Digits) == 11 {
		switch {
		case n.Code != "":
			s.Codes, s.Text = n.CodeForms(), ""
		case PersonalCodeShaped(n.Digits):
			// A mistyped code: say so, rather than match what the mask
			// leaves of other people's.
			return AuditSearch{}, n.Whole()
		}
	}
	if s.Text != "" && utf8.RuneCountInString(s.Text) < AuditTextMin {
		return AuditSearch{}, Errorf(EINVALID, "audit.search_short", "search the audit log for at least %d characters", AuditTextMin)
	}
	return s, nil
}

// Matches reports whether e is one of the search's entries, Codes aside
// (which entries are about a person is the log's keeper's to know):
// BeforeSeq, Since (inclusive) and Until (exclusive), the Action prefix,
// the Actor, the subject exactly, and the text in any part of the action,
// actor, subject, reason or details, ignoring case, as the log holds them
// (so a personal code matches only as far as its mask shows).
func (s AuditSearch) Matches(e *AuditEntry) bool {
	switch {
	case s.BeforeSeq > 0 && e.Seq >= s.BeforeSeq,
		!s.Since.IsZero() && e.At.Before(s.Since),
		!s.Until.IsZero() && !e.At.Before(s.Until),
		!strings.HasPrefix(e.Action, s.Action),
		s.Actor != "" && e.ActorName != s.Actor,
		s.SubjectKind != "" && e.SubjectKind != s.SubjectKind,
		s.SubjectKind != "" && s.SubjectID != "" && e.SubjectID != s.SubjectID:
		return false
	}
	if s.Text == "" {
		return true
	}
	text := strings.Join([]string{e.Action, e.ActorName, e.SubjectKind, e.SubjectID, e.Reason, e.Details}, AuditSeparator)
	return strings.Contains(strings.ToLower(text), strings.ToLower(MaskPersonalCodesIn(s.Text)))
}
