package storage_test

import (
	"math/rand/v2"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// TestIMK_Evidence_StoredAsKeysAndArguments_OldProseStillReads proves that
// the check stores each rule's evidence as a catalog key with its
// arguments, no English prose, and that an evaluation stored before
// evidence had keys (prose) still reads, its prose kept.
func TestIMK_Evidence_StoredAsKeysAndArguments_OldProseStillReads(t *testing.T) {
	db := pgtest.NewDB(t)
	rev := newOperator(t, db, "rev.one")
	ctx := domain.WithActor(t.Context(), domain.Actor{OperatorID: rev.ID, Name: rev.Name, SessionID: "s1"})
	importAll(t, db, newCode(0), newCode(1))
	seedApplications(t, db, 2)
	regs := storage.NewMirrorRegisters(db, storage.Outage{FailureRate: 1}, rand.NewPCG(7, 7))
	if p, err := storage.NewIMKChecker(db, regs).RunOnce(t.Context(), 10); err != nil || p != 2 {
		t.Fatalf("RunOnce = %d, %v", p, err)
	}
	if c := countRows(t, db, `SELECT count(*) FROM imk_applications WHERE evaluation::text LIKE '%did not answer%'
		OR evaluation->'Rules'->0->'Evidence'->>'key' <> 'imk.ev.no_answer'`); c != 0 {
		t.Fatalf("%d evaluations hold prose, or no key", c)
	}

	// One application's evaluation as it was stored before issue 14.
	var oldID int64
	if err := db.Pool().QueryRow(t.Context(), `
		UPDATE imk_applications SET evaluation = jsonb_set(evaluation, '{Rules}',
		         (SELECT jsonb_agg(r || jsonb_build_object('Evidence', 'population did not answer'))
		            FROM jsonb_array_elements(evaluation->'Rules') r))
		 WHERE id = (SELECT min(id) FROM imk_applications) RETURNING id`).Scan(&oldID); err != nil {
		t.Fatal(err)
	}
	svc := storage.NewIMKService(db, regs)
	list, err := svc.ListIMK(ctx, domain.IMKFilter{Limit: 10})
	if err != nil || len(list) != 2 {
		t.Fatalf("ListIMK = %d, %v", len(list), err)
	}
	for _, a := range list {
		got, err := svc.FindIMK(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		ev := got.Evaluation.Rules[0].Evidence
		if got.ID == oldID {
			if ev.Prose != "population did not answer" || ev.Key != "" {
				t.Errorf("old evidence reads as %+v", ev)
			}
			continue
		}
		want := []domain.EvidenceArg{domain.RegisterArg(domain.RegisterPopulation)}
		if ev.Key != "imk.ev.no_answer" || len(ev.Args) != 1 || ev.Args[0] != want[0] || ev.Prose != "" {
			t.Errorf("evidence reads as %+v, want imk.ev.no_answer %v", ev, want)
		}
	}
}
