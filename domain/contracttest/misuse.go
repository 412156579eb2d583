package contracttest

import (
	"slices"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// MisuseHarness is an implementation of domain.MisuseService with what
// the suite needs around it.
type MisuseHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.MisuseService
	// SeedSignal stores an open signal as the sweep raises it and returns
	// its id.
	SeedSignal(t *testing.T, s *domain.MisuseSignal) int64
}

// RunMisuseService runs the misuse signals' suite (issue 18), each test
// on a harness of its own from newHarness: what storage and the screens'
// double both keep. The role checks are storage's (storage/misuse_test.go).
func RunMisuseService(t *testing.T, newHarness func(t *testing.T) MisuseHarness) {
	run := func(name string, f func(t *testing.T, h MisuseHarness, officer, admin *domain.Operator)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			officer := h.Operator(t, "laura.liepa", "Laura Liepa", "laura.liepa@viaa.gov.lv", domain.RoleSecurity)
			admin := h.Operator(t, "berta.admina", "Berta Admina", "berta.admina@viaa.gov.lv", domain.RoleAdmin)
			f(t, h, officer, admin)
		})
	}

	run("Signals_OpenNewestFirst_WithEvidence_ClosedWithANote", func(t *testing.T, h MisuseHarness, officer, _ *domain.Operator) {
		now, svc, ctx := h.Now(), h.Service(), As(t, officer, "s-laura")
		ev := []domain.MisuseEvidence{{Kind: "role_request", ID: 12}, {Kind: "imk_application", ID: 4}}
		older := h.SeedSignal(t, &domain.MisuseSignal{Kind: domain.MisuseSharedContact, Key: "email:ab", Subject: "kopa@example.lv",
			Count: 3, Threshold: 3, WindowStart: now.Add(-time.Hour), WindowEnd: now.Add(-time.Minute), RaisedAt: now.Add(-time.Minute), Evidence: ev})
		newer := h.SeedSignal(t, &domain.MisuseSignal{Kind: domain.MisuseResetBurst, Key: "platform_user:7", Subject: "x@example.lv",
			Count: 5, Threshold: 5, WindowStart: now.Add(-time.Hour), WindowEnd: now, RaisedAt: now, Evidence: []domain.MisuseEvidence{{Kind: "ticket", ID: 1}}})
		open, err := svc.OpenMisuseSignals(ctx)
		must(t, "open signals", err)
		if len(open) != 2 || open[0].ID != newer || open[1].ID != older {
			t.Fatalf("open, newest first: %+v", open)
		}
		if s := open[1]; s.Kind != domain.MisuseSharedContact || s.Key != "email:ab" || s.Subject != "kopa@example.lv" ||
			s.Count != 3 || s.Threshold != 3 || !slices.Equal(s.Evidence, ev) || !s.ClosedAt.IsZero() {
			t.Errorf("a signal as read: %+v", s)
		}
		wantErr(t, "no note", svc.CloseMisuseSignal(ctx, older, " \x00 "), domain.EINVALID, "defence.note_required")
		must(t, "close", svc.CloseMisuseSignal(ctx, older, " Ģimene, viena adrese "))
		wantErr(t, "close again", svc.CloseMisuseSignal(ctx, older, "x"), domain.ECONFLICT, "misuse.closed")
		wantErr(t, "no such signal", svc.CloseMisuseSignal(ctx, newer+1000, "x"), domain.ENOTFOUND, "misuse.not_found")
		open, err = svc.OpenMisuseSignals(ctx)
		must(t, "open signals", err)
		if len(open) != 1 || open[0].ID != newer {
			t.Errorf("open after closing one: %+v", open)
		}
	})

	run("Thresholds_DefaultsInOrder_SetChecked", func(t *testing.T, h MisuseHarness, _, admin *domain.Operator) {
		svc, ctx := h.Service(), As(t, admin, "s-berta")
		got, err := svc.MisuseThresholds(ctx)
		must(t, "thresholds", err)
		want := domain.DefaultMisuseThresholds()
		if len(got) != len(want) {
			t.Fatalf("thresholds: %+v", got)
		}
		for i := range want {
			if got[i].Kind != want[i].Kind || got[i].Threshold != want[i].Threshold || got[i].Window != want[i].Window {
				t.Errorf("threshold %d: %+v, want %+v", i, got[i], want[i])
			}
		}
		_, err = svc.SetMisuseThreshold(ctx, "bogus", 3, time.Hour)
		wantErr(t, "unknown kind", err, domain.EINVALID, "misuse.kind_unknown")
		_, err = svc.SetMisuseThreshold(ctx, domain.MisuseRequestBurst, 1, time.Hour)
		wantErr(t, "threshold 1", err, domain.EINVALID, "misuse.threshold_range")
		_, err = svc.SetMisuseThreshold(ctx, domain.MisuseRequestBurst, 4, 90*time.Second)
		wantErr(t, "a window of 90 s", err, domain.EINVALID, "misuse.window_range")
		set, err := svc.SetMisuseThreshold(ctx, domain.MisuseRequestBurst, 4, 2*time.Hour)
		must(t, "set", err)
		if set.Kind != domain.MisuseRequestBurst || set.Threshold != 4 || set.Window != 2*time.Hour || set.ChangedByName == "" {
			t.Errorf("set: %+v", set)
		}
		got, err = svc.MisuseThresholds(ctx)
		must(t, "thresholds", err)
		if got[2].Kind != domain.MisuseRequestBurst || got[2].Threshold != 4 || got[2].Window != 2*time.Hour || got[0].Threshold != 3 {
			t.Errorf("after the change: %+v", got)
		}
	})
}
