package storage_test

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/demodata"
	"github.com/viaa/ppp/storage/pgtest"
)

func TestDemoTerms_InForceSupersededDraftAcceptancesAndAnnouncements(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := t.Context()
	editorOperator(t, db, "demo", "Līga Ozoliņa", domain.Roles...)
	editorOperator(t, db, "maris.ozols", "Māris Ozols", domain.RoleEditor)
	now := time.Now().UTC()
	if _, err := demodata.Load(ctx, db, demodata.Options{Scale: 500, Now: now}); err != nil {
		t.Fatal(err)
	}
	res, err := demodata.LoadTerms(ctx, db, demodata.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Loaded || res.Versions != 3 || res.Announcements < 5 {
		t.Fatalf("result = %+v", res)
	}

	terms := storage.NewTermsService(db)
	inForce, err := terms.TermsInForce(ctx)
	if err != nil || inForce.ID != res.InForce {
		t.Fatalf("in force = %v, %v", inForce, err)
	}
	// The demo's terms in force are the real terms of use of 2024-09-04:
	// 33 clauses, the last subclause 32.8 (issue 16).
	if !utf8.ValidString(inForce.Text) || len(regexp.MustCompile(`(?m)^\d+\. `).FindAllString(inForce.Text, -1)) != 33 ||
		!strings.Contains(inForce.Text, "\n32.8. Lietotāja, fiziskas personas, nāves gadījumā.") || inForce.Text != demodata.TermsText() {
		t.Fatalf("the text in force is not the terms of 2024-09-04:\n%s", inForce.Text)
	}
	if inForce.DraftedBy == inForce.ApprovedBy {
		t.Fatal("drafted and approved by one operator")
	}
	old, _ := terms.FindTermsVersion(ctx, res.Superseded)
	draft, _ := terms.FindTermsVersion(ctx, res.Draft)
	if old.State != domain.TermsSuperseded || draft.State != domain.TermsDraft || draft.BasedOn != inForce.ID {
		t.Fatalf("states: old %s, draft %s based on %d", old.State, draft.State, draft.BasedOn)
	}
	added, removed := domain.DiffCounts(domain.DiffLines(inForce.Text, draft.Text))
	if added == 0 || added > 6 || added != removed {
		t.Fatalf("the draft changes %d/%d lines", added, removed)
	}

	stats, err := terms.TermsAcceptance(ctx, inForce.ID)
	if err != nil {
		t.Fatal(err)
	}
	share := float64(stats.Accepted) / float64(stats.Users)
	if stats.Users == 0 || share < 0.5 || share > 0.95 {
		t.Fatalf("%d of %d accepted the version in force", stats.Accepted, stats.Users)
	}
	pending, err := terms.PendingAcceptances(ctx, 0, 10)
	if err != nil || len(pending) == 0 || pending[0].LastAccepted != old.Number {
		t.Fatalf("pending = %v, %v", pending, err)
	}

	ann := storage.NewAnnouncementService(db)
	banners, err := ann.ActiveBanners(ctx, now)
	if err != nil || len(banners) != 1 {
		t.Fatalf("banners = %v, %v", banners, err)
	}
	list, err := ann.ListAnnouncements(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, a := range list {
		kinds[string(a.Kind)+"/"+string(a.State)]++
		if err := a.Validate(); err != nil {
			t.Errorf("demo announcement %q: %v", a.Title, err)
		}
	}
	for _, want := range []string{"news/published", "downtime/published", "downtime/withdrawn", "news/draft"} {
		if kinds[want] == 0 {
			t.Errorf("no %s announcement: %v", want, kinds)
		}
	}

	// A second run writes nothing; the draft can be taken up by "demo".
	again, err := demodata.LoadTerms(ctx, db, demodata.Options{Now: now})
	if err != nil || again.Loaded {
		t.Fatalf("second load = %+v, %v", again, err)
	}
	var demoOp int64
	if err := db.Pool().QueryRow(ctx, `SELECT id FROM operators WHERE name = 'demo'`).Scan(&demoOp); err != nil {
		t.Fatal(err)
	}
	if draft.DraftedBy == demoOp {
		t.Fatal("the draft is demo's own: demo could not approve it")
	}
}
