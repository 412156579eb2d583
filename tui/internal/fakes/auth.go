package fakes

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
)

// Auth is an in-memory domain.AuthService over an Operators.
type Auth struct {
	Ops       *Operators
	mu        sync.Mutex
	passwords map[string]string
	SignIns   []string // "name method"
	SignOuts  []string // "name why"
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
func (a *Auth) AuthenticatePassword(ctx context.Context, name, password, _ string) (*domain.Operator, error) {
	a.mu.Lock()
	pw, ok := a.passwords[name]
	a.mu.Unlock()
	if !ok || pw != password {
		return nil, unauthorized()
	}
	op, err := a.Ops.FindOperatorByName(ctx, name)
	if err != nil || !op.CanSignIn(time.Now()) {
		return nil, unauthorized()
	}
	return op, nil
}

// OperatorForKey implements domain.AuthService.
func (a *Auth) OperatorForKey(ctx context.Context, name, fingerprint string) (*domain.Operator, error) {
	op, err := a.Ops.FindOperatorByName(ctx, name)
	if err != nil || !op.CanSignIn(time.Now()) || !slices.Contains(a.Ops.Fingerprints(name), fingerprint) {
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

// Calls returns copies of the recorded sign-ins and sign-outs.
func (a *Auth) Calls() (signIns, signOuts []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.SignIns), slices.Clone(a.SignOuts)
}
