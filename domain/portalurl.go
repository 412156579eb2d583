package domain

import (
	"net"
	"net/url"
	"strings"
)

// DefaultPortalURL is the address of the live Platform (the portal people
// use); every link the back office mails starts with the configured
// portal address (PPP_PORTAL_URL), this one when none is set.
const DefaultPortalURL = "https://stars.gov.lv"

// The portal's pages that the back office's mails link to; the token
// follows as ?token=….
const (
	// ConfirmPath confirms an applicant's e-mail address (¶27.3, ¶28.2,
	// ¶29.2).
	ConfirmPath = "/apstiprinat"
	// ResetPath sets a new password from a helpdesk reset (¶31.3).
	ResetPath = "/parole"
)

// PortalLink returns portalURL + path + "?token=" + token, with the
// token escaped; an empty portalURL stands for DefaultPortalURL.
func PortalLink(portalURL, path, token string) string {
	if portalURL == "" {
		portalURL = DefaultPortalURL
	}
	return strings.TrimSuffix(portalURL, "/") + path + "?token=" + url.QueryEscape(token)
}

// ResetLink returns the link that carries token to the portal at
// portalURL ("" for DefaultPortalURL).
func ResetLink(portalURL, token string) string { return PortalLink(portalURL, ResetPath, token) }

// CheckPortalURL checks a configured portal address and returns it
// without a trailing slash. It must be an absolute https URL with a host
// and nothing after the path (no user, query or fragment, which a link
// would carry to every recipient); plain http is allowed for a loopback
// host only (a developer's portal). Otherwise it returns EINVALID with
// key "portal_url.invalid".
func CheckPortalURL(s string) (string, error) {
	bad := Errorf(EINVALID, "portal_url.invalid", "PPP_PORTAL_URL %q is not an https address of the portal", s)
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", bad
	}
	switch u.Scheme {
	case "https":
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return "", bad
		}
	default:
		return "", bad
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}
