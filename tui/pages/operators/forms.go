package operators

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/form"
)

// Field ids.
const (
	fName      = "name"
	fFullName  = "full_name"
	fEmail     = "email"
	fRoles     = "roles"
	fPassword  = "password"
	fPassword2 = "password2"
	fReason    = "reason"
	fKey       = "key"
)

// openForm opens the form of kind k about op (nil when adding).
func (m *Model) openForm(k formKind, op *domain.Operator) {
	c := m.c
	pw := []form.Field{
		{ID: fPassword, Label: "tui.ops.field.password", Kind: form.Password},
		{ID: fPassword2, Label: "tui.ops.field.password2", Kind: form.Password},
	}
	switch k {
	case formAdd:
		m.form = form.New(c, "tui.ops.add_title", nil, append([]form.Field{
			{ID: fName, Label: "tui.ops.field.name", Hint: "tui.ops.hint.name", Limit: 32},
			{ID: fFullName, Label: "tui.ops.field.full_name", Limit: 100},
			{ID: fEmail, Label: "tui.ops.field.email", Limit: 254},
			{ID: fRoles, Label: "tui.ops.field.roles", Kind: form.Roles},
		}, pw...)...)
	case formReason:
		title := "tui.ops.disable_title"
		if op.Disabled {
			title = "tui.ops.enable_title"
		}
		m.form = form.New(c, title, []any{op.Name}, form.Field{ID: fReason, Label: "tui.ops.field.reason", Limit: 500})
	case formRoles:
		m.form = form.New(c, "tui.ops.roles_title", []any{op.Name}, form.Field{ID: fRoles, Label: "tui.ops.field.roles", Kind: form.Roles})
		m.form.SetRoles(fRoles, op.Roles)
	case formPassword:
		m.form = form.New(c, "tui.ops.password_title", []any{op.Name}, pw...)
	case formKey:
		m.form = form.New(c, "tui.ops.key_title", []any{op.Name}, form.Field{ID: fKey, Label: "tui.ops.field.key", Hint: "tui.ops.hint.key", Limit: 16384})
	}
	m.formKind, m.mode = k, modeForm
	if k != formKey {
		m.target = op
	}
}

func (m *Model) closeForm() {
	m.form = nil
	if m.formKind == formKey {
		m.mode = modeKeys
		return
	}
	m.mode, m.target = modeList, nil
}

func (m *Model) updateForm(msg tea.KeyMsg) tea.Cmd {
	res, cmd := m.form.Update(msg)
	switch res {
	case form.Cancel:
		m.closeForm()
		return nil
	case form.Submit:
		return m.submit()
	}
	return cmd
}

// submit checks what only the screen can check (the repeated password, a
// reason, not taking away one's own admin role) and sends the change.
func (m *Model) submit() tea.Cmd {
	f, svc, ctx := m.form, m.c.Services.Operators, m.c.Ctx
	f.SetError(nil)
	if f.Value(fPassword) != f.Value(fPassword2) {
		f.SetErrorKey("tui.ops.pw_mismatch")
		return nil
	}
	var run func() SavedMsg
	switch m.formKind {
	case formAdd:
		op := &domain.Operator{
			Name:     strings.TrimSpace(f.Value(fName)),
			FullName: strings.TrimSpace(f.Value(fFullName)),
			Email:    strings.TrimSpace(f.Value(fEmail)),
			Roles:    f.Roles(fRoles),
			Language: string(m.c.Catalog.Lang),
		}
		pw := f.Value(fPassword)
		run = func() SavedMsg {
			return SavedMsg{Status: "tui.ops.added", Args: []any{op.Name}, Err: svc.CreateOperator(ctx, op, pw)}
		}
	case formReason:
		reason := strings.TrimSpace(f.Value(fReason))
		if reason == "" {
			f.SetErrorKey("tui.ops.reason_required")
			return nil
		}
		name, disable := m.target.Name, !m.target.Disabled
		status := "tui.ops.enabled"
		if disable {
			status = "tui.ops.disabled"
		}
		run = func() SavedMsg {
			return SavedMsg{Status: status, Args: []any{name}, Err: svc.SetOperatorDisabled(ctx, name, disable, reason)}
		}
	case formRoles:
		roles := f.Roles(fRoles)
		if m.isSelf(m.target) && hasRole(m.target.Roles, domain.RoleAdmin) && !hasRole(roles, domain.RoleAdmin) {
			f.SetErrorKey("tui.ops.keep_own_admin")
			return nil
		}
		name := m.target.Name
		run = func() SavedMsg {
			return SavedMsg{Status: "tui.ops.roles_saved", Args: []any{name}, Err: svc.SetOperatorRoles(ctx, name, roles)}
		}
	case formPassword:
		name, pw := m.target.Name, f.Value(fPassword)
		if pw == "" {
			f.SetErrorKey("tui.ops.pw_required")
			return nil
		}
		run = func() SavedMsg {
			return SavedMsg{Status: "tui.ops.password_saved", Args: []any{name}, Err: svc.SetOperatorPassword(ctx, name, pw)}
		}
	case formKey:
		name, line := m.target.Name, strings.TrimSpace(f.Value(fKey))
		run = func() SavedMsg {
			k, err := svc.AddOperatorKey(ctx, name, line)
			if err != nil {
				return SavedMsg{Err: err}
			}
			return SavedMsg{Status: "tui.ops.key_added", Args: []any{k.Fingerprint}}
		}
	}
	f.Busy = true
	return func() tea.Msg { return run() }
}

func (m *Model) removeKeyCmd() tea.Cmd {
	i := m.keyTable.Cursor()
	if m.target == nil || i < 0 || i >= len(m.keyRows) {
		m.mode = modeKeys
		return nil
	}
	svc, ctx := m.c.Services.Operators, m.c.Ctx
	name, fp := m.target.Name, m.keyRows[i].Fingerprint
	m.mode = modeKeys
	return func() tea.Msg {
		return SavedMsg{Status: "tui.ops.key_removed", Args: []any{fp}, Err: svc.RemoveOperatorKey(ctx, name, fp)}
	}
}

// saved closes the form on success and reloads; on failure the form stays
// open with every problem shown, and the root hears about it only when the
// database is away.
func (m *Model) saved(msg SavedMsg) tea.Cmd {
	if msg.Err != nil {
		var cmds []tea.Cmd
		if m.mode == modeForm && m.form != nil {
			m.form.Busy = false
			m.form.SetError(msg.Err)
			if domain.ErrorCode(msg.Err) == domain.EUNAVAILABLE {
				cmds = append(cmds, errorCmd(msg.Err))
			}
		} else {
			cmds = append(cmds, errorCmd(msg.Err))
		}
		return tea.Batch(cmds...)
	}
	if m.mode == modeForm {
		m.closeForm()
	}
	return tea.Batch(common.StatusCmd(msg.Status, msg.Args...), m.reloadCmd())
}
