package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
)

// TestE2E_DocumentGet_ReviewerSavesTheFileThePortalSent: a request
// submitted with a document's file; `ppp document get` as a reviewer saves
// exactly those bytes to a file only its owner may read, refuses to
// overwrite it, says which documents do not exist, and refuses an operator
// without the reviewer role. Each look is audited.
func TestE2E_DocumentGet_ReviewerSavesTheFileThePortalSent(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	anna := in.addOperator(annaName, annaFullName, "reviewer")
	helga := in.addOperator("helga.ozola", "Helga Ozola", "helpdesk")
	file := bytes.Repeat([]byte("%PDF-1.7 rīkojums\x00\xff\n"), 500)
	form := rrApplicant()
	form.Documents = []domain.Document{{Name: "rīkojums.pdf", MediaType: "application/pdf", Content: file}}
	id := strconv.FormatInt(submitPending(t, in, form), 10)

	out := filepath.Join(t.TempDir(), "saved.pdf")
	res := in.run(t, anna.password+"\n", "document", "get", id, "1", out, "--as", anna.name, "--password-stdin")
	if res.code != 0 || !strings.Contains(res.stdout, "rīkojums.pdf") {
		t.Fatalf("document get: %s", res)
	}
	got, err := os.ReadFile(out)
	if err != nil || !bytes.Equal(got, file) {
		t.Fatalf("the saved file differs from the one submitted (%d bytes, want %d): %v", len(got), len(file), err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("saved with mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}

	res = in.run(t, anna.password+"\n", "document", "get", id, "1", out, "--as", anna.name, "--password-stdin")
	if res.code == 0 || !strings.Contains(res.stderr, text(t, en, "cli.document.exists", out)) {
		t.Errorf("over an existing file: %s", res)
	}
	if again, _ := os.ReadFile(out); !bytes.Equal(again, file) {
		t.Error("the existing file was changed")
	}
	res = in.run(t, anna.password+"\n", "document", "get", id, "2", filepath.Join(t.TempDir(), "x"), "--as", anna.name, "--password-stdin")
	if res.code == 0 || !strings.Contains(res.stderr, text(t, en, "rolerequest.document_not_found", mustAtoi(t, id), 2)) {
		t.Errorf("a document the request does not have: %s", res)
	}
	other := filepath.Join(t.TempDir(), "helga.pdf")
	res = in.run(t, helga.password+"\n", "document", "get", id, "1", other, "--as", helga.name, "--password-stdin")
	if res.code == 0 {
		t.Errorf("a helpdesk operator saved a request's document: %s", res)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("a file was written for the refused operator")
	}

	var looks int
	// Looks wait in audit_pending until a server seals them onto the chain.
	if err := sqlConn(t, in).QueryRow(t.Context(), `
		SELECT (SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2)
		     + (SELECT count(*) FROM audit_pending WHERE action = $1 AND subject_id = $2)`,
		domain.AuditRoleRequestDocument, id).Scan(&looks); err != nil || looks != 1 {
		t.Errorf("%d audited looks (%v), want 1 (the saved one)", looks, err)
	}
}

// mustAtoi is strconv.ParseInt for a number the test made itself.
func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
