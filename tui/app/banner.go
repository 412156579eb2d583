package app

import (
	"github.com/viaa/ppp/tui/common"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
)

// The downtime banner: a line under the header, for every operator, from
// domain.DowntimeBannerLead before planned downtime starts until it ends.
// It is read at the start, on every announcement change, when the
// database comes back, and on a slow timer, since a downtime comes within
// its lead, and ends, without any change being made.

// bannerRecheck is the longest the banner goes without being read again.
const bannerRecheck = 5 * time.Minute

// bannersMsg carries the downtimes to show.
type bannersMsg struct {
	banners []*domain.Announcement
	err     error
}

// bannerTickMsg fires to read the banners again; gen tells the live timer
// from those a later read replaced.
type bannerTickMsg struct{ gen int }

func (m *Model) loadBannersCmd() tea.Cmd {
	svc := m.c.Services.Announcements
	if svc == nil {
		return nil
	}
	ctx, now := m.c.Ctx, m.c.Clock()
	return func() tea.Msg {
		b, err := svc.ActiveBanners(ctx, now)
		return bannersMsg{banners: b, err: err}
	}
}

// setBanners shows the banners read and arms the timer for the next read:
// when the first of them ends, or after bannerRecheck. A failed read keeps
// what is shown; the database's return reads again.
func (m *Model) setBanners(msg bannersMsg) tea.Cmd {
	if msg.err == nil {
		shown := len(m.banners) > 0
		m.banners = msg.banners
		if shown != (len(m.banners) > 0) {
			m.resize(m.width, m.height)
		}
	}
	m.bannerGen++
	gen, now := m.bannerGen, m.c.Clock()
	wait := bannerRecheck
	for _, b := range m.banners {
		if d := b.EndsAt.Sub(now); d > 0 && d < wait {
			wait = d + time.Second
		}
	}
	return m.c.Tick(wait, func(time.Time) tea.Msg { return bannerTickMsg{gen: gen} })
}

func (m *Model) bannerTick(msg bannerTickMsg) tea.Cmd {
	if msg.gen != m.bannerGen {
		return nil
	}
	return m.loadBannersCmd()
}

// bannerLines is 1 while a banner shows.
func (m *Model) bannerLines() int {
	if len(m.banners) > 0 {
		return 1
	}
	return 0
}

// bannerView is the first downtime, when it is, its title and the
// services it affects, and how many more there are. The "!" carries the
// warning where the banner's reverse video does not show.
func (m *Model) bannerView() string {
	c, st := m.c, m.c.Styles
	b := m.banners[0]
	when := spanText(b.StartsAt, b.EndsAt)
	text := c.T("tui.banner.upcoming", when, b.Title)
	if !m.c.Clock().Before(b.StartsAt) {
		text = c.T("tui.banner.ongoing", b.EndsAt.Local().Format("2006-01-02 15:04"), b.Title)
	}
	if s := common.Show(b.Services); s != "" {
		text += " — " + s
	}
	if n := len(m.banners) - 1; n > 0 {
		text += " " + c.T("tui.banner.more", n)
	}
	return st.Banner.Render(ansi.Truncate("! "+text, m.width, "…"))
}

// spanText renders a time span, the end without its date on the same day.
func spanText(from, to time.Time) string {
	from, to = from.Local(), to.Local()
	const layout = "2006-01-02 15:04"
	if from.Format("2006-01-02") == to.Format("2006-01-02") {
		return from.Format(layout) + "–" + to.Format("15:04")
	}
	return from.Format(layout) + " – " + to.Format(layout)
}
