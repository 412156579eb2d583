package i18n

// The reviewers' IMK screen (package tui/pages/imk): the queue of
// individual learning account (IMK) applications whose target-group
// eligibility check (¶26.4) needs a person, each rule's verdict with its
// evidence, source register and fetch time, and the decision. Keys start
// with "tui.imk.". The words are the brief's and the terms of use's own:
// individuālais mācību konts, mērķa grupas atbilstības pārbaude,
// Fizisko personu reģistrs, VID, VIIS, apstiprināt, noraidīt.
func init() {
	register(map[string][2]string{
		"tui.tab.imk": {"IMK", "IMK"},

		"tui.imk.reviewer_only": {"Šis ekrāns ir pieejams pieteikumu izskatītājiem.", "Only reviewers can use this screen."},

		"tui.imk.search":        {"Meklēt", "Search"},
		"tui.imk.hint.search":   {"vārds, uzvārds vai viss personas kods", "name, surname or whole personal code"},
		"tui.imk.none":          {"Neviens individuālā mācību konta (IMK) pieteikums negaida pārbaudi.", "No individual learning account (IMK) application awaits review."},
		"tui.imk.queue_title":   {"Mērķa grupas atbilstības pārbaude — izskatāmie IMK pieteikumi", "Target-group eligibility check — IMK applications to review"},
		"tui.imk.col.applicant": {"Pieteicējs", "Applicant"},
		"tui.imk.col.code":      {"Personas kods", "Personal code"},
		"tui.imk.col.why":       {"Iemesls", "Reason"},
		"tui.imk.col.age":       {"Gaida", "Waiting"},
		"tui.imk.col.holder":    {"Izskata", "Held by"},

		"tui.imk.state.applied":      {"pieteikts", "applied"},
		"tui.imk.state.checking":     {"pārbauda", "checking"},
		"tui.imk.state.needs_review": {"jāizskata", "needs review"},
		"tui.imk.state.approved":     {"apstiprināts", "approved"},
		"tui.imk.state.rejected":     {"noraidīts", "rejected"},
		"tui.imk.state.suspended":    {"apturēts", "suspended"},
		"tui.imk.state.closed":       {"slēgts", "closed"},

		"tui.imk.rule.alive":        {"persona ir dzīva", "the person is alive"},
		"tui.imk.rule.age":          {"vecums", "age"},
		"tui.imk.rule.residence":    {"deklarētā dzīvesvieta Latvijā", "declared residence in Latvia"},
		"tui.imk.rule.employment":   {"nodarbinātība vai pašnodarbinātība", "employment or self-employment"},
		"tui.imk.rule.no_other_imk": {"nav cita aktīva IMK", "no other active IMK"},
		"tui.imk.rule.studying":     {"pašreizējās studijas", "current studies"},
		"tui.imk.rule.priority_lki": {"prioritāte: izglītība LKI ≤ 3", "priority: education LKI ≤ 3"},
		"tui.imk.rule.priority_age": {"prioritāte: vecums 45+", "priority: age 45+"},
		"tui.imk.rule.registers":    {"reģistru dati nav iegūti", "register data not fetched"},

		"tui.imk.verdict.pass":    {"atbilst", "pass"},
		"tui.imk.verdict.fail":    {"neatbilst", "fail"},
		"tui.imk.verdict.unknown": {"nav zināms", "unknown"},

		"tui.imk.register.population": {"Fizisko personu reģistrs", "Population Register"},
		"tui.imk.register.revenue":    {"VID", "State Revenue Service (VID)"},
		"tui.imk.register.education":  {"VIIS", "VIIS"},

		"tui.imk.outcome.eligible":     {"atbilst mērķa grupai", "eligible"},
		"tui.imk.outcome.not_eligible": {"neatbilst mērķa grupai", "not eligible"},
		"tui.imk.outcome.needs_review": {"jāizskata", "needs review"},

		"tui.imk.detail.title":      {"IMK pieteikums #%d — %s", "IMK application #%d — %s"},
		"tui.imk.claim.yours":       {"Jūs izskatāt šo pieteikumu (līdz %s).", "You hold this application (until %s)."},
		"tui.imk.claim.other":       {"Izskata %s — tikai apskatei.", "Held by %s — view only."},
		"tui.imk.claim.free":        {"Neviens to neizskata.", "Nobody holds it."},
		"tui.imk.sec.applicant":     {"Pieteicējs", "Applicant"},
		"tui.imk.sec.check":         {"Mērķa grupas atbilstības pārbaude", "Target-group eligibility check"},
		"tui.imk.sec.decision":      {"Lēmums", "Decision"},
		"tui.imk.f.name":            {"Vārds, uzvārds", "Name"},
		"tui.imk.f.code":            {"Personas kods", "Personal code"},
		"tui.imk.f.email":           {"E-pasts", "E-mail"},
		"tui.imk.f.applied":         {"Pieteikts", "Applied"},
		"tui.imk.f.state":           {"Stāvoklis", "State"},
		"tui.imk.f.policy":          {"Politikas versija", "Policy version"},
		"tui.imk.f.check_date":      {"Pārbaudes datums", "Check date"},
		"tui.imk.f.outcome":         {"Rezultāts", "Outcome"},
		"tui.imk.f.why":             {"Jāizskata, jo", "Needs review because"},
		"tui.imk.f.priority":        {"Prioritāte", "Priority"},
		"tui.imk.f.decided":         {"Lēma", "Decided"},
		"tui.imk.f.reason":          {"Pamatojums", "Reason"},
		"tui.imk.policy":            {"#%d", "#%d"},
		"tui.imk.priority.yes":      {"jā — %s", "yes — %s"},
		"tui.imk.priority.yes_bare": {"jā", "yes"},
		"tui.imk.priority.no":       {"nē", "no"},
		"tui.imk.no_evaluation":     {"Pārbaude vēl nav veikta.", "Not checked yet."},
		"tui.imk.evidence":          {"pierādījums: %s", "evidence: %s"},
		"tui.imk.fetched":           {"%s · iegūts %s (%s)", "%s · fetched %s (%s)"},
		"tui.imk.not_fetched":       {"%s · nav iegūts", "%s · not fetched"},
		"tui.imk.ago":               {"pirms %s", "%s ago"},
		"tui.imk.applied_ago":       {"%s (pirms %s)", "%s (%s ago)"},
		"tui.imk.decided_by":        {"%s, %s", "%s, %s"},
		"tui.imk.code_masked":       {"%s (v — parādīt ar pamatojumu)", "%s (v — reveal with a reason)"},
		"tui.imk.code_revealed":     {"%s (parādīts, ierakstīts auditā)", "%s (revealed, recorded in the audit log)"},

		"tui.imk.key.refetch":  {"iegūt vēlreiz", "fetch again"},
		"tui.imk.key.approve":  {"apstiprināt", "approve"},
		"tui.imk.key.reject":   {"noraidīt", "reject"},
		"tui.imk.key.reveal":   {"parādīt personas kodu", "reveal the personal code"},
		"tui.imk.short.reveal": {"kods", "code"},

		"tui.imk.approve_title":   {"Apstiprināt IMK #%d — %s", "Approve IMK #%d — %s"},
		"tui.imk.reject_title":    {"Noraidīt IMK #%d — %s", "Reject IMK #%d — %s"},
		"tui.imk.reveal_title":    {"Parādīt personas kodu — IMK #%d", "Reveal the personal code — IMK #%d"},
		"tui.imk.field.reason":    {"Pamatojums", "Reason"},
		"tui.imk.hint.reason":     {"kāpēc tā lemjat", "why you decide so"},
		"tui.imk.hint.reveal":     {"kāpēc jāredz pilns kods (ierakstīts auditā)", "why the full code is needed (audited)"},
		"tui.imk.reason_required": {"Norādiet pamatojumu.", "Give a reason."},
		"tui.imk.approve_confirm": {"Apstiprināt individuālo mācību kontu #%d (%s)? Pamatojums: %s. Klientam tiks nosūtīts e-pasts.", "Approve individual learning account #%d (%s)? Reason: %s. The client will be told by e-mail."},
		"tui.imk.confirm_keys":    {"enter — apstiprināt · esc — atpakaļ uz formu", "enter — approve · esc — back to the form"},

		"tui.imk.claimed":    {"Pieteikums #%d ir jūsu izskatīšanā.", "Application #%d is yours."},
		"tui.imk.approved":   {"IMK #%d apstiprināts.", "IMK #%d approved."},
		"tui.imk.rejected":   {"IMK #%d noraidīts.", "IMK #%d rejected."},
		"tui.imk.refetched":  {"Dati iegūti vēlreiz un pārbaudīti: %s.", "Fetched again and re-checked: %s."},
		"tui.imk.refetching": {"Iegūst datus no reģistriem…", "Fetching from the registers…"},
		"tui.imk.revealed":   {"Personas kods parādīts; skatījums ierakstīts auditā.", "Personal code shown; the look is recorded in the audit log."},

		"tui.imk.held_by":          {"Pieteikumu #%d izskata %s.", "Application #%d is held by %s."},
		"tui.imk.claim_lost":       {"Pieteikumu #%d vairs neizskatāt jūs: to izskata %s.", "You no longer hold application #%d: %s does."},
		"tui.imk.conflict.changed": {"Pieteikums pa to laiku mainījās (piemēram, dati iegūti vēlreiz); pārskatiet to un lemiet vēlreiz.", "The application changed meanwhile (e.g. fetched again); look at it again and decide again."},
		"tui.imk.why.not_claimed":  {"Vispirms paņemiet pieteikumu izskatīšanā (c).", "Claim the application first (c)."},
	})
}
