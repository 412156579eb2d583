// Package fakes holds in-memory stand-ins for the domain services, for the
// tests of the terminal UI and the SSH server. They are safe for
// concurrent use and record the calls the tests look at.
package fakes

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/viaa/ppp/domain"
	gossh "golang.org/x/crypto/ssh"
)

// Operators is an in-memory domain.OperatorService: state and recorded
// calls. Every rule is domain's (PrepareNewOperator, CheckPassword,
// CheckOperatorRoles, CheckOperatorLanguage, ParseOperatorKey,
// Operator.LockedAt), and the shared suite (domain/contracttest) holds it
// to the contract storage keeps. Who may call what is storage's alone.
type Operators struct {
	mu        sync.Mutex
	ops       map[int64]*domain.Operator
	keys      map[string][]*domain.OperatorKey // by operator name
	nextID    int64
	Err       error // returned by every call when set
	CreateErr error // returned by CreateOperator when set
	// Now is the clock (time.Now when nil).
	Now       func() time.Time
	Languages []string
	Created   []*domain.Operator
	Disabled  []string
}

// NewOperators returns an empty service.
func NewOperators() *Operators {
	return &Operators{ops: map[int64]*domain.Operator{}, keys: map[string][]*domain.OperatorKey{}, nextID: 1}
}

func (f *Operators) clock() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// Add stores op (giving it an id when it has none) and returns it.
func (f *Operators) Add(op *domain.Operator) *domain.Operator {
	f.mu.Lock()
	defer f.mu.Unlock()
	numbered(&op.ID, &f.nextID)
	f.ops[op.ID] = op
	return op
}

// Update changes the stored operator with fn.
func (f *Operators) Update(id int64, fn func(*domain.Operator)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if op := f.ops[id]; op != nil {
		fn(op)
	}
}

// AddKey registers a public key for name without parsing a line.
func (f *Operators) AddKey(name string, key gossh.PublicKey) *domain.OperatorKey {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addKey(name, &domain.OperatorKey{Fingerprint: gossh.FingerprintSHA256(key), Type: key.Type()})
}

func (f *Operators) addKey(name string, k *domain.OperatorKey) *domain.OperatorKey {
	if op := f.byName(name); op != nil {
		k.OperatorID = op.ID
	}
	k.AddedAt = f.clock()
	f.keys[name] = append(f.keys[name], k)
	cp := *k
	return &cp
}

func (f *Operators) byName(name string) *domain.Operator {
	for _, op := range f.ops {
		if op.Name == name {
			return op
		}
	}
	return nil
}

func clone(op *domain.Operator) *domain.Operator {
	c := *op
	c.Roles = slices.Clone(op.Roles)
	return &c
}

// CreateOperator implements domain.OperatorService.
func (f *Operators) CreateOperator(_ context.Context, op *domain.Operator, password string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	if f.CreateErr != nil {
		return f.CreateErr
	}
	if err := domain.PrepareNewOperator(op); err != nil {
		return err
	}
	if password != "" {
		if err := domain.PasswordError(domain.CheckPassword(password, op.Name)); err != nil {
			return err
		}
	}
	if f.byName(op.Name) != nil {
		return domain.OperatorNameTaken()
	}
	op.ID, op.CreatedAt, op.HasPassword = f.nextID, f.clock(), password != ""
	f.nextID++
	f.ops[op.ID] = clone(op)
	f.Created = append(f.Created, clone(op))
	return nil
}

// FindOperatorByName implements domain.OperatorService.
func (f *Operators) FindOperatorByName(_ context.Context, name string) (*domain.Operator, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	if op := f.byName(name); op != nil {
		return clone(op), nil
	}
	return nil, domain.OperatorNotFound(name)
}

// FindOperatorByID implements domain.OperatorService.
func (f *Operators) FindOperatorByID(_ context.Context, id int64) (*domain.Operator, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	if op := f.ops[id]; op != nil {
		return clone(op), nil
	}
	return nil, domain.OperatorNotFound("#" + strconv.FormatInt(id, 10))
}

// ListOperators implements domain.OperatorService.
func (f *Operators) ListOperators(context.Context) ([]*domain.Operator, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	var out []*domain.Operator
	for _, op := range f.ops {
		out = append(out, clone(op))
	}
	slices.SortFunc(out, func(a, b *domain.Operator) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// named returns the stored operator called name, or the refusal.
func (f *Operators) named(name string) (*domain.Operator, error) {
	if f.Err != nil {
		return nil, f.Err
	}
	if op := f.byName(name); op != nil {
		return op, nil
	}
	return nil, domain.OperatorNotFound(name)
}

// SetOperatorDisabled implements domain.OperatorService.
func (f *Operators) SetOperatorDisabled(_ context.Context, name string, disabled bool, _ string) error {
	return f.change(name, nil, func(op *domain.Operator) {
		op.Disabled = disabled
		f.Disabled = append(f.Disabled, name)
	})
}

// change runs check (when set) and then set on the operator named name,
// under the lock: ENOTFOUND for an unknown name.
func (f *Operators) change(name string, check func() error, set func(*domain.Operator)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if check != nil {
		if err := check(); err != nil {
			return err
		}
	}
	op, err := f.named(name)
	if err != nil {
		return err
	}
	set(op)
	return nil
}

// UnlockOperator implements domain.OperatorService.
func (f *Operators) UnlockOperator(_ context.Context, name string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	op, err := f.named(name)
	if err != nil {
		return false, err
	}
	now := f.clock()
	if !op.LockedAt(now) {
		return false, nil
	}
	op.LockedUntil = now
	return true, nil
}

// SetOperatorRoles implements domain.OperatorService.
func (f *Operators) SetOperatorRoles(_ context.Context, name string, roles []domain.Role) error {
	return f.change(name, func() (err error) {
		roles, err = domain.CheckOperatorRoles(name, roles)
		return err
	}, func(op *domain.Operator) { op.Roles = roles })
}

// SetOperatorPassword implements domain.OperatorService.
func (f *Operators) SetOperatorPassword(_ context.Context, name, password string) error {
	return f.change(name, func() error { return domain.PasswordError(domain.CheckPassword(password, name)) },
		func(op *domain.Operator) { op.HasPassword = true })
}

// SetOperatorLanguage implements domain.OperatorService; the call is
// recorded as "id:lang".
func (f *Operators) SetOperatorLanguage(_ context.Context, id int64, lang string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	f.Languages = append(f.Languages, strconv.FormatInt(id, 10)+":"+lang)
	if err := domain.CheckOperatorLanguage(lang); err != nil {
		return err
	}
	op := f.ops[id]
	if op == nil {
		return domain.OperatorNotFound("#" + strconv.FormatInt(id, 10))
	}
	op.Language = lang
	return nil
}

// LanguageCalls returns the SetOperatorLanguage calls as "id:lang".
func (f *Operators) LanguageCalls() []string { return snapshot(&f.mu, &f.Languages) }

// AddOperatorKey implements domain.OperatorService.
func (f *Operators) AddOperatorKey(_ context.Context, name, line string) (*domain.OperatorKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	k, _, err := domain.ParseOperatorKey(line)
	if err != nil {
		return nil, err
	}
	if _, err := f.named(name); err != nil {
		return nil, err
	}
	for _, keys := range f.keys {
		if slices.ContainsFunc(keys, func(o *domain.OperatorKey) bool { return o.Fingerprint == k.Fingerprint }) {
			return nil, domain.OperatorKeyTaken()
		}
	}
	return f.addKey(name, k), nil
}

// RemoveOperatorKey implements domain.OperatorService.
func (f *Operators) RemoveOperatorKey(_ context.Context, name, fingerprint string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.named(name); err != nil {
		return err
	}
	keys := f.keys[name]
	for i, k := range keys {
		if k.Fingerprint == fingerprint {
			f.keys[name] = slices.Delete(keys, i, i+1)
			return nil
		}
	}
	return domain.OperatorKeyNotFound(fingerprint)
}

// ListOperatorKeys implements domain.OperatorService.
func (f *Operators) ListOperatorKeys(_ context.Context, name string) ([]*domain.OperatorKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.named(name); err != nil {
		return nil, err
	}
	out := []*domain.OperatorKey{}
	for _, k := range f.keys[name] {
		cp := *k
		out = append(out, &cp)
	}
	return out, nil
}

// Fingerprints returns the fingerprints registered for name.
func (f *Operators) Fingerprints(name string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, k := range f.keys[name] {
		out = append(out, k.Fingerprint)
	}
	return out
}

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
