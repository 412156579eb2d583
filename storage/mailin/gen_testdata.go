//go:build ignore

// gen_testdata writes the Latvian-charset messages of testdata: the sample
// text encoded with golang.org/x/text's charmap. Run: go run gen_testdata.go
package main

import (
	"bytes"
	"encoding/base64"
	"mime"
	"mime/quotedprintable"
	"os"

	"golang.org/x/text/encoding/charmap"
)

const (
	subject = "Paroles atjaunošana: ĀČĒĢĪĶĻŅŠŪŽ"
	name    = "Jānis Bērziņš"
	body    = "Labdien!\n\nGlāžšķūņa rūķīši dzērumā čiepj Baha koncertflīģeļu vākus.\nĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž\n\nAr cieņu,\nJānis\n"
)

func enc(cm *charmap.Charmap, s string) string {
	b, err := cm.NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return b
}

func crlf(s string) []byte { return bytes.ReplaceAll([]byte(s), []byte("\n"), []byte("\r\n")) }

func main() {
	// ISO-8859-13, quoted-printable, Q-encoded headers.
	var qp bytes.Buffer
	w := quotedprintable.NewWriter(&qp)
	w.Write(crlf(enc(charmap.ISO8859_13, body)))
	w.Close()
	msg := "From: " + mime.QEncoding.Encode("ISO-8859-13", enc(charmap.ISO8859_13, name)) + " <Janis.Berzins@Example.LV>\r\n" +
		"To: stars@viaa.gov.lv\r\n" +
		"Subject: " + mime.QEncoding.Encode("ISO-8859-13", enc(charmap.ISO8859_13, subject)) + "\r\n" +
		"Date: Mon, 02 Mar 2026 10:15:00 +0200\r\n" +
		"Message-ID: <lv-iso-1@example.lv>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=ISO-8859-13\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp.String()
	must(os.WriteFile("testdata/latvian_iso8859-13_qp.eml", []byte(msg), 0o644))

	// Windows-1257, base64, B-encoded headers.
	b64 := base64.StdEncoding.EncodeToString(crlf(enc(charmap.Windows1257, body)))
	var lines bytes.Buffer
	for len(b64) > 76 {
		lines.WriteString(b64[:76] + "\r\n")
		b64 = b64[76:]
	}
	lines.WriteString(b64 + "\r\n")
	msg = "From: " + mime.BEncoding.Encode("windows-1257", enc(charmap.Windows1257, name)) + " <janis.berzins@example.lv>\r\n" +
		"To: stars@viaa.gov.lv\r\n" +
		"Subject: " + mime.BEncoding.Encode("windows-1257", enc(charmap.Windows1257, subject)) + "\r\n" +
		"Date: Mon, 02 Mar 2026 10:16:00 +0200\r\n" +
		"Message-ID: <lv-1257-1@example.lv>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=\"windows-1257\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + lines.String()
	must(os.WriteFile("testdata/latvian_windows-1257_base64.eml", []byte(msg), 0o644))

	// Windows-1257, 8bit body and a raw 8-bit subject (a badly behaved client).
	msg = "From: janis.berzins@example.lv\r\n" +
		"To: stars@viaa.gov.lv\r\n" +
		"Subject: " + enc(charmap.Windows1257, subject) + "\r\n" +
		"Message-ID: <lv-1257-2@example.lv>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=cp1257\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\n" + string(crlf(enc(charmap.Windows1257, body)))
	must(os.WriteFile("testdata/latvian_windows-1257_8bit.eml", []byte(msg), 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
