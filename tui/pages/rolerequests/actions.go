package rolerequests

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
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
	if it == nil || it.busy || m.form != nil && m.form.busy {
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
	var s *sheet
	switch a {
	case actApprove:
		s = newSheet(c, "tui.rr.approve_title", []any{r.ID, name},
			&sheetField{id: fDate, label: "tui.rr.field.valid_until", hint: "tui.rr.hint.date", kind: lineField, limit: len(dateLayout)})
		s.setValue(fDate, m.defaultValidUntil().Format(dateLayout))
	case actReject:
		s = newSheet(c, "tui.rr.reject_title", []any{r.ID, name},
			&sheetField{id: fReason, label: "tui.rr.field.reason", kind: choiceField, choices: domain.RejectReasons, choiceKey: "rolerequest.reason."},
			&sheetField{id: fText, label: "tui.rr.field.reason_text", kind: areaField, limit: domain.MessageMaxLength, rows: 4})
	case actInfo:
		s = newSheet(c, "tui.rr.info_title", []any{r.ID, name},
			&sheetField{id: fMessage, label: "tui.rr.field.message", kind: areaField, limit: domain.MessageMaxLength})
	case actTakeOver:
		s = newSheet(c, "tui.rr.takeover_title", []any{r.ID},
			&sheetField{id: fReason, label: "tui.rr.field.reason", kind: lineField, limit: domain.MessageMaxLength})
		s.intro = []string{"tui.rr.takeover_age"}
		s.introA = [][]any{{c.Age(waitingSince(r)), timeText(r.CreatedAt)}}
	case actReveal:
		s = newSheet(c, "tui.rr.reveal_title", []any{r.ID, name},
			&sheetField{id: fReason, label: "tui.rr.field.reason", kind: lineField, limit: domain.RevealReasonMaxLength})
		s.intro = []string{"tui.rr.reveal_intro"}
		s.introA = [][]any{nil}
	default:
		return nil
	}
	for id, v := range it.drafts[a] {
		s.setValue(id, v)
	}
	m.form, m.act, m.mode = s, a, modeForm
	m.formVersion = r.Version
	return tea.Batch(clearStatus, s.setFocus(0))
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

// parseValidUntil reads a validity end: a real date after today and not
// absurdly far ahead. It returns a catalog key and its args on failure.
func (m *Model) parseValidUntil(s string) (time.Time, string, []any) {
	today := dateOf(m.c.Clock())
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, "tui.rr.date.format", []any{m.defaultValidUntil().Format(dateLayout)}
	}
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
	res, cmd := m.form.update(msg)
	switch res {
	case sheetCancel:
		// Keep what was typed: opening the same form again brings it back.
		if m.item != nil {
			m.item.drafts[m.act] = m.form.values()
		}
		m.form, m.mode = nil, modeDetail
		m.layoutDetail()
		return nil
	case sheetSubmit:
		return m.submit()
	}
	return cmd
}

// submit checks what the screen can check and sends the action; nothing
// in the form is lost when either fails.
func (m *Model) submit() tea.Cmd {
	s, it := m.form, m.item
	s.setError(nil)
	svc, ctx := m.c.Services.RoleRequests, m.c.Ctx
	d := domain.Decision{RequestID: it.ID, Version: m.formVersion}
	var run func() error
	switch m.act {
	case actApprove:
		t, key, args := m.parseValidUntil(s.value(fDate))
		if key != "" {
			s.setErrorKey(key, args...)
			return nil
		}
		m.validUntil, m.mode = t, modeConfirm
		return nil
	case actReject:
		d.ReasonCode, d.ReasonText = s.value(fReason), s.value(fText)
		switch {
		case d.ReasonCode == "":
			s.setErrorKey("tui.rr.reason_pick")
			return nil
		case d.ReasonCode == "other" && d.ReasonText == "":
			s.setErrorKey("tui.rr.reason_text_required")
			return nil
		}
		run = func() error { return svc.Reject(ctx, d) }
	case actInfo:
		if d.InfoMessage = s.value(fMessage); d.InfoMessage == "" {
			s.setErrorKey("tui.rr.message_required")
			return nil
		}
		run = func() error { return svc.RequestInfo(ctx, d) }
	case actTakeOver:
		if d.ReasonText = s.value(fReason); d.ReasonText == "" {
			s.setErrorKey("tui.rr.reason_required")
			return nil
		}
		run = func() error { return svc.TakeOver(ctx, d) }
	case actReveal:
		reason := s.value(fReason)
		if reason == "" {
			s.setErrorKey("tui.rr.reason_required")
			return nil
		}
		s.busy = true
		return m.revealCmd(it.ID, reason)
	}
	s.busy = true
	return m.doCmd(m.act, run)
}

// approve sends the confirmed approval.
func (m *Model) approve() tea.Cmd {
	svc, ctx := m.c.Services.RoleRequests, m.c.Ctx
	d := domain.Decision{RequestID: m.item.ID, Version: m.formVersion, ValidUntil: m.validUntil}
	m.mode = modeForm
	m.form.busy = true
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
		m.form.busy = false
	}
	if msg.Err != nil {
		if formOpen {
			m.form.setError(msg.Err)
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
