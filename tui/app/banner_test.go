package app

import (
	"github.com/viaa/ppp/tui/internal/tuitest"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/fakes"
)

var bannerNow = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

func withAnnouncements(a domain.AnnouncementService) modelOpt {
	return func(o *Options) { o.Services.Announcements = a }
}

// downtime adds a published planned downtime starting after start and
// lasting two hours.
func downtime(a *fakes.Announcements, title string, start time.Duration) {
	a.Add(&domain.Announcement{Kind: domain.AnnouncementDowntime, State: domain.AnnouncementPublished, Title: title,
		StartsAt: bannerNow.Add(start), EndsAt: bannerNow.Add(start + 2*time.Hour), Services: "Platformas portāls"})
}

const bannerLead = "Plānots darbības pārtraukums"

func TestBanner_DowntimeWithin24Hours_ShowsUnderTheHeaderForEveryOperator(t *testing.T) {
	e := newEnv(t)
	ann := fakes.NewAnnouncements()
	downtime(ann, "Datubāzes atjaunināšana", 23*time.Hour)
	// A reviewer, not an editor: the banner is for everyone.
	m := newModel(t, e, e.reviewer, withAnnouncements(ann), withNow(func() time.Time { return bannerNow }))
	lines := strings.Split(tuitest.Screen(m), "\n")
	if !strings.Contains(lines[1], "! "+bannerLead) || !strings.Contains(lines[1], "Datubāzes atjaunināšana") {
		t.Fatalf("no banner under the header:\n%s", tuitest.Screen(m))
	}
	if !strings.Contains(tuitest.Squeeze(tuitest.Screen(m)), "2026-03-04 11:00–13:00") {
		t.Errorf("the banner lacks when:\n%s", tuitest.Screen(m))
	}
	tuitest.CheckFits(t, m, 80, 24, "screen with a banner")
	// The page below it lost the line the banner took.
	if !strings.Contains(lines[2], "Pārskats") {
		t.Errorf("the tabs are not under the banner:\n%s", tuitest.Screen(m))
	}
}

func TestBanner_NotShown_BeyondItsLeadOrForNewsOrDraftsOrPastDowntime(t *testing.T) {
	for name, add := range map[string]func(*fakes.Announcements){
		"25 hours ahead": func(a *fakes.Announcements) { downtime(a, "Tālā apkope", 25*time.Hour) },
		"news": func(a *fakes.Announcements) {
			a.Add(&domain.Announcement{Kind: domain.AnnouncementNews, State: domain.AnnouncementPublished, Title: "Jaunums",
				StartsAt: bannerNow.Add(time.Hour), EndsAt: bannerNow.Add(3 * time.Hour)})
		},
		"draft": func(a *fakes.Announcements) {
			a.Add(&domain.Announcement{Kind: domain.AnnouncementDowntime, State: domain.AnnouncementDraft, Title: "Melnraksts",
				StartsAt: bannerNow.Add(time.Hour), EndsAt: bannerNow.Add(3 * time.Hour)})
		},
		"over": func(a *fakes.Announcements) { downtime(a, "Pagājusī apkope", -3*time.Hour) },
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			ann := fakes.NewAnnouncements()
			add(ann)
			m := newModel(t, e, e.admin, withAnnouncements(ann), withNow(func() time.Time { return bannerNow }))
			if strings.Contains(tuitest.Screen(m), bannerLead) {
				t.Errorf("a banner shows:\n%s", tuitest.Screen(m))
			}
			tuitest.CheckFits(t, m, 80, 24, "screen without a banner")
		})
	}
}

func TestBanner_Ongoing_SaysUntilWhen(t *testing.T) {
	e := newEnv(t)
	ann := fakes.NewAnnouncements()
	downtime(ann, "Apkope", -time.Hour)
	m := newModel(t, e, e.admin, withAnnouncements(ann), withNow(func() time.Time { return bannerNow }))
	if !strings.Contains(tuitest.Screen(m), "! Notiek plānots darbības pārtraukums līdz 2026-03-03 13:00: Apkope") {
		t.Errorf("no ongoing banner:\n%s", tuitest.Screen(m))
	}
}

func TestBanner_FollowsAnnouncementChangesAndTheDatabasesReturn(t *testing.T) {
	e := newEnv(t)
	ann := fakes.NewAnnouncements()
	m := newModel(t, e, e.admin, withAnnouncements(ann), withNow(func() time.Time { return bannerNow }))
	if strings.Contains(tuitest.Screen(m), bannerLead) {
		t.Fatal("a banner before any downtime")
	}
	reads := ann.BannerCalls()
	downtime(ann, "Apkope", 2*time.Hour)
	driver.Send(t, m, changeMsg(domain.Change{Topic: domain.TopicAnnouncement, ID: "1"}))
	if ann.BannerCalls() != reads+1 || !strings.Contains(tuitest.Screen(m), bannerLead) {
		t.Fatalf("an announcement change did not bring the banner (%d reads):\n%s", ann.BannerCalls()-reads, tuitest.Screen(m))
	}
	tuitest.CheckFits(t, m, 80, 24, "banner after a change")
	// Other topics do not read the banners.
	driver.Send(t, m, changeMsg(domain.Change{Topic: domain.TopicOperator, ID: "1"}))
	if ann.BannerCalls() != reads+1 {
		t.Error("an operator change read the banners")
	}
	// Withdrawn while the database was away: read again when it is back.
	if err := ann.WithdrawAnnouncement(t.Context(), 1, "pārcelts"); err != nil {
		t.Fatal(err)
	}
	driver.Send(t, m, changeMsg(domain.Change{Topic: domain.TopicDB, ID: domain.ChangeDown}), changeMsg(domain.Change{Topic: domain.TopicDB, ID: domain.ChangeUp}))
	if strings.Contains(tuitest.Screen(m), bannerLead) {
		t.Errorf("the banner stayed after the database came back:\n%s", tuitest.Screen(m))
	}
	tuitest.CheckFits(t, m, 80, 24, "banner gone")
}

func TestBanner_SeveralDowntimes_ShowsTheFirstAndHowManyMore(t *testing.T) {
	e := newEnv(t)
	ann := fakes.NewAnnouncements()
	downtime(ann, "Otrā", 5*time.Hour)
	downtime(ann, "Pirmā", 2*time.Hour)
	m := newModel(t, e, e.admin, withAnnouncements(ann), withNow(func() time.Time { return bannerNow }), withSize(120, 30))
	if v := tuitest.Screen(m); !strings.Contains(v, "Pirmā — Platformas portāls (vēl 1)") {
		t.Errorf("banner:\n%s", v)
	}
}

func TestBanner_NoService_NoBanner(t *testing.T) {
	e := newEnv(t)
	m := newModel(t, e, e.admin)
	if strings.Contains(tuitest.Screen(m), bannerLead) {
		t.Error("a banner without the service")
	}
}

func TestBanner_AppearsWhenTheDowntimeComesWithinItsLead_WithoutAnyChange(t *testing.T) {
	e := newEnv(t)
	ann := fakes.NewAnnouncements()
	downtime(ann, "Apkope", 24*time.Hour+3*time.Minute)
	now := bannerNow
	m := newModel(t, e, e.admin, withAnnouncements(ann), withNow(func() time.Time { return now }))
	if strings.Contains(tuitest.Screen(m), bannerLead) {
		t.Fatal("a banner more than 24 hours ahead")
	}
	// The slow timer fires bannerRecheck later; only the live timer reads.
	now = now.Add(bannerRecheck)
	driver.Send(t, m, bannerTickMsg{gen: m.bannerGen - 1})
	if strings.Contains(tuitest.Screen(m), bannerLead) {
		t.Fatal("a stale timer read the banners")
	}
	driver.Send(t, m, bannerTickMsg{gen: m.bannerGen})
	if !strings.Contains(tuitest.Screen(m), bannerLead) {
		t.Errorf("no banner once within 24 hours:\n%s", tuitest.Screen(m))
	}
}
