package domain_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
)

// textValidators are the validators of free text people type, each run on
// one fuzzed string; multiline says whether line breaks and tabs are text.
var textValidators = []struct {
	name      string
	multiline bool
	// check returns what would be stored of s, or why s is refused.
	check func(s string) (string, error)
}{
	{"ValidateEmail", false, func(s string) (string, error) { return s, domain.ValidateEmail(s) }},
	{"ValidateOperatorName", false, func(s string) (string, error) { return s, domain.ValidateOperatorName(s) }},
	{"Operator.Validate full name", false, func(s string) (string, error) {
		return s, (&domain.Operator{Name: "anna.ozola", FullName: s, Roles: []domain.Role{domain.RoleReviewer}}).Validate()
	}},
	{"CheckTermsNumber", false, domain.CheckTermsNumber},
	{"CheckReturnNote", true, domain.CheckReturnNote},
	{"CheckWithdrawReason", true, domain.CheckWithdrawReason},
	{"CheckAnswer", true, domain.CheckAnswer},
	{"Decision.CheckRejection", true, func(s string) (string, error) {
		d := &domain.Decision{ReasonCode: domain.RejectReasons[len(domain.RejectReasons)-1], ReasonText: s}
		err := d.CheckRejection()
		return d.ReasonText, err
	}},
	{"Decision.CheckInfoRequest", true, func(s string) (string, error) {
		d := &domain.Decision{InfoMessage: s}
		err := d.CheckInfoRequest()
		return d.InfoMessage, err
	}},
	{"TermsVersion.Validate title", false, func(s string) (string, error) {
		v := &domain.TermsVersion{Number: "2026-1", Title: s, Text: "1. Punkts."}
		err := v.Validate()
		return v.Title, err
	}},
	{"TermsVersion.Validate text", true, func(s string) (string, error) {
		v := &domain.TermsVersion{Number: "2026-1", Title: "Noteikumi", Text: s}
		err := v.Validate()
		return v.Text, err
	}},
	{"Announcement.Validate title", false, func(s string) (string, error) {
		a := &domain.Announcement{Kind: domain.AnnouncementNews, Title: s, Body: "Teksts."}
		err := a.Validate()
		return a.Title, err
	}},
	{"Announcement.Validate body", true, func(s string) (string, error) {
		a := &domain.Announcement{Kind: domain.AnnouncementNews, Title: "Virsraksts", Body: s}
		err := a.Validate()
		return a.Body, err
	}},
	{"RoleRequestForm.Validate names", false, func(s string) (string, error) {
		f := domain.RoleRequestForm{Kind: domain.KindMunicipalCoordinator, FirstName: s, LastName: s,
			PersonalCode: "180565-05610", Email: "janis@example.lv", MunicipalityCode: "riga", Phone: "+371 2612 3456"}
		err := f.Validate()
		return f.FirstName + " " + f.LastName, err
	}},
}

// FuzzTextValidators runs every validator of typed text on arbitrary
// strings: none panics; a refusal is an EINVALID error whose message
// exists in both catalogs; and what is accepted can be stored by
// PostgreSQL and shown on a terminal: valid UTF-8, no NUL, no control
// character (but tabs, and line breaks in texts of several lines), no
// invisible reordering character.
func FuzzTextValidators(f *testing.F) {
	for _, s := range []string{"", "Jānis Bērziņš", "a\x00b", "a\x1b[31mb", "a\u202eb", "\xff\xfe", "a\u009bb", "rinda\nrinda\ttab",
		"anna@example.lv", "anna@exa\x00mple.lv", "2026-1", strings.Repeat("ž", 300), "' OR '1'='1", "%_\\"} {
		f.Add(s)
	}
	catalogs := []i18n.Catalog{i18n.For(i18n.LV), i18n.For(i18n.EN)}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range textValidators {
			stored, err := v.check(s)
			if err != nil {
				e := domain.AsError(err)
				if e == nil || e.Code != domain.EINVALID {
					t.Fatalf("%s(%q): %v is not EINVALID", v.name, s, err)
				}
				for _, c := range catalogs {
					if msg := c.Err(err); strings.HasPrefix(msg, "[") {
						t.Fatalf("%s(%q): no message in %s: %q", v.name, s, c.Lang, msg)
					}
				}
				continue
			}
			if !utf8.ValidString(stored) || strings.ContainsRune(stored, 0) {
				t.Fatalf("%s accepted %q as %q, which PostgreSQL cannot store", v.name, s, stored)
			}
			if i := strings.IndexFunc(stored, func(r rune) bool {
				if r == '\t' || v.multiline && (r == '\n' || r == '\r') {
					return false
				}
				return unicode.IsControl(r) || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
			}); i >= 0 {
				t.Fatalf("%s accepted %q as %q, with a control or reordering character at %d", v.name, s, stored, i)
			}
		}
	})
}
