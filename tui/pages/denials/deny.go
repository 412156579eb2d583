package denials

import (
	"strconv"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/components/form"
)

// The form of a new denial: the subject's kind and number, the ground
// (the eight of ¶32 by their clause), a required note and optional
// evidence. Field ids are also the domain.Problem fields the service may
// name.
const (
	fKind     = "kind"
	fSubject  = "subject"
	fGround   = "ground"
	fNote     = "note"
	fEvidence = "evidence"
)

// subjectLimit is the most digits of a subject's number (an int64).
const subjectLimit = 19

// openSheet opens the form of a new denial, with what was typed when it
// was last left.
func (m *Model) openSheet() tea.Cmd {
	var kinds, grounds []string
	for _, k := range subjectKinds {
		kinds = append(kinds, string(k))
	}
	for _, g := range domain.Grounds {
		grounds = append(grounds, string(g))
	}
	f := form.New(m.c, "tui.den.deny_title", nil,
		form.Field{ID: fKind, Label: "tui.den.field.kind", Kind: form.Choice, Options: kinds, OptionKey: "tui.den.kind."},
		form.Field{ID: fSubject, Label: "tui.den.field.subject", Hint: "tui.den.hint.subject", Limit: subjectLimit},
		form.Field{ID: fGround, Label: "tui.den.field.ground", Kind: form.Choice, Options: grounds, OptionKey: "tui.den.ground."},
		form.Field{ID: fNote, Label: "tui.den.field.note", Limit: domain.MessageMaxLength, Required: "tui.den.note_required"},
		form.Field{ID: fEvidence, Label: "tui.den.field.evidence", Hint: "tui.den.hint.evidence", Limit: domain.MessageMaxLength},
	).WithSave("tui.den.key.save")
	f.Restore(m.draft)
	m.sheet, m.mode = f, modeForm
	m.noteKind()
	return clearStatus
}

// noteKind says under the form when the denial takes effect: a denial of
// an agency employee waits for a second officer.
func (m *Model) noteKind() {
	if domain.SubjectKind(m.sheet.Value(fKind)) == domain.SubjectOperator {
		m.sheet.SetNote("tui.den.operator_waits")
	} else {
		m.sheet.SetNote("tui.den.takes_effect")
	}
}

func (m *Model) updateSheet(msg tea.KeyMsg) tea.Cmd {
	s := m.sheet
	res, cmd := s.Update(msg)
	m.noteKind()
	switch res {
	case form.Cancel:
		// Keep what was typed: opening the form again brings it back.
		m.draft = s.Draft()
		m.sheet, m.mode = nil, modeList
		return nil
	case form.Submit:
		subject, err := strconv.ParseInt(s.Value(fSubject), 10, 64)
		ok := s.Check()
		if err != nil || subject <= 0 {
			s.AddProblem(fSubject, "tui.den.subject_number")
			ok = false
		}
		if !ok {
			return nil
		}
		kind, ground := domain.SubjectKind(s.Value(fKind)), domain.Ground(s.Value(fGround))
		note, evidence := s.Value(fNote), s.Value(fEvidence)
		s.Busy = true
		svc, ctx := m.c.Services.Denials, m.c.Ctx
		return func() tea.Msg {
			d, err := svc.Deny(ctx, kind, subject, ground, note, evidence)
			msg := DoneMsg{act: actDeny, Denial: d, Err: err}
			if d != nil {
				msg.ID = d.ID
			}
			return msg
		}
	}
	return cmd
}
