package app

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/common"
)

// languageSavedMsg reports whether the language choice was stored.
type languageSavedMsg struct{ err error }

func (m *Model) toggleLanguage() tea.Cmd {
	lang := i18n.EN
	if m.c.Catalog.Lang == i18n.EN {
		lang = i18n.LV
	}
	m.c.SetLanguage(lang)
	m.c.Operator.Language = string(lang)
	if m.jump != nil {
		m.jump.relabel(m.c)
	}
	cmd := m.broadcast(common.LanguageMsg{})
	svc, ctx, id := m.c.Services.Operators, m.c.Ctx, m.c.Operator.ID
	save := func() tea.Msg {
		return languageSavedMsg{err: svc.SetOperatorLanguage(ctx, id, string(lang))}
	}
	return tea.Batch(cmd, save)
}
