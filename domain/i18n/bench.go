package i18n

// The texts of `ppp bench`. The table itself is for developers and stays
// in English, like the benchmark figures in the README.
func init() {
	register(map[string][2]string{
		"cli.help.bench": {
			`ppp bench [--scale N] [--sessions N] [--quick] [--only list,claims,sessions,death,evals,flood,audit,api,people,reports]

Mēra veiktspēju un izdrukā vienu tabulu: katrs rādītājs blakus tajā pašā reizē izmērītai bāzes vērtībai
(rindas lapa dziļumā 500 000 pret tīru keyset vaicājumu; pieteikumu paņemšana ar 8 operatoriem pret tīru
SKIP LOCKED; pirmais ekrāns, atmiņa un CPU neaktīvām sesijām, taustiņspiediens līdz ekrānam un dzīvā
atjaunināšana pret minimālu wish lietotni; nāves pārbaude 1 000 000 personām; IMK novērtējumi sekundē;
pieteikšanās plūdi: 200 savienojumi ar nepareizām parolēm 30 s, kamēr 10 operatori pierakstās ar atslēgu —
servera atmiņas maksimums, vai katrs mēģinājums ierakstīts, pirmais ekrāns pret mierīgu brīdi; audita žurnāls
ar 10 000 000 ierakstiem: meklēšana pēc operatora, darbības, subjekta, laika un brīva teksta pret tīru SQL,
ekrāna lapa pret žurnālu ar 10 000 ierakstiem, pilna un turpināta pārbaude pret to pašu rindu nolasīšanu;
portāla API: lomu pieprasījumi no 16 klientiem pret tām pašām rindām ar tīru SQL, p99 pie 200 pieprasījumiem/s).
Datus vienreiz izveido ar ppp demo --scale N (pēc noklusējuma 1 000 000) atsevišķā datubāzē tajā pašā serverī.
--quick: mazāk mērījumu (plūdi 8 s), pārbaudei.`,
			`ppp bench [--scale N] [--sessions N] [--quick] [--only list,claims,sessions,death,evals,flood,audit,api,people,reports]

Measures speed and prints one table, each figure beside a baseline measured in the same run
(queue page at depth 500,000 vs the raw keyset query; claims by 8 operators vs a raw SKIP LOCKED claim;
first frame, memory and CPU of idle sessions, keypress to frame and live update vs a minimal wish app;
the death check over 1,000,000 persons; IMK evaluations per second; a sign-in flood: 200 connections sending
wrong passwords for 30 s while 10 operators sign in by key — the server's peak memory, every attempt recorded,
the first frame beside a quiet run's; an audit log of 10,000,000 entries: searches by operator, action, subject,
time range and free text vs plain SQL, the screen's page vs a log of 10,000, full and resumed verification vs
reading the same rows; the portal API: role requests by 16 clients vs the same rows by plain SQL, p99 at 200 requests/s).
The data is built once with ppp demo --scale N (1,000,000 by default) in a database of its own on the same server.
--quick: fewer rounds (an 8-second flood), for a check.`,
		},
		"cli.bench.bad_only": {"--only nezina daļu %q (list, claims, sessions, death, evals, flood, audit, api, people, reports)", "--only does not know the part %q (list, claims, sessions, death, evals, flood, audit, api, people, reports)"},
	})
}
