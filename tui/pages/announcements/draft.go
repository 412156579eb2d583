package announcements

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// The draft's form: the kind, title, body, audience, start, end, affected
// services and whether to e-mail the audience. Field ids are the domain's
// field names, so that a problem the service finds shows under its field.

const fEmail = "email"

var kinds = []domain.AnnouncementKind{domain.AnnouncementNews, domain.AnnouncementDowntime}

// kept is what was typed into a draft's form that was left without
// saving, for the version of the announcement it was typed over.
type kept struct {
	version int64
	draft   form.Draft
}

// newDraftForm returns the form for a new draft (a nil) or for draft a.
func newDraftForm(c *common.Common, a *domain.Announcement) *form.Model {
	var kindCodes, audiences []string
	for _, k := range kinds {
		kindCodes = append(kindCodes, string(k))
	}
	for _, r := range domain.AnnouncementAudiences {
		audiences = append(audiences, string(r))
	}
	title, args := "tui.ann.new_title", []any(nil)
	if a != nil {
		title, args = "tui.ann.edit_title", []any{a.ID}
	}
	f := form.New(c, title, args,
		form.Field{ID: domain.FieldKind, Label: "tui.ann.field.kind", Kind: form.Choice, Options: kindCodes, OptionKey: "announcement.kind."},
		form.Field{ID: domain.FieldTitle, Label: "tui.ann.field.title", Limit: domain.AnnouncementTitleMaxLength},
		form.Field{ID: domain.FieldBody, Label: "tui.ann.field.body", Hint: "tui.ann.hint.body", Kind: form.Area,
			Limit: domain.AnnouncementBodyMaxLength, Rows: 8},
		form.Field{ID: domain.FieldAudience, Label: "tui.ann.field.audience", Kind: form.Checklist, Options: audiences,
			OptionKey: "tui.prole.", NoneNote: "tui.ann.audience.empty_means_everyone"},
		form.Field{ID: domain.FieldStartsAt, Label: "tui.ann.field.starts", Hint: "tui.ann.hint.time", Kind: form.DateTime},
		form.Field{ID: domain.FieldEndsAt, Label: "tui.ann.field.ends", Hint: "tui.ann.hint.time", Kind: form.DateTime},
		form.Field{ID: domain.FieldServices, Label: "tui.ann.field.services", Hint: "tui.ann.hint.services",
			Limit: domain.AnnouncementServicesMaxLength},
		form.Field{ID: fEmail, Label: "tui.ann.field.email", Kind: form.Checkbox, Caption: "tui.ann.email_option"},
	).WithSave("tui.ann.key.save")
	if a == nil {
		return f
	}
	// Stored text is drawn plain, as everywhere.
	f.SetValue(domain.FieldKind, string(a.Kind))
	f.SetValue(domain.FieldTitle, common.PlainLine(a.Title))
	f.SetValue(domain.FieldBody, common.PlainText(a.Body))
	f.SetValue(domain.FieldAudience, strings.Join(a.Audience, ","))
	if !a.StartsAt.IsZero() {
		f.SetValue(domain.FieldStartsAt, a.StartsAt.Local().Format(form.DateTimeLayout))
	}
	if !a.EndsAt.IsZero() {
		f.SetValue(domain.FieldEndsAt, a.EndsAt.Local().Format(form.DateTimeLayout))
	}
	f.SetValue(domain.FieldServices, common.PlainLine(a.Services))
	if a.EmailAudience {
		f.SetValue(fEmail, "1")
	}
	f.Focus(domain.FieldKind)
	return f
}

// announcement reads the form; nil when the form found a problem (shown
// under its field).
func (m *Model) announcement() *domain.Announcement {
	s := m.sheet
	if !s.Check() {
		return nil
	}
	a := &domain.Announcement{
		Kind:          domain.AnnouncementKind(s.Value(domain.FieldKind)),
		Title:         s.Value(domain.FieldTitle),
		Body:          s.Value(domain.FieldBody),
		Audience:      s.Ticked(domain.FieldAudience),
		Services:      s.Value(domain.FieldServices),
		EmailAudience: s.Checked(fEmail),
	}
	if t := m.target; t != nil {
		a.ID, a.Version = t.ID, t.Version
	}
	// Check has read both times.
	a.StartsAt, _ = s.Time(domain.FieldStartsAt)
	a.EndsAt, _ = s.Time(domain.FieldEndsAt)
	return a
}

// openSheet opens the form for a new draft (a nil) or for draft a, with
// what was typed when it was last left, unless the draft has changed
// since.
func (m *Model) openSheet(a *domain.Announcement) tea.Cmd {
	s := newDraftForm(m.c, a)
	id, version := draftKey(a)
	if k, ok := m.drafts[id]; ok && k.version == version {
		s.Restore(k.draft)
	}
	m.sheet, m.target, m.mode = s, a, modeForm
	return clearStatus
}

func draftKey(a *domain.Announcement) (id, version int64) {
	if a == nil {
		return 0, 0
	}
	return a.ID, a.Version
}

func (m *Model) updateSheet(msg tea.KeyMsg) tea.Cmd {
	s := m.sheet
	res, cmd := s.Update(msg)
	switch res {
	case form.Cancel:
		// Keep what was typed: opening the same form again brings it back.
		id, version := draftKey(m.target)
		if m.drafts == nil {
			m.drafts = map[int64]kept{}
		}
		m.drafts[id] = kept{version: version, draft: s.Draft()}
		m.sheet, m.mode = nil, m.back
		if m.mode == modeForm {
			m.mode = modeList
		}
		return nil
	case form.Submit:
		a := m.announcement()
		if a == nil {
			return nil
		}
		s.Busy = true
		svc, ctx := m.c.Services.Announcements, m.c.Ctx
		return func() tea.Msg {
			err := svc.SaveAnnouncement(ctx, a)
			return DoneMsg{act: actSave, ID: a.ID, Err: err}
		}
	}
	return cmd
}
