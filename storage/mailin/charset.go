package mailin

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// charsets maps the charset names mail programs use for Latvian (and a
// few neighbours) to their decoders. UTF-8 and US-ASCII need none.
var charsets = map[string]encoding.Encoding{
	"iso-8859-13":  charmap.ISO8859_13,
	"iso8859-13":   charmap.ISO8859_13,
	"iso_8859-13":  charmap.ISO8859_13,
	"latin7":       charmap.ISO8859_13,
	"l7":           charmap.ISO8859_13,
	"windows-1257": charmap.Windows1257,
	"cp1257":       charmap.Windows1257,
	"x-cp1257":     charmap.Windows1257,
	"iso-8859-1":   charmap.ISO8859_1,
	"iso8859-1":    charmap.ISO8859_1,
	"iso_8859-1":   charmap.ISO8859_1,
	"latin1":       charmap.ISO8859_1,
	"l1":           charmap.ISO8859_1,
	"windows-1252": charmap.Windows1252,
	"cp1252":       charmap.Windows1252,
	"iso-8859-4":   charmap.ISO8859_4,
	"iso-8859-15":  charmap.ISO8859_15,
	"iso-8859-2":   charmap.ISO8859_2,
	"windows-1250": charmap.Windows1250,
	"iso-8859-5":   charmap.ISO8859_5,
	"windows-1251": charmap.Windows1251,
	"cp1251":       charmap.Windows1251,
	"koi8-r":       charmap.KOI8R,
	"koi8-u":       charmap.KOI8U,
}

func isUTF8Name(cs string) bool {
	switch cs {
	case "", "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968":
		return true
	}
	return false
}

// decodeCharset converts data in charset to UTF-8. An unknown charset, or
// bytes that are not valid in it, are decoded as well as they can be.
func decodeCharset(charset string, data []byte) string {
	cs := strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"`))
	if enc, ok := charsets[cs]; ok {
		if out, err := enc.NewDecoder().Bytes(data); err == nil {
			return string(out)
		}
	}
	if utf8.Valid(data) {
		return string(data)
	}
	return string(bytes.ToValidUTF8(data, []byte("\uFFFD")))
}

// charsetReader is the mime.WordDecoder's CharsetReader for the charsets
// above.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	cs := strings.ToLower(charset)
	if enc, ok := charsets[cs]; ok {
		return enc.NewDecoder().Reader(input), nil
	}
	if isUTF8Name(cs) {
		return input, nil
	}
	return nil, fmt.Errorf("unknown charset %q", charset)
}
