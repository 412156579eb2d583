package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/passhash"
)

// operatorColumns are read by scanOperator, in its order.
const operatorColumns = `id, name, full_name, email, roles, language, disabled,
	locked_until, password_hash IS NOT NULL, created_at`

// OperatorService manages back-office accounts and their SSH keys. It
// implements domain.OperatorService; every change is audited in its own
// transaction. Every method needs an administrator, or the back office
// itself (the command line, which creates the first administrator); an
// operator may read their own account and set their own language and
// password without the role. A caller without the right gets EUNAUTHORIZED
// "access.no_operator" (no enabled operator) or EFORBIDDEN
// "operator.not_admin".
type OperatorService struct {
	db *DB
}

var _ domain.OperatorService = (*OperatorService)(nil)

// NewOperatorService returns an OperatorService on db.
func NewOperatorService(db *DB) *OperatorService { return &OperatorService{db: db} }

// CreateOperator stores op with the given password (none when empty: the
// operator signs in by key only) and sets op.ID and op.CreatedAt. The
// language defaults to Latvian. It returns EINVALID for a bad name, role,
// language or e-mail address, EINVALID "password.weak" listing every broken
// password rule, and ECONFLICT "operator.name_taken" when the name is taken.
func (s *OperatorService) CreateOperator(ctx context.Context, op *domain.Operator, password string) error {
	if _, err := loadCaller(ctx, s.db.pool, operatorGuard, domain.RoleAdmin); err != nil {
		return err
	}
	if err := domain.PrepareNewOperator(op); err != nil {
		return err
	}

	var hash *string
	if password != "" {
		h, err := hashPassword(op.Name, password)
		if err != nil {
			return err
		}
		hash = &h
	}

	return s.db.inTx(ctx, "create operator", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, operatorGuard, domain.RoleAdmin); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO operators (name, full_name, email, roles, language, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
			RETURNING id`,
			op.Name, op.FullName, op.Email, roleNames(op.Roles), op.Language, hash, tx.now,
		).Scan(&op.ID)
		if err != nil {
			return dbError("create operator", err)
		}
		op.CreatedAt, op.Disabled, op.LockedUntil, op.HasPassword = tx.now, false, time.Time{}, hash != nil
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action:      domain.AuditOperatorCreate,
			SubjectKind: "operator",
			SubjectID:   op.Name,
			Details:     "roles=" + strings.Join(roleNames(op.Roles), ",") + "; password=" + yesNo(hash != nil),
		})
	})
}

// FindOperatorByName returns the operator named name, or ENOTFOUND
// "operator.not_found".
func (s *OperatorService) FindOperatorByName(ctx context.Context, name string) (*domain.Operator, error) {
	me, err := loadCaller(ctx, s.db.pool, operatorGuard)
	if err != nil {
		return nil, err
	}
	if !me.machine() && me.login != name && !me.has(domain.RoleAdmin) {
		return nil, refuse(operatorGuard.forbidden)
	}
	op, err := scanOperator(s.db.pool.QueryRow(ctx, `SELECT `+operatorColumns+` FROM operators WHERE name = $1`, name))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.OperatorNotFound(name)
	}
	if err != nil {
		return nil, dbError("find operator", err)
	}
	return op, nil
}

// FindOperatorByID returns the operator with that id, or ENOTFOUND
// "operator.not_found".
func (s *OperatorService) FindOperatorByID(ctx context.Context, id int64) (*domain.Operator, error) {
	me, err := loadCaller(ctx, s.db.pool, operatorGuard)
	if err != nil {
		return nil, err
	}
	if !me.machine() && me.id != id && !me.has(domain.RoleAdmin) {
		return nil, refuse(operatorGuard.forbidden)
	}
	op, err := scanOperator(s.db.pool.QueryRow(ctx, `SELECT `+operatorColumns+` FROM operators WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.OperatorNotFound("#" + strconv.FormatInt(id, 10))
	}
	if err != nil {
		return nil, dbError("find operator", err)
	}
	return op, nil
}

// ListOperators returns every operator, ordered by name. It returns
// EUNAVAILABLE when the database does not answer.
func (s *OperatorService) ListOperators(ctx context.Context) ([]*domain.Operator, error) {
	if _, err := loadCaller(ctx, s.db.pool, operatorGuard, domain.RoleAdmin); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, `SELECT `+operatorColumns+` FROM operators ORDER BY name`)
	if err != nil {
		return nil, dbError("list operators", err)
	}
	ops, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.Operator, error) {
		return scanOperator(row)
	})
	if err != nil {
		return nil, dbError("list operators", err)
	}
	return ops, nil
}

// SetOperatorDisabled disables (with the reason) or enables the operator
// named name. The change notification it causes ends a disabled operator's
// open sessions. It returns ENOTFOUND "operator.not_found".
func (s *OperatorService) SetOperatorDisabled(ctx context.Context, name string, disabled bool, reason string) error {
	action, what := domain.AuditOperatorEnable, "enable operator"
	if disabled {
		action, what = domain.AuditOperatorDisable, "disable operator"
	}
	reason = strings.TrimSpace(reason)
	disabledReason := ""
	if disabled {
		disabledReason = domain.MaskPersonalCodesIn(domain.AuditText(reason))
	}
	return s.db.inTx(ctx, what, func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, operatorGuard, domain.RoleAdmin); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `
			UPDATE operators
			   SET disabled = $2, disabled_reason = $3, updated_at = $4
			 WHERE name = $1
			RETURNING id`,
			name, disabled, disabledReason, tx.now,
		).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.OperatorNotFound(name)
		}
		if err != nil {
			return dbError(what, err)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: action, SubjectKind: "operator", SubjectID: name, Reason: reason,
		})
	})
}

// UnlockOperator ends the lock failed password attempts put on the
// operator named name: the lock's end is set to now, so the count of their
// failures restarts from here (accountFailures counts from the end of the
// last lock). It reports whether the operator was locked; an unlock is
// audited as "operator.unlock" with the end the lock had, and unlocking an
// operator who is not locked changes nothing. It returns ENOTFOUND
// "operator.not_found", and EFORBIDDEN "operator.not_admin" for an operator
// who is not an administrator (the command line may always unlock).
func (s *OperatorService) UnlockOperator(ctx context.Context, name string) (bool, error) {
	wasLocked := false
	err := s.db.inTx(ctx, "unlock operator", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, operatorGuard, domain.RoleAdmin); err != nil {
			return err
		}
		var lockedUntil *time.Time
		err := tx.QueryRow(ctx, `SELECT locked_until FROM operators WHERE name = $1 FOR UPDATE`, name).Scan(&lockedUntil)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.OperatorNotFound(name)
		}
		if err != nil {
			return dbError("unlock operator", err)
		}
		if lockedUntil == nil || !(&domain.Operator{LockedUntil: *lockedUntil}).LockedAt(tx.now) {
			return nil
		}
		wasLocked = true
		if _, err := tx.Exec(ctx, `UPDATE operators SET locked_until = $2, updated_at = $2 WHERE name = $1`, name, tx.now); err != nil {
			return dbError("unlock operator", err)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditOperatorUnlock, SubjectKind: "operator", SubjectID: name,
			Details: "was locked until " + lockedUntil.UTC().Format(time.RFC3339),
		})
	})
	return wasLocked, err
}

// SetOperatorRoles replaces the roles of the operator named name. It
// returns the errors of domain.CheckOperatorRoles, and ENOTFOUND
// "operator.not_found".
func (s *OperatorService) SetOperatorRoles(ctx context.Context, name string, roles []domain.Role) error {
	roles, err := domain.CheckOperatorRoles(name, roles)
	if err != nil {
		return err
	}
	names := roleNames(roles)
	return s.db.inTx(ctx, "set operator roles", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, operatorGuard, domain.RoleAdmin); err != nil {
			return err
		}
		var old []string
		err := tx.QueryRow(ctx, `
			UPDATE operators AS o
			   SET roles = $2, updated_at = $3
			  FROM (SELECT id, roles FROM operators WHERE name = $1 FOR UPDATE) AS before
			 WHERE o.id = before.id
			RETURNING before.roles`,
			name, names, tx.now,
		).Scan(&old)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.OperatorNotFound(name)
		}
		if err != nil {
			return dbError("set operator roles", err)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action:      domain.AuditOperatorRoles,
			SubjectKind: "operator",
			SubjectID:   name,
			Details:     "roles=" + strings.Join(old, ",") + " -> " + strings.Join(names, ","),
		})
	})
}

// SetOperatorPassword checks password against the password rule (¶31)
// and stores its hash for the operator named name. It returns EINVALID
// "password.weak" with every broken rule, and ENOTFOUND
// "operator.not_found".
func (s *OperatorService) SetOperatorPassword(ctx context.Context, name, password string) error {
	if err := s.ownOrAdmin(ctx, s.db.pool, func(me *actor) bool { return me.login == name }); err != nil {
		return err
	}
	hash, err := hashPassword(name, password)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "set operator password", func(tx *Tx) error {
		if err := s.ownOrAdmin(ctx, tx, func(me *actor) bool { return me.login == name }); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE operators SET password_hash = $2, updated_at = $3 WHERE name = $1`,
			name, hash, tx.now)
		if err != nil {
			return dbError("set operator password", err)
		}
		if tag.RowsAffected() == 0 {
			return domain.OperatorNotFound(name)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditOperatorPassword, SubjectKind: "operator", SubjectID: name,
		})
	})
}

// SetOperatorLanguage remembers the UI language ("lv" or "en") of the
// operator with that id. It returns EINVALID "operator.bad_language" and
// ENOTFOUND "operator.not_found".
func (s *OperatorService) SetOperatorLanguage(ctx context.Context, id int64, lang string) error {
	if err := s.ownOrAdmin(ctx, s.db.pool, func(me *actor) bool { return me.id == id }); err != nil {
		return err
	}
	if err := domain.CheckOperatorLanguage(lang); err != nil {
		return err
	}
	return s.db.inTx(ctx, "set operator language", func(tx *Tx) error {
		if err := s.ownOrAdmin(ctx, tx, func(me *actor) bool { return me.id == id }); err != nil {
			return err
		}
		var name string
		err := tx.QueryRow(ctx, `
			UPDATE operators SET language = $2, updated_at = $3 WHERE id = $1 RETURNING name`,
			id, lang, tx.now,
		).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.OperatorNotFound("#" + strconv.FormatInt(id, 10))
		}
		if err != nil {
			return dbError("set operator language", err)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditOperatorLanguage, SubjectKind: "operator", SubjectID: name, Details: "language=" + lang,
		})
	})
}

// AddOperatorKey registers one authorized_keys line (options are
// ignored, the comment is kept) for the operator named name. It returns
// EINVALID "operator.bad_key" for a line that is not exactly one public
// key, EINVALID "operator.weak_key" for a DSA key or an RSA key under 2048
// bits, ECONFLICT "operator.key_taken" when any operator has the key
// already, and ENOTFOUND "operator.not_found".
func (s *OperatorService) AddOperatorKey(ctx context.Context, name, authorizedKey string) (*domain.OperatorKey, error) {
	if _, err := loadCaller(ctx, s.db.pool, operatorGuard, domain.RoleAdmin); err != nil {
		return nil, err
	}
	key, pub, err := domain.ParseOperatorKey(authorizedKey)
	if err != nil {
		return nil, err
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
	err = s.db.inTx(ctx, "add operator key", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, operatorGuard, domain.RoleAdmin); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO operator_keys (fingerprint, operator_id, key_type, authorized_key, comment, added_at)
			SELECT $2, id, $3, $4, $5, $6 FROM operators WHERE name = $1
			RETURNING operator_id`,
			name, key.Fingerprint, key.Type, line, key.Comment, tx.now,
		).Scan(&key.OperatorID)
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.OperatorNotFound(name)
		}
		if err != nil {
			return dbError("add operator key", err)
		}
		key.AddedAt = tx.now
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action:      domain.AuditOperatorKeyAdd,
			SubjectKind: "operator",
			SubjectID:   name,
			Details:     "fingerprint=" + key.Fingerprint + "; type=" + key.Type,
		})
	})
	if err != nil {
		return nil, err
	}
	return key, nil
}

// RemoveOperatorKey removes the key with that fingerprint from the
// operator named name. It returns ENOTFOUND "operator.not_found" for an
// unknown operator and ENOTFOUND "operator.key_not_found" when the
// operator has no such key.
func (s *OperatorService) RemoveOperatorKey(ctx context.Context, name, fingerprint string) error {
	return s.db.inTx(ctx, "remove operator key", func(tx *Tx) error {
		if _, err := loadCaller(ctx, tx, operatorGuard, domain.RoleAdmin); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `
			DELETE FROM operator_keys AS k
			 USING operators AS o
			 WHERE k.operator_id = o.id AND o.name = $1 AND k.fingerprint = $2
			RETURNING o.id`,
			name, fingerprint,
		).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM operators WHERE name = $1)`, name).Scan(&exists); err != nil {
				return dbError("remove operator key", err)
			}
			if !exists {
				return domain.OperatorNotFound(name)
			}
			return domain.OperatorKeyNotFound(fingerprint)
		}
		if err != nil {
			return dbError("remove operator key", err)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action:      domain.AuditOperatorKeyRemove,
			SubjectKind: "operator",
			SubjectID:   name,
			Details:     "fingerprint=" + fingerprint,
		})
	})
}

// ListOperatorKeys returns the keys of the operator named name, oldest
// first. It returns ENOTFOUND "operator.not_found".
func (s *OperatorService) ListOperatorKeys(ctx context.Context, name string) ([]*domain.OperatorKey, error) {
	if _, err := loadCaller(ctx, s.db.pool, operatorGuard, domain.RoleAdmin); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, `
		SELECT o.id, k.fingerprint, k.key_type, k.comment, k.added_at
		  FROM operators AS o
		  LEFT JOIN operator_keys AS k ON k.operator_id = o.id
		 WHERE o.name = $1
		 ORDER BY k.added_at, k.fingerprint`, name)
	if err != nil {
		return nil, dbError("list operator keys", err)
	}
	found := false
	keys := []*domain.OperatorKey{}
	var id int64
	var fingerprint, keyType, comment *string
	var addedAt *time.Time
	_, err = pgx.ForEachRow(rows, []any{&id, &fingerprint, &keyType, &comment, &addedAt}, func() error {
		found = true
		if fingerprint != nil {
			keys = append(keys, &domain.OperatorKey{
				OperatorID: id, Fingerprint: *fingerprint, Type: *keyType, Comment: *comment, AddedAt: addedAt.UTC(),
			})
		}
		return nil
	})
	if err != nil {
		return nil, dbError("list operator keys", err)
	}
	if !found {
		return nil, domain.OperatorNotFound(name)
	}
	return keys, nil
}

// ownOrAdmin lets the back office itself, an administrator, and an
// operator whose own account own says the call is about; EFORBIDDEN
// "operator.not_admin" for anyone else.
func (s *OperatorService) ownOrAdmin(ctx context.Context, q querier, own func(me *actor) bool) error {
	me, err := loadCaller(ctx, q, operatorGuard)
	if err != nil {
		return err
	}
	if me.machine() || me.has(domain.RoleAdmin) || own(me) {
		return nil
	}
	return refuse(operatorGuard.forbidden)
}

// scanOperator reads the operatorColumns of one row, followed by any
// extra columns the query selects into extra.
func scanOperator(row pgx.Row, extra ...any) (*domain.Operator, error) {
	var op domain.Operator
	var roles []string
	var lockedUntil *time.Time
	dest := []any{&op.ID, &op.Name, &op.FullName, &op.Email, &roles, &op.Language, &op.Disabled,
		&lockedUntil, &op.HasPassword, &op.CreatedAt}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	for _, r := range roles {
		op.Roles = append(op.Roles, domain.Role(r))
	}
	if lockedUntil != nil {
		op.LockedUntil = lockedUntil.UTC()
	}
	op.CreatedAt = op.CreatedAt.UTC()
	return &op, nil
}

// hashPassword checks password against the rule for the operator named
// name and hashes it. It returns EINVALID "password.weak".
func hashPassword(name, password string) (string, error) {
	if err := domain.PasswordError(domain.CheckPassword(password, name)); err != nil {
		return "", err
	}
	hash, err := passhash.Hash(password)
	if err != nil {
		return "", errorf("hash password", err)
	}
	return hash, nil
}

// roleNames returns roles as the strings stored in operators.roles.
func roleNames(roles []domain.Role) []string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
