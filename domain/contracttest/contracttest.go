// Package contracttest holds one behaviour suite per service interface of
// package domain, run against every implementation: storage on a real
// PostgreSQL (from storage's tests) and the screens' test doubles (from
// tui/internal/fakes' tests), as river runs one driver suite against
// every driver. An implementation passes its suite through a harness that
// makes the service, the operators who call it and the data it starts
// from; the suite then only calls the interface and asks the harness what
// the service counted. A double that drifts from storage fails the same
// test storage passes.
//
// The suites prove the contract the screens rely on: claims and leases,
// each action from each state with the refusal's code and catalog key
// (the items' own rules in domain), version conflicts, list filters and
// the whole-code search rule (issue 13), revealing a personal code and
// counting a record view. Which roles each method needs is proved apart,
// on storage only (storage's TestPermissions_*). The suite's tests run in
// parallel, each on a harness of its own.
package contracttest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// Clock is a harness's control of the time its service sees.
type Clock interface {
	// Now returns the time the service sees.
	Now() time.Time
	// Advance moves it forward by d.
	Advance(d time.Duration)
}

// Looks is what a harness tells of the misuse defence's counts (issue 9).
type Looks interface {
	// Views returns how many record views the service has counted for the
	// operator (one per read of a person's record or search that found one).
	Views(t *testing.T, op *domain.Operator) int
	// Reveals returns how many reveals of a whole personal code the service
	// has recorded for the operator.
	Reveals(t *testing.T, op *domain.Operator) int
}

// Staff is a harness's way of making the operators a suite acts as.
type Staff interface {
	// Operator makes an enabled operator with the sign-in name, full name,
	// e-mail address and roles given, and returns it with its id.
	Operator(t *testing.T, login, fullName, email string, roles ...domain.Role) *domain.Operator
}

// As returns a context acting as op in the named session, as the SSH
// server sets it.
func As(t *testing.T, op *domain.Operator, session string) context.Context {
	return domain.WithActor(t.Context(), domain.Actor{
		OperatorID: op.ID, Name: op.Name, SessionID: session, RemoteAddr: "192.0.2.7:40000",
	})
}

// Machine returns a context acting as the back office itself (the command
// line), which may read but never decides.
func Machine(t *testing.T) context.Context {
	return domain.WithActor(t.Context(), domain.Actor{Name: "cli:contract", RemoteAddr: "test-host"})
}

// PersonalCode returns a valid old-form personal code (with the hyphen)
// of someone born in March 1975, distinct for each n below 28,000.
func PersonalCode(n int) string {
	day := 1 + n/1000%28
	d := pad(day, 2) + "0375" + "1" + pad(n%1000, 3)
	weights := []int{1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += w * int(d[i]-'0')
	}
	return d[:6] + "-" + d[6:] + strconv.Itoa((1101-sum)%11%10)
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// wantErr fails unless err is a domain error with that code and key.
func wantErr(t *testing.T, what string, err error, code, key string) {
	t.Helper()
	e := domain.AsError(err)
	if e == nil || e.Code != code || e.Key != key {
		t.Errorf("%s: got %v (%#v), want %s %q", what, err, e, code, key)
	}
}

// wantArgs fails unless err's Args are want.
func wantArgs(t *testing.T, what string, err error, want ...any) {
	t.Helper()
	e := domain.AsError(err)
	if e == nil || len(e.Args) != len(want) {
		t.Errorf("%s: args of %v, want %v", what, err, want)
		return
	}
	for i := range want {
		if e.Args[i] != want[i] {
			t.Errorf("%s: args %v, want %v", what, e.Args, want)
			return
		}
	}
}

// must fails the test at once on an error.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// near reports whether a and b are within a second of each other (a
// database keeps microseconds; a clock may move a little during a call).
func near(a, b time.Time) bool {
	d := a.Sub(b)
	return d > -time.Second && d < time.Second
}
