package demodata

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// mimeMail is a message as a mail program sends it to stars@viaa.gov.lv,
// in the charset and transfer encoding its sender's program chose.
type mimeMail struct {
	id        string // Message-ID without angle brackets
	inReplyTo string // likewise; "" for a new thread
	refs      []string
	from      string
	fromName  string
	subject   string
	date      time.Time
	charset   string // "utf-8", "windows-1257" or "iso-8859-13"
	encoding  string // "quoted-printable", "base64" or "8bit"
	text      string // the body; with html set, only the HTML part is sent
	html      bool
	attach    *mailAttachment
}

// mailAttachment is a file attached to a message.
type mailAttachment struct {
	name, mediaType string
	data            []byte
}

// rigaZone is where the senders' programs write their Date headers.
var rigaZone = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Riga"); err == nil {
		return loc
	}
	return time.FixedZone("EET", 2*60*60)
}()

// encode returns s in charset. The demo's texts are Latvian, which both
// legacy charsets hold whole.
func encode(charset, s string) ([]byte, error) {
	switch charset {
	case "utf-8":
		return []byte(s), nil
	case "windows-1257":
		b, err := charmap.Windows1257.NewEncoder().Bytes([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("encode %q in %s: %w", s, charset, err)
		}
		return b, nil
	case "iso-8859-13":
		b, err := charmap.ISO8859_13.NewEncoder().Bytes([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("encode %q in %s: %w", s, charset, err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown charset %q", charset)
}

// header encodes a header value in charset as RFC 2047 words when it is
// not plain ASCII.
func header(charset, s string) (string, error) {
	b, err := encode(charset, s)
	if err != nil {
		return "", err
	}
	return mime.QEncoding.Encode(charset, string(b)), nil
}

// crlf turns the text's line ends into CRLF, as mail carries them.
func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// body encodes text in the transfer encoding.
func body(encoding string, b []byte) ([]byte, error) {
	var out bytes.Buffer
	switch encoding {
	case "8bit":
		out.Write(b)
	case "quoted-printable":
		w := quotedprintable.NewWriter(&out)
		if _, err := w.Write(b); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
	case "base64":
		enc := base64.StdEncoding.EncodeToString(b)
		for len(enc) > 76 {
			out.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		out.WriteString(enc)
	default:
		return nil, fmt.Errorf("unknown transfer encoding %q", encoding)
	}
	if !bytes.HasSuffix(out.Bytes(), []byte("\r\n")) {
		out.WriteString("\r\n")
	}
	return out.Bytes(), nil
}

// bytes returns the raw message.
func (m *mimeMail) bytes() ([]byte, error) {
	var b bytes.Buffer
	from := "<" + m.from + ">"
	if m.fromName != "" {
		name, err := header(m.charset, m.fromName)
		if err != nil {
			return nil, err
		}
		if name == m.fromName {
			name = `"` + name + `"`
		}
		from = name + " " + from
	}
	subject, err := header(m.charset, m.subject)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, "From: %s\r\nTo: stars@viaa.gov.lv\r\nSubject: %s\r\n", from, subject)
	fmt.Fprintf(&b, "Date: %s\r\nMessage-ID: <%s>\r\n", m.date.In(rigaZone).Format(time.RFC1123Z), m.id)
	if m.inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\r\n", m.inReplyTo)
	}
	if len(m.refs) > 0 {
		fmt.Fprintf(&b, "References: <%s>\r\n", strings.Join(m.refs, "> <"))
	}
	b.WriteString("MIME-Version: 1.0\r\n")

	text, err := encode(m.charset, crlf(m.text))
	if err != nil {
		return nil, err
	}
	part, err := body(m.encoding, text)
	if err != nil {
		return nil, err
	}
	kind := "text/plain"
	if m.html {
		kind = "text/html"
	}
	partHeader := fmt.Sprintf("Content-Type: %s; charset=%s\r\nContent-Transfer-Encoding: %s\r\n", kind, m.charset, m.encoding)
	if m.attach == nil {
		b.WriteString(partHeader + "\r\n")
		b.Write(part)
		return b.Bytes(), nil
	}
	const boundary = "=_demo_" + "7c1f0a"
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary)
	b.WriteString("This is a multi-part message in MIME format.\r\n")
	fmt.Fprintf(&b, "--%s\r\n%s\r\n", boundary, partHeader)
	b.Write(part)
	file, err := body("base64", m.attach.data)
	if err != nil {
		return nil, err
	}
	name := mime.QEncoding.Encode("utf-8", m.attach.name)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\n"+
		"Content-Transfer-Encoding: base64\r\n\r\n", boundary, m.attach.mediaType, name, name)
	b.Write(file)
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes(), nil
}

// demoPDF is a small PDF document: one page saying what it is.
func demoPDF(title string) []byte {
	return []byte("%PDF-1.4\n" +
		"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
		"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj\n" +
		"4 0 obj << /Length " + fmt.Sprint(len(title)+24) + " >> stream\nBT /F1 12 Tf 72 770 Td (" + title + ") Tj ET\nendstream endobj\n" +
		"trailer << /Root 1 0 R >>\n%%EOF\n")
}
