// Package announcements is the editors' screen for announcements (¶23):
// news and planned downtime, for every Platform user or for chosen
// roles. It lists them with their kind, state, audience and time; a draft
// is written and changed in a form that shows each problem under its
// field; a draft is published after a confirmation (and e-mailed to its
// audience when asked); a published one is withdrawn with a reason. The
// screen is a listview.Spec.
package announcements

import (
	"context"
	"strconv"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

type ann = *domain.Announcement

// Model is the announcements page.
type Model = listview.Model[ann]

// screen is what the page's spec reads and renders with.
type screen struct{ c *common.Common }

// New returns the page. It reads nothing until Init.
func New(c *common.Common) *Model {
	s := screen{c}
	svc := func() domain.AnnouncementService { return c.Services.Announcements }
	return listview.New(c, listview.Spec[ann]{
		Allowed:  func(op *domain.Operator) bool { return op != nil && op.HasRole(domain.RoleEditor) },
		RoleOnly: "tui.ann.editor_only",
		Topic:    domain.TopicAnnouncement,
		None:     "tui.ann.none",
		ID:       func(a ann) int64 { return a.ID },
		Version:  func(a ann) int64 { return a.Version },
		Load: listview.Reads(func() bool { return svc() != nil }, func(ctx context.Context) ([]ann, error) {
			return svc().ListAnnouncements(ctx)
		}),
		Columns: []listview.Column[ann]{
			{Title: "tui.ann.col.kind", Min: 11, Cell: func(a ann) string { return c.T("tui.ann.kind_short." + string(a.Kind)) }},
			{Title: "tui.ann.col.title", Min: 12, Weight: 4, Cell: func(a ann) string { return a.Title }},
			{Title: "tui.ann.col.state", Min: 10, Cell: func(a ann) string { return c.T("announcement.state." + string(a.State)) }},
			{Title: "tui.ann.col.audience", Min: 10, Weight: 1, Cell: func(a ann) string { return s.audienceShort(a.Audience) }},
			{Title: "tui.ann.col.when", Min: 17, Cell: func(a ann) string { return whenShort(a.StartsAt, a.EndsAt) }},
		},
		Summary:      s.summary,
		SummaryLines: 3,
		Detail:       s.detail,
		OpenHelp:     "tui.ann.key.open",
		Actions: []*listview.Action[ann]{{
			Keys: []string{"n"}, Help: "tui.ann.key.new", Free: true, Keep: true, Done: "tui.ann.saved",
			Form:   func(ann) *form.Model { return newDraftForm(c, nil) },
			Submit: func(f *form.Model, _ ann) listview.Send { return save(svc(), f, nil) },
		}, {
			Keys: []string{"e"}, Help: "tui.ann.key.edit", Keep: true, Close: true, Done: "tui.ann.saved",
			Rule:   draftOnly,
			Form:   func(a ann) *form.Model { return newDraftForm(c, a) },
			Submit: func(f *form.Model, a ann) listview.Send { return save(svc(), f, a) },
		}, {
			Keys: []string{"p"}, Help: "tui.ann.key.publish", Done: "tui.ann.published",
			Rule:    draftOnly,
			Confirm: s.confirm, Hint: "tui.ann.publish_keys", Busy: "tui.ann.publishing",
			Send: func(a ann) listview.Send {
				svc, id := svc(), a.ID
				return listview.Call(func(ctx context.Context) error { return svc.PublishAnnouncement(ctx, id) })
			},
		}, {
			Keys: []string{"w"}, Help: "tui.ann.key.withdraw", Done: "tui.ann.withdrawn",
			Rule: func(a ann) error {
				if a.State != domain.AnnouncementPublished {
					return why("tui.ann.why.not_published", "only a published announcement can be withdrawn")
				}
				return nil
			},
			Form: func(a ann) *form.Model {
				return form.New(c, "tui.ann.withdraw_title", []any{a.Title},
					form.Field{ID: "reason", Label: "tui.ann.field.reason", Limit: domain.MessageMaxLength})
			},
			Submit: func(f *form.Model, a ann) listview.Send {
				reason := common.PlainLine(f.Value("reason"))
				if reason == "" {
					f.SetErrorKey("tui.ann.reason_required")
					return nil
				}
				svc, id := svc(), a.ID
				return listview.Call(func(ctx context.Context) error { return svc.WithdrawAnnouncement(ctx, id, reason) })
			},
		}},
	})
}

func why(key, msg string) error { return &domain.Error{Code: domain.EINVALID, Key: key, Message: msg} }

// draftOnly is the rule of changing and publishing: a draft only.
func draftOnly(a ann) error {
	if a.State != domain.AnnouncementDraft {
		return why("tui.ann.why.not_draft", "only a draft can be changed or published")
	}
	return nil
}

// save is the call that saves the draft in form f: a new one (a nil) or
// draft a at the version seen; nil when the form found a problem.
func save(svc domain.AnnouncementService, f *form.Model, a ann) listview.Send {
	d := announcement(f, a)
	if d == nil {
		return nil
	}
	return listview.Call(func(ctx context.Context) error { return svc.SaveAnnouncement(ctx, d) })
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
