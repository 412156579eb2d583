package storage_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// TestAuth_HostileUserName_StoredWithoutControlCharacters reproduces the
// attack of issue 13: a user name carrying OSC 0 (window title), OSC 52
// (clipboard write), CSI, C1 controls and bidi overrides was stored as the
// subject of auth.failure and the name of the sign-in attempt, and reached
// the terminal of the administrator reading the audit log.
func TestAuth_HostileUserName_StoredWithoutControlCharacters(t *testing.T) {
	db := pgtest.NewDB(t)
	auth := storage.NewAuthService(db)
	hostile := "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\u009b31m\u202eadmin\u2066x\u200b\x7f" +
		strings.Repeat("A", 500)
	_, _ = auth.AuthenticatePassword(t.Context(), hostile, "x", "198.51.100.7:1")

	stored := map[string]string{}
	for _, r := range auditRows(t, db) {
		if r.Action == "auth.failure" {
			stored["audit subject"] = r.SubjectID
		}
	}
	var name string
	if err := db.Pool().QueryRow(t.Context(), `SELECT operator_name FROM sign_in_attempts`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	stored["attempt name"] = name
	if len(stored) != 2 {
		t.Fatalf("the attempt was not recorded: %v", stored)
	}
	for where, s := range stored {
		for _, r := range s {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Errorf("%s %q holds %U", where, s, r)
			}
		}
		if n := len([]rune(s)); n > 64 {
			t.Errorf("%s is %d characters long, want at most 64", where, n)
		}
		if !strings.Contains(s, "]0;pwned") {
			t.Errorf("%s %q: the printable part of the name is lost", where, s)
		}
	}
}
