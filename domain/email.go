package domain

import (
	"net/mail"
	"strings"
)

// EmailMaxLength is the longest e-mail address accepted, in bytes: the
// limit SMTP puts on a forward path (RFC 5321 §4.5.3.1.3).
const EmailMaxLength = 254

// ValidateEmail checks that s is one bare e-mail address such as
// "vards.uzvards@viaa.gov.lv": no display name, no angle brackets, no
// surrounding spaces, exactly one '@', a domain with a dot in it, and at
// most EmailMaxLength bytes. It returns an *Error with code EINVALID and
// key "email.required" (empty), "email.too_long" (Args: the limit) or
// "email.format" (anything else). The messages never repeat the address,
// since it is personal data and they end up in logs.
func ValidateEmail(s string) error {
	if s == "" {
		return Errorf(EINVALID, "email.required", "an e-mail address is required")
	}
	if len(s) > EmailMaxLength {
		return Errorf(EINVALID, "email.too_long", "the e-mail address is too long (at most %d characters)", EmailMaxLength)
	}
	invalid := Errorf(EINVALID, "email.format", "the e-mail address is not valid")
	// ParseAddress also accepts "Name <a@b.lv>", "<a@b.lv>" and quoted or
	// commented forms; demanding that it hand back s unchanged leaves only
	// the bare address.
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return invalid
	}
	if strings.Count(s, "@") != 1 {
		return invalid
	}
	local, domain, _ := strings.Cut(s, "@")
	if local == "" || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.Contains(domain, "..") || strings.HasPrefix(domain, "[") {
		return invalid
	}
	return nil
}
