package i18n

import (
	"strings"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/plain"
)

// Messages of issue 16's IMK rules (¶26.4, GDPR Art. 22): automatic
// rejection per rule, the priority's three states and how its rules
// combine, the rules and register data an automatic decision's mail
// states, and a person's request for a human review.
func init() {
	register(map[string][2]string{
		"imk.policy_priority_combine": {"prioritātes noteikumus var apvienot tikai ar „vai” (or) vai „un” (and)", "the priority rules combine only by \"or\" or \"and\""},
		"imk.policy_auto_reject":      {"automātiski noraidīt var tikai pēc atbilstības noteikumiem (alive, age, residence, employment, no_other_imk, studying)", "only eligibility rules can reject automatically (alive, age, residence, employment, no_other_imk, studying)"},

		// One line of an automatic decision's mail: the rule, its
		// evidence, the register and as of when.
		"imk.mail.rule_line":     {"– %s: %s (%s, dati uz %s)", "– %s: %s (%s, data as of %s)"},
		"imk.mail.rule_line_own": {"– %s: %s (Platformas dati)", "– %s: %s (the Platform's data)"},

		"imk.review_not_automatic":   {"Cilvēka pārskatīšanu var lūgt tikai automātiski pieņemtam lēmumam, un tikai vienreiz.", "A person's review can be asked only of an automatic decision, and only once."},
		"imk.review_message_invalid": {"ziņa ir pārāk gara vai satur nederīgas rakstzīmes", "the message is too long or holds characters that cannot be shown"},

		"tui.imk.rule.person_asked": {"persona lūdz cilvēka pārskatīšanu", "person asked for review"},
		"tui.imk.priority.unknown":  {"nav zināms (trūkst reģistru datu)", "unknown (register data missing)"},

		"tui.pol.rule.priority_combine": {"LKI un vecuma prioritāti apvieno ar", "LKI and age priority combine by"},
		"tui.pol.rule.auto_reject":      {"Automātiski noraida pēc", "Rejects automatically on"},
		"tui.pol.rule.manual":           {"Neatbilstību izskata cilvēks", "Failures a person reviews"},
		"tui.pol.manual_none":           {"nevienu", "none"},
		"tui.pol.short.alive":           {"miris", "deceased"},
		"tui.pol.short.age":             {"vecums", "age"},
		"tui.pol.short.residence":       {"dzīvesvieta", "residence"},
		"tui.pol.short.employment":      {"nodarb.", "employment"},
		"tui.pol.short.no_other_imk":    {"cits IMK", "other IMK"},
		"tui.pol.short.studying":        {"studijas", "studying"},
		"tui.pol.combine.or":            {"vai (viena pietiek)", "or (either)"},
		"tui.pol.combine.and":           {"un (abām jāizpildās)", "and (both)"},
		"tui.pol.auto_reject_none":      {"neviena (visu izskata cilvēks)", "none (a person reviews all)"},
		"tui.pol.key.draft":             {"jauns melnraksts", "new draft"},
		"tui.pol.key.save_draft":        {"saglabāt melnrakstu", "save the draft"},
		"tui.pol.f.name":                {"Nosaukums", "Name"},
		"tui.pol.draft_intro":           {"Jauns melnraksts no versijas %d: pārējās vērtības paliek tās pašas (tās maina ppp imk policy draft). Melnrakstu apstiprina cits redaktors vai administrators.", "A new draft from version %d: every other value stays (ppp imk policy draft changes them). Another editor or administrator approves the draft."},
		"tui.pol.drafted":               {"Izveidots melnraksts: versija %d.", "Draft created: version %d."},

		"cli.imk_policy.show_rules": {"Prioritāti apvieno ar: %s\nAutomātiski noraida pēc: %s", "Priority combines by: %s\nRejects automatically on: %s"},
		"cli.imk_policy.bad_rule":   {"Nezināms noteikums %q: --auto-reject pieņem alive, age, residence, employment, no_other_imk, studying (ar komatiem) vai none.", "Unknown rule %q: --auto-reject takes alive, age, residence, employment, no_other_imk, studying (comma-separated) or none."},
	})
}

// IMKDecisionRules words, one line each, the rules that decided an
// automatic IMK decision for its mail (GDPR Art. 22): the rule's name, its
// evidence, and the register it came from with the date of its data. The
// register's text is drawn plain.
func (c Catalog) IMKDecisionRules(rules []domain.RuleResult) string {
	lines := make([]string, 0, len(rules))
	for _, r := range rules {
		name := c.T("tui.imk.rule." + r.Rule)
		ev := plain.Show(c.Evidence(r.Evidence))
		if r.Source == "" || r.FetchedAt.IsZero() {
			lines = append(lines, c.T("imk.mail.rule_line_own", name, ev))
			continue
		}
		lines = append(lines, c.T("imk.mail.rule_line", name, ev, c.T("imk.register."+string(r.Source)),
			r.FetchedAt.In(domain.AgencyZone).Format("2006-01-02 15:04")))
	}
	return strings.Join(lines, "\n")
}
