package contracttest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// AuditHarness is an implementation of domain.AuditService with what the
// suite needs around it. The log may hold entries the harness's own work
// wrote (making operators); the suite looks at its own through filters.
type AuditHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.AuditService
}

// auditEnv is one run of the suite: a fresh harness, two reviewers who
// record entries and a security officer who searches.
type auditEnv struct {
	h                    AuditHarness
	svc                  domain.AuditService
	ilze, anna, laura    *domain.Operator
	ilzeC, annaC, lauraC context.Context
}

// RunAuditService runs the audit log's suite, each test on a harness of
// its own from newHarness.
func RunAuditService(t *testing.T, newHarness func(t *testing.T) AuditHarness) {
	run := func(name string, f func(t *testing.T, e *auditEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &auditEnv{h: h, svc: h.Service()}
			e.ilze = h.Operator(t, "ilze.berzina", "Ilze Bērziņa", "ilze.berzina@viaa.gov.lv", domain.RoleReviewer)
			e.anna = h.Operator(t, "anna.kalnina", "Anna Kalniņa", "anna.kalnina@viaa.gov.lv", domain.RoleReviewer)
			e.laura = h.Operator(t, "laura.liepa", "Laura Liepa", "laura.liepa@viaa.gov.lv", domain.RoleSecurity)
			e.ilzeC, e.annaC, e.lauraC = As(t, e.ilze, "s-ilze"), As(t, e.anna, "s-anna"), As(t, e.laura, "s-laura")
			f(t, e)
		})
	}

	run("Record_TheActorFromTheContext_CodesMasked", func(t *testing.T, e *auditEnv) {
		err := e.svc.RecordAudit(e.ilzeC, &domain.AuditEntry{Action: "  "})
		wantErr(t, "no action", err, domain.EINVALID, "audit.no_action")

		code := PersonalCode(1234)
		entry := &domain.AuditEntry{Action: domain.AuditPersonalDataReveal, ActorID: e.anna.ID, ActorName: "anna.kalnina",
			SessionID: "svešā", SubjectKind: "role_request", SubjectID: "42",
			Reason: "Zvans no " + code + "\x00", Details: "lauks\x1fkods"}
		must(t, "record", e.svc.RecordAudit(e.ilzeC, entry))
		if entry.Seq == 0 || entry.ActorID != e.ilze.ID || entry.ActorName != "ilze.berzina" || entry.SessionID != "s-ilze" ||
			!near(entry.At, e.h.Now()) || len(entry.Hash) != 64 {
			t.Errorf("the entry recorded: %+v", entry)
		}
		masked := domain.MaskPersonalCode(code)
		found, err := e.svc.SearchAudit(e.lauraC, domain.AuditFilter{Actor: "ilze.berzina"})
		must(t, "search", err)
		if len(found) != 1 || found[0].Seq != entry.Seq || found[0].Reason != "Zvans no "+masked ||
			found[0].Details != "lauks kods" || found[0].SubjectKind != "role_request" || found[0].SubjectID != "42" ||
			found[0].Action != domain.AuditPersonalDataReveal {
			t.Errorf("found: %+v (want the reason %q)", found, "Zvans no "+masked)
		}
		v, err := e.svc.VerifyAudit(e.lauraC)
		must(t, "verify", err)
		all, err := e.svc.SearchAudit(e.lauraC, domain.AuditFilter{Limit: domain.PageMax})
		must(t, "search all", err)
		if !v.OK || v.Entries != int64(len(all)) || v.HeadHash != all[0].Hash || all[0].Seq != entry.Seq {
			t.Errorf("verification %+v of %d entries, the newest %+v", v, len(all), all[0])
		}
	})

	run("Search_Filters_NewestFirst_Pages", func(t *testing.T, e *auditEnv) {
		start := e.h.Now()
		var seqs []int64 // oldest first
		record := func(ctx context.Context, action, kind, id, reason string) {
			t.Helper()
			x := &domain.AuditEntry{Action: action, SubjectKind: kind, SubjectID: id, Reason: reason}
			must(t, "record "+action, e.svc.RecordAudit(ctx, x))
			seqs = append(seqs, x.Seq)
			e.h.Advance(time.Minute)
		}
		record(e.ilzeC, domain.AuditPersonalDataReveal, "role_request", "1", "Zvans par pieteikumu")
		record(e.ilzeC, domain.AuditRoleRequestApprove, "role_request", "1", "Viss kārtībā")
		record(e.annaC, domain.AuditRoleRequestReject, "role_request", "2", "Nav pilnvaras")
		record(e.annaC, domain.AuditPersonalDataReveal, "imk_application", "1", "Pārbaude pēc ZVANA")
		record(e.ilzeC, domain.AuditIMKClaim, "imk_application", "2", "")
		ours := func(found []*domain.AuditEntry) []int64 {
			var out []int64
			for _, x := range found {
				if slices.Contains(seqs, x.Seq) {
					out = append(out, x.Seq)
				}
			}
			return out
		}
		for _, tc := range []struct {
			what string
			f    domain.AuditFilter
			want []int // indexes into seqs, newest first
		}{
			{"an actor", domain.AuditFilter{Actor: "anna.kalnina"}, []int{3, 2}},
			{"an action prefix", domain.AuditFilter{Action: domain.AuditActionFamily(domain.AuditRoleRequestApprove)}, []int{2, 1}},
			{"an action", domain.AuditFilter{Action: domain.AuditPersonalDataReveal}, []int{3, 0}},
			{"a kind of subject", domain.AuditFilter{SubjectKind: "imk_application"}, []int{4, 3}},
			{"one subject", domain.AuditFilter{SubjectKind: "role_request", SubjectID: "1"}, []int{1, 0}},
			{"text in any case", domain.AuditFilter{Text: " zvan "}, []int{3, 0}},
			{"text and an actor", domain.AuditFilter{Text: "zvan", Actor: "ilze.berzina"}, []int{0}},
			{"text in the action", domain.AuditFilter{Text: "imk.cla"}, []int{4}},
			{"since, inclusive", domain.AuditFilter{Since: start.Add(3 * time.Minute), Actor: "anna.kalnina"}, []int{3}},
			{"until, exclusive", domain.AuditFilter{Until: start.Add(time.Minute), SubjectKind: "role_request"}, []int{0}},
			{"a page after the newest", domain.AuditFilter{BeforeSeq: seqs[4], Actor: "ilze.berzina", Limit: 1}, []int{1}},
			{"nothing", domain.AuditFilter{Actor: "nav.tada"}, nil},
		} {
			found, err := e.svc.SearchAudit(e.lauraC, tc.f)
			must(t, tc.what, err)
			var want []int64
			for _, i := range tc.want {
				want = append(want, seqs[i])
			}
			if got := ours(found); !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", tc.what, got, want)
			}
		}
		all, err := e.svc.SearchAudit(e.lauraC, domain.AuditFilter{Limit: 2})
		must(t, "a page of two", err)
		if len(all) != 2 || all[0].Seq != seqs[4] || all[1].Seq != seqs[3] {
			t.Errorf("the newest two: %+v", all)
		}

		_, err = e.svc.SearchAudit(e.lauraC, domain.AuditFilter{Text: " zv "})
		wantErr(t, "a short text", err, domain.EINVALID, "audit.search_short")
		code := PersonalCode(77)
		mistyped := code[:11] + string(rune('0'+(code[11]-'0'+1)%10))
		_, err = e.svc.SearchAudit(e.lauraC, domain.AuditFilter{Text: mistyped})
		wantErr(t, "a mistyped whole code", err, domain.EINVALID, "personal_code.checksum")
	})
}
