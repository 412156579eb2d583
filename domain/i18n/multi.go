package i18n

// The messages of issue 19's several instances on one database: the
// host key they share (PPP_HOST_KEY_FILE) and the test settings of the
// sweeps' period and the claims' lease.
func init() {
	register(map[string][2]string{
		"cli.serve.bad_sweep_period": {
			"PPP_SWEEP_PERIOD=%q nav Go ilgums, kas nav mazāks par 1s (piemēram, 2s).",
			"PPP_SWEEP_PERIOD=%q is not a Go duration of at least 1s (e.g. 2s).",
		},
		"hostkey.unreadable": {
			"Nevar nolasīt SSH resursdatora atslēgu %s: %v. Kad PPP_HOST_KEY_FILE ir iestatīts, atslēga netiek izveidota: izveidojiet to ar ssh-keygen -t ed25519 -N '' -f DATNE un dodiet visām instancēm to pašu datni.",
			"Cannot read the SSH host key %s: %v. With PPP_HOST_KEY_FILE set the key is never created: make it with ssh-keygen -t ed25519 -N '' -f FILE and give every instance the same file.",
		},
		"hostkey.mode": {
			"SSH resursdatora atslēgu %s var lasīt citi (režīms %04o): izpildiet chmod 600.",
			"The SSH host key %s may be read by others (mode %04o): chmod 600 it.",
		},
		"hostkey.bad": {
			"%s nav SSH privātā atslēga.",
			"%s is not an SSH private key.",
		},
		"hostkey.passphrase": {
			"SSH resursdatora atslēgai %s ir parole: serveris to nevar pajautāt.",
			"The SSH host key %s has a passphrase: the server cannot ask for it.",
		},
	})
}
