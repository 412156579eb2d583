package app

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/common"
)

// Why a session ended; RecordSignOut receives these.
const (
	ReasonQuit     = "quit"
	ReasonIdle     = "idle"
	ReasonMax      = "max"
	ReasonDisabled = "disabled"
	ReasonShutdown = "shutdown"
	ReasonDropped  = "dropped"
)

// EndSessionMsg asks the session to end for Reason (one of the Reason
// constants); the server sends it on shutdown, at the absolute time limit
// and when the operator is disabled.
type EndSessionMsg struct{ Reason string }

// FarewellKey returns the catalog key of the line shown after a session
// ended for reason; empty when nothing needs saying.
func FarewellKey(reason string) string {
	switch reason {
	case ReasonIdle, ReasonMax, ReasonDisabled, ReasonShutdown:
		return "tui.end." + reason
	}
	return ""
}

// idleCheckMsg fires when the inactivity deadline may have passed.
type idleCheckMsg struct{}

// armIdle schedules one check after d. Key presses do not re-arm it: the
// check itself looks at the time of the last key and sleeps again for the
// rest, so an idle screen wakes at most once per timeout.
func (m *Model) armIdle(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return idleCheckMsg{} })
}

func (m *Model) checkIdle() tea.Cmd {
	left := m.lastKey.Add(m.idle).Sub(m.c.Clock())
	if left <= 0 {
		return m.end(ReasonIdle)
	}
	return m.armIdle(left)
}

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
	if c.Topic == "db" {
		switch c.ID {
		case "down":
			m.dbDown = true
			return nil
		case "up":
			return m.dbBack()
		}
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
	return m.broadcast(common.ReloadMsg{})
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
	return tea.Tick(dbRetryEvery, func(time.Time) tea.Msg { return dbRetryMsg{} })
}

func (m *Model) retryDB() tea.Cmd {
	m.retryArmed = false
	if !m.dbDown {
		return nil
	}
	if f := m.c.Services.Feed; f != nil && !f.Connected() {
		m.retryArmed = true
		return tea.Tick(dbRetryEvery, func(time.Time) tea.Msg { return dbRetryMsg{} })
	}
	return m.dbBack()
}

// languageSavedMsg reports whether the language choice was stored.
type languageSavedMsg struct{ err error }

func (m *Model) toggleLanguage() tea.Cmd {
	lang := i18n.EN
	if m.c.Catalog.Lang == i18n.EN {
		lang = i18n.LV
	}
	m.c.SetLanguage(lang)
	m.c.Operator.Language = string(lang)
	cmd := m.broadcast(common.LanguageMsg{})
	svc, ctx, id := m.c.Services.Operators, m.c.Ctx, m.c.Operator.ID
	save := func() tea.Msg {
		return languageSavedMsg{err: svc.SetOperatorLanguage(ctx, id, string(lang))}
	}
	return tea.Batch(cmd, save)
}

func keyIs(msg tea.KeyMsg, b key.Binding) bool { return key.Matches(msg, b) }

// status is the status line: a success (key) or an error.
type status struct {
	key  string
	args []any
	err  error
}
