package announcements

import (
	"strings"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// The draft's form: the kind, title, body, audience, start, end, affected
// services and whether to e-mail the audience. Field ids are the domain's
// field names, so that a problem the service finds shows under its field.

const fEmail = "email"

var kinds = []domain.AnnouncementKind{domain.AnnouncementNews, domain.AnnouncementDowntime}

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

// announcement reads form f for a new draft (a nil) or draft a; nil when
// the form found a problem (shown under its field).
func announcement(f *form.Model, a ann) ann {
	if !f.Check() {
		return nil
	}
	d := &domain.Announcement{
		Kind:          domain.AnnouncementKind(f.Value(domain.FieldKind)),
		Title:         f.Value(domain.FieldTitle),
		Body:          f.Value(domain.FieldBody),
		Audience:      f.Ticked(domain.FieldAudience),
		Services:      f.Value(domain.FieldServices),
		EmailAudience: f.Checked(fEmail),
	}
	if a != nil {
		d.ID, d.Version = a.ID, a.Version
	}
	// Check has read both times.
	d.StartsAt, _ = f.Time(domain.FieldStartsAt)
	d.EndsAt, _ = f.Time(domain.FieldEndsAt)
	return d
}
