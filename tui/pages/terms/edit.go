package terms

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/editor"
)

// prompt is a question the editor asks before it throws typing away.
type prompt int

const (
	promptNone   prompt = iota
	promptLeave         // esc with unsaved changes
	promptReload        // ctrl+r with unsaved changes
)

// editSession is a version open in the editor: a draft to edit, or any
// other version to read.
type editSession struct {
	gen      int
	id       int64
	v        *domain.TermsVersion // as last read or saved, without its text
	ed       *editor.Model
	readOnly bool
	loaded   bool
	saving   bool
	// conflict: the last save met a change made by someone else; stale:
	// the feed says the draft changed since it was read. Either way the
	// text on screen stays until the editor chooses to reload.
	conflict bool
	stale    bool
	prompt   prompt
	leave    bool   // close once the save under way succeeds
	note     string // what the last key or save did, translated
	noteErr  bool
}

// openedMsg carries a version read for the editor.
type openedMsg struct {
	gen    int
	reload bool
	V      *domain.TermsVersion
	Err    error
}

// savedMsg carries the result of a save of the text at revision rev.
type savedMsg struct {
	gen int
	rev int
	V   *domain.TermsVersion
	Err error
}

// checkedMsg carries the open draft as read again after the feed said it
// changed.
type checkedMsg struct {
	gen int
	V   *domain.TermsVersion
	Err error
}

// openEditor shows v in the editor and reads its text.
func (m *Model) openEditor(v *domain.TermsVersion) tea.Cmd {
	m.opens++
	cp := *v
	cp.Text = ""
	ed := editor.New(editor.StylesFrom(m.c.Styles))
	ed.MaxBytes = domain.MaxTermsText
	es := &editSession{gen: m.opens, id: v.ID, v: &cp, ed: ed, readOnly: v.State != domain.TermsDraft}
	ed.ReadOnly = es.readOnly
	m.edit, m.mode = es, modeEdit
	es.layout(m.width, m.height)
	return tea.Batch(clearStatus, m.readCmd(false))
}

func (m *Model) readCmd(reload bool) tea.Cmd {
	es := m.edit
	gen, id, svc, ctx := es.gen, es.id, m.c.Services.Terms, m.c.Ctx
	return func() tea.Msg {
		v, err := svc.FindTermsVersion(ctx, id)
		return openedMsg{gen: gen, reload: reload, V: v, Err: err}
	}
}

func (m *Model) opened(msg openedMsg) tea.Cmd {
	es := m.edit
	if es == nil || msg.gen != es.gen {
		return nil
	}
	if msg.Err != nil {
		es.note, es.noteErr = common.OneLine(m.c.Err(msg.Err)), true
		return errorCmd(msg.Err)
	}
	line, col := es.ed.Cursor()
	es.ed.SetText(msg.V.Text)
	if msg.reload {
		es.ed.SetCursor(line, col)
	}
	v := *msg.V
	v.Text = ""
	es.v, es.loaded = &v, true
	es.readOnly = v.State != domain.TermsDraft
	es.ed.ReadOnly = es.readOnly
	es.conflict, es.stale, es.prompt = false, false, promptNone
	es.note, es.noteErr = "", false
	if msg.reload {
		es.note = m.c.T("tui.terms.edit.reloaded", itoa(v.Version))
	}
	return nil
}

// layout gives the editor the page less its header and message line.
func (es *editSession) layout(width, height int) {
	es.ed.SetSize(width, max(height-2, 1))
}

func (m *Model) updateEdit(msg tea.KeyMsg) tea.Cmd {
	es, k := m.edit, m.keys
	if !es.loaded {
		if key.Matches(msg, k.Close) {
			return m.closeEditor()
		}
		return nil
	}
	switch es.prompt {
	case promptLeave:
		switch {
		case key.Matches(msg, k.Save):
			es.prompt, es.leave = promptNone, true
			return m.saveCmd()
		case key.Matches(msg, k.Discard):
			return m.closeEditor()
		case key.Matches(msg, k.Back):
			es.prompt = promptNone
		}
		return nil
	case promptReload:
		switch {
		case key.Matches(msg, k.Confirm):
			es.prompt = promptNone
			return m.readCmd(true)
		case key.Matches(msg, k.Back):
			es.prompt = promptNone
		}
		return nil
	}
	es.note, es.noteErr = "", false
	switch {
	case key.Matches(msg, k.Close):
		if es.ed.Modified() && !es.readOnly {
			es.prompt = promptLeave
			return nil
		}
		return m.closeEditor()
	case key.Matches(msg, k.Save):
		if es.readOnly {
			es.note = m.c.T("tui.terms.edit.read_only")
			return nil
		}
		return m.saveCmd()
	case key.Matches(msg, k.Reload):
		if es.ed.Modified() && !es.readOnly {
			es.prompt = promptReload
			return nil
		}
		return m.readCmd(true)
	}
	m.notice(es.ed.Update(msg))
	return nil
}

// notice tells what the editor refused or changed.
func (m *Model) notice(n editor.Notice) {
	es, c := m.edit, m.c
	switch n.Kind {
	case editor.NoticeTooLong:
		es.note, es.noteErr = c.T("tui.terms.edit.too_long", kib(n.Size), kib(n.Max)), true
	case editor.NoticeInvalid:
		es.note, es.noteErr = c.T("tui.terms.edit.invalid_utf8"), true
	case editor.NoticeStripped:
		es.note = c.T("tui.terms.edit.stripped", n.Count)
	case editor.NoticeReadOnly:
		es.note = c.T("tui.terms.edit.read_only")
	}
}

// kib renders a size in KiB, rounded up, so that a text one byte over the
// limit never reads as the limit.
func kib(n int) int { return (n + 1023) / 1024 }

// saveCmd saves the text with the version it was read at; what is typed
// while the save runs stays unsaved.
func (m *Model) saveCmd() tea.Cmd {
	es := m.edit
	if es.saving {
		return nil
	}
	es.saving = true
	v := *es.v
	v.Text = es.ed.Text()
	gen, rev, svc, ctx := es.gen, es.ed.Revision(), m.c.Services.Terms, m.c.Ctx
	return func() tea.Msg {
		saved, err := saveDraft(ctx, svc, &v)
		return savedMsg{gen: gen, rev: rev, V: saved, Err: err}
	}
}

// saved takes in the result of a save. On a conflict the text stays on
// screen, unsaved, and the editor may reload the draft as it now is.
func (m *Model) saved(msg savedMsg) tea.Cmd {
	es := m.edit
	if es == nil || msg.gen != es.gen {
		if msg.Err != nil {
			return errorCmd(msg.Err)
		}
		return nil
	}
	es.saving = false
	if msg.Err != nil {
		es.leave = false
		if domain.ErrorCode(msg.Err) == domain.ECONFLICT {
			es.conflict = true
		} else {
			es.note, es.noteErr = common.OneLine(m.c.Err(msg.Err)), true
		}
		return errorCmd(msg.Err)
	}
	v := *msg.V
	v.Text = ""
	es.v = &v
	es.ed.MarkSavedAt(msg.rev)
	es.conflict, es.stale = false, false
	es.note = m.c.T("tui.terms.edit.saved", timeText(m.c.Clock()))
	if es.leave {
		es.leave = false
		return tea.Batch(common.StatusCmd("tui.terms.saved", v.Number), m.closeEditor())
	}
	return nil
}

// checkCmd reads the open draft again to learn whether someone else
// changed it.
func (m *Model) checkCmd() tea.Cmd {
	es := m.edit
	if es == nil || !es.loaded || es.saving {
		return nil
	}
	gen, id, svc, ctx := es.gen, es.id, m.c.Services.Terms, m.c.Ctx
	return func() tea.Msg {
		v, err := svc.FindTermsVersion(ctx, id)
		return checkedMsg{gen: gen, V: v, Err: err}
	}
}

func (m *Model) checked(msg checkedMsg) tea.Cmd {
	es := m.edit
	if es == nil || msg.gen != es.gen || msg.Err != nil || es.saving {
		return nil
	}
	if msg.V.Version != es.v.Version || msg.V.State != es.v.State {
		if !es.ed.Modified() {
			// Nothing typed would be lost: show the draft as it is now.
			return m.readCmd(true)
		}
		es.stale = true
	}
	return nil
}

func (m *Model) closeEditor() tea.Cmd {
	m.edit, m.mode = nil, modeList
	return m.loadCmd()
}

// editView draws the header, the editor and the message line.
func (m *Model) editView(w, h int) string {
	c, st, es := m.c, m.c.Styles, m.edit
	v := es.v
	kind := "tui.terms.edit.title_draft"
	if es.readOnly {
		kind = "tui.terms.edit.title_read"
	}
	title := st.Title.Render(c.T(kind, v.Number, c.T("terms.state."+string(v.State))))
	if !es.loaded {
		return common.FitBlock(title+"\n"+st.Muted.Render(c.T("tui.loading"))+"\n"+st.Error.Render(es.note), w, h)
	}
	line, col := es.ed.Cursor()
	state := ""
	switch {
	case es.readOnly:
		state = c.T("tui.terms.edit.read_only_short")
	case es.saving:
		state = c.T("tui.terms.edit.saving")
	case es.ed.Modified():
		state = c.T("tui.terms.edit.unsaved")
	default:
		state = c.T("tui.terms.edit.all_saved")
	}
	right := c.T("tui.terms.edit.position", line+1, es.ed.LineCount(), col+1) + " · " +
		c.T("tui.terms.edit.size", kib(es.ed.Size()), kib(domain.MaxTermsText)) + " · " + state
	full := title + " " + st.Muted.Render(common.Show(v.Title))
	if ansi.StringWidth(full)+ansi.StringWidth(right)+1 > w {
		// No room for the version's title: the position and the state
		// matter more.
		full = title
	}
	header := common.SpreadLine(full, st.Muted.Render(right), w)

	var bottom []string
	add := func(style func(...string) string, s string) {
		for _, l := range strings.Split(common.WrapAtSpaces(s, w), "\n") {
			bottom = append(bottom, style(l))
		}
	}
	switch {
	case es.prompt == promptLeave:
		add(st.Banner.Render, c.T("tui.terms.edit.leave_prompt"))
	case es.prompt == promptReload:
		add(st.Banner.Render, c.T("tui.terms.edit.reload_prompt"))
	case es.conflict:
		add(st.Error.Render, c.T("tui.terms.edit.conflict"))
	case es.stale:
		add(st.Error.Render, c.T("tui.terms.edit.stale"))
	}
	if es.note != "" {
		if es.noteErr {
			add(st.Error.Render, es.note)
		} else {
			add(st.OK.Render, es.note)
		}
	}
	if len(bottom) == 0 {
		bottom = []string{""}
	}
	bottom = bottom[:min(len(bottom), 3)]
	edH := max(h-1-len(bottom), 1)
	es.ed.SetSize(w, edH)
	return common.FitBlock(header+"\n"+es.ed.View()+"\n"+strings.Join(bottom, "\n"), w, h)
}
