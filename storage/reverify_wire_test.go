package storage_test

import (
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// TestReverify_UpdateWritesHistory_EscalateOpensOrNotesSanctionCase
// (¶17.2, ¶32.5, ¶32.7): an update from the registers is an edit of the
// institution's details — its history gains the name's change with the
// reviewer, the reason and source "reverification", and its details
// version moves on, so that an edit typed over the old name is refused;
// an escalation opens a sanction case of the institution (¶32.7 for a
// liquidated company, ¶32.5 otherwise) that security officers see, and
// when a case is open already it notes the escalation on it (evidence,
// version, audit) instead of failing.
func TestReverify_UpdateWritesHistory_EscalateOpensOrNotesSanctionCase(t *testing.T) {
	t.Parallel()
	e, ids, _ := flagged(t)
	svc := storage.NewReverifyService(e.db)
	sanctions := storage.NewSanctionService(e.db)
	institutions := storage.NewInstitutionService(e.db)
	rev := newOperator(t, e.db, "rev.wire")
	sec := newOperator(t, e.db, "sec.wire", withRoles(domain.RoleSecurity))
	r, s := as(t, rev), as(t, sec)
	list, err := svc.ListReverifications(r, domain.ReverifyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	item := map[int64]*domain.Reverification{}
	for _, it := range list {
		item[it.InstitutionID] = it
	}

	// Update: history and version (¶17.2).
	before, err := institutions.InstitutionPage(r, ids["renamed"])
	if err != nil {
		t.Fatal(err)
	}
	ren := item[ids["renamed"]]
	if _, err := svc.DecideReverification(r, ren.ID, ren.Version, domain.ReverifyUpdate, "VIIS: jauns nosaukums"); err != nil {
		t.Fatal(err)
	}
	after, err := institutions.InstitutionPage(r, ids["renamed"])
	if err != nil {
		t.Fatal(err)
	}
	if after.Institution.Version != before.Institution.Version+1 || after.Institution.Name != "Jaunais nosaukums" {
		t.Fatalf("institution after the update: version %d (was %d), name %q", after.Institution.Version, before.Institution.Version, after.Institution.Name)
	}
	if len(after.Changes) != 1 {
		t.Fatalf("history %+v, want the name's change", after.Changes)
	}
	c := after.Changes[0]
	if c.Field != domain.InstitutionFieldName || c.OldValue != "Iestāde renamed" || c.NewValue != "Jaunais nosaukums" ||
		c.Reason != "VIIS: jauns nosaukums" || c.OperatorID != rev.ID || c.Source != domain.ChangeByReverification {
		t.Fatalf("history row %+v", c)
	}
	edit := domain.InstitutionEdit{Name: "Vecais nosaukums", CompanyRegNumber: before.Institution.CompanyRegNumber,
		EducationRegNumber: before.Institution.EducationRegNumber, Email: before.Institution.Email}
	_, err = institutions.EditInstitution(r, ids["renamed"], before.Institution.Version, edit, "labojums")
	wantError(t, err, domain.ECONFLICT, "institution.changed")

	// Escalate without a case: one is opened on ¶32.7 (liquidated).
	liq := item[ids["liquidated"]]
	if _, err := svc.DecideReverification(r, liq.ID, liq.Version, domain.ReverifyEscalate, "Uzņēmums likvidēts"); err != nil {
		t.Fatal(err)
	}
	cases, err := sanctions.ListCases(s, domain.SanctionFilter{})
	if err != nil || len(cases) != 1 {
		t.Fatalf("security sees %d cases, %v; want the escalation's", len(cases), err)
	}
	if k := cases[0]; k.InstitutionID != ids["liquidated"] || k.Clause != domain.GroundCooperation || k.Reason != "Uzņēmums likvidēts" ||
		k.OpenedBy != rev.ID || k.State != domain.SanctionCaseOpen || !strings.Contains(k.Evidence, string(domain.DiffCompanyLiquidated)) {
		t.Fatalf("case %+v", k)
	}

	// The institution's page shows both (same snapshot).
	page, err := institutions.InstitutionPage(s, ids["liquidated"])
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Sanctions) != 1 || page.Sanctions[0].ID != cases[0].ID || page.Reverification.Item == nil ||
		page.Reverification.Item.State != domain.ReverifyEscalated || page.Reverification.DueAt.IsZero() ||
		page.Reverification.Item.SanctionCaseID != cases[0].ID {
		t.Fatalf("page sanctions %+v, re-verification %+v", page.Sanctions, page.Reverification)
	}

	// Escalate with a case open: noted on it, no second case (¶32.5).
	open, err := sanctions.OpenCase(s, ids["missing"], domain.GroundRulesBroken, "Sūdzība", "vēstule")
	if err != nil {
		t.Fatal(err)
	}
	mis := item[ids["missing"]]
	if _, err := svc.DecideReverification(r, mis.ID, mis.Version, domain.ReverifyEscalate, "Nav VIIS"); err != nil {
		t.Fatalf("escalating with a case open: %v", err)
	}
	got, err := sanctions.FindCase(s, open.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != open.Version+1 || !strings.HasPrefix(got.Evidence, "vēstule\n") || !strings.Contains(got.Evidence, string(domain.DiffSchoolMissing)) {
		t.Fatalf("the open case after the escalation: version %d (was %d), evidence %q", got.Version, open.Version, got.Evidence)
	}
	if all, _ := sanctions.CasesOf(s, ids["missing"]); len(all) != 1 {
		t.Fatalf("%d cases of the institution, want the one open", len(all))
	}
	if p, err := institutions.InstitutionPage(s, ids["missing"]); err != nil || p.Reverification.Item == nil ||
		p.Reverification.Item.SanctionCaseID != open.ID {
		t.Fatalf("the escalated item does not name the case it was noted on (#%d): %+v, %v", open.ID, p.Reverification, err)
	}
	if !containsAction(auditActions(t, e.db), domain.AuditSanctionEscalation) {
		t.Error("no sanction.escalation audit entry")
	}
}
