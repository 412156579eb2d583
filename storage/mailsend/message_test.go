package mailsend_test

import (
	"strings"
	"testing"

	"github.com/viaa/ppp/storage/mailsend"
)

// TestCompose_MessageIDRequiredAndPlain: a message goes out only with
// the Message-ID the outbox chose, and nothing in it can break the header.
func TestCompose_MessageIDRequiredAndPlain(t *testing.T) {
	from := mustAddress(t, mailsend.DefaultFrom)
	for _, bad := range []string{"", "no-at-sign", "two words@ppp.viaa.gov.lv", "x@y>\r\nBcc: eve@example.com", "<x@y>"} {
		m := testMail()
		m.MessageID = bad
		if _, err := mailsend.Compose(from, m); err == nil {
			t.Errorf("Compose accepted Message-ID %q", bad)
		} else if strings.Contains(err.Error(), m.To) {
			t.Errorf("the error names the address: %v", err)
		}
	}
}
