package mailin

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
)

// Charsets are looked up by their WHATWG labels (golang.org/x/text/
// encoding/htmlindex: every encoding a browser knows, under every name it
// accepts), plus a few names mail programs use that the WHATWG list
// lacks.
var charsetAliases = map[string]string{
	"latin7":      "iso-8859-13",
	"l7":          "iso-8859-13",
	"iso_8859-13": "iso-8859-13",
	"csiso885913": "iso-8859-13",
	"cp1252":      "windows-1252",
	"cp1250":      "windows-1250",
	"cp1251":      "windows-1251",
	"cp1253":      "windows-1253",
	"cp1254":      "windows-1254",
	"cp1255":      "windows-1255",
	"cp1256":      "windows-1256",
	"cp1258":      "windows-1258",
	"cp874":       "windows-874",
}

// isUTF8Name reports the labels whose text is kept as it is when it is
// valid UTF-8: UTF-8 itself, no label, and US-ASCII (a subset; WHATWG
// would read it as windows-1252, which matters only for mislabelled
// 8-bit text, and that is better shown as replacement characters than
// guessed).
func isUTF8Name(cs string) bool {
	switch cs {
	case "", "utf-8", "utf8", "unicode-1-1-utf-8", "us-ascii", "ascii", "ansi_x3.4-1968":
		return true
	}
	return false
}

// charsetEncoding returns the encoding a Content-Type charset or an
// encoded word names, or nil.
func charsetEncoding(charset string) encoding.Encoding {
	cs := strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"'`))
	if a, ok := charsetAliases[cs]; ok {
		cs = a
	}
	enc, err := htmlindex.Get(cs)
	if err != nil {
		return nil
	}
	return enc
}

// decodeCharset converts data in charset to UTF-8. An unknown charset, or
// bytes that are not valid in it, are decoded as well as they can be: the
// result is always valid UTF-8.
func decodeCharset(charset string, data []byte) string {
	cs := strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"'`))
	if !isUTF8Name(cs) {
		if enc := charsetEncoding(cs); enc != nil {
			if out, err := enc.NewDecoder().Bytes(data); err == nil {
				return string(bytes.ToValidUTF8(out, []byte("\uFFFD")))
			}
		}
	}
	if utf8.Valid(data) {
		return string(data)
	}
	return string(bytes.ToValidUTF8(data, []byte("\uFFFD")))
}

// charsetReader is the mime.WordDecoder's CharsetReader: every charset
// decodeCharset knows.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	cs := strings.ToLower(strings.TrimSpace(charset))
	if isUTF8Name(cs) {
		return input, nil
	}
	if enc := charsetEncoding(cs); enc != nil {
		return enc.NewDecoder().Reader(input), nil
	}
	return nil, fmt.Errorf("unknown charset %q", charset)
}
