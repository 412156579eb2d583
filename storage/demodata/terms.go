package demodata

import (
	"context"
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// The terms of use of the demo: a version in force, the one it superseded
// and a draft of the next, all written for the demo.

// termsLockKey is 'ppp_dtrm' as a big-endian integer: loaders take turns.
const termsLockKey int64 = 8102099284649079405

// The demo's terms timeline, before Options.Now.
const (
	firstPublishedAgo  = 430 * day
	secondPublishedAgo = 21 * day
	// secondAcceptedShare is the percentage of users registered before
	// the version in force who have accepted it since.
	secondAcceptedShare = 68
)

// TermsResult tells what LoadTerms wrote.
type TermsResult struct {
	// Loaded is false when the database had terms versions already, or
	// fewer than two operators to draft and approve them.
	Loaded        bool
	Versions      int
	Acceptances   int64
	Announcements int
	// InForce, Superseded and Draft are the versions' ids.
	InForce, Superseded, Draft int64
}

// LoadTerms writes the terms-of-use part of the demo, unless the database
// has terms versions already: the first version, superseded; the version
// in force since three weeks, which every user registered since then has
// accepted and about two in three of the others; a draft of the next
// version with a few clauses changed; and announcements: the publication
// of the version in force, news, planned downtime starting within a day
// (so that its banner shows), a later one, a past one, a withdrawn one
// and a draft. Editors draft and approve (two different ones: the
// operators with the editor role, else any two); with fewer than two
// operators nothing is written. Acceptances are spread over the Platform
// users already loaded (Load first). Errors of the database are returned
// wrapped.
func LoadTerms(ctx context.Context, db *storage.DB, opts Options) (*TermsResult, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	now := opts.Now.UTC().Truncate(time.Microsecond)

	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo terms: %w", err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = tx.Rollback(rctx)
	}()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, termsLockKey); err != nil {
		return nil, fmt.Errorf("demo terms: lock: %w", err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM terms_versions)`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("demo terms: %w", err)
	}
	if exists {
		return &TermsResult{}, nil
	}
	editors, err := readEditors(ctx, tx)
	if err != nil {
		return nil, err
	}
	if len(editors) < 2 {
		return &TermsResult{}, nil
	}
	// maris.ozols of the demo drafts, the other editor approves: the
	// operator "demo" can then approve the draft once it is submitted.
	drafter, approver := editors[0], editors[1]

	w := &termsWriter{tx: tx, now: now, res: &TermsResult{Loaded: true}}
	firstAt, secondAt := now.Add(-firstPublishedAgo), now.Add(-secondPublishedAgo)
	first, second, next := demoTermsNumber(firstAt, 1), demoTermsNumber(secondAt, 1), demoTermsNumber(now, 1)
	if second == first {
		second = demoTermsNumber(secondAt, 2)
	}
	if next == second {
		next = demoTermsNumber(now, 2)
	}

	steps := []func(context.Context) error{
		func(ctx context.Context) error {
			var err error
			w.res.Superseded, err = w.version(ctx, first, firstTermsText(), firstTermsSummary, "superseded", 0,
				approver, drafter, firstAt.Add(-12*day), firstAt)
			return err
		},
		func(ctx context.Context) error {
			var err error
			w.res.InForce, err = w.version(ctx, second, TermsText(), secondTermsSummary, "published", w.res.Superseded,
				drafter, approver, secondAt.Add(-9*day), secondAt)
			return err
		},
		func(ctx context.Context) error {
			var err error
			w.res.Draft, err = w.version(ctx, next, draftTermsText(), draftTermsSummary, "draft", w.res.InForce,
				drafter, 0, now.Add(-2*day), time.Time{})
			return err
		},
		func(ctx context.Context) error { return w.acceptances(ctx, firstAt, secondAt) },
		func(ctx context.Context) error { return w.announcements(ctx, drafter, approver, second, secondAt) },
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("demo terms: commit: %w", err)
	}
	err = storage.NewAuditService(db).RecordAudit(ctx, &domain.AuditEntry{
		Action: domain.AuditDemoLoadTerms, SubjectKind: "terms_version", SubjectID: strconv.FormatInt(w.res.InForce, 10),
		Details: fmt.Sprintf("versions=%d; acceptances=%d; announcements=%d", w.res.Versions, w.res.Acceptances, w.res.Announcements),
	})
	if err != nil {
		return nil, err
	}
	return w.res, nil
}

// demoTermsNumber numbers a version by the year it is published in.
func demoTermsNumber(at time.Time, n int) string {
	return strconv.Itoa(at.Year()) + "-" + strconv.Itoa(n)
}

// readEditors returns the ids of the operators who draft and approve:
// maris.ozols first if present, then the other editors, then (when fewer
// than two edit) any other operators.
func readEditors(ctx context.Context, tx pgx.Tx) ([]int64, error) {
	rows, err := tx.Query(ctx, `
		SELECT id FROM operators
		 WHERE NOT disabled
		 ORDER BY ('editor' = ANY (roles)) DESC, (name = 'maris.ozols') DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("demo terms: read editors: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("demo terms: read editors: %w", err)
	}
	return ids, nil
}

// termsWriter writes the demo's terms inside one transaction.
type termsWriter struct {
	tx  pgx.Tx
	now time.Time
	res *TermsResult
}

// version inserts a version in the state given and returns its id.
func (w *termsWriter) version(ctx context.Context, number, text, summary, state string, basedOn, draftedBy, approvedBy int64,
	created, published time.Time) (int64, error) {
	var based, approved any
	if basedOn != 0 {
		based = basedOn
	}
	if approvedBy != 0 {
		approved = approvedBy
	}
	var id int64
	err := w.tx.QueryRow(ctx, `
		INSERT INTO terms_versions (number, title, text, summary, state, based_on, drafted_by, contributors,
		                            approved_by, created_at, updated_at, published_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, ARRAY[$7::bigint], $8, $9, $10, $11)
		RETURNING id`,
		number, termsTitle, text, summary, state, based, draftedBy, approved, created,
		maxTime(created, published), nullTime(published)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("demo terms: version %s: %w", number, err)
	}
	w.res.Versions++
	return id, nil
}

// acceptances has the users accept: the first version, everyone
// registered before the second was published; the second, everyone
// registered since (registering accepts the version in force, ¶26.2)
// and about two in three of the others, over the weeks since.
func (w *termsWriter) acceptances(ctx context.Context, firstAt, secondAt time.Time) error {
	tag, err := w.tx.Exec(ctx, `
		INSERT INTO terms_acceptances (user_id, version_id, accepted_at)
		SELECT id, $1, greatest(created_at, $2) FROM platform_users WHERE created_at < $3`,
		w.res.Superseded, firstAt, secondAt)
	if err != nil {
		return fmt.Errorf("demo terms: acceptances of the first version: %w", err)
	}
	w.res.Acceptances += tag.RowsAffected()
	minutes := int64(w.now.Sub(secondAt) / time.Minute)
	tag, err = w.tx.Exec(ctx, `
		INSERT INTO terms_acceptances (user_id, version_id, accepted_at)
		SELECT id, $1,
		       CASE WHEN created_at >= $2 THEN created_at
		            ELSE $2 + (id * 7919 % $4) * interval '1 minute' END
		  FROM platform_users
		 WHERE created_at >= $2 OR id * 37 % 100 < $3`,
		w.res.InForce, secondAt, secondAcceptedShare, max(minutes, 1))
	if err != nil {
		return fmt.Errorf("demo terms: acceptances of the version in force: %w", err)
	}
	w.res.Acceptances += tag.RowsAffected()
	// ¶26.2: the applicants of role requests accepted the version in force
	// with their submission (the portal reports it): on the person, or on
	// the request of an institution user without a personal code; all but
	// one in twelve, whose requests a reviewer cannot approve yet.
	tag, err = w.tx.Exec(ctx, `
		INSERT INTO terms_acceptances (person_id, version_id, accepted_at, channel, recorded_at, role_request_id)
		SELECT person_for_code(r.personal_code, r.first_name, r.last_name), $1, greatest(r.created_at, $2),
		       CASE WHEN r.id % 4 = 0 THEN 'mobile_app' ELSE 'web' END, greatest(r.created_at, $2), r.id
		  FROM role_requests r
		 WHERE r.personal_code <> '' AND r.id % 12 <> 5
		ON CONFLICT DO NOTHING`, w.res.InForce, secondAt)
	if err != nil {
		return fmt.Errorf("demo terms: acceptances of applicants: %w", err)
	}
	w.res.Acceptances += tag.RowsAffected()
	if _, err := w.tx.Exec(ctx, `
		UPDATE role_requests
		   SET terms_version_id = $1, terms_accepted_at = greatest(created_at, $2), terms_channel = 'web'
		 WHERE personal_code = '' AND id % 12 <> 5`, w.res.InForce, secondAt); err != nil {
		return fmt.Errorf("demo terms: acceptances of institution applicants: %w", err)
	}
	return nil
}

// demoAnnouncement is an announcement of the demo.
type demoAnnouncement struct {
	kind, state    string
	title, body    string
	audience       []string
	starts, ends   time.Time
	services       string
	terms          int64
	by             int64
	created        time.Time
	published      time.Time
	withdrawn      time.Time
	withdrawReason string
}

// announcements writes the demo's announcements.
func (w *termsWriter) announcements(ctx context.Context, drafter, approver int64, number string, secondAt time.Time) error {
	now := w.now
	// Planned work starts on the hour.
	hour := now.Truncate(time.Hour)
	list := []demoAnnouncement{
		{
			kind: "news", state: "published", title: "Jauna lietošanas noteikumu redakcija Nr. " + number,
			body: secondTermsSummary, starts: secondAt, terms: w.res.InForce, by: approver,
			created: secondAt, published: secondAt,
		},
		{
			kind: "news", state: "published", title: "Mācību piedāvājumu tagad var meklēt pēc norises vietas",
			body: "Platformas mācību piedāvājumu katalogā pievienots filtrs pēc novada vai valstspilsētas. " +
				"Meklējot mācības, izvēlieties pašvaldību, un sarakstā paliks tikai tajā notiekošās mācības un tiešsaistes kursi.",
			by: drafter, created: now.Add(-12 * day), published: now.Add(-11 * day), starts: now.Add(-11 * day),
		},
		{
			kind: "downtime", state: "published", title: "Platformas uzturēšanas darbi",
			body: "Uzturēšanas darbu laikā Platforma nebūs pieejama: nevarēs pieslēgties, iesniegt pieteikumus un " +
				"pieteikties mācībām. Lūdzam iesākto darbu saglabāt laikus.",
			starts: hour.Add(18 * time.Hour), ends: hour.Add(21 * time.Hour),
			services: "Platformas portāls; pieslēgšanās ar Latvija.gov.lv; IMK pieteikumi",
			by:       drafter, created: now.Add(-3 * day), published: now.Add(-2 * day),
		},
		{
			kind: "downtime", state: "published", title: "Datu apmaiņas pārtraukums ar VIIS",
			body: "Valsts izglītības informācijas sistēmas uzturēšanas darbu dēļ mērķa grupas atbilstības pārbaudes " +
				"tiks veiktas ar kavēšanos. Pieteikumus var iesniegt kā parasti.",
			audience: []string{"institution_admin", "institution_staff"},
			starts:   hour.Add(6 * 24 * time.Hour), ends: hour.Add(6*24*time.Hour + 5*time.Hour),
			services: "Izglītības iestāžu datu apmaiņa ar VIIS",
			by:       approver, created: now.Add(-1 * day), published: now.Add(-1 * day),
		},
		{
			kind: "downtime", state: "published", title: "Serveru nomaiņa",
			body:   "Platforma nebija pieejama serveru nomaiņas dēļ. Paldies par pacietību.",
			starts: hour.Add(-9 * day), ends: hour.Add(-9*day + 4*time.Hour),
			services: "Visa Platforma",
			by:       drafter, created: now.Add(-15 * day), published: now.Add(-14 * day),
		},
		{
			kind: "downtime", state: "withdrawn", title: "Pieslēgšanās pakalpojuma atjaunināšana",
			body:   "Atjaunināšanas laikā nevarēs pieslēgties ar Latvija.gov.lv.",
			starts: hour.Add(3 * day), ends: hour.Add(3*day + 2*time.Hour),
			services: "Pieslēgšanās ar Latvija.gov.lv",
			by:       approver, created: now.Add(-5 * day), published: now.Add(-5 * day),
			withdrawn: now.Add(-1 * day), withdrawReason: "Darbi pārcelti: jaunais laiks tiks paziņots atsevišķi.",
		},
		{
			kind: "news", state: "draft", title: "Karjeras konsultantu tikšanās reģionos",
			body:     "Aicinām karjeras konsultantus uz pieredzes apmaiņas tikšanos. Datums un vieta tiks precizēti.",
			audience: []string{"career_consultant"}, by: drafter, created: now.Add(-4 * time.Hour),
		},
	}
	for _, a := range list {
		audience := a.audience
		if audience == nil {
			audience = []string{}
		}
		var terms, publishedBy, withdrawnBy any
		if a.terms != 0 {
			terms = a.terms
		}
		if !a.published.IsZero() {
			publishedBy = a.by
		}
		if !a.withdrawn.IsZero() {
			withdrawnBy = a.by
		}
		_, err := w.tx.Exec(ctx, `
			INSERT INTO announcements (kind, state, title, body, audience, starts_at, ends_at, services,
			                           terms_version_id, created_by, created_at, updated_at,
			                           published_by, published_at, withdrawn_by, withdrawn_at, withdraw_reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
			a.kind, a.state, a.title, a.body, audience, nullTime(a.starts), nullTime(a.ends), a.services,
			terms, a.by, a.created, maxTime(a.created, maxTime(a.published, a.withdrawn)),
			publishedBy, nullTime(a.published), withdrawnBy, nullTime(a.withdrawn), a.withdrawReason)
		if err != nil {
			return fmt.Errorf("demo terms: announcement %q: %w", a.title, err)
		}
		w.res.Announcements++
	}
	return nil
}

// maxTime returns the later of two times.
func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// termsTitle is every demo version's title.
const termsTitle = "Prasmju pārvaldības platformas lietošanas noteikumi"

// The summaries of changes of the demo's versions. The version in force
// is the real terms of use of 2024-09-04; the superseded one and the
// draft are the demo's own, each a few clauses away from it.
const (
	firstTermsSummary  = "Pirmā lietošanas noteikumu redakcija (demonstrācijas dati)."
	secondTermsSummary = "Lietošanas noteikumi, apstiprināti ar VIAA 2024. gada 4. septembra rīkojumu Nr. 6.-1.2.1/1: " +
		"norādīts tālrunis saziņai (25. punkts) un noteikts, ka ziņas par Lietotāja nāvi ne retāk kā reizi pusgadā " +
		"pārbauda Fizisko personu reģistrā (32.8. apakšpunkts)."
	draftTermsSummary = "Grozījumu projekts (demonstrācijas dati): Latvija.gov.lv autentifikācijas līdzekļi (14. punkts), " +
		"par plānotiem darbības pārtraukumiem paziņo arī pa e-pastu (23. punkts), norādīts tālruņa darba laiks (25. punkts), " +
		"parolei vismaz 12 simboli (31.1. apakšpunkts)."
)

// TermsText returns the text of the demo's version in force: the real
// terms of use of the Platform approved on 2024-09-04 (Latvian, 33
// clauses), as kept in terms_2024-09-04.txt.
func TermsText() string { return termsInForce }

// termsInForce is the real terms of use of 2024-09-04, embedded so that the
// repository builds on its own. terms_2024-09-04.README says where it comes
// from and how it was laid out.
//
//go:embed terms_2024-09-04.txt
var termsInForce string

// edit applies replacements to a text, each of which must apply: the demo
// versions differ from the one in force exactly by them.
func edit(text string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(text, pairs[i]) {
			panic("demodata: terms edit does not apply: " + pairs[i])
		}
		text = strings.Replace(text, pairs[i], pairs[i+1], 1)
	}
	return text
}

// firstTermsText is the superseded version: before the telephone was
// added to 25 and the register check to 32.8.
func firstTermsText() string {
	return edit(termsInForce,
		"e-pasta adresi: stars@viaa.gov.lv un tālruni: +371 67359075.",
		"e-pasta adresi: stars@viaa.gov.lv.",
		"32.8. Lietotāja, fiziskas personas, nāves gadījumā. Šī informācija ne retāk kā reizi pusgadā pārbaudāma Fizisko personu reģistrā.",
		"32.8. Lietotāja, fiziskas personas, nāves gadījumā.",
	)
}

// draftTermsText is the draft of an amendment: a few clauses changed, so
// the diff view shows something real.
func draftTermsText() string {
	return edit(termsInForce,
		"14. Ja Lietotājs Platformā autentificējas, izmantojot Latvija.gov.lv, tad",
		"14. Ja Lietotājs Platformā autentificējas, izmantojot Latvija.gov.lv (eParaksts mobile, personas apliecību (eID karti), kvalificētu Smart-ID vai citas Eiropas Savienības valsts elektroniskās identifikācijas līdzekli), tad",
		"informē Lietotāju par jaunumiem Platformā un plānotajiem Platformas darbības pārtraukumiem.",
		"informē Lietotāju par jaunumiem Platformā un ne vēlāk kā vienu darba dienu iepriekš arī pa e-pastu – par plānotajiem Platformas darbības pārtraukumiem.",
		"un tālruni: +371 67359075.",
		"un tālruni: +371 67359075 (darba dienās 8.30–17.00).",
		"31.1. paroles minimālais garums ir 9 (deviņi) simboli,",
		"31.1. paroles minimālais garums ir 12 (divpadsmit) simboli,",
	)
}
