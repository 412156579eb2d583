package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/viaa/ppp/domain"
)

// InstitutionService implements domain.InstitutionService on PostgreSQL:
// the institutions screen (issue 17). Reads need a reviewer, a security
// officer or an administrator (the back office itself may read too);
// edits a reviewer (domain.InstitutionAllows).
type InstitutionService struct {
	db *DB
	// Config holds the take-over limit of requests waiting at an
	// institution (¶29.3); NewInstitutionService sets the default.
	Config domain.RoleRequestConfig

	trgmOnce sync.Once
	trgm     bool
}

var _ domain.InstitutionService = (*InstitutionService)(nil)

// NewInstitutionService returns an InstitutionService on db with
// domain.DefaultRoleRequestConfig.
func NewInstitutionService(db *DB) *InstitutionService {
	return &InstitutionService{db: db, Config: domain.DefaultRoleRequestConfig()}
}

var institutionGuard = guard{
	noOperator: domain.Errorf(domain.EUNAUTHORIZED, "institution.no_operator", "only a signed-in operator can work on institutions"),
	forbidden:  domain.Errorf(domain.EFORBIDDEN, "institution.forbidden", "institutions are for reviewers, security officers and administrators"),
}

// institutionReaders are the roles that see institutions.
var institutionReaders = []domain.Role{domain.RoleReviewer, domain.RoleSecurity, domain.RoleAdmin}

const institutionColumns = `id, name, company_reg_number, education_reg_number, email, contact_phone, postal_address, state,
	activated_at, created_at, updated_at, details_version, reverify_due_at`

func scanInstitution(row pgx.Row) (*domain.Institution, error) {
	i := &domain.Institution{}
	var state string
	var activated, due *time.Time
	err := row.Scan(&i.ID, &i.Name, &i.CompanyRegNumber, &i.EducationRegNumber, &i.Email, &i.Phone, &i.Address, &state,
		&activated, &i.CreatedAt, &i.UpdatedAt, &i.Version, &due)
	if err != nil {
		return nil, err
	}
	i.State, i.ActivatedAt, i.ReverifyDueAt = domain.InstitutionState(state), utcOrZero(activated), utcOrZero(due)
	i.CreatedAt, i.UpdatedAt = i.CreatedAt.UTC(), i.UpdatedAt.UTC()
	return i, nil
}

func institutionNotFound(id int64) error {
	return domain.Errorf(domain.ENOTFOUND, "institution.not_found", "institution %d was not found", id)
}

// hasTrigrams reports whether pg_trgm is installed (migration 0012), so
// that a name search may look for any part of the name.
func (s *InstitutionService) hasTrigrams(ctx context.Context) bool {
	s.trgmOnce.Do(func() {
		if err := s.db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_trgm')`).Scan(&s.trgm); err != nil {
			s.trgm = false
		}
	})
	return s.trgm
}

// ListInstitutions returns a page of institutions matching f, by name
// and id (keyset: after f.AfterName, f.AfterID). Every search is served
// by an index of migration 0210.
func (s *InstitutionService) ListInstitutions(ctx context.Context, f domain.InstitutionFilter) ([]*domain.Institution, error) {
	if _, err := loadCaller(ctx, s.db.pool, institutionGuard, institutionReaders...); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	switch {
	case f.Name != "":
		pattern := likeEscape(strings.ToLower(f.Name)) + "%"
		if s.hasTrigrams(ctx) {
			pattern = "%" + pattern
		}
		where = append(where, "lower(name) LIKE "+arg(pattern))
	case f.CompanyRegNumber != "":
		where = append(where, "company_reg_number = "+arg(f.CompanyRegNumber))
	case f.EducationRegNumber != "":
		where = append(where, "education_reg_number = "+arg(f.EducationRegNumber))
	}
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, st := range f.States {
			states[i] = string(st)
		}
		where = append(where, "state = ANY("+arg(states)+")")
	}
	if !f.ReverifyDueBy.IsZero() {
		where = append(where, "state = 'active' AND reverify_due_at <= "+arg(f.ReverifyDueBy))
	}
	if f.AfterID > 0 {
		where = append(where, "(lower(name), id) > (lower("+arg(f.AfterName)+"), "+arg(f.AfterID)+")")
	}
	sql := `SELECT ` + institutionColumns + ` FROM institutions`
	if len(where) > 0 {
		sql += ` WHERE ` + strings.Join(where, " AND ")
	}
	sql += ` ORDER BY lower(name), id LIMIT ` + arg(f.Limit)
	rows, err := s.db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, dbError("list institutions", err)
	}
	defer rows.Close()
	var out []*domain.Institution
	for rows.Next() {
		i, err := scanInstitution(rows)
		if err != nil {
			return nil, dbError("list institutions", err)
		}
		out = append(out, i)
	}
	return out, dbError("list institutions", rows.Err())
}

// InstitutionPage reads institution id's page in one snapshot.
func (s *InstitutionService) InstitutionPage(ctx context.Context, id int64) (*domain.InstitutionPage, error) {
	if _, err := loadCaller(ctx, s.db.pool, institutionGuard, institutionReaders...); err != nil {
		return nil, err
	}
	p := &domain.InstitutionPage{}
	err := s.db.readTx(ctx, "read institution", func(tx *Tx) error {
		i, err := scanInstitution(tx.QueryRow(ctx, `SELECT `+institutionColumns+` FROM institutions WHERE id = $1`, id))
		if isNoRows(err) {
			return institutionNotFound(id)
		}
		if err != nil {
			return dbError("read institution", err)
		}
		p.Institution = i
		if p.Changes, err = readInstitutionChanges(ctx, tx, id); err != nil {
			return err
		}
		if p.Members, err = readInstitutionMembers(ctx, tx, id, tx.now); err != nil {
			return err
		}
		if p.Waiting, err = s.readInstitutionWaiting(ctx, tx, id); err != nil {
			return err
		}
		if p.Documents, err = readInstitutionDocuments(ctx, tx, id); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, denialSelect+`
			 WHERE d.subject_kind = 'institution' AND d.subject_id = $1 ORDER BY d.id DESC LIMIT $2`, id, domain.InstitutionSectionMax)
		if err != nil {
			return dbError("read institution denials", err)
		}
		if p.Denials, err = collectDenials(rows, "read institution denials"); err != nil {
			return err
		}
		if p.Reverification, err = readInstitutionReverification(ctx, tx, id); err != nil {
			return err
		}
		p.Sanctions, err = readInstitutionSanctions(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// readInstitutionReverification reads the institution's place in the
// re-verification cycle and its newest item open or escalated.
func readInstitutionReverification(ctx context.Context, tx *Tx, id int64) (domain.InstitutionReverification, error) {
	var out domain.InstitutionReverification
	var done, due *time.Time
	if err := tx.QueryRow(ctx, `SELECT reverified_at, reverify_due_at FROM institutions WHERE id = $1`, id).Scan(&done, &due); err != nil {
		return out, dbError("read institution re-verification", err)
	}
	out.ReverifiedAt, out.DueAt = utcOrZero(done), utcOrZero(due)
	r, err := scanReverification(tx.QueryRow(ctx, `SELECT `+reverifyColumns+reverifyFrom+`
		 WHERE r.institution_id = $1 AND r.state IN ('open', 'escalated') ORDER BY r.created_at DESC, r.id DESC LIMIT 1`, id))
	if isNoRows(err) {
		return out, nil
	}
	if err != nil {
		return out, dbError("read institution re-verification", err)
	}
	out.Item = r
	return out, nil
}

// readInstitutionSanctions reads the institution's sanction cases, newest
// first, each with its steps.
func readInstitutionSanctions(ctx context.Context, tx *Tx, id int64) ([]*domain.SanctionCase, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM sanction_cases WHERE institution_id = $1 ORDER BY id DESC LIMIT $2`, id, domain.InstitutionSectionMax)
	if err != nil {
		return nil, dbError("read institution sanctions", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, dbError("read institution sanctions", err)
	}
	var out []*domain.SanctionCase
	for _, cid := range ids {
		c, err := readCase(ctx, tx, cid, false)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func readInstitutionChanges(ctx context.Context, tx *Tx, id int64) ([]*domain.InstitutionChange, error) {
	rows, err := tx.Query(ctx, `
		SELECT c.id, c.institution_id, c.field, c.old_value, c.new_value, c.reason, coalesce(c.operator_id, 0),
		       coalesce((SELECT coalesce(nullif(o.full_name, ''), o.name) FROM operators o WHERE o.id = c.operator_id), ''),
		       c.source, c.changed_at
		  FROM institution_changes c
		 WHERE c.institution_id = $1
		 ORDER BY c.changed_at DESC, c.id DESC LIMIT $2`, id, domain.InstitutionSectionMax)
	if err != nil {
		return nil, dbError("read institution changes", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.InstitutionChange, error) {
		c := &domain.InstitutionChange{}
		var source string
		err := row.Scan(&c.ID, &c.InstitutionID, &c.Field, &c.OldValue, &c.NewValue, &c.Reason, &c.OperatorID,
			&c.OperatorName, &source, &c.ChangedAt)
		c.Source, c.ChangedAt = domain.ChangeSource(source), c.ChangedAt.UTC()
		return c, err
	})
}

// readInstitutionMembers reads the institution's staff users
// (platform_users.institution_id) and the users holding a running role in
// its scope (its career consultants, ¶29.3), each with those roles.
func readInstitutionMembers(ctx context.Context, tx *Tx, id int64, now time.Time) ([]*domain.InstitutionMember, error) {
	rows, err := tx.Query(ctx, `
		WITH members AS (
		    SELECT u.id FROM platform_users u WHERE u.institution_id = $1
		    UNION
		    SELECT a.user_id FROM role_assignments a
		     WHERE a.institution_id = $1 AND a.ended_at IS NULL AND a.valid_until > $2
		)
		SELECT u.id, coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email), u.email, u.sign_in_denied,
		       coalesce(array_agg(a.role ORDER BY a.role) FILTER (WHERE a.id IS NOT NULL), '{}'),
		       coalesce(array_agg(a.valid_until ORDER BY a.role) FILTER (WHERE a.id IS NOT NULL), '{}')
		  FROM members m
		  JOIN platform_users u ON u.id = m.id
		  LEFT JOIN role_assignments a ON a.user_id = u.id AND a.institution_id = $1
		                              AND a.ended_at IS NULL AND a.valid_until > $2
		 GROUP BY u.id
		 ORDER BY 2, u.id LIMIT $3`, id, now, domain.InstitutionSectionMax)
	if err != nil {
		return nil, dbError("read institution members", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.InstitutionMember, error) {
		m := &domain.InstitutionMember{}
		var roles []string
		var until []time.Time
		if err := row.Scan(&m.UserID, &m.Name, &m.Email, &m.Denied, &roles, &until); err != nil {
			return nil, err
		}
		m.Name = domain.MaskPersonalCodesIn(m.Name)
		for i, r := range roles {
			m.Roles = append(m.Roles, domain.MemberRole{Role: r, ValidUntil: until[i].UTC()})
		}
		return m, nil
	})
}

// readInstitutionWaiting reads the requests waiting for the institution's
// decision (¶29.3), the longest waiting first.
func (s *InstitutionService) readInstitutionWaiting(ctx context.Context, tx *Tx, id int64) ([]*domain.InstitutionWaiting, error) {
	rows, err := tx.Query(ctx, `
		SELECT id, applicant_name, email_confirmed_at, institution_reminder_at
		  FROM role_requests
		 WHERE institution_id = $1 AND state = 'at_institution'
		 ORDER BY email_confirmed_at, id LIMIT $2`, id, domain.InstitutionSectionMax)
	if err != nil {
		return nil, dbError("read requests at the institution", err)
	}
	cfg := s.Config
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.InstitutionWaiting, error) {
		w := &domain.InstitutionWaiting{}
		var reminded *time.Time
		if err := row.Scan(&w.RequestID, &w.Applicant, &w.Since, &reminded); err != nil {
			return nil, err
		}
		w.Applicant = domain.MaskPersonalCodesIn(w.Applicant)
		w.Since, w.RemindedAt = w.Since.UTC(), utcOrZero(reminded)
		r := domain.RoleRequest{EmailConfirmedAt: w.Since}
		w.TakeOverFrom = r.TakeOverFrom(cfg)
		return w, nil
	})
}

// institutionDocumentSelect reads the documents of the institution's
// registration requests (kind 'institution', ¶27.1.6).
const institutionDocumentSelect = `
	SELECT d.id, d.request_id, d.position, d.name, d.media_type, d.size, d.sha256, c.document_id IS NOT NULL
	  FROM role_request_documents d
	  JOIN role_requests r ON r.id = d.request_id
	  LEFT JOIN role_request_document_contents c ON c.document_id = d.id`

func scanInstitutionDocument(row pgx.Row, d *domain.InstitutionDocument) error {
	return row.Scan(&d.ID, &d.RequestID, &d.Position, &d.Name, &d.MediaType, &d.Size, &d.SHA256, &d.Stored)
}

func readInstitutionDocuments(ctx context.Context, tx *Tx, id int64) ([]*domain.InstitutionDocument, error) {
	rows, err := tx.Query(ctx, institutionDocumentSelect+`
		 WHERE r.institution_id = $1 AND r.kind = 'institution'
		 ORDER BY d.request_id DESC, d.position LIMIT $2`, id, domain.InstitutionSectionMax)
	if err != nil {
		return nil, dbError("read institution documents", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.InstitutionDocument, error) {
		d := &domain.InstitutionDocument{}
		return d, scanInstitutionDocument(row, d)
	})
}

// OpenInstitutionDocument returns a registration document to view; its
// file only when kept and at most domain.DocumentViewMaxSize bytes, so
// that a screen never holds more (the database reads no more either).
// The look is audited as a reviewer's look at a request's document is.
func (s *InstitutionService) OpenInstitutionDocument(ctx context.Context, id int64) (*domain.DocumentView, error) {
	v := &domain.DocumentView{}
	err := s.db.inTx(ctx, "open institution document", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, institutionGuard, institutionReaders...); err != nil {
			return err
		}
		var content []byte
		row := tx.QueryRow(ctx, `
			SELECT d.id, d.request_id, d.position, d.name, d.media_type, d.size, d.sha256, c.document_id IS NOT NULL,
			       CASE WHEN octet_length(c.content) <= $2 THEN c.content END
			  FROM role_request_documents d
			  JOIN role_requests r ON r.id = d.request_id
			  LEFT JOIN role_request_document_contents c ON c.document_id = d.id
			 WHERE d.id = $1 AND r.kind = 'institution' AND r.institution_id IS NOT NULL`, id, domain.DocumentViewMaxSize)
		err := row.Scan(&v.ID, &v.RequestID, &v.Position, &v.Name, &v.MediaType, &v.Size, &v.SHA256, &v.Stored, &content)
		if isNoRows(err) {
			return domain.Errorf(domain.ENOTFOUND, "institution.document_not_found", "document %d of an institution was not found", id)
		}
		if err != nil {
			return dbError("open institution document", err)
		}
		v.Content = content
		return appendPendingAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditInstitutionDocument, SubjectKind: "role_request", SubjectID: idText(v.RequestID),
			Details: "document=" + idText(v.ID) + "; position=" + strconv.Itoa(v.Position),
		})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// EditInstitution changes an institution's details with a reason
// (¶17.2): the row is locked, the edit judged by domain.PrepareEdit, the
// row updated with its version raised, one history row per changed
// detail written and the edit audited with the reason, in one
// transaction.
func (s *InstitutionService) EditInstitution(ctx context.Context, id, version int64, e domain.InstitutionEdit, reason string) (*domain.Institution, error) {
	var out *domain.Institution
	err := s.db.inTx(ctx, "edit institution", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, institutionGuard, institutionReaders...)
		if err != nil {
			return err
		}
		i, err := scanInstitution(tx.QueryRow(ctx, `SELECT `+institutionColumns+` FROM institutions WHERE id = $1 FOR UPDATE`, id))
		if isNoRows(err) {
			return institutionNotFound(id)
		}
		if err != nil {
			return dbError("read institution", err)
		}
		e, why, changes, err := domain.PrepareEdit(me.operator(), i, version, e, reason)
		if err != nil {
			return err
		}
		out, err = scanInstitution(tx.QueryRow(ctx, `
			UPDATE institutions
			   SET name = $2, company_reg_number = $3, education_reg_number = $4, email = $5, contact_phone = $6,
			       postal_address = $7, details_version = details_version + 1, updated_at = $8
			 WHERE id = $1 AND details_version = $9
			RETURNING `+institutionColumns,
			id, e.Name, e.CompanyRegNumber, e.EducationRegNumber, e.Email, e.Phone, e.Address, tx.now, version))
		if isNoRows(err) {
			return i.CheckVersion(-1)
		}
		if err != nil {
			return institutionWriteError(err)
		}
		fields := make([]string, len(changes))
		for n, c := range changes {
			fields[n] = c.Field
			if _, err := tx.Exec(ctx, `
				INSERT INTO institution_changes (institution_id, field, old_value, new_value, reason, operator_id, source, changed_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				id, c.Field, c.OldValue, c.NewValue, why, me.id, string(domain.ChangeByOperator), tx.now); err != nil {
				return dbError("record institution change", err)
			}
		}
		// The fields' names only: their values may name a person (an
		// e-mail address), which the audit log does not keep.
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditInstitutionEdit, SubjectKind: "institution", SubjectID: idText(id), Reason: why,
			Details: "fields=" + strings.Join(fields, ",") + "; version=" + strconv.FormatInt(out.Version, 10),
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// institutionWriteError maps a refused update: another active
// institution holds the registration number (the unique indexes of
// migration 0011).
func institutionWriteError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" &&
		(pgErr.ConstraintName == "institutions_company_reg_active_key" || pgErr.ConstraintName == "institutions_education_reg_active_key") {
		return domain.Errorf(domain.ECONFLICT, "institution.reg_taken", "another active institution holds that registration number")
	}
	return dbError("edit institution", err)
}
