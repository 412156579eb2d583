package mailin

import (
	"mime"
	"mime/quotedprintable"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// charsetMail writes a message whose subject, sender name and body are in
// charset label, encoded with enc: the body quoted-printable, the headers
// as RFC 2047 encoded words.
func charsetMail(t *testing.T, label string, enc encoding.Encoding, subject, name, body string) []byte {
	t.Helper()
	e := func(s string) string {
		out, err := enc.NewEncoder().String(s)
		if err != nil {
			t.Fatalf("%s cannot encode %q: %v", label, s, err)
		}
		return out
	}
	var qp strings.Builder
	w := quotedprintable.NewWriter(&qp)
	w.Write([]byte(e(body)))
	w.Close()
	return []byte("From: " + mime.BEncoding.Encode(label, e(name)) + " <sender@example.lv>\r\n" +
		"To: stars@viaa.gov.lv\r\nSubject: " + mime.QEncoding.Encode(label, e(subject)) + "\r\n" +
		"Message-ID: <charset@example.lv>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=\"" + label + "\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		qp.String())
}

// TestParse_LatvianCharsets_EveryLabel: Latvian mail in windows-1257,
// ISO-8859-13 (Latin-7) and ISO-8859-4 (Latin-4) comes out right under
// every name mail programs give those charsets.
func TestParse_LatvianCharsets_EveryLabel(t *testing.T) {
	const (
		subject = "Paroles atjaunošana: ĀČĒĢĪĶĻŅŠŪŽ"
		name    = "Jānis Bērziņš"
		body    = "Glāžšķūņa rūķīši dzērumā čiepj Baha koncertflīģeļu vākus.\nĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž"
	)
	for enc, labels := range map[encoding.Encoding][]string{
		charmap.Windows1257: {"windows-1257", "WINDOWS-1257", "cp1257", "x-cp1257"},
		charmap.ISO8859_13:  {"iso-8859-13", "ISO-8859-13", "iso8859-13", "iso885913", "latin7", "l7", "iso_8859-13"},
		charmap.ISO8859_4:   {"iso-8859-4", "ISO-8859-4", "latin4", "l4", "iso8859-4", "iso88594", "iso_8859-4", "iso_8859-4:1988", "csisolatin4", "iso-ir-110"},
	} {
		for _, label := range labels {
			t.Run(label, func(t *testing.T) {
				m := Parse(charsetMail(t, label, enc, subject, name, body))
				if m.ParseError != "" {
					t.Errorf("ParseError %q", m.ParseError)
				}
				wantName := name
				if strings.Contains(label, ":") {
					wantName = "" // not a token, so no encoded word (RFC 2047 §2)
				}
				if m.Subject != subject || m.FromName != wantName || m.Text != body {
					t.Errorf("decoded\n subject %q\n name    %q\n text    %q", m.Subject, m.FromName, m.Text)
				}
			})
		}
	}
}

// TestParse_WHATWGEncodings: charsets beyond the Baltic ones decode too
// (every WHATWG encoding is known by its labels).
func TestParse_WHATWGEncodings(t *testing.T) {
	for _, c := range []struct {
		label string
		enc   encoding.Encoding
		text  string
	}{
		{"windows-1250", charmap.Windows1250, "Příliš žluťoučký kůň"},
		{"iso-8859-2", charmap.ISO8859_2, "Zażółć gęślą jaźń"},
		{"iso-8859-16", charmap.ISO8859_16, "Șțâî"},
		{"windows-1251", charmap.Windows1251, "Съешь же ещё этих мягких булок"},
		{"koi8-u", charmap.KOI8U, "Чуєш їх, доцю"},
		{"windows-1252", charmap.Windows1252, "Déjà vu – “quotes”"},
		{"iso-8859-15", charmap.ISO8859_15, "Prix: 10 €"},
		{"windows-874", charmap.Windows874, "ภาษาไทย"},
		{"macintosh", charmap.Macintosh, "Café"},
		{"shift_jis", japanese.ShiftJIS, "日本語のテキスト"},
		{"euc-jp", japanese.EUCJP, "日本語"},
		{"iso-2022-jp", japanese.ISO2022JP, "日本語"},
		{"euc-kr", korean.EUCKR, "한국어 텍스트"},
		{"gbk", simplifiedchinese.GBK, "简体中文"},
		{"gb18030", simplifiedchinese.GB18030, "简体中文"},
		{"big5", traditionalchinese.Big5, "繁體中文"},
		{"utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "Rīga"},
	} {
		t.Run(c.label, func(t *testing.T) {
			m := Parse(charsetMail(t, c.label, c.enc, c.text, c.text, c.text))
			if m.Text != c.text || m.Subject != c.text || m.FromName != c.text {
				t.Errorf("decoded text %q subject %q name %q, want %q", m.Text, m.Subject, m.FromName, c.text)
			}
		})
	}
}

// TestDecodeCharset_UnknownOrMislabelled: an unknown charset, and bytes
// that are not what the label says, still give valid UTF-8.
func TestDecodeCharset_UnknownOrMislabelled(t *testing.T) {
	for _, c := range []struct{ label, in, want string }{
		{"x-unknown", "plain ascii", "plain ascii"},
		{"x-unknown", "Rīga", "Rīga"},
		{"us-ascii", "R\xeeg\xe0", "R\uFFFDg\uFFFD"},
		{"utf-8", "ok \xff", "ok \uFFFD"},
		{"", "Rīga", "Rīga"},
	} {
		if got := decodeCharset(c.label, []byte(c.in)); got != c.want {
			t.Errorf("decodeCharset(%q, %q) = %q, want %q", c.label, c.in, got, c.want)
		}
	}
}
