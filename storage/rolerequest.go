package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// duplicatesLimit bounds each kind of duplicate shown. The limits of
// ListRoleRequests are domain's (domain.PageLimit, domain.NameSearchMin:
// trigrams need three characters).
const duplicatesLimit = 50

// roleRequestTopic is the change-feed topic of role requests; the trigger
// of migration 0012 announces "role_request:<id>" on every change.
const roleRequestTopic = domain.TopicRoleRequest

// openStates are the states in which a request still waits for someone.
var openStates = []string{
	string(domain.StateUnconfirmed), string(domain.StatePending),
	string(domain.StateAtInstitution), string(domain.StateInfoRequested),
}

// RoleRequestService is the reviewer's queue of role requests (¶8,
// ¶27–¶29). It implements domain.RoleRequestService: every change is
// audited, written to the request's history, announced on the change feed
// (by the table's trigger, ids only) and, where the applicant is told,
// written to the outbox, all in the change's transaction. Every method
// needs the reviewer role (EUNAUTHORIZED "rolerequest.no_operator",
// EFORBIDDEN "rolerequest.not_reviewer"); the reads may be the back office
// itself, the work needs an operator.
type RoleRequestService struct {
	db *DB

	// Config holds the default validity of approved roles and the
	// take-over limit; NewRoleRequestService sets the defaults.
	Config domain.RoleRequestConfig
	// ConfirmURL, when set, is the page that confirms an e-mail address
	// (the token is added as ?token=…); empty: the portal's page under the
	// DB's PortalURL.
	ConfirmURL string

	trgmOnce sync.Once
	trgm     bool
}

var _ domain.RoleRequestService = (*RoleRequestService)(nil)

// NewRoleRequestService returns a RoleRequestService on db with
// domain.DefaultRoleRequestConfig.
func NewRoleRequestService(db *DB) *RoleRequestService {
	return &RoleRequestService{db: db, Config: domain.DefaultRoleRequestConfig()}
}

// RoleRequestConfig returns the configuration in force, so that screens
// offer the same default validity and take-over limit the service checks.
func (s *RoleRequestService) RoleRequestConfig() domain.RoleRequestConfig { return s.Config }

// roleRequestColumns are read by scanRoleRequest, in its order, from
// role_requests r joined by roleRequestJoins.
var roleRequestColumns = `
	r.id, r.kind, r.state, r.route, r.version,
	r.first_name, r.last_name, r.personal_code, r.email, r.phone, r.position,
	r.institution_name, r.company_reg_number, r.education_reg_number,
	coalesce(r.institution_id, 0), coalesce(r.municipality_code, ''), r.notes,
	coalesce(i.name, r.institution_name), coalesce(m.name, ''),
	r.email_sent_at, r.email_confirmed_at, r.created_at, r.updated_at,
	coalesce(r.claimed_by, 0), coalesce(nullif(c.full_name, ''), c.name, ''), r.claim_expires_at,
	coalesce(r.decided_by, 0), coalesce(nullif(d.full_name, ''), d.name, di.name, ''), r.decided_at,
	r.reason_code, r.reason_text, r.info_message, r.info_answer, r.valid_until,
	r.institution_reminder_at, r.agency_reminded_at, ` + holdColumns + `, ` + termsPendingColumns

// roleRequestJoins names what roleRequestColumns reads besides the row.
var roleRequestJoins = `
	LEFT JOIN institutions   i  ON i.id = r.institution_id
	LEFT JOIN municipalities m  ON m.code = r.municipality_code
	LEFT JOIN operators      c  ON c.id = r.claimed_by
	LEFT JOIN operators      d  ON d.id = r.decided_by
	LEFT JOIN institutions   di ON di.id = r.decided_by_institution` + roleRequestHoldJoin + roleRequestTermsPendingJoin

// scanRoleRequest reads roleRequestColumns. A claim whose lease ran out by
// now is not shown: the request is back in the queue.
func scanRoleRequest(row pgx.Row, now time.Time) (*domain.RoleRequest, error) {
	var r domain.RoleRequest
	var kind, state, route string
	var sent, confirmed, claimExpires, decided, validUntil, reminded, agencyReminded *time.Time
	var hold holdScan
	var terms termsPendingScan
	err := row.Scan(append(append([]any{
		&r.ID, &kind, &state, &route, &r.Version,
		&r.Form.FirstName, &r.Form.LastName, &r.Form.PersonalCode, &r.Form.Email, &r.Form.Phone, &r.Form.Position,
		&r.Form.InstitutionName, &r.Form.CompanyRegNumber, &r.Form.EducationRegNumber,
		&r.Form.InstitutionID, &r.Form.MunicipalityCode, &r.Form.Notes,
		&r.InstitutionName, &r.MunicipalityName,
		&sent, &confirmed, &r.CreatedAt, &r.UpdatedAt,
		&r.ClaimedBy, &r.ClaimedByName, &claimExpires,
		&r.DecidedBy, &r.DecidedByName, &decided,
		&r.ReasonCode, &r.ReasonText, &r.InfoMessage, &r.InfoAnswer, &validUntil,
		&reminded, &agencyReminded,
	}, hold.dest()...), terms.dest()...)...)
	if err != nil {
		return nil, err
	}
	r.Hold, r.Terms = hold.hold(), terms.pending()
	r.Form.Kind, r.State, r.Route = domain.RoleRequestKind(kind), domain.RoleRequestState(state), domain.Route(route)
	r.EmailSentAt, r.EmailConfirmedAt = utcOrZero(sent), utcOrZero(confirmed)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.ClaimExpiresAt, r.DecidedAt, r.ValidUntil = utcOrZero(claimExpires), utcOrZero(decided), utcOrZero(validUntil)
	r.InstitutionReminderAt, r.AgencyRemindedAt = utcOrZero(reminded), utcOrZero(agencyReminded)
	if r.ClaimedBy != 0 && !now.Before(r.ClaimExpiresAt) {
		r.ClaimedBy, r.ClaimedByName, r.ClaimExpiresAt = 0, "", time.Time{}
	}
	return &r, nil
}

// roleRequestListColumns are what a queue page shows of a request, read by
// scanRoleRequestListItem in its order from role_requests r joined by
// roleRequestListJoins: identity, kind, state, where, age, confirmation
// and holder. The rest (form details, decision) is read when a request is
// opened, by FindRoleRequest.
var roleRequestListColumns = `
	r.id, r.kind, r.state, r.version,
	r.first_name, r.last_name, r.personal_code, r.email, r.institution_name,
	coalesce(r.municipality_code, ''), coalesce(i.name, r.institution_name), coalesce(m.name, ''),
	r.email_confirmed_at, r.created_at, r.updated_at,
	coalesce(r.claimed_by, 0), coalesce(nullif(c.full_name, ''), c.name, ''), r.claim_expires_at,
	` + termsPendingColumns

// roleRequestListJoins names what roleRequestListColumns reads besides
// the row.
var roleRequestListJoins = `
	LEFT JOIN institutions   i  ON i.id = r.institution_id
	LEFT JOIN municipalities m  ON m.code = r.municipality_code
	LEFT JOIN operators      c  ON c.id = r.claimed_by` + roleRequestTermsPendingJoin

// scanRoleRequestListItem reads roleRequestListColumns. A claim whose
// lease ran out by now is not shown.
func scanRoleRequestListItem(row pgx.Row, now time.Time) (*domain.RoleRequest, error) {
	var r domain.RoleRequest
	var kind, state string
	var confirmed, claimExpires *time.Time
	var terms termsPendingScan
	err := row.Scan(append([]any{
		&r.ID, &kind, &state, &r.Version,
		&r.Form.FirstName, &r.Form.LastName, &r.Form.PersonalCode, &r.Form.Email, &r.Form.InstitutionName,
		&r.Form.MunicipalityCode, &r.InstitutionName, &r.MunicipalityName,
		&confirmed, &r.CreatedAt, &r.UpdatedAt,
		&r.ClaimedBy, &r.ClaimedByName, &claimExpires,
	}, terms.dest()...)...)
	if err != nil {
		return nil, err
	}
	r.Terms = terms.pending()
	r.Form.Kind, r.State = domain.RoleRequestKind(kind), domain.RoleRequestState(state)
	r.EmailConfirmedAt, r.ClaimExpiresAt = utcOrZero(confirmed), utcOrZero(claimExpires)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if r.ClaimedBy != 0 && !now.Before(r.ClaimExpiresAt) {
		r.ClaimedBy, r.ClaimedByName, r.ClaimExpiresAt = 0, "", time.Time{}
	}
	return &r, nil
}

// utcOrZero returns *t in UTC, or the zero time for NULL.
func utcOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// ListRoleRequests returns a page of the queue, oldest first, each request
// with what a list shows of it (roleRequestListColumns; FindRoleRequest
// reads the whole request): at most
// f.Limit requests (domain.PageLimit) after the keyset position
// (f.AfterCreated, f.AfterID), in f.States (the open states when none) and
// f.Kinds (every kind when none), waiting at least f.OlderThan: the filter
// as domain.RoleRequestFilter.Normalize reads it.
// f.Search finds a request by its e-mail address (text with '@'), by a
// whole personal code (either form, with or without the hyphen) or company
// registration number (11 digits), by a whole education-institution
// registration number (10 digits), and otherwise by any part of the
// applicant's name (at least three characters); never by a part of a
// number, which could be part of a code the list shows masked. A search
// that finds someone by personal code counts as a look-up of that person
// for the misuse alerts (recordLookup). It returns EINVALID
// "rolerequest.filter_state", "rolerequest.filter_kind",
// "rolerequest.filter_age", "rolerequest.search_short" or
// "search.whole_code" for a bad filter, and the errors of the role check
// (see RoleRequestService).
func (s *RoleRequestService) ListRoleRequests(ctx context.Context, f domain.RoleRequestFilter) ([]*domain.RoleRequest, error) {
	me, err := loadCaller(ctx, s.db.pool, roleRequestGuard, domain.RoleReviewer)
	if err != nil {
		return nil, err
	}
	q, err := s.listQuery(ctx, f)
	if err != nil {
		return nil, err
	}
	now := s.db.now()
	rows, err := s.db.pool.Query(ctx, q.sql, q.args...)
	if err != nil {
		return nil, dbError("list role requests", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.RoleRequest, error) {
		return scanRoleRequestListItem(row, now)
	})
	if err != nil {
		return nil, dbError("list role requests", err)
	}
	if q.code != "" && slices.ContainsFunc(list, func(r *domain.RoleRequest) bool {
		return domain.PersonKey(r.Form.PersonalCode) == domain.PersonKey(q.code)
	}) {
		if err := recordLookup(ctx, s.db, me, q.code); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// sqlQuery is a statement with its arguments.
type sqlQuery struct {
	sql  string
	args []any
	code string // the personal code the search names, if any
}

// arg appends v to the arguments and returns its placeholder.
func (q *sqlQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// listQuery builds the statement of ListRoleRequests.
//
// Without a search, each state is its own range of role_requests_queue_idx
// (state, created_at, id): one branch per state reads at most a page from
// the keyset position on, and the branches are merged. PostgreSQL cannot
// return `state = ANY (…)` in created_at order from one index scan, and
// sorting every matching row would cost as much as OFFSET. With a search,
// the matching rows come from an equality or trigram index and are few
// enough to sort.
func (s *RoleRequestService) listQuery(ctx context.Context, f domain.RoleRequestFilter) (*sqlQuery, error) {
	search, err := f.Normalize()
	if err != nil {
		return nil, err
	}
	var states, kinds []string
	for _, st := range f.States {
		states = append(states, string(st))
	}
	for _, k := range f.Kinds {
		kinds = append(kinds, string(k))
	}
	limit := f.Limit

	q := &sqlQuery{}
	// Conditions every branch shares, on the row t.
	var conds []string
	if len(kinds) > 0 && len(kinds) < len(domain.RoleRequestKinds) {
		conds = append(conds, "t.kind = ANY ("+q.arg(kinds)+"::text[])")
	}
	if f.OlderThan > 0 {
		conds = append(conds, "t.created_at <= "+q.arg(s.db.now().Add(-f.OlderThan)))
	}
	if !f.AfterCreated.IsZero() || f.AfterID > 0 {
		conds = append(conds, "(t.created_at, t.id) > ("+q.arg(f.AfterCreated.UTC())+"::timestamptz, "+q.arg(f.AfterID)+"::bigint)")
	}
	and := func(indent string, extra ...string) string {
		all := append(slices.Clone(extra), conds...)
		return strings.Join(all, "\n"+indent+"AND ")
	}

	// The limit is written into the statement: a plan cached for a
	// parameter would not know how few rows each branch reads.
	lim := strconv.Itoa(limit)
	var page string
	if search.Email != "" || search.Digits != "" || search.Name != "" {
		cond := s.searchCondition(ctx, q, search)
		page = `
		SELECT t.id, t.created_at
		  FROM role_requests t
		 WHERE ` + and("\t\t   ", "t.state = ANY ("+q.arg(states)+"::text[])", cond) + `
		 ORDER BY t.created_at, t.id
		 LIMIT ` + lim
	} else {
		branches := make([]string, len(states))
		for i, st := range states {
			// st is one of domain.RoleRequestStates (checked above), so
			// it can be written in as it is; the plan then knows its range.
			branches[i] = `
		    (SELECT t.id, t.created_at
		       FROM role_requests t
		      WHERE ` + and("\t\t        ", "t.state = '"+st+"'") + `
		      ORDER BY t.created_at, t.id
		      LIMIT ` + lim + `)`
		}
		// The merged page is cut to the limit before the joins, so that
		// only its own rows are read.
		page = `
		SELECT u.id, u.created_at
		  FROM (` + strings.Join(branches, "\n\t\t    UNION ALL") + `
		       ) AS u
		 ORDER BY u.created_at, u.id
		 LIMIT ` + lim
	}
	q.sql = `
	SELECT ` + roleRequestListColumns + `
	  FROM (` + page + `
	       ) AS page
	  JOIN role_requests r ON r.id = page.id` + roleRequestListJoins + `
	 ORDER BY r.created_at, r.id`
	return q, nil
}

// searchCondition returns the condition on row t that the search asks
// for (domain.RoleRequestFilter.Normalize), and notes in q the personal
// code it names.
func (s *RoleRequestService) searchCondition(ctx context.Context, q *sqlQuery, search domain.RoleRequestSearch) string {
	switch {
	case search.Email != "":
		return "lower(t.email) = lower(" + q.arg(search.Email) + ")"
	case search.Code != "":
		// A personal code in either form, or (the same digits) a
		// company number.
		q.code = search.Code
		return `((t.personal_code <> '' AND t.personal_code = ANY (` + q.arg(search.CodeForms) + `::text[]))
		        OR (t.company_reg_number <> '' AND t.company_reg_number = ` + q.arg(search.Digits) + `))`
	case len(search.Digits) == 11:
		return "(t.company_reg_number <> '' AND t.company_reg_number = " + q.arg(search.Digits) + ")"
	case search.Digits != "":
		return "(t.education_reg_number <> '' AND t.education_reg_number = " + q.arg(search.Digits) + ")"
	}
	text := likeEscape(search.Name)
	if s.hasTrigrams(ctx) {
		return "lower(t.applicant_name) LIKE " + q.arg("%"+text+"%")
	}
	return "lower(t.applicant_name) LIKE " + q.arg(text+"%")
}

// hasTrigrams reports whether pg_trgm was installed by migration 0012, so
// that a name search may look for any part of the name rather than its
// beginning. It asks once per service.
func (s *RoleRequestService) hasTrigrams(ctx context.Context) bool {
	s.trgmOnce.Do(func() {
		err := s.db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_trgm')`).Scan(&s.trgm)
		if err != nil {
			s.trgm = false
		}
	})
	return s.trgm
}

// FindRoleRequest returns the request with that id with its documents.
// Read by an operator, it counts in the same transaction as a look-up of
// the person for the misuse alerts (countView: the views alert). It
// returns ENOTFOUND "rolerequest.not_found".
func (s *RoleRequestService) FindRoleRequest(ctx context.Context, id int64) (*domain.RoleRequest, error) {
	var r *domain.RoleRequest
	err := s.db.inTx(ctx, "find role request", func(tx *Tx) error {
		me, err := loadCaller(ctx, tx, roleRequestGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		if r, err = findRoleRequest(ctx, tx, id); err != nil {
			return err
		}
		return countLookup(ctx, tx, me, r.Form.PersonalCode, s.db.AlertThresholds.ViewsPerHour)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// RevealPersonalCode returns the request's whole personal code and, in the
// same transaction, writes the "personal_data.reveal" audit entry with the
// reason and counts it toward the reveals alert (revealCode). It returns
// the errors of domain.CheckRevealReason, ENOTFOUND "rolerequest.not_found",
// EINVALID "rolerequest.no_personal_code" (domain.RoleRequest.Allows) and
// the errors of the role check (see RoleRequestService).
func (s *RoleRequestService) RevealPersonalCode(ctx context.Context, id int64, reason string) (string, error) {
	reason, err := domain.CheckRevealReason(reason)
	if err != nil {
		return "", err
	}
	var code string
	err = s.db.inTx(ctx, "reveal personal code", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, roleRequestGuard, domain.RoleReviewer)
		if err != nil {
			return err
		}
		r, err := findRoleRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := r.Allows(domain.RoleRequestReveal, me.ref(), tx.now, s.Config); err != nil {
			return err
		}
		code = r.Form.PersonalCode
		return revealCode(ctx, tx, me, "role_request", id, reason, s.db.AlertThresholds.RevealsPerHour)
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// findRoleRequest reads a request and its documents inside tx.
func findRoleRequest(ctx context.Context, tx *Tx, id int64) (*domain.RoleRequest, error) {
	r, err := scanRoleRequest(tx.QueryRow(ctx, `
		SELECT `+roleRequestColumns+`
		  FROM role_requests r`+roleRequestJoins+`
		 WHERE r.id = $1`, id), tx.now)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, roleRequestNotFound(id)
	}
	if err != nil {
		return nil, dbError("find role request", err)
	}
	rows, err := tx.Query(ctx, `
		SELECT name, media_type, size, sha256
		  FROM role_request_documents
		 WHERE request_id = $1
		 ORDER BY position`, id)
	if err != nil {
		return nil, dbError("find role request documents", err)
	}
	r.Form.Documents, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Document, error) {
		var d domain.Document
		err := row.Scan(&d.Name, &d.MediaType, &d.Size, &d.SHA256)
		return d, err
	})
	if err != nil {
		return nil, dbError("find role request documents", err)
	}
	return r, nil
}

// lockRoleRequest reads request id as domain's rules judge it (without
// its documents) and locks its row until tx ends, so that what the rule
// saw is still true when the write that follows commits. ENOTFOUND
// "rolerequest.not_found".
func lockRoleRequest(ctx context.Context, tx *Tx, id int64) (*domain.RoleRequest, error) {
	r, err := scanRoleRequest(tx.QueryRow(ctx, `
		SELECT `+roleRequestColumns+`
		  FROM role_requests r`+roleRequestJoins+`
		 WHERE r.id = $1
		   FOR UPDATE OF r`, id), tx.now)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, roleRequestNotFound(id)
	}
	if err != nil {
		return nil, dbError("lock role request", err)
	}
	return r, nil
}

// roleRequestNotFound is the error for a request id that does not exist.
func roleRequestNotFound(id int64) error {
	return domain.Errorf(domain.ENOTFOUND, "rolerequest.not_found", "no role request #%d", id)
}

// RoleRequestHistory returns the request's events, oldest first. The
// actor of an event is the operator's name, the institution's name for an
// institution's decision, "system" for a sweep, and empty for the
// applicant. It returns ENOTFOUND "rolerequest.not_found".
func (s *RoleRequestService) RoleRequestHistory(ctx context.Context, id int64) ([]*domain.RoleRequestEvent, error) {
	var events []*domain.RoleRequestEvent
	err := s.db.readTx(ctx, "read role request history", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, roleRequestGuard, domain.RoleReviewer); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM role_requests WHERE id = $1)`, id).Scan(&exists); err != nil {
			return dbError("read role request history", err)
		}
		if !exists {
			return roleRequestNotFound(id)
		}
		rows, err := tx.Query(ctx, `
			SELECT at, actor_name, action, note
			  FROM role_request_events
			 WHERE request_id = $1
			 ORDER BY at, id`, id)
		if err != nil {
			return dbError("read role request history", err)
		}
		events, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.RoleRequestEvent, error) {
			var e domain.RoleRequestEvent
			err := row.Scan(&e.At, &e.ActorName, &e.Action, &e.Note)
			e.At = e.At.UTC()
			return &e, err
		})
		return dbError("read role request history", err)
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}

// addEvent writes a line of a request's history inside tx, at the
// transaction's time.
func addEvent(ctx context.Context, tx *Tx, requestID, actorID int64, actorName, action, note string) error {
	var actor *int64
	if actorID > 0 {
		actor = &actorID
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO role_request_events (request_id, at, actor_id, actor_name, action, note)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		requestID, tx.now, actor, actorName, action, note)
	return dbError("record role request event "+action, err)
}

// FindDuplicates returns what matches the request on the same personal
// code, e-mail address (ignoring case), company or education registration
// number: other open requests, running role assignments and active
// institutions, at most 50 of each. Summaries mask personal codes. It
// returns ENOTFOUND "rolerequest.not_found".
func (s *RoleRequestService) FindDuplicates(ctx context.Context, id int64) ([]*domain.Duplicate, error) {
	var dups []*domain.Duplicate
	err := s.db.readTx(ctx, "find duplicates", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, roleRequestGuard, domain.RoleReviewer); err != nil {
			return err
		}
		var code, email, company, education string
		err := tx.QueryRow(ctx, `
			SELECT personal_code, email, company_reg_number, education_reg_number
			  FROM role_requests WHERE id = $1`, id).Scan(&code, &email, &company, &education)
		if errors.Is(err, pgx.ErrNoRows) {
			return roleRequestNotFound(id)
		}
		if err != nil {
			return dbError("find duplicates", err)
		}

		// Other open requests. Each arm of the OR is one index; only the
		// values the request has make an arm, so that the planner's
		// estimate stays as small as the result.
		q := &sqlQuery{}
		var arms, matches []string
		for _, m := range []struct{ value, cond, matched string }{
			{code, "r.personal_code = %s", "personal_code"},
			{email, "lower(r.email) = lower(%s)", "email"},
			{company, "r.company_reg_number = %s", "company_reg"},
			{education, "r.education_reg_number = %s", "education_reg"},
		} {
			if m.value == "" {
				continue
			}
			cond := fmt.Sprintf(m.cond, q.arg(m.value))
			arms = append(arms, cond)
			matches = append(matches, "WHEN "+cond+" THEN '"+m.matched+"'")
		}
		rows, err := tx.Query(ctx, `
			SELECT r.id, r.state, r.kind, r.applicant_name, r.personal_code,
			       CASE `+strings.Join(matches, " ")+` END
			  FROM role_requests r
			 WHERE r.id <> `+q.arg(id)+`
			   AND r.state = ANY (`+q.arg(openStates)+`::text[])
			   AND (`+strings.Join(arms, "\n\t\t\t        OR ")+`)
			 ORDER BY r.created_at, r.id
			 LIMIT `+strconv.Itoa(duplicatesLimit), q.args...)
		if err != nil {
			return dbError("find duplicate requests", err)
		}
		var rid int64
		var state, kind, name, pc, matched string
		_, err = pgx.ForEachRow(rows, []any{&rid, &state, &kind, &name, &pc, &matched}, func() error {
			dups = append(dups, &domain.Duplicate{
				Kind: "request", ID: rid, Matched: matched, State: state,
				Summary: joinSummary(name, domain.MaskPersonalCode(pc), kind),
			})
			return nil
		})
		if err != nil {
			return dbError("find duplicate requests", err)
		}

		// Running role assignments of the same person or address.
		rows, err = tx.Query(ctx, `
			SELECT a.id, a.role, u.first_name || ' ' || u.last_name, coalesce(u.personal_code, ''),
			       coalesce(i.name, m.name, ''), a.valid_until,
			       CASE WHEN u.personal_code = $1 THEN 'personal_code' ELSE 'email' END
			  FROM platform_users u
			  JOIN role_assignments a ON a.user_id = u.id AND a.ended_at IS NULL AND a.valid_until > $3
			  LEFT JOIN institutions i ON i.id = a.institution_id
			  LEFT JOIN municipalities m ON m.code = a.municipality_code
			 WHERE (u.kind = 'viss' AND u.personal_code = $1)
			    OR lower(u.email) = lower($2)
			 ORDER BY a.id
			 LIMIT $4`, code, email, tx.now, duplicatesLimit)
		if err != nil {
			return dbError("find duplicate assignments", err)
		}
		var role, scope string
		var until time.Time
		_, err = pgx.ForEachRow(rows, []any{&rid, &role, &name, &pc, &scope, &until, &matched}, func() error {
			dups = append(dups, &domain.Duplicate{
				Kind: "assignment", ID: rid, Matched: matched, State: "active",
				Summary: joinSummary(name, domain.MaskPersonalCode(pc), role, scope, "→ "+until.In(rigaTime()).Format("2006-01-02")),
			})
			return nil
		})
		if err != nil {
			return dbError("find duplicate assignments", err)
		}

		// Active institutions with the same number or address.
		rows, err = tx.Query(ctx, `
			SELECT id, state, name, company_reg_number, education_reg_number,
			       CASE WHEN company_reg_number = $1 THEN 'company_reg'
			            WHEN education_reg_number = $2 THEN 'education_reg'
			            ELSE 'email' END
			  FROM institutions
			 WHERE state = 'active'
			   AND (company_reg_number = $1 OR education_reg_number = $2 OR lower(email) = lower($3))
			 ORDER BY id
			 LIMIT $4`, company, education, email, duplicatesLimit)
		if err != nil {
			return dbError("find duplicate institutions", err)
		}
		var creg, ereg string
		_, err = pgx.ForEachRow(rows, []any{&rid, &state, &name, &creg, &ereg, &matched}, func() error {
			dups = append(dups, &domain.Duplicate{
				Kind: "institution", ID: rid, Matched: matched, State: state,
				Summary: joinSummary(name, creg, ereg),
			})
			return nil
		})
		return dbError("find duplicate institutions", err)
	})
	if err != nil {
		return nil, err
	}
	return dups, nil
}

// joinSummary joins the non-empty parts of a duplicate's summary.
func joinSummary(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// rigaTime returns Latvia's time zone, in which dates are told to people:
// the Agency's (domain.AgencyZone, with its fallback).
func rigaTime() *time.Location { return domain.AgencyZone }
