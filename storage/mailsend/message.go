package mailsend

import (
	"bytes"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/viaa/ppp/domain"
)

// validMessageID is a Message-ID without its angle brackets, as the
// outbox gives it (migration 0082): printable ASCII around one @, no
// brackets or white space that could break the header.
var validMessageID = regexp.MustCompile(`^[!-;=?-~]+@[!-;=?-~]+$`)

// headerLineLimit is where Compose folds header lines (RFC 5322 §2.1.1
// recommends 78 characters).
const headerLineLimit = 78

// Compose returns m as an RFC 5322 message from from: UTF-8 plain text,
// quoted-printable, with CRLF line ends, the subject and any non-ASCII
// display name as RFC 2047 encoded words. Its Date is when the message was
// written (m.CreatedAt, now when unset), so that every attempt produces
// the same bytes; its Message-ID is m.MessageID, the same on every
// attempt. It returns an error, without repeating the address, when m.To
// is not one bare address, the subject spans several lines, or
// m.MessageID is missing or malformed.
func Compose(from mail.Address, m *domain.Mail) ([]byte, error) {
	to, err := mail.ParseAddress(m.To)
	if err != nil || to.Address != strings.TrimSpace(m.To) {
		return nil, fmt.Errorf("compose message %d: the recipient is not one e-mail address", m.ID)
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, fmt.Errorf("compose message %d: the subject spans several lines", m.ID)
	}
	if !validMessageID.MatchString(m.MessageID) {
		return nil, fmt.Errorf("compose message %d: no valid Message-ID", m.ID)
	}
	date := m.CreatedAt
	if date.IsZero() {
		date = time.Now()
	}
	lang := "lv"
	if m.Lang == "en" {
		lang = "en"
	}

	var b bytes.Buffer
	header := func(name, value string) {
		writeHeader(&b, name, value)
	}
	header("From", formatAddress(from))
	header("To", (&mail.Address{Address: to.Address}).String())
	header("Subject", mime.QEncoding.Encode("UTF-8", m.Subject))
	header("Date", date.UTC().Format(time.RFC1123Z))
	header("Message-ID", "<"+m.MessageID+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Content-Language", lang)
	// RFC 3834: no vacation replies to an automatic message.
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")

	// Not binary: line ends become CRLF and long lines are soft-wrapped.
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(m.Body)); err != nil {
		return nil, fmt.Errorf("compose message %d: %w", m.ID, err)
	}
	if err := qp.Close(); err != nil {
		return nil, fmt.Errorf("compose message %d: %w", m.ID, err)
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes(), nil
}

// formatAddress writes a as "Name <addr>", a non-ASCII display name as
// UTF-8 Q-encoded words.
func formatAddress(a mail.Address) string {
	for _, r := range a.Name {
		if r >= utf8.RuneSelf {
			return mime.QEncoding.Encode("UTF-8", a.Name) + " <" + a.Address + ">"
		}
	}
	return a.String()
}

// writeHeader writes "Name: value" folded at spaces (between encoded
// words, or between words) so that lines stay near headerLineLimit.
func writeHeader(b *bytes.Buffer, name, value string) {
	line := name + ":"
	for i, word := range strings.Split(value, " ") {
		if i > 0 && len(line)+1+len(word) > headerLineLimit {
			b.WriteString(line)
			b.WriteString("\r\n")
			line = ""
		}
		line += " " + word
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}
