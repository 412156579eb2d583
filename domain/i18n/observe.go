package i18n

// Metrics, health, logs and `ppp version` (issue 19, observe).
func init() {
	register(map[string][2]string{
		"cli.help.version": {
			`ppp version [--format text|json]

Izdrukā versiju (git describe), VCS revīziju, revīzijas un būvējuma laiku, Go versiju un shēmas versiju:
augstāko datubāzē piemēroto migrāciju (PPP_DATABASE_URL, gaida ne ilgāk par 3 sekundēm; privāto klasteri
nepalaiž) vai, ja datubāze nav sasniegta, programmas jaunāko migrāciju ar piezīmi "(datubāze nav sasniegta)".`,
			`ppp version [--format text|json]

Prints the version (git describe), the VCS revision, the commit and build times, the Go version and the schema
version: the highest migration applied in the database (PPP_DATABASE_URL, waiting at most 3 seconds; the
private cluster is never started for it) or, when the database is not reached, the binary's newest migration
marked "(database not reached)".`,
		},
		"cli.version.text": {
			"ppp %s\nrevīzija:        %s\nrevīzijas laiks: %s\nbūvēts:          %s\nGo:              %s\nshēma:           %s",
			"ppp %s\nrevision:    %s\ncommit time: %s\nbuilt:       %s\nGo:          %s\nschema:      %s",
		},
		"cli.version.schema_binary": {"%d (datubāze nav sasniegta)", "%d (database not reached)"},
		"cli.version.bad_format":    {"--format %s: atļauts text vai json", "--format %s: use text or json"},
		"cli.serve.bad_log_level": {
			"PPP_LOG_LEVEL=%s: atļauts debug, info, warn vai error (pēc noklusējuma info)",
			"PPP_LOG_LEVEL=%s: use debug, info, warn or error (default info)",
		},
		"cli.serve.bad_log_format": {
			"PPP_LOG_FORMAT=%s: atļauts text vai json (pēc noklusējuma text)",
			"PPP_LOG_FORMAT=%s: use text or json (default text)",
		},
		"cli.serve.metrics_listening": {"Metrikas un veselība (/metrics, /healthz, /readyz): %s", "Metrics and health (/metrics, /healthz, /readyz): %s"},
		"cli.serve.metrics_not_local": {
			"Uzmanību: metrikas uz %s apkalpo bez autentifikācijas; ļaujiet tām piekļūt tikai uzraudzības sistēmai (ugunsmūris).",
			"Warning: metrics on %s are served without authentication; let only the monitoring system reach them (firewall).",
		},
	})
}
