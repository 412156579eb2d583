package storage_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// testPassword meets the password rule and contains no test user's name.
const testPassword = "Vējš-Pūš7!"

// adminCtx is the test's context for administering operators: the
// command line, which the services let administer without an operator
// (it creates the first administrator).
func adminCtx(t testing.TB) context.Context {
	return domain.WithActor(t.Context(), domain.Actor{Name: "cli:admin.test", RemoteAddr: "192.0.2.1"})
}

// operatorOpts are a factory's defaults, changed by the options given.
type operatorOpts struct {
	password string
	roles    []domain.Role
}

type operatorOpt func(*operatorOpts)

func withPassword(p string) operatorOpt { return func(o *operatorOpts) { o.password = p } }

func withRoles(r ...domain.Role) operatorOpt { return func(o *operatorOpts) { o.roles = r } }

// newOperator creates an operator named name: a reviewer without a
// password unless the options say otherwise.
func newOperator(t testing.TB, db *storage.DB, name string, opts ...operatorOpt) *domain.Operator {
	t.Helper()
	o := operatorOpts{roles: []domain.Role{domain.RoleReviewer}}
	for _, opt := range opts {
		opt(&o)
	}
	op := &domain.Operator{Name: name, FullName: "Test Operators", Roles: o.roles}
	if err := storage.NewOperatorService(db).CreateOperator(adminCtx(t), op, o.password); err != nil {
		t.Fatalf("create operator %s: %v", name, err)
	}
	return op
}

// newKey returns a fresh Ed25519 public key as an authorized_keys line and
// its fingerprint.
func newKey(t testing.TB, comment string) (line, fingerprint string) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	line = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " " + comment
	return line, ssh.FingerprintSHA256(sshPub)
}

// wantError fails the test unless err is a domain error with the code and
// (when not empty) the catalog key.
func wantError(t testing.TB, err error, code, key string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s %s", code, key)
	}
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %s, want %s (error: %v)", got, code, err)
	}
	if key != "" {
		if e := domain.AsError(err); e.Key != key {
			t.Fatalf("error key = %q, want %q (error: %v)", e.Key, key, err)
		}
	}
}

// wantSQLState fails the test unless err is a PostgreSQL error with that
// SQLSTATE.
func wantSQLState(t testing.TB, err error, state string) {
	t.Helper()
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		t.Fatalf("got %v, want a PostgreSQL error %s", err, state)
	}
	if pgErr.Code != state {
		t.Fatalf("SQLSTATE = %s, want %s (%v)", pgErr.Code, state, err)
	}
}

// auditRow is an audit entry as a test checks it.
type auditRow struct {
	Seq         int64
	ActorName   string
	Action      string
	SubjectID   string
	Reason      string
	Details     string
	RemoteAddr  string
	SessionID   string
	ActorID     int64
	SubjectKind string
}

// auditRows returns the whole audit log in order.
func auditRows(t testing.TB, db *storage.DB) []auditRow {
	t.Helper()
	rows, err := db.Pool().Query(t.Context(), `
		SELECT seq, actor_name, action, subject_id, reason, details, remote_addr, session_id,
		       coalesce(actor_id, 0), subject_kind
		  FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.Seq, &r.ActorName, &r.Action, &r.SubjectID, &r.Reason, &r.Details,
			&r.RemoteAddr, &r.SessionID, &r.ActorID, &r.SubjectKind); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// auditActions returns the actions of the whole audit log in order.
func auditActions(t testing.TB, db *storage.DB) []string {
	t.Helper()
	var out []string
	for _, r := range auditRows(t, db) {
		out = append(out, r.Action)
	}
	return out
}

// clock is a settable time for DB.Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// useClock makes db's transactions see c's time, starting now.
func useClock(db *storage.DB) *clock {
	c := &clock{t: time.Now()}
	db.Now = c.now
	return c
}
