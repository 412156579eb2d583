package rolerequests

import (
	"strconv"
	"strings"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/components/queue"
)

// columns are the list's: the masked personal code on a wide screen,
// everything else at 80 columns, and fewer below.
func (m *Model) columns() []queue.Column[*domain.RoleRequest] {
	c := m.c
	return []queue.Column[*domain.RoleRequest]{
		{Title: "tui.rr.col.kind", Min: 11, From: 60, Cell: func(r *domain.RoleRequest) string {
			return c.T("tui.rr.kind_short." + string(r.Form.Kind))
		}},
		{Title: "tui.rr.col.applicant", Min: 14, Weight: 3, Cell: (*domain.RoleRequest).ApplicantName},
		{Title: "tui.rr.col.personal_code", Min: 13, From: 110, Cell: func(r *domain.RoleRequest) string {
			return domain.MaskPersonalCode(r.Form.PersonalCode)
		}},
		{Title: "tui.rr.col.where", Min: 8, Weight: 3, From: 78, Cell: where},
		{Title: "tui.rr.col.age", Min: 11, From: 60, Cell: func(r *domain.RoleRequest) string { return c.Age(r.CreatedAt) }},
		{Title: "tui.rr.col.state", Min: 14, Cell: func(r *domain.RoleRequest) string {
			// ¶26.2: the applicant has not accepted the terms in force.
			if r.Terms != nil {
				return c.T("tui.acc.flag", c.T("tui.rr.state."+string(r.State)))
			}
			return c.T("tui.rr.state." + string(r.State))
		}},
		{Title: "tui.rr.col.holder", Min: 12, Weight: 1, Cell: func(r *domain.RoleRequest) string { return m.Holder(r) }},
	}
}

// where is the institution or municipality a request is about.
func where(r *domain.RoleRequest) string {
	if r.Form.Kind == domain.KindMunicipalCoordinator && r.MunicipalityName != "" {
		return r.MunicipalityName
	}
	if r.InstitutionName != "" {
		return r.InstitutionName
	}
	if r.MunicipalityName != "" {
		return r.MunicipalityName
	}
	return r.Form.MunicipalityCode
}

// summary names the selected request under the list, with the personal
// code masked.
func (m *Model) summary(r *domain.RoleRequest) []string {
	c := m.c
	first := []string{"#" + strconv.FormatInt(r.ID, 10), common.Show(r.ApplicantName())}
	if code := domain.MaskPersonalCode(r.Form.PersonalCode); code != "" {
		first = append(first, code)
	}
	if e := common.Show(r.Form.Email); e != "" {
		first = append(first, e)
	}
	second := []string{c.T("tui.rr.kind." + string(r.Form.Kind))}
	if wh := common.Show(where(r)); wh != "" {
		second = append(second, wh)
	}
	if r.EmailConfirmedAt.IsZero() {
		second = append(second, c.T("tui.rr.email_unconfirmed"))
	} else {
		second = append(second, c.T("tui.rr.email_confirmed"))
	}
	if who := m.Holder(r); who != "" {
		second = append(second, c.T("tui.rr.held_until", who, clockText(r.ClaimExpiresAt)))
	}
	if r.Terms != nil {
		second = append(second, c.T("tui.acc.summary", r.Terms.Number))
	}
	return []string{strings.Join(first, " · "), strings.Join(second, " · ")}
}
