// Package signins shows an operator their own sign-in history — time,
// address, method and whether it succeeded (issue 9, ¶31.3) — and lets an
// administrator type another operator's user name to see theirs. The
// screen is a listview.Spec.
package signins

import (
	"context"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
	"github.com/viaa/ppp/tui/components/listview"
)

// Limit is the number of sign-ins read at once.
const Limit = 200

const maxName = 100

// fName is the field of the other operator's user name.
const fName = "name"

type signIn = *domain.SignIn

// Model is the sign-in history page.
type Model = listview.Model[signIn]

// screen is what the page keeps besides the list.
type screen struct {
	c     *common.Common
	list  *Model
	want  string // whose history is read; "": the operator's own
	shown string // whose history is shown
}

// New returns the page; it reads nothing until Init.
func New(c *common.Common) *Model {
	s := &screen{c: c}
	admin := func() bool { return c.Operator != nil && c.Operator.HasRole(domain.RoleAdmin) }
	s.list = listview.New(c, listview.Spec[signIn]{
		NoService: "tui.si.no_service",
		None:      "tui.si.none",
		ID:        func(r signIn) int64 { return r.At.UnixNano() },
		Load:      s.load,
		Above: func(w int) []string {
			name := s.shown
			if name == "" && c.Operator != nil {
				name = c.Operator.Name
			}
			return []string{common.FitWidth(c.Styles.Title.Render(c.T("tui.si.title", name)), w)}
		},
		Columns: []listview.Column[signIn]{
			{Title: "tui.si.col.time", Min: 17, Cell: func(r signIn) string { return r.At.Local().Format("2006-01-02 15:04") }},
			{Title: "tui.si.col.addr", Min: 12, Weight: 1, Cell: func(r signIn) string { return r.RemoteAddr }},
			{Title: "tui.si.col.method", Min: 12, Cell: s.method},
			{Title: "tui.si.col.result", Min: 10, Cell: func(r signIn) string {
				if r.Success {
					return c.T("tui.si.ok")
				}
				return c.T("tui.si.failed")
			}},
		},
		Actions: []*listview.Action[signIn]{{
			Keys: []string{"/"}, Help: "tui.si.key.other", Free: true,
			Rule: func(signIn) error {
				if !admin() {
					return domain.Errorf(domain.EFORBIDDEN, "tui.si.why.admin", "only an administrator sees another operator's sign-ins")
				}
				return nil
			},
			Form: func(signIn) *form.Model {
				return form.New(c, "", nil, form.Field{ID: fName, Label: "tui.si.operator", Hint: "tui.si.hint.name", Limit: maxName}).
					WithSave("tui.si.key.show")
			},
			Submit: func(f *form.Model, _ signIn) listview.Send {
				if name := strings.TrimSpace(f.Value(fName)); name != "" {
					s.want = name
				}
				return listview.Call(func(context.Context) error { return nil })
			},
		}},
		Keys: []listview.Key{{Keys: []string{"o"}, Help: "tui.si.key.own", Shown: admin, Run: func() tea.Cmd {
			s.want = ""
			return s.list.Reload()
		}}},
	})
	return s.list
}

// load reads the history of the operator asked for: the operator's own,
// or the one an administrator typed.
func (s *screen) load() listview.Read[signIn] {
	def, ops, op, now := s.c.Services.Defence, s.c.Services.Operators, s.c.Operator, s.c.Clock()
	if def == nil || op == nil {
		return nil
	}
	want := s.want
	return func(ctx context.Context) ([]signIn, func(), error) {
		name, id := op.Name, op.ID
		if want != "" && want != op.Name {
			other, err := ops.FindOperatorByName(ctx, want)
			if err != nil {
				if domain.ErrorCode(err) == domain.ENOTFOUND {
					err = domain.Errorf(domain.ENOTFOUND, "tui.si.no_operator", "no operator %q", want)
				}
				// The history shown stays, and so does whose it is.
				return nil, func() { s.want = s.shown }, err
			}
			name, id = other.Name, other.ID
		}
		rows, err := def.SignIns(ctx, id, now.Add(time.Minute), Limit)
		if err != nil {
			return nil, nil, err
		}
		return rows, func() { s.shown = name }, nil
	}
}

func (s *screen) method(r signIn) string {
	switch domain.SignInMethod(r.Method) {
	case domain.SignInPublicKey, domain.SignInPassword:
		return s.c.T("tui.si.method." + r.Method)
	}
	return r.Method
}
