// Package demodata fills an empty Platform database with a realistic,
// deterministic mix of role requests (¶8, ¶27–¶29) for the demo and the
// benchmarks: institutions with their users, Platform users with their
// roles, and requests of every kind in every state, with their history.
//
// Everything comes from one seeded random source and the clock, so the
// same seed and Options.Now give the same data. The rows are written with
// COPY in one transaction, fast enough for a million requests in a few
// minutes; the change feed is not told about each (ppp.bulk_load).
package demodata

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/passhash"
	"github.com/viaa/ppp/storage"
)

// Defaults of Options.
const (
	// DefaultScale is the number of requests `ppp demo` loads.
	DefaultScale = 25_000
	// DefaultSeed makes every demo the same.
	DefaultSeed int64 = 20210701
	// MinPerCell is how many requests every kind has in every state it
	// can be in, at any scale of at least 31 × MinPerCell.
	MinPerCell = 500
	// DemoPassword is the password of every institution user of the demo.
	DemoPassword = "Prasmes-Demo-2025!"
)

// loadLockKey is 'ppp_demo' as a big-endian integer: loaders take turns.
const loadLockKey int64 = 8102099284648095087

// Options say how much to load.
type Options struct {
	// Scale is the number of role requests (DefaultScale when zero).
	Scale int
	// Seed chooses the data (DefaultSeed when zero).
	Seed int64
	// Now is the end of the 60 days the requests arrive in (the current
	// time when zero).
	Now time.Time
}

// Result tells what Load wrote.
type Result struct {
	// Loaded is false when the database had role requests already and
	// nothing was written.
	Loaded       bool
	Requests     int
	Institutions int
	Users        int
	Assignments  int
	Documents    int
	Events       int
	// Counts holds the number of requests of each kind in each state.
	Counts map[domain.RoleRequestKind]map[domain.RoleRequestState]int
}

// Load writes the demo data unless the database holds role requests
// already, in which case it returns a Result with Loaded false. Requests
// arrive over the 60 days before opts.Now: decided ones with their users
// and roles (institution registrations with their institution and first
// user), open ones waiting for the Agency or an institution (some longer
// than the take-over limit), unconfirmed ones (some older than 14 days),
// some repeating a person, an address or a registration number that is
// already active or pending. Decisions name the operators with the
// reviewer role, if any. Errors of the database are returned wrapped.
func Load(ctx context.Context, db *storage.DB, opts Options) (*Result, error) {
	if opts.Scale <= 0 {
		opts.Scale = DefaultScale
	}
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Now = opts.Now.UTC().Truncate(time.Microsecond)

	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = tx.Rollback(rctx)
	}()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, loadLockKey); err != nil {
		return nil, fmt.Errorf("demo data: lock: %w", err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM role_requests)`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	if exists {
		return &Result{}, nil
	}
	// Nobody else inserts while the ids are handed out below.
	_, err = tx.Exec(ctx, `
		LOCK TABLE institutions, platform_users, role_requests, role_assignments IN EXCLUSIVE MODE;
		SELECT set_config('ppp.bulk_load', 'on', true)`)
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}

	reviewers, err := readReviewers(ctx, tx)
	if err != nil {
		return nil, err
	}
	// One hash for every demo institution user: Argon2id takes a tenth
	// of a second, a million of them would take a day.
	hash, err := passhash.Hash(DemoPassword)
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}

	g := newGenerator(opts.Seed, opts.Now, reviewers)
	g.baseInstitutions(max(20, opts.Scale/200))
	g.generate(plan(opts.Scale))

	w := &writer{tx: tx, g: g, hash: hash, res: &Result{Loaded: true, Counts: map[domain.RoleRequestKind]map[domain.RoleRequestState]int{}}}
	if err := w.write(ctx); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("demo data: commit: %w", err)
	}
	if _, err := db.Pool().Exec(ctx, `ANALYZE institutions, platform_users, role_requests, role_assignments,
	                                          role_request_documents, role_request_events`); err != nil {
		return nil, fmt.Errorf("demo data: analyze: %w", err)
	}
	err = storage.NewAuditService(db).RecordAudit(ctx, &domain.AuditEntry{
		Action: domain.AuditDemoLoad, SubjectKind: "role_request",
		Details: fmt.Sprintf("requests=%d; institutions=%d; users=%d; seed=%d", w.res.Requests, w.res.Institutions, w.res.Users, opts.Seed),
	})
	if err != nil {
		return nil, err
	}
	return w.res, nil
}

// readReviewers returns the operators with the reviewer role.
func readReviewers(ctx context.Context, tx pgx.Tx) ([]reviewer, error) {
	rows, err := tx.Query(ctx, `
		SELECT id, coalesce(nullif(full_name, ''), name)
		  FROM operators WHERE 'reviewer' = ANY (roles) AND NOT disabled ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("demo data: read reviewers: %w", err)
	}
	var out []reviewer
	var r reviewer
	_, err = pgx.ForEachRow(rows, []any{&r.id, &r.name}, func() error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo data: read reviewers: %w", err)
	}
	return out, nil
}

// writer copies the generated data into the database.
type writer struct {
	tx   pgx.Tx
	g    *generator
	hash string
	res  *Result
}

// reserve hands out n ids of table's identity, which the rows are then
// copied with; the tables are locked, so nobody takes one meanwhile.
func (w *writer) reserve(ctx context.Context, table string, n int) (int64, error) {
	var first int64
	if err := w.tx.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id'))`, table).Scan(&first); err != nil {
		return 0, fmt.Errorf("demo data: ids of %s: %w", table, err)
	}
	if n > 1 {
		if _, err := w.tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, table, first+int64(n)-1); err != nil {
			return 0, fmt.Errorf("demo data: ids of %s: %w", table, err)
		}
	}
	return first, nil
}

// user is a Platform user with the one role the demo gives them.
type user struct {
	kind        string
	code        string
	email       string
	first, last string
	password    bool
	institution *institution
	created     time.Time
	role        domain.PlatformRole
	municipal   string
	from, until time.Time
	byOperator  int64
	byInst      *institution
	request     int64
}

func (w *writer) write(ctx context.Context) error {
	g := w.g
	first, err := w.reserve(ctx, "role_requests", len(g.requests))
	if err != nil {
		return err
	}
	g.order(first)

	insts := append(append([]*institution(nil), g.base...), g.created...)
	if len(insts) > 0 {
		id, err := w.reserve(ctx, "institutions", len(insts))
		if err != nil {
			return err
		}
		for i, inst := range insts {
			inst.id = id + int64(i)
		}
	}

	// Every user holds one role: the base institutions' first users, and
	// whoever an approval in the window granted one.
	var users []*user
	for _, inst := range g.base {
		users = append(users, &user{
			kind: "password", email: inst.adminEmail, first: inst.adminFirst, last: inst.adminLst, password: true,
			institution: inst, created: inst.activatedAt, role: domain.PlatformInstitutionAdmin,
			from: inst.activatedAt, until: g.now.Add(time.Duration(60+g.rng.IntN(640)) * day),
		})
	}
	for _, r := range g.requests {
		if !r.grant {
			continue
		}
		u := &user{
			kind: "viss", code: r.person.code, email: r.person.email, first: r.person.first, last: r.person.last,
			created: r.decidedAt, role: r.kind.PlatformRole(), municipal: r.municipality,
			from: r.decidedAt, until: r.validUntil, byOperator: r.decidedBy, byInst: r.decidedByInst, request: r.id,
		}
		if r.kind.UsesPassword() {
			u.kind, u.code, u.password, u.institution = "password", "", true, r.institution
		} else if r.kind == domain.KindCareerConsultant {
			u.institution = r.institution // the scope, not the user's
		}
		users = append(users, u)
	}
	userFirst, assignFirst := int64(0), int64(0)
	if len(users) > 0 {
		if userFirst, err = w.reserve(ctx, "platform_users", len(users)); err != nil {
			return err
		}
		if assignFirst, err = w.reserve(ctx, "role_assignments", len(users)); err != nil {
			return err
		}
	}

	steps := []func(context.Context) error{
		func(ctx context.Context) error { return w.copyInstitutions(ctx, insts) },
		w.copyRequests,
		func(ctx context.Context) error { return w.copyUsers(ctx, users, userFirst, assignFirst) },
		w.copyDocuments,
		w.copyEvents,
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// copyRows copies rows into table with COPY.
func (w *writer) copyRows(ctx context.Context, table string, columns []string, n int, row func(i int) []any) (int, error) {
	i := 0
	copied, err := w.tx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromFunc(func() ([]any, error) {
		if i >= n {
			return nil, nil
		}
		values := row(i)
		i++
		return values, nil
	}))
	if err != nil {
		return 0, fmt.Errorf("demo data: copy %s: %w", table, err)
	}
	return int(copied), nil
}

func (w *writer) copyInstitutions(ctx context.Context, insts []*institution) error {
	n, err := w.copyRows(ctx, "institutions",
		[]string{"id", "name", "company_reg_number", "education_reg_number", "email", "state", "activated_at", "created_at", "updated_at"},
		len(insts), func(i int) []any {
			inst := insts[i]
			return []any{inst.id, inst.name, inst.company, inst.education, inst.email, "active", inst.activatedAt, inst.activatedAt, inst.activatedAt}
		})
	w.res.Institutions = n
	return err
}

func (w *writer) copyRequests(ctx context.Context) error {
	reqs := w.g.requests
	n, err := w.copyRows(ctx, "role_requests", []string{
		"id", "kind", "state", "route", "version", "first_name", "last_name", "personal_code", "email", "phone",
		"position", "institution_name", "company_reg_number", "education_reg_number", "institution_id",
		"municipality_code", "password_hash", "notes", "email_token_hash", "email_sent_at", "email_confirmed_at",
		"decided_by", "decided_by_institution", "decided_at", "valid_until", "reason_code", "reason_text",
		"info_message", "info_answer", "created_at", "updated_at", "institution_reminder_at",
	}, len(reqs), func(i int) []any {
		r := reqs[i]
		var institutionID, decidedByInst any
		if r.institution != nil && (r.kind != domain.KindInstitution || r.grant) {
			institutionID = r.institution.id
		}
		if r.decidedByInst != nil {
			decidedByInst = r.decidedByInst.id
		}
		var password, municipality, token any
		if r.hasPassword {
			password = w.hash
		}
		if r.municipality != "" {
			municipality = r.municipality
		}
		if r.tokenHash != nil {
			token = r.tokenHash
		}
		var decidedBy any
		if r.decidedBy > 0 {
			decidedBy = r.decidedBy
		}
		w.count(r)
		return []any{
			r.id, string(r.kind), string(r.state), string(r.route), r.version, r.person.first, r.person.last,
			r.person.code, r.person.email, r.person.phone, r.position, r.instName, r.company, r.education,
			institutionID, municipality, password, r.notes, token, r.sentAt, nullTime(r.confirmedAt),
			decidedBy, decidedByInst, nullTime(r.decidedAt), nullTime(r.validUntil), r.reasonCode, r.reasonText,
			r.infoMessage, r.infoAnswer, r.createdAt, r.updatedAt, nullTime(r.reminderAt),
		}
	})
	w.res.Requests = n
	return err
}

// count adds r to the Result's counts.
func (w *writer) count(r *request) {
	byState := w.res.Counts[r.kind]
	if byState == nil {
		byState = map[domain.RoleRequestState]int{}
		w.res.Counts[r.kind] = byState
	}
	byState[r.state]++
}

func (w *writer) copyUsers(ctx context.Context, users []*user, first, assignFirst int64) error {
	n, err := w.copyRows(ctx, "platform_users", []string{
		"id", "kind", "personal_code", "email", "first_name", "last_name", "password_hash", "institution_id",
		"email_confirmed", "created_at", "updated_at",
	}, len(users), func(i int) []any {
		u := users[i]
		var code, password, institution any
		if u.code != "" {
			code = u.code
		}
		if u.password {
			password, institution = w.hash, u.institution.id
		}
		return []any{first + int64(i), u.kind, code, u.email, u.first, u.last, password, institution, true, u.created, u.created}
	})
	w.res.Users = n
	if err != nil {
		return err
	}
	n, err = w.copyRows(ctx, "role_assignments", []string{
		"id", "user_id", "role", "institution_id", "municipality_code", "valid_from", "valid_until",
		"granted_by", "granted_by_institution", "request_id", "created_at",
	}, len(users), func(i int) []any {
		u := users[i]
		var institution, municipality, byOp, byInst, request any
		if u.institution != nil {
			institution = u.institution.id
		}
		if u.municipal != "" {
			municipality = u.municipal
		}
		if u.byOperator > 0 {
			byOp = u.byOperator
		}
		if u.byInst != nil {
			byInst = u.byInst.id
		}
		if u.request > 0 {
			request = u.request
		}
		return []any{assignFirst + int64(i), first + int64(i), string(u.role), institution, municipality,
			u.from, u.until, byOp, byInst, request, u.from}
	})
	w.res.Assignments = n
	return err
}

func (w *writer) copyDocuments(ctx context.Context) error {
	type doc struct {
		request int64
		pos     int
		d       document
	}
	var docs []doc
	for _, r := range w.g.requests {
		for i, d := range r.docs {
			docs = append(docs, doc{r.id, i + 1, d})
		}
	}
	n, err := w.copyRows(ctx, "role_request_documents",
		[]string{"request_id", "position", "name", "media_type", "size", "sha256"},
		len(docs), func(i int) []any {
			d := docs[i]
			return []any{d.request, d.pos, d.d.name, d.d.mediaType, d.d.size, d.d.sha256}
		})
	w.res.Documents = n
	return err
}

func (w *writer) copyEvents(ctx context.Context) error {
	reqs := w.g.requests
	ri, ei := 0, 0
	copied, err := w.tx.CopyFrom(ctx, pgx.Identifier{"role_request_events"},
		[]string{"request_id", "at", "actor_id", "actor_name", "action", "note"},
		pgx.CopyFromFunc(func() ([]any, error) {
			for ri < len(reqs) && ei >= len(reqs[ri].events) {
				ri, ei = ri+1, 0
			}
			if ri >= len(reqs) {
				return nil, nil
			}
			r, e := reqs[ri], reqs[ri].events[ei]
			ei++
			var actor any
			if e.actorID > 0 {
				actor = e.actorID
			}
			return []any{r.id, e.at, actor, e.actorName, e.action, e.note}, nil
		}))
	if err != nil {
		return fmt.Errorf("demo data: copy role_request_events: %w", err)
	}
	w.res.Events = int(copied)
	return nil
}

// nullTime is NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// String summarises the result for the command line.
func (r *Result) String() string {
	if !r.Loaded {
		return "role requests present already: nothing loaded"
	}
	return strconv.Itoa(r.Requests) + " role requests, " + strconv.Itoa(r.Institutions) + " institutions, " +
		strconv.Itoa(r.Users) + " Platform users"
}
