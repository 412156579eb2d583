package storage_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// apiClient adds an API client through the command line's context and
// returns it with its token.
func apiClient(t testing.TB, db *storage.DB, name string) (*domain.APIClient, string) {
	t.Helper()
	c, token, err := storage.NewAPIClientService(db).AddAPIClient(adminCtx(t), name)
	if err != nil {
		t.Fatalf("add API client %s: %v", name, err)
	}
	return c, token
}

// asClient returns a context acting as the API client c.
func asClient(t testing.TB, c *domain.APIClient) context.Context {
	return domain.WithActor(t.Context(), c.Actor("req-"+c.Name, "192.0.2.40:50000"))
}

func TestAPIClients_Add_TokenShownOnceOnlyHashStored_Authenticates(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	svc := storage.NewAPIClientService(e.db)
	c, token := apiClient(t, e.db, "portal")
	if !strings.HasPrefix(token, domain.APITokenPrefix) || len(token) < len(domain.APITokenPrefix)+43 {
		t.Fatalf("token %q: want %s and 256 bits in base64url", token, domain.APITokenPrefix)
	}
	if n := e.count(t, `SELECT count(*) FROM api_clients c WHERE strpos(c::text, $1) > 0`, token[len(domain.APITokenPrefix):]); n != 0 {
		t.Error("the token is stored in clear")
	}
	sum := sha256.Sum256([]byte(token))
	if n := e.count(t, `SELECT count(*) FROM api_clients WHERE token_hash = $1`, sum[:]); n != 1 {
		t.Error("the token's SHA-256 is not stored")
	}
	got, err := svc.AuthenticateAPIClient(t.Context(), token)
	if err != nil || got.ID != c.ID || got.Name != "portal" {
		t.Fatalf("authenticate = %+v, %v", got, err)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = 'portal' AND actor_name = 'cli:admin.test'`,
		domain.AuditAPIClientAdd); n != 1 {
		t.Errorf("%d client_add audit entries, want 1", n)
	}
	// Names are never reused.
	if _, _, err := svc.AddAPIClient(adminCtx(t), "portal"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("second client named portal: %v, want ECONFLICT", err)
	}
	_, _, err = svc.AddAPIClient(adminCtx(t), "Portāls; DROP")
	wantError(t, err, domain.EINVALID, "api.client_name")
}

func TestAPIClients_BadUnknownOrRevokedToken_Unauthorized(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	svc := storage.NewAPIClientService(e.db)
	_, token := apiClient(t, e.db, "portal")
	other, _ := domain.NewAPIToken()
	for _, bad := range []string{"", "Bearer " + token, token + "x", token[:len(token)-1], other, strings.ToUpper(token)} {
		_, err := svc.AuthenticateAPIClient(t.Context(), bad)
		wantError(t, err, domain.EUNAUTHORIZED, "api.unauthorized")
	}
	if err := svc.RevokeAPIClient(adminCtx(t), "portal"); err != nil {
		t.Fatal(err)
	}
	if err := svc.RevokeAPIClient(adminCtx(t), "portal"); err != nil {
		t.Fatalf("revoke twice: %v", err)
	}
	_, err := svc.AuthenticateAPIClient(t.Context(), token)
	wantError(t, err, domain.EUNAUTHORIZED, "api.unauthorized")
	wantError(t, svc.RevokeAPIClient(adminCtx(t), "nobody"), domain.ENOTFOUND, "api.client_not_found")
	list, err := svc.ListAPIClients(adminCtx(t))
	if err != nil || len(list) != 1 || !list[0].Revoked() || list[0].RevokedBy != "cli:admin.test" {
		t.Fatalf("list = %+v, %v", list, err)
	}
}

// An API client is an actor of its own: the portal's methods take it, but
// what the screens and the command line read and administer refuses it
// (loadCaller would otherwise let any non-operator pass as the machine).
func TestAPIClients_ClientActor_RefusedByBackOfficeMethods(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	c, _ := apiClient(t, e.db, "portal")
	ctx := asClient(t, c)
	svc := storage.NewAPIClientService(e.db)
	if _, _, err := svc.AddAPIClient(ctx, "sneaky"); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Errorf("an API client adds a client: %v, want EUNAUTHORIZED", err)
	}
	if _, err := svc.ListAPIClients(ctx); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Errorf("an API client lists clients: %v, want EUNAUTHORIZED", err)
	}
	if _, err := storage.NewIMKService(e.db, nil).FindIMK(ctx, 1); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		t.Errorf("an API client reads an IMK application: %v, want EUNAUTHORIZED", err)
	}
	// The portal's own method takes it, and the audit names the client.
	id, _, err := e.portal.SubmitRoleRequest(ctx, rrForm(domain.KindMunicipalCoordinator, 0))
	if err != nil {
		t.Fatalf("submit as the API client: %v", err)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE actor_name = 'api:portal' AND subject_id = $1`, itoa(id)); n != 1 {
		t.Errorf("%d audit entries by api:portal for the submission, want 1", n)
	}
}

func TestAPIClients_Idempotent_ReplaysSameRequest_RefusesOtherBody(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	svc := storage.NewAPIClientService(e.db)
	c, _ := apiClient(t, e.db, "portal")
	ctx := asClient(t, c)
	f := rrForm(domain.KindMunicipalCoordinator, 0)
	var runs atomic.Int32
	fn := func(ctx context.Context) (domain.StoredResponse, error) {
		runs.Add(1)
		id, _, err := e.portal.SubmitRoleRequest(ctx, f)
		if err != nil {
			return domain.StoredResponse{}, err
		}
		return domain.StoredResponse{Status: 201, Body: []byte(`{"id":` + itoa(id) + `}`)}, nil
	}
	h1 := sha256.Sum256([]byte("body one"))
	call := domain.IdempotentCall{ClientID: c.ID, Key: "k-1", RequestHash: h1[:]}
	r1, replayed, err := svc.Idempotent(ctx, call, fn)
	if err != nil || replayed || r1.Status != 201 {
		t.Fatalf("first call = %+v, %v, %v", r1, replayed, err)
	}
	r2, replayed, err := svc.Idempotent(ctx, call, fn)
	if err != nil || !replayed || string(r2.Body) != string(r1.Body) || r2.Status != 201 {
		t.Fatalf("retry = %+v, %v, %v; want the stored response replayed", r2, replayed, err)
	}
	if runs.Load() != 1 {
		t.Errorf("the call ran %d times, want once", runs.Load())
	}
	if n := e.count(t, `SELECT count(*) FROM role_requests WHERE email = $1`, f.Email); n != 1 {
		t.Errorf("%d requests stored, want 1", n)
	}
	h2 := sha256.Sum256([]byte("body two"))
	_, _, err = svc.Idempotent(ctx, domain.IdempotentCall{ClientID: c.ID, Key: "k-1", RequestHash: h2[:]}, fn)
	wantError(t, err, domain.EINVALID, "api.idempotency_key_reused")
	// Another client's key space is its own.
	c2, _ := apiClient(t, e.db, "mobile")
	if _, replayed, err := svc.Idempotent(asClient(t, c2), domain.IdempotentCall{ClientID: c2.ID, Key: "k-1", RequestHash: h2[:]},
		func(context.Context) (domain.StoredResponse, error) { return domain.StoredResponse{Status: 200}, nil }); err != nil || replayed {
		t.Errorf("another client's same key: %v, replayed %v", err, replayed)
	}
	// A context of another client cannot use this client's keys.
	_, _, err = svc.Idempotent(asClient(t, c2), call, fn)
	wantError(t, err, domain.EFORBIDDEN, "api.not_a_client")
}

// A failure after the storage call has written leaves nothing behind: the
// writes and the key commit together or not at all, and a retry runs.
func TestAPIClients_Idempotent_FailureRollsBackWritesAndKey(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	svc := storage.NewAPIClientService(e.db)
	c, _ := apiClient(t, e.db, "portal")
	ctx := asClient(t, c)
	f := rrForm(domain.KindMunicipalCoordinator, 0)
	h := sha256.Sum256([]byte("body"))
	call := domain.IdempotentCall{ClientID: c.ID, Key: "k-fail", RequestHash: h[:]}
	boom := errors.New("encoding failed")
	_, _, err := svc.Idempotent(ctx, call, func(ctx context.Context) (domain.StoredResponse, error) {
		if _, _, err := e.portal.SubmitRoleRequest(ctx, f); err != nil {
			t.Fatal(err)
		}
		return domain.StoredResponse{}, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the function's", err)
	}
	if n := e.count(t, `SELECT count(*) FROM role_requests WHERE email = $1`, f.Email); n != 0 {
		t.Errorf("%d requests stored after the failure, want 0", n)
	}
	if n := e.count(t, `SELECT count(*) FROM api_idempotency`); n != 0 {
		t.Errorf("%d keys kept after the failure, want 0", n)
	}
	r, replayed, err := svc.Idempotent(ctx, call, func(ctx context.Context) (domain.StoredResponse, error) {
		return domain.StoredResponse{Status: 201, Body: []byte(`{}`)}, nil
	})
	if err != nil || replayed || r.Status != 201 {
		t.Fatalf("retry after failure = %+v, %v, %v", r, replayed, err)
	}
}

// Two identical calls at once: one runs, the other waits and is given the
// first's response.
func TestAPIClients_Idempotent_ConcurrentSameKey_RunsOnce(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	svc := storage.NewAPIClientService(e.db)
	c, _ := apiClient(t, e.db, "portal")
	h := sha256.Sum256([]byte("body"))
	call := domain.IdempotentCall{ClientID: c.ID, Key: "k-race", RequestHash: h[:]}
	f := rrForm(domain.KindMunicipalCoordinator, 0)
	var runs atomic.Int32
	var wg sync.WaitGroup
	bodies := make([]string, 4)
	errs := make([]error, 4)
	for i := range 4 {
		wg.Go(func() {
			r, _, err := svc.Idempotent(asClient(t, c), call, func(ctx context.Context) (domain.StoredResponse, error) {
				id, _, err := e.portal.SubmitRoleRequest(ctx, f)
				if err != nil {
					return domain.StoredResponse{}, err
				}
				runs.Add(1)
				return domain.StoredResponse{Status: 201, Body: []byte(itoa(id))}, nil
			})
			bodies[i], errs[i] = string(r.Body), err
		})
	}
	wg.Wait()
	for i := range 4 {
		if errs[i] != nil && domain.ErrorCode(errs[i]) != domain.ECONFLICT {
			t.Errorf("call %d: %v", i, errs[i])
		}
		if errs[i] == nil && bodies[i] != bodies[0] && bodies[0] != "" {
			t.Errorf("call %d got %q, call 0 %q", i, bodies[i], bodies[0])
		}
	}
	if n := e.count(t, `SELECT count(*) FROM role_requests WHERE email = $1`, f.Email); n != 1 {
		t.Errorf("%d requests stored by four identical calls, want 1", n)
	}
}

func TestAPIClients_ExpireIdempotencyKeys_AfterTTL(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	svc := storage.NewAPIClientService(e.db)
	c, _ := apiClient(t, e.db, "portal")
	h := sha256.Sum256([]byte("body"))
	call := domain.IdempotentCall{ClientID: c.ID, Key: "k-old", RequestHash: h[:]}
	ok := func(context.Context) (domain.StoredResponse, error) { return domain.StoredResponse{Status: 200}, nil }
	if _, _, err := svc.Idempotent(asClient(t, c), call, ok); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.ExpireIdempotencyKeys(t.Context()); err != nil || n != 0 {
		t.Fatalf("expire now = %d, %v; want 0", n, err)
	}
	e.clock.advance(domain.IdempotencyTTL + time.Second)
	if n, err := svc.ExpireIdempotencyKeys(t.Context()); err != nil || n != 1 {
		t.Fatalf("expire after a day = %d, %v; want 1", n, err)
	}
}

func TestAPIClients_RecordAPICall_AuditedAsTheClient(t *testing.T) {
	t.Parallel()
	e := newRREnv(t)
	svc := storage.NewAPIClientService(e.db)
	c, _ := apiClient(t, e.db, "portal")
	if err := svc.RecordAPICall(asClient(t, c), domain.AuditAPIRefused, "POST /v1/role-requests 422"); err != nil {
		t.Fatal(err)
	}
	wantError(t, svc.RecordAPICall(adminCtx(t), domain.AuditAPIRefused, ""), domain.EFORBIDDEN, "api.not_a_client")
	if n := e.count(t, `SELECT (SELECT count(*) FROM audit_pending WHERE actor_name = 'api:portal')
	                         + (SELECT count(*) FROM audit_log WHERE actor_name = 'api:portal')`); n != 1 {
		t.Errorf("%d audit entries of the refused call, want 1", n)
	}
}
