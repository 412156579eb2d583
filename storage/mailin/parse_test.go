package mailin

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

const latvianSample = "Glāžšķūņa rūķīši dzērumā čiepj Baha koncertflīģeļu vākus."

func parseFile(t *testing.T, name string) ([]byte, *testMsg) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw, &testMsg{Parse(raw)}
}

type testMsg struct{ *domain.InboundMessage }

func TestParse_LatvianCharsets(t *testing.T) {
	for _, name := range []string{"latvian_iso8859-13_qp.eml", "latvian_windows-1257_base64.eml", "latvian_windows-1257_8bit.eml"} {
		t.Run(name, func(t *testing.T) {
			raw, m := parseFile(t, name)
			if m.ParseError != "" {
				t.Fatalf("ParseError = %q", m.ParseError)
			}
			if !bytes.Equal(m.Raw, raw) {
				t.Error("Raw not kept")
			}
			if want := "Paroles atjaunošana: ĀČĒĢĪĶĻŅŠŪŽ"; m.Subject != want {
				t.Errorf("Subject = %q, want %q", m.Subject, want)
			}
			if m.From != "janis.berzins@example.lv" {
				t.Errorf("From = %q", m.From)
			}
			if name != "latvian_windows-1257_8bit.eml" && m.FromName != "Jānis Bērziņš" {
				t.Errorf("FromName = %q", m.FromName)
			}
			if !strings.Contains(m.Text, latvianSample) || !strings.Contains(m.Text, "ĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž") {
				t.Errorf("Text = %q", m.Text)
			}
			for _, r := range "āčēģīķļņšūž" {
				if !strings.ContainsRune(m.Text, r) {
					t.Errorf("%c missing from Text", r)
				}
			}
			if strings.Contains(m.Text, "\r") || strings.ContainsRune(m.Text, '\uFFFD') {
				t.Errorf("Text not clean: %q", m.Text)
			}
		})
	}
}

func TestParse_AlternativePrefersPlainText(t *testing.T) {
	_, m := parseFile(t, "alternative.eml")
	if m.ParseError != "" {
		t.Fatal(m.ParseError)
	}
	want := "Labdien, kā pieteikties kursiem? Ilgs teksts, kas tiek pārnesta nākamajā rindā."
	if m.Text != want {
		t.Errorf("Text = %q, want %q", m.Text, want)
	}
	if m.Subject != "Jautājums par školotāju" {
		t.Errorf("Subject = %q", m.Subject)
	}
	if m.From != "anna.liepa@example.com" || m.FromName != "Anna Liepa" {
		t.Errorf("From = %q %q", m.From, m.FromName)
	}
	if len(m.To) != 1 || m.To[0] != "stars@viaa.gov.lv" {
		t.Errorf("To = %q", m.To)
	}
	if want := time.Date(2026, 3, 3, 7, 0, 0, 0, time.UTC); !m.Date.Equal(want) {
		t.Errorf("Date = %v", m.Date)
	}
	if m.MessageID != "alt-1@example.com" {
		t.Errorf("MessageID = %q", m.MessageID)
	}
}

func TestParse_MixedWithAttachments(t *testing.T) {
	_, m := parseFile(t, "mixed_attachment.eml")
	if m.ParseError != "" {
		t.Fatal(m.ParseError)
	}
	if m.Text != "Sistēma rāda kļūdu, skatiet pielikumu." {
		t.Errorf("Text = %q", m.Text)
	}
	if m.FromName != "Pēteris" || m.Subject != "Incidents: pievienoju ekrānuzņēmumu" {
		t.Errorf("FromName %q Subject %q", m.FromName, m.Subject)
	}
	if len(m.Attachments) != 2 {
		t.Fatalf("Attachments = %+v", m.Attachments)
	}
	a := m.Attachments[0]
	sum := sha256.Sum256([]byte("hello world"))
	if a.Name != "ekrāns.png" || a.MediaType != "image/png" || a.Size != 11 || a.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("first attachment = %+v", a)
	}
	if b := m.Attachments[1]; b.Name != "iesniegums ķēde.pdf" || b.MediaType != "application/pdf" || b.Size != 9 {
		t.Errorf("second attachment = %+v", b)
	}
}

func TestParse_HTMLOnlyReducedToText(t *testing.T) {
	_, m := parseFile(t, "html_only.eml")
	if m.ParseError != "" {
		t.Fatal(m.ParseError)
	}
	want := "Paroles atjaunošana\n\nLūdzu, atjaunojiet manu paroli & kontu.\nPaldies!\n\nOtrais paragrāfs <svarīgs> é\n\n• viens\n• divi"
	if m.Text != want {
		t.Errorf("Text =\n%s\nwant\n%s", m.Text, want)
	}
	for _, bad := range []string{"alert", "color", "Virsraksts", "hidden", "<p>"} {
		if strings.Contains(m.Text, bad) {
			t.Errorf("Text keeps %q", bad)
		}
	}
}

func TestParse_BrokenMIME_KeepsRawAndHeaders(t *testing.T) {
	for _, name := range []string{"broken_boundary.eml", "truncated.eml", "bad_headers.eml"} {
		t.Run(name, func(t *testing.T) {
			raw, m := parseFile(t, name)
			if m.ParseError == "" {
				t.Error("no ParseError")
			}
			if !bytes.Equal(m.Raw, raw) {
				t.Error("Raw not kept")
			}
			if m.From != "someone@example.com" || m.Subject == "" {
				t.Errorf("headers lost: From %q Subject %q", m.From, m.Subject)
			}
			if m.MessageID == "" {
				t.Errorf("MessageID empty")
			}
		})
	}
	_, m := parseFile(t, "truncated.eml")
	if m.MessageID != "truncated-1@example.com" || m.Text != "First part arrived." {
		t.Errorf("truncated: MessageID %q Text %q", m.MessageID, m.Text)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Size != 33 {
		t.Errorf("truncated: Attachments %+v", m.Attachments)
	}
}

func TestParse_MissingMessageIDIsDeterministic(t *testing.T) {
	raw, m := parseFile(t, "no_message_id.eml")
	if m.ParseError != "" {
		t.Fatal(m.ParseError)
	}
	if m.MessageID != SyntheticMessageID(raw) || !strings.HasPrefix(m.MessageID, "sha256-") {
		t.Errorf("MessageID = %q", m.MessageID)
	}
	if again := Parse(bytes.Clone(raw)); again.MessageID != m.MessageID {
		t.Error("synthetic Message-ID not deterministic")
	}
	if other := Parse(append(bytes.Clone(raw), '!')); other.MessageID == m.MessageID {
		t.Error("different messages share a synthetic Message-ID")
	}
	if m.Text != "A plain body with no MIME headers at all." {
		t.Errorf("Text = %q", m.Text)
	}
}

func TestParse_ReplyThreading(t *testing.T) {
	_, m := parseFile(t, "reply.eml")
	if m.ParseError != "" {
		t.Fatal(m.ParseError)
	}
	if m.MessageID != "reply-2@example.com" || m.InReplyTo != "ticket-42.reply-1@viaa.gov.lv" {
		t.Errorf("MessageID %q InReplyTo %q", m.MessageID, m.InReplyTo)
	}
	if len(m.References) != 2 || m.References[0] != "orig-1@example.com" || m.References[1] != "ticket-42.reply-1@viaa.gov.lv" {
		t.Errorf("References = %q", m.References)
	}
	if !strings.HasPrefix(m.Text, "Paldies, parole nomainīta.") {
		t.Errorf("Text = %q", m.Text)
	}
}

func TestParse_HugeAttachment(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 5<<20/16) // 5 MB
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	b.WriteString("From: big@example.com\r\nTo: stars@viaa.gov.lv\r\nSubject: big\r\nMessage-ID: <big@example.com>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XYZ\r\n\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nSee the dump.\r\n" +
		"--XYZ\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=dump.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--XYZ--\r\n")
	m := Parse([]byte(b.String()))
	if m.ParseError != "" {
		t.Fatal(m.ParseError)
	}
	sum := sha256.Sum256(data)
	if len(m.Attachments) != 1 || m.Attachments[0].Size != int64(len(data)) || m.Attachments[0].SHA256 != hex.EncodeToString(sum[:]) || m.Attachments[0].Name != "dump.bin" {
		t.Errorf("Attachments = %+v", m.Attachments)
	}
	if m.Text != "See the dump." {
		t.Errorf("Text = %q", m.Text)
	}
}

func TestParse_LimitsPartsAndDepth(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: deep@example.com\r\nMessage-ID: <deep@example.com>\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n")
	for i := 1; i <= 50; i++ {
		b.WriteString("--b" + itoa(i-1) + "\r\nContent-Type: multipart/mixed; boundary=b" + itoa(i) + "\r\n\r\n")
	}
	m := Parse([]byte(b.String()))
	if !strings.Contains(m.ParseError, "nested too deep") {
		t.Errorf("ParseError = %q", m.ParseError)
	}
	b.Reset()
	b.WriteString("From: many@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n")
	for i := 0; i < 1000; i++ {
		b.WriteString("--b\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n")
	}
	b.WriteString("--b--\r\n")
	m = Parse([]byte(b.String()))
	if !strings.Contains(m.ParseError, "too many MIME parts") || len(m.Attachments) >= MaxParts {
		t.Errorf("ParseError = %q, %d attachments", m.ParseError, len(m.Attachments))
	}
}

func TestParse_EmptyAndGarbage(t *testing.T) {
	for _, raw := range [][]byte{nil, {}, []byte("\x00\xff\xfe"), []byte("no colon header\r\n\r\nbody")} {
		m := Parse(raw)
		if m.ParseError == "" || m.MessageID == "" || !bytes.Equal(m.Raw, raw) {
			t.Errorf("Parse(%q) = ParseError %q MessageID %q", raw, m.ParseError, m.MessageID)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
