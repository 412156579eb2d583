package demodata

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// The back-office staff of the demo. "demo" holds every role and is the
// newcomer's account; the others have done the work the newcomer finds:
// whatever needs a second person was started by one of them, never by
// "demo", so that "demo" can be that second person.
const (
	OperatorDemo     = "demo"
	OperatorReviewer = "janis.berzins" // reviewer; the open misuse alert is his
	OperatorHelpdesk = "anna.kalnina"  // helpdesk: replies, resets, suspension requests
	OperatorSecurity = "rute.liepa"    // security: denials, lifts
	OperatorEditor   = "maris.ozols"   // editor: drafts of the terms and of the IMK policy
	OperatorAdmin    = "edgars.vitols" // administrator and security: the second officer
	OperatorLeaver   = "karlis.zarins" // a reviewer leaving the Agency: denials of an operator
	staffDomain      = "@viaa.gov.lv"
	demoRemoteAddr   = "10.20.30.41"
	demoInstanceName = "ppp-demo"
)

// Staff returns the demo's operators, "demo" first. Each call returns new
// values, which the caller may change.
func Staff() []domain.Operator {
	op := func(name, full string, roles ...domain.Role) domain.Operator {
		return domain.Operator{Name: name, FullName: full, Email: name + staffDomain, Roles: roles, Language: "lv"}
	}
	return []domain.Operator{
		op(OperatorDemo, "Līga Ozoliņa", domain.Roles...),
		op(OperatorReviewer, "Jānis Bērziņš", domain.RoleReviewer),
		op(OperatorHelpdesk, "Anna Kalniņa", domain.RoleHelpdesk),
		op(OperatorSecurity, "Rūta Liepa", domain.RoleSecurity),
		op(OperatorEditor, "Māris Ozols", domain.RoleEditor),
		op(OperatorAdmin, "Edgars Vītols", domain.RoleAdmin, domain.RoleSecurity),
		op(OperatorLeaver, "Kārlis Zariņš", domain.RoleReviewer),
	}
}

// staffMember is an operator of the demo as the work loader acts as them.
type staffMember struct {
	id   int64
	name string // sign-in name
	full string
}

// actor is the context of a session of s: what every service checks.
func (s staffMember) actor(ctx context.Context) context.Context {
	return domain.WithActor(ctx, domain.Actor{
		OperatorID: s.id, Name: s.name, SessionID: "demo-" + s.name, RemoteAddr: demoRemoteAddr,
	})
}

// readStaff returns the enabled demo operators by sign-in name. A demo
// operator missing from the database is an error: LoadWork acts as each.
func readStaff(ctx context.Context, q interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}) (map[string]staffMember, error) {
	var names []string
	for _, o := range Staff() {
		names = append(names, o.Name)
	}
	rows, err := q.Query(ctx, `
		SELECT id, name, coalesce(nullif(full_name, ''), name) FROM operators
		 WHERE name = ANY ($1) AND NOT disabled`, names)
	if err != nil {
		return nil, fmt.Errorf("demo work: read the staff: %w", err)
	}
	out := map[string]staffMember{}
	var s staffMember
	_, err = pgx.ForEachRow(rows, []any{&s.id, &s.name, &s.full}, func() error {
		out[s.name] = s
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo work: read the staff: %w", err)
	}
	var missing []error
	for _, n := range names {
		if _, ok := out[n]; !ok {
			missing = append(missing, fmt.Errorf("operator %s", n))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("demo work: the demo's operators are missing or disabled: %w", errors.Join(missing...))
	}
	return out, nil
}
