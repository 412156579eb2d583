package storage

import (
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// BulkService keeps bulk jobs (issue 17, "Bulk actions"): it resolves a
// selection into items, holds the job in preview, starts it (through a
// second security officer for a bulk denial) and lists jobs and their
// items. BulkWorker runs them, each item with the same service method the
// single action uses.
type BulkService struct {
	db      *DB
	denials *DenialService
	roles   *RoleRequestService
	imk     *IMKService
	// MaxItems bounds a job (domain.BulkMaxItems unless a test lowers it).
	MaxItems int
}

// NewBulkService returns the service on db; the services are those whose
// methods the items call (imk may be nil: no IMK re-checks then).
func NewBulkService(db *DB, denials *DenialService, roles *RoleRequestService, imk *IMKService) *BulkService {
	return &BulkService{db: db, denials: denials, roles: roles, imk: imk, MaxItems: domain.BulkMaxItems}
}

var bulkGuard = guard{
	noOperator: domain.Errorf(domain.EUNAUTHORIZED, "bulk.no_operator", "sign in as an operator"),
	forbidden:  domain.Errorf(domain.EFORBIDDEN, "bulk.not_role", "you may not do this"),
}

// resolvePage is how many rows of a list's filter are read at a time.
const resolvePage = 200

// sourceIDs returns the ids of the source's rows the selection names: the
// rows marked, or every row of its filter read page by page through the
// list's own method (the same filter, rules and role check as the
// screen's), stopping past limit. EINVALID "bulk.bad_filter" for a
// filter of another type.
func (s *BulkService) sourceIDs(ctx context.Context, sel domain.BulkSelection, limit int) ([]int64, error) {
	if !sel.All {
		return slices.Compact(slices.Sorted(slices.Values(sel.IDs))), nil
	}
	badFilter := domain.Errorf(domain.EINVALID, "bulk.bad_filter", "this list cannot be selected whole")
	switch f := sel.Filter.(type) {
	case domain.RoleRequestFilter:
		f.Limit, f.AfterCreated, f.AfterID = resolvePage, time.Time{}, 0
		return pageIDs(ctx, f, limit, s.roles.ListRoleRequests, func(f *domain.RoleRequestFilter, r *domain.RoleRequest) int64 {
			f.AfterCreated, f.AfterID = r.CreatedAt, r.ID
			return r.ID
		})
	case domain.IMKFilter:
		if s.imk == nil {
			return nil, badFilter
		}
		f.Limit, f.AfterApplied, f.AfterID = resolvePage, time.Time{}, 0
		return pageIDs(ctx, f, limit, s.imk.ListIMK, func(f *domain.IMKFilter, r *domain.IMKApplication) int64 {
			f.AfterApplied, f.AfterID = r.AppliedAt, r.ID
			return r.ID
		})
	case domain.DenialFilter:
		f.Limit, f.BeforeID = resolvePage, 0
		return pageIDs(ctx, f, limit, s.denials.ListDenials, func(f *domain.DenialFilter, r *domain.Denial) int64 {
			f.BeforeID = r.ID
			return r.ID
		})
	}
	return nil, badFilter
}

// pageIDs reads list's rows of filter f page after page until a page is
// empty or more than limit ids are read, and returns their ids: next
// gives a row's id and moves f's keyset past it.
func pageIDs[F, T any](ctx context.Context, f F, limit int, list func(context.Context, F) ([]T, error), next func(*F, T) int64) ([]int64, error) {
	var ids []int64
	for len(ids) <= limit {
		rows, err := list(ctx, f)
		if err != nil || len(rows) == 0 {
			return ids, err
		}
		for _, r := range rows {
			ids = append(ids, next(&f, r))
		}
	}
	return ids, nil
}

// bulkTargets maps a source and kind to what its items are, and the query
// turning the source's ids ($1) into the items' ids, in order.
var bulkTargets = map[domain.BulkSource]map[domain.BulkKind][2]string{
	domain.BulkFromRoleRequests: {
		domain.BulkExtend: {"role_assignment", `SELECT id FROM role_assignments WHERE request_id = ANY ($1) AND ended_at IS NULL ORDER BY id`},
		domain.BulkDeny:   {"platform_user", `SELECT DISTINCT user_id FROM role_assignments WHERE request_id = ANY ($1) ORDER BY user_id`},
		domain.BulkMail:   {"role_request", `SELECT id FROM role_requests WHERE id = ANY ($1) ORDER BY id`},
	},
	domain.BulkFromIMK: {
		domain.BulkIMKCheck: {"imk_application", `SELECT id FROM imk_applications WHERE id = ANY ($1) ORDER BY id`},
		domain.BulkMail:     {"imk_application", `SELECT id FROM imk_applications WHERE id = ANY ($1) ORDER BY id`},
	},
	domain.BulkFromDenials: {
		domain.BulkLift: {"denial", `SELECT id FROM denials WHERE id = ANY ($1) ORDER BY id`},
	},
	domain.BulkFromPlatformUsers: {
		domain.BulkDeny: {"platform_user", `SELECT id FROM platform_users WHERE id = ANY ($1) ORDER BY id`},
		domain.BulkMail: {"platform_user", `SELECT id FROM platform_users WHERE id = ANY ($1) ORDER BY id`},
	},
}

// PrepareBulk resolves the request's selection into items on the server
// (the whole filter, when it selects all) and keeps the job in preview:
// nothing is done until StepBulk starts it. It returns the job with its
// exact count and first items. Errors: EUNAUTHORIZED "bulk.no_operator";
// those of domain.BulkRequest.Check; EINVALID "bulk.too_many" (Args: the
// limit) over MaxItems, "bulk.empty" when no item applies,
// "bulk.bad_filter"; and the list methods' errors while resolving.
func (s *BulkService) PrepareBulk(ctx context.Context, r domain.BulkRequest) (*domain.BulkJob, error) {
	op, err := s.operator(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.Check(op); err != nil {
		return nil, err
	}
	src, err := s.sourceIDs(ctx, r.Selection, s.MaxItems)
	if err != nil {
		return nil, err
	}
	tooMany := domain.Errorf(domain.EINVALID, "bulk.too_many", "a bulk action takes at most %d items", s.MaxItems)
	if len(src) > s.MaxItems {
		return nil, tooMany
	}
	target := bulkTargets[r.Selection.Source][r.Kind]
	var id int64
	err = s.db.inTx(ctx, "prepare bulk job", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, bulkGuard, r.Kind.Roles()...)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, target[1], src)
		if err != nil {
			return dbError("resolve bulk items", err)
		}
		items, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return dbError("resolve bulk items", err)
		}
		switch {
		case len(items) > s.MaxItems:
			return tooMany
		case len(items) == 0:
			return domain.Errorf(domain.EINVALID, "bulk.empty", "nothing selected to do this to")
		}
		var until *time.Time
		if !r.Until.IsZero() {
			until = &r.Until
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO bulk_jobs (kind, source, reason, ground, valid_until, template, requested_by, created_at, total)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			string(r.Kind), string(r.Selection.Source), r.Reason, string(r.Ground), until, r.Template, me.id, tx.now, len(items)).Scan(&id)
		if err != nil {
			return dbError("prepare bulk job", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO bulk_job_items (job_id, seq, target_kind, target_id)
			SELECT $1, u.ord, $2, u.t FROM unnest($3::bigint[]) WITH ORDINALITY AS u (t, ord)`,
			id, target[0], items); err != nil {
			return dbError("prepare bulk job", err)
		}
		if err := Notify(ctx, tx, domain.TopicBulk, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditBulkPrepare, SubjectKind: "bulk_job",
			SubjectID: strconv.FormatInt(id, 10), Reason: r.Reason,
			Details: string(r.Kind) + " from " + string(r.Selection.Source) + "; " + strconv.Itoa(len(items)) + " items"})
	})
	if err != nil {
		return nil, err
	}
	return s.FindBulk(ctx, id)
}

// operator reads the acting operator with their roles, for the domain's
// rules. EUNAUTHORIZED "bulk.no_operator".
func (s *BulkService) operator(ctx context.Context) (*domain.Operator, error) {
	me, err := loadActor(ctx, s.db.pool, bulkGuard)
	if err != nil {
		return nil, err
	}
	return me.operator(), nil
}

// StepBulk takes step a on job id at version: start a preview (to
// pending_approval for a bulk denial, running otherwise), approve or
// refuse a bulk denial as a second security officer (a refusal cancels
// it: nothing is done), or cancel (the items not done yet are skipped).
// It returns the refusals of domain.BulkJob.Allows, ECONFLICT
// "bulk.changed" (version), ENOTFOUND "bulk.not_found", EINVALID
// "bulk.reason_required" for a refusal without a reason, EUNAUTHORIZED
// "bulk.no_operator".
func (s *BulkService) StepBulk(ctx context.Context, id, version int64, a domain.BulkAction, reason string) error {
	return s.db.inTx(ctx, "bulk job "+string(a), func(tx *Tx) error {
		me, err := loadActor(ctx, tx, bulkGuard)
		if err != nil {
			return err
		}
		op := me.operator()
		j, err := findBulkTx(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := j.Allows(op, a); err != nil {
			return err
		}
		if version != 0 && j.Version != version {
			return domain.Errorf(domain.ECONFLICT, "bulk.changed", "someone else has just changed this job")
		}
		action, state, sets := "", j.State, ""
		var extra []any // $4 on
		switch a {
		case domain.BulkStart:
			action, state = domain.AuditBulkStart, domain.BulkRunning
			if j.Kind.NeedsApproval() {
				state = domain.BulkPendingApproval
			}
		case domain.BulkApprove:
			action, state, sets = domain.AuditBulkApprove, domain.BulkRunning, ", approved_by = $4"
			extra = append(extra, me.id)
		case domain.BulkRefuse, domain.BulkCancel:
			action, state, sets = domain.AuditBulkCancel, domain.BulkCancelled, ", finished_at = $4, lease_holder = '', lease_until = NULL"
			extra = append(extra, tx.now)
			if a == domain.BulkRefuse {
				action = domain.AuditBulkRefuse
				if reason, err = domain.CheckDenialReason(reason); err != nil {
					return domain.Errorf(domain.EINVALID, "bulk.reason_required", "give a reason")
				}
			}
			skipped, err := tx.Exec(ctx, `
				UPDATE bulk_job_items SET state = 'skipped', error_key = $2, done_at = $3
				 WHERE job_id = $1 AND state = 'pending'`, id, skippedKey[a], tx.now)
			if err != nil {
				return dbError("cancel bulk job", err)
			}
			sets += ", skipped = skipped + " + strconv.FormatInt(skipped.RowsAffected(), 10)
		}
		args := append([]any{id, string(j.State), string(state)}, extra...)
		tag, err := tx.Exec(ctx, `UPDATE bulk_jobs SET version = version + 1, state = $3`+sets+
			` WHERE id = $1 AND state = $2`, args...)
		if err != nil {
			return dbError("bulk job "+string(a), err)
		}
		if tag.RowsAffected() != 1 {
			return domain.Errorf(domain.ECONFLICT, "bulk.changed", "someone else has just changed this job")
		}
		if err := Notify(ctx, tx, domain.TopicBulk, strconv.FormatInt(id, 10)); err != nil {
			return err
		}
		if reason == "" {
			reason = j.Reason
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{Action: action, SubjectKind: "bulk_job",
			SubjectID: strconv.FormatInt(id, 10), Reason: reason, Details: string(j.Kind) + "; " + strconv.Itoa(j.Total) + " items"})
	})
}

// skippedKey is why an item was skipped: its job's refusal or cancel.
var skippedKey = map[domain.BulkAction]string{domain.BulkRefuse: "bulk.skipped_refuse", domain.BulkCancel: "bulk.skipped_cancel"}

const bulkSelect = `
	SELECT j.id, j.kind, j.source, j.reason, j.ground, j.valid_until, j.template, j.state, j.version,
	       j.requested_by, coalesce(nullif(r.full_name, ''), r.name), coalesce(j.approved_by, 0),
	       coalesce(nullif(a.full_name, ''), a.name, ''), j.created_at, j.finished_at,
	       j.total, j.done, j.failed, j.skipped
	  FROM bulk_jobs j
	  JOIN operators r ON r.id = j.requested_by
	  LEFT JOIN operators a ON a.id = j.approved_by`

func scanBulk(row pgx.Row) (*domain.BulkJob, error) {
	var j domain.BulkJob
	var until, finished *time.Time
	err := row.Scan(&j.ID, &j.Kind, &j.Source, &j.Reason, &j.Ground, &until, &j.Template, &j.State, &j.Version,
		&j.RequestedBy, &j.Requester, &j.ApprovedBy, &j.Approver, &j.CreatedAt, &finished,
		&j.Total, &j.Done, &j.Failed, &j.Skipped)
	if until != nil {
		j.Until = *until
	}
	if finished != nil {
		j.FinishedAt = *finished
	}
	return &j, err
}

// findBulkTx reads job id (locked for a change when lock). ENOTFOUND
// "bulk.not_found".
func findBulkTx(ctx context.Context, q querier, id int64, lock bool) (*domain.BulkJob, error) {
	sql := bulkSelect + ` WHERE j.id = $1`
	if lock {
		sql += ` FOR UPDATE OF j`
	}
	j, err := scanBulk(q.QueryRow(ctx, sql, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "bulk.not_found", "no bulk job #%d", id)
	}
	if err != nil {
		return nil, dbError("read bulk job", err)
	}
	return j, nil
}

// ListBulk returns the latest jobs, at most limit (50 when ≤ 0), of the
// kinds the actor's roles may ask for, newest first. EUNAUTHORIZED
// "bulk.no_operator"; EFORBIDDEN "bulk.not_role" for an operator of none
// of those roles.
func (s *BulkService) ListBulk(ctx context.Context, limit int) ([]*domain.BulkJob, error) {
	op, err := s.operator(ctx)
	if err != nil {
		return nil, err
	}
	var kinds []string
	for _, k := range domain.BulkKinds {
		if slices.ContainsFunc(k.Roles(), op.HasRole) {
			kinds = append(kinds, string(k))
		}
	}
	if len(kinds) == 0 {
		return nil, refuse(bulkGuard.forbidden)
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	rows, err := s.db.pool.Query(ctx, bulkSelect+` WHERE j.kind = ANY ($1) ORDER BY j.created_at DESC, j.id DESC LIMIT $2`, kinds, limit)
	if err != nil {
		return nil, dbError("list bulk jobs", err)
	}
	defer rows.Close()
	var out []*domain.BulkJob
	for rows.Next() {
		j, err := scanBulk(rows)
		if err != nil {
			return nil, dbError("list bulk jobs", err)
		}
		out = append(out, j)
	}
	return out, dbError("list bulk jobs", rows.Err())
}

// FindBulk returns job id with its first domain.BulkPreviewItems items.
// ENOTFOUND "bulk.not_found"; EFORBIDDEN "bulk.not_role" for an operator
// who may not ask for its kind and did not; EUNAUTHORIZED.
func (s *BulkService) FindBulk(ctx context.Context, id int64) (*domain.BulkJob, error) {
	op, err := s.operator(ctx)
	if err != nil {
		return nil, err
	}
	j, err := findBulkTx(ctx, s.db.pool, id, false)
	if err != nil {
		return nil, err
	}
	if j.RequestedBy != op.ID && !slices.ContainsFunc(j.Kind.Roles(), op.HasRole) {
		return nil, refuse(bulkGuard.forbidden)
	}
	j.First, err = bulkItems(ctx, s.db.pool, id, 0, domain.BulkPreviewItems)
	return j, err
}

// BulkItems returns the items of job id after place after, at most limit
// (BulkPreviewItems when ≤ 0), with what a screen shows of each. The
// errors of FindBulk.
func (s *BulkService) BulkItems(ctx context.Context, id int64, after, limit int) ([]*domain.BulkItem, error) {
	if _, err := s.FindBulk(ctx, id); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = domain.BulkPreviewItems
	}
	return bulkItems(ctx, s.db.pool, id, after, limit)
}

// bulkItems reads items with a label each: a name, or a denial's number
// and ground; never a personal code.
func bulkItems(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, id int64, after, limit int) ([]*domain.BulkItem, error) {
	rows, err := q.Query(ctx, `
		SELECT i.job_id, i.seq, i.target_kind, i.target_id, i.state, i.error_key, i.error_args, i.done_at,
		       coalesce(CASE i.target_kind
		           WHEN 'platform_user' THEN (SELECT first_name || ' ' || last_name FROM platform_users WHERE id = i.target_id)
		           WHEN 'role_request' THEN (SELECT first_name || ' ' || last_name FROM role_requests WHERE id = i.target_id)
		           WHEN 'imk_application' THEN (SELECT first_name || ' ' || last_name FROM imk_applications WHERE id = i.target_id)
		           WHEN 'role_assignment' THEN (SELECT u.first_name || ' ' || u.last_name || ' · ' || a.role
		                                          FROM role_assignments a JOIN platform_users u ON u.id = a.user_id WHERE a.id = i.target_id)
		           WHEN 'denial' THEN (SELECT '#' || d.id || ' ¶' || d.ground || ' ' || d.subject_kind || ' ' || d.subject_id
		                                 FROM denials d WHERE d.id = i.target_id)
		       END, '')
		  FROM bulk_job_items i
		 WHERE i.job_id = $1 AND i.seq > $2
		 ORDER BY i.seq LIMIT $3`, id, after, limit)
	if err != nil {
		return nil, dbError("list bulk items", err)
	}
	defer rows.Close()
	var out []*domain.BulkItem
	for rows.Next() {
		var it domain.BulkItem
		var at *time.Time
		var args []any
		if err := rows.Scan(&it.JobID, &it.Seq, &it.TargetKind, &it.TargetID, &it.State, &it.ErrorKey, &args, &at, &it.Label); err != nil {
			return nil, dbError("list bulk items", err)
		}
		it.ErrorArgs = loadedArgs(args)
		if at != nil {
			it.At = *at
		}
		out = append(out, &it)
	}
	return out, dbError("list bulk items", rows.Err())
}

// loadedArgs is error_args as a catalog formats them: JSON numbers come
// back as float64, and a whole one is an int64 again, for %d.
func loadedArgs(args []any) []any {
	for i, a := range args {
		if f, ok := a.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			args[i] = int64(f)
		}
	}
	return args
}
