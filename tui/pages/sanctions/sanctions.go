// Package sanctions is the security officers' screen of sanction cases
// against education institutions (¶32.5, ¶32.7): the cases, open first,
// filtered by state and by step and paged; one case with its steps and
// their states; opening a case (the institution picked by its name or
// registration number, never by an internal number); adding a step (a
// warning takes effect at once, a suspension or a denial waits for a
// second security officer); approving or refusing a colleague's pending
// step (one's own is never offered: four eyes); lifting a suspension or a
// denial; closing the case with a reason. The screen is a listview.Spec;
// every rule it greys a key by is domain's (domain/sanction_rules.go).
package sanctions

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

// pageSize is how many cases one page holds.
const pageSize = 50

type kase = *domain.SanctionCase

// Model is the sanctions page.
type Model = listview.Model[kase]

// The form fields.
const (
	fInstitution = "institution"
	fClause      = "clause"
	fKind        = "kind"
	fReason      = "reason"
	fEvidence    = "evidence"
	fUntil       = "until"
)

// stateFilters cycle with s; stepFilters with t ("pending": a step waits).
var (
	stateFilters = [][]domain.SanctionCaseState{nil, {domain.SanctionCaseOpen}, {domain.SanctionCaseClosed}}
	stepFilters  = []string{"", string(domain.SanctionWarning), string(domain.SanctionSuspension), string(domain.SanctionDenial), "pending"}
)

// screen is what the page keeps besides the list.
type screen struct {
	c     *common.Common
	list  *Model
	state int // index into stateFilters
	step  int // index into stepFilters
	pages []kase
	more  bool
	// open is the open case read in full (with its steps); openID is the
	// case the next read reads in full.
	open   kase
	openID int64
}

func isSecurity(op *domain.Operator) bool { return op != nil && op.HasRole(domain.RoleSecurity) }

// New returns the page; it reads nothing until Init.
func New(c *common.Common) *Model {
	s := &screen{c: c}
	s.list = listview.New(c, listview.Spec[kase]{
		Allowed:      isSecurity,
		RoleOnly:     "tui.san.security_only",
		Topic:        domain.TopicDenial,
		None:         "tui.san.none",
		ID:           func(k kase) int64 { return k.ID },
		Version:      func(k kase) int64 { return k.Version },
		Load:         s.load,
		Above:        func(w int) []string { return []string{c.Styles.Title.Render(c.T("tui.san.title")), s.filterLine(w)} },
		Columns:      s.columns(),
		Summary:      s.summary,
		SummaryLines: 3,
		Detail:       s.detail,
		OpenHelp:     "tui.san.key.open",
		Opened:       s.opened,
		Actions:      []*listview.Action[kase]{s.openAction(), s.stepAction(), s.approveAction(), s.refuseAction(), s.liftAction(), s.closeAction()},
		Keys:         s.keys(),
	})
	return s.list
}

// filter is the list's filter for the current page.
func (s *screen) filter() domain.SanctionFilter {
	f := domain.SanctionFilter{States: stateFilters[s.state], Limit: pageSize + 1}
	switch st := stepFilters[s.step]; st {
	case "":
	case "pending":
		f.PendingOnly = true
	default:
		f.Steps = []domain.SanctionStepKind{domain.SanctionStepKind(st)}
	}
	if n := len(s.pages); n > 0 {
		f.AfterState, f.AfterID = s.pages[n-1].State, s.pages[n-1].ID
	}
	return f
}

// load reads a page of cases and, when a case is open, that case in full.
func (s *screen) load() listview.Read[kase] {
	svc := s.c.Services.Sanctions
	if svc == nil {
		return nil
	}
	f, openID := s.filter(), s.openID
	return func(ctx context.Context) ([]kase, func(), error) {
		rows, err := svc.ListCases(ctx, f)
		if err != nil {
			return nil, nil, err
		}
		more := len(rows) > pageSize
		if more {
			rows = rows[:pageSize]
		}
		var open kase
		if openID != 0 {
			if open, err = svc.FindCase(ctx, openID); err != nil {
				return nil, nil, err
			}
		}
		return rows, func() { s.more, s.open = more, open }, nil
	}
}

// opened reads the open case in full, unless it is read at its version.
func (s *screen) opened(k kase) tea.Cmd {
	s.openID = k.ID
	if s.open != nil && s.open.ID == k.ID && s.open.Version == k.Version {
		return nil
	}
	return s.list.Reload()
}

// full is the open case k read in full, nil until it is.
func (s *screen) full(k kase) kase {
	if s.open != nil && k != nil && s.open.ID == k.ID {
		return s.open
	}
	return nil
}

// keys cycle the filters and turn the pages; each reads the list anew.
func (s *screen) keys() []listview.Key {
	refilter := func(change func()) func() tea.Cmd {
		return func() tea.Cmd {
			change()
			s.pages = nil
			return s.list.Reset()
		}
	}
	return []listview.Key{
		{Keys: []string{"s"}, Help: "tui.san.key.state", Run: refilter(func() { s.state = (s.state + 1) % len(stateFilters) })},
		{Keys: []string{"t"}, Help: "tui.san.key.step", Run: refilter(func() { s.step = (s.step + 1) % len(stepFilters) })},
		{Keys: []string{"]"}, Help: "tui.san.key.next_page", Shown: func() bool { return s.more && len(s.list.Rows()) > 0 },
			Run: func() tea.Cmd {
				rows := s.list.Rows()
				s.pages = append(s.pages, rows[len(rows)-1])
				return s.list.Reset()
			}},
		{Keys: []string{"["}, Help: "tui.san.key.prev_page", Shown: func() bool { return len(s.pages) > 0 },
			Run: func() tea.Cmd {
				s.pages = s.pages[:len(s.pages)-1]
				return s.list.Reset()
			}},
	}
}

// me is the operator of this session as the services see it.
func (s *screen) me() int64 {
	if a := domain.ActorFrom(s.c.Ctx); a.OperatorID != 0 {
		return a.OperatorID
	}
	if s.c.Operator != nil {
		return s.c.Operator.ID
	}
	return 0
}

// notRead is the refusal while the open case's steps are being read.
func notRead() error {
	return domain.Errorf(domain.EUNAVAILABLE, "tui.san.why.loading", "the case is being read")
}

// pendingStep is the step of k waiting for approval, or why there is none.
func (s *screen) pendingStep(k kase) (*domain.SanctionStep, error) {
	full := s.full(k)
	if full == nil {
		return nil, notRead()
	}
	for _, st := range full.Steps {
		if st.State == domain.SanctionStepPending {
			return st, nil
		}
	}
	return nil, domain.Errorf(domain.ECONFLICT, "sanction.not_pending", "this step does not wait for approval")
}

// reasonField is a required reason.
func reasonField(label string) form.Field {
	return form.Field{ID: fReason, Label: label, Kind: form.Area, Rows: 3, Limit: domain.DenialNoteMaxLength, Required: "sanction.reason_required"}
}

// openAction opens a case: the institution is found by its name or
// registration number; when several match, the form asks for more.
func (s *screen) openAction() *listview.Action[kase] {
	c := s.c
	return &listview.Action[kase]{
		Keys: []string{"n"}, Help: "tui.san.key.new", Free: true, Keep: true,
		Form: func(kase) *form.Model {
			var clauses []string
			for _, g := range domain.SanctionClauses {
				clauses = append(clauses, string(g))
			}
			return form.New(c, "tui.san.open_title", nil,
				form.Field{ID: fInstitution, Label: "tui.san.f.institution", Hint: "tui.san.hint.institution", Limit: 200, Required: "tui.san.institution_required"},
				form.Field{ID: fClause, Label: "tui.san.f.clause", Kind: form.Choice, Options: clauses, OptionKey: "tui.den.ground."},
				reasonField("tui.san.f.reason"),
				form.Field{ID: fEvidence, Label: "tui.san.f.evidence", Kind: form.Area, Rows: 2, Limit: domain.DenialEvidenceMaxLength},
			).WithSave("tui.san.key.save")
		},
		Submit: func(f *form.Model, _ kase) listview.Send {
			if !f.Check() {
				return nil
			}
			svc := c.Services.Sanctions
			query, clause, reason, evidence := f.Value(fInstitution), domain.Ground(f.Value(fClause)), f.Value(fReason), f.Value(fEvidence)
			return func(ctx context.Context) (tea.Cmd, error) {
				in, err := pickInstitution(ctx, svc, query)
				if err != nil {
					return nil, err
				}
				k, err := svc.OpenCase(ctx, in.ID, clause, reason, evidence)
				if err != nil {
					return nil, err
				}
				return common.StatusCmd("tui.san.done.opened", k.ID, k.InstitutionName), nil
			}
		},
	}
}

// pickInstitution finds the one institution query names: the only match,
// or the one whose registration number or whole name it is. Otherwise an
// EINVALID error whose problem, under the field, says none or names a few
// of those that match.
func pickInstitution(ctx context.Context, svc domain.SanctionService, query string) (*domain.SanctionInstitution, error) {
	found, err := svc.FindInstitutions(ctx, query, 20)
	if err != nil {
		if e := domain.AsError(err); e != nil && e.Code == domain.EINVALID {
			e.Problems = []domain.Problem{{Field: fInstitution, Key: e.Key}}
		}
		return nil, err
	}
	q := strings.ToLower(strings.TrimSpace(query))
	var exact []*domain.SanctionInstitution
	for _, in := range found {
		if in.CompanyRegNumber == q || in.EducationRegNumber == q || strings.ToLower(in.Name) == q {
			exact = append(exact, in)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(exact) == 1:
		return exact[0], nil
	case len(found) == 0:
		e := domain.Errorf(domain.EINVALID, "tui.san.no_match", "no institution has that name or number")
		e.Problems = []domain.Problem{{Field: fInstitution, Key: "tui.san.no_match"}}
		return nil, e
	}
	var names []string
	for _, in := range found[:min(len(found), 3)] {
		names = append(names, in.Name+" ("+in.CompanyRegNumber+")")
	}
	e := domain.Errorf(domain.EINVALID, "tui.san.several", "several institutions match")
	e.Problems = []domain.Problem{{Field: fInstitution, Key: "tui.san.several", Args: []any{len(found), strings.Join(names, "; ")}}}
	return nil, e
}

// stepAction adds a step to the open case.
func (s *screen) stepAction() *listview.Action[kase] {
	c := s.c
	var kinds []string
	for _, k := range domain.SanctionStepKinds {
		kinds = append(kinds, string(k))
	}
	return &listview.Action[kase]{
		Keys: []string{"a"}, Help: "tui.san.key.step_add", Detail: true, Keep: true,
		Rule: func(k kase) error {
			if k.State != domain.SanctionCaseOpen {
				return domain.Errorf(domain.ECONFLICT, "sanction.closed", "this case is closed")
			}
			if k.Pending {
				return domain.Errorf(domain.ECONFLICT, "sanction.step_pending", "a step waits")
			}
			return nil
		},
		Form: func(k kase) *form.Model {
			f := form.New(c, "tui.san.step_title", []any{k.ID},
				form.Field{ID: fKind, Label: "tui.san.f.kind", Kind: form.Choice, Options: kinds, OptionKey: "tui.san.step."},
				reasonField("tui.san.f.reason"),
				form.Field{ID: fEvidence, Label: "tui.san.f.evidence", Kind: form.Area, Rows: 2, Limit: domain.DenialEvidenceMaxLength},
				form.Field{ID: fUntil, Label: "tui.san.f.until", Kind: form.Date},
			).WithSave("tui.san.key.save")
			f.SetNote("tui.san.step_note")
			return f
		},
		Submit: func(f *form.Model, k kase) listview.Send {
			if !f.Check() {
				return nil
			}
			until, err := f.Time(fUntil)
			if err != nil {
				f.SetError(err)
				return nil
			}
			kind := domain.SanctionStepKind(f.Value(fKind))
			if kind == domain.SanctionSuspension && until.IsZero() {
				f.AddProblem(fUntil, "tui.san.until_required")
				return nil
			}
			svc, id, version, reason, evidence := c.Services.Sanctions, k.ID, k.Version, f.Value(fReason), f.Value(fEvidence)
			return func(ctx context.Context) (tea.Cmd, error) {
				st, err := svc.ProposeStep(ctx, id, version, kind, reason, evidence, until)
				if err != nil {
					return nil, err
				}
				if st.State == domain.SanctionStepPending {
					return common.StatusCmd("tui.san.done.proposed", id), nil
				}
				return common.StatusCmd("tui.san.done.warned", id), nil
			}
		},
	}
}

// approveAction approves a colleague's pending step, after a
// confirmation; one's own is not offered (domain.SanctionStep.Allows).
func (s *screen) approveAction() *listview.Action[kase] {
	c := s.c
	return &listview.Action[kase]{
		Keys: []string{"y"}, Help: "tui.san.key.approve", Detail: true, Done: "tui.san.done.approved",
		Rule: func(k kase) error {
			st, err := s.pendingStep(k)
			if err != nil {
				return err
			}
			return st.Allows(domain.SanctionApprove, s.me(), c.Clock())
		},
		Confirm: func(k kase, w int) []string {
			st, _ := s.pendingStep(k)
			if st == nil {
				return nil
			}
			return []string{common.WrapAtSpaces(c.T("tui.san.confirm_approve", c.T("tui.san.step."+string(st.Kind)), k.InstitutionName), w)}
		},
		Hint: "tui.san.confirm_keys", Busy: "tui.san.working",
		Send: func(k kase) listview.Send {
			st, _ := s.pendingStep(k)
			svc, id, version := c.Services.Sanctions, st.ID, st.Version
			return listview.Call(func(ctx context.Context) error { return svc.ApproveStep(ctx, id, version) })
		},
	}
}

// refuseAction refuses a pending step with a reason (its proposer may
// withdraw it so).
func (s *screen) refuseAction() *listview.Action[kase] {
	c := s.c
	return &listview.Action[kase]{
		Keys: []string{"x"}, Help: "tui.san.key.refuse", Detail: true, Done: "tui.san.done.refused",
		Rule: func(k kase) error {
			st, err := s.pendingStep(k)
			if err != nil {
				return err
			}
			return st.Allows(domain.SanctionRefuse, s.me(), c.Clock())
		},
		Form: func(k kase) *form.Model {
			return form.New(c, "tui.san.refuse_title", []any{k.ID}, reasonField("tui.san.f.why")).WithSave("tui.san.key.save")
		},
		Submit: func(f *form.Model, k kase) listview.Send {
			st, _ := s.pendingStep(k)
			if !f.Check() || st == nil {
				return nil
			}
			svc, id, version, why := c.Services.Sanctions, st.ID, st.Version, f.Value(fReason)
			return listview.Call(func(ctx context.Context) error { return svc.RefuseStep(ctx, id, version, why) })
		},
	}
}

// liftAction lifts the suspension or denial in force, with a reason.
func (s *screen) liftAction() *listview.Action[kase] {
	c := s.c
	inForce := func(k kase) (*domain.SanctionStep, error) {
		full := s.full(k)
		if full == nil {
			return nil, notRead()
		}
		if st := full.InForce(); st != nil {
			return st, nil
		}
		return nil, domain.Errorf(domain.ECONFLICT, "sanction.not_in_force", "nothing is in force")
	}
	return &listview.Action[kase]{
		Keys: []string{"l"}, Help: "tui.san.key.lift", Detail: true, Done: "tui.san.done.lifted",
		Rule: func(k kase) error {
			_, err := inForce(k)
			return err
		},
		Form: func(k kase) *form.Model {
			return form.New(c, "tui.san.lift_title", []any{k.ID}, reasonField("tui.san.f.why")).WithSave("tui.san.key.save")
		},
		Submit: func(f *form.Model, k kase) listview.Send {
			st, _ := inForce(k)
			if !f.Check() || st == nil {
				return nil
			}
			svc, id, version, why := c.Services.Sanctions, st.ID, st.Version, f.Value(fReason)
			return listview.Call(func(ctx context.Context) error { return svc.LiftStep(ctx, id, version, why) })
		},
	}
}

// closeAction closes the case with a reason once nothing waits and
// nothing is in force (domain.SanctionCase.Allows).
func (s *screen) closeAction() *listview.Action[kase] {
	c := s.c
	return &listview.Action[kase]{
		Keys: []string{"c"}, Help: "tui.san.key.close", Detail: true, Done: "tui.san.done.closed",
		Rule: func(k kase) error {
			full := s.full(k)
			if full == nil {
				return notRead()
			}
			return full.Allows(domain.SanctionClose, "")
		},
		Form: func(k kase) *form.Model {
			return form.New(c, "tui.san.close_title", []any{k.ID}, reasonField("tui.san.f.why")).WithSave("tui.san.key.save")
		},
		Submit: func(f *form.Model, k kase) listview.Send {
			if !f.Check() {
				return nil
			}
			svc, id, version, why := c.Services.Sanctions, k.ID, k.Version, f.Value(fReason)
			return listview.Call(func(ctx context.Context) error { return svc.CloseCase(ctx, id, version, why) })
		},
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
