package contracttest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
)

// TermsHarness is an implementation of domain.TermsService with what the
// suite needs around it.
type TermsHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.TermsService
	// Announcements returns the announcements publishing a version adds
	// to.
	Announcements() domain.AnnouncementService
}

// termsEnv is one run of the suite: a fresh harness and three editors.
type termsEnv struct {
	h                  TermsHarness
	svc                domain.TermsService
	janis, anna, ilze  *domain.Operator
	janisC, annaC, ilC context.Context
}

func (e *termsEnv) find(t *testing.T, id int64) *domain.TermsVersion {
	t.Helper()
	v, err := e.svc.FindTermsVersion(e.janisC, id)
	must(t, "find terms version", err)
	return v
}

// draft starts a draft as ctx and saves text and summary into it.
func (e *termsEnv) draft(t *testing.T, ctx context.Context, number, text, summary string) *domain.TermsVersion {
	t.Helper()
	v, err := e.svc.StartTermsDraft(ctx, number, "")
	must(t, "start draft "+number, err)
	v.Text, v.Summary = text, summary
	must(t, "save draft "+number, e.svc.SaveTermsDraft(ctx, v))
	return v
}

// submitted is a draft by ctx sent for approval.
func (e *termsEnv) submitted(t *testing.T, ctx context.Context, number, text string) *domain.TermsVersion {
	t.Helper()
	v := e.draft(t, ctx, number, text, "Izmaiņas "+number)
	must(t, "submit "+number, e.svc.SubmitTermsDraft(ctx, v.ID, v.Version))
	return e.find(t, v.ID)
}

// RunTermsService runs the terms of use's suite, each test on a harness of
// its own from newHarness.
func RunTermsService(t *testing.T, newHarness func(t *testing.T) TermsHarness) {
	run := func(name string, f func(t *testing.T, e *termsEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &termsEnv{h: h, svc: h.Service()}
			e.janis = h.Operator(t, "janis.ozols", "Jānis Ozols", "janis.ozols@viaa.gov.lv", domain.RoleEditor)
			e.anna = h.Operator(t, "anna.kalnina", "Anna Kalniņa", "anna.kalnina@viaa.gov.lv", domain.RoleEditor)
			e.ilze = h.Operator(t, "ilze.berzina", "Ilze Bērziņa", "ilze.berzina@viaa.gov.lv", domain.RoleEditor)
			e.janisC, e.annaC, e.ilC = As(t, e.janis, "s-janis"), As(t, e.anna, "s-anna"), As(t, e.ilze, "s-ilze")
			f(t, e)
		})
	}

	run("StartDraft_FromTheVersionInForce_NumberRules", func(t *testing.T, e *termsEnv) {
		_, err := e.svc.TermsInForce(e.janisC)
		wantErr(t, "none in force", err, domain.ENOTFOUND, "terms.none_in_force")
		_, err = e.svc.PendingAcceptances(e.janisC, 0, 10)
		wantErr(t, "pending without a version in force", err, domain.ENOTFOUND, "terms.none_in_force")

		first, err := e.svc.StartTermsDraft(e.janisC, " 2026-1 ", "")
		must(t, "the first draft", err)
		if first.ID == 0 || first.Number != "2026-1" || first.Title != domain.DefaultTermsTitle || first.Text != "" ||
			first.BasedOn != 0 || first.DraftedBy != e.janis.ID || first.State != domain.TermsDraft || first.Version == 0 {
			t.Errorf("the first draft: %+v", first)
		}
		for _, tc := range []struct{ number, title, key string }{
			{"2026-1", "", "terms.number_taken"},
			{"  ", "", "terms.number_required"},
			{"2026 1", "", "terms.number_format"},
			{strings.Repeat("9", domain.TermsNumberMaxLength+1), "", "terms.number_too_long"},
			{"2026-9", "Virsraksts\x1b[2J", "terms.invalid"},
		} {
			_, err := e.svc.StartTermsDraft(e.janisC, tc.number, tc.title)
			wantErr(t, "start "+tc.key, err, domain.EINVALID, tc.key)
		}

		first = e.find(t, first.ID)
		first.Title, first.Text, first.Summary = "Noteikumi", "1. Pirmais punkts.", "Pirmā redakcija."
		must(t, "save", e.svc.SaveTermsDraft(e.janisC, first))
		must(t, "submit", e.svc.SubmitTermsDraft(e.janisC, first.ID, first.Version))
		must(t, "publish", e.svc.ApproveAndPublish(e.annaC, first.ID))
		next, err := e.svc.StartTermsDraft(e.annaC, "2026-2", "")
		must(t, "a draft from the version in force", err)
		if next.Text != "1. Pirmais punkts." || next.Title != "Noteikumi" || next.BasedOn != first.ID || next.DraftedBy != e.anna.ID {
			t.Errorf("a draft from the version in force: %q %q based on %d", next.Title, next.Text, next.BasedOn)
		}
	})

	run("Save_VersionStateAndBase", func(t *testing.T, e *termsEnv) {
		v, err := e.svc.StartTermsDraft(e.janisC, "2026-1", "Noteikumi")
		must(t, "start", err)
		seen := v.Version
		v.Text, v.Summary = "1. Punkts.\r\n2. Punkts.", " Jauni punkti. "
		must(t, "save", e.svc.SaveTermsDraft(e.annaC, v))
		if v.Version <= seen || v.Text != "1. Punkts.\n2. Punkts." || v.Summary != "Jauni punkti." {
			t.Errorf("the saved draft, written back: v%d %q %q", v.Version, v.Text, v.Summary)
		}
		got := e.find(t, v.ID)
		if got.Version != v.Version || got.Text != v.Text || !slices.Contains(got.Contributors, e.anna.ID) {
			t.Errorf("stored: v%d %q, contributors %v", got.Version, got.Text, got.Contributors)
		}
		stale := *got
		stale.Version = seen
		wantErr(t, "a stale version", e.svc.SaveTermsDraft(e.janisC, &stale), domain.ECONFLICT, "terms.changed")
		bad := *got
		bad.Text = "a\x00b"
		wantErr(t, "a NUL in the text", e.svc.SaveTermsDraft(e.janisC, &bad), domain.EINVALID, "terms.invalid")
		rebased := *got
		rebased.BasedOn = got.ID + 1000
		wantErr(t, "a base that is not in force", e.svc.SaveTermsDraft(e.janisC, &rebased), domain.EINVALID, "terms.base_not_in_force")
		missing := *got
		missing.ID += 1000
		wantErr(t, "no such version", e.svc.SaveTermsDraft(e.janisC, &missing), domain.ENOTFOUND, "terms.not_found")

		must(t, "submit", e.svc.SubmitTermsDraft(e.janisC, got.ID, got.Version))
		got = e.find(t, got.ID)
		wantErr(t, "save what was submitted", e.svc.SaveTermsDraft(e.janisC, got), domain.ECONFLICT, "terms.not_draft")
		wantErr(t, "submit again", e.svc.SubmitTermsDraft(e.janisC, got.ID, got.Version), domain.ECONFLICT, "terms.not_draft")
	})

	run("SubmitReturnPublish_FourEyesByContributor", func(t *testing.T, e *termsEnv) {
		v, err := e.svc.StartTermsDraft(e.janisC, "2026-1", "")
		must(t, "start", err)
		v.Text = "1. Punkts."
		must(t, "save without a summary", e.svc.SaveTermsDraft(e.janisC, v))
		err = e.svc.SubmitTermsDraft(e.janisC, v.ID, v.Version)
		wantErr(t, "no summary", err, domain.EINVALID, "terms.invalid")
		if p := domain.AsError(err); p == nil || !slices.ContainsFunc(p.Problems, func(p domain.Problem) bool { return p.Key == "terms.summary_required" }) {
			t.Errorf("no summary: problems of %v", err)
		}
		v.Summary = "Pirmā redakcija."
		must(t, "save", e.svc.SaveTermsDraft(e.janisC, v))
		wantErr(t, "submit a stale version", e.svc.SubmitTermsDraft(e.janisC, v.ID, v.Version-1), domain.ECONFLICT, "terms.changed")
		must(t, "submit", e.svc.SubmitTermsDraft(e.janisC, v.ID, v.Version))
		wantErr(t, "the drafter publishes", e.svc.ApproveAndPublish(e.janisC, v.ID), domain.EFORBIDDEN, "terms.own_draft")
		wantErr(t, "the drafter in another session", e.svc.ApproveAndPublish(As(t, e.janis, "s-janis-2"), v.ID),
			domain.EFORBIDDEN, "terms.own_draft")

		wantErr(t, "return without a note", e.svc.ReturnTermsDraft(e.annaC, v.ID, " "), domain.EINVALID, "terms.note_required")
		must(t, "return", e.svc.ReturnTermsDraft(e.annaC, v.ID, "Jāprecizē 1. punkts"))
		got := e.find(t, v.ID)
		if got.State != domain.TermsDraft || got.ReturnNote != "Jāprecizē 1. punkts" {
			t.Errorf("returned: %s %q", got.State, got.ReturnNote)
		}
		wantErr(t, "return a draft", e.svc.ReturnTermsDraft(e.annaC, v.ID, "vēlreiz"), domain.ECONFLICT, "terms.not_submitted")
		wantErr(t, "publish a draft", e.svc.ApproveAndPublish(e.ilC, v.ID), domain.ECONFLICT, "terms.not_submitted")

		// Anna edits it: she may no longer approve it, whoever submits it.
		got.Text = "1. Precizēts punkts."
		must(t, "anna saves", e.svc.SaveTermsDraft(e.annaC, got))
		must(t, "resubmit", e.svc.SubmitTermsDraft(e.janisC, got.ID, got.Version))
		wantErr(t, "a contributor publishes", e.svc.ApproveAndPublish(e.annaC, v.ID), domain.EFORBIDDEN, "terms.own_draft")
		must(t, "publish", e.svc.ApproveAndPublish(e.ilC, v.ID))
		got = e.find(t, v.ID)
		if got.State != domain.TermsPublished || got.ApprovedBy != e.ilze.ID || !near(got.PublishedAt, e.h.Now()) {
			t.Errorf("published: %s by %d at %v", got.State, got.ApprovedBy, got.PublishedAt)
		}
		in, err := e.svc.TermsInForce(e.janisC)
		must(t, "in force", err)
		if in.ID != v.ID || in.Text != "1. Precizēts punkts." {
			t.Errorf("in force: #%d %q", in.ID, in.Text)
		}
		wantErr(t, "publish again", e.svc.ApproveAndPublish(e.ilC, v.ID), domain.ECONFLICT, "terms.not_submitted")
		wantErr(t, "no such version", e.svc.ApproveAndPublish(e.ilC, v.ID+1000), domain.ENOTFOUND, "terms.not_found")
		news, err := e.h.Announcements().ListAnnouncements(e.janisC)
		must(t, "announcements", err)
		if !slices.ContainsFunc(news, func(a *domain.Announcement) bool {
			return a.TermsVersion == v.ID && a.Kind == domain.AnnouncementNews && a.State == domain.AnnouncementPublished &&
				a.Title == domain.TermsAnnouncementTitle("2026-1") && a.Body == "Pirmā redakcija."
		}) {
			t.Errorf("no news of the published version among %d announcements", len(news))
		}

		// A draft whose text is the text in force is refused.
		same := e.draft(t, e.janisC, "2026-2", "1. Precizēts punkts.", "Nekas")
		wantErr(t, "unchanged", e.svc.SubmitTermsDraft(e.janisC, same.ID, same.Version), domain.EINVALID, "terms.unchanged")
	})

	run("Publish_SupersedesTheVersionInForce_OrFindsItChanged", func(t *testing.T, e *termsEnv) {
		first := e.submitted(t, e.janisC, "2026-1", "1. Punkts.")
		must(t, "publish the first", e.svc.ApproveAndPublish(e.annaC, first.ID))
		a := e.submitted(t, e.janisC, "2026-2", "1. Punkts A.")
		b := e.submitted(t, e.janisC, "2026-3", "1. Punkts B.")
		must(t, "publish a", e.svc.ApproveAndPublish(e.annaC, a.ID))
		if got := e.find(t, first.ID); got.State != domain.TermsSuperseded {
			t.Errorf("the first is %s after the next was published", got.State)
		}
		wantErr(t, "publish b on the old base", e.svc.ApproveAndPublish(e.annaC, b.ID), domain.ECONFLICT, "terms.published_meanwhile")
		// Returned and rebased onto the version now in force, it goes.
		must(t, "return b", e.svc.ReturnTermsDraft(e.annaC, b.ID, "Jāpārbāza uz 2026-2"))
		b = e.find(t, b.ID)
		b.BasedOn = a.ID
		must(t, "rebase b", e.svc.SaveTermsDraft(e.janisC, b))
		if b.BasedOn != a.ID {
			t.Errorf("rebased onto %d, want %d", b.BasedOn, a.ID)
		}
		must(t, "resubmit b", e.svc.SubmitTermsDraft(e.janisC, b.ID, b.Version))
		must(t, "publish b", e.svc.ApproveAndPublish(e.ilC, b.ID))
	})

	run("Lists_FindAndAcceptance", func(t *testing.T, e *termsEnv) {
		a := e.submitted(t, e.janisC, "2026-1", "1. Punkts.")
		must(t, "publish", e.svc.ApproveAndPublish(e.annaC, a.ID))
		b := e.draft(t, e.janisC, "2026-2", "2. Punkts.", "")
		list, err := e.svc.ListTermsVersions(e.janisC)
		must(t, "list", err)
		if len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID || list[0].Text != "" || list[1].Text != "" {
			t.Errorf("the list, newest first and without texts: %+v", list)
		}
		_, err = e.svc.FindTermsVersion(e.janisC, b.ID+1000)
		wantErr(t, "no such version", err, domain.ENOTFOUND, "terms.not_found")

		acc, err := e.svc.TermsAcceptance(e.janisC, a.ID)
		must(t, "acceptance", err)
		if acc.VersionID != a.ID || acc.Users != 0 || acc.Accepted != 0 || len(acc.ByRole) != len(domain.AnnouncementAudiences) {
			t.Errorf("acceptance without users: %+v", acc)
		}
		for i, rc := range acc.ByRole {
			if i < len(domain.AnnouncementAudiences) && rc.Role != string(domain.AnnouncementAudiences[i]) {
				t.Errorf("role %d: %s, want %s", i, rc.Role, domain.AnnouncementAudiences[i])
			}
		}
		_, err = e.svc.TermsAcceptance(e.janisC, b.ID+1000)
		wantErr(t, "acceptance of no version", err, domain.ENOTFOUND, "terms.not_found")
		pending, err := e.svc.PendingAcceptances(e.janisC, 0, 10)
		must(t, "pending", err)
		if len(pending) != 0 {
			t.Errorf("pending without users: %d", len(pending))
		}
	})
}
