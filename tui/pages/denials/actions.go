package denials

import (
	"context"
	"strconv"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// pendingBy is the operator who asked for what d waits for: who raised a
// pending denial, or who asked for a pending lift.
func pendingBy(d *domain.Denial) int64 {
	if d.State == domain.DenialLiftPending {
		return d.LiftedBy
	}
	return d.RaisedBy
}

func isPending(d *domain.Denial) bool {
	return d.State == domain.DenialPendingApproval || d.State == domain.DenialLiftPending
}

// own reports whether d waits for a second officer on the signed-in
// operator's own request.
func (m *Model) own(d *domain.Denial) bool {
	return isPending(d) && m.c.Operator != nil && pendingBy(d) == m.c.Operator.ID
}

// liftable says why access cannot be restored on d, or nil.
func liftable(d *domain.Denial) error {
	if d.State != domain.DenialInForce {
		return &domain.Error{Code: domain.EINVALID, Key: "tui.den.why.not_in_force", Message: "access can only be restored while the denial is in force"}
	}
	return nil
}

// decidable says why what d waits for cannot be approved or refused by
// the signed-in officer, or nil: four eyes, one's own is another's to
// decide.
func (m *Model) decidable(d *domain.Denial) error {
	if !isPending(d) {
		return &domain.Error{Code: domain.EINVALID, Key: "tui.den.why.not_pending", Message: "only what awaits approval can be approved or refused"}
	}
	if m.own(d) {
		return &domain.Error{Code: domain.EFORBIDDEN, Key: "tui.den.why.own", Message: "another security officer approves what you raised"}
	}
	return nil
}

// reasonForm is the form of a lift's or a refusal's reason.
func (m *Model) reasonForm(title string, d *domain.Denial) *form.Model {
	return form.New(m.c, title, []any{d.ID}, form.Field{ID: "reason", Label: "tui.den.field.reason", Limit: domain.MessageMaxLength})
}

// reason is the reason typed, or "" with the problem shown in f.
func reason(f *form.Model) string {
	r := common.PlainLine(f.Value("reason"))
	if r == "" {
		f.SetErrorKey("tui.den.reason_required")
	}
	return r
}

// fNewPassword is the lift form's box: a new password at the next sign-in.
const fNewPassword = "new_password"

// liftAction restores access, with a reason; on a ground that needs four
// eyes the lift then waits for a second officer. A box ticked requires, in
// the same step, the institution password users the denial reaches to
// choose a new password at their next sign-in (¶32.3, ¶32.6).
func (m *Model) liftAction() *listview.Action[*domain.Denial] {
	return &listview.Action[*domain.Denial]{
		Keys: []string{"l"}, Help: "tui.den.key.lift", Rule: liftable,
		Form: func(d *domain.Denial) *form.Model {
			f := form.New(m.c, "tui.den.lift_title", []any{d.ID},
				form.Field{ID: "reason", Label: "tui.den.field.reason", Limit: domain.MessageMaxLength},
				form.Field{ID: fNewPassword, Label: "tui.den.field.new_password", Kind: form.Checkbox, Caption: "tui.den.new_password_caption"})
			if d.Ground.LiftNeedsSecondApproval() {
				f.SetNote("tui.den.lift_needs_2nd")
			}
			return f
		},
		Submit: func(f *form.Model, d *domain.Denial) listview.Send {
			why := reason(f)
			if why == "" {
				return nil
			}
			svc, id, version, waits := m.c.Services.Denials, d.ID, d.Version, d.Ground.LiftNeedsSecondApproval()
			lift := svc.Lift
			if f.Checked(fNewPassword) {
				lift = svc.LiftRequiringNewPassword
			}
			return func(ctx context.Context) (tea.Cmd, error) {
				if err := lift(ctx, id, version, why); err != nil {
					return nil, err
				}
				if waits {
					return common.StatusCmd("tui.den.done.lift_waits", id), nil
				}
				return common.StatusCmd("tui.den.done.lifted", id), nil
			}
		},
	}
}

// approveAction approves what another officer raised, after a
// confirmation.
func (m *Model) approveAction() *listview.Action[*domain.Denial] {
	return &listview.Action[*domain.Denial]{
		Keys: []string{"y"}, Help: "tui.den.key.approve", Rule: m.decidable,
		Confirm: m.approveLines, Hint: "tui.den.confirm_keys", Busy: "tui.den.working",
		Send: func(d *domain.Denial) listview.Send {
			svc, id, version := m.c.Services.Denials, d.ID, d.Version
			return listview.Call(func(ctx context.Context) error { return svc.Approve(ctx, id, version) })
		},
		Done: "tui.den.done.approved",
	}
}

// refuseAction refuses what another officer raised, with a reason.
func (m *Model) refuseAction() *listview.Action[*domain.Denial] {
	return &listview.Action[*domain.Denial]{
		Keys: []string{"x"}, Help: "tui.den.key.refuse", Rule: m.decidable,
		Form: func(d *domain.Denial) *form.Model { return m.reasonForm("tui.den.refuse_title", d) },
		Submit: func(f *form.Model, d *domain.Denial) listview.Send {
			why := reason(f)
			if why == "" {
				return nil
			}
			svc, id, version := m.c.Services.Denials, d.ID, d.Version
			return listview.Call(func(ctx context.Context) error { return svc.Refuse(ctx, id, version, why) })
		},
		Done: "tui.den.done.refused",
	}
}

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

// denyAction denies access, from any of the page's lists: the form opens
// with what it held when last left, until a denial is sent.
func denyAction[T any](m *Model) *listview.Action[T] {
	return &listview.Action[T]{
		Keys: []string{"n"}, Help: "tui.den.key.deny", Free: true,
		Form:   func(T) *form.Model { return m.openDenyForm() },
		Submit: func(f *form.Model, _ T) listview.Send { return m.submitDeny(f) },
	}
}

func (m *Model) openDenyForm() *form.Model {
	var kinds, grounds []string
	for _, k := range subjectKinds {
		kinds = append(kinds, string(k))
	}
	for _, g := range domain.Grounds {
		grounds = append(grounds, string(g))
	}
	if m.fromTicket != nil {
		// From an incident ticket the ground is ¶32.6 (¶25, ¶17.5).
		grounds = []string{string(domain.GroundIncident)}
	}
	f := form.New(m.c, "tui.den.deny_title", nil,
		form.Field{ID: fKind, Label: "tui.den.field.kind", Kind: form.Choice, Options: kinds, OptionKey: "tui.den.kind."},
		form.Field{ID: fSubject, Label: "tui.den.field.subject", Hint: "tui.den.hint.subject", Limit: subjectLimit},
		form.Field{ID: fGround, Label: "tui.den.field.ground", Kind: form.Choice, Options: grounds, OptionKey: "tui.den.ground."},
		form.Field{ID: fNote, Label: "tui.den.field.note", Limit: domain.MessageMaxLength, Required: "tui.den.note_required"},
		form.Field{ID: fEvidence, Label: "tui.den.field.evidence", Hint: "tui.den.hint.evidence", Limit: domain.MessageMaxLength},
	).WithSave("tui.den.key.save")
	f.Restore(m.draft)
	if t := m.fromTicket; t != nil {
		f.SetIntro("tui.den.from_ticket", t.TicketID)
	}
	noteKind(f)
	m.denyForm = f
	return f
}

// noteKind says under the form when the denial takes effect: a denial of
// an agency employee waits for a second officer.
func noteKind(f *form.Model) {
	if domain.SubjectKind(f.Value(fKind)) == domain.SubjectOperator {
		f.SetNote("tui.den.operator_waits")
	} else {
		f.SetNote("tui.den.takes_effect")
	}
}

func (m *Model) submitDeny(f *form.Model) listview.Send {
	subject, err := strconv.ParseInt(f.Value(fSubject), 10, 64)
	ok := f.Check()
	if err != nil || subject <= 0 {
		f.AddProblem(fSubject, "tui.den.subject_number")
		ok = false
	}
	if !ok {
		return nil
	}
	kind, ground := domain.SubjectKind(f.Value(fKind)), domain.Ground(f.Value(fGround))
	note, evidence := f.Value(fNote), f.Value(fEvidence)
	svc, hd := m.c.Services.Denials, m.c.Services.Helpdesk
	var ticket int64
	if m.fromTicket != nil && hd != nil {
		ticket = m.fromTicket.TicketID
	}
	return func(ctx context.Context) (tea.Cmd, error) {
		var d *domain.Denial
		var err error
		if ticket != 0 {
			// Raised and noted in the ticket's thread in one step.
			d, err = hd.RaiseIncidentDenial(ctx, ticket, kind, subject, note, evidence)
		} else {
			d, err = svc.Deny(ctx, kind, subject, ground, note, evidence)
		}
		if err != nil {
			return nil, err
		}
		if d.State == domain.DenialPendingApproval {
			return common.StatusCmd("tui.den.done.deny_waits", d.ID), nil
		}
		return common.StatusCmd("tui.den.done.denied", d.ID), nil
	}
}

// denyFromTicket takes over a ¶32.6 denial from incident ticket msg (the
// helpdesk screen's d, ¶25, ¶17.5): the list of denials shows the form of
// a new denial, its ground ¶32.6, its subject the ticket's matched account
// (the officer picks one when none matched) and its evidence naming the
// ticket. A form already being typed into is left as it is.
func (m *Model) denyFromTicket(msg common.DenyFromTicketMsg) tea.Cmd {
	if m.cur().Typing() {
		return nil
	}
	m.view = viewDenials
	t := msg
	m.fromTicket = &t
	m.draft = form.Draft{fGround: string(domain.GroundIncident), fEvidence: domain.TicketReference(msg.TicketID)}
	if a := msg.Account; a != nil {
		kind := domain.SubjectPlatformUser
		if a.Kind == "operator" {
			kind = domain.SubjectOperator
		}
		m.draft[fKind], m.draft[fSubject] = string(kind), strconv.FormatInt(a.ID, 10)
	}
	return m.list.StartFree("n")
}
