package rolerequests

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// action is something the reviewer does to the open request.
type action int

const (
	actApprove action = iota
	actReject
	actInfo
	actResend
	actTakeOver
	actReveal
	actClaim
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

// rules are the domain actions the screen's actions are.
var rules = map[action]domain.RoleRequestAction{
	actApprove: domain.RoleRequestApprove, actReject: domain.RoleRequestReject, actInfo: domain.RoleRequestAskInfo,
	actResend: domain.RoleRequestResend, actTakeOver: domain.RoleRequestTakeOver, actReveal: domain.RoleRequestReveal,
	actClaim: domain.RoleRequestClaim,
}

// unavailable says why a cannot be done to the open request now, or nil.
// The reason is a domain error so that the status line shows it like any
// other.
func (m *Model) unavailable(a action) error {
	it := m.item
	if it == nil || it.busy || m.form != nil && m.form.Busy {
		return domain.Errorf(domain.EINVALID, "tui.rr.why.busy", "the previous action has not finished")
	}
	return m.blocker(a)
}

// blocker is unavailable without the wait for an action under way: the
// request's own rule (domain.RoleRequest.Allows, which storage asks too),
// and then the screen's own step: a decision is made on a request the
// reviewer holds.
func (m *Model) blocker(a action) error {
	it := m.item
	if err := it.req.Allows(rules[a], m.c.Operator.Ref(), m.c.Clock(), m.config()); err != nil {
		return m.explain(err)
	}
	switch a {
	case actApprove, actReject, actInfo:
		if !it.Owned {
			return domain.Errorf(domain.EINVALID, "tui.rr.why.not_claimed", "claim the request first")
		}
	}
	return nil
}

// explain words two of the rule's refusals with what the screen shows
// besides: how long the request has waited at its institution, and from
// when the Agency may take it over. The others are shown as the rule
// gives them.
func (m *Model) explain(err error) error {
	r, cfg := m.item.req, m.config()
	why := func(key, msg string, args ...any) error { return domain.Errorf(domain.EINVALID, key, msg, args...) }
	switch domain.AsError(err).Key {
	case "rolerequest.at_institution":
		if from := r.TakeOverFrom(cfg); !from.IsZero() && m.c.Clock().Before(from) {
			return why("tui.rr.why.at_institution_wait", "the institution decides it; waiting %s; it may be taken over from %s",
				m.c.Age(waitingSince(r)), timeText(from))
		}
		return why("tui.rr.why.at_institution", "the institution decides it; waiting %s", m.c.Age(waitingSince(r)))
	case "rolerequest.takeover_too_early":
		return why("tui.rr.why.takeover_early", "it may be taken over from %s", timeText(r.TakeOverFrom(cfg)))
	}
	return err
}

// start begins action a: a form, or at once for those that need none.
func (m *Model) start(a action) tea.Cmd {
	if err := m.unavailable(a); err != nil {
		return errorCmd(err)
	}
	it := m.item
	switch a {
	case actClaim:
		if it.Owned {
			return nil
		}
		return m.readCmd(whyClaim, true)
	case actResend:
		it.busy = true
		svc, ctx, id := m.c.Services.RoleRequests, m.c.Ctx, it.ID
		return m.doCmd(a, func() error { return svc.ResendConfirmation(ctx, id) })
	case actReveal:
		if it.revealed {
			return nil
		}
	}
	return m.openForm(a)
}

func (m *Model) openForm(a action) tea.Cmd {
	c, it := m.c, m.item
	r := it.req
	name := r.ApplicantName()
	var s *form.Model
	switch a {
	case actApprove:
		s = form.New(c, "tui.rr.approve_title", []any{r.ID, name},
			form.Field{ID: fDate, Label: "tui.rr.field.valid_until", Hint: "tui.rr.hint.date", Kind: form.Date})
		s.SetValue(fDate, m.defaultValidUntil().Format(dateLayout))
	case actReject:
		s = form.New(c, "tui.rr.reject_title", []any{r.ID, name},
			form.Field{ID: fReason, Label: "tui.rr.field.reason", Kind: form.Choice, List: true, Unset: true,
				Options: domain.RejectReasons, OptionKey: "rolerequest.reason."},
			form.Field{ID: fText, Label: "tui.rr.field.reason_text", Kind: form.Area, Limit: domain.MessageMaxLength, Rows: 4})
	case actInfo:
		s = form.New(c, "tui.rr.info_title", []any{r.ID, name},
			form.Field{ID: fMessage, Label: "tui.rr.field.message", Kind: form.Area, Limit: domain.MessageMaxLength})
	case actTakeOver:
		s = form.New(c, "tui.rr.takeover_title", []any{r.ID},
			form.Field{ID: fReason, Label: "tui.rr.field.reason", Limit: domain.MessageMaxLength}).
			WithIntro("tui.rr.takeover_age", c.Age(waitingSince(r)), timeText(r.CreatedAt))
	case actReveal:
		s = form.New(c, "tui.rr.reveal_title", []any{r.ID, name},
			form.Field{ID: fReason, Label: "tui.rr.field.reason", Limit: domain.RevealReasonMaxLength}).
			WithIntro("tui.rr.reveal_intro")
	default:
		return nil
	}
	s.WithSave("tui.rr.key.send").WithBusy("tui.rr.sending")
	s.Restore(it.drafts[a])
	m.form, m.act, m.mode = s, a, modeForm
	m.formVersion = r.Version
	return clearStatus
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

func (m *Model) updateForm(msg tea.KeyMsg) tea.Cmd {
	res, cmd := m.form.Update(msg)
	switch res {
	case form.Cancel:
		// Keep what was typed: opening the same form again brings it back.
		if m.item != nil {
			m.item.drafts[m.act] = m.form.Draft()
		}
		m.form, m.mode = nil, modeDetail
		m.layoutDetail()
		return nil
	case form.Submit:
		return m.submit()
	}
	return cmd
}

// submit checks what the screen can check and sends the action; nothing
// in the form is lost when either fails.
func (m *Model) submit() tea.Cmd {
	s, it := m.form, m.item
	s.SetError(nil)
	svc, ctx := m.c.Services.RoleRequests, m.c.Ctx
	d := domain.Decision{RequestID: it.ID, Version: m.formVersion}
	var run func() error
	switch m.act {
	case actApprove:
		if !s.Check() {
			return nil
		}
		typed, _ := s.Time(fDate)
		t, key, args := m.parseValidUntil(typed)
		if key != "" {
			s.AddProblem(fDate, key, args...)
			return nil
		}
		m.validUntil, m.mode = t, modeConfirm
		return nil
	case actReject:
		d.ReasonCode, d.ReasonText = s.Value(fReason), s.Value(fText)
		switch {
		case d.ReasonCode == "":
			s.SetErrorKey("tui.rr.reason_pick")
			return nil
		case d.ReasonCode == "other" && d.ReasonText == "":
			s.SetErrorKey("tui.rr.reason_text_required")
			return nil
		}
		run = func() error { return svc.Reject(ctx, d) }
	case actInfo:
		if d.InfoMessage = s.Value(fMessage); d.InfoMessage == "" {
			s.SetErrorKey("tui.rr.message_required")
			return nil
		}
		run = func() error { return svc.RequestInfo(ctx, d) }
	case actTakeOver:
		if d.ReasonText = s.Value(fReason); d.ReasonText == "" {
			s.SetErrorKey("tui.rr.reason_required")
			return nil
		}
		run = func() error { return svc.TakeOver(ctx, d) }
	case actReveal:
		reason := s.Value(fReason)
		if reason == "" {
			s.SetErrorKey("tui.rr.reason_required")
			return nil
		}
		s.Busy = true
		return m.revealCmd(it.ID, reason)
	}
	s.Busy = true
	return m.doCmd(m.act, run)
}

// approve sends the confirmed approval.
func (m *Model) approve() tea.Cmd {
	svc, ctx := m.c.Services.RoleRequests, m.c.Ctx
	d := domain.Decision{RequestID: m.item.ID, Version: m.formVersion, ValidUntil: m.validUntil}
	m.mode = modeForm
	m.form.Busy = true
	return m.doCmd(actApprove, func() error { return svc.Approve(ctx, d) })
}

// revealCmd asks the service for the whole personal code with the
// reason: it records the look (¶19, ¶20) and counts it toward the misuse
// alert in the same call, so the code is shown only once that is done.
func (m *Model) revealCmd(id int64, reason string) tea.Cmd {
	svc, ctx, gen := m.c.Services.RoleRequests, m.c.Ctx, m.item.Gen
	return func() tea.Msg {
		code, err := svc.RevealPersonalCode(ctx, id, reason)
		return DoneMsg{gen: gen, act: actReveal, ID: id, Code: code, Err: err}
	}
}

func (m *Model) doCmd(a action, run func() error) tea.Cmd {
	gen, id := m.item.Gen, m.item.ID
	return func() tea.Msg { return DoneMsg{gen: gen, act: a, ID: id, Err: run()} }
}

// done takes in the result of an action. A failure keeps the form as it
// was, shows the error there and in the status line, and on a conflict
// reads the request again to say who got there first.
func (m *Model) done(msg DoneMsg) tea.Cmd {
	it := m.item
	if it == nil || msg.gen != it.Gen {
		if msg.Err != nil {
			return errorCmd(msg.Err)
		}
		return nil
	}
	it.busy = false
	formOpen := m.form != nil && m.act == msg.act
	if formOpen {
		m.form.Busy = false
	}
	if msg.Err != nil {
		if formOpen {
			m.form.SetError(msg.Err)
		}
		cmds := []tea.Cmd{errorCmd(msg.Err)}
		if domain.ErrorCode(msg.Err) == domain.ECONFLICT {
			m.conflictAct = msg.act
			cmds = append(cmds, m.readCmd(whyConflict, false))
		}
		return tea.Batch(cmds...)
	}
	delete(it.drafts, msg.act)
	if formOpen {
		m.form, m.mode = nil, modeDetail
	}
	switch msg.act {
	case actApprove, actReject, actInfo:
		// The decision gave the claim back; the request leaves the desk.
		status := map[action]string{actApprove: "tui.rr.approved", actReject: "tui.rr.rejected", actInfo: "tui.rr.info_sent"}[msg.act]
		m.item, m.form, m.mode = nil, nil, modeList
		return tea.Batch(common.StatusCmd(status, msg.ID), m.reload())
	case actResend:
		return tea.Batch(common.StatusCmd("tui.rr.resent", msg.ID), m.readCmd(whyReread, false))
	case actTakeOver:
		// Now the Agency's: hold it (quietly), unless it is held already.
		return tea.Batch(common.StatusCmd("tui.rr.taken_over", msg.ID), m.readCmd(whyOpen, !it.Owned))
	case actReveal:
		it.revealed, it.code = true, msg.Code
		m.layoutDetail()
		return common.StatusCmd("tui.rr.revealed")
	}
	return nil
}
