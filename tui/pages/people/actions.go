package people

import (
	"context"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// Actions from the page go through the services that own them, which
// check the role and the rules again: the page offers a key only where
// domain.MayDoOnPerson and the row's own rule (Denial.Allows,
// RoleAssignment.Allows) allow it.

// identityExtras are more actions of the identity tab, each built for a
// person's page; a file of this package appends to it in an init (the
// account's change of e-mail address and password reset go here).
var identityExtras []func(p *personView) *listview.Action[*fieldRow]

// The forms' fields; the deny form's are the denials screen's.
const (
	fReason      = "reason"
	fGround      = "ground"
	fNote        = "note"
	fEvidence    = "evidence"
	fNewPassword = "new_password"
	fDate        = "date"
)

// reloadMsg asks the page, on its loop, to read a section again after an
// action.
type reloadMsg struct {
	to      *personView
	section domain.PersonSection
}

func (p *personView) reloadCmd(s domain.PersonSection) tea.Cmd {
	return func() tea.Msg { return reloadMsg{to: p, section: s} }
}

// may is domain's rule for act, and the service it needs present.
func (p *personView) may(act domain.PersonAction) error {
	svc := p.c.Services
	if act == domain.PersonDeny && svc.Denials == nil || act == domain.PersonLift && svc.Denials == nil ||
		act == domain.PersonRoleChange && svc.RoleRequests == nil {
		return domain.Errorf(domain.EUNAVAILABLE, "tui.ppl.why.no_service", "this server cannot do that")
	}
	return domain.MayDoOnPerson(p.c.Operator, act)
}

func (p *personView) identityActions() []*listview.Action[*fieldRow] {
	out := []*listview.Action[*fieldRow]{p.revealAction(), denyAction[*fieldRow](p)}
	for _, x := range identityExtras {
		out = append(out, x(p))
	}
	return out
}

func (p *personView) sectionActions(s domain.PersonSection) []*listview.Action[entry] {
	switch s {
	case domain.PersonDenials:
		return []*listview.Action[entry]{denyAction[entry](p), p.liftAction()}
	case domain.PersonRoles:
		return []*listview.Action[entry]{p.roleAction(domain.AssignmentExtend, "e"), p.roleAction(domain.AssignmentEnd, "x")}
	}
	return nil
}

// revealAction shows the whole code once a reason went with the call
// that records the look (GDPR Art. 5(2), Art. 32).
func (p *personView) revealAction() *listview.Action[*fieldRow] {
	return &listview.Action[*fieldRow]{
		Keys: []string{"v"}, Help: "tui.ppl.key.reveal", Free: true,
		Rule: func(*fieldRow) error {
			if p.page == nil || p.revealed != "" {
				return domain.Errorf(domain.EINVALID, "tui.ppl.why.revealed", "the code is shown already")
			}
			return p.may(domain.PersonReveal)
		},
		Form: func(*fieldRow) *form.Model {
			return form.New(p.c, "tui.ppl.reveal_title", nil,
				form.Field{ID: fReason, Label: "tui.ppl.field.reason", Limit: domain.RevealReasonMaxLength, Required: "tui.ppl.reason_required"})
		},
		Submit: func(f *form.Model, _ *fieldRow) listview.Send {
			if !f.Check() {
				return nil
			}
			svc, id, why := p.c.Services.People, p.id, f.Value(fReason)
			return func(ctx context.Context) (tea.Cmd, error) {
				code, err := svc.RevealPersonCode(ctx, id, why)
				if err != nil {
					return nil, err
				}
				return tea.Batch(common.StatusCmd("tui.ppl.done.revealed"), func() tea.Msg { return revealedMsg{to: p, code: code} }), nil
			}
		},
	}
}

// revealedMsg carries the code revealed to the page's loop.
type revealedMsg struct {
	to   *personView
	code string
}

// denyAction denies the person's account access (¶32), from the
// identity tab or the denials tab: the subject is the account the page
// shows, never a number typed; the fields are the denials screen's. A
// back-office denial waits for a second security officer as always.
func denyAction[T any](p *personView) *listview.Action[T] {
	return &listview.Action[T]{
		Keys: []string{"n"}, Help: "tui.ppl.key.deny", Free: true,
		Rule: func(T) error {
			if err := p.may(domain.PersonDeny); err != nil {
				return err
			}
			if p.page == nil || p.page.Account == nil {
				return domain.Errorf(domain.EINVALID, "tui.ppl.why.no_account", "the person has no Platform account to deny")
			}
			return nil
		},
		Form: func(T) *form.Model {
			grounds := make([]string, len(domain.Grounds))
			for i, g := range domain.Grounds {
				grounds[i] = string(g)
			}
			a := p.page.Account
			id := p.page.Identity
			return form.New(p.c, "tui.den.deny_title", nil,
				form.Field{ID: fGround, Label: "tui.den.field.ground", Kind: form.Choice, Options: grounds, OptionKey: "tui.den.ground."},
				form.Field{ID: fNote, Label: "tui.den.field.note", Limit: domain.MessageMaxLength, Required: "tui.den.note_required"},
				form.Field{ID: fEvidence, Label: "tui.den.field.evidence", Hint: "tui.den.hint.evidence", Limit: domain.MessageMaxLength},
			).WithSave("tui.den.key.save").
				WithIntro("tui.ppl.deny_intro", strings.TrimSpace(id.FirstName+" "+id.LastName), strconv.FormatInt(a.UserID, 10))
		},
		Submit: func(f *form.Model, _ T) listview.Send {
			if !f.Check() {
				return nil
			}
			svc, user := p.c.Services.Denials, p.page.Account.UserID
			ground, note, evidence := domain.Ground(f.Value(fGround)), f.Value(fNote), f.Value(fEvidence)
			return func(ctx context.Context) (tea.Cmd, error) {
				d, err := svc.Deny(ctx, domain.SubjectPlatformUser, user, ground, note, evidence)
				if err != nil {
					return nil, err
				}
				done := common.StatusCmd("tui.den.done.denied", d.ID)
				if d.State == domain.DenialPendingApproval {
					done = common.StatusCmd("tui.den.done.deny_waits", d.ID)
				}
				return tea.Batch(done, p.reloadCmd(domain.PersonDenials)), nil
			}
		},
	}
}

// liftAction lifts a denial in force with a reason; a box requires the
// password users it reaches to choose a new password (¶32.3, ¶32.6).
func (p *personView) liftAction() *listview.Action[entry] {
	return &listview.Action[entry]{
		Keys: []string{"l"}, Help: "tui.ppl.key.lift",
		Rule: func(e entry) error {
			if err := p.may(domain.PersonLift); err != nil {
				return err
			}
			if e.Denial == nil {
				return domain.Errorf(domain.EINVALID, "tui.ppl.why.no_denial", "choose a denial")
			}
			return e.Denial.Allows(domain.DenialLift, p.c.Operator.ID)
		},
		Form: func(e entry) *form.Model {
			f := form.New(p.c, "tui.den.lift_title", []any{e.ID},
				form.Field{ID: fReason, Label: "tui.den.field.reason", Limit: domain.MessageMaxLength, Required: "tui.den.reason_required"},
				form.Field{ID: fNewPassword, Label: "tui.den.field.new_password", Kind: form.Checkbox, Caption: "tui.den.new_password_caption"})
			if e.Denial.Ground.LiftNeedsSecondApproval() {
				f.SetNote("tui.den.lift_needs_2nd")
			}
			return f
		},
		Submit: func(f *form.Model, e entry) listview.Send {
			if !f.Check() {
				return nil
			}
			svc, d, why := p.c.Services.Denials, e.Denial, f.Value(fReason)
			lift := svc.Lift
			if f.Checked(fNewPassword) {
				lift = svc.LiftRequiringNewPassword
			}
			return func(ctx context.Context) (tea.Cmd, error) {
				if err := lift(ctx, d.ID, d.Version, why); err != nil {
					return nil, err
				}
				done := common.StatusCmd("tui.den.done.lifted", d.ID)
				if d.Ground.LiftNeedsSecondApproval() {
					done = common.StatusCmd("tui.den.done.lift_waits", d.ID)
				}
				// As after a denial: the tab reads itself again rather than
				// wait for the change feed.
				return tea.Batch(done, p.reloadCmd(domain.PersonDenials)), nil
			}
		},
	}
}

// roleAction extends (a new end of validity) or ends a running role
// assignment with a reason, through the role requests' service (¶32.1:
// its AssignmentChange.Check and audit).
func (p *personView) roleAction(act domain.AssignmentAction, k string) *listview.Action[entry] {
	help := "tui.ppl.key.extend"
	if act == domain.AssignmentEnd {
		help = "tui.ppl.key.end"
	}
	return &listview.Action[entry]{
		Keys: []string{k}, Help: help,
		Rule: func(e entry) error {
			if err := p.may(domain.PersonRoleChange); err != nil {
				return err
			}
			if e.Assignment == nil {
				return domain.Errorf(domain.EINVALID, "tui.ppl.why.no_role", "choose a role")
			}
			return e.Assignment.Allows(act)
		},
		Form: func(e entry) *form.Model {
			fields := []form.Field{}
			if act == domain.AssignmentExtend {
				fields = append(fields, form.Field{ID: fDate, Label: "tui.rr.field.valid_until", Hint: "tui.rr.hint.date", Kind: form.Date})
			}
			fields = append(fields, form.Field{ID: fReason, Label: "tui.rr.field.reason", Limit: domain.AssignmentReasonMaxLength,
				Required: "tui.rr.reason_required"})
			f := form.New(p.c, "tui.ppl.role_title", []any{p.c.Named("tui.rr.asg.action."+string(act), string(act)), e.ID}, fields...)
			if act == domain.AssignmentExtend {
				f.SetValue(fDate, e.Until.AddDate(1, 0, 0).Local().Format(form.DateLayout))
			}
			return f
		},
		Submit: func(f *form.Model, e entry) listview.Send {
			if !f.Check() {
				return nil
			}
			change := domain.AssignmentChange{AssignmentID: e.ID, Action: act, Reason: f.Value(fReason)}
			if act == domain.AssignmentExtend {
				until, err := f.Time(fDate)
				if err != nil {
					f.AddProblem(fDate, "tui.rr.hint.date")
					return nil
				}
				change.ValidUntil = until
			}
			svc := p.c.Services.RoleRequests
			return listview.Call(func(ctx context.Context) error { return svc.ChangeAssignment(ctx, change) })
		},
		Done: "tui.ppl.done.role",
	}
}
