package imk_test

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"

	"github.com/viaa/ppp/tui/internal/tuitest"
)

// TestIMK_Evidence_InTheOperatorsLanguage proves that a rule's evidence is
// worded from the catalogs in the session's language (domain gives a key
// and arguments, not English prose), with the count declined and a
// register named in the operator's words; and that the prose of an
// evaluation stored before evidence had keys is still shown.
func TestIMK_Evidence_InTheOperatorsLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang        string
		stale, zero []string
		absent      []string
	}{
		{"lv",
			[]string{"pierādījums: 2025-03-01: 59 gadi (dzimšanas datums 1965-05-18)",
				"pierādījums: deklarētā dzīvesvieta Latvijā (Rīga)",
				"pierādījums: Valsts ieņēmumu dienests (VID): dati novecojuši (iegūti 2024-08-15)",
				"pierādījums: 59, vismaz 45", "pierādījums: augstākais LKI 6 > 3", "pierādījums: persona ir dzīva"},
			[]string{"pierādījums: 2025-03-03 nav nodarbinātības (VID zina 0 periodu)", "pierādījums: population did not answer"},
			[]string{"born", "declared residence", "stale", "at least", "highest"}},
		{"en",
			[]string{"evidence: born 1965-05-18: 59 on 2025-03-01", "evidence: declared residence in Latvia (Rīga)",
				"evidence: State Revenue Service (VID): the data is stale (fetched 2024-08-15)",
				"evidence: 59, at least 45", "evidence: highest LKI 6 > 3", "evidence: alive"},
			[]string{"evidence: no employment on 2025-03-03 (0 periods known)", "evidence: population did not answer"},
			[]string{"dzimšanas", "dzīvesvieta", "novecojuši", "vismaz", "augstākais"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			e := newEnv(t)
			m := e.model(t, e.reviewer, lang(tc.lang), size(120, 60))
			openQueue(t, m)
			openApp(t, m, idStale)
			tuitest.MustShow(t, m, tc.stale...)
			tuitest.MustNotShow(t, m, tc.absent...)

			tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
			openApp(t, m, idOutage)
			tuitest.MustShow(t, m, tc.zero...)
		})
	}
}

// TestIMK_ReviewBecauseRegistersFailed_ReadsInTheOperatorsLanguage proves
// that the reason for review the checker gives when it could not keep the
// registers' answers is worded from the catalog, not shown as its code.
func TestIMK_ReviewBecauseRegistersFailed_ReadsInTheOperatorsLanguage(t *testing.T) {
	for l, want := range map[string]string{"lv": "reģistru dati nav iegūti", "en": "register data not fetched"} {
		e := newEnv(t)
		e.imk.Add(&domain.IMKApplication{ID: 9, PersonalCode: "32550128526", FirstName: "Rasma", LastName: "Kļava", Version: 1,
			AppliedAt: fixedNow.Add(-time.Hour), Evaluation: &domain.Evaluation{PolicyID: 3, CheckDate: fixedNow,
				Outcome: domain.OutcomeNeedsReview, ReviewWhy: []string{domain.ReviewRegisters}}})
		m := e.model(t, e.reviewer, lang(l), size(120, 40))
		openQueue(t, m)
		tuitest.MustShow(t, m, "Rasma Kļava", want)
	}
}

// GDPR Art. 22: an application the person sent back for review shows,
// before the reviewer decides again, what they contest — the automatic
// decision, its rule in words, when and how they asked — and their own
// words drawn plain.
func TestIMK_ContestedDecision_ShownWithThePersonsWords(t *testing.T) {
	for l, want := range map[string][]string{
		"lv": {"Persona lūdz pārskatīt automātisko lēmumu", "portālā", "noraidīts", "deklarētā dzīvesvieta Latvijā", "Dzīvoju Rīgā."},
		"en": {"The person asks for a review of the automatic decision", "on the portal", "rejected", "declared residence in Latvia", "Dzīvoju Rīgā."},
	} {
		e := newEnv(t)
		e.imk.Add(&domain.IMKApplication{ID: 9, PersonalCode: "32550128526", FirstName: "Rasma", LastName: "Kļava", Version: 1,
			State: domain.IMKNeedsReview, AppliedAt: fixedNow.Add(-48 * time.Hour),
			Evaluation: &domain.Evaluation{PolicyID: 3, CheckDate: fixedNow, Outcome: domain.OutcomeNeedsReview,
				ReviewWhy: []string{domain.ReviewPersonAsked}},
			Contest: &domain.IMKContest{RequestedAt: fixedNow.Add(-time.Hour), Channel: "portal", Message: "Dzīvoju Rīgā.\x1b[2J",
				DecidedState: domain.IMKRejected, DecidedAt: fixedNow.Add(-47 * time.Hour), Reason: "imk.rule.residence"}})
		m := e.model(t, e.reviewer, lang(l), size(120, 60))
		openQueue(t, m)
		openApp(t, m, 9)
		tuitest.MustShow(t, m, want...)
		tuitest.MustNotShow(t, m, "imk.rule.residence", "\x1b[2J")
	}
}
