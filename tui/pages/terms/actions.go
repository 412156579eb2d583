package terms

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// Field ids of the new draft's form.
const (
	fNumber = "number"
	fTitle  = "title"
	fNote   = "note" // the summary of a submission, or the note of a return
)

// start begins action a on v (nil only for a new draft).
func (m *Model) start(a action, v *domain.TermsVersion) tea.Cmd {
	if v != nil {
		if err := m.blocker(a, v); err != nil {
			return errorCmd(err)
		}
	}
	switch a {
	case actNew:
		return m.openNewForm()
	case actOpen:
		return m.openEditor(v)
	case actDiff:
		return m.openDiff(v)
	case actAccept:
		return m.openAccept(v)
	case actSubmit:
		m.note = form.New(m.c, "tui.terms.submit_title", []any{v.Number},
			form.Field{ID: fNote, Label: "tui.terms.field.summary", Hint: "tui.terms.hint.summary", Kind: form.Area,
				Limit: domain.TermsSummaryMaxLength, Rows: 8, Required: "tui.terms.summary_required"}).
			WithIntro("tui.terms.submit_intro").WithSave("tui.terms.key.send_submit").WithBusy("tui.terms.sending")
		m.note.SetValue(fNote, common.PlainText(v.Summary))
	case actReturn:
		m.note = form.New(m.c, "tui.terms.return_title", []any{v.Number},
			form.Field{ID: fNote, Label: "tui.terms.field.note", Hint: "tui.terms.hint.note", Kind: form.Area,
				Limit: domain.MessageMaxLength, Rows: 8, Required: "tui.terms.note_required"}).
			WithIntro("tui.terms.return_intro", nameOr(v.DraftedByName, v.DraftedBy)).
			WithSave("tui.terms.key.send_return").WithBusy("tui.terms.sending")
	case actPublish:
		m.target, m.mode, m.busy = v, modeConfirm, false
		return clearStatus
	}
	cp := *v
	m.target, m.noteOf, m.mode = &cp, a, modeNote
	return clearStatus
}

// openNewForm asks for the new draft's number and title, offering the
// next number of the year and the title in force.
func (m *Model) openNewForm() tea.Cmd {
	m.form = form.New(m.c, "tui.terms.new_title", nil,
		form.Field{ID: fNumber, Label: "tui.terms.field.number", Hint: "tui.terms.hint.number", Limit: domain.TermsNumberMaxLength},
		form.Field{ID: fTitle, Label: "tui.terms.field.title", Limit: domain.TermsTitleMaxLength},
	)
	m.form.SetValue(fNumber, m.nextNumber())
	if cur := m.inForce(); cur != nil {
		m.form.SetValue(fTitle, common.PlainLine(cur.Title))
	} else {
		m.form.SetValue(fTitle, m.c.T("tui.terms.default_title"))
	}
	m.mode, m.target = modeForm, nil
	return clearStatus
}

// nextNumber is "year-n", n one more than the versions numbered so this
// year.
func (m *Model) nextNumber() string {
	year := m.c.Clock().Year()
	prefix := fmt.Sprintf("%d-", year)
	n := 1
	for _, v := range m.rows {
		if rest, ok := strings.CutPrefix(v.Number, prefix); ok {
			var k int
			if _, err := fmt.Sscanf(rest, "%d", &k); err == nil && k >= n {
				n = k + 1
			}
		}
	}
	return fmt.Sprintf("%s%d", prefix, n)
}

func (m *Model) updateForm(msg tea.KeyMsg) tea.Cmd {
	res, cmd := m.form.Update(msg)
	switch res {
	case form.Cancel:
		m.form, m.mode = nil, modeList
		return nil
	case form.Submit:
		number, title := strings.TrimSpace(m.form.Value(fNumber)), strings.TrimSpace(m.form.Value(fTitle))
		if number == "" {
			m.form.SetErrorKey("tui.terms.number_required")
			return nil
		}
		if title == "" {
			m.form.SetErrorKey("tui.terms.title_required")
			return nil
		}
		m.form.SetError(nil)
		m.form.Busy = true
		svc, ctx := m.c.Services.Terms, m.c.Ctx
		return func() tea.Msg {
			v, err := svc.StartTermsDraft(ctx, number, title)
			return DoneMsg{act: actNew, V: v, Err: err}
		}
	}
	return cmd
}

func (m *Model) updateNote(msg tea.KeyMsg) tea.Cmd {
	res, cmd := m.note.Update(msg)
	switch res {
	case form.Cancel:
		m.note, m.mode, m.target = nil, modeList, nil
		return nil
	case form.Submit:
		if !m.note.Check() {
			return nil
		}
		text := m.note.Value(fNote)
		m.note.Busy = true
		if m.noteOf == actSubmit {
			return m.submitCmd(m.target, text)
		}
		svc, ctx, id := m.c.Services.Terms, m.c.Ctx, m.target.ID
		return func() tea.Msg { return DoneMsg{act: actReturn, ID: id, Err: svc.ReturnTermsDraft(ctx, id, text)} }
	}
	return cmd
}

// submitCmd saves the summary into the draft as the list showed it and
// submits it: a draft changed meanwhile is a conflict, not overwritten.
func (m *Model) submitCmd(seen *domain.TermsVersion, summary string) tea.Cmd {
	svc, ctx, id, version := m.c.Services.Terms, m.c.Ctx, seen.ID, seen.Version
	return func() tea.Msg {
		done := func(err error) tea.Msg { return DoneMsg{act: actSubmit, ID: id, Err: err} }
		v, err := svc.FindTermsVersion(ctx, id)
		if err != nil {
			return done(err)
		}
		if v.Version != version || v.State != domain.TermsDraft {
			return done(domain.Errorf(domain.ECONFLICT, "terms.changed", "the draft was changed meanwhile"))
		}
		if v.Summary != summary {
			v.Summary = summary
			if v, err = saveDraft(ctx, svc, v); err != nil {
				return done(err)
			}
		}
		v.Text = ""
		// V is the draft as this submission left it, so that a retry after
		// a refusal starts from the summary it saved.
		return DoneMsg{act: actSubmit, ID: id, V: v, Err: svc.SubmitTermsDraft(ctx, id, v.Version)}
	}
}

// saveDraft saves v and returns it with the version the save gave it.
// When the service does not write the new version back into v, the draft
// is read again: its text must be the one just saved, or another save
// came in between and this one is reported as a conflict.
func saveDraft(ctx context.Context, svc domain.TermsService, v *domain.TermsVersion) (*domain.TermsVersion, error) {
	before := v.Version
	if err := svc.SaveTermsDraft(ctx, v); err != nil {
		return nil, err
	}
	if v.Version != before {
		return v, nil
	}
	got, err := svc.FindTermsVersion(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	if got.State != domain.TermsDraft || got.Text != v.Text || got.Title != v.Title || got.Summary != v.Summary {
		return nil, domain.Errorf(domain.ECONFLICT, "terms.changed", "the draft was changed meanwhile")
	}
	v.Version, v.UpdatedAt = got.Version, got.UpdatedAt
	return v, nil
}

func (m *Model) updateConfirm(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		if !m.busy {
			m.mode, m.target = modeList, nil
		}
		return nil
	case key.Matches(msg, m.keys.Confirm):
		if m.busy {
			return nil
		}
		m.busy = true
		svc, ctx, id := m.c.Services.Terms, m.c.Ctx, m.target.ID
		return func() tea.Msg { return DoneMsg{act: actPublish, ID: id, Err: svc.ApproveAndPublish(ctx, id)} }
	}
	return nil
}

// done takes in the result of an action. A failure keeps the form or the
// note as typed and shows why; a conflict reads the list again.
func (m *Model) done(msg DoneMsg) tea.Cmd {
	if msg.Err != nil {
		switch {
		case msg.act == actNew && m.form != nil:
			m.form.Busy = false
			m.form.SetError(msg.Err)
		case (msg.act == actSubmit || msg.act == actReturn) && m.note != nil:
			m.note.Busy = false
			m.note.SetError(msg.Err)
			if msg.V != nil && m.target != nil && m.target.ID == msg.V.ID {
				m.target.Version, m.target.Summary = msg.V.Version, msg.V.Summary
			}
		case msg.act == actPublish && m.mode == modeConfirm:
			m.busy = false
			m.mode, m.target = modeList, nil
		}
		return tea.Batch(errorCmd(msg.Err), m.loadCmd())
	}
	switch msg.act {
	case actNew:
		m.form, m.mode = nil, modeList
		return tea.Batch(common.StatusCmd("tui.terms.started", msg.V.Number), m.loadCmd(), m.openEditor(msg.V))
	case actSubmit:
		number := m.target.Number
		m.note, m.mode, m.target = nil, modeList, nil
		return tea.Batch(common.StatusCmd("tui.terms.submitted", number), m.loadCmd())
	case actReturn:
		number := m.target.Number
		m.note, m.mode, m.target = nil, modeList, nil
		return tea.Batch(common.StatusCmd("tui.terms.returned", number), m.loadCmd())
	case actPublish:
		number := m.target.Number
		m.busy, m.mode, m.target = false, modeList, nil
		return tea.Batch(common.StatusCmd("tui.terms.published", number), m.loadCmd())
	}
	return nil
}
