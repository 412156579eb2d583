package rolerequests

import (
	"context"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/queue"
)

// Field ids of the forms.
const (
	fDate    = "valid_until"
	fReason  = "reason"
	fText    = "text"
	fMessage = "message"
)

// dateLayout is how a validity end is typed.
const dateLayout = "2006-01-02"

// config is the queue's configuration as the service decides by it.
func (m *Model) config() domain.RoleRequestConfig {
	return m.c.Services.RoleRequests.RoleRequestConfig()
}

// actions are what a reviewer does to the open request. A decision is made
// by the reviewer holding the request; approving asks for the role's end
// and a confirmation.
func (m *Model) actions() []act {
	svc := func() domain.RoleRequestService { return m.c.Services.RoleRequests }
	decide := func(run func(domain.RoleRequestService, context.Context, domain.Decision) error, d domain.Decision) queue.Send {
		s := svc()
		return queue.Call(func(ctx context.Context) error { return run(s, ctx, d) })
	}
	return []act{
		{Keys: keys("a"), Help: "tui.rr.key.approve", Rule: m.rule(domain.RoleRequestApprove), Held: true, Explains: true,
			Form: m.approveForm, Submit: m.approve, Confirm: m.confirmApproval, Done: "tui.rr.approved", After: queue.Leave},
		{Keys: keys("r"), Help: "tui.rr.key.reject", Rule: m.rule(domain.RoleRequestReject), Held: true,
			Form: m.rejectForm, Done: "tui.rr.rejected", After: queue.Leave,
			Submit: func(f *form.Model, o *open, version int64) queue.Send {
				d := domain.Decision{RequestID: o.ID, Version: version, ReasonCode: f.Value(fReason), ReasonText: f.Value(fText)}
				switch {
				case d.ReasonCode == "":
					f.SetErrorKey("tui.rr.reason_pick")
					return nil
				case d.ReasonCode == "other" && d.ReasonText == "":
					f.SetErrorKey("tui.rr.reason_text_required")
					return nil
				}
				return decide(domain.RoleRequestService.Reject, d)
			}},
		{Keys: keys("i"), Help: "tui.rr.key.info", Short: "tui.rr.short.info", Rule: m.rule(domain.RoleRequestAskInfo), Held: true,
			Form: m.infoForm, Done: "tui.rr.info_sent", After: queue.Leave,
			Submit: func(f *form.Model, o *open, version int64) queue.Send {
				if msg := queue.Required(f, fMessage, "tui.rr.message_required"); msg != "" {
					return decide(domain.RoleRequestService.RequestInfo, domain.Decision{RequestID: o.ID, Version: version, InfoMessage: msg})
				}
				return nil
			}},
		{Keys: keys("e"), Help: "tui.rr.key.resend", Short: "tui.rr.short.resend", Rule: m.rule(domain.RoleRequestResend),
			Done: "tui.rr.resent", After: queue.Reread,
			Send: func(o *open, _ int64) queue.Send {
				s, id := svc(), o.ID
				return queue.Call(func(ctx context.Context) error { return s.ResendConfirmation(ctx, id) })
			}},
		// A request taken over is the Agency's: it is held (quietly) unless
		// it is held already.
		{Keys: keys("t"), Help: "tui.rr.key.takeover", Short: "tui.rr.short.takeover", Rule: m.rule(domain.RoleRequestTakeOver),
			Form: m.takeOverForm, Done: "tui.rr.taken_over", After: queue.Reclaim,
			Submit: func(f *form.Model, o *open, version int64) queue.Send {
				if why := queue.Required(f, fReason, "tui.rr.reason_required"); why != "" {
					return decide(domain.RoleRequestService.TakeOver, domain.Decision{RequestID: o.ID, Version: version, ReasonText: why})
				}
				return nil
			}},
		// ¶29.3: after the limit the Agency may remind the institution
		// instead of taking the request over; it stays there.
		{Keys: keys("m"), Help: "tui.rr.key.remind", Short: "tui.rr.short.remind", Rule: m.rule(domain.RoleRequestRemind),
			Form: m.remindForm, Done: "tui.rr.reminded", After: queue.Reread,
			Submit: func(f *form.Model, o *open, version int64) queue.Send {
				return decide(domain.RoleRequestService.RemindInstitution, domain.Decision{RequestID: o.ID, Version: version, ReasonText: f.Value(fText)})
			}},
		{Keys: keys("c"), Help: "tui.queue.key.claim", Rule: m.rule(domain.RoleRequestClaim), Claims: true, Done: "tui.rr.claimed"},
		m.reveal(),
		m.assignmentAction(),
	}
}

func keys(k ...string) []string { return k }

// reveal is v: the whole personal code, with a reason that goes to the
// audit log.
func (m *Model) reveal() act {
	a := queue.Reveal(m.rule(domain.RoleRequestReveal), m.revealForm, "tui.rr.reason_required",
		func(ctx context.Context, id int64, reason string) (string, error) {
			return m.c.Services.RoleRequests.RevealPersonalCode(ctx, id, reason)
		}, "tui.rr.revealed")
	a.Help, a.Short = "tui.rr.key.reveal", "tui.rr.short.reveal"
	return a
}

// rule is the request's own rule for a (domain.RoleRequest.Allows, which
// storage asks too), two of its refusals worded with what the screen shows
// besides.
func (m *Model) rule(a domain.RoleRequestAction) func(*domain.RoleRequest) error {
	return func(r *domain.RoleRequest) error {
		if err := r.Allows(a, m.c.Operator.Ref(), m.c.Clock(), m.config()); err != nil {
			return m.explain(r, err)
		}
		return nil
	}
}

// explain words two of the rule's refusals with how long the request has
// waited at its institution, and from when the Agency may take it over.
// The others are shown as the rule gives them.
func (m *Model) explain(r *domain.RoleRequest, err error) error {
	why := func(key, msg string, args ...any) error { return domain.Errorf(domain.EINVALID, key, msg, args...) }
	switch from := r.TakeOverFrom(m.config()); domain.AsError(err).Key {
	case "rolerequest.at_institution":
		if !from.IsZero() && m.c.Clock().Before(from) {
			return why("tui.rr.why.at_institution_wait", "the institution decides it; waiting %s; it may be taken over from %s",
				m.c.Age(waitingSince(r)), timeText(from))
		}
		return why("tui.rr.why.at_institution", "the institution decides it; waiting %s", m.c.Age(waitingSince(r)))
	case "rolerequest.takeover_too_early":
		return why("tui.rr.why.takeover_early", "it may be taken over from %s", timeText(from))
	}
	return err
}

// sendForm gives a form the page's words for sending.
func sendForm(f *form.Model) *form.Model {
	return f.WithSave("tui.rr.key.send").WithBusy("tui.rr.sending")
}

func (m *Model) approveForm(o *open) *form.Model {
	f := sendForm(form.New(m.c, "tui.rr.approve_title", []any{o.ID, o.Item.ApplicantName()},
		form.Field{ID: fDate, Label: "tui.rr.field.valid_until", Hint: "tui.rr.hint.date", Kind: form.Date}))
	f.SetValue(fDate, m.defaultValidUntil().Format(dateLayout))
	return f
}

func (m *Model) rejectForm(o *open) *form.Model {
	return sendForm(form.New(m.c, "tui.rr.reject_title", []any{o.ID, o.Item.ApplicantName()},
		form.Field{ID: fReason, Label: "tui.rr.field.reason", Kind: form.Choice, List: true, Unset: true,
			Options: domain.RejectReasons, OptionKey: "rolerequest.reason."},
		form.Field{ID: fText, Label: "tui.rr.field.reason_text", Kind: form.Area, Limit: domain.MessageMaxLength, Rows: 4}))
}

func (m *Model) infoForm(o *open) *form.Model {
	return sendForm(form.New(m.c, "tui.rr.info_title", []any{o.ID, o.Item.ApplicantName()},
		form.Field{ID: fMessage, Label: "tui.rr.field.message", Kind: form.Area, Limit: domain.MessageMaxLength}))
}

func (m *Model) takeOverForm(o *open) *form.Model {
	r := o.Item
	return sendForm(form.New(m.c, "tui.rr.takeover_title", []any{r.ID},
		form.Field{ID: fReason, Label: "tui.rr.field.reason", Limit: domain.MessageMaxLength}).
		WithIntro("tui.rr.takeover_age", m.c.Age(waitingSince(r)), timeText(r.CreatedAt)))
}

func (m *Model) remindForm(o *open) *form.Model {
	r := o.Item
	return sendForm(form.New(m.c, "tui.rr.remind_title", []any{r.ID},
		form.Field{ID: fText, Label: "tui.rr.field.note", Limit: domain.MessageMaxLength}).
		WithIntro("tui.rr.remind_intro", timeText(waitingSince(r)), timeText(r.TakeOverFrom(m.config()))))
}

func (m *Model) revealForm(o *open) *form.Model {
	return sendForm(form.New(m.c, "tui.rr.reveal_title", []any{o.ID, o.Item.ApplicantName()},
		form.Field{ID: queue.ReasonField, Label: "tui.rr.field.reason", Limit: domain.RevealReasonMaxLength}).
		WithIntro("tui.rr.reveal_intro"))
}

// approve checks the date typed; the approval waits for confirmation.
func (m *Model) approve(f *form.Model, o *open, version int64) queue.Send {
	if !f.Check() {
		return nil
	}
	typed, _ := f.Time(fDate)
	t, key, args := m.parseValidUntil(typed)
	if key != "" {
		f.AddProblem(fDate, key, args...)
		return nil
	}
	m.validUntil = t
	s, d := m.c.Services.RoleRequests, domain.Decision{RequestID: o.ID, Version: version, ValidUntil: t}
	return queue.Call(func(ctx context.Context) error { return s.Approve(ctx, d) })
}

func (m *Model) confirmApproval(o *open, w int) []string {
	c, r := m.c, o.Item
	return queue.ConfirmLines(c, c.T("tui.rr.approve_title", r.ID, r.ApplicantName()),
		c.T("tui.rr.approve_confirm", r.ID, r.ApplicantName(), c.T("tui.rr.kind."+string(r.Form.Kind)), m.validUntil.Format(dateLayout)),
		c.T("tui.rr.approve_confirm_keys"), w)
}

// waitingSince is when a request began to wait at an institution: once
// its e-mail was confirmed, as the take-over limit counts.
func waitingSince(r *domain.RoleRequest) time.Time {
	if !r.EmailConfirmedAt.IsZero() {
		return r.EmailConfirmedAt
	}
	return r.CreatedAt
}

// defaultValidUntil is the date the approval form offers: the configured
// validity from today, or two years.
func (m *Model) defaultValidUntil() time.Time {
	now := m.c.Clock()
	if d := m.config().DefaultValidity; d > 0 {
		return dateOf(now.Add(d))
	}
	return dateOf(now.AddDate(2, 0, 0))
}

// dateOf is the calendar date of t, as midnight UTC.
func dateOf(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// parseValidUntil judges a validity end typed as a date (zero: none): a
// day after today and not absurdly far ahead. It returns a catalog key
// and its args on failure.
func (m *Model) parseValidUntil(t time.Time) (time.Time, string, []any) {
	today := dateOf(m.c.Clock())
	if t.IsZero() {
		return time.Time{}, "tui.rr.date.format", []any{m.defaultValidUntil().Format(dateLayout)}
	}
	t = dateOf(t)
	if !t.After(today) {
		return time.Time{}, "tui.rr.date.past", nil
	}
	limit := today.AddDate(10, 0, 0)
	if d := m.config().MaxValidity; d > 0 {
		limit = dateOf(today.Add(d))
	}
	if t.After(limit) {
		return time.Time{}, "tui.rr.date.far", []any{limit.Format(dateLayout)}
	}
	return t, "", nil
}
