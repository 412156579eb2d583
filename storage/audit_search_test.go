package storage_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// searchLog is a log of a few hundred entries whose times run out of
// order: most on time, some a few seconds late against the entries before
// them, some hours late, and the last ones claims that waited in
// audit_pending for five hours (no server ran) before they were sealed
// onto the chain, later than anything loaded before. It returns the log as the database holds it.
func searchLog(t *testing.T, db *storage.DB) []domain.AuditEntry {
	t.Helper()
	ctx := t.Context()
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	actions := []string{"auth.sign_in", "auth.sign_out", "auth.failure", "rolerequest.claim", "rolerequest.approve", "operator.create", "imk.claim"}
	words := []string{"Dokumenti trūkst", "caller asked", "duplicate", "IDENTITY confirmed", "", "", ""}
	entry := func(i int) domain.AuditEntry {
		r := rand.New(rand.NewPCG(7, uint64(i)))
		at := start.Add(time.Duration(i) * time.Minute)
		switch r.IntN(10) {
		case 0:
			at = at.Add(-time.Duration(r.IntN(90)) * time.Second)
		case 1:
			at = at.Add(-time.Duration(1+r.IntN(60)) * time.Minute)
		}
		e := domain.AuditEntry{
			At: at, ActorName: fmt.Sprintf("op%d", r.IntN(5)), Action: actions[r.IntN(len(actions))],
			SubjectKind: []string{"role_request", "operator"}[r.IntN(2)], SubjectID: fmt.Sprint(1 + r.IntN(12)),
			Reason: words[r.IntN(len(words))], Details: fmt.Sprintf("n=%d", i),
		}
		if e.ActorName != "op0" {
			e.ActorID = int64(1 + r.IntN(5))
		}
		return e
	}
	if err := storage.BulkLoadAudit(ctx, db, 300, entry, false); err != nil {
		t.Fatal(err)
	}
	// Sealed five hours late: the time bounds must widen as they are
	// chained (migration 0111's trigger), or a range would miss them.
	for i := range 5 {
		if _, err := db.Pool().Exec(ctx, `
			INSERT INTO audit_pending (at, actor_name, action, subject_kind, subject_id, reason)
			VALUES ($1, 'op9', 'rolerequest.claim', 'role_request', $2, 'late claim')`,
			start.Add(10*time.Minute+time.Duration(i)*time.Second), fmt.Sprint(100+i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := storage.NewAuditService(db).SealAudit(ctx); err != nil {
		t.Fatal(err)
	}
	rows := wholeLog(t, db)
	if len(rows) != 305 {
		t.Fatalf("the log holds %d entries, want 305", len(rows))
	}
	return rows
}

// wholeLog reads every entry, oldest first, as the database holds it.
func wholeLog(t *testing.T, db *storage.DB) []domain.AuditEntry {
	t.Helper()
	rows, err := db.Pool().Query(t.Context(), `
		SELECT seq, at, coalesce(actor_id, 0), actor_name, action, subject_kind, subject_id, reason, details
		  FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []domain.AuditEntry
	for rows.Next() {
		var e domain.AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.SubjectKind, &e.SubjectID, &e.Reason, &e.Details); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// matches is the brute-force reading of f on one entry.
func matches(r domain.AuditEntry, f domain.AuditFilter) bool {
	switch {
	case f.BeforeSeq > 0 && r.Seq >= f.BeforeSeq,
		f.Action != "" && !strings.HasPrefix(r.Action, f.Action),
		f.Actor != "" && r.ActorName != f.Actor,
		f.SubjectKind != "" && r.SubjectKind != f.SubjectKind,
		f.SubjectID != "" && r.SubjectID != f.SubjectID,
		!f.Since.IsZero() && r.At.Before(f.Since),
		!f.Until.IsZero() && !r.At.Before(f.Until):
		return false
	}
	if f.Text != "" {
		all := strings.Join([]string{r.Action, r.ActorName, r.SubjectKind, r.SubjectID, r.Reason, r.Details}, "\x1f")
		return strings.Contains(strings.ToLower(all), strings.ToLower(f.Text))
	}
	return true
}

// searchAll pages through every result of f, page by page.
func searchAll(t *testing.T, s *storage.AuditService, f domain.AuditFilter) []int64 {
	t.Helper()
	var seqs []int64
	for {
		page, err := s.SearchAudit(t.Context(), f)
		if err != nil {
			t.Fatalf("search %+v: %v", f, err)
		}
		for _, e := range page {
			seqs = append(seqs, e.Seq)
		}
		if len(page) < f.Limit {
			return seqs
		}
		f.BeforeSeq = page[len(page)-1].Seq
	}
}

// TestAuditSearch_EveryFilter_FindsWhatAScanOfTheLogFinds compares each
// kind of search, alone and combined, page after page, with a reading of
// every entry: the shortcuts that keep a search fast at 10,000,000
// entries (time ranges turned into ranges of seq, action prefixes looked
// up action by action, free text read from the newest entries and then
// through the trigram index) must find exactly the same entries, in the
// same order, also those whose times are hours and days out of order.
func TestAuditSearch_EveryFilter_FindsWhatAScanOfTheLogFinds(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	rows := searchLog(t, db)
	s := storage.NewAuditService(db)
	storage.SetAuditTextRecent(s, 40) // both ways of a text search, on 305 entries

	first, last := rows[0].At, rows[0].At
	for _, r := range rows {
		if r.At.Before(first) {
			first = r.At
		}
		if r.At.After(last) {
			last = r.At
		}
	}
	span := last.Sub(first)
	r := rand.New(rand.NewPCG(1, 2))
	moment := func() time.Time {
		return first.Add(time.Duration(r.Int64N(int64(span)+int64(time.Hour))) - 30*time.Minute).Truncate(time.Second)
	}
	texts := []string{"dokumenti", "CALLER", "identity conf", "n=1", "late claim", "op3", "role_request\x1f1", "nav tāda"}
	var filters []domain.AuditFilter
	for i := range 160 {
		f := domain.AuditFilter{Limit: 1 + r.IntN(12)}
		switch i % 8 {
		case 0:
			f.Actor = fmt.Sprintf("op%d", r.IntN(10))
		case 1:
			f.Action = []string{"auth.", "auth.sign_", "rolerequest.", "operator.create", "imk", "nav."}[r.IntN(6)]
		case 2:
			f.SubjectKind = []string{"role_request", "operator"}[r.IntN(2)]
			if r.IntN(3) > 0 {
				f.SubjectID = fmt.Sprint(1 + r.IntN(12))
			}
		case 3:
			f.Since, f.Until = moment(), moment()
			if f.Until.Before(f.Since) {
				f.Since, f.Until = f.Until, f.Since
			}
		case 4:
			f.Since = moment()
		case 5:
			f.Until = moment()
		case 6:
			f.Text = texts[r.IntN(len(texts))]
		case 7: // combinations
			f.Since, f.Until = moment(), moment()
			if f.Until.Before(f.Since) {
				f.Since, f.Until = f.Until, f.Since
			}
			f.Action = []string{"auth.", "rolerequest.", ""}[r.IntN(3)]
			if r.IntN(2) == 0 {
				f.Actor = fmt.Sprintf("op%d", r.IntN(5))
			}
			if r.IntN(2) == 0 {
				f.Text = texts[r.IntN(len(texts))]
			}
		}
		filters = append(filters, f)
	}
	for _, f := range filters {
		var want []int64
		for i := len(rows) - 1; i >= 0; i-- {
			if matches(rows[i], f) {
				want = append(want, rows[i].Seq)
			}
		}
		if got := searchAll(t, s, f); !slices.Equal(got, want) {
			t.Errorf("search %+v\n found %v\n want  %v", f, got, want)
		}
	}
}

// TestAuditSearch_LateEntries_FoundByTheirTime: claims sealed five hours
// after their time are found by a range around that time, newest (by
// sequence) first, however late they were chained.
func TestAuditSearch_LateEntries_FoundByTheirTime(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	searchLog(t, db)
	s := storage.NewAuditService(db)
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for _, f := range []domain.AuditFilter{
		{Since: start.Add(5 * time.Minute), Until: start.Add(4 * time.Hour), Limit: 5},
		{Until: start.Add(4 * time.Hour), Limit: 5},
		{Since: start.Add(10 * time.Minute), Until: start.Add(10*time.Minute + 5*time.Second)},
		{Actor: "op9", Until: start.Add(3 * time.Hour)},
	} {
		found, err := s.SearchAudit(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range found {
			got = append(got, fmt.Sprintf("#%d %s", e.Seq, e.ActorName))
		}
		if len(found) < 5 || found[0].Seq != 305 || found[4].Seq != 301 || found[4].ActorName != "op9" {
			t.Errorf("search %+v found %v, want the late claims #305 … #301 first", f, got)
		}
	}
}

func TestAuditSearch_ShortText_Refused(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	_, err := storage.NewAuditService(db).SearchAudit(adminCtx(t), domain.AuditFilter{Text: " ab "})
	wantError(t, err, domain.EINVALID, "audit.search_short")
}
