package i18n

import "github.com/viaa/ppp/domain"

// The evidence of the IMK target-group check's rules (domain.Evaluate): a
// key per reason, with the arguments Evaluate gives it. Dates come as
// YYYY-MM-DD, registers by their names ("imk.register." + register).
func init() {
	register(map[string][2]string{
		"imk.ev.no_data":             {"%s: nav datu", "no data from %s"},
		"imk.ev.no_answer":           {"%s: neatbildēja", "%s did not answer"},
		"imk.ev.not_found":           {"%s: persona nav atrasta", "%s does not know the person"},
		"imk.ev.stale":               {"%s: dati novecojuši (iegūti %s)", "%s: the data is stale (fetched %s)"},
		"imk.ev.empty":               {"%s: atbilde ir tukša", "%s: the answer is empty"},
		"imk.ev.no_birth_date":       {"Fizisko personu reģistrā nav dzimšanas datuma", "no birth date in the Population Register"},
		"imk.ev.birth_contradicts":   {"dzimšanas datums neatbilst personas kodam", "the birth date contradicts the personal code"},
		"imk.ev.deceased":            {"miršanas datums %s", "deceased on %s"},
		"imk.ev.alive":               {"persona ir dzīva", "alive"},
		"imk.ev.not_required":        {"politika to neprasa", "not required by the policy"},
		"imk.ev.resident":            {"deklarētā dzīvesvieta Latvijā (%s)", "declared residence in Latvia (%s)"},
		"imk.ev.not_resident":        {"nav deklarētās dzīvesvietas Latvijā", "no declared residence in Latvia"},
		"imk.ev.period_contradicts":  {"VID norāda periodu, kas beidzas pirms sākuma", "VID gives a period ending before it starts"},
		"imk.ev.employed":            {"nodarbinātība kopš %s, turpinās", "employed since %s, ongoing"},
		"imk.ev.employed_until":      {"nodarbinātība kopš %s līdz %s", "employed since %s, until %s"},
		"imk.ev.self_employed":       {"pašnodarbinātība kopš %s, turpinās", "self-employed since %s, ongoing"},
		"imk.ev.self_employed_until": {"pašnodarbinātība kopš %s līdz %s", "self-employed since %s, until %s"},
		"imk.ev.other_imk":           {"personai ir cits aktīvs IMK", "the person has another active IMK"},
		"imk.ev.no_other_imk":        {"nav cita aktīva IMK", "no other active IMK"},
		"imk.ev.not_excluded":        {"politika to neizslēdz", "not an exclusion of the policy"},
		"imk.ev.studying":            {"pašlaik mācās", "currently studying"},
		"imk.ev.not_studying":        {"pašlaik nemācās", "not currently studying"},
		"imk.ev.lki_impossible":      {"VIIS norāda neiespējamu LKI %d", "VIIS gives an impossible LKI %d"},
		"imk.ev.no_document":         {"izglītības dokumenti nav zināmi (LKI %d ≤ %d)", "no education document known (LKI %d ≤ %d)"},
		"imk.ev.lki_le":              {"augstākais LKI %d ≤ %d", "highest LKI %d ≤ %d"},
		"imk.ev.lki_gt":              {"augstākais LKI %d > %d", "highest LKI %d > %d"},
		"imk.ev.age_unknown":         {"vecums nav zināms", "age not known"},
		"imk.ev.age_at_least":        {"%d, vismaz %d", "%d, at least %d"},
		"imk.ev.age_below":           {"%d, mazāk par %d", "%d, under %d"},
	})
	// The age is the first argument: the words agree with it.
	registerCounted(map[string][2]Plural{
		"imk.ev.age": {
			{Zero: "%[3]s: %[1]d gadu (dzimšanas datums %[2]s)", One: "%[3]s: %[1]d gads (dzimšanas datums %[2]s)", Other: "%[3]s: %[1]d gadi (dzimšanas datums %[2]s)"},
			{Other: "born %[2]s: %[1]d on %[3]s"},
		},
		"imk.ev.age_under": {
			{Zero: "%[3]s: %[1]d gadu (dzimšanas datums %[2]s), mazāk par %[4]d", One: "%[3]s: %[1]d gads (dzimšanas datums %[2]s), mazāk par %[4]d", Other: "%[3]s: %[1]d gadi (dzimšanas datums %[2]s), mazāk par %[4]d"},
			{Other: "born %[2]s: %[1]d on %[3]s, under %[4]d"},
		},
		"imk.ev.age_over": {
			{Zero: "%[3]s: %[1]d gadu (dzimšanas datums %[2]s), vairāk par %[4]d", One: "%[3]s: %[1]d gads (dzimšanas datums %[2]s), vairāk par %[4]d", Other: "%[3]s: %[1]d gadi (dzimšanas datums %[2]s), vairāk par %[4]d"},
			{Other: "born %[2]s: %[1]d on %[3]s, over %[4]d"},
		},
		// "VID zina 1 periodu / 2 periodus / 10 periodu": the accusative
		// agrees with the count, the verb does not.
		"imk.ev.no_employment": {
			{Zero: "%[2]s nav nodarbinātības (VID zina %[1]d periodu)", One: "%[2]s nav nodarbinātības (VID zina %[1]d periodu)", Other: "%[2]s nav nodarbinātības (VID zina %[1]d periodus)"},
			{One: "no employment on %[2]s (%[1]d period known)", Other: "no employment on %[2]s (%[1]d periods known)"},
		},
	})
}

// Evidence words a rule's evidence in the catalog's language: its key's
// message with its arguments (numbers as numbers, dates as they are, a
// register by its name, a register's text as it is), or the prose of an
// evaluation stored before evidence had keys. The caller draws the result
// plain: a text argument and prose come from outside.
func (c Catalog) Evidence(e domain.Evidence) string {
	if e.Key == "" {
		return e.Prose
	}
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		switch a.Kind {
		case domain.ArgNumber:
			args[i] = a.Num
		case domain.ArgRegister:
			args[i] = c.T("imk.register." + a.Text)
		default:
			args[i] = a.Text
		}
	}
	return c.T(e.Key, args...)
}
