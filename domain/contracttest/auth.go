package contracttest

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/viaa/ppp/domain"
)

// AuthHarness is an implementation of domain.AuthService with what the
// suite needs around it. The suite proves what the SSH server relies on:
// the right credential lets in, every refusal looks alike, and the
// records of sessions are left. Storage's defences (hashing, throttling,
// locking) are beyond a double and stay proved by storage's own tests;
// the suite keeps under their thresholds (one failure per address, fewer
// than five per account).
type AuthHarness interface {
	Staff
	// Service returns the implementation under test.
	Service() domain.AuthService
	// Operators returns the accounts the service reads: the suite adds
	// keys and disables operators through it, as an administrator would.
	Operators() domain.OperatorService
	// SetPassword gives op the password.
	SetPassword(t *testing.T, op *domain.Operator, password string)
	// Attempts returns how many sign-in attempts the service has recorded
	// under the name (a password or answer checked, known name or not).
	Attempts(t *testing.T, name string) int
	// Entries returns what the service recorded of op's sessions, in any
	// order, as "sign_in <method>", "sign_out <why>" and
	// "no_session <method> <why>".
	Entries(t *testing.T, op *domain.Operator) []string
}

// authEnv is one run of the suite: a fresh harness, an operator with a
// password and a key, and a fresh source address for every attempt.
type authEnv struct {
	h     AuthHarness
	svc   domain.AuthService
	ilze  *domain.Operator
	fp    string
	addrs int
}

// addr returns a source address no attempt has used yet, so that no
// address reaches storage's throttle.
func (e *authEnv) addr() string {
	e.addrs++
	return "198.51.100." + strconv.Itoa(e.addrs) + ":40000"
}

// RunAuthService runs the sign-in suite, each test on a harness of its
// own from newHarness.
func RunAuthService(t *testing.T, newHarness func(t *testing.T) AuthHarness) {
	run := func(name string, f func(t *testing.T, ctx context.Context, e *authEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &authEnv{h: h, svc: h.Service()}
			e.ilze = h.Operator(t, "ilze.berzina", "Ilze Bērziņa", "ilze.berzina@viaa.gov.lv", domain.RoleReviewer)
			h.SetPassword(t, e.ilze, strongPassword)
			line, fp := newKeyLine(t, "ilze@klepis")
			_, err := h.Operators().AddOperatorKey(Machine(t), e.ilze.Name, line)
			must(t, "add ilze's key", err)
			e.fp = fp
			f(t, t.Context(), e)
		})
	}

	run("RightPassword_LetsIn_AndIsRecorded", func(t *testing.T, ctx context.Context, e *authEnv) {
		op, err := e.svc.AuthenticatePassword(ctx, e.ilze.Name, strongPassword, e.addr())
		if err != nil || op.ID != e.ilze.ID || !op.HasRole(domain.RoleReviewer) {
			t.Fatalf("AuthenticatePassword(right password) = %+v, %v", op, err)
		}
		op, codeUsed, err := e.svc.AuthenticateAnswer(ctx, e.ilze.Name, strongPassword, e.addr())
		if err != nil || op.ID != e.ilze.ID || codeUsed {
			t.Fatalf("AuthenticateAnswer(right password) = %+v, %v, %v", op, codeUsed, err)
		}
		if n := e.h.Attempts(t, e.ilze.Name); n != 2 {
			t.Errorf("%d attempts recorded for two checks, want 2", n)
		}
	})

	run("WrongUnknownDisabledKeyOnly_RefusedAlike_AndRecorded", func(t *testing.T, ctx context.Context, e *authEnv) {
		keyOnly := e.h.Operator(t, "janis.kalns", "Jānis Kalns", "janis.kalns@viaa.gov.lv", domain.RoleHelpdesk)
		gone := e.h.Operator(t, "anna.liepa", "Anna Liepa", "anna.liepa@viaa.gov.lv", domain.RoleReviewer)
		e.h.SetPassword(t, gone, strongPassword)
		must(t, "disable anna", e.h.Operators().SetOperatorDisabled(Machine(t), gone.Name, true, "left"))
		for _, tc := range []struct{ what, name, password string }{
			{"wrong password", e.ilze.Name, strongPassword + "x"},
			{"unknown name", "nav.tada", strongPassword},
			{"disabled", gone.Name, strongPassword},
			{"key only", keyOnly.Name, ""},
		} {
			before := e.h.Attempts(t, tc.name)
			_, err := e.svc.AuthenticatePassword(ctx, tc.name, tc.password, e.addr())
			wantErr(t, "AuthenticatePassword: "+tc.what, err, domain.EUNAUTHORIZED, "auth.failed")
			op, codeUsed, err := e.svc.AuthenticateAnswer(ctx, tc.name, tc.password, e.addr())
			wantErr(t, "AuthenticateAnswer: "+tc.what, err, domain.EUNAUTHORIZED, "auth.failed")
			if op != nil || codeUsed {
				t.Errorf("AuthenticateAnswer: %s gave %+v, %v", tc.what, op, codeUsed)
			}
			if n := e.h.Attempts(t, tc.name) - before; n != 2 {
				t.Errorf("%s: %d attempts recorded for two checks, want 2", tc.what, n)
			}
		}
	})

	run("Key_NeedsTheNameAndTheFingerprint_AndAnEnabledOperator", func(t *testing.T, ctx context.Context, e *authEnv) {
		op, err := e.svc.OperatorForKey(ctx, e.ilze.Name, e.fp)
		if err != nil || op.ID != e.ilze.ID {
			t.Fatalf("OperatorForKey(ilze, her key) = %+v, %v", op, err)
		}
		janis := e.h.Operator(t, "janis.kalns", "Jānis Kalns", "janis.kalns@viaa.gov.lv", domain.RoleHelpdesk)
		line, janisFP := newKeyLine(t, "janis@klepis")
		_, err = e.h.Operators().AddOperatorKey(Machine(t), janis.Name, line)
		must(t, "add janis's key", err)
		for _, tc := range [][2]string{{e.ilze.Name, janisFP}, {janis.Name, e.fp}, {"nav.tada", e.fp}, {e.ilze.Name, "SHA256:unknown"}} {
			_, err := e.svc.OperatorForKey(ctx, tc[0], tc[1])
			wantErr(t, "OperatorForKey("+tc[0]+", "+tc[1]+")", err, domain.EUNAUTHORIZED, "auth.failed")
		}
		must(t, "disable ilze", e.h.Operators().SetOperatorDisabled(Machine(t), e.ilze.Name, true, "left"))
		_, err = e.svc.OperatorForKey(ctx, e.ilze.Name, e.fp)
		wantErr(t, "OperatorForKey(disabled ilze, her key)", err, domain.EUNAUTHORIZED, "auth.failed")
	})

	run("RecordSignInNoSessionSignOut_LeaveTheirEntries", func(t *testing.T, ctx context.Context, e *authEnv) {
		must(t, "record sign-in", e.svc.RecordSignIn(ctx, e.ilze, domain.SignInPublicKey, "s-ilze", e.addr()))
		must(t, "record no session", e.svc.RecordNoSession(ctx, e.ilze.ID, domain.SignInPassword, e.addr(), "no terminal"))
		must(t, "record sign-out", e.svc.RecordSignOut(ctx, e.ilze, "s-ilze", e.addr(), "idle"))
		got := e.h.Entries(t, e.ilze)
		want := []string{"no_session password no terminal", "sign_in publickey", "sign_out idle"}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("entries %q, want %q", got, want)
		}
		err := e.svc.RecordNoSession(ctx, e.ilze.ID+1000, domain.SignInPublicKey, e.addr(), "no session")
		wantErr(t, "RecordNoSession(unknown operator)", err, domain.ENOTFOUND, "operator.not_found")
	})
}
