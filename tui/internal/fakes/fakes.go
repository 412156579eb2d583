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

// Operators is an in-memory domain.OperatorService.
type Operators struct {
	mu        sync.Mutex
	ops       map[int64]*domain.Operator
	keys      map[string][]*domain.OperatorKey // by operator name
	nextID    int64
	Err       error // returned by every call when set
	CreateErr error // returned by CreateOperator when set
	Languages []string
	Created   []*domain.Operator
	Disabled  []string
}

// NewOperators returns an empty service.
func NewOperators() *Operators {
	return &Operators{ops: map[int64]*domain.Operator{}, keys: map[string][]*domain.OperatorKey{}, nextID: 1}
}

// Add stores op (giving it an id when it has none) and returns it.
func (f *Operators) Add(op *domain.Operator) *domain.Operator {
	f.mu.Lock()
	defer f.mu.Unlock()
	if op.ID == 0 {
		op.ID = f.nextID
	}
	f.nextID = max(f.nextID, op.ID+1)
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
	var id int64
	for _, op := range f.ops {
		if op.Name == name {
			id = op.ID
		}
	}
	k := &domain.OperatorKey{OperatorID: id, Fingerprint: gossh.FingerprintSHA256(key), Type: key.Type(), AddedAt: time.Now()}
	f.keys[name] = append(f.keys[name], k)
	return k
}

func (f *Operators) byName(name string) *domain.Operator {
	for _, op := range f.ops {
		if op.Name == name {
			return op
		}
	}
	return nil
}

func notFound() error {
	return domain.Errorf(domain.ENOTFOUND, "operator.not_found", "operator not found")
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
	if password != "" {
		if err := domain.PasswordError(domain.CheckPassword(password, op.Name)); err != nil {
			return err
		}
	}
	op.ID = f.nextID
	f.nextID++
	op.HasPassword = password != ""
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
	return nil, notFound()
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
	return nil, notFound()
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

// SetOperatorDisabled implements domain.OperatorService.
func (f *Operators) SetOperatorDisabled(_ context.Context, name string, disabled bool, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	op := f.byName(name)
	if op == nil {
		return notFound()
	}
	op.Disabled = disabled
	f.Disabled = append(f.Disabled, name)
	return nil
}

// UnlockOperator implements domain.OperatorService.
func (f *Operators) UnlockOperator(_ context.Context, name string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	op := f.byName(name)
	if op == nil {
		return false, notFound()
	}
	was := time.Now().Before(op.LockedUntil)
	op.LockedUntil = time.Time{}
	return was, nil
}

// SetOperatorRoles implements domain.OperatorService.
func (f *Operators) SetOperatorRoles(_ context.Context, name string, roles []domain.Role) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	op := f.byName(name)
	if op == nil {
		return notFound()
	}
	if len(roles) == 0 {
		return domain.Errorf(domain.EINVALID, "role.none", "at least one role is required")
	}
	op.Roles = slices.Clone(roles)
	return nil
}

// SetOperatorPassword implements domain.OperatorService.
func (f *Operators) SetOperatorPassword(_ context.Context, name, password string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	op := f.byName(name)
	if op == nil {
		return notFound()
	}
	if err := domain.PasswordError(domain.CheckPassword(password, name)); err != nil {
		return err
	}
	op.HasPassword = true
	return nil
}

// SetOperatorLanguage implements domain.OperatorService.
func (f *Operators) SetOperatorLanguage(_ context.Context, id int64, lang string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return f.Err
	}
	f.Languages = append(f.Languages, strconv.FormatInt(id, 10)+":"+lang)
	if op := f.ops[id]; op != nil {
		op.Language = lang
	}
	return nil
}

// LanguageCalls returns the SetOperatorLanguage calls as "id:lang".
func (f *Operators) LanguageCalls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.Languages)
}

// AddOperatorKey implements domain.OperatorService.
func (f *Operators) AddOperatorKey(_ context.Context, name, line string) (*domain.OperatorKey, error) {
	pk, comment, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "operator.bad_key", "malformed key")
	}
	k := f.AddKey(name, pk)
	k.Comment = comment
	return k, nil
}

// RemoveOperatorKey implements domain.OperatorService.
func (f *Operators) RemoveOperatorKey(_ context.Context, name, fingerprint string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	keys := f.keys[name]
	for i, k := range keys {
		if k.Fingerprint == fingerprint {
			f.keys[name] = slices.Delete(keys, i, i+1)
			return nil
		}
	}
	return domain.Errorf(domain.ENOTFOUND, "operator.key_not_found", "key not found")
}

// ListOperatorKeys implements domain.OperatorService.
func (f *Operators) ListOperatorKeys(_ context.Context, name string) ([]*domain.OperatorKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err != nil {
		return nil, f.Err
	}
	if f.byName(name) == nil {
		return nil, notFound()
	}
	return slices.Clone(f.keys[name]), nil
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
