package storage_test

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/passhash"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// TestAuth_HostileUserName_StoredWithoutControlCharacters reproduces the
// attack of issue 13: a user name carrying OSC 0 (window title), OSC 52
// (clipboard write), CSI, C1 controls and bidi overrides was stored as the
// subject of auth.failure and the name of the sign-in attempt, and reached
// the terminal of the administrator reading the audit log.
func TestAuth_HostileUserName_StoredWithoutControlCharacters(t *testing.T) {
	db := pgtest.NewDB(t)
	auth := storage.NewAuthService(db)
	hostile := "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\u009b31m\u202eadmin\u2066x\u200b\x7f" +
		strings.Repeat("A", 500)
	_, _ = auth.AuthenticatePassword(t.Context(), hostile, "x", "198.51.100.7:1")

	stored := map[string]string{}
	sealAudit(t, db)
	for _, r := range auditRows(t, db) {
		if r.Action == domain.AuditSignInFailure {
			stored["audit subject"] = r.SubjectID
		}
	}
	var name string
	if err := db.Pool().QueryRow(t.Context(), `SELECT operator_name FROM sign_in_attempts`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	stored["attempt name"] = name
	if len(stored) != 2 {
		t.Fatalf("the attempt was not recorded: %v", stored)
	}
	for where, s := range stored {
		for _, r := range s {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Errorf("%s %q holds %U", where, s, r)
			}
		}
		if n := len([]rune(s)); n > 64 {
			t.Errorf("%s is %d characters long, want at most 64", where, n)
		}
		// The sequences go whole (no "]0;pwned" debris for a screen to
		// show); the printable rest of the name is kept.
		if strings.Contains(s, "pwned") || strings.Contains(s, "ZWNob") {
			t.Errorf("%s %q keeps a sequence's payload", where, s)
		}
		if !strings.HasPrefix(s, "adminx") {
			t.Errorf("%s %q: the printable part of the name is lost", where, s)
		}
	}
}

// sealAudit chains the pending audit entries (sign-in failures are
// written there), as the server's sealer does every second.
func sealAudit(t testing.TB, db *storage.DB) {
	t.Helper()
	if _, err := storage.NewAuditService(db).SealAudit(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// count runs a count(*) query.
func count(t testing.TB, db *storage.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Pool().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAuth_Flood_EveryAttemptRecorded_LockedFromTheFifth_RightPasswordRefused
// reproduces the flood of issue 13: 70 parallel wrong passwords for one
// operator from one address, each with a deadline as the SSH server gives
// it, left 2 recorded failures and no lock, because a failure was written
// only after the hash and the hashes ran past the deadline; the right
// password sent in the same flood was accepted. Now 70 attempts leave 70
// records, the account is locked, the right password sent once the lock
// is on (the flood still running) is refused, and no more hashes ran at
// once than the gate allows.
func TestAuth_Flood_EveryAttemptRecorded_LockedFromTheFifth_RightPasswordRefused(t *testing.T) {
	db := pgtest.NewDB(t)
	newOperator(t, db, "ilze", withPassword(testPassword))
	auth := storage.NewAuthService(db)
	auth.Policy.AddressFailures = 1000 // this test is about the account
	auth.Policy.AddressDelay = 0
	defer passhash.SetConcurrency(passhash.SetConcurrency(2))
	passhash.ResetPeak()

	const flood = 70
	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	try := func(password string) {
		// The SSH server's deadline for one attempt, shortened so the
		// test is quick.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if op, err := auth.AuthenticatePassword(ctx, "ilze", password, "198.51.100.7"); err == nil && op != nil {
			mu.Lock()
			accepted++
			mu.Unlock()
		}
	}
	for range flood {
		wg.Go(func() { <-start; try("Nepareiza-1") })
	}
	// The right password, once the lock is on and the flood goes on.
	wg.Go(func() {
		<-start
		deadline := time.Now().Add(20 * time.Second)
		for count(t, db, `SELECT count(*) FROM operators WHERE name = 'ilze' AND locked_until > now()`) == 0 &&
			time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		try(testPassword)
	})
	close(start)
	wg.Wait()

	if accepted != 0 {
		t.Errorf("the right password was accepted %d times in the flood", accepted)
	}
	if n := count(t, db, `SELECT count(*) FROM sign_in_attempts WHERE operator_name = 'ilze' AND NOT success`); n != flood+1 {
		t.Errorf("%d failed attempts recorded, want %d", n, flood+1)
	}
	sealAudit(t, db)
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = '`+domain.AuditSignInFailure+`' AND subject_id = 'ilze'`); n != flood+1 {
		t.Errorf("%d auth.failure entries, want %d", n, flood+1)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = '`+domain.AuditSignInLock+`' AND subject_id = 'ilze'`); n != 1 {
		t.Errorf("%d auth.lock entries, want 1", n)
	}
	if n := count(t, db, `SELECT count(*) FROM operators WHERE name = 'ilze' AND locked_until > now()`); n != 1 {
		t.Error("the account is not locked")
	}
	if s := passhash.ReadStats(); s.Peak > 2 {
		t.Errorf("%d hashes ran at once, want at most 2", s.Peak)
	}
}

// TestAuth_CancelledCaller_AttemptStillRecorded: a client that hangs up
// (or whose deadline passes) before its attempt has been judged still
// leaves the attempt in the record, as a failure.
func TestAuth_CancelledCaller_AttemptStillRecorded(t *testing.T) {
	db := pgtest.NewDB(t)
	newOperator(t, db, "ilze", withPassword(testPassword))
	auth := storage.NewAuthService(db)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	op, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.7")
	if err == nil || op != nil {
		t.Fatalf("a cancelled attempt signed in: %v, %v", op, err)
	}
	if got := attempts(t, db); len(got) != 1 || got[0] != "ilze 198.51.100.7 password false" {
		t.Errorf("attempts = %q, want the one failure", got)
	}
	sealAudit(t, db)
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = '`+domain.AuditSignInFailure+`' AND subject_id = 'ilze'`); n != 1 {
		t.Errorf("%d auth.failure entries, want 1", n)
	}
}

// TestAuth_AddressWithRecentFailures_WaitsLonger_TrustedProxyExempt: from
// its third failure on, every attempt from an address waits half a second
// more (at most 3 s) before anything is hashed; a blocked address is
// refused without hashing; a trusted proxy is exempt from both, the
// account lock is not.
func TestAuth_AddressWithRecentFailures_WaitsLonger_TrustedProxyExempt(t *testing.T) {
	db := pgtest.NewDB(t)
	newOperator(t, db, "ilze", withPassword(testPassword))
	auth := storage.NewAuthService(db)
	auth.Policy.AccountFailures = 1000 // this test is about addresses
	auth.Policy.AddressFailures = 8
	waits := storage.NoteWaits(auth)
	defer passhash.SetDutyCycle(passhash.SetDutyCycle(1)) // the pacing of suspects is passhash's test
	ctx := t.Context()

	stats := passhash.ReadStats()
	for range 9 {
		_, err := auth.AuthenticatePassword(ctx, "nav.tada", "Nepareiza-1", "198.51.100.7")
		wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	}
	// Eight hashed (the ninth found the address blocked); all but the
	// first came after failures, so they were hashed as suspects.
	if s := passhash.ReadStats(); s.Done-stats.Done != 8 || s.SuspectDone-stats.SuspectDone != 7 {
		t.Errorf("%d hashes, %d as suspects; want 8 and 7", s.Done-stats.Done, s.SuspectDone-stats.SuspectDone)
	}
	ms := func(n ...int) []time.Duration {
		var out []time.Duration
		for _, v := range n {
			out = append(out, time.Duration(v)*time.Millisecond)
		}
		return out
	}
	if got, want := waits(), ms(0, 0, 0, 500, 1000, 1500, 2000, 2500, 3000); !slices.Equal(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	before := passhash.ReadStats().Done
	_, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.7")
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	if passhash.ReadStats().Done != before {
		t.Error("the blocked address's attempt was hashed")
	}

	// Behind a trusted proxy nobody waits and nobody is blocked by the
	// address alone.
	auth.Policy.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}
	n := len(waits())
	if _, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.7"); err != nil {
		t.Fatalf("through the trusted proxy: %v", err)
	}
	if w := waits()[n:]; !slices.Equal(w, ms(0)) {
		t.Errorf("waits through the trusted proxy %v", w)
	}
}

// TestAuth_PasswordLockedByOthers_KeyStillSignsIn: five wrong passwords
// from anywhere lock the password, not the operator's key; disabling the
// operator stops the key.
func TestAuth_PasswordLockedByOthers_KeyStillSignsIn(t *testing.T) {
	db := pgtest.NewDB(t)
	ilze := newOperator(t, db, "ilze", withPassword(testPassword))
	ops := storage.NewOperatorService(db)
	auth := storage.NewAuthService(db)
	storage.NoteWaits(auth)
	ctx := adminCtx(t)
	line, fp := newKey(t, "ilze")
	if _, err := ops.AddOperatorKey(ctx, "ilze", line); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		_, _ = auth.AuthenticatePassword(ctx, "ilze", "Nepareiza-1", "203.0.113."+string(rune('1'+i)))
	}
	if _, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.7"); err == nil {
		t.Fatal("the password works while locked")
	}
	got, err := auth.OperatorForKey(ctx, "ilze", fp)
	if err != nil || got.ID != ilze.ID || !got.PasswordLocked(time.Now()) {
		t.Fatalf("OperatorForKey while the password is locked = %+v, %v", got, err)
	}
	if err := ops.SetOperatorDisabled(ctx, "ilze", true, "left"); err != nil {
		t.Fatal(err)
	}
	_, err = auth.OperatorForKey(ctx, "ilze", fp)
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
}

// TestAuth_Answer_OneAttemptEach_CodeWorksWhileLocked: an answer to the
// SSH prompt is one attempt, whether it is tried as a code and then as a
// password or not; the right code signs in while the password is locked,
// and is used up.
func TestAuth_Answer_OneAttemptEach_CodeWorksWhileLocked(t *testing.T) {
	e := newHDEnv(t)
	auth := storage.NewAuthService(e.db)
	storage.NoteWaits(auth)
	ctx := t.Context()
	if err := storage.NewOperatorService(e.db).SetOperatorPassword(adminCtx(t), "liga.helpdesk", testPassword); err != nil {
		t.Fatal(err)
	}
	if err := auth.IssueOperatorResetCode(ctx, "liga.helpdesk"); err != nil {
		t.Fatal(err)
	}
	code := e.operatorCode(t, "liga.helpdesk@viaa.gov.lv")
	rows := func() int {
		return count(t, e.db, `SELECT count(*) FROM sign_in_attempts WHERE operator_name = 'liga.helpdesk'`)
	}

	for i, wrong := range []string{"BBBBBBBBBB", "Nepareiza-1", "CCCCC-DDDDD", "Nepareiza-2", "EEEEEEEEEE"} {
		_, _, err := auth.AuthenticateAnswer(ctx, "liga.helpdesk", wrong, "198.51.100.7")
		wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
		if n := rows(); n != i+1 {
			t.Fatalf("%d attempts recorded after %d answers", n, i+1)
		}
	}
	if _, _, err := auth.AuthenticateAnswer(ctx, "liga.helpdesk", testPassword, "198.51.100.7"); err == nil {
		t.Fatal("the password works while locked")
	}
	op, codeUsed, err := auth.AuthenticateAnswer(ctx, "liga.helpdesk", code, "198.51.100.7")
	if err != nil || op.ID != e.liga.ID || !codeUsed {
		t.Fatalf("the code while the password is locked: %v, %v, %v", op, codeUsed, err)
	}
	if _, _, err := auth.AuthenticateAnswer(ctx, "liga.helpdesk", code, "198.51.100.7"); err == nil {
		t.Fatal("the code worked twice")
	}
	if n := rows(); n != 8 {
		t.Errorf("%d attempts recorded for 8 answers", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM sign_in_attempts WHERE operator_name = 'liga.helpdesk' AND success`); n != 1 {
		t.Errorf("%d successes recorded, want the code's", n)
	}
}

// TestAuth_RecordNoSession_KeyAddsTheAttempt_PasswordIsThereAlready: a
// client that authenticates and leaves without a session is recorded.
func TestAuth_RecordNoSession_KeyAddsTheAttempt_PasswordIsThereAlready(t *testing.T) {
	db := pgtest.NewDB(t)
	op := newOperator(t, db, "ilze", withPassword(testPassword))
	auth := storage.NewAuthService(db)
	ctx := t.Context()
	if _, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.7"); err != nil {
		t.Fatal(err)
	}
	if err := auth.RecordNoSession(ctx, op.ID, domain.SignInPassword, "198.51.100.7:40000", "no session"); err != nil {
		t.Fatal(err)
	}
	if err := auth.RecordNoSession(ctx, op.ID, domain.SignInPublicKey, "198.51.100.7:40001", "no terminal"); err != nil {
		t.Fatal(err)
	}
	want := []string{"ilze 198.51.100.7 password true", "ilze 198.51.100.7 publickey true"}
	if got := attempts(t, db); !slices.Equal(got, want) {
		t.Errorf("attempts = %q, want %q", got, want)
	}
	rows := auditRows(t, db)
	var got []string
	for _, r := range rows {
		if r.Action == domain.AuditNoSession {
			got = append(got, r.ActorName+" "+r.RemoteAddr+" "+r.Details)
		}
	}
	if want := []string{
		"ilze 198.51.100.7:40000 method=password; no session",
		"ilze 198.51.100.7:40001 method=publickey; no terminal",
	}; !slices.Equal(got, want) {
		t.Errorf("auth.no_session entries %q, want %q", got, want)
	}
	err := auth.RecordNoSession(ctx, 999999, domain.SignInPublicKey, "198.51.100.7:1", "no session")
	wantError(t, err, domain.ENOTFOUND, "")
}

// TestOperators_Unlock_EndsTheLockAndRestartsTheCount_Audited: an
// administrator lifts a lock someone else's guesses caused; the count
// starts afresh (one more failure does not lock again), and the unlock is
// audited. Unlocking an unlocked operator changes nothing.
func TestOperators_Unlock_EndsTheLockAndRestartsTheCount_Audited(t *testing.T) {
	db := pgtest.NewDB(t)
	newOperator(t, db, "ilze", withPassword(testPassword))
	ops := storage.NewOperatorService(db)
	auth := storage.NewAuthService(db)
	storage.NoteWaits(auth)
	ctx := adminCtx(t)
	for range 5 {
		_, _ = auth.AuthenticatePassword(ctx, "ilze", "Nepareiza-1", "203.0.113.9")
	}
	if _, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.7"); err == nil {
		t.Fatal("not locked after five failures")
	}

	wasLocked, err := ops.UnlockOperator(ctx, "ilze")
	if err != nil || !wasLocked {
		t.Fatalf("UnlockOperator = %v, %v", wasLocked, err)
	}
	_, _ = auth.AuthenticatePassword(ctx, "ilze", "Nepareiza-1", "203.0.113.9")
	if _, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.7"); err != nil {
		t.Fatalf("refused after the unlock: %v", err)
	}
	var unlocks []auditRow
	sealAudit(t, db)
	for _, r := range auditRows(t, db) {
		if r.Action == domain.AuditOperatorUnlock {
			unlocks = append(unlocks, r)
		}
	}
	if len(unlocks) != 1 || unlocks[0].SubjectID != "ilze" || unlocks[0].ActorName != "cli:admin.test" {
		t.Errorf("unlock audit %+v", unlocks)
	}
	if wasLocked, err := ops.UnlockOperator(ctx, "ilze"); err != nil || wasLocked {
		t.Errorf("unlocking an unlocked operator = %v, %v", wasLocked, err)
	}
	_, err = ops.UnlockOperator(ctx, "nav.tada")
	wantError(t, err, domain.ENOTFOUND, "operator.not_found")
}

// TestAuth_RefusedWithoutHashing_AnswersNoQuickerThanAHash: an attempt on
// an account locked by someone else's guesses is refused without hashing;
// answered at once, it would tell a stranger that the name is an account
// (an unknown name is hashed for nothing). Its reply waits as long as a
// hash takes lately, costing the server a timer, not a hash.
func TestAuth_RefusedWithoutHashing_AnswersNoQuickerThanAHash(t *testing.T) {
	db := pgtest.NewDB(t)
	newOperator(t, db, "ilze", withPassword(testPassword))
	auth := storage.NewAuthService(db)
	waits := storage.NoteWaits(auth)
	ctx := t.Context()
	for i := range 5 { // from five addresses, so none is throttled
		_, err := auth.AuthenticatePassword(ctx, "ilze", "Nepareiza-1", "203.0.113."+strconv.Itoa(i+1))
		wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	}
	n, before := len(waits()), passhash.ReadStats().Done
	_, err := auth.AuthenticatePassword(ctx, "ilze", testPassword, "198.51.100.9")
	wantError(t, err, domain.EUNAUTHORIZED, "auth.failed")
	if passhash.ReadStats().Done != before {
		t.Error("the locked account's attempt was hashed")
	}
	w := waits()[n:]
	if len(w) == 0 || slices.Max(w) < passhash.TypicalDuration() {
		t.Errorf("the refusal waited %v before its answer; want at least a hash's %v", w, passhash.TypicalDuration())
	}
}
