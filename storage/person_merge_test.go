package storage_test

import (
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// mergeConflict makes two Latvija.gov.lv accounts whose codes the
// Population Register links (old form → new form), which the import
// leaves as a conflict; it returns the accounts (old code's first) and the
// conflict's id.
func (e *denialEnv) mergeConflict(t testing.TB, n int) (oldUser, newUser, id int64) {
	t.Helper()
	ctx := t.Context()
	oldUser, newUser = e.user(t, 0), e.user(t, 0)
	if _, err := e.db.Pool().Exec(ctx, `UPDATE platform_users SET personal_code = $2 WHERE id = $1`, newUser, newFormCode(n)); err != nil {
		t.Fatal(err)
	}
	var code string
	if err := e.db.Pool().QueryRow(ctx, `SELECT personal_code FROM platform_users WHERE id = $1`, oldUser).Scan(&code); err != nil {
		t.Fatal(err)
	}
	if res := importPopulation(t, e.db, code+",Jānis,Ozoliņš,1980-01-01,true,Rīga,,"+newFormCode(n)); res.Conflicts != 1 {
		t.Fatalf("import = %+v, want a conflict", res)
	}
	if err := e.db.Pool().QueryRow(ctx, `SELECT id FROM person_merge_conflicts WHERE person_id = $1`, e.personOf(t, oldUser)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return oldUser, newUser, id
}

// Issue 17: an operator merges a conflict's two records keeping the
// account they choose; the other is ended with the reason (it signs in no
// more, and its code now names the kept account's person), the records
// are one, and both the end and the merge are audited. A reviewer may not;
// a merge without a reason or without choosing is refused.
func TestPersonMerge_Merge_KeepsChosenAccount_EndsOther(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	svc := storage.NewPersonMergeService(e.db)
	oldUser, newUser, id := e.mergeConflict(t, 71)
	var oldCode string
	_ = e.db.Pool().QueryRow(t.Context(), `SELECT personal_code FROM platform_users WHERE id = $1`, oldUser).Scan(&oldCode)

	_, err := svc.OpenMergeConflicts(as(t, e.reviewer))
	wantError(t, err, domain.EFORBIDDEN, "defence.forbidden")
	list, err := svc.OpenMergeConflicts(as(t, e.ilze))
	if err != nil || len(list) != 1 {
		t.Fatalf("open conflicts = %d, %v", len(list), err)
	}
	c := list[0]
	if c.ID != id || c.From.UserID != oldUser || c.Into.UserID != newUser || c.From.MaskedCode != domain.MaskPersonalCode(oldCode) ||
		c.From.MaskedCode == oldCode || c.Into.AccountKind != "viss" {
		t.Fatalf("conflict = %+v", c)
	}
	// Both sides come whole from the list's one query.
	if c.Into.MaskedCode != domain.MaskPersonalCode(newFormCode(71)) || c.From.PersonID == 0 || c.Into.PersonID == 0 ||
		c.From.PersonID == c.Into.PersonID || c.From.Name == "" || c.Into.AccountEmail == "" || c.Why == "" || c.FoundAt.IsZero() ||
		c.From.IMKStates == nil || c.From.ActiveIMK || c.Into.ActiveIMK {
		t.Fatalf("conflict's sides = %+v", c)
	}
	wantError(t, svc.ResolveMergeConflict(as(t, e.reviewer), domain.MergeResolution{ConflictID: id, Outcome: domain.MergeResolved,
		KeepUserID: oldUser, Reason: "x"}), domain.EFORBIDDEN, "defence.forbidden")
	wantError(t, svc.ResolveMergeConflict(as(t, e.ilze), domain.MergeResolution{ConflictID: id, Outcome: domain.MergeResolved,
		KeepUserID: oldUser}), domain.EINVALID, "account.reason_required")
	wantError(t, svc.ResolveMergeConflict(as(t, e.ilze), domain.MergeResolution{ConflictID: id, Outcome: domain.MergeResolved,
		Reason: "one person"}), domain.EINVALID, "merge.keep_required")

	if err := svc.ResolveMergeConflict(as(t, e.ilze), domain.MergeResolution{ConflictID: id, Outcome: domain.MergeResolved,
		KeepUserID: oldUser, Reason: "the person confirmed both codes are theirs"}); err != nil {
		t.Fatalf("merge: %v", err)
	}
	kept := e.personOf(t, oldUser)
	if e.count(t, `SELECT count(*) FROM person_codes WHERE person_id = $1`, kept) != 2 ||
		e.count(t, `SELECT count(*) FROM persons WHERE id IN ($1, $2)`, c.From.PersonID, c.Into.PersonID) != 1 || kept != c.Into.PersonID {
		t.Fatal("the two records were not made one")
	}
	if e.count(t, `SELECT count(*) FROM platform_users WHERE id = $1 AND ended_at IS NOT NULL AND personal_code IS NULL
	                 AND person_id IS NULL AND ended_reason = 'the person confirmed both codes are theirs'`, newUser) != 1 {
		t.Fatal("the other account was not ended with the reason")
	}
	// An ended account is no "user without a personal code" (¶27.2) in
	// the death check's report.
	rep, err := storage.NewDenialService(e.db).DeathCheckReport(as(t, e.ilze), time.Now())
	if err != nil || rep.NoCode != 0 {
		t.Fatalf("death-check report: %d users without a code, %v; want 0", rep.NoCode, err)
	}
	portal := storage.NewPortalService(e.db)
	pctx := domain.WithActor(t.Context(), domain.Actor{Name: "api:portal"})
	st, err := portal.PersonSignInStatus(pctx, newFormCode(71))
	if err != nil || st.UserID != oldUser {
		t.Fatalf("the new code's sign-in status = %+v, %v; want the kept account", st, err)
	}
	// The ended account is refused even after a denial's lift cleared
	// sign_in_denied: the portal reads ended_at too.
	if _, err := e.db.Pool().Exec(t.Context(), `UPDATE platform_users SET sign_in_denied = false WHERE id = $1`, newUser); err != nil {
		t.Fatal(err)
	}
	if st, err := portal.SignInStatus(pctx, newUser); err != nil || st.Allowed {
		t.Fatalf("the ended account's sign-in status = %+v, %v; want refused", st, err)
	}
	for _, a := range []string{domain.AuditAccountEnded, domain.AuditPersonMergeResolve} {
		if e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND reason = 'the person confirmed both codes are theirs'`, a) != 1 {
			t.Fatalf("%s not audited with the reason", a)
		}
	}
	wantError(t, svc.ResolveMergeConflict(as(t, e.andris), domain.MergeResolution{ConflictID: id, Outcome: domain.MergeDistinct,
		Reason: "late"}), domain.ECONFLICT, "merge.resolved")
	if list, _ := svc.OpenMergeConflicts(as(t, e.ilze)); len(list) != 0 {
		t.Fatal("a resolved conflict is still listed")
	}
}

// Issue 17: "not the same person" keeps both records and accounts, and is
// audited with the reason; of two operators resolving one conflict at once
// one wins and the other gets ECONFLICT.
func TestPersonMerge_Distinct_AndTwoOperatorsAtOnce(t *testing.T) {
	t.Parallel()
	e := newDenialEnv(t)
	svc := storage.NewPersonMergeService(e.db)
	a, b, id := e.mergeConflict(t, 72)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, op := range []*domain.Operator{e.ilze, e.andris} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := domain.MergeResolution{ConflictID: id, Outcome: domain.MergeDistinct, Reason: "different birth dates on the documents"}
			if i == 1 {
				r = domain.MergeResolution{ConflictID: id, Outcome: domain.MergeResolved, KeepUserID: a, Reason: "one person"}
			}
			errs[i] = svc.ResolveMergeConflict(as(t, op), r)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			wantError(t, err, domain.ECONFLICT, "merge.resolved")
		}
	}
	if won != 1 {
		t.Fatalf("errors = %v; want one winner", errs)
	}
	if errs[0] == nil {
		if e.personOf(t, a) == e.personOf(t, b) || e.count(t, `SELECT count(*) FROM platform_users WHERE id IN ($1, $2) AND ended_at IS NULL`, a, b) != 2 {
			t.Fatal("'not the same person' changed the records")
		}
		if e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND reason = 'different birth dates on the documents'`, domain.AuditPersonMergeDistinct) != 1 {
			t.Fatal("'not the same person' was not audited")
		}
	}
	if e.count(t, `SELECT count(*) FROM person_merge_conflicts WHERE id = $1 AND resolved_at IS NOT NULL`, id) != 1 {
		t.Fatal("the conflict is still open")
	}
}
