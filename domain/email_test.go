package domain

import (
	"strings"
	"testing"
)

func TestValidateEmail_BareAddresses_Valid(t *testing.T) {
	for _, s := range []string{
		"stars@viaa.gov.lv",
		"ilze.berzina@viaa.gov.lv",
		"a+b@example.com",
		"x_y-z@sub.domain.lv",
		"jānis@piemērs.lv", // UTF-8 is accepted (RFC 6532)
		strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".lv", // exactly 254 bytes
	} {
		if err := ValidateEmail(s); err != nil {
			t.Errorf("ValidateEmail(%q) = %v, want nil", s, err)
		}
	}
}

func TestValidateEmail_Empty_FailsWithRequired(t *testing.T) {
	wantKey(t, ValidateEmail(""), "email.required")
}

func TestValidateEmail_Over254Bytes_FailsWithTooLong(t *testing.T) {
	s := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 187) + ".lv" // 255 bytes
	err := ValidateEmail(s)
	wantKey(t, err, "email.too_long")
	if e := AsError(err); e == nil || len(e.Args) != 1 || e.Args[0] != EmailMaxLength {
		t.Errorf("too_long args = %v, want [%d]", e, EmailMaxLength)
	}
}

func TestValidateEmail_NotOneBareAddress_FailsWithFormat(t *testing.T) {
	for _, s := range []string{
		"stars",
		"stars@",
		"@viaa.gov.lv",
		"stars@localhost",           // no dot in the domain
		"stars@viaa..lv",            // empty label
		"stars@.viaa.lv",            // leading dot
		"stars@viaa.lv.",            // trailing dot
		"stars@viaa@gov.lv",         // two @
		"Stars <stars@viaa.gov.lv>", // display name
		"<stars@viaa.gov.lv>",       // angle brackets
		" stars@viaa.gov.lv",        // surrounding space
		"stars@viaa.gov.lv ",
		"stars@viaa.gov.lv (helpdesk)", // comment
		`"stars desk"@viaa.gov.lv`,     // quoted local part
		"stars@[10.0.0.1]",             // domain literal
		"a@b.lv, c@d.lv",               // a list
		"stars\n@viaa.gov.lv",
	} {
		t.Run(s, func(t *testing.T) { wantKey(t, ValidateEmail(s), "email.format") })
	}
}

func TestValidateEmail_ErrorMessage_DoesNotRepeatTheAddress(t *testing.T) {
	err := ValidateEmail("ilze.berzina@localhost")
	if err == nil || strings.Contains(err.Error(), "ilze") {
		t.Errorf("ValidateEmail error = %v, want one that does not reveal the address", err)
	}
}
