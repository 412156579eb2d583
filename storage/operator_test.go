package storage_test

import (
	"crypto/rand"
	"crypto/rsa"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

func TestOperators_Create_StoresAndFindsByNameAndID(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewOperatorService(db)
	ctx := adminCtx(t)

	op := &domain.Operator{
		Name: "ilze.berzina", FullName: "Ilze Bērziņa", Email: "ilze.berzina@viaa.gov.lv",
		Roles: []domain.Role{domain.RoleAdmin, domain.RoleReviewer, domain.RoleAdmin},
	}
	if err := s.CreateOperator(ctx, op, testPassword); err != nil {
		t.Fatal(err)
	}
	if op.ID == 0 || op.CreatedAt.IsZero() {
		t.Fatalf("CreateOperator did not set ID and CreatedAt: %+v", op)
	}

	byName, err := s.FindOperatorByName(ctx, "ilze.berzina")
	if err != nil {
		t.Fatal(err)
	}
	byID, err := s.FindOperatorByID(ctx, op.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []*domain.Operator{byName, byID} {
		if got.ID != op.ID || got.FullName != "Ilze Bērziņa" || got.Email != "ilze.berzina@viaa.gov.lv" ||
			got.Language != "lv" || got.Disabled || !got.HasPassword || !got.CreatedAt.Equal(op.CreatedAt) {
			t.Errorf("found %+v, created %+v", got, op)
		}
		if want := []domain.Role{domain.RoleReviewer, domain.RoleAdmin}; !slices.Equal(got.Roles, want) {
			t.Errorf("roles = %v, want %v (deduplicated, in domain.Roles order)", got.Roles, want)
		}
	}

	newOperator(t, db, "andris.ozols")
	list, err := s.ListOperators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range list {
		names = append(names, o.Name)
	}
	if want := []string{"andris.ozols", "ilze.berzina"}; !slices.Equal(names, want) {
		t.Fatalf("ListOperators = %v, want %v", names, want)
	}
	if list[0].HasPassword {
		t.Error("an operator created without a password reports HasPassword")
	}
}

func TestOperators_CreateDuplicateName_ConflictNameTaken(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	newOperator(t, db, "janis")
	err := storage.NewOperatorService(db).CreateOperator(adminCtx(t),
		&domain.Operator{Name: "janis", Roles: []domain.Role{domain.RoleHelpdesk}}, "")
	wantError(t, err, domain.ECONFLICT, "operator.name_taken")
}

func TestOperators_CreateInvalid_ReturnsRuleKey(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewOperatorService(db)
	for _, tc := range []struct {
		name string
		op   domain.Operator
		key  string
	}{
		{"unknown role", domain.Operator{Name: "anna", Roles: []domain.Role{"wizard"}}, "role.unknown"},
		{"no role", domain.Operator{Name: "anna"}, "role.none"},
		{"bad name", domain.Operator{Name: "Anna Liepa", Roles: []domain.Role{domain.RoleEditor}}, "operator.bad_name"},
		{"bad language", domain.Operator{Name: "anna", Roles: []domain.Role{domain.RoleEditor}, Language: "de"}, "operator.bad_language"},
		{"bad email", domain.Operator{Name: "anna", Roles: []domain.Role{domain.RoleEditor}, Email: "nonsense"}, "email.format"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.CreateOperator(adminCtx(t), &tc.op, "")
			wantError(t, err, domain.EINVALID, tc.key)
		})
	}
	if list, _ := s.ListOperators(t.Context()); len(list) != 0 {
		t.Fatalf("invalid operators were stored: %v", list)
	}
}

func TestOperators_WeakPassword_ReturnsEveryProblemAndStoresNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewOperatorService(db)
	ctx := adminCtx(t)

	err := s.CreateOperator(ctx, &domain.Operator{Name: "marta", Roles: []domain.Role{domain.RoleEditor}}, "marta")
	wantError(t, err, domain.EINVALID, "password.weak")
	var got []string
	for _, p := range domain.AsError(err).Problems {
		got = append(got, p.Key)
	}
	var want []string
	for _, p := range domain.CheckPassword("marta", "marta") {
		want = append(want, p.Key)
	}
	if len(want) < 4 || !slices.Equal(got, want) {
		t.Fatalf("problems = %v, want every one of %v", got, want)
	}
	if _, err := s.FindOperatorByName(ctx, "marta"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("operator stored despite the weak password (err %v)", err)
	}

	newOperator(t, db, "marta")
	err = s.SetOperatorPassword(ctx, "marta", "password")
	wantError(t, err, domain.EINVALID, "password.weak")
	if op, _ := s.FindOperatorByName(ctx, "marta"); op.HasPassword {
		t.Fatal("a weak password was stored")
	}
}

func TestOperators_UnknownName_NotFound(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewOperatorService(db)
	ctx := adminCtx(t)
	line, fp := newKey(t, "x")

	_, err := s.FindOperatorByName(ctx, "nobody")
	wantError(t, err, domain.ENOTFOUND, "operator.not_found")
	_, err = s.FindOperatorByID(ctx, 999)
	wantError(t, err, domain.ENOTFOUND, "operator.not_found")
	wantError(t, s.SetOperatorDisabled(ctx, "nobody", true, "left"), domain.ENOTFOUND, "operator.not_found")
	wantError(t, s.SetOperatorRoles(ctx, "nobody", []domain.Role{domain.RoleAdmin}), domain.ENOTFOUND, "operator.not_found")
	wantError(t, s.SetOperatorPassword(ctx, "nobody", testPassword), domain.ENOTFOUND, "operator.not_found")
	wantError(t, s.SetOperatorLanguage(ctx, 999, "en"), domain.ENOTFOUND, "operator.not_found")
	_, err = s.AddOperatorKey(ctx, "nobody", line)
	wantError(t, err, domain.ENOTFOUND, "operator.not_found")
	wantError(t, s.RemoveOperatorKey(ctx, "nobody", fp), domain.ENOTFOUND, "operator.not_found")
	_, err = s.ListOperatorKeys(ctx, "nobody")
	wantError(t, err, domain.ENOTFOUND, "operator.not_found")

	if got := auditActions(t, db); len(got) != 0 {
		t.Fatalf("failed changes were audited: %v", got)
	}
}

func TestOperators_Keys_AddListRemove(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewOperatorService(db)
	ctx := adminCtx(t)
	op := newOperator(t, db, "ieva")
	line, fp := newKey(t, "ieva@laptop")

	key, err := s.AddOperatorKey(ctx, "ieva", `no-pty,from="10.0.0.0/8" `+line+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if key.Fingerprint != fp || key.Type != ssh.KeyAlgoED25519 || key.Comment != "ieva@laptop" || key.OperatorID != op.ID {
		t.Fatalf("added key = %+v, want fingerprint %s of operator %d", key, fp, op.ID)
	}
	keys, err := s.ListOperatorKeys(ctx, "ieva")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0].Fingerprint != fp || !keys[0].AddedAt.Equal(key.AddedAt) {
		t.Fatalf("ListOperatorKeys = %+v, want the added key", keys)
	}

	if err := s.RemoveOperatorKey(ctx, "ieva", fp); err != nil {
		t.Fatal(err)
	}
	if keys, err := s.ListOperatorKeys(ctx, "ieva"); err != nil || len(keys) != 0 {
		t.Fatalf("after removal ListOperatorKeys = %v, %v; want none", keys, err)
	}
	wantError(t, s.RemoveOperatorKey(ctx, "ieva", fp), domain.ENOTFOUND, "operator.key_not_found")
}

func TestOperators_AddMalformedKey_InvalidBadKey(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewOperatorService(db)
	newOperator(t, db, "peteris")
	one, _ := newKey(t, "one")
	two, _ := newKey(t, "two")
	for name, line := range map[string]string{
		"empty":          "",
		"not base64":     "ssh-ed25519 !!!notbase64!!! x",
		"truncated":      one[:40],
		"private key":    "-----BEGIN OPENSSH PRIVATE KEY-----",
		"two keys":       one + "\n" + two,
		"wrong type tag": strings.Replace(one, "ssh-ed25519", "ssh-rsa", 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.AddOperatorKey(adminCtx(t), "peteris", line)
			wantError(t, err, domain.EINVALID, "operator.bad_key")
		})
	}
}

func TestOperators_AddShortRSAKey_InvalidWeakKey(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	newOperator(t, db, "peteris")
	priv, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ssh.NewPublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	_, err = storage.NewOperatorService(db).AddOperatorKey(adminCtx(t), "peteris", string(ssh.MarshalAuthorizedKey(pub)))
	wantError(t, err, domain.EINVALID, "operator.weak_key")
}

func TestOperators_AddKeyTwice_ConflictKeyTaken(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewOperatorService(db)
	ctx := adminCtx(t)
	newOperator(t, db, "liga")
	newOperator(t, db, "karlis")
	line, _ := newKey(t, "shared")

	if _, err := s.AddOperatorKey(ctx, "liga", line); err != nil {
		t.Fatal(err)
	}
	_, err := s.AddOperatorKey(ctx, "liga", line)
	wantError(t, err, domain.ECONFLICT, "operator.key_taken")
	_, err = s.AddOperatorKey(ctx, "karlis", line)
	wantError(t, err, domain.ECONFLICT, "operator.key_taken")
}

func TestOperators_DisableEnableRolesLanguage_Applied(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewOperatorService(db)
	ctx := adminCtx(t)
	op := newOperator(t, db, "zane")

	if err := s.SetOperatorDisabled(ctx, "zane", true, "left the agency"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindOperatorByName(ctx, "zane"); !got.Disabled {
		t.Fatal("not disabled")
	}
	if err := s.SetOperatorDisabled(ctx, "zane", false, "came back"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetOperatorRoles(ctx, "zane", []domain.Role{domain.RoleSecurity, domain.RoleHelpdesk}); err != nil {
		t.Fatal(err)
	}
	wantError(t, s.SetOperatorRoles(ctx, "zane", nil), domain.EINVALID, "role.none")
	wantError(t, s.SetOperatorRoles(ctx, "zane", []domain.Role{"root"}), domain.EINVALID, "role.unknown")
	if err := s.SetOperatorLanguage(ctx, op.ID, "en"); err != nil {
		t.Fatal(err)
	}
	wantError(t, s.SetOperatorLanguage(ctx, op.ID, "ru"), domain.EINVALID, "operator.bad_language")

	got, err := s.FindOperatorByName(ctx, "zane")
	if err != nil {
		t.Fatal(err)
	}
	if got.Disabled || got.Language != "en" || !slices.Equal(got.Roles, []domain.Role{domain.RoleHelpdesk, domain.RoleSecurity}) {
		t.Fatalf("operator = %+v, want enabled, English, helpdesk+security", got)
	}
}

func TestOperators_EveryChange_AuditedByTheActorWithoutSecrets(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	s := storage.NewOperatorService(db)
	admin := newOperator(t, db, "admin.test", withRoles(domain.RoleAdmin))
	ctx := asSession(t, admin, "sess-1")
	line, fp := newKey(t, "k")

	op := &domain.Operator{Name: "edgars", Roles: []domain.Role{domain.RoleEditor}}
	steps := []struct {
		action string
		do     func() error
	}{
		{domain.AuditOperatorCreate, func() error { return s.CreateOperator(ctx, op, testPassword) }},
		{domain.AuditOperatorDisable, func() error { return s.SetOperatorDisabled(ctx, "edgars", true, "on leave") }},
		{domain.AuditOperatorEnable, func() error { return s.SetOperatorDisabled(ctx, "edgars", false, "back") }},
		{domain.AuditOperatorRoles, func() error { return s.SetOperatorRoles(ctx, "edgars", []domain.Role{domain.RoleAdmin}) }},
		{domain.AuditOperatorPassword, func() error { return s.SetOperatorPassword(ctx, "edgars", "Cits-Vārpa9?") }},
		{domain.AuditOperatorKeyAdd, func() error { _, err := s.AddOperatorKey(ctx, "edgars", line); return err }},
		{domain.AuditOperatorKeyRemove, func() error { return s.RemoveOperatorKey(ctx, "edgars", fp) }},
		{domain.AuditOperatorLanguage, func() error { return s.SetOperatorLanguage(ctx, op.ID, "en") }},
	}
	for _, step := range steps {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.action, err)
		}
	}

	rows := auditRows(t, db)[1:] // after the administrator's creation
	if len(rows) != len(steps) {
		t.Fatalf("%d audit entries for %d changes: %+v", len(rows), len(steps), rows)
	}
	var hash string
	if err := db.Pool().QueryRow(t.Context(), "SELECT password_hash FROM operators WHERE name = 'edgars'").Scan(&hash); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if r.Action != steps[i].action {
			t.Errorf("entry %d action = %s, want %s", i+1, r.Action, steps[i].action)
		}
		if r.ActorName != "admin.test" || r.ActorID != admin.ID || r.SessionID != "sess-1" || r.RemoteAddr != "192.0.2.7:40000" {
			t.Errorf("entry %d actor = %+v, want the context's actor", i+1, r)
		}
		if r.SubjectKind != "operator" || r.SubjectID != "edgars" {
			t.Errorf("entry %d subject = %s %s, want operator edgars", i+1, r.SubjectKind, r.SubjectID)
		}
		text := r.Reason + r.Details
		for _, secret := range []string{testPassword, "Cits-Vārpa9?", hash, "argon2"} {
			if strings.Contains(text, secret) {
				t.Errorf("entry %d (%s) contains a secret: %q", i+1, r.Action, text)
			}
		}
	}
	if rows[1].Reason != "on leave" {
		t.Errorf("disable reason = %q, want %q", rows[1].Reason, "on leave")
	}
	if rows[3].Details != "roles=editor -> admin" {
		t.Errorf("roles details = %q", rows[3].Details)
	}
}
