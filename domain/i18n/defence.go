package i18n

// The defences' messages (issue 9): second approval of privileged resets,
// alerts, sign-in history and staff e-mail changes.
func init() {
	register(map[string][2]string{
		"defence.no_operator":      {"To var darīt tikai pieteicies aizmugures biroja operators.", "Only a signed-in operator can do this."},
		"defence.forbidden":        {"Jums nav šim nepieciešamās lomas.", "You do not hold the role this needs."},
		"defence.reset_not_found":  {"Gaidoša paroles atjaunošana Nr. %d nav atrasta.", "No pending reset %d."},
		"defence.reset_decided":    {"Par šo paroles atjaunošanu jau ir izlemts (%s).", "The reset was already %s."},
		"defence.own_reset":        {"Paroles atjaunošanu, ko pieprasījāt jūs, jāapstiprina citai personai.", "A second person must approve this reset."},
		"defence.reset_stale":      {"Atjaunošanu vairs nevar nosūtīt: konta apstiprinātā adrese vai operators ir mainījies.", "The reset can no longer be sent: the account's confirmed address or the operator has changed."},
		"defence.note_required":    {"Uzrakstiet piezīmi.", "Write a note."},
		"defence.no_person":        {"Nav norādīta persona.", "A person's key is required."},
		"defence.alert_not_found":  {"Brīdinājums Nr. %d nav atrasts.", "No alert %d."},
		"defence.alert_closed":     {"Brīdinājums jau ir slēgts.", "The alert is already closed."},
		"defence.no_such_operator": {"Operators Nr. %d nav atrasts.", "No operator %d."},
		"defence.reason_required":  {"Uzrakstiet, kāpēc adrese tiek mainīta.", "Write why the address changes."},
		"defence.no_such_user":     {"Platformas lietotājs Nr. %d nav atrasts.", "No Platform user %d."},
		"defence.email_same":       {"Jaunā adrese ir tāda pati kā pašreizējā.", "The address is the same."},
		"defence.email_taken":      {"Šī adrese jau pieder citam kontam.", "Another account has that address."},
	})
}
