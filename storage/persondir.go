package storage

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// The people directory (issue 17): one page per person. Each section is
// read newest first by keyset on (time, id) under the person, their
// account or their addresses, with a LIMIT — an index range scan of
// migration 0200 in the section's order where it hangs on one key, a
// bitmap over the person's rows and a top-N sort where it hangs on
// several codes or addresses — and counted on the same index; the page sends every
// section's read and count in one batch, in the transaction that counts
// the look-up.

// PersonDirectory implements domain.PersonDirectory.
type PersonDirectory struct{ db *DB }

// NewPersonDirectory returns a PersonDirectory on db.
func NewPersonDirectory(db *DB) *PersonDirectory { return &PersonDirectory{db: db} }

var _ domain.PersonDirectory = (*PersonDirectory)(nil)

var personGuard = guard{
	noOperator: domain.Errorf(domain.EUNAUTHORIZED, "access.no_operator", "only a signed-in operator can do this"),
	forbidden:  domain.Errorf(domain.EFORBIDDEN, "person.forbidden", "the people screen is for reviewers, the helpdesk and security"),
}

// personKeys are what a person's sections are read by.
type personKeys struct {
	person int64
	code   string // the current code
	user   int64  // the Platform account; 0 for none
	codes  []string
	addrs  []string
	now    time.Time // the transaction's: a request pending past its expiry reads as expired
}

// personSection is how one section is read: its filter's arguments (nil:
// the section is empty for this person), the count, and the page, whose
// last three parameters follow the filter's: the cursor's time and id and
// the limit.
type personSection struct {
	args  func(k *personKeys) []any
	count string
	page  string
	scan  func(row pgx.Row) (*domain.PersonEntry, error)
}

func byUser(k *personKeys) []any {
	if k.user == 0 {
		return nil
	}
	return []any{k.user}
}

func byPerson(k *personKeys) []any { return []any{k.person} }

// entryColumns are what a plain section selects: id, time, kind, state,
// text, note, until.
func scanEntry(row pgx.Row) (*domain.PersonEntry, error) {
	e := &domain.PersonEntry{}
	var until *time.Time
	if err := row.Scan(&e.ID, &e.At, &e.Kind, &e.State, &e.Text, &e.Note, &until); err != nil {
		return nil, err
	}
	e.At, e.Until = e.At.UTC(), utcOrZero(until)
	return e, nil
}

// keyset is the condition and order of a section on (at, id); n is the
// number of the filter's parameters before the cursor's.
func keyset(at, id string, n int) string {
	return fmt.Sprintf(` AND (%[1]s, %[2]s) < ($%[3]d, $%[4]d) ORDER BY %[1]s DESC, %[2]s DESC LIMIT $%[5]d`, at, id, n+1, n+2, n+3)
}

var personSections = map[domain.PersonSection]personSection{
	domain.PersonRoles: {
		args:  byUser,
		count: `SELECT count(*) FROM role_assignments a WHERE a.user_id = $1`,
		page:  assignmentSelect + ` WHERE a.user_id = $1` + keyset("a.valid_from", "a.id", 1),
		scan: func(row pgx.Row) (*domain.PersonEntry, error) {
			a, err := scanAssignment(row)
			if err != nil {
				return nil, err
			}
			state := "running"
			switch {
			case !a.Running():
				state = "ended"
			case !a.SuspendedAt.IsZero():
				state = "suspended"
			}
			scope := a.InstitutionName
			if scope == "" {
				scope = a.MunicipalityName
			}
			return &domain.PersonEntry{ID: a.ID, At: a.ValidFrom, Kind: string(a.Role), State: state, Text: scope,
				Note: a.EndReason, Until: a.ValidUntil, Assignment: a}, nil
		},
	},
	domain.PersonRequests: {
		args:  func(k *personKeys) []any { return []any{k.codes} },
		count: `SELECT count(*) FROM role_requests r WHERE r.personal_code = ANY($1) AND r.personal_code <> ''`,
		page: `SELECT r.id, r.created_at, r.kind, r.state,
		              coalesce(nullif(r.institution_name, ''), r.municipality_code, ''), coalesce(r.reason_text, ''), r.valid_until
		         FROM role_requests r WHERE r.personal_code = ANY($1) AND r.personal_code <> ''` + keyset("r.created_at", "r.id", 1),
		scan: scanEntry,
	},
	domain.PersonIMK: {
		args:  byPerson,
		count: `SELECT count(*) FROM imk_applications a WHERE a.person_id = $1`,
		page: `SELECT a.id, a.applied_at, coalesce(a.evaluation->>'Outcome', ''), a.state,
		              array_to_string(coalesce(a.review_why, '{}'), ', '), coalesce(a.reason, ''), a.decided_at
		         FROM imk_applications a WHERE a.person_id = $1` + keyset("a.applied_at", "a.id", 1),
		scan: scanEntry,
	},
	domain.PersonDenials: {
		args:  byUser,
		count: `SELECT count(*) FROM denials d WHERE d.subject_kind = 'platform_user' AND d.subject_id = $1`,
		page:  denialSelect + ` WHERE d.subject_kind = 'platform_user' AND d.subject_id = $1` + keyset("d.raised_at", "d.id", 1),
		scan: func(row pgx.Row) (*domain.PersonEntry, error) {
			d, err := scanDenial(row)
			if err != nil {
				return nil, err
			}
			return &domain.PersonEntry{ID: d.ID, At: d.RaisedAt.UTC(), Kind: string(d.Ground), State: string(d.State),
				Text: d.Note, Note: d.LiftReason, Until: d.LiftedAt, Denial: d}, nil
		},
	},
	domain.PersonTickets: {
		args: func(k *personKeys) []any { return []any{k.user, k.addrs} },
		count: `SELECT count(*) FROM tickets t
		         WHERE (t.account_kind = 'platform_user' AND t.account_id = $1) OR lower(t.from_addr) = ANY($2)`,
		page: `SELECT t.id, t.created_at, t.category, t.state, t.subject, '', NULL::timestamptz FROM tickets t
		        WHERE ((t.account_kind = 'platform_user' AND t.account_id = $1) OR lower(t.from_addr) = ANY($2))` + keyset("t.created_at", "t.id", 2),
		scan: scanEntry,
	},
	// Subjects only: a body may hold a reset link or a code until it is
	// wiped (outbox_secret.go), and the page is no place to read mail.
	domain.PersonMail: {
		args:  func(k *personKeys) []any { return []any{k.addrs} },
		count: `SELECT count(*) FROM outbox o WHERE lower(o.to_addr) = ANY($1)`,
		page: `SELECT o.id, o.created_at, o.template, o.state, o.subject, '', o.sent_at FROM outbox o
		        WHERE lower(o.to_addr) = ANY($1)` + keyset("o.created_at", "o.id", 1),
		scan: scanEntry,
	},
	domain.PersonSignIns: {
		args:  byUser,
		count: `SELECT count(*) FROM platform_sign_ins s WHERE s.user_id = $1`,
		page: `SELECT s.id, s.at, s.method, '', coalesce((SELECT c.name FROM api_clients c WHERE c.id = s.api_client_id), ''), '', NULL::timestamptz
		         FROM platform_sign_ins s WHERE s.user_id = $1` + keyset("s.at", "s.id", 1),
		scan: scanEntry,
	},
	domain.PersonTerms: {
		args:  func(k *personKeys) []any { return []any{k.person, k.user} },
		count: `SELECT count(*) FROM terms_acceptances t WHERE t.person_id = $1 OR t.user_id = $2`,
		page: `SELECT t.version_id, t.accepted_at, v.number, t.channel, v.title, '', NULL::timestamptz
		         FROM terms_acceptances t JOIN terms_versions v ON v.id = t.version_id
		        WHERE (t.person_id = $1 OR t.user_id = $2)` + keyset("t.accepted_at", "t.version_id", 2),
		scan: scanEntry,
	},
	// The account's contact history: each change with who asked for it
	// and who approved it, each e-mail change request in every state with
	// who asked and who decided (a pending one past its expiry reads as
	// expired, as DefenceService.AccountEmailChanges has it).
	domain.PersonChanges: {
		args:  byUser,
		count: `SELECT count(*) FROM account_changes c WHERE c.user_id = $1`,
		page: `SELECT c.id, c.at, c.field, CASE WHEN c.approved_by IS NULL THEN '' ELSE 'approved' END,
		              c.old_value || ' → ' || c.new_value, c.reason, NULL::timestamptz, c.actor_name, c.approved_by_name
		         FROM account_changes c WHERE c.user_id = $1` + keyset("c.at", "c.id", 1),
		scan: scanContactEntry,
	},
	domain.PersonEmailAsked: {
		args: func(k *personKeys) []any {
			if k.user == 0 {
				return nil
			}
			return []any{k.user, k.now}
		},
		// The count takes the page's arguments: $2, the time, only the page needs.
		count: `SELECT count(*) FROM email_change_requests e WHERE e.user_id = $1 AND $2::timestamptz IS NOT NULL`,
		page: `SELECT e.id, e.requested_at, '',
		              CASE WHEN e.state = 'pending' AND e.expires_at <= $2 THEN 'expired' ELSE e.state END,
		              e.old_email || ' → ' || e.new_email, e.reason, e.expires_at,
		              coalesce(nullif(r.full_name, ''), r.name), coalesce(nullif(d.full_name, ''), d.name, '')
		         FROM email_change_requests e JOIN operators r ON r.id = e.requested_by
		         LEFT JOIN operators d ON d.id = e.decided_by
		        WHERE e.user_id = $1` + keyset("e.requested_at", "e.id", 2),
		scan: scanContactEntry,
	},
}

// scanContactEntry reads a plain entry's columns and then who made it and
// who decided it.
func scanContactEntry(row pgx.Row) (*domain.PersonEntry, error) {
	e := &domain.PersonEntry{}
	var until *time.Time
	if err := row.Scan(&e.ID, &e.At, &e.Kind, &e.State, &e.Text, &e.Note, &until, &e.By, &e.DecidedBy); err != nil {
		return nil, err
	}
	e.At, e.Until = e.At.UTC(), utcOrZero(until)
	return e, nil
}

// cursorArgs are the page's cursor and limit after the filter's args.
func cursorArgs(args []any, after domain.PersonCursor) []any {
	at, id := after.At, after.ID
	if after.IsZero() {
		at, id = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), math.MaxInt64
	}
	return append(slices.Clone(args), at, id, domain.PersonSectionPageSize)
}

// SearchPersons finds persons by a whole personal code, an e-mail address
// or a name prefix (domain.ParsePersonQuery: its EINVALID), codes masked;
// a search by code counts a look-up of each person found. EUNAUTHORIZED,
// EFORBIDDEN "person.forbidden", EUNAVAILABLE.
func (s *PersonDirectory) SearchPersons(ctx context.Context, query string) ([]*domain.PersonMatch, error) {
	me, err := loadCaller(ctx, s.db.pool, personGuard, domain.PersonRolesAllowed...)
	if err != nil {
		return nil, err
	}
	q, err := domain.ParsePersonQuery(query)
	if err != nil {
		return nil, err
	}
	var ids string
	var args []any
	switch q.Kind {
	case domain.PersonByCode:
		ids, args = `SELECT c.person_id FROM person_codes c WHERE c.code = ANY($1)`, []any{q.Codes}
	case domain.PersonByEmail:
		ids, args = `SELECT u.person_id FROM platform_users u WHERE lower(u.email) = $1 AND u.person_id IS NOT NULL
		             UNION SELECT a.person_id FROM imk_applications a WHERE lower(a.email) = $1`, []any{q.Email}
	default:
		// Range on text_pattern_ops: a prefix, whatever the plan.
		ids = `(SELECT p.id FROM persons p WHERE person_fold(p.first_name || ' ' || p.last_name) ~>=~ $1
		          AND person_fold(p.first_name || ' ' || p.last_name) ~<~ $2 LIMIT $3)
		       UNION (SELECT p.id FROM persons p WHERE person_fold(p.last_name || ' ' || p.first_name) ~>=~ $1
		          AND person_fold(p.last_name || ' ' || p.first_name) ~<~ $2 LIMIT $3)`
		args = []any{q.Name, q.Name + "\U0010FFFF", domain.PersonSearchLimit}
	}
	rows, err := s.db.pool.Query(ctx, `
		SELECT p.id, p.personal_code, p.first_name, p.last_name, coalesce(u.email, ''), coalesce(u.id, 0),
		       EXISTS (SELECT FROM imk_applications a WHERE a.person_id = p.id)
		  FROM persons p LEFT JOIN platform_users u ON u.person_id = p.id
		 WHERE p.id IN (`+ids+`)
		 ORDER BY p.last_name, p.first_name, p.id LIMIT `+fmt.Sprint(domain.PersonSearchLimit), args...)
	if err != nil {
		return nil, dbError("search persons", err)
	}
	var out []*domain.PersonMatch
	var codes []string
	for rows.Next() {
		m := &domain.PersonMatch{}
		var code string
		if err := rows.Scan(&m.PersonID, &code, &m.FirstName, &m.LastName, &m.Email, &m.UserID, &m.HasIMK); err != nil {
			rows.Close()
			return nil, dbError("search persons", err)
		}
		m.MaskedCode, m.HasAccount = domain.MaskPersonalCode(code), m.UserID != 0
		out, codes = append(out, m), append(codes, code)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("search persons", err)
	}
	if q.Kind == domain.PersonByCode {
		for _, code := range codes {
			if err := recordLookup(ctx, s.db, me, code); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// readPersonKeys reads what the person's sections are read by;
// ENOTFOUND "person.not_found".
func readPersonKeys(ctx context.Context, tx *Tx, id int64) (*personKeys, error) {
	k := &personKeys{person: id, now: tx.now}
	err := tx.QueryRow(ctx, `
		SELECT p.personal_code, coalesce(u.id, 0),
		       ARRAY(SELECT c.code FROM person_codes c WHERE c.person_id = p.id ORDER BY c.code),
		       ARRAY(SELECT DISTINCT x FROM (SELECT lower(u.email) AS x WHERE u.email <> ''
		                                     UNION SELECT lower(a.email) FROM imk_applications a
		                                      WHERE a.person_id = p.id AND a.email <> '') e ORDER BY x)
		  FROM persons p LEFT JOIN platform_users u ON u.person_id = p.id WHERE p.id = $1`, id).
		Scan(&k.code, &k.user, &k.codes, &k.addrs)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.PersonNotFound()
	}
	if err != nil {
		return nil, dbError("read person", err)
	}
	return k, nil
}

// OpenPerson returns the person's page with the first entries of every
// section and their counts, and counts the look-up in the same
// transaction. ENOTFOUND "person.not_found", EUNAUTHORIZED, EFORBIDDEN
// "person.forbidden", EUNAVAILABLE.
func (s *PersonDirectory) OpenPerson(ctx context.Context, id int64) (*domain.PersonPage, error) {
	var page *domain.PersonPage
	err := s.db.inTx(ctx, "open person", func(tx *Tx) error {
		me, err := loadCaller(ctx, tx, personGuard, domain.PersonRolesAllowed...)
		if err != nil {
			return err
		}
		k, err := readPersonKeys(ctx, tx, id)
		if err != nil {
			return err
		}
		page = &domain.PersonPage{Addresses: k.addrs, Sections: map[domain.PersonSection]*domain.PersonSectionPage{}}
		if err := readIdentity(ctx, tx, k, page); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, name := range domain.PersonSections {
			sec, p := personSections[name], &domain.PersonSectionPage{}
			page.Sections[name] = p
			args := sec.args(k)
			if args == nil {
				continue
			}
			b.Queue(sec.count, args...).QueryRow(func(row pgx.Row) error { return row.Scan(&p.Count) })
			b.Queue(sec.page, cursorArgs(args, domain.PersonCursor{})...).Query(func(rows pgx.Rows) error {
				var err error
				p.Entries, err = collectEntries(rows, name, sec.scan)
				return err
			})
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return dbError("read person's sections", err)
		}
		if err := denialEffects(ctx, tx, page.Sections[domain.PersonDenials].Entries); err != nil {
			return err
		}
		return countLookup(ctx, tx, me, k.code, s.db.AlertThresholds.ViewsPerHour)
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

func readIdentity(ctx context.Context, tx *Tx, k *personKeys, page *domain.PersonPage) error {
	p := &page.Identity
	var last, due *time.Time
	var deceased *time.Time
	var code string
	var uid *int64
	a := &domain.PersonAccount{}
	var aKind, aEmail *string
	var aConfirmed, aDenied *bool
	var aCreated *time.Time
	err := tx.QueryRow(ctx, `
		SELECT p.id, p.personal_code, p.first_name, p.last_name, p.language, p.created_at,
		       p.last_death_check_at, nullif(p.death_check_due_at, '-infinity'), p.death_check_outcome,
		       p.deceased_on::timestamptz,
		       u.id, u.kind, u.email, u.email_confirmed, u.sign_in_denied, u.created_at
		  FROM persons p LEFT JOIN platform_users u ON u.person_id = p.id WHERE p.id = $1`, k.person).
		Scan(&p.ID, &code, &p.FirstName, &p.LastName, &p.Language, &p.CreatedAt, &last, &due, &p.DeathOutcome,
			&deceased, &uid, &aKind, &aEmail, &aConfirmed, &aDenied, &aCreated)
	if err != nil {
		return dbError("read person", err)
	}
	p.MaskedCode, p.CreatedAt = domain.MaskPersonalCode(code), p.CreatedAt.UTC()
	p.LastDeathCheck, p.DeathCheckDue, p.DeceasedOn = utcOrZero(last), utcOrZero(due), utcOrZero(deceased)
	if uid != nil {
		a.UserID, a.Kind, a.Email, a.EmailConfirmed, a.SignInDenied, a.CreatedAt = *uid, *aKind, *aEmail, *aConfirmed, *aDenied, aCreated.UTC()
		page.Account = a
	}
	return nil
}

func collectEntries(rows pgx.Rows, name domain.PersonSection, scan func(pgx.Row) (*domain.PersonEntry, error)) ([]*domain.PersonEntry, error) {
	defer rows.Close()
	var out []*domain.PersonEntry
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, err
		}
		e.Section = name
		out = append(out, e)
	}
	return out, rows.Err()
}

// denialEffects fills in the effects of the denials listed: each kind
// with its count.
func denialEffects(ctx context.Context, tx *Tx, entries []*domain.PersonEntry) error {
	if len(entries) == 0 {
		return nil
	}
	byID := map[int64]*domain.PersonEntry{}
	var ids []int64
	for _, e := range entries {
		byID[e.ID], ids = e, append(ids, e.ID)
	}
	rows, err := tx.Query(ctx, `
		SELECT denial_id, effect, count(*) FROM denial_effects WHERE denial_id = ANY($1)
		 GROUP BY denial_id, effect ORDER BY denial_id, effect`, ids)
	if err != nil {
		return dbError("read denial effects", err)
	}
	var id int64
	var effect string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&id, &effect, &n}, func() error {
		if n > 1 {
			effect = fmt.Sprintf("%s×%d", effect, n)
		}
		byID[id].Effects = append(byID[id].Effects, effect)
		return nil
	})
	return dbError("read denial effects", err)
}

// PersonSectionAfter returns the next page of one section after the
// cursor, with the section's count. EINVALID "person.bad_section",
// ENOTFOUND "person.not_found", EUNAUTHORIZED, EFORBIDDEN, EUNAVAILABLE.
func (s *PersonDirectory) PersonSectionAfter(ctx context.Context, id int64, name domain.PersonSection, after domain.PersonCursor) (*domain.PersonSectionPage, error) {
	if err := domain.CheckPersonSection(name); err != nil {
		return nil, err
	}
	out := &domain.PersonSectionPage{}
	err := s.db.readTx(ctx, "read person's section", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, personGuard, domain.PersonRolesAllowed...); err != nil {
			return err
		}
		k, err := readPersonKeys(ctx, tx, id)
		if err != nil {
			return err
		}
		sec := personSections[name]
		args := sec.args(k)
		if args == nil {
			return nil
		}
		if err := tx.QueryRow(ctx, sec.count, args...).Scan(&out.Count); err != nil {
			return dbError("count person's section", err)
		}
		rows, err := tx.Query(ctx, sec.page, cursorArgs(args, after)...)
		if err != nil {
			return dbError("read person's section", err)
		}
		if out.Entries, err = collectEntries(rows, name, sec.scan); err != nil {
			return dbError("read person's section", err)
		}
		if name == domain.PersonDenials {
			return denialEffects(ctx, tx, out.Entries)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RevealPersonCode returns the person's whole current code for a reason,
// audited (personal_data.reveal on the person) and counted toward the
// reveals alert in the same transaction. EINVALID from
// domain.CheckRevealReason, ENOTFOUND "person.not_found", EUNAUTHORIZED,
// EFORBIDDEN.
func (s *PersonDirectory) RevealPersonCode(ctx context.Context, id int64, reason string) (string, error) {
	reason, err := domain.CheckRevealReason(reason)
	if err != nil {
		return "", err
	}
	var code string
	err = s.db.inTx(ctx, "reveal person's code", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, personGuard, domain.PersonRolesAllowed...)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `SELECT personal_code FROM persons WHERE id = $1`, id).Scan(&code)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.PersonNotFound()
		}
		if err != nil {
			return dbError("reveal person's code", err)
		}
		return revealCode(ctx, tx, me, "person", id, reason, s.db.AlertThresholds.RevealsPerHour)
	})
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(code), nil
}
