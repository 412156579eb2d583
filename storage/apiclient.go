package storage

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// APIClientService keeps the portal API's clients (migration 0121). It
// implements domain.APIClientService: adding, listing and revoking clients
// is for the command line or an administrator (never an API client);
// authenticating a token is open to the door itself.
type APIClientService struct {
	db *DB
}

var _ domain.APIClientService = (*APIClientService)(nil)

// NewAPIClientService returns an APIClientService on db.
func NewAPIClientService(db *DB) *APIClientService { return &APIClientService{db: db} }

// apiAdminGuard refuses whoever may not administer API clients.
var apiAdminGuard = guard{
	noOperator: domain.Errorf(domain.EUNAUTHORIZED, "access.no_operator", "only a signed-in operator can do this"),
	forbidden:  domain.Errorf(domain.EFORBIDDEN, "access.forbidden", "you do not hold the role this needs"),
}

// apiClientColumns are read by scanAPIClient, in its order.
const apiClientColumns = `id, name, created_at, created_by, revoked_at, revoked_by`

func scanAPIClient(row pgx.Row) (*domain.APIClient, error) {
	var c domain.APIClient
	var revoked *time.Time
	if err := row.Scan(&c.ID, &c.Name, &c.CreatedAt, &c.CreatedBy, &revoked, &c.RevokedBy); err != nil {
		return nil, err
	}
	c.CreatedAt, c.RevokedAt = c.CreatedAt.UTC(), utcOrZero(revoked)
	return &c, nil
}

// AddAPIClient adds a client named name and returns it with its bearer
// token, printed once by the caller and kept nowhere: only its SHA-256 is
// stored. It returns EINVALID "api.client_name", ECONFLICT
// "api.client_exists" (also for the name of a revoked client), and the
// refusals of the admin role for an operator (EUNAUTHORIZED for an API
// client).
func (s *APIClientService) AddAPIClient(ctx context.Context, name string) (*domain.APIClient, string, error) {
	if err := domain.ValidateAPIClientName(name); err != nil {
		return nil, "", err
	}
	token, hash := domain.NewAPIToken()
	var c *domain.APIClient
	err := s.db.inTx(ctx, "add API client", func(tx *Tx) error {
		me, err := loadCaller(ctx, tx, apiAdminGuard, domain.RoleAdmin)
		if err != nil {
			return err
		}
		by := me.login
		if by == "" {
			by = domain.ActorFrom(ctx).Name
		}
		c, err = scanAPIClient(tx.QueryRow(ctx, `
			INSERT INTO api_clients (name, token_hash, created_at, created_by)
			VALUES ($1, $2, $3, $4)
			ON CONFLICT (name) DO NOTHING
			RETURNING `+apiClientColumns, name, hash, tx.now, by))
		if isNoRows(err) {
			return domain.Errorf(domain.ECONFLICT, "api.client_exists", "an API client named %s exists already (names are never reused)", name)
		}
		if err != nil {
			return dbError("add API client", err)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditAPIClientAdd, SubjectKind: "api_client", SubjectID: name,
		})
	})
	if err != nil {
		return nil, "", err
	}
	return c, token, nil
}

// ListAPIClients returns every client by name, revoked ones included. It
// returns the refusals of the admin role, and EUNAVAILABLE.
func (s *APIClientService) ListAPIClients(ctx context.Context) ([]*domain.APIClient, error) {
	if _, err := loadCaller(ctx, s.db.pool, apiAdminGuard, domain.RoleAdmin); err != nil {
		return nil, err
	}
	rows, err := s.db.pool.Query(ctx, `SELECT `+apiClientColumns+` FROM api_clients ORDER BY name`)
	if err != nil {
		return nil, dbError("list API clients", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*domain.APIClient, error) { return scanAPIClient(row) })
	if err != nil {
		return nil, dbError("list API clients", err)
	}
	return list, nil
}

// RevokeAPIClient stops the client's token from its next call on. Revoking
// a revoked client changes nothing. It returns ENOTFOUND
// "api.client_not_found" and the refusals of the admin role.
func (s *APIClientService) RevokeAPIClient(ctx context.Context, name string) error {
	return s.db.inTx(ctx, "revoke API client", func(tx *Tx) error {
		me, err := loadCaller(ctx, tx, apiAdminGuard, domain.RoleAdmin)
		if err != nil {
			return err
		}
		by := me.login
		if by == "" {
			by = domain.ActorFrom(ctx).Name
		}
		var revoked *time.Time
		err = tx.QueryRow(ctx, `SELECT revoked_at FROM api_clients WHERE name = $1 FOR UPDATE`, name).Scan(&revoked)
		if isNoRows(err) {
			return domain.Errorf(domain.ENOTFOUND, "api.client_not_found", "there is no API client named %s", name)
		}
		if err != nil {
			return dbError("revoke API client", err)
		}
		if revoked != nil {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE api_clients SET revoked_at = $2, revoked_by = $3 WHERE name = $1`, name, tx.now, by); err != nil {
			return dbError("revoke API client", err)
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditAPIClientRevoke, SubjectKind: "api_client", SubjectID: name,
		})
	})
}

// errAPIUnauthorized is the one answer to every token that does not work.
func errAPIUnauthorized() error {
	return domain.Errorf(domain.EUNAUTHORIZED, "api.unauthorized", "the bearer token is missing, not valid or revoked")
}

// AuthenticateAPIClient returns the client whose bearer token this is,
// found by the token's SHA-256 (an index look-up, so nothing compares the
// secret byte by byte). It returns EUNAUTHORIZED "api.unauthorized" for a
// token that is malformed, unknown or revoked, and EUNAVAILABLE.
func (s *APIClientService) AuthenticateAPIClient(ctx context.Context, token string) (*domain.APIClient, error) {
	hash := domain.HashAPIToken(token)
	if hash == nil {
		return nil, errAPIUnauthorized()
	}
	c, err := scanAPIClient(s.db.pool.QueryRow(ctx, `SELECT `+apiClientColumns+` FROM api_clients WHERE token_hash = $1`, hash))
	if isNoRows(err) {
		return nil, errAPIUnauthorized()
	}
	if err != nil {
		return nil, dbError("authenticate API client", err)
	}
	if c.Revoked() {
		return nil, errAPIUnauthorized()
	}
	return c, nil
}

// RecordAPICall writes the audit entry of a call that changed nothing (a
// refusal, a replay) as the API client in ctx, through audit_pending so
// that it never waits for the chain's lock; the sealer chains it within a
// second. It returns EFORBIDDEN "api.not_a_client" when ctx acts as no API
// client, and EUNAVAILABLE.
func (s *APIClientService) RecordAPICall(ctx context.Context, action, details string) error {
	if !domain.ActorFrom(ctx).IsAPIClient() {
		return errNotAClient()
	}
	return s.db.inTx(ctx, "record API call", func(tx *Tx) error {
		a := domain.ActorFrom(ctx)
		return appendPendingAudit(ctx, tx, &domain.AuditEntry{
			Action: action, SubjectKind: "api_client", SubjectID: a.APIClient, Details: details,
		})
	})
}

// errNotAClient refuses a caller that is no API client.
func errNotAClient() error {
	return domain.Errorf(domain.EFORBIDDEN, "api.not_a_client", "only an API client's call can do this")
}

// ExpireIdempotencyKeys deletes the idempotency keys older than
// domain.IdempotencyTTL, a batch at a time, and returns how many. Any
// server may run it at any time.
func (s *APIClientService) ExpireIdempotencyKeys(ctx context.Context) (int64, error) {
	var total int64
	for {
		tag, err := s.db.pool.Exec(ctx, `
			DELETE FROM api_idempotency
			 WHERE ctid = ANY (ARRAY(SELECT ctid FROM api_idempotency WHERE created_at < $1 LIMIT 5000))`,
			s.db.now().Add(-domain.IdempotencyTTL))
		if err != nil {
			return total, dbError("expire idempotency keys", err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < 5000 {
			return total, nil
		}
	}
}

// Idempotent runs fn once per idempotency key of the client (see
// domain.APIClientService). Every transaction fn's storage calls open
// joins one transaction, begun when the first of them begins (after the
// work they do before, such as hashing a password): it first reserves the
// key — a concurrent call with the same key waits there until this one
// ends — and it commits only after the response is stored with the key.
// So a success and its stored response commit together, and a failure
// leaves nothing behind. It returns EFORBIDDEN "api.not_a_client" unless
// ctx acts as the call's client, EINVALID "api.idempotency_key_reused" for
// a key used with another request, and fn's errors.
func (s *APIClientService) Idempotent(ctx context.Context, call domain.IdempotentCall,
	fn func(ctx context.Context) (domain.StoredResponse, error)) (domain.StoredResponse, bool, error) {
	a := domain.ActorFrom(ctx)
	if !a.IsAPIClient() || a.APIClientID != call.ClientID {
		return domain.StoredResponse{}, false, errNotAClient()
	}
	if err := domain.CheckIdempotencyKey(call.Key); err != nil {
		return domain.StoredResponse{}, false, err
	}
	// A call that lost the race for its key to an identical one finds
	// the other's response on the second look.
	for range 2 {
		if resp, ok, err := s.storedResponse(ctx, call); err != nil || ok {
			return resp, ok, err
		}
		j := &txJoin{db: s.db, call: call}
		resp, err := fn(context.WithValue(ctx, joinKey{}, j))
		if err == nil && j.tx == nil {
			// fn wrote nothing; the key is still taken.
			_, err = j.get(ctx, "store idempotent response")
		}
		if err != nil {
			j.rollback(ctx)
			if j.raced {
				continue
			}
			return domain.StoredResponse{}, false, err
		}
		err = s.storeResponse(ctx, j, resp)
		j.rollback(ctx)
		if err != nil {
			return domain.StoredResponse{}, false, err
		}
		return resp, false, nil
	}
	return domain.StoredResponse{}, false, domain.Errorf(domain.ECONFLICT, "api.idempotency_in_progress",
		"a request with this Idempotency-Key is being processed; retry later")
}

// storedResponse returns the response stored under the call's key, if a
// call with it succeeded within domain.IdempotencyTTL.
func (s *APIClientService) storedResponse(ctx context.Context, call domain.IdempotentCall) (domain.StoredResponse, bool, error) {
	var hash []byte
	var resp domain.StoredResponse
	err := s.db.pool.QueryRow(ctx, `
		SELECT request_hash, status, response FROM api_idempotency
		 WHERE client_id = $1 AND key = $2 AND created_at > $3 AND status > 0`,
		call.ClientID, call.Key, s.db.now().Add(-domain.IdempotencyTTL)).Scan(&hash, &resp.Status, &resp.Body)
	if isNoRows(err) {
		return resp, false, nil
	}
	if err != nil {
		return resp, false, dbError("read idempotency key", err)
	}
	if string(hash) != string(call.RequestHash) {
		return domain.StoredResponse{}, false, domain.Errorf(domain.EINVALID, "api.idempotency_key_reused",
			"this Idempotency-Key was used with a different request")
	}
	return resp, true, nil
}

// storeResponse writes the response with the key and commits.
func (s *APIClientService) storeResponse(ctx context.Context, j *txJoin, resp domain.StoredResponse) error {
	if resp.Status <= 0 {
		return errorf("store idempotent response", errors.New("no status"))
	}
	body := resp.Body
	if body == nil {
		body = []byte{}
	}
	if _, err := j.tx.Exec(ctx, `UPDATE api_idempotency SET status = $3, response = $4 WHERE client_id = $1 AND key = $2`,
		j.call.ClientID, j.call.Key, resp.Status, body); err != nil {
		return dbError("store idempotent response", err)
	}
	if err := j.tx.Commit(ctx); err != nil {
		return dbError("commit idempotent call", err)
	}
	j.db.audited(j.tx.audited...)
	return nil
}

// txJoin is the one transaction of an idempotent call, begun by the first
// transaction its storage calls open (runTx asks joinedTx).
type txJoin struct {
	db    *DB
	call  domain.IdempotentCall
	tx    *Tx
	raced bool // another call with the key committed first
}

type joinKey struct{}

// joinedTx returns the idempotent call's transaction holder when ctx
// carries one for db.
func joinedTx(ctx context.Context, db *DB) *txJoin {
	j, _ := ctx.Value(joinKey{}).(*txJoin)
	if j == nil || j.db != db {
		return nil
	}
	return j
}

// get returns the call's transaction, beginning it and reserving the key
// the first time. It returns ECONFLICT "api.idempotency_in_progress" (and
// sets raced) when another call with the key committed first; such a
// call is answered with that one's response.
func (j *txJoin) get(ctx context.Context, what string) (*Tx, error) {
	if j.tx != nil {
		return j.tx, nil
	}
	ptx, err := j.db.pool.Begin(ctx)
	if err != nil {
		return nil, dbError(what, err)
	}
	tx := &Tx{Tx: ptx, now: j.db.now(), portalURL: j.db.PortalURL}
	// An expired key of the client is taken over; a live one waits here
	// for its transaction and then, committed, refuses.
	tag, err := tx.Exec(ctx, `
		INSERT INTO api_idempotency (client_id, key, request_hash, created_at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (client_id, key) DO UPDATE
		   SET request_hash = EXCLUDED.request_hash, status = 0, response = ''::bytea, created_at = EXCLUDED.created_at
		 WHERE api_idempotency.created_at <= $5`,
		j.call.ClientID, j.call.Key, j.call.RequestHash, tx.now, tx.now.Add(-domain.IdempotencyTTL))
	if err == nil && tag.RowsAffected() == 0 {
		j.raced = true
		err = domain.Errorf(domain.ECONFLICT, "api.idempotency_in_progress", "a request with this Idempotency-Key is being processed; retry later")
	} else if err != nil {
		err = dbError("reserve idempotency key", err)
	}
	if err != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = ptx.Rollback(rctx)
		return nil, err
	}
	j.tx = tx
	return tx, nil
}

// rollback ends the call's transaction unless it committed.
func (j *txJoin) rollback(ctx context.Context) {
	if j.tx == nil {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = j.tx.Rollback(rctx)
}
