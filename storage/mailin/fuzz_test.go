package mailin

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, name := range files {
		if raw, err := os.ReadFile(name); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte(""))
	f.Add([]byte("Content-Type: multipart/alternative; boundary=a\r\n\r\n--a\r\nContent-Type: text/html\r\n\r\n<p>x&amp;<script>y</script>\r\n--a--\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		keep := bytes.Clone(raw)
		m := Parse(raw)
		if m == nil {
			t.Fatal("nil message")
		}
		if !bytes.Equal(m.Raw, keep) {
			t.Fatal("Raw not kept")
		}
		if strings.HasPrefix(m.ParseError, "internal error") {
			t.Fatal(m.ParseError) // a recovered panic
		}
		if m.MessageID == "" {
			t.Fatal("no Message-ID")
		}
	})
}
