package i18n

// Messages of issue 19's deployment: secrets from files, backups of the
// private cluster.
func init() {
	register(map[string][2]string{
		"cli.secret.both": {
			"iestatīti gan %s, gan %s: atstājiet vienu no tiem",
			"both %s and %s are set: keep one of them",
		},
		"cli.secret.unreadable": {
			"%s: failu %s nevar nolasīt: %s",
			"%s: cannot read the file %s: %s",
		},
		"cli.secret.not_file": {
			"%s: %s nav parasts fails",
			"%s: %s is not a regular file",
		},
		"cli.secret.others": {
			"%s: failu %s var lasīt vai mainīt arī citi lietotāji (režīms %s); atstājiet to tikai īpašniekam un grupai (chmod 0600 vai 0640) vai nododiet ar systemd LoadCredential",
			"%s: other users may read or change the file %s (mode %s); keep it to its owner and group (chmod 0600 or 0640), or hand it over with systemd's LoadCredential",
		},
		"cli.secret.too_long": {
			"%s: fails %s ir garāks par 64 KiB",
			"%s: the file %s is longer than 64 KiB",
		},
		"cli.secret.empty": {
			"%s: fails %s ir tukšs",
			"%s: the file %s is empty",
		},
		"cli.db.backup_external": {
			"ppp db backup un restore strādā ar privāto klasteri; PPP_DATABASE_URL serverim izmantojiet tā rezerves kopijas (pg_dump, PITR)",
			"ppp db backup and restore work on the private cluster; for the server of PPP_DATABASE_URL use its own backups (pg_dump, point-in-time recovery)",
		},
		"cli.db.backup_usage": {
			"lietojums: ppp db %s FAILS",
			"usage: ppp db %s FILE",
		},
		"cli.db.backed_up": {
			"Rezerves kopija saglabāta: %s (%s).",
			"Backup written: %s (%s).",
		},
		"cli.db.restore_not_empty": {
			"privātā klastera datubāze nav tukša (%d tabulas, skati vai secības): atjaunojiet tukšā klasterī, norādot jaunu PPP_DATA_DIR",
			"the private cluster's database is not empty (%d tables, views or sequences): restore into an empty cluster by setting a new PPP_DATA_DIR",
		},
		"cli.db.restored": {
			"Rezerves kopija %s atjaunota; pārbaudiet to ar: ppp audit verify",
			"Backup %s restored; check it with: ppp audit verify",
		},
	})
}
