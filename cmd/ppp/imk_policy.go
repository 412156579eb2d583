package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// runIMKPolicy implements `ppp imk policy list|show|draft|discard`.
// Drafting and discarding act as an operator who proves it with their
// password (actAsOperator). Approval is not a verb: a second editor or
// administrator approves a draft in their own SSH session (issue 13).
func (m *Main) runIMKPolicy(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.imk_policy"))
		return errUsageShown
	}
	if args[0] == "approve" {
		return usageError{m.cat.T("cli.imk_policy.approve_in_tui")}
	}
	fs := m.flags("imk_policy")
	op := addOperatorFlags(fs)
	var (
		minAge, maxAge, prioLKI, prioAge       *int
		employment, residence, excludeStudying *bool
		maxDataAge                             *time.Duration
		name, combine, autoReject              *string
	)
	d := domain.DefaultEligibilityPolicy()
	switch args[0] {
	case "list", "show", "discard":
	case "draft":
		minAge = fs.Int("min-age", -1, "")
		maxAge = fs.Int("max-age", 0, "")
		employment = fs.Bool("employment", d.RequireEmployment, "")
		residence = fs.Bool("residence", d.RequireResidence, "")
		excludeStudying = fs.Bool("exclude-studying", false, "")
		maxDataAge = fs.Duration("max-data-age", d.MaxDataAge, "")
		prioLKI = fs.Int("priority-lki", d.PriorityMaxLKI, "")
		prioAge = fs.Int("priority-age", d.PriorityMinAge, "")
		name = fs.String("name", "", "")
		combine = fs.String("priority-combine", d.PriorityCombine, "")
		autoReject = fs.String("auto-reject", strings.Join(d.AutoReject, ","), "")
	default:
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.imk_policy"))
		return errUsageShown
	}
	verb := args[0]
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return err
	}
	var id int64
	switch verb {
	case "show", "discard":
		if len(pos) != 1 {
			fmt.Fprintln(m.Stderr, m.cat.T("cli.help.imk_policy"))
			return errUsageShown
		}
		id, err = strconv.ParseInt(pos[0], 10, 64)
		if err != nil || id <= 0 {
			return usageError{m.cat.T("cli.imk_policy.bad_id", pos[0])}
		}
	default:
		if len(pos) != 0 {
			fmt.Fprintln(m.Stderr, m.cat.T("cli.help.imk_policy"))
			return errUsageShown
		}
	}
	var p domain.EligibilityPolicy
	if verb == "draft" {
		if strings.TrimSpace(*name) == "" {
			return usageError{m.cat.T("cli.imk_policy.need_name")}
		}
		if *minAge < 0 {
			return usageError{m.cat.T("cli.imk_policy.need_min")}
		}
		rules, err := m.autoRejectRules(*autoReject)
		if err != nil {
			return err
		}
		p = domain.EligibilityPolicy{
			Name: *name, MinAge: *minAge, MaxAge: *maxAge, RequireEmployment: *employment,
			RequireResidence: *residence, ExcludeStudying: *excludeStudying, MaxDataAge: *maxDataAge,
			PriorityMaxLKI: *prioLKI, PriorityMinAge: *prioAge, PriorityCombine: *combine, AutoReject: rules,
		}
		if err := p.Validate(); err != nil {
			return err
		}
	}
	acting := verb == "draft" || verb == "discard"
	if acting && !op.given() {
		return usageError{m.cat.T("cli.as.needed")}
	}

	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	svc := storage.NewPolicyService(db)
	ctx = cliContext(ctx)
	if acting {
		if ctx, err = m.actAsOperator(ctx, db, op); err != nil {
			return err
		}
	}
	switch verb {
	case "list":
		return m.listPolicies(ctx, svc)
	case "show":
		q, err := svc.FindPolicy(ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.imk_policy.show", q.Version, q.ID, field(q.Name), m.policyState(q.State),
			m.policyFrom(q), q.MinAge, q.MaxAge, m.yesNo(q.RequireEmployment), m.yesNo(q.RequireResidence),
			m.yesNo(q.ExcludeStudying), m.dataAge(q.MaxDataAge), q.PriorityMaxLKI, q.PriorityMinAge))
		auto := strings.Join(q.AutoReject, ", ")
		if auto == "" {
			auto = m.cat.T("tui.pol.manual_none")
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.imk_policy.show_rules", q.Combine(), auto))
		return nil
	case "draft":
		q, err := svc.DraftPolicy(ctx, &p)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.imk_policy.drafted", q.Version, q.ID))
		return nil
	default: // discard
		if err := svc.DiscardPolicy(ctx, id); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, m.cat.T("cli.imk_policy.discarded", id))
		return nil
	}
}

func (m *Main) listPolicies(ctx context.Context, svc *storage.PolicyService) error {
	list, err := svc.ListPolicies(ctx)
	if err != nil {
		return err
	}
	var inForce int64
	if cur, err := svc.PolicyInForce(ctx, time.Now()); err == nil {
		inForce = cur.ID
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, m.cat.T("cli.imk_policy.header"))
	for _, q := range list {
		state := m.policyState(q.State)
		if q.ID == inForce {
			state += " " + m.cat.T("cli.imk_policy.in_force")
		}
		fmt.Fprintf(w, "%d\t%d\t%s\t%s\t%s\n", q.ID, q.Version, state, m.policyFrom(q), field(q.Name))
	}
	return w.Flush()
}

func (m *Main) policyState(s string) string {
	if s == domain.PolicyApproved {
		return m.cat.T("cli.imk_policy.approved_state")
	}
	return m.cat.T("cli.imk_policy.draft")
}

func (m *Main) policyFrom(q *domain.EligibilityPolicy) string {
	switch {
	case q.State != domain.PolicyApproved:
		return "–"
	case q.EffectiveFrom.IsZero():
		return m.cat.T("cli.imk_policy.always")
	default:
		return q.EffectiveFrom.Local().Format("2006-01-02 15:04")
	}
}

func (m *Main) yesNo(b bool) string {
	if b {
		return m.cat.T("cli.imk_policy.yes")
	}
	return m.cat.T("cli.imk_policy.no")
}

// dataAge words the policy's maximum data age: whole days as days ("30
// dienu"), anything else as hours.
func (m *Main) dataAge(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return m.cat.N("cli.count.days", int64(d/(24*time.Hour)))
	}
	return m.cat.N("cli.count.hours", int64(d/time.Hour))
}

// autoRejectRules reads --auto-reject: eligibility rules separated by
// commas, or "none" (or nothing) for no automatic rejection (¶26.4, GDPR
// Art. 22). A name that is no eligibility rule is a usage error.
func (m *Main) autoRejectRules(v string) ([]string, error) {
	rules := []string{}
	v = strings.TrimSpace(v)
	if v == "" || v == "none" {
		return rules, nil
	}
	for _, r := range strings.Split(v, ",") {
		r = strings.TrimSpace(r)
		if !slices.Contains(domain.EligibilityRules, r) {
			return nil, usageError{m.cat.T("cli.imk_policy.bad_rule", r)}
		}
		rules = append(rules, r)
	}
	return rules, nil
}
