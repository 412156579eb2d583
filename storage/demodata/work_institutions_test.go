package demodata_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/storage/demodata"
)

// TestLoadWork_Institutions_DetailsHistoryDocuments proves the demo
// builds the institutions screen's shapes (issue 17): institutions with a
// phone and an address changed with a reason (¶17.2), and registration
// documents whose files are kept, a PNG and a text among them; a second
// load adds none.
func TestLoadWork_Institutions_DetailsHistoryDocuments(t *testing.T) {
	t.Parallel()
	db := withDemo(t, 600, time.Now())
	ctx := t.Context()
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := db.Pool().QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	for range 2 {
		if _, err := demodata.LoadWork(ctx, db, demodata.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(`SELECT count(*) FROM institutions WHERE contact_phone <> '' AND postal_address <> '' AND details_version = 2`); n != 3 {
		t.Errorf("%d institutions with a phone and an address, want 3", n)
	}
	if n := count(`SELECT count(*) FROM institution_changes WHERE source = 'operator' AND reason <> ''`); n != 6 {
		t.Errorf("%d changes with a reason, want 6 (phone and address of 3)", n)
	}
	if n := count(`SELECT count(*) FROM role_request_documents d JOIN role_request_document_contents c ON c.document_id = d.id
		WHERE d.media_type IN ('image/png', 'text/plain')`); n != 2 {
		t.Errorf("%d kept PNG and text documents, want 2", n)
	}
}
