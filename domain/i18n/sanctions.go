package i18n

// The messages of sanction cases against institutions (¶32.5, ¶32.7):
// the refusals of domain/sanction_rules.go and storage/sanction.go, and
// the "sanctions" screen.
func init() {
	register(map[string][2]string{
		"sanction.no_operator":     {"Sankciju lietas var skatīt tikai pieteicies operators.", "Only a signed-in operator can work on sanction cases."},
		"sanction.not_security":    {"Sankcijām vajag drošības speciālista lomu.", "Sanctions need the security role."},
		"sanction.forbidden":       {"Sankciju lietas ir drošības speciālistiem un izskatītājiem.", "Sanction cases are for security officers and reviewers."},
		"sanction.not_found":       {"Tādas sankciju lietas nav.", "No such sanction case."},
		"sanction.no_step":         {"Tāda soļa nav.", "No such step."},
		"sanction.no_institution":  {"Tādas izglītības iestādes nav.", "No such institution."},
		"sanction.query_short":     {"Ierakstiet vismaz divas nosaukuma vai reģistrācijas numura rakstzīmes.", "Type at least two characters of the name or the registration number."},
		"sanction.reason_required": {"Norādiet iemeslu.", "Give a reason."},
		"sanction.too_long":        {"Iemesls vai pierādījumi ir par garu.", "The reason or the evidence is too long."},
		"sanction.bad_text":        {"Iemeslā vai pierādījumos ir vadības rakstzīmes.", "The reason or the evidence holds control characters."},
		"sanction.bad_clause":      {"Sankciju lietu ierosina pēc 32.5. vai 32.7. punkta.", "A sanction case is opened on ¶32.5 or ¶32.7."},
		"sanction.case_open":       {"Šai iestādei jau ir atvērta sankciju lieta.", "This institution has an open case already."},
		"sanction.closed":          {"Lieta ir slēgta.", "This case is closed."},
		"sanction.step_pending":    {"Lietā jau ir solis, kas gaida otra drošības speciālista apstiprinājumu.", "A step of this case waits for a second security officer."},
		"sanction.step_in_force":   {"Lietā ir spēkā apturēšana vai liegums.", "A suspension or a denial of this case is in force."},
		"sanction.bad_step":        {"Nezināms solis.", "Unknown step."},
		"sanction.warn_first":      {"Pirms apturēšanas vai lieguma jāizsaka brīdinājums.", "A warning comes before a suspension or a denial."},
		"sanction.bad_until":       {"Apturēšana beidzas pēc šī brīža un gada laikā.", "A suspension ends after now and within a year."},
		"sanction.own":             {"Šo soli jāapstiprina otram drošības speciālistam.", "A second security officer must approve this step."},
		"sanction.not_pending":     {"Šis solis negaida apstiprinājumu.", "This step does not wait for approval."},
		"sanction.not_in_force":    {"Šis solis nav spēkā.", "This step is not in force."},
		"sanction.changed":         {"Kāds cits mainīja šo lietu; apskatiet to vēlreiz.", "Someone else changed this case; look at it again."},
	})
}
