// Package mailsend delivers the outbox's messages: over SMTP when a server
// is configured (PPP_SMTP_URL), otherwise as .eml files in the data folder,
// so that a demo works offline. Both write the same bytes, built by
// Compose.
package mailsend

import (
	"net/mail"

	"github.com/viaa/ppp/domain"
)

// DefaultFrom is the sender of every message unless the SMTP URL names
// another.
const DefaultFrom = "VIAA Prasmju pārvaldības platforma <no-reply@viaa.gov.lv>"

// defaultFrom is DefaultFrom parsed.
var defaultFrom = func() mail.Address {
	a, err := mail.ParseAddress(DefaultFrom)
	if err != nil {
		panic("mailsend: DefaultFrom does not parse: " + err.Error())
	}
	return *a
}()

// FromEnv returns the sender the configuration asks for: SMTP when smtpURL
// (PPP_SMTP_URL) is set, otherwise files under dataDir/outbox. It returns
// EINVALID, without repeating the URL's password, when smtpURL is
// malformed.
func FromEnv(smtpURL, dataDir string) (domain.MailSender, error) {
	if smtpURL != "" {
		return ParseSMTPURL(smtpURL)
	}
	return NewFiles(dataDir), nil
}
