package storage_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage/pgtest"
)

func TestTerms_PublishedVersion_DatabaseRefusesEveryChangeButSupersede(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	ctx := t.Context()
	v1 := e.published(t, "2025-1", clauses(5))
	pool := e.db.Pool()

	for _, sql := range []string{
		`UPDATE terms_versions SET text = 'Pilnīgi cits teksts' WHERE id = $1`,
		`UPDATE terms_versions SET title = 'Citi noteikumi' WHERE id = $1`,
		`UPDATE terms_versions SET published_at = published_at - interval '1 day' WHERE id = $1`,
		`UPDATE terms_versions SET state = 'draft' WHERE id = $1`,
		// Superseding while changing anything else is refused too.
		`UPDATE terms_versions SET state = 'superseded', summary = 'pārrakstīts' WHERE id = $1`,
		`UPDATE terms_versions SET state = 'superseded', updated_at = now() WHERE id = $1`,
		// Even a change to nothing.
		`UPDATE terms_versions SET text = text WHERE id = $1`,
		`DELETE FROM terms_versions WHERE id = $1`,
	} {
		_, err := pool.Exec(ctx, sql, v1.ID)
		wantSQLState(t, err, "42501")
	}
	_, err := pool.Exec(ctx, `TRUNCATE terms_versions CASCADE`)
	wantSQLState(t, err, "42501")

	// A second published row is refused by the unique index, whoever
	// writes it.
	_, err = pool.Exec(ctx, `
		INSERT INTO terms_versions (number, title, text, summary, state, drafted_by, approved_by, published_at)
		VALUES ('2025-x', 'Otrie', 'Teksts', 'Kopsavilkums', 'published', $1, $2, now())`, e.ilze.ID, e.maris.ID)
	wantSQLState(t, err, "23505")

	// The one change that passes: published → superseded, nothing else.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE terms_versions SET state = 'superseded' WHERE id = $1`, v1.ID); err != nil {
		t.Fatalf("supersede: %v", err)
	}
	_ = tx.Rollback(ctx)

	got, err := e.terms.FindTermsVersion(ctx, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != v1.Text || got.Title != v1.Title || got.State != domain.TermsPublished || !got.PublishedAt.Equal(v1.PublishedAt) {
		t.Fatalf("the published version changed: %+v", got)
	}

	// A superseded version is as fixed.
	e.clock.advance(time.Hour)
	e.published(t, "2025-2", clauses(6))
	for _, sql := range []string{
		`UPDATE terms_versions SET text = 'x' WHERE id = $1`,
		`UPDATE terms_versions SET state = 'published' WHERE id = $1`,
		`DELETE FROM terms_versions WHERE id = $1`,
	} {
		_, err := pool.Exec(ctx, sql, v1.ID)
		wantSQLState(t, err, "42501")
	}
}

func TestTerms_DraftsCanBeDeletedButAcceptanceOfADraftIsRefused(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	ctx := t.Context()
	d, err := e.terms.StartTermsDraft(asEditor(t, e.ilze), "2025-1", "")
	if err != nil {
		t.Fatal(err)
	}
	user := e.platformUser(t)
	_, err = e.db.Pool().Exec(ctx, `INSERT INTO terms_acceptances (user_id, version_id) VALUES ($1, $2)`, user, d.ID)
	wantSQLState(t, err, "23514")
	if _, err := e.db.Pool().Exec(ctx, `DELETE FROM terms_versions WHERE id = $1`, d.ID); err != nil {
		t.Fatalf("delete a draft: %v", err)
	}
}

func TestTerms_EightConcurrentPublishes_ExactlyOneInForce(t *testing.T) {
	t.Parallel()
	for _, first := range []bool{true, false} {
		name := "on top of a version in force"
		if first {
			name = "the very first version"
		}
		t.Run(name, func(t *testing.T) {
			e := newTermsEnv(t)
			var base *domain.TermsVersion
			if !first {
				base = e.published(t, "2024-1", clauses(10))
			}
			var versions []*domain.TermsVersion
			for i := range 8 {
				versions = append(versions, e.submitted(t, e.ilze, fmt.Sprintf("2025-%d", i+1),
					clauses(10)+fmt.Sprintf("%d. Jauns punkts Nr. %d.\n", 11, i), "Pievienots 11. punkts."))
			}

			start := make(chan struct{})
			errs := make([]error, len(versions))
			var wg sync.WaitGroup
			for i, v := range versions {
				approver := e.maris
				if i%2 == 1 {
					approver = e.rasma
				}
				ctx := asEditor(t, approver)
				wg.Go(func() {
					<-start
					errs[i] = e.terms.ApproveAndPublish(ctx, v.ID)
				})
			}
			close(start)
			wg.Wait()

			var winner int64
			for i, err := range errs {
				if err == nil {
					if winner != 0 {
						t.Fatalf("two publishes succeeded: %d and %d", winner, versions[i].ID)
					}
					winner = versions[i].ID
					continue
				}
				wantError(t, err, domain.ECONFLICT, "terms.published_meanwhile")
			}
			if winner == 0 {
				t.Fatalf("no publish succeeded: %v", errs)
			}
			if n := e.inForceCount(t); n != 1 {
				t.Fatalf("%d versions in force", n)
			}
			inForce, err := e.terms.TermsInForce(t.Context())
			if err != nil || inForce.ID != winner {
				t.Fatalf("in force = %v, %v; want #%d", inForce, err, winner)
			}
			list, err := e.terms.ListTermsVersions(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			states := map[domain.TermsState]int{}
			for _, v := range list {
				states[v.State]++
			}
			wantSuperseded := 1
			if first {
				wantSuperseded = 0
			}
			if states[domain.TermsPublished] != 1 || states[domain.TermsSubmitted] != 7 || states[domain.TermsSuperseded] != wantSuperseded {
				t.Fatalf("states = %v", states)
			}
			if base != nil {
				got, _ := e.terms.FindTermsVersion(t.Context(), base.ID)
				if got.State != domain.TermsSuperseded {
					t.Fatalf("the old version is %s", got.State)
				}
			}
			var announced int
			if err := e.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM announcements WHERE terms_version_id IS NOT NULL`).Scan(&announced); err != nil {
				t.Fatal(err)
			}
			// The winner's, and the base's when the test published one.
			if want := 1 + wantSuperseded; announced != want {
				t.Fatalf("%d announcements of terms versions, want %d", announced, want)
			}
		})
	}
}

func TestTerms_TwoOperatorsRaceOnOneVersion_OnePublishesOtherConflicts(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	e.published(t, "2024-1", clauses(3))
	for round := range 5 {
		v := e.submitted(t, e.ilze, fmt.Sprintf("2025-%d", round+1), clauses(4+round), "Grozīts.")
		start := make(chan struct{})
		var errs [2]error
		var wg sync.WaitGroup
		for i, op := range []*domain.Operator{e.maris, e.rasma} {
			ctx := asEditor(t, op)
			wg.Go(func() {
				<-start
				errs[i] = e.terms.ApproveAndPublish(ctx, v.ID)
			})
		}
		close(start)
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: errors %v, want exactly one success", round, errs)
		}
		for _, err := range errs {
			if err != nil {
				wantError(t, err, domain.ECONFLICT, "terms.not_submitted")
			}
		}
		if n := e.inForceCount(t); n != 1 {
			t.Fatalf("round %d: %d versions in force", round, n)
		}
		if got, _ := e.terms.TermsInForce(t.Context()); got.ID != v.ID {
			t.Fatalf("round %d: in force #%d, want #%d", round, got.ID, v.ID)
		}
	}
}

func TestTerms_FourEyes_DrafterEditorOrSubmitterCannotApprove(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	v := e.submitted(t, e.ilze, "2025-1", clauses(3), "Pirmā redakcija.")

	// The drafter, in another session of her own: the check is by
	// operator, not by session.
	wantError(t, e.terms.ApproveAndPublish(asEditor(t, e.ilze), v.ID), domain.EFORBIDDEN, "terms.own_draft")
	wantError(t, e.terms.ApproveAndPublish(asEditor(t, e.ilze), v.ID), domain.EFORBIDDEN, "terms.own_draft")

	// Someone who edited it, after it came back, cannot approve either.
	if err := e.terms.ReturnTermsDraft(asEditor(t, e.maris), v.ID, "Lūdzu, precizējiet 2. punktu."); err != nil {
		t.Fatal(err)
	}
	got, _ := e.terms.FindTermsVersion(t.Context(), v.ID)
	if got.State != domain.TermsDraft || got.ReturnNote != "Lūdzu, precizējiet 2. punktu." {
		t.Fatalf("returned version = %s %q", got.State, got.ReturnNote)
	}
	got.Text += "4. Precizēts.\n"
	if err := e.terms.SaveTermsDraft(asEditor(t, e.rasma), got); err != nil {
		t.Fatal(err)
	}
	if err := e.terms.SubmitTermsDraft(asEditor(t, e.ilze), got.ID, got.Version); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.terms.ApproveAndPublish(asEditor(t, e.rasma), v.ID), domain.EFORBIDDEN, "terms.own_draft")

	// A reviewer without the editor role, and nobody at all.
	reviewer := editorOperator(t, e.db, "janis.berzins", "Jānis Bērziņš", domain.RoleReviewer)
	wantError(t, e.terms.ApproveAndPublish(asEditor(t, reviewer), v.ID), domain.EFORBIDDEN, "editor.not_editor")
	wantError(t, e.terms.ApproveAndPublish(t.Context(), v.ID), domain.EUNAUTHORIZED, "editor.no_operator")
	if n := e.inForceCount(t); n != 0 {
		t.Fatalf("%d versions in force after refused approvals", n)
	}

	// Maris only returned it: he may approve.
	if err := e.terms.ApproveAndPublish(asEditor(t, e.maris), v.ID); err != nil {
		t.Fatalf("approve by a second editor: %v", err)
	}
	got, _ = e.terms.FindTermsVersion(t.Context(), v.ID)
	if got.State != domain.TermsPublished || got.ApprovedBy != e.maris.ID || got.ApprovedName != "Māris Ozols" ||
		got.DraftedBy != e.ilze.ID || got.DraftedByName != "Ilze Kalna" {
		t.Fatalf("published = %+v", got)
	}
}

func TestTerms_FourEyes_DatabaseRefusesDrafterAsApprover(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	v := e.submitted(t, e.ilze, "2025-1", clauses(3), "Pirmā redakcija.")
	_, err := e.db.Pool().Exec(t.Context(), `
		UPDATE terms_versions SET state = 'published', approved_by = drafted_by, published_at = now() WHERE id = $1`, v.ID)
	wantSQLState(t, err, "23514")
}

func TestTerms_SaveDraft_StaleVersion_ConflictAndNothingChanges(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	ctx := t.Context()
	d, err := e.terms.StartTermsDraft(asEditor(t, e.ilze), "2025-1", "Noteikumi")
	if err != nil {
		t.Fatal(err)
	}
	// Two editors open the same draft.
	a, _ := e.terms.FindTermsVersion(ctx, d.ID)
	b, _ := e.terms.FindTermsVersion(ctx, d.ID)
	a.Text = "1. Ilzes teksts.\n"
	if err := e.terms.SaveTermsDraft(asEditor(t, e.ilze), a); err != nil {
		t.Fatal(err)
	}
	if a.Version != d.Version+1 {
		t.Fatalf("version after save = %d, want %d", a.Version, d.Version+1)
	}
	b.Text = "1. Rasmas teksts.\n"
	wantError(t, e.terms.SaveTermsDraft(asEditor(t, e.rasma), b), domain.ECONFLICT, "terms.changed")

	got, _ := e.terms.FindTermsVersion(ctx, d.ID)
	if got.Text != "1. Ilzes teksts.\n" || got.Version != a.Version {
		t.Fatalf("after the refused save: %q v%d", got.Text, got.Version)
	}

	// Once submitted, it is no longer a draft.
	got.Summary = "Jauns teksts."
	if err := e.terms.SaveTermsDraft(asEditor(t, e.ilze), got); err != nil {
		t.Fatal(err)
	}
	if err := e.terms.SubmitTermsDraft(asEditor(t, e.ilze), got.ID, got.Version); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.terms.SaveTermsDraft(asEditor(t, e.ilze), got), domain.ECONFLICT, "terms.not_draft")
	wantError(t, e.terms.SubmitTermsDraft(asEditor(t, e.ilze), got.ID, got.Version), domain.ECONFLICT, "terms.not_draft")
	missing := *got
	missing.ID = 999999
	wantError(t, e.terms.SaveTermsDraft(asEditor(t, e.ilze), &missing), domain.ENOTFOUND, "terms.not_found")
}

func TestTerms_SaveDraft_TextRules(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	ctx := asEditor(t, e.ilze)
	d, err := e.terms.StartTermsDraft(ctx, "2025-1", "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Prasmju pārvaldības platformas lietošanas noteikumi" {
		t.Errorf("default title = %q", d.Title)
	}
	problem := func(err error) string {
		t.Helper()
		wantError(t, err, domain.EINVALID, "terms.invalid")
		return domain.AsError(err).Problems[0].Key
	}
	big := *d
	big.Text = strings.Repeat("ā", domain.MaxTermsText/2) + "x"
	if key := problem(e.terms.SaveTermsDraft(ctx, &big)); key != "terms.text_too_long" {
		t.Errorf("too big: %s", key)
	}
	bad := *d
	bad.Text = "1. Derīgs.\n2. \xc5 nederīgs.\n"
	if key := problem(e.terms.SaveTermsDraft(ctx, &bad)); key != "terms.not_utf8" {
		t.Errorf("invalid UTF-8: %s", key)
	}

	// Exactly the limit, in Latvian letters and CRLF lines, round-trips
	// (CRLF stored as LF).
	line := "Ā ē ī ū č ģ ķ ļ ņ š ž – lietošanas noteikumi\r\n"
	text := strings.Repeat(line, domain.MaxTermsText/len(line))
	ok := *d
	ok.Text = text
	if err := e.terms.SaveTermsDraft(ctx, &ok); err != nil {
		t.Fatalf("save %d bytes: %v", len(text), err)
	}
	got, _ := e.terms.FindTermsVersion(t.Context(), d.ID)
	if want := strings.ReplaceAll(text, "\r\n", "\n"); got.Text != want {
		t.Fatalf("stored text differs: %d bytes, want %d", len(got.Text), len(want))
	}
}

func TestTerms_StartDraft_CopiesTheVersionInForce(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	v1 := e.published(t, "2025-1", clauses(7))
	d, err := e.terms.StartTermsDraft(asEditor(t, e.rasma), "2025-2", "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Text != v1.Text || d.Title != v1.Title || d.BasedOn != v1.ID || d.State != domain.TermsDraft ||
		d.DraftedBy != e.rasma.ID || d.Summary != "" {
		t.Fatalf("draft = %+v", d)
	}
	_, err = e.terms.StartTermsDraft(asEditor(t, e.rasma), "2025-2", "")
	wantError(t, err, domain.EINVALID, "terms.number_taken")
	_, err = e.terms.StartTermsDraft(asEditor(t, e.rasma), " ", "")
	wantError(t, err, domain.EINVALID, "terms.number_required")

	// Submitting the unchanged text, or without a summary, is refused.
	wantError(t, e.terms.SubmitTermsDraft(asEditor(t, e.rasma), d.ID, d.Version), domain.EINVALID, "terms.invalid")
	d.Summary = "Nekas nav mainīts."
	if err := e.terms.SaveTermsDraft(asEditor(t, e.rasma), d); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.terms.SubmitTermsDraft(asEditor(t, e.rasma), d.ID, d.Version), domain.EINVALID, "terms.unchanged")
}

func TestTerms_PublishOnAStaleBase_ConflictUntilRebased(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	v1 := e.published(t, "2025-1", clauses(5))
	a := e.submitted(t, e.ilze, "2025-2", clauses(6), "Pievienots 6. punkts.")
	b := e.submitted(t, e.rasma, "2025-3", clauses(5)+"Pielikums.\n", "Pievienots pielikums.")
	if err := e.terms.ApproveAndPublish(asEditor(t, e.maris), a.ID); err != nil {
		t.Fatal(err)
	}
	// b was drafted from v1: publishing it would undo a's changes.
	wantError(t, e.terms.ApproveAndPublish(asEditor(t, e.maris), b.ID), domain.ECONFLICT, "terms.published_meanwhile")

	if err := e.terms.ReturnTermsDraft(asEditor(t, e.maris), b.ID, "Balstiet uz 2025-2."); err != nil {
		t.Fatal(err)
	}
	got, _ := e.terms.FindTermsVersion(t.Context(), b.ID)
	if got.BasedOn != v1.ID {
		t.Fatalf("based on %d, want %d", got.BasedOn, v1.ID)
	}
	stale := *got
	stale.BasedOn = 424242
	wantError(t, e.terms.SaveTermsDraft(asEditor(t, e.rasma), &stale), domain.EINVALID, "terms.base_not_in_force")

	got.BasedOn, got.Text = a.ID, clauses(6)+"Pielikums.\n"
	if err := e.terms.SaveTermsDraft(asEditor(t, e.rasma), got); err != nil {
		t.Fatal(err)
	}
	if err := e.terms.SubmitTermsDraft(asEditor(t, e.rasma), got.ID, got.Version); err != nil {
		t.Fatal(err)
	}
	if err := e.terms.ApproveAndPublish(asEditor(t, e.maris), b.ID); err != nil {
		t.Fatalf("publish after rebasing: %v", err)
	}
	wantError(t, e.terms.ReturnTermsDraft(asEditor(t, e.maris), b.ID, "vēlu"), domain.ECONFLICT, "terms.not_submitted")
}

func TestTerms_Publish_CreatesAnnouncementAuditsAndNotifiesIDsOnly(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	ctx := t.Context()
	v1 := e.published(t, "2025-1", clauses(5))
	v2 := e.submitted(t, e.ilze, "2025-2", clauses(6), "Pievienots 6. punkts par Lietotāja pienākumiem.")

	conn, err := pgx.Connect(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN ppp_change"); err != nil {
		t.Fatal(err)
	}

	e.clock.advance(3 * time.Hour)
	at := e.clock.now().UTC().Truncate(time.Microsecond)
	if err := e.terms.ApproveAndPublish(asEditor(t, e.maris), v2.ID); err != nil {
		t.Fatal(err)
	}

	got, _ := e.terms.FindTermsVersion(ctx, v2.ID)
	if got.State != domain.TermsPublished || !got.PublishedAt.Equal(at) {
		t.Fatalf("published = %s at %v, want at %v", got.State, got.PublishedAt, at)
	}
	list, err := e.ann.ListAnnouncements(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var a *domain.Announcement
	for _, x := range list {
		if x.TermsVersion == v2.ID {
			a = x
		}
	}
	if a == nil {
		t.Fatalf("no announcement of #%d among %d", v2.ID, len(list))
	}
	if a.Kind != domain.AnnouncementNews || a.State != domain.AnnouncementPublished ||
		a.Title != "Jauna lietošanas noteikumu redakcija Nr. 2025-2" ||
		a.Body != "Pievienots 6. punkts par Lietotāja pienākumiem." || !a.PublishedAt.Equal(at) ||
		a.CreatedBy != e.maris.ID || len(a.Audience) != 0 {
		t.Fatalf("announcement = %+v", a)
	}

	actions := auditActions(t, e.db)
	if n := slices.Index(actions, domain.AuditTermsPublish); n < 0 {
		t.Fatalf("no terms.publish in %v", actions)
	}
	rows := auditRows(t, e.db)
	last := rows[len(rows)-1]
	if last.Action != domain.AuditTermsPublish || last.ActorName != "maris.ozols" || last.SubjectID != fmt.Sprint(v2.ID) ||
		!strings.Contains(last.Details, "superseded="+fmt.Sprint(v1.ID)) {
		t.Fatalf("last audit entry = %+v", last)
	}

	want := map[string]bool{
		fmt.Sprintf("terms:%d", v2.ID): false, fmt.Sprintf("terms:%d", v1.ID): false,
		fmt.Sprintf("announcement:%d", a.ID): false,
	}
	deadline, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for seen := 0; seen < len(want); {
		n, err := conn.WaitForNotification(deadline)
		if err != nil {
			t.Fatalf("waiting for notifications, still missing some of %v: %v", want, err)
		}
		if strings.ContainsAny(n.Payload, "@āēīū ") {
			t.Errorf("payload %q carries more than an id", n.Payload)
		}
		if done, ok := want[n.Payload]; ok && !done {
			want[n.Payload] = true
			seen++
		}
	}
}

func TestTerms_InForce_NoneYet(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	_, err := e.terms.TermsInForce(t.Context())
	wantError(t, err, domain.ENOTFOUND, "terms.none_in_force")
	_, err = e.terms.PendingAcceptances(t.Context(), 0, 10)
	wantError(t, err, domain.ENOTFOUND, "terms.none_in_force")
	_, err = e.terms.FindTermsVersion(t.Context(), 12345)
	wantError(t, err, domain.ENOTFOUND, "terms.not_found")
	wantError(t, e.terms.ApproveAndPublish(asEditor(t, e.maris), 12345), domain.ENOTFOUND, "terms.not_found")
}
