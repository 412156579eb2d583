package storage_test

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// TestMigration_OutboxMessageID_ExistingRows: rows written before the
// random Message-IDs keep the id they may have gone out with (so replies
// to them still thread); a message never tried gets a random one; secrets
// in mails already sent or failed are wiped.
func TestMigration_OutboxMessageID_ExistingRows(t *testing.T) {
	db := pgtest.NewEmptyDB(t)
	ctx := t.Context()
	if err := storage.MigrateBefore(ctx, db, "outbox_message_id"); err != nil {
		t.Fatal(err)
	}
	rows := []struct {
		state, template string
		attempts        int
		wantLegacyID    bool
		wantWiped       bool
	}{
		{"sent", "rolerequest.approved", 1, true, false},
		{"sent", "helpdesk.reset_link", 1, true, true},
		{"failed", "operator.reset_code", 12, true, true},
		{"pending", "rolerequest.approved", 2, true, false},
		{"sending", "rolerequest.approved", 1, true, false},
		{"pending", "rolerequest.submitted_confirm", 0, false, false},
		{"pending", "rolerequest.approved", 0, false, false},
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		err := db.Pool().QueryRow(ctx, `
			INSERT INTO outbox (to_addr, lang, template, subject, body, state, attempts, sent_at, locked_until)
			VALUES ('anna@example.lv', 'lv', $1, 'Subject', 'Body with SECRET', $2, $3,
			        CASE WHEN $2 = 'sent' THEN now() END, CASE WHEN $2 = 'sending' THEN now() END)
			RETURNING id`, r.template, r.state, r.attempts).Scan(&ids[i])
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := storage.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	random := regexp.MustCompile(`^[0-9a-f]{40}@ppp\.viaa\.gov\.lv$`)
	seen := map[string]bool{}
	for i, r := range rows {
		var mid, body string
		if err := db.Pool().QueryRow(ctx, `SELECT message_id, body FROM outbox WHERE id = $1`, ids[i]).Scan(&mid, &body); err != nil {
			t.Fatal(err)
		}
		legacy := "outbox-" + itoa64(ids[i]) + "@ppp.viaa.gov.lv"
		if r.wantLegacyID && mid != legacy {
			t.Errorf("%s %s after %d attempts: Message-ID %q, want %q", r.state, r.template, r.attempts, mid, legacy)
		}
		if !r.wantLegacyID && !random.MatchString(mid) {
			t.Errorf("%s %s never tried: Message-ID %q, want a random one", r.state, r.template, mid)
		}
		if seen[mid] {
			t.Errorf("Message-ID %q twice", mid)
		}
		seen[mid] = true
		if wiped := body != "Body with SECRET"; wiped != r.wantWiped {
			t.Errorf("%s %s: body %q", r.state, r.template, body)
		}
	}
	// New rows get a random id by default, also when written by SQL alone.
	var mid string
	if err := db.Pool().QueryRow(ctx, `
		INSERT INTO outbox (to_addr, lang, template, subject, body) VALUES ('a@example.lv', 'lv', 't', 's', 'b')
		RETURNING message_id`).Scan(&mid); err != nil || !random.MatchString(mid) {
		t.Errorf("new row: %q, %v", mid, err)
	}
}

func itoa64(n int64) string {
	return strconv.FormatInt(n, 10)
}
