// Package mailin receives the mail sent to stars@viaa.gov.lv: it parses a
// message into a domain.InboundMessage (Parse), accepts messages relayed by
// the Agency's mail server over SMTP (Listener) and imports .eml files and
// mbox archives (Import). Storing a message, once by its Message-ID, is the
// caller's: every entry point hands the raw bytes to a deliver callback.
package mailin

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/viaa/ppp/domain"
)

// Limits of the MIME walk. The message size is limited by the callers
// (the listener and the import).
const (
	MaxParts = 200 // MIME parts in one message
	MaxDepth = 10  // nesting of multipart/* parts
)

// SyntheticMessageID returns the Message-ID given to a message that has
// none: derived from the SHA-256 of its raw bytes, without the Received:
// header our listener put first (it differs on every delivery), so that
// the same message delivered twice is stored once.
func SyntheticMessageID(raw []byte) string {
	sum := sha256.Sum256(withoutOwnTrace(raw))
	return "sha256-" + hex.EncodeToString(sum[:]) + "@ppp.invalid"
}

// withoutOwnTrace returns raw without its first header field when that is
// the Received: header our listener writes (receivedHeader).
func withoutOwnTrace(raw []byte) []byte {
	if !bytes.HasPrefix(raw, []byte("Received: from ")) {
		return raw
	}
	end := 0
	for {
		i := bytes.Index(raw[end:], []byte("\r\n"))
		if i < 0 {
			return raw
		}
		end += i + 2
		if end >= len(raw) || (raw[end] != ' ' && raw[end] != '\t') {
			break
		}
	}
	if !bytes.Contains(raw[:end], []byte(" "+traceMark+" with ")) {
		return raw
	}
	return raw[end:]
}

// Parse parses a raw message. It never fails: a message that cannot be
// parsed comes back with its Raw bytes, ParseError and whatever headers were
// readable. Raw is raw itself, not a copy.
func Parse(raw []byte) (m *domain.InboundMessage) {
	m = &domain.InboundMessage{Raw: raw}
	p := &parser{}
	defer func() {
		if r := recover(); r != nil {
			p.fail(fmt.Sprintf("internal error: %v", r))
		}
		if m.MessageID == "" {
			m.MessageID = SyntheticMessageID(raw)
		}
		if len(p.errs) > 0 {
			m.ParseError = strings.Join(p.errs, "; ")
		}
		m.Attachments = p.attachments
	}()

	br := bufio.NewReader(bytes.NewReader(raw))
	hdr, err := textproto.NewReader(br).ReadMIMEHeader()
	if err != nil && !(errors.Is(err, io.EOF) && len(hdr) > 0) {
		p.fail("header: " + err.Error())
	}
	h := mail.Header(hdr)
	p.headers(m, h)
	if err != nil && !errors.Is(err, io.EOF) {
		// The headers are broken: the rest cannot be told from the body.
		return m
	}
	body, _ := io.ReadAll(br)
	m.Text = strings.TrimSpace(p.part(textproto.MIMEHeader(hdr), body, 0).text)
	return m
}

// parser collects a message's attachments and problems while its parts are
// walked.
type parser struct {
	parts       int
	attachments []domain.Attachment
	errs        []string
}

func (p *parser) fail(msg string) {
	for _, e := range p.errs {
		if e == msg {
			return
		}
	}
	if len(p.errs) < 10 {
		p.errs = append(p.errs, msg)
	}
}

var wordDecoder = &mime.WordDecoder{CharsetReader: charsetReader}

// decodeHeader decodes RFC 2047 encoded words; undecodable text is kept as
// it is, made valid UTF-8.
func decodeHeader(s string) string {
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		s = d
	}
	return strings.TrimSpace(validUTF8(s))
}

func (p *parser) headers(m *domain.InboundMessage, h mail.Header) {
	ap := &mail.AddressParser{WordDecoder: wordDecoder}
	if from := h.Get("From"); from != "" {
		if a, err := ap.Parse(from); err == nil {
			m.From, m.FromName = strings.ToLower(a.Address), validUTF8(a.Name)
		} else if addr := looseAddress(from); addr != "" {
			m.From = addr
		} else {
			p.fail("From: " + err.Error())
		}
	}
	for _, to := range h["To"] {
		if list, err := ap.ParseList(to); err == nil {
			for _, a := range list {
				m.To = append(m.To, strings.ToLower(a.Address))
			}
		} else if addr := looseAddress(to); addr != "" {
			m.To = append(m.To, addr)
		}
	}
	m.Subject = decodeHeader(h.Get("Subject"))
	if d := h.Get("Date"); d != "" {
		if t, err := mail.ParseDate(d); err == nil {
			m.Date = t
		}
	}
	if ids := msgIDs(h.Get("Message-Id")); len(ids) > 0 {
		m.MessageID = ids[0]
	}
	if ids := msgIDs(h.Get("In-Reply-To")); len(ids) > 0 {
		m.InReplyTo = ids[0]
	}
	m.References = msgIDs(strings.Join(h["References"], " "))
}

// looseAddress finds an address in a header net/mail refused: the text in
// angle brackets, else the first word with an @.
func looseAddress(s string) string {
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			if a := strings.TrimSpace(s[i+1 : i+j]); strings.Contains(a, "@") {
				return strings.ToLower(validUTF8(a))
			}
		}
	}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '"' || r == '\t' }) {
		if strings.Contains(f, "@") {
			return strings.ToLower(validUTF8(strings.Trim(f, "<>()")))
		}
	}
	return ""
}

// msgIDs returns the message identifiers of a Message-ID, In-Reply-To or
// References header without their angle brackets; a header without any
// brackets is taken word by word.
func msgIDs(s string) []string {
	var ids []string
	rest := s
	for {
		i := strings.IndexByte(rest, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '>')
		if j < 0 {
			break
		}
		if id := strings.TrimSpace(rest[i+1 : i+j]); id != "" {
			ids = append(ids, validUTF8(id))
		}
		rest = rest[i+j+1:]
	}
	if len(ids) == 0 {
		for _, f := range strings.Fields(s) {
			ids = append(ids, validUTF8(strings.Trim(f, "<>")))
		}
	}
	return ids
}

// content is what a part contributes to the message's text.
type content struct {
	text string
	html bool // text is reduced HTML
}

// part walks one MIME part: the message itself, or a part of a multipart.
func (p *parser) part(h textproto.MIMEHeader, body []byte, depth int) content {
	p.parts++
	ct := h.Get("Content-Type")
	mediaType, params := "text/plain", map[string]string{"charset": "us-ascii"}
	if ct != "" {
		mt, ps, err := mime.ParseMediaType(ct)
		switch {
		case err == nil || errors.Is(err, mime.ErrInvalidMediaParameter):
			mediaType, params = mt, ps
		default:
			p.fail("Content-Type: " + err.Error())
		}
	}
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	name = decodeHeader(name)

	if strings.HasPrefix(mediaType, "multipart/") {
		return p.multipart(mediaType, params, body, depth)
	}
	data := p.decodeTransfer(h.Get("Content-Transfer-Encoding"), body)
	isText := mediaType == "text/plain" || mediaType == "text/html"
	if disp == "attachment" || !isText || (name != "" && disp != "inline") {
		p.attach(name, mediaType, data)
		return content{}
	}
	text := decodeCharset(params["charset"], data)
	if mediaType == "text/html" {
		reduced, complete := htmlToText(text, htmlBudget{deadline: time.Now().Add(HTMLTimeBudget), maxText: MaxHTMLText})
		if !complete {
			p.fail("HTML part cut: past its time or size budget, the rest is only in the raw message")
		}
		return content{text: reduced, html: true}
	}
	return content{text: normalizeText(text)}
}

func (p *parser) attach(name, mediaType string, data []byte) {
	sum := sha256.Sum256(data)
	if name == "" {
		name = "attachment"
	}
	p.attachments = append(p.attachments, domain.Attachment{
		Name: name, MediaType: mediaType, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]),
	})
}

func (p *parser) multipart(mediaType string, params map[string]string, body []byte, depth int) content {
	boundary := params["boundary"]
	if boundary == "" {
		p.fail(mediaType + " without a boundary")
		return content{text: normalizeText(decodeCharset("", body))}
	}
	if depth >= MaxDepth {
		p.fail("MIME parts nested too deep")
		return content{}
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var kids []content
	for {
		if p.parts >= MaxParts {
			p.fail("too many MIME parts")
			break
		}
		part, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			p.fail(mediaType + ": " + err.Error())
			break
		}
		data, err := io.ReadAll(part)
		if err != nil {
			p.fail(mediaType + ": " + err.Error())
		}
		kids = append(kids, p.part(part.Header, data, depth+1))
		if err != nil {
			break
		}
	}
	if len(kids) == 0 {
		p.fail(mediaType + ": no parts found (bad boundary?)")
		return content{}
	}
	if mediaType == "multipart/alternative" {
		// Prefer plain text; else HTML reduced to text; else anything.
		var html, other *content
		for i := range kids {
			k := &kids[i]
			switch {
			case k.text == "":
			case !k.html:
				return *k
			case html == nil:
				html = k
			}
			if other == nil && k.text != "" {
				other = k
			}
		}
		if html != nil {
			return *html
		}
		if other != nil {
			return *other
		}
		return content{}
	}
	var texts []string
	allHTML := true
	for _, k := range kids {
		if k.text != "" {
			texts = append(texts, k.text)
			allHTML = allHTML && k.html
		}
	}
	return content{text: strings.Join(texts, "\n\n"), html: len(texts) > 0 && allHTML}
}

// decodeTransfer undoes a Content-Transfer-Encoding. What cannot be decoded
// is kept as far as it was decoded, and noted.
func (p *parser) decodeTransfer(cte string, body []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err != nil {
			p.fail("quoted-printable: " + err.Error())
		}
		return out
	case "base64":
		clean := make([]byte, 0, len(body))
		for _, c := range body {
			switch {
			case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
				clean = append(clean, c)
			case c == '=', c == ' ', c == '\t', c == '\r', c == '\n':
			default:
				p.fail("base64: invalid character")
			}
		}
		out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
		if len(clean)%4 == 1 {
			p.fail("base64: truncated")
			clean = clean[:len(clean)-1]
		}
		n, err := base64.RawStdEncoding.Decode(out, clean)
		if err != nil {
			p.fail("base64: " + err.Error())
		}
		return out[:n]
	default: // 7bit, 8bit, binary or unknown
		return body
	}
}

// normalizeText turns CRLF into LF and trims trailing blanks of lines.
func normalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// validUTF8 returns s as valid UTF-8: text in raw 8-bit headers that is not
// UTF-8 is taken as Windows-1257, the Baltic code page of the mail
// programs that send it.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return decodeCharset("windows-1257", []byte(s))
}
