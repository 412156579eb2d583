package storage_test

import (
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// TestPolicy_VersionsNameTheirDrafterAndApprover: the policy screen shows
// who drafted and who approved a version; the names come with the
// version, and ApprovalBlocker tells the drafter from the second person.
func TestPolicy_VersionsNameTheirDrafterAndApprover(t *testing.T) {
	db := pgtest.NewDB(t)
	svc := storage.NewPolicyService(db)
	mk := func(name, full string, role domain.Role) *domain.Operator {
		op := &domain.Operator{Name: name, FullName: full, Roles: []domain.Role{role}}
		if err := storage.NewOperatorService(db).CreateOperator(adminCtx(t), op, ""); err != nil {
			t.Fatal(err)
		}
		return op
	}
	drafter := mk("ilze", "Ilze Redaktore", domain.RoleEditor)
	approver := mk("anna", "Anna Administratore", domain.RoleAdmin)
	draft, err := svc.DraftPolicy(actingAs(t, drafter, "s-1"), stricterPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if draft.DraftedByName != drafter.FullName || draft.ApprovedByName != "" {
		t.Fatalf("draft names: drafted by %q, approved by %q", draft.DraftedByName, draft.ApprovedByName)
	}
	if draft.ApprovalBlocker(drafter.ID) == nil || draft.ApprovalBlocker(approver.ID) != nil {
		t.Fatal("ApprovalBlocker does not tell the drafter from the second person")
	}
	p, err := svc.ApprovePolicy(actingAs(t, approver, "s-2"), draft.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if p.DraftedByName != drafter.FullName || p.ApprovedByName != approver.FullName {
		t.Fatalf("approved names: drafted by %q, approved by %q", p.DraftedByName, p.ApprovedByName)
	}
	list, err := svc.ListPolicies(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if list[0].ID != p.ID || list[0].ApprovedByName != approver.FullName {
		t.Fatalf("list[0] = %+v", list[0])
	}
}
