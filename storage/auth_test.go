package storage_test

import (
	"slices"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// attempts returns the sign_in_attempts rows as "name host method ok".
func attempts(t *testing.T, db *storage.DB) []string {
	t.Helper()
	rows, err := db.Pool().Query(t.Context(), `
		SELECT operator_name || ' ' || remote_addr || ' ' || method || ' ' || success
		  FROM sign_in_attempts ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestAuth_RightPassword_ReturnsOperatorAndRecordsTheAttempt(t *testing.T) {
	db := pgtest.NewDB(t)
	want := newOperator(t, db, "ilze", withPassword(testPassword), withRoles(domain.RoleAdmin))
	before := len(auditActions(t, db))

	got, err := storage.NewAuthService(db).AuthenticatePassword(t.Context(), "ilze", testPassword, "198.51.100.7:40000")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != want.ID || !got.HasRole(domain.RoleAdmin) {
		t.Fatalf("got %+v, want operator %d", got, want.ID)
	}
	// The attempt is recorded (before its password was hashed); the
	// sign-in itself is audited by RecordSignIn once a session opens.
	if a := attempts(t, db); !slices.Equal(a, []string{"ilze 198.51.100.7 password true"}) {
		t.Errorf("attempts = %q, want the one success", a)
	}
	sealAudit(t, db)
	if n := len(auditActions(t, db)); n != before {
		t.Errorf("a successful check wrote %d audit entries", n-before)
	}
}

func TestAuth_WrongPasswordAndUnknownName_LookAlikeAndAreRecorded(t *testing.T) {
	db := pgtest.NewDB(t)
	newOperator(t, db, "ilze", withPassword(testPassword))
	auth := storage.NewAuthService(db)
	ctx := t.Context()

	_, wrong := auth.AuthenticatePassword(ctx, "ilze", "Nepareiza-1", "198.51.100.7:40000")
	_, unknown := auth.AuthenticatePassword(ctx, "nav.tada", "Nepareiza-1", "198.51.100.7:40001")
	_, empty := auth.AuthenticatePassword(ctx, "ilze", "", "198.51.100.7:40002")
	wantError(t, wrong, domain.EUNAUTHORIZED, "auth.failed")
	for _, err := range []error{unknown, empty} {
		if err == nil || err.Error() != wrong.Error() || domain.ErrorCode(err) != domain.ErrorCode(wrong) ||
			domain.AsError(err).Key != domain.AsError(wrong).Key {
			t.Errorf("refusals differ: %v vs %v", err, wrong)
		}
	}

	want := []string{
		"ilze 198.51.100.7 password false",
		"nav.tada 198.51.100.7 password false",
		"ilze 198.51.100.7 password false",
	}
	if got := attempts(t, db); !slices.Equal(got, want) {
		t.Errorf("attempts = %q, want %q", got, want)
	}
	sealAudit(t, db)             // failures are chained by the sealer
	rows := auditRows(t, db)[1:] // after operator.create
	if len(rows) != 3 {
		t.Fatalf("audit = %+v, want three auth.failure entries", rows)
	}
	wantSubjects := []string{"ilze", "nav.tada", "ilze"}
	wantDetails := []string{"method=password; wrong password", "method=password; unknown name", "method=password; wrong password"}
	for i, r := range rows {
		if r.Action != domain.AuditSignInFailure || r.SubjectID != wantSubjects[i] || r.ActorName != "system" ||
			r.RemoteAddr != "198.51.100.7:4000"+string(rune('0'+i)) || r.Details != wantDetails[i] {
			t.Errorf("audit entry %d = %+v", i, r)
		}
	}
}

func TestAuth_FiveFailures_LockTheAccountEvenAgainstTheRightPassword(t *testing.T) {
	db := pgtest.NewDB(t)
	clock := useClock(db)
	newOperator(t, db, "ilze", withPassword(testPassword))
	auth := storage.NewAuthService(db)
	storage.NoteWaits(auth) // the address's throttle is another test's
	ops := storage.NewOperatorService(db)
	ctx := t.Context()

	for i := range 4 {
		_, err := auth.AuthenticatePassword(ctx, "ilze", "Nepareiza-1", "198.51.100.7:1")
		wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
		if op, _ := ops.FindOperatorByName(ctx, "ilze"); !op.LockedUntil.IsZero() {
			t.Fatalf("locked after %d failures", i+1)
		}
		clock.advance(time.Minute)
	}
	_, err := auth.AuthenticatePassword(ctx, "ilze", "Nepareiza-1", "198.51.100.7:1")
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	op, _ := ops.FindOperatorByName(ctx, "ilze")
	if want := clock.now().Add(15 * time.Minute).UTC().Truncate(time.Microsecond); !op.LockedUntil.Equal(want) {
		t.Fatalf("locked until %v, want %v", op.LockedUntil, want)
	}
	sealAudit(t, db)
	if got := auditActions(t, db); !slices.Contains(got, domain.AuditSignInLock) {
		t.Fatalf("lock not audited: %v", got)
	}

	_, err = auth.AuthenticatePassword(ctx, "ilze", testPassword, "203.0.113.9:1")
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")

	clock.advance(15*time.Minute + time.Second)
	if _, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "203.0.113.9:1"); err != nil {
		t.Fatalf("still refused after the lock ran out: %v", err)
	}
	// The lock ran out, so one more failure does not lock again.
	_, _ = auth.AuthenticatePassword(ctx, "ilze", "Nepareiza-1", "203.0.113.9:1")
	if op, _ := ops.FindOperatorByName(ctx, "ilze"); !op.CanSignIn(clock.now()) {
		t.Fatal("a single failure after the lock ran out locked the account again")
	}
}

func TestAuth_PasswordSignInBetweenFailures_RestartsTheCount(t *testing.T) {
	db := pgtest.NewDB(t)
	useClock(db)
	op := newOperator(t, db, "ilze", withPassword(testPassword))
	auth := storage.NewAuthService(db)
	auth.Policy.AccountFailures = 3
	ctx := t.Context()

	for range 2 {
		_, _ = auth.AuthenticatePassword(ctx, "ilze", "Nepareiza-1", "198.51.100.7:1")
	}
	if _, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.7:1"); err != nil {
		t.Fatal(err)
	}
	// A key sign-in does not restart it: it says nothing about who
	// guesses the password.
	if err := auth.RecordSignIn(ctx, op, domain.SignInPublicKey, "s1", "198.51.100.7:1"); err != nil {
		t.Fatal(err)
	}
	_, _ = auth.AuthenticatePassword(ctx, "ilze", "Nepareiza-1", "198.51.100.7:1")
	if _, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.7:1"); err != nil {
		t.Fatalf("locked although only one failure followed the last sign-in: %v", err)
	}
}

func TestAuth_TooManyFailuresFromOneAddress_RefuseItButNotOthers(t *testing.T) {
	db := pgtest.NewDB(t)
	newOperator(t, db, "ilze", withPassword(testPassword))
	auth := storage.NewAuthService(db)
	auth.Policy.AddressFailures = 3
	ctx := t.Context()

	for i, name := range []string{"a", "b", "c"} {
		// Another port each time: the count is per host.
		_, err := auth.AuthenticatePassword(ctx, name, "x", "198.51.100.7:"+string(rune('1'+i)))
		wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	}
	_, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.7:9")
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	sealAudit(t, db)
	rows := auditRows(t, db)
	if last := rows[len(rows)-1]; last.Action != domain.AuditSignInFailure || last.SubjectID != "ilze" {
		t.Errorf("the blocked attempt was not audited: %+v", last)
	}

	if _, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "[2001:db8::1]:22"); err != nil {
		t.Fatalf("another address was refused too: %v", err)
	}
}

func TestAuth_DisabledOperator_RefusedByPasswordAndKey(t *testing.T) {
	db := pgtest.NewDB(t)
	newOperator(t, db, "ilze", withPassword(testPassword))
	ops := storage.NewOperatorService(db)
	auth := storage.NewAuthService(db)
	ctx := adminCtx(t)
	line, fp := newKey(t, "k")
	if _, err := ops.AddOperatorKey(ctx, "ilze", line); err != nil {
		t.Fatal(err)
	}
	if err := ops.SetOperatorDisabled(ctx, "ilze", true, "left"); err != nil {
		t.Fatal(err)
	}

	_, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.7:1")
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	_, err = auth.OperatorForKey(ctx, "ilze", fp)
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
}

func TestAuth_KeyOnlyOperator_RefusedByPassword(t *testing.T) {
	db := pgtest.NewDB(t)
	newOperator(t, db, "ilze")
	_, err := storage.NewAuthService(db).AuthenticatePassword(t.Context(), "ilze", "", "198.51.100.7:1")
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
}

func TestAuth_OperatorForKey_NeedsTheNameAndTheFingerprint(t *testing.T) {
	db := pgtest.NewDB(t)
	ilze := newOperator(t, db, "ilze")
	newOperator(t, db, "janis")
	ops := storage.NewOperatorService(db)
	auth := storage.NewAuthService(db)
	ctx := adminCtx(t)
	ilzeKey, ilzeFP := newKey(t, "ilze")
	janisKey, janisFP := newKey(t, "janis")
	for name, key := range map[string]string{"ilze": ilzeKey, "janis": janisKey} {
		if _, err := ops.AddOperatorKey(ctx, name, key); err != nil {
			t.Fatal(err)
		}
	}

	got, err := auth.OperatorForKey(ctx, "ilze", ilzeFP)
	if err != nil || got.ID != ilze.ID {
		t.Fatalf("OperatorForKey(ilze, her key) = %+v, %v", got, err)
	}
	for _, tc := range [][2]string{{"ilze", janisFP}, {"janis", ilzeFP}, {"nobody", ilzeFP}, {"ilze", "SHA256:unknown"}} {
		_, err := auth.OperatorForKey(ctx, tc[0], tc[1])
		wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	}

	// A password lock does not stop her key (issue 13: anyone could lock
	// anyone out, key holders included).
	if _, err := db.Pool().Exec(ctx, "UPDATE operators SET locked_until = now() + interval '1 hour' WHERE name = 'ilze'"); err != nil {
		t.Fatal(err)
	}
	if got, err := auth.OperatorForKey(ctx, "ilze", ilzeFP); err != nil || got.ID != ilze.ID {
		t.Fatalf("OperatorForKey(ilze, her key) while her password is locked = %+v, %v", got, err)
	}
}

func TestAuth_RecordSignInAndOut_AuditedAsTheOperator(t *testing.T) {
	db := pgtest.NewDB(t)
	op := newOperator(t, db, "ilze")
	auth := storage.NewAuthService(db)
	ctx := t.Context()

	if err := auth.RecordSignIn(ctx, op, domain.SignInPublicKey, "sess-9", "198.51.100.7:40000"); err != nil {
		t.Fatal(err)
	}
	if err := auth.RecordSignOut(ctx, op, "sess-9", "198.51.100.7:40000", "idle"); err != nil {
		t.Fatal(err)
	}
	rows := auditRows(t, db)[1:]
	if len(rows) != 2 || rows[0].Action != domain.AuditSignIn || rows[1].Action != domain.AuditSignOut {
		t.Fatalf("audit = %+v", rows)
	}
	for _, r := range rows {
		if r.ActorID != op.ID || r.ActorName != "ilze" || r.SessionID != "sess-9" || r.RemoteAddr != "198.51.100.7:40000" {
			t.Errorf("entry %+v not attributed to the operator's session", r)
		}
	}
	if rows[0].Details != "method=publickey" || rows[1].Reason != "idle" {
		t.Errorf("details %q, reason %q", rows[0].Details, rows[1].Reason)
	}
	if got := attempts(t, db); !slices.Equal(got, []string{"ilze 198.51.100.7 publickey true"}) {
		t.Errorf("attempts = %q", got)
	}
}

func TestAuth_OddUserNames_StillRefusedAlike(t *testing.T) {
	db := pgtest.NewDB(t)
	auth := storage.NewAuthService(db)
	for _, name := range []string{"\x00root", "\xff\xfe", string(make([]byte, 500))} {
		_, err := auth.AuthenticatePassword(t.Context(), name, "x", "pipe")
		wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	}
}
