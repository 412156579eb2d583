package contracttest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// AnnouncementHarness is an implementation of domain.AnnouncementService
// with what the suite needs around it.
type AnnouncementHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.AnnouncementService
}

// annEnv is one run of the suite: a fresh harness, an editor and a
// reviewer (who reads the banners only).
type annEnv struct {
	h            AnnouncementHarness
	svc          domain.AnnouncementService
	maris, ilze  *domain.Operator
	marisC, ilzC context.Context
}

func (e *annEnv) news(title string) *domain.Announcement {
	return &domain.Announcement{Kind: domain.AnnouncementNews, Title: title, Body: "Sīkāk platformā."}
}

func (e *annEnv) downtime(title string, start, length time.Duration) *domain.Announcement {
	now := e.h.Now()
	return &domain.Announcement{Kind: domain.AnnouncementDowntime, Title: title, Body: "Platforma nebūs pieejama.",
		StartsAt: now.Add(start), EndsAt: now.Add(start + length), Services: "Pieteikumi"}
}

// save saves a as the editor and fails the test on an error.
func (e *annEnv) save(t *testing.T, a *domain.Announcement) *domain.Announcement {
	t.Helper()
	must(t, "save "+a.Title, e.svc.SaveAnnouncement(e.marisC, a))
	return a
}

// get finds announcement id in the list.
func (e *annEnv) get(t *testing.T, id int64) *domain.Announcement {
	t.Helper()
	list, err := e.svc.ListAnnouncements(e.marisC)
	must(t, "list", err)
	for _, a := range list {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("announcement %d is not listed", id)
	return nil
}

func hasProblem(err error, key string) bool {
	e := domain.AsError(err)
	return e != nil && slices.ContainsFunc(e.Problems, func(p domain.Problem) bool { return p.Key == key })
}

// RunAnnouncementService runs the announcements' suite, each test on a
// harness of its own from newHarness.
func RunAnnouncementService(t *testing.T, newHarness func(t *testing.T) AnnouncementHarness) {
	run := func(name string, f func(t *testing.T, e *annEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &annEnv{h: h, svc: h.Service()}
			e.maris = h.Operator(t, "maris.ozols", "Māris Ozols", "maris.ozols@viaa.gov.lv", domain.RoleEditor)
			e.ilze = h.Operator(t, "ilze.berzina", "Ilze Bērziņa", "ilze.berzina@viaa.gov.lv", domain.RoleReviewer)
			e.marisC, e.ilzC = As(t, e.maris, "s-maris"), As(t, e.ilze, "s-ilze")
			f(t, e)
		})
	}

	run("Save_CreatesAndEditsDrafts", func(t *testing.T, e *annEnv) {
		a := e.news("  Jaunas iespējas  ")
		a.Audience = []string{string(domain.PlatformCareerConsultant), string(domain.PlatformInstitutionAdmin), string(domain.PlatformCareerConsultant)}
		e.save(t, a)
		if a.ID == 0 || a.Version == 0 || a.State != domain.AnnouncementDraft || a.CreatedBy != e.maris.ID || a.Title != "Jaunas iespējas" ||
			!slices.Equal(a.Audience, []string{string(domain.PlatformCareerConsultant), string(domain.PlatformInstitutionAdmin)}) {
			t.Errorf("a new draft, written back: %+v", a)
		}
		got := e.get(t, a.ID)
		if got.Title != "Jaunas iespējas" || got.Version != a.Version || got.CreatedBy != e.maris.ID || got.State != domain.AnnouncementDraft {
			t.Errorf("stored: %+v", got)
		}

		seen := a.Version
		a.Body = "Atjaunināts apraksts."
		e.save(t, a)
		if a.Version <= seen {
			t.Errorf("an edit kept the version %d", a.Version)
		}
		stale := *a
		stale.Version = seen
		wantErr(t, "a stale version", e.svc.SaveAnnouncement(e.marisC, &stale), domain.ECONFLICT, "announcement.changed")
		missing := *a
		missing.ID += 1000
		wantErr(t, "no such announcement", e.svc.SaveAnnouncement(e.marisC, &missing), domain.ENOTFOUND, "announcement.not_found")

		err := e.svc.SaveAnnouncement(e.marisC, &domain.Announcement{Kind: domain.AnnouncementNews, Body: "x"})
		wantErr(t, "no title", err, domain.EINVALID, "announcement.invalid")
		if !hasProblem(err, "announcement.title_required") {
			t.Errorf("no title: problems of %v", err)
		}
		err = e.svc.SaveAnnouncement(e.marisC, &domain.Announcement{Kind: domain.AnnouncementDowntime, Title: "Apkope", Body: "x"})
		for _, key := range []string{"announcement.starts_required", "announcement.ends_required", "announcement.services_required"} {
			if !hasProblem(err, key) {
				t.Errorf("downtime without times: %s missing from %v", key, err)
			}
		}
		bad := e.news("Ziņa")
		bad.Audience = []string{"everyone"}
		if err := e.svc.SaveAnnouncement(e.marisC, bad); !hasProblem(err, "announcement.role_unknown") {
			t.Errorf("an unknown role: %v", err)
		}
	})

	run("PublishAndWithdraw", func(t *testing.T, e *annEnv) {
		a := e.save(t, e.news("Jaunumi"))
		must(t, "publish", e.svc.PublishAnnouncement(e.marisC, a.ID))
		got := e.get(t, a.ID)
		if got.State != domain.AnnouncementPublished || !near(got.PublishedAt, e.h.Now()) || got.Version <= a.Version {
			t.Errorf("published: %s at %v, v%d", got.State, got.PublishedAt, got.Version)
		}
		wantErr(t, "publish again", e.svc.PublishAnnouncement(e.marisC, a.ID), domain.ECONFLICT, "announcement.not_draft")
		wantErr(t, "edit what is published", e.svc.SaveAnnouncement(e.marisC, got), domain.ECONFLICT, "announcement.not_draft")
		wantErr(t, "withdraw without a reason", e.svc.WithdrawAnnouncement(e.marisC, a.ID, " "), domain.EINVALID, "announcement.reason_required")
		wantErr(t, "a long reason", e.svc.WithdrawAnnouncement(e.marisC, a.ID, strings.Repeat("x", domain.MessageMaxLength+1)),
			domain.EINVALID, "announcement.reason_too_long")
		must(t, "withdraw", e.svc.WithdrawAnnouncement(e.marisC, a.ID, " Kļūda tekstā "))
		got = e.get(t, a.ID)
		if got.State != domain.AnnouncementWithdrawn || got.WithdrawReason != "Kļūda tekstā" || !near(got.WithdrawnAt, e.h.Now()) {
			t.Errorf("withdrawn: %s (%q) at %v", got.State, got.WithdrawReason, got.WithdrawnAt)
		}
		wantErr(t, "withdraw again", e.svc.WithdrawAnnouncement(e.marisC, a.ID, "vēlreiz"), domain.ECONFLICT, "announcement.not_published")
		d := e.save(t, e.news("Melnraksts"))
		wantErr(t, "withdraw a draft", e.svc.WithdrawAnnouncement(e.marisC, d.ID, "x"), domain.ECONFLICT, "announcement.not_published")
		wantErr(t, "publish nothing", e.svc.PublishAnnouncement(e.marisC, d.ID+1000), domain.ENOTFOUND, "announcement.not_found")
		wantErr(t, "withdraw nothing", e.svc.WithdrawAnnouncement(e.marisC, d.ID+1000, "x"), domain.ENOTFOUND, "announcement.not_found")

		// Planned downtime that is over by the time it is published.
		over := e.save(t, e.downtime("Apkope", time.Hour, time.Hour))
		e.h.Advance(3 * time.Hour)
		wantErr(t, "downtime already over", e.svc.PublishAnnouncement(e.marisC, over.ID), domain.EINVALID, "announcement.ends_past")
	})

	run("ActiveBanners_PublishedDowntimeWithinADay", func(t *testing.T, e *annEnv) {
		publish := func(a *domain.Announcement) *domain.Announcement {
			t.Helper()
			e.save(t, a)
			must(t, "publish "+a.Title, e.svc.PublishAnnouncement(e.marisC, a.ID))
			return a
		}
		soon := publish(e.downtime("Drīz", 2*time.Hour, time.Hour))
		now := publish(e.downtime("Tagad", -time.Hour, 3*time.Hour))
		publish(e.downtime("Tālu", 25*time.Hour, time.Hour))
		publish(e.news("Ziņa"))
		e.save(t, e.downtime("Melnraksts", time.Hour, time.Hour))
		gone := publish(e.downtime("Atsaukta", time.Hour, time.Hour))
		must(t, "withdraw", e.svc.WithdrawAnnouncement(e.marisC, gone.ID, "atcelta"))
		ended := publish(e.downtime("Beigusies", time.Minute, time.Minute))
		e.h.Advance(5 * time.Minute)

		banners, err := e.svc.ActiveBanners(e.ilzC, e.h.Now())
		must(t, "banners, as any operator", err)
		var titles []string
		for _, b := range banners {
			titles = append(titles, b.Title)
		}
		if !slices.Equal(titles, []string{now.Title, soon.Title}) {
			t.Errorf("banners: %q, want the running and the coming downtime, soonest first (not %q)", titles, ended.Title)
		}
		list, err := e.svc.ListAnnouncements(e.marisC)
		must(t, "list", err)
		if len(list) != 7 || !slices.IsSortedFunc(list, func(a, b *domain.Announcement) int { return int(b.ID - a.ID) }) {
			t.Errorf("the list, newest first: %d announcements", len(list))
		}
	})
}
