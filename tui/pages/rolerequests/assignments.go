package rolerequests

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/queue"
)

// The role assignments of the person a request is about (¶32.1): listed
// in the detail, each by its number, and changed with l: extend, end or
// renew one, with a new end of validity and a reason.

// Field ids of the assignment form.
const (
	fAssignment = "assignment"
	fAction     = "action"
)

// assignmentLines are the detail's lines of the person's assignments.
func (m *Model) assignmentLines(list []*domain.RoleAssignment) []string {
	c := m.c
	if len(list) == 0 {
		return []string{"  " + c.T("tui.rr.nothing")}
	}
	var out []string
	for _, a := range list {
		where := a.InstitutionName
		if where == "" {
			where = a.MunicipalityName
		}
		var state string
		switch {
		case !a.Running():
			why := a.EndReason
			if a.Expired() { // the ¶32.1 sweep's end
				why = c.T("tui.rr.asg.expired")
			}
			state = c.T("tui.rr.asg.ended", a.EndedAt.Format(dateLayout), why)
		case !a.SuspendedAt.IsZero():
			state = c.T("tui.rr.asg.suspended")
		default:
			state = c.T("tui.rr.asg.running")
		}
		out = append(out, "  "+c.T("tui.rr.asg.line", a.ID, c.Named("tui.prole."+string(a.Role), string(a.Role)),
			common.OrDash(where), a.ValidFrom.Format(dateLayout), a.ValidUntil.Format(dateLayout), state))
	}
	return out
}

// assignmentAction is l: change one of the person's assignments.
func (m *Model) assignmentAction() act {
	return act{Keys: keys("l"), Help: "tui.rr.key.assignment", Short: "tui.rr.short.assignment",
		Offer: func(o *open) bool { return len(o.More.assignments) > 0 },
		Form:  m.assignmentForm, Submit: m.changeAssignment, Done: "tui.rr.asg.changed", After: queue.Reread}
}

func (m *Model) assignmentForm(o *open) *form.Model {
	actions := make([]string, len(domain.AssignmentActions))
	for i, a := range domain.AssignmentActions {
		actions[i] = string(a)
	}
	f := sendForm(form.New(m.c, "tui.rr.asg.title", []any{o.ID, o.Item.ApplicantName()},
		form.Field{ID: fAssignment, Label: "tui.rr.asg.field.number", Limit: 20},
		form.Field{ID: fAction, Label: "tui.rr.asg.field.action", Kind: form.Choice, Options: actions, OptionKey: "tui.rr.asg.action."},
		form.Field{ID: fDate, Label: "tui.rr.field.valid_until", Hint: "tui.rr.hint.date", Kind: form.Date},
		form.Field{ID: fReason, Label: "tui.rr.field.reason", Limit: domain.AssignmentReasonMaxLength}).
		WithIntro("tui.rr.asg.intro"))
	if list := o.More.assignments; len(list) > 0 {
		f.SetValue(fAssignment, strconv.FormatInt(list[0].ID, 10))
	}
	f.SetValue(fDate, m.defaultValidUntil().Format(dateLayout))
	return f
}

// changeAssignment reads the form: the assignment must be one listed, the
// action allowed by the assignment's own rule (domain.RoleAssignment.
// Allows, which storage asks too), the date checked as an approval's.
func (m *Model) changeAssignment(f *form.Model, o *open, _ int64) queue.Send {
	if !f.Check() {
		return nil
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(f.Value(fAssignment)), "#"), 10, 64)
	var a *domain.RoleAssignment
	for _, x := range o.More.assignments {
		if x.ID == id {
			a = x
		}
	}
	if a == nil {
		f.AddProblem(fAssignment, "tui.rr.asg.pick")
		return nil
	}
	act := domain.AssignmentAction(f.Value(fAction))
	if err := a.Allows(act); err != nil {
		f.SetError(err)
		return nil
	}
	why := queue.Required(f, fReason, "tui.rr.reason_required")
	if why == "" {
		return nil
	}
	var until time.Time
	if act != domain.AssignmentEnd {
		typed, _ := f.Time(fDate)
		t, key, args := m.parseValidUntil(typed)
		if key != "" {
			f.AddProblem(fDate, key, args...)
			return nil
		}
		until = t
	}
	s, c := m.c.Services.RoleRequests, domain.AssignmentChange{AssignmentID: a.ID, Action: act, ValidUntil: until, Reason: why}
	return queue.Call(func(ctx context.Context) error { return s.ChangeAssignment(ctx, c) })
}
