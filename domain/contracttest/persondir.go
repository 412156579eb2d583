package contracttest

import (
	"context"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
)

// PersonSeed is a person as the Platform leaves them: a Platform account
// with a personal code, a name and an e-mail address, and as many
// sign-ins the portal reported.
type PersonSeed struct {
	Code      string // DDMMYY-NNNNN
	FirstName string
	LastName  string
	Email     string
	SignIns   int // one an hour back from now
}

// PersonHarness is an implementation of domain.PersonDirectory with what
// the suite needs around it.
type PersonHarness interface {
	Clock
	Staff
	Looks
	// Service returns the implementation under test.
	Service() domain.PersonDirectory
	// SeedPerson stores a person and returns their id.
	SeedPerson(t *testing.T, s PersonSeed) int64
}

type personEnv struct {
	h      PersonHarness
	svc    domain.PersonDirectory
	ilze   *domain.Operator
	ilzeC  context.Context
	janis  int64
	code   string
	kalnin int64
}

// RunPersonDirectory runs the people directory's suite (issue 17), each
// test on a harness of its own from newHarness.
func RunPersonDirectory(t *testing.T, newHarness func(t *testing.T) PersonHarness) {
	run := func(name string, f func(t *testing.T, e *personEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &personEnv{h: h, svc: h.Service(), code: PersonalCode(4242)}
			e.ilze = h.Operator(t, "ilze.berzina", "Ilze Bērziņa", "ilze.berzina@viaa.gov.lv", domain.RoleHelpdesk)
			e.ilzeC = As(t, e.ilze, "s-ilze")
			e.janis = h.SeedPerson(t, PersonSeed{Code: e.code, FirstName: "Jānis", LastName: "Bērziņš",
				Email: "Janis.Berzins@example.lv", SignIns: 25})
			e.kalnin = h.SeedPerson(t, PersonSeed{Code: PersonalCode(4243), FirstName: "Jānis", LastName: "Kalniņš",
				Email: "janis.kalnins@example.lv"})
			f(t, e)
		})
	}

	run("Search_WholeCodeEitherForm_MaskedAndCounted", func(t *testing.T, e *personEnv) {
		for i, q := range []string{e.code, strings.ReplaceAll(e.code, "-", "")} {
			got, err := e.svc.SearchPersons(e.ilzeC, q)
			must(t, "search by code", err)
			if len(got) != 1 || got[0].PersonID != e.janis || got[0].MaskedCode != e.code[:6]+"-*****" {
				t.Fatalf("search %d = %+v, want Jānis with his code masked", i, got)
			}
			if n := e.h.Views(t, e.ilze); n != i+1 {
				t.Errorf("views after %d searches by code = %d", i+1, n)
			}
		}
	})

	run("Search_PartOfACode_Refused", func(t *testing.T, e *personEnv) {
		_, err := e.svc.SearchPersons(e.ilzeC, e.code[:9])
		wantErr(t, "search.whole_code", err, domain.EINVALID, "search.whole_code")
		_, err = e.svc.SearchPersons(e.ilzeC, "j")
		wantErr(t, "person.query_short", err, domain.EINVALID, "person.query_short")
	})

	run("Search_NamePrefixFolded_EmailWhole", func(t *testing.T, e *personEnv) {
		got, err := e.svc.SearchPersons(e.ilzeC, "BERZ")
		must(t, "search by name", err)
		if len(got) != 1 || got[0].PersonID != e.janis || !got[0].HasAccount {
			t.Errorf("berz = %+v", got)
		}
		got, err = e.svc.SearchPersons(e.ilzeC, "jānis")
		must(t, "search by first name", err)
		if len(got) != 2 {
			t.Errorf("jānis = %d persons, want 2", len(got))
		} else if got[0].UserID == 0 || got[1].UserID == 0 || got[0].UserID == got[1].UserID {
			// Each match names its own account, for bulk actions on them.
			t.Errorf("jānis = accounts %d and %d, want each person's own", got[0].UserID, got[1].UserID)
		}
		got, err = e.svc.SearchPersons(e.ilzeC, "JANIS.BERZINS@EXAMPLE.LV")
		must(t, "search by e-mail", err)
		if len(got) != 1 || got[0].PersonID != e.janis {
			t.Errorf("e-mail = %+v", got)
		}
		got, err = e.svc.SearchPersons(e.ilzeC, "janis.berzins@example")
		must(t, "search by part of an address", err)
		if len(got) != 0 {
			t.Errorf("part of an address found %d", len(got))
		}
		if n := e.h.Views(t, e.ilze); n != 0 {
			t.Errorf("searches by name and e-mail counted %d views", n)
		}
	})

	run("Open_CountsALookUp_SectionsPageOn", func(t *testing.T, e *personEnv) {
		page, err := e.svc.OpenPerson(e.ilzeC, e.janis)
		must(t, "open", err)
		if n := e.h.Views(t, e.ilze); n != 1 {
			t.Errorf("views after opening = %d, want 1", n)
		}
		if page.Identity.MaskedCode != e.code[:6]+"-*****" || page.Account == nil {
			t.Errorf("identity %+v account %+v", page.Identity, page.Account)
		}
		for _, s := range domain.PersonSections {
			if page.Sections[s] == nil {
				t.Errorf("section %s missing", s)
			}
		}
		si := page.Sections[domain.PersonSignIns]
		if si.Count != 25 || len(si.Entries) != domain.PersonSectionPageSize {
			t.Fatalf("sign-ins %d of %d", len(si.Entries), si.Count)
		}
		next, err := e.svc.PersonSectionAfter(e.ilzeC, e.janis, domain.PersonSignIns, domain.CursorAfter(si.Entries[len(si.Entries)-1]))
		must(t, "next page", err)
		if len(next.Entries) != 25-domain.PersonSectionPageSize || next.Count != 25 ||
			!next.Entries[0].At.Before(si.Entries[len(si.Entries)-1].At) {
			t.Errorf("next page %d of %d", len(next.Entries), next.Count)
		}
		if n := e.h.Views(t, e.ilze); n != 1 {
			t.Errorf("paging counted a look-up: %d", n)
		}
		_, err = e.svc.PersonSectionAfter(e.ilzeC, e.janis, "nope", domain.PersonCursor{})
		wantErr(t, "person.bad_section", err, domain.EINVALID, "person.bad_section")
		_, err = e.svc.OpenPerson(e.ilzeC, e.janis+e.kalnin+1000)
		wantErr(t, "person.not_found", err, domain.ENOTFOUND, "person.not_found")
	})

	run("Reveal_NeedsAReason_Recorded", func(t *testing.T, e *personEnv) {
		_, err := e.svc.RevealPersonCode(e.ilzeC, e.janis, "  ")
		wantErr(t, "reveal.reason_required", err, domain.EINVALID, "reveal.reason_required")
		code, err := e.svc.RevealPersonCode(e.ilzeC, e.janis, "ticket 42")
		must(t, "reveal", err)
		if code != e.code {
			t.Errorf("revealed %q, want %q", code, e.code)
		}
		if n := e.h.Reveals(t, e.ilze); n != 1 {
			t.Errorf("reveals = %d, want 1", n)
		}
	})
}
