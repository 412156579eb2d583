package app

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// passwordChange is the only screen of a session signed in with a
// one-time reset code (¶31.3): the operator sets a new password that
// obeys ¶31, every broken rule listed, before the dashboard appears.
// There is no way around it but leaving.
type passwordChange struct {
	c    *common.Common
	form *form.Model
}

// passwordSetMsg carries the answer of SetOperatorPassword.
type passwordSetMsg struct{ err error }

const (
	fNewPassword   = "new"
	fAgainPassword = "again"
)

func newPasswordChange(c *common.Common) *passwordChange {
	return &passwordChange{c: c, form: form.New(c, "tui.pw.title", nil,
		form.Field{ID: fNewPassword, Label: "tui.pw.field.new", Kind: form.Password},
		form.Field{ID: fAgainPassword, Label: "tui.pw.field.again", Kind: form.Password},
	)}
}

// update handles a key press; esc does nothing here.
func (p *passwordChange) update(msg tea.KeyMsg) tea.Cmd {
	res, cmd := p.form.Update(msg)
	if res != form.Submit {
		return cmd
	}
	pw, again := p.form.Value(fNewPassword), p.form.Value(fAgainPassword)
	if pw != again {
		p.form.SetErrorKey("tui.pw.mismatch")
		return nil
	}
	p.form.SetError(nil)
	p.form.Busy = true
	ops, ctx, name := p.c.Services.Operators, p.c.Ctx, p.c.Operator.Name
	return func() tea.Msg { return passwordSetMsg{err: ops.SetOperatorPassword(ctx, name, pw)} }
}

func (p *passwordChange) view(w, h int) string {
	intro := common.WrapAtSpaces(p.c.T("tui.pw.intro"), w)
	n := strings.Count(intro, "\n") + 2
	keys := p.c.Styles.Muted.Render(p.c.T("tui.pw.keys"))
	return common.FitBlock(intro+"\n\n"+p.form.View(w, max(h-n-1, 4))+"\n"+keys, w, h)
}

// passwordSet takes in the answer: a refusal stays on the screen with
// every problem; success opens the session's screens.
func (m *Model) passwordSet(msg passwordSetMsg) tea.Cmd {
	if m.pw == nil {
		return nil
	}
	m.pw.form.Busy = false
	if msg.err != nil {
		m.pw.form.SetError(msg.err)
		return nil
	}
	m.pw = nil
	m.status = status{key: "tui.pw.done"}
	return tea.Batch(m.startPages()...)
}
