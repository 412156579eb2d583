package contracttest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
)

// OperatorHarness is an implementation of domain.OperatorService with
// what the suite needs around it.
type OperatorHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.OperatorService
	// Lock locks the password of the operator named name until until, as
	// failed attempts would.
	Lock(t *testing.T, name string, until time.Time)
}

// opEnv is one run of the suite: a fresh harness and an administrator
// acting.
type opEnv struct {
	h     OperatorHarness
	svc   domain.OperatorService
	admin *domain.Operator
	ctx   context.Context
}

// strongPassword passes the password rule (¶31) for any name the suite uses.
const strongPassword = "Zaļš-Kalns-Rīgā-2026"

// RunOperatorService runs the back-office accounts' suite, each test on a
// harness of its own from newHarness.
func RunOperatorService(t *testing.T, newHarness func(t *testing.T) OperatorHarness) {
	run := func(name string, f func(t *testing.T, e *opEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &opEnv{h: h, svc: h.Service()}
			e.admin = h.Operator(t, "berta.admina", "Berta Admina", "berta.admina@viaa.gov.lv", domain.RoleAdmin)
			e.ctx = As(t, e.admin, "s-berta")
			f(t, e)
		})
	}

	run("Create_Find_List", func(t *testing.T, e *opEnv) {
		for _, tc := range []struct {
			what string
			op   domain.Operator
			pw   string
			code string
			key  string
		}{
			{"a bad name", domain.Operator{Name: "Ilze Bērziņa", Roles: []domain.Role{domain.RoleHelpdesk}}, "", domain.EINVALID, "operator.bad_name"},
			{"no role", domain.Operator{Name: "ilze"}, "", domain.EINVALID, "role.none"},
			{"an unknown role", domain.Operator{Name: "ilze", Roles: []domain.Role{"boss"}}, "", domain.EINVALID, "role.unknown"},
			{"an unknown language", domain.Operator{Name: "ilze", Roles: []domain.Role{domain.RoleHelpdesk}, Language: "de"}, "", domain.EINVALID, "operator.bad_language"},
			{"a bad address", domain.Operator{Name: "ilze", Roles: []domain.Role{domain.RoleHelpdesk}, Email: "nav adrese"}, "", domain.EINVALID, "email.format"},
			{"a weak password", domain.Operator{Name: "ilze", Roles: []domain.Role{domain.RoleHelpdesk}}, "ilze", domain.EINVALID, "password.weak"},
			{"a taken name", domain.Operator{Name: "berta.admina", Roles: []domain.Role{domain.RoleHelpdesk}}, "", domain.ECONFLICT, "operator.name_taken"},
		} {
			op := tc.op
			wantErr(t, tc.what, e.svc.CreateOperator(e.ctx, &op, tc.pw), tc.code, tc.key)
		}

		ilze := &domain.Operator{Name: "ilze", FullName: " Ilze Bērziņa ", Email: " ilze@viaa.gov.lv ",
			Roles: []domain.Role{domain.RoleSecurity, domain.RoleHelpdesk, domain.RoleSecurity}}
		must(t, "create by key only", e.svc.CreateOperator(e.ctx, ilze, ""))
		anna := &domain.Operator{Name: "anna", Roles: []domain.Role{domain.RoleReviewer}, Language: "en"}
		must(t, "create with a password", e.svc.CreateOperator(e.ctx, anna, strongPassword))
		if ilze.ID == 0 || ilze.Language != "lv" || ilze.FullName != "Ilze Bērziņa" || ilze.Email != "ilze@viaa.gov.lv" ||
			!slices.Equal(ilze.Roles, []domain.Role{domain.RoleHelpdesk, domain.RoleSecurity}) || ilze.HasPassword ||
			!near(ilze.CreatedAt, e.h.Now()) {
			t.Errorf("created: %+v", ilze)
		}
		if anna.ID == 0 || anna.ID == ilze.ID || !anna.HasPassword || anna.Language != "en" {
			t.Errorf("created with a password: %+v", anna)
		}

		byName, err := e.svc.FindOperatorByName(e.ctx, "ilze")
		must(t, "find by name", err)
		byID, err := e.svc.FindOperatorByID(e.ctx, ilze.ID)
		must(t, "find by id", err)
		for _, got := range []*domain.Operator{byName, byID} {
			if got.ID != ilze.ID || got.Name != "ilze" || got.FullName != "Ilze Bērziņa" || got.Email != "ilze@viaa.gov.lv" ||
				!slices.Equal(got.Roles, ilze.Roles) || got.Language != "lv" || got.Disabled || got.HasPassword {
				t.Errorf("found: %+v", got)
			}
		}
		_, err = e.svc.FindOperatorByName(e.ctx, "nav.tada")
		wantErr(t, "find no such name", err, domain.ENOTFOUND, "operator.not_found")
		_, err = e.svc.FindOperatorByID(e.ctx, anna.ID+1000)
		wantErr(t, "find no such id", err, domain.ENOTFOUND, "operator.not_found")

		all, err := e.svc.ListOperators(e.ctx)
		must(t, "list", err)
		var names []string
		for _, op := range all {
			names = append(names, op.Name)
		}
		if !slices.Equal(names, []string{"anna", "berta.admina", "ilze"}) {
			t.Errorf("listed by name: %v", names)
		}
	})

	run("Disable_Roles_Password_Language", func(t *testing.T, e *opEnv) {
		ilze := e.h.Operator(t, "ilze", "Ilze Bērziņa", "ilze@viaa.gov.lv", domain.RoleHelpdesk)
		find := func() *domain.Operator {
			t.Helper()
			op, err := e.svc.FindOperatorByName(e.ctx, "ilze")
			must(t, "find", err)
			return op
		}

		must(t, "disable", e.svc.SetOperatorDisabled(e.ctx, "ilze", true, "aizgāja no darba"))
		if !find().Disabled {
			t.Error("not disabled")
		}
		must(t, "enable", e.svc.SetOperatorDisabled(e.ctx, "ilze", false, ""))
		if find().Disabled {
			t.Error("still disabled")
		}
		wantErr(t, "disable no such name", e.svc.SetOperatorDisabled(e.ctx, "nav.tada", true, "x"), domain.ENOTFOUND, "operator.not_found")

		must(t, "set roles", e.svc.SetOperatorRoles(e.ctx, "ilze", []domain.Role{domain.RoleAdmin, domain.RoleReviewer, domain.RoleAdmin}))
		if got := find().Roles; !slices.Equal(got, []domain.Role{domain.RoleReviewer, domain.RoleAdmin}) {
			t.Errorf("roles: %v", got)
		}
		wantErr(t, "no roles", e.svc.SetOperatorRoles(e.ctx, "ilze", nil), domain.EINVALID, "role.none")
		wantErr(t, "an unknown role", e.svc.SetOperatorRoles(e.ctx, "ilze", []domain.Role{"boss"}), domain.EINVALID, "role.unknown")
		wantErr(t, "roles of no such name", e.svc.SetOperatorRoles(e.ctx, "nav.tada", []domain.Role{domain.RoleEditor}),
			domain.ENOTFOUND, "operator.not_found")

		wantErr(t, "a weak password", e.svc.SetOperatorPassword(e.ctx, "ilze", "ilze12345"), domain.EINVALID, "password.weak")
		if find().HasPassword {
			t.Error("a weak password was stored")
		}
		must(t, "set the password", e.svc.SetOperatorPassword(e.ctx, "ilze", strongPassword))
		if !find().HasPassword {
			t.Error("no password after setting one")
		}
		wantErr(t, "password of no such name", e.svc.SetOperatorPassword(e.ctx, "nav.tada", strongPassword),
			domain.ENOTFOUND, "operator.not_found")

		must(t, "set the language", e.svc.SetOperatorLanguage(e.ctx, ilze.ID, "en"))
		if got := find().Language; got != "en" {
			t.Errorf("language: %q", got)
		}
		wantErr(t, "an unknown language", e.svc.SetOperatorLanguage(e.ctx, ilze.ID, "de"), domain.EINVALID, "operator.bad_language")
		wantErr(t, "language of no such id", e.svc.SetOperatorLanguage(e.ctx, ilze.ID+1000, "lv"), domain.ENOTFOUND, "operator.not_found")
	})

	run("Unlock_EndsALockOnly", func(t *testing.T, e *opEnv) {
		e.h.Operator(t, "ilze", "Ilze Bērziņa", "ilze@viaa.gov.lv", domain.RoleHelpdesk)
		was, err := e.svc.UnlockOperator(e.ctx, "ilze")
		must(t, "unlock one not locked", err)
		if was {
			t.Error("an operator never locked was locked")
		}
		e.h.Lock(t, "ilze", e.h.Now().Add(15*time.Minute))
		if op, err := e.svc.FindOperatorByName(e.ctx, "ilze"); err != nil || !op.LockedAt(e.h.Now()) {
			t.Fatalf("the lock is not seen: %+v, %v", op, err)
		}
		was, err = e.svc.UnlockOperator(e.ctx, "ilze")
		must(t, "unlock", err)
		if !was {
			t.Error("a locked operator was not locked")
		}
		if op, err := e.svc.FindOperatorByName(e.ctx, "ilze"); err != nil || op.LockedAt(e.h.Now()) {
			t.Errorf("still locked: %+v, %v", op, err)
		}
		if was, err = e.svc.UnlockOperator(e.ctx, "ilze"); err != nil || was {
			t.Errorf("unlock again: %v, %v", was, err)
		}
		// A lock that has run out is no lock.
		e.h.Lock(t, "ilze", e.h.Now().Add(-time.Minute))
		if was, err = e.svc.UnlockOperator(e.ctx, "ilze"); err != nil || was {
			t.Errorf("unlock after the lock ran out: %v, %v", was, err)
		}
		_, err = e.svc.UnlockOperator(e.ctx, "nav.tada")
		wantErr(t, "unlock no such name", err, domain.ENOTFOUND, "operator.not_found")
	})

	run("Keys_AddListRemove", func(t *testing.T, e *opEnv) {
		ilze := e.h.Operator(t, "ilze", "Ilze Bērziņa", "ilze@viaa.gov.lv", domain.RoleHelpdesk)
		e.h.Operator(t, "anna", "Anna Kalniņa", "anna@viaa.gov.lv", domain.RoleHelpdesk)
		line, fp := newKeyLine(t, "ilze@klēpjdators\x00")
		other, _ := newKeyLine(t, "otra")

		for _, tc := range []struct{ what, line, key string }{
			{"empty", "", "operator.bad_key"},
			{"not base64", "ssh-ed25519 !!!notbase64!!! x", "operator.bad_key"},
			{"two keys", line + "\n" + other, "operator.bad_key"},
			{"a short RSA key", shortRSALine(t), "operator.weak_key"},
		} {
			_, err := e.svc.AddOperatorKey(e.ctx, "ilze", tc.line)
			wantErr(t, tc.what, err, domain.EINVALID, tc.key)
		}
		_, err := e.svc.AddOperatorKey(e.ctx, "nav.tada", line)
		wantErr(t, "a key for no such name", err, domain.ENOTFOUND, "operator.not_found")

		k, err := e.svc.AddOperatorKey(e.ctx, "ilze", `no-pty,from="10.0.0.0/8" `+line+"\n")
		must(t, "add", err)
		if k.OperatorID != ilze.ID || k.Fingerprint != fp || k.Type != ssh.KeyAlgoED25519 || k.Comment != "ilze@klēpjdators" ||
			!near(k.AddedAt, e.h.Now()) {
			t.Errorf("the key added: %+v", k)
		}
		_, err = e.svc.AddOperatorKey(e.ctx, "ilze", line)
		wantErr(t, "the same key again", err, domain.ECONFLICT, "operator.key_taken")
		_, err = e.svc.AddOperatorKey(e.ctx, "anna", line)
		wantErr(t, "the key for another operator", err, domain.ECONFLICT, "operator.key_taken")

		keys, err := e.svc.ListOperatorKeys(e.ctx, "ilze")
		must(t, "list", err)
		if len(keys) != 1 || keys[0].Fingerprint != fp || keys[0].OperatorID != ilze.ID {
			t.Errorf("listed: %+v", keys)
		}
		if keys, err := e.svc.ListOperatorKeys(e.ctx, "anna"); err != nil || keys == nil || len(keys) != 0 {
			t.Errorf("another operator's keys: %v, %v (want an empty list)", keys, err)
		}
		_, err = e.svc.ListOperatorKeys(e.ctx, "nav.tada")
		wantErr(t, "list no such name", err, domain.ENOTFOUND, "operator.not_found")

		wantErr(t, "remove from the wrong operator", e.svc.RemoveOperatorKey(e.ctx, "anna", fp), domain.ENOTFOUND, "operator.key_not_found")
		wantErr(t, "remove from no such name", e.svc.RemoveOperatorKey(e.ctx, "nav.tada", fp), domain.ENOTFOUND, "operator.not_found")
		must(t, "remove", e.svc.RemoveOperatorKey(e.ctx, "ilze", fp))
		if keys, err := e.svc.ListOperatorKeys(e.ctx, "ilze"); err != nil || len(keys) != 0 {
			t.Errorf("after removal: %v, %v", keys, err)
		}
		wantErr(t, "remove again", e.svc.RemoveOperatorKey(e.ctx, "ilze", fp), domain.ENOTFOUND, "operator.key_not_found")
		// Removed, the key may be registered again.
		_, err = e.svc.AddOperatorKey(e.ctx, "anna", line)
		must(t, "add the removed key to another operator", err)
	})
}

// newKeyLine returns a fresh Ed25519 key as an authorized_keys line with
// comment, and its fingerprint.
func newKeyLine(t *testing.T, comment string) (string, string) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	must(t, "generate a key", err)
	sp, err := ssh.NewPublicKey(pub)
	must(t, "an SSH key", err)
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sp))) + " " + comment, ssh.FingerprintSHA256(sp)
}

// shortRSALine returns a 1024-bit RSA key as an authorized_keys line.
func shortRSALine(t *testing.T) string {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 1024)
	must(t, "generate an RSA key", err)
	sp, err := ssh.NewPublicKey(&priv.PublicKey)
	must(t, "an SSH key", err)
	return string(ssh.MarshalAuthorizedKey(sp))
}
