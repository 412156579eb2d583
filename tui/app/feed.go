package app

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
)

// changeMsg is a change from the feed, before the root has looked at it.
type changeMsg domain.Change

func (m *Model) waitChangeCmd() tea.Cmd {
	ch, ctx := m.changes, m.c.Ctx
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case c, ok := <-ch:
			if !ok {
				return nil
			}
			return changeMsg(c)
		case <-ctx.Done():
			return nil
		}
	}
}

func (m *Model) handleChange(c domain.Change) tea.Cmd {
	if c.Topic == domain.TopicDB {
		switch c.ID {
		case domain.ChangeDown:
			m.dbDown = true
			return nil
		case domain.ChangeUp:
			return m.dbBack()
		}
	}
	if c.Topic == domain.TopicAnnouncement {
		return tea.Batch(m.loadBannersCmd(), m.broadcast(common.ChangeMsg(c)))
	}
	return m.broadcast(common.ChangeMsg(c))
}

// dbBack clears the reconnecting state and lets every page read again,
// since changes may have been missed meanwhile.
func (m *Model) dbBack() tea.Cmd {
	m.dbDown = false
	if m.status.err != nil && domain.ErrorCode(m.status.err) == domain.EUNAVAILABLE {
		m.status = status{}
	}
	return tea.Batch(m.loadBannersCmd(), m.broadcast(common.ReloadMsg{}))
}

// dbRetryMsg fires while the database is marked away, to look again.
type dbRetryMsg struct{}

const dbRetryEvery = 5 * time.Second

func (m *Model) handleError(err error) tea.Cmd {
	m.status = status{err: err}
	if domain.ErrorCode(err) != domain.EUNAVAILABLE {
		return nil
	}
	m.dbDown = true
	if m.retryArmed {
		return nil
	}
	m.retryArmed = true
	return m.c.Tick(dbRetryEvery, func(time.Time) tea.Msg { return dbRetryMsg{} })
}

func (m *Model) retryDB() tea.Cmd {
	m.retryArmed = false
	if !m.dbDown {
		return nil
	}
	if f := m.c.Services.Feed; f != nil && !f.Connected() {
		m.retryArmed = true
		return m.c.Tick(dbRetryEvery, func(time.Time) tea.Msg { return dbRetryMsg{} })
	}
	return m.dbBack()
}
