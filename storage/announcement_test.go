package storage_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// downtime returns a valid planned downtime from start, lasting d.
func downtime(start time.Time, d time.Duration) *domain.Announcement {
	return &domain.Announcement{
		Kind: domain.AnnouncementDowntime, Title: "Platformas uzturēšanas darbi",
		Body:     "Darbu laikā nevarēs pieslēgties un iesniegt pieteikumus.",
		StartsAt: start, EndsAt: start.Add(d), Services: "Platformas portāls; pieslēgšanās ar Latvija.gov.lv",
	}
}

func TestAnnouncements_SavePublishWithdraw(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	ctx := asEditor(t, e.ilze)

	bad := &domain.Announcement{Kind: domain.AnnouncementDowntime, Title: "Darbi", Body: "Teksts.",
		StartsAt: e.clock.now().Add(2 * time.Hour), EndsAt: e.clock.now().Add(time.Hour), Audience: []string{"wizard"}}
	err := e.ann.SaveAnnouncement(ctx, bad)
	wantError(t, err, domain.EINVALID, "announcement.invalid")
	var keys []string
	for _, p := range domain.AsError(err).Problems {
		keys = append(keys, p.Field+":"+p.Key)
	}
	if want := []string{"services:announcement.services_required", "ends_at:announcement.ends_before_start",
		"audience:announcement.role_unknown"}; !slices.Equal(keys, want) {
		t.Fatalf("problems = %v, want %v", keys, want)
	}

	a := &domain.Announcement{Kind: domain.AnnouncementNews, Title: " Jauns mācību katalogs ",
		Body: "Katalogā var meklēt pēc novada.", Audience: []string{"career_consultant"}}
	if err := e.ann.SaveAnnouncement(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.Version != 1 || a.State != domain.AnnouncementDraft || a.Title != "Jauns mācību katalogs" || a.CreatedBy != e.ilze.ID {
		t.Fatalf("saved = %+v", a)
	}

	// Another editor's copy goes stale when the first saves again.
	other, err := e.ann.FindAnnouncement(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	a.Body += " Un pēc mācību veida."
	if err := e.ann.SaveAnnouncement(ctx, a); err != nil {
		t.Fatal(err)
	}
	other.Title = "Cits virsraksts"
	wantError(t, e.ann.SaveAnnouncement(asEditor(t, e.maris), other), domain.ECONFLICT, "announcement.changed")

	if err := e.ann.PublishAnnouncement(asEditor(t, e.maris), a.ID); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.ann.PublishAnnouncement(ctx, a.ID), domain.ECONFLICT, "announcement.not_draft")
	wantError(t, e.ann.SaveAnnouncement(ctx, a), domain.ECONFLICT, "announcement.not_draft")
	got, _ := e.ann.FindAnnouncement(t.Context(), a.ID)
	if got.State != domain.AnnouncementPublished || got.PublishedAt.IsZero() || got.Body != a.Body || got.EmailsPending {
		t.Fatalf("published = %+v", got)
	}

	wantError(t, e.ann.WithdrawAnnouncement(ctx, a.ID, "  "), domain.EINVALID, "announcement.reason_required")
	if err := e.ann.WithdrawAnnouncement(ctx, a.ID, "Katalogs vēl nav gatavs."); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.ann.WithdrawAnnouncement(ctx, a.ID, "vēlreiz"), domain.ECONFLICT, "announcement.not_published")
	got, _ = e.ann.FindAnnouncement(t.Context(), a.ID)
	if got.State != domain.AnnouncementWithdrawn || got.WithdrawReason != "Katalogs vēl nav gatavs." || got.WithdrawnAt.IsZero() {
		t.Fatalf("withdrawn = %+v", got)
	}

	actions := auditActions(t, e.db)
	for _, want := range []string{domain.AuditAnnouncementCreate, domain.AuditAnnouncementUpdate, domain.AuditAnnouncementPublish, domain.AuditAnnouncementWithdraw} {
		if !slices.Contains(actions, want) {
			t.Errorf("no %s in the audit log %v", want, actions)
		}
	}
	wantError(t, e.ann.PublishAnnouncement(ctx, 424242), domain.ENOTFOUND, "announcement.not_found")

	reviewer := editorOperator(t, e.db, "janis.berzins", "Jānis Bērziņš", domain.RoleReviewer)
	wantError(t, e.ann.SaveAnnouncement(asEditor(t, reviewer), &domain.Announcement{Kind: domain.AnnouncementNews, Title: "T", Body: "B"}),
		domain.EFORBIDDEN, "editor.not_editor")
	wantError(t, e.ann.SaveAnnouncement(t.Context(), &domain.Announcement{Kind: domain.AnnouncementNews, Title: "T", Body: "B"}),
		domain.EUNAUTHORIZED, "editor.no_operator")
}

func TestAnnouncements_Banners_From24HoursBeforeUntilTheEnd(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	ctx := asEditor(t, e.ilze)
	now := e.clock.now().UTC().Truncate(time.Second)
	start := now.Add(72 * time.Hour)

	publish := func(a *domain.Announcement) *domain.Announcement {
		t.Helper()
		if err := e.ann.SaveAnnouncement(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := e.ann.PublishAnnouncement(asEditor(t, e.maris), a.ID); err != nil {
			t.Fatal(err)
		}
		return a
	}
	shown := publish(downtime(start, 2*time.Hour))
	// Published news, a draft downtime and a withdrawn one never show.
	publish(&domain.Announcement{Kind: domain.AnnouncementNews, Title: "Jaunumi", Body: "Teksts.", StartsAt: start, EndsAt: start.Add(time.Hour)})
	if err := e.ann.SaveAnnouncement(ctx, downtime(start, time.Hour)); err != nil {
		t.Fatal(err)
	}
	withdrawn := publish(downtime(start.Add(-time.Hour), 3*time.Hour))
	if err := e.ann.WithdrawAnnouncement(ctx, withdrawn.ID, "Atcelts."); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{start.Add(-25 * time.Hour), false},
		{start.Add(-24*time.Hour - time.Second), false},
		{start.Add(-24 * time.Hour), true},
		{start.Add(-23 * time.Hour), true},
		{start.Add(time.Hour), true},
		{start.Add(2*time.Hour - time.Second), true},
		{start.Add(2 * time.Hour), false},
		{start.Add(3 * time.Hour), false},
	} {
		got, err := e.ann.ActiveBanners(t.Context(), tt.at)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, a := range got {
			ids = append(ids, a.ID)
		}
		if want := tt.want; want != slices.Equal(ids, []int64{shown.ID}) || (!want && len(ids) != 0) {
			t.Errorf("at start%+v: banners %v, want shown=%v (#%d)", tt.at.Sub(start), ids, want, shown.ID)
		}
	}

	// Downtime that has ended cannot be published any more.
	past := downtime(now.Add(-3*time.Hour), time.Hour)
	if err := e.ann.SaveAnnouncement(ctx, past); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.ann.PublishAnnouncement(asEditor(t, e.maris), past.ID), domain.EINVALID, "announcement.ends_past")
}

func TestAnnouncements_EmailAudience_WrittenToTheOutboxInBatches(t *testing.T) {
	t.Parallel()
	e := newTermsEnv(t)
	e.ann.MailBatch = 2
	ctx := asEditor(t, e.ilze)
	var consultants []int64
	for range 5 {
		consultants = append(consultants, e.platformUser(t, "career_consultant"))
	}
	unconfirmed := e.platformUser(t, "career_consultant")
	denied := e.platformUser(t, "career_consultant")
	ended := e.platformUser(t, "career_consultant!")
	e.platformUser(t, "municipal_coordinator")
	e.platformUser(t, "municipal_coordinator")
	e.platformUser(t)
	if _, err := e.db.Pool().Exec(t.Context(), `
		UPDATE platform_users SET email_confirmed = false WHERE id = $1;`, unconfirmed); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE platform_users SET sign_in_denied = true WHERE id = $1`, denied); err != nil {
		t.Fatal(err)
	}

	a := downtime(e.clock.now().Add(30*time.Hour), 4*time.Hour)
	a.Audience, a.EmailAudience = []string{"career_consultant"}, true
	if err := e.ann.SaveAnnouncement(ctx, a); err != nil {
		t.Fatal(err)
	}
	if n := countOutbox(t, e.db); n != 0 {
		t.Fatalf("a draft wrote %d mails", n)
	}
	if err := e.ann.PublishAnnouncement(asEditor(t, e.maris), a.ID); err != nil {
		t.Fatal(err)
	}

	mails := outboxAddresses(t, e, "announcement.downtime")
	var want []string
	for _, u := range consultants {
		want = append(want, userEmail(t, e, u))
	}
	if !slices.Equal(mails, want) {
		t.Fatalf("mailed %v, want %v (not %d, %d, %d)", mails, want, unconfirmed, denied, ended)
	}
	got, _ := e.ann.FindAnnouncement(t.Context(), a.ID)
	if got.EmailsQueued != 5 || got.EmailsPending {
		t.Fatalf("queued %d, pending %v", got.EmailsQueued, got.EmailsPending)
	}
	var subject, body string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT subject, body FROM outbox ORDER BY id LIMIT 1`).Scan(&subject, &body); err != nil {
		t.Fatal(err)
	}
	startText := a.StartsAt.In(riga(t)).Format("02.01.2006 15:04")
	if !strings.Contains(subject, "Plānots darbības pārtraukums") || !strings.Contains(body, "Sākums: "+startText) ||
		!strings.Contains(body, a.Services) {
		t.Fatalf("mail:\n%s\n%s", subject, body)
	}

	// News for everyone: every confirmed user whose access is not denied.
	news := &domain.Announcement{Kind: domain.AnnouncementNews, Title: "Jaunumi visiem", Body: "Teksts.", EmailAudience: true}
	if err := e.ann.SaveAnnouncement(ctx, news); err != nil {
		t.Fatal(err)
	}
	if err := e.ann.PublishAnnouncement(asEditor(t, e.maris), news.ID); err != nil {
		t.Fatal(err)
	}
	everyone := outboxAddresses(t, e, "announcement.news")
	if len(everyone) != 9 {
		t.Fatalf("news mailed to %d, want 9: %v", len(everyone), everyone)
	}

	// An interrupted run resumes where it stopped, without repeating
	// anyone: pretend only the first four were written.
	if _, err := e.db.Pool().Exec(t.Context(), `DELETE FROM outbox WHERE template = 'announcement.news' AND to_addr <> ALL ($1)`, everyone[:4]); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Pool().Exec(t.Context(), `
		UPDATE announcements SET mail_state = 'pending', mail_queued = 4, mail_users_done = false, mail_after_person = 0,
		       mail_after_user = (SELECT id FROM platform_users WHERE email = $2)
		 WHERE id = $1`, news.ID, everyone[3]); err != nil {
		t.Fatal(err)
	}
	n, err := e.ann.QueueAnnouncementMails(t.Context())
	if err != nil || n != 5 {
		t.Fatalf("resumed: %d mails, %v; want 5", n, err)
	}
	if again := outboxAddresses(t, e, "announcement.news"); !slices.Equal(again, everyone) {
		t.Fatalf("after resuming: %v, want %v", again, everyone)
	}
	if n, err := e.ann.QueueAnnouncementMails(t.Context()); err != nil || n != 0 {
		t.Fatalf("nothing left, yet %d, %v", n, err)
	}

	// Withdrawing stops the batches not yet written.
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE announcements SET mail_state = 'pending' WHERE id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.ann.WithdrawAnnouncement(ctx, a.ID, "Darbi atcelti."); err != nil {
		t.Fatal(err)
	}
	if n, err := e.ann.QueueAnnouncementMails(t.Context()); err != nil || n != 0 {
		t.Fatalf("a withdrawn announcement wrote %d mails, %v", n, err)
	}
}

// outboxAddresses returns the addresses of the outbox's messages of the
// template, in the order they were written.
func outboxAddresses(t testing.TB, e *termsEnv, template string) []string {
	t.Helper()
	rows, err := e.db.Pool().Query(t.Context(), `SELECT to_addr FROM outbox WHERE template = $1 ORDER BY id`, template)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// userEmail returns a Platform user's address.
func userEmail(t testing.TB, e *termsEnv, id int64) string {
	t.Helper()
	var s string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT email FROM platform_users WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// riga returns Latvia's time zone.
func riga(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Riga")
	if err != nil {
		return time.FixedZone("EET", 2*60*60)
	}
	return loc
}
