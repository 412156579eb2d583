package demodata

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/storage"
)

// member is a Platform user the demo's work is about: who writes to the
// helpdesk, who is denied access. Each plays one part.
type member struct {
	id                 int64
	kind               string // "password" (an institution's user) or "viss" (Latvija.gov.lv)
	email, first, last string
	code               string // personal code; "" for password users
	institution        string // name of the institution they work at or for; "" for none
	institutionID      int64
}

func (p *member) name() string { return p.first + " " + p.last }

// pool hands out people, each once.
type pool struct {
	people []*member
	next   int
}

// take returns the next person, or nil when none is left.
func (p *pool) take() *member {
	if p.next >= len(p.people) {
		return nil
	}
	p.next++
	return p.people[p.next-1]
}

// cast is who the work is about, read from the Platform users the bulk
// data loaded: users of institutions (staff, administrators), people who
// sign in with Latvija.gov.lv, career consultants, an institution and
// role requests whose personal codes a reviewer reveals.
type cast struct {
	staff, admins, viss, consultants pool
	requests                         []int64
	db                               *storage.DB
}

// readCast reads the people the work can be about: users with a running
// role, a confirmed address, access and life, oldest first.
func readCast(ctx context.Context, db *storage.DB) (*cast, error) {
	c := &cast{db: db}
	for _, part := range []struct {
		roles []string
		n     int
		into  *pool
	}{
		{[]string{"institution_staff"}, 8, &c.staff},
		{[]string{"institution_admin"}, 4, &c.admins},
		{[]string{"adult_education_coordinator", "municipal_coordinator"}, 16, &c.viss},
		{[]string{"career_consultant"}, 2, &c.consultants},
	} {
		rows, err := db.Pool().Query(ctx, `
			SELECT u.id, u.kind, u.email, u.first_name, u.last_name, coalesce(u.personal_code, ''),
			       coalesce(i.name, ''), coalesce(i.id, 0)
			  FROM platform_users u
			  JOIN role_assignments a ON a.user_id = u.id AND a.ended_at IS NULL AND a.suspended_at IS NULL
			  LEFT JOIN institutions i ON i.id = coalesce(u.institution_id, a.institution_id)
			 WHERE a.role = ANY ($1) AND u.email_confirmed AND NOT u.sign_in_denied
			   AND NOT EXISTS (SELECT FROM persons p WHERE p.id = u.person_id AND p.deceased_on IS NOT NULL)
			   AND u.auth_deactivated_at IS NULL AND a.valid_until > now() + interval '60 days'
			 ORDER BY u.id
			 LIMIT $2`, part.roles, part.n)
		if err != nil {
			return nil, fmt.Errorf("demo work: read the people: %w", err)
		}
		people, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*member, error) {
			p := &member{}
			return p, row.Scan(&p.id, &p.kind, &p.email, &p.first, &p.last, &p.code, &p.institution, &p.institutionID)
		})
		if err != nil {
			return nil, fmt.Errorf("demo work: read the people: %w", err)
		}
		part.into.people = people
	}
	rows, err := db.Pool().Query(ctx, `
		SELECT id FROM role_requests WHERE personal_code <> '' AND state = 'pending' ORDER BY id LIMIT 200`)
	if err != nil {
		return nil, fmt.Errorf("demo work: read role requests: %w", err)
	}
	if c.requests, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return nil, fmt.Errorf("demo work: read role requests: %w", err)
	}
	return c, nil
}

// institution returns an active institution none of the cast works at,
// the newest; ok is false when there is none.
func (c *cast) institution(ctx context.Context) (id int64, name string, ok bool, err error) {
	var used []int64
	for _, p := range [][]*member{c.staff.people, c.admins.people, c.consultants.people} {
		for _, x := range p {
			if x.institutionID != 0 {
				used = append(used, x.institutionID)
			}
		}
	}
	err = c.db.Pool().QueryRow(ctx, `
		SELECT id, name FROM institutions WHERE state = 'active' AND id <> ALL ($1::bigint[])
		 ORDER BY id DESC LIMIT 1`, used).Scan(&id, &name)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("demo work: read an institution: %w", err)
	}
	return id, name, true, nil
}
