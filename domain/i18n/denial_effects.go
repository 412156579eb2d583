package i18n

// Messages of the effects of a denial (¶24, ¶32): what it holds, and the
// role assignments a reviewer extends, ends or renews (¶32.1).
func init() {
	register(map[string][2]string{
		"denial.holds_approval": {
			"Piekļuve liegta saskaņā ar noteikumu %s. punktu kopš %s (liegums nr. %d): kamēr liegums ir spēkā, neko apstiprināt nevar.",
			"Access is denied under clause %s since %s (denial no. %d): nothing can be approved while the denial is in force.",
		},
	})
}
