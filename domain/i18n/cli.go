package i18n

// The command line's texts. Help texts keep their command syntax in both
// languages; only the explanations are translated.
func init() {
	register(map[string][2]string{
		"cli.help": {
			`ppp — Prasmju pārvaldības platformas aizmugures birojs (back office)

Lietošana: ppp DARBĪBA [karogi]

  serve      apkalpo SSH (pēc noklusējuma :2222) un palaiž fona darbus
  demo       ielādē demonstrācijas datus un izveido operatoru "demo"
  migrate    piemēro datubāzes migrācijas
  db         db url | db start | db stop — izmantotā datubāze
  operator   aizmugures biroja kontu pārvaldība
  audit      audit verify|checkpoint|keygen — audita žurnāla ķēde un tās kontrolpunkti ārpus datubāzes
  sweep      sweep NOSAUKUMS [--report] — vienreiz palaiž plānoto pārbaudi (role-expiry, auth-deactivated, death-check, reverify)
  imk        imk check — IMK mērķa grupas atbilstības pārbaude; imk policy — politikas versijas
  registers  registers import population|revenue|education|enterprises|institutions DATNE — reģistru izraksti (CSV)
  mail       mail import DATNE|MAPE — ielādē .eml vai mbox vēstules palīdzības dienestam
  account    account email|history — Platformas konta e-pasta maiņa ar iemeslu un tās vēsture
  api        api client add|list|revoke — portāla API klienti un to pilnvaras marķieri
  reverify   reverify cycle [MĒNEŠI] — iestāžu atkārtotās pārbaudes cikls
  document   document get ID NR FAILS — pieteikuma dokuments, pārbaudīts pret SHA-256
  person     person export KODS --reason IEMESLS — visi personas dati (VDAR 15. pants)
  retention  retention [set VEIDS TERMIŅŠ DARBĪBA] — datu glabāšanas noteikumi
  report     report NOSAUKUMS [--from --to --format] — atskaites (imk-uptake, compliance, queues, decisions)
  misuse     misuse thresholds|threshold — ļaunprātīgas izmantošanas signālu sliekšņi
  bench      izmēra veiktspēju pret bāzes vērtībām tajā pašā reizē un izdrukā tabulu
  version    programmas versija, revīzija, Go un shēmas versija
  help       ppp help DARBĪBA parāda darbības aprakstu

Vide: PPP_DATABASE_URL, PPP_DATA_DIR (./var), PPP_SSH_ADDR (:2222), PPP_LANG (lv|en), PPP_SMTP_URL,
PPP_REGISTER_OUTAGE, PPP_ROLE_VALIDITY_DAYS, PPP_TAKEOVER_AFTER_DAYS (skatiet README).
Katrai darbībai: ppp DARBĪBA -h.`,
			`ppp — back office of the Skills Management Platform

Usage: ppp VERB [flags]

  serve      serve SSH (:2222 by default) and run the background jobs
  demo       load demo data and create the operator "demo"
  migrate    apply the database migrations
  db         db url | db start | db stop — the database in use
  operator   manage back-office accounts
  audit      audit verify|checkpoint|keygen — the audit log's chain and its checkpoints outside the database
  sweep      sweep NAME [--report] — run a scheduled sweep once (role-expiry, auth-deactivated, death-check, reverify)
  imk        imk check — the IMK target-group check; imk policy — policy versions
  registers  registers import population|revenue|education|enterprises|institutions FILE — register extracts (CSV)
  mail       mail import FILE|DIR — load .eml or mbox messages into the helpdesk
  account    account email|history — staff e-mail changes of Platform accounts, with their history
  api        api client add|list|revoke — the portal API's clients and their bearer tokens
  reverify   reverify cycle [MONTHS] — the re-verification cycle of institutions
  document   document get ID NO FILE — an application's document, checked against its SHA-256
  person     person export CODE --reason REASON — all data held on a person (GDPR Art. 15)
  retention  retention [set KIND PERIOD ACTION] — the data retention rules
  report     report NAME [--from --to --format] — reports (imk-uptake, compliance, queues, decisions)
  misuse     misuse thresholds|threshold — the misuse signals' thresholds
  bench      measure speed beside same-run baselines and print one table
  version    the binary's version, revision, Go and schema versions
  help       ppp help VERB describes a verb

Environment: PPP_DATABASE_URL, PPP_DATA_DIR (./var), PPP_SSH_ADDR (:2222), PPP_LANG (lv|en), PPP_SMTP_URL,
PPP_REGISTER_OUTAGE, PPP_ROLE_VALIDITY_DAYS, PPP_TAKEOVER_AFTER_DAYS (see the README).
For each verb: ppp VERB -h.`,
		},
		"cli.help.serve": {
			`ppp serve [--ssh-addr HOST:PORT] [--api-addr HOST:PORT] [--metrics-addr HOST:PORT]

Apkalpo aizmugures biroju caur SSH. Adrese: --ssh-addr, PPP_SSH_ADDR vai :2222.
Portāla API (HTTP JSON): --api-addr vai PPP_API_ADDR; TLS ar PPP_API_TLS_CERT un PPP_API_TLS_KEY,
bez TLS tikai uz loopback adreses.
Metrikas (/metrics), /healthz un /readyz: --metrics-addr vai PPP_METRICS_ADDR.
Servera atslēga: PPP_HOST_KEY_FILE (vairākām instancēm) vai PPP_DATA_DIR/ssh_host_ed25519_key (izveido, ja nav).
Žurnāls: PPP_LOG_FORMAT=text|json, PPP_LOG_LEVEL.
Pēc SIGTERM vai Ctrl-C paziņo visām sesijām un beidz darbu 30 sekundēs.`,
			`ppp serve [--ssh-addr HOST:PORT] [--api-addr HOST:PORT] [--metrics-addr HOST:PORT]

Serves the back office over SSH. Address: --ssh-addr, PPP_SSH_ADDR or :2222.
The portal API (HTTP JSON): --api-addr or PPP_API_ADDR; TLS with PPP_API_TLS_CERT and PPP_API_TLS_KEY,
plain HTTP only on a loopback address.
Metrics (/metrics), /healthz and /readyz: --metrics-addr or PPP_METRICS_ADDR.
Host key: PPP_HOST_KEY_FILE (several instances) or PPP_DATA_DIR/ssh_host_ed25519_key (created when missing).
Log: PPP_LOG_FORMAT=text|json, PPP_LOG_LEVEL.
On SIGTERM or Ctrl-C it tells every session and exits within 30 seconds.`,
		},
		"cli.help.demo": {
			`ppp demo [--ssh-addr HOST:PORT] [--scale N]

Ielādē demonstrācijas datus (tikai pirmajā reizē), izveido operatoru "demo" ar visām lomām,
piešķir tam jaunu vienreizēju paroli, reģistrē ~/.ssh/*.pub atslēgas un izdrukā ssh komandu.
--scale N: cik lomu pieteikumu ielādēt (pēc noklusējuma 25 000; veiktspējas mērījumiem 1 000 000).`,
			`ppp demo [--ssh-addr HOST:PORT] [--scale N]

Loads demo data (the first time only), creates the operator "demo" with every role,
gives it a fresh one-time password, registers ~/.ssh/*.pub keys and prints the ssh command.
--scale N: how many role requests to load (25,000 by default; 1,000,000 for benchmarks).`,
		},
		"cli.help.migrate": {
			"ppp migrate\n\nPiemēro datubāzes migrācijas un lomu tiesības (atkārtoti — nekas nemainās); ar ārēju serveri caur PPP_DATABASE_OWNER_URL.",
			"ppp migrate\n\nApplies the database migrations and the roles' grants (again: nothing changes); with an external server through PPP_DATABASE_OWNER_URL.",
		},
		"cli.help.db": {
			`ppp db url [--role admin|owner|app|report] | start | stop | restart [--mode fast|immediate] | backup FAILS | restore FAILS

  url      izdrukā izmantotās datubāzes savienojuma URL (psql "$(ppp db url)"):
           kā administrators; --role: kā īpašnieks, lietotne vai pārskatu loma
           (privātā klastera URL norāda paroļu failu)
  start    palaiž privāto klasteri PPP_DATA_DIR/pg un atstāj to darbojamies
  stop     aptur privāto klasteri
  restart  pārstartē privāto klasteri; visi savienojumi pārtrūkst
           (--mode fast: sesijas beidz kārtīgi; immediate: kā avārijā, ar atkopšanu)
  backup   saglabā privātā klastera datubāzi failā (pg_dump, custom formāts; režīms 0600)
  restore  atjauno rezerves kopiju tukšā privātajā klasterī (jaunā PPP_DATA_DIR)`,
			`ppp db url [--role admin|owner|app|report] | start | stop | restart [--mode fast|immediate] | backup FILE | restore FILE

  url      prints the connection URL of the database in use (psql "$(ppp db url)"):
           as its administrator; --role: as the owner, the application or the
           reporting role (the private cluster's URLs name its password file)
  start    starts the private cluster in PPP_DATA_DIR/pg and leaves it running
  stop     stops the private cluster
  restart  restarts the private cluster; every connection is lost
           (--mode fast: sessions end cleanly; immediate: as in a crash, with recovery)
  backup   writes the private cluster's database to FILE (pg_dump, custom format; mode 0600)
  restore  restores a backup into an empty private cluster (a new PPP_DATA_DIR)`,
		},
		"cli.help.operator": {
			`ppp operator add NOSAUKUMS --role LOMA[,LOMA] [--key FAILS] [--password-stdin] [--full-name "Vārds Uzvārds"] [--email E-PASTS]
ppp operator list
ppp operator disable NOSAUKUMS [--reason IEMESLS]
ppp operator enable NOSAUKUMS
ppp operator key add NOSAUKUMS FAILS
ppp operator key remove NOSAUKUMS PIRKSTA_NOSPIEDUMS
ppp operator key list NOSAUKUMS
ppp operator passwd NOSAUKUMS    (jauno paroli lasa no stdin, ja tas nav terminālis)
ppp operator unlock NOSAUKUMS    (atceļ bloķēšanu, ko radījušas neveiksmīgas paroles; auditēts)

Lomas: reviewer, helpdesk, security, editor, admin.`,
			`ppp operator add NAME --role ROLE[,ROLE] [--key FILE] [--password-stdin] [--full-name "First Last"] [--email EMAIL]
ppp operator list
ppp operator disable NAME [--reason REASON]
ppp operator enable NAME
ppp operator key add NAME FILE
ppp operator key remove NAME FINGERPRINT
ppp operator key list NAME
ppp operator passwd NAME    (reads the new password from stdin when it is not a terminal)
ppp operator unlock NAME    (lifts the lock failed passwords put on the account; audited)

Roles: reviewer, helpdesk, security, editor, admin.`,
		},
		"cli.account.bad_id": {"nederīgs lietotāja ID %q", "invalid user id %q"},
		"cli.help.help":      {"ppp help [DARBĪBA]", "ppp help [VERB]"},

		"cli.unknown_verb":            {"nezināma darbība %q; skatiet: ppp help", "unknown verb %q; see: ppp help"},
		"cli.bad_days":                {"%s jābūt dienu skaitam no 1 līdz 3650, nevis %q", "%s must be a number of days from 1 to 3650, not %q"},
		"cli.demo.bad_scale":          {"--scale jābūt pozitīvam skaitlim", "--scale must be a positive number"},
		"cli.migrated":                {"Datubāzes shēma ir aktuāla.", "The database schema is up to date."},
		"cli.db.external":             {"PPP_DATABASE_URL ir iestatīts: privātais klasteris netiek izmantots", "PPP_DATABASE_URL is set: the private cluster is not in use"},
		"cli.db.bad_mode":             {"ppp db restart: režīms %q nav zināms (fast vai immediate)", "ppp db restart: unknown mode %q (fast or immediate)"},
		"cli.db.not_running":          {"privātais klasteris nedarbojas; palaidiet to ar: ppp db start", "the private cluster is not running; start it with: ppp db start"},
		"cli.db.restarted":            {"Datubāze pārstartēta (%s).", "The database was restarted (%s)."},
		"cli.db.url_stopped":          {"(klasteris nedarbojas; palaidiet to ar: ppp db start)", "(the cluster is not running; start it with: ppp db start)"},
		"cli.operator.add_usage":      {"lietošana: ppp operator add NOSAUKUMS --role LOMA[,LOMA]", "usage: ppp operator add NAME --role ROLE[,ROLE]"},
		"cli.operator.name_usage":     {"lietošana: ppp operator %s NOSAUKUMS", "usage: ppp operator %s NAME"},
		"cli.operator.key_usage":      {"lietošana: ppp operator key add NOSAUKUMS FAILS | key remove NOSAUKUMS PIRKSTA_NOSPIEDUMS | key list NOSAUKUMS", "usage: ppp operator key add NAME FILE | key remove NAME FINGERPRINT | key list NAME"},
		"cli.operator.key_file":       {"nevar nolasīt atslēgas failu %s: %v", "cannot read key file %s: %v"},
		"cli.operator.added":          {"Operators %s izveidots.", "Operator %s created."},
		"cli.operator.disabled":       {"Operators %s atspējots; viņa sesijas tiek slēgtas.", "Operator %s disabled; their sessions are being closed."},
		"cli.operator.enabled":        {"Operators %s iespējots.", "Operator %s enabled."},
		"cli.operator.key_added":      {"Atslēga %s pievienota operatoram %s.", "Key %s added to operator %s."},
		"cli.operator.key_removed":    {"Atslēga %s noņemta operatoram %s.", "Key %s removed from operator %s."},
		"cli.operator.password_set":   {"Operatora %s parole nomainīta.", "Password of operator %s changed."},
		"cli.operator.list_header":    {"NOSAUKUMS\tVĀRDS\tLOMAS\tSTĀVOKLIS", "NAME\tFULL NAME\tROLES\tSTATE"},
		"cli.operator.state.active":   {"aktīvs", "active"},
		"cli.operator.state.disabled": {"atspējots", "disabled"},
		"cli.operator.state.locked":   {"bloķēts", "locked"},
		"cli.password.prompt":         {"Jaunā parole: ", "New password: "},
		"cli.password.again":          {"Atkārtojiet paroli: ", "Repeat the password: "},
		"cli.password.mismatch":       {"paroles nesakrīt", "the passwords do not match"},
		"cli.audit.broken":            {"audita žurnāls ir bojāts, sākot ar ierakstu #%d: %s", "the audit log is broken from entry #%d: %s"},
		"cli.serve.listening":         {"SSH: %s", "SSH: %s"},
		"cli.serve.mail_listening":    {"E-pasts (SMTP): %s", "Mail (SMTP): %s"},
		"cli.serve.debug_listening":   {"Profilēšana (pprof, tikai šajā datorā): %s", "Profiling (pprof, this machine only): %s"},
		"cli.serve.debug_not_local":   {"PPP_DEBUG_ADDR=%s: profilēšanu drīkst rādīt tikai šajā datorā (127.0.0.1:PORTS, [::1]:PORTS vai localhost:PORTS)", "PPP_DEBUG_ADDR=%s: profiling may be served on this machine only (127.0.0.1:PORT, [::1]:PORT or localhost:PORT)"},
		"cli.serve.stopping":          {"Aptur serveri…", "Stopping the server…"},
		"cli.demo.loaded":             {"Demonstrācijas dati ielādēti.", "Demo data loaded."},
		"cli.demo.present":            {"Demonstrācijas dati jau ir ielādēti.", "Demo data is present already."},
		"cli.demo.connect": {
			"Pieslēdzieties:  ssh -p %s demo@localhost\nVienreizējā parole operatoram demo: %s\n(Reģistrētās atslēgas: %d)",
			"Connect with:  ssh -p %s demo@localhost\nOne-time password of the operator demo: %s\n(Registered keys: %d)",
		},
	})
}
