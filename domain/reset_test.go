package domain_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
)

func TestResetToken_RandomAndHashed(t *testing.T) {
	a, ha := domain.NewResetToken()
	b, hb := domain.NewResetToken()
	if a == b || bytes.Equal(ha, hb) {
		t.Fatal("two tokens are equal")
	}
	if len(a) < 43 || len(ha) != 32 {
		t.Fatalf("token %q (%d chars), hash %d bytes", a, len(a), len(ha))
	}
	if !bytes.Equal(domain.HashResetToken(a), ha) {
		t.Fatal("hash of the token differs")
	}
	for _, bad := range []string{"", "abc", a + "x", strings.Repeat("!", 43)} {
		if domain.HashResetToken(bad) != nil {
			t.Errorf("HashResetToken(%q) is not nil", bad)
		}
	}
	if got := domain.ResetLink("", a); got != "https://stars.gov.lv/parole?token="+a {
		t.Errorf("link %q", got)
	}
}

func TestOperatorResetCode_NormalisedAndHashed(t *testing.T) {
	c, h := domain.NewOperatorResetCode()
	if len(c) != 10 || len(h) != 32 {
		t.Fatalf("code %q, hash %d bytes", c, len(h))
	}
	typed := strings.ToLower(c[:5]) + "-" + c[5:]
	if !bytes.Equal(domain.HashOperatorResetCode(typed), h) {
		t.Error("a code typed in lower case with a dash does not match")
	}
	if domain.HashOperatorResetCode("ABC") != nil || domain.HashOperatorResetCode("0000000000") != nil {
		t.Error("a malformed code has a hash")
	}
}
