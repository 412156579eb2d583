package fakes

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Auth is an in-memory domain.AuthService over an Operators.
// FailNext("authenticate", err) makes the next AuthenticatePassword or
// AuthenticateAnswer return err (EUNAVAILABLE, say) without doing
// anything.
type Auth struct {
	failures
	Ops        *Operators
	mu         sync.Mutex
	passwords  map[string]string
	SignIns    []string // "name method"
	SignOuts   []string // "name why"
	NoSessions []string // "id method why"
	Answers    []string // "name remote-address", one per password or answer checked
}

// NewAuth returns an Auth that looks operators up in ops.
func NewAuth(ops *Operators) *Auth { return &Auth{Ops: ops, passwords: map[string]string{}} }

// SetPassword sets name's password.
func (a *Auth) SetPassword(name, pw string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.passwords[name] = pw
}

func unauthorized() error {
	return domain.Errorf(domain.EUNAUTHORIZED, "auth.failed", "sign-in failed")
}

// AuthenticatePassword implements domain.AuthService.
func (a *Auth) AuthenticatePassword(ctx context.Context, name, password, remoteAddr string) (*domain.Operator, error) {
	if err := a.takeFail("authenticate"); err != nil {
		return nil, err
	}
	return a.check(ctx, name, password, remoteAddr)
}

// AuthenticateAnswer implements domain.AuthService; it knows passwords
// only, no one-time codes.
func (a *Auth) AuthenticateAnswer(ctx context.Context, name, answer, remoteAddr string) (*domain.Operator, bool, error) {
	if err := a.takeFail("authenticate"); err != nil {
		return nil, false, err
	}
	op, err := a.check(ctx, name, answer, remoteAddr)
	return op, false, err
}

func (a *Auth) check(ctx context.Context, name, password, remoteAddr string) (*domain.Operator, error) {
	a.mu.Lock()
	a.Answers = append(a.Answers, name+" "+remoteAddr)
	pw, ok := a.passwords[name]
	a.mu.Unlock()
	if !ok || pw != password {
		return nil, unauthorized()
	}
	op, err := a.Ops.FindOperatorByName(ctx, name)
	if err != nil || !op.CanSignInWith(domain.SignInPassword, time.Now()) {
		return nil, unauthorized()
	}
	return op, nil
}

// OperatorForKey implements domain.AuthService.
func (a *Auth) OperatorForKey(ctx context.Context, name, fingerprint string) (*domain.Operator, error) {
	op, err := a.Ops.FindOperatorByName(ctx, name)
	if err != nil || !op.CanSignInWith(domain.SignInPublicKey, time.Now()) || !slices.Contains(a.Ops.Fingerprints(name), fingerprint) {
		return nil, unauthorized()
	}
	return op, nil
}

// RecordSignIn implements domain.AuthService.
func (a *Auth) RecordSignIn(_ context.Context, op *domain.Operator, method domain.SignInMethod, _, _ string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.SignIns = append(a.SignIns, op.Name+" "+string(method))
	return nil
}

// RecordSignOut implements domain.AuthService.
func (a *Auth) RecordSignOut(_ context.Context, op *domain.Operator, _, _, why string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.SignOuts = append(a.SignOuts, op.Name+" "+why)
	return nil
}

// RecordNoSession implements domain.AuthService: ENOTFOUND for an
// unknown id.
func (a *Auth) RecordNoSession(ctx context.Context, id int64, method domain.SignInMethod, _, why string) error {
	if _, err := a.Ops.FindOperatorByID(ctx, id); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.NoSessions = append(a.NoSessions, strconv.FormatInt(id, 10)+" "+string(method)+" "+why)
	return nil
}

// NoSessionCalls returns a copy of the recorded authentications without a
// session, and the answers checked.
func (a *Auth) NoSessionCalls() (noSessions, answers []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.NoSessions), slices.Clone(a.Answers)
}

// Calls returns copies of the recorded sign-ins and sign-outs.
func (a *Auth) Calls() (signIns, signOuts []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.SignIns), slices.Clone(a.SignOuts)
}
