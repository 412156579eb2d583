package demodata

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// DefaultIMKClients is the number of clients LoadIMK generates.
const DefaultIMKClients = 10_000

// IMKResult tells what LoadIMK wrote.
type IMKResult struct {
	// Loaded is false when the database had IMK applications already.
	Loaded       bool
	Clients      int
	Applications int
	Decided      int
	Revenue      int
	Education    int
	// ClientUsers is how many IMK clients are Platform users too (one
	// person, one record: issue 16); LinkedCodes how many clients the
	// register knows by a second code.
	ClientUsers int
	LinkedCodes int
}

// imkClient is one generated person with their register data.
type imkClient struct {
	code, first, last, email, municipality string
	birth                                  time.Time
	resident                               bool
	sex                                    any // "F", "M" or nil (registerSex)
	deceased                               time.Time
	periods                                [][]any // employer, self_employed, from, until
	lki                                    int
	studying, noEducation                  bool
	state                                  domain.IMKState
	appliedAt, decidedAt                   time.Time
	reason                                 string
}

// LoadIMK writes register data (Population Register, VID, VIIS) for
// opts.Scale clients (DefaultIMKClients when zero) and an IMK application
// for each, unless the database holds IMK applications already. Most
// applications wait for the automatic check; a fifth are decided already.
// The edge cases are always there: a person turning 18 today, 29 February
// births, deceased persons, people without VID data, people studying,
// and both forms of personal code. Errors of the database are returned
// wrapped.
func LoadIMK(ctx context.Context, db *storage.DB, opts Options) (*IMKResult, error) {
	if opts.Scale <= 0 {
		opts.Scale = DefaultIMKClients
	}
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	now := opts.Now.UTC().Truncate(time.Microsecond)

	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo IMK data: %w", err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = tx.Rollback(rctx)
	}()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, loadLockKey); err != nil {
		return nil, fmt.Errorf("demo IMK data: lock: %w", err)
	}
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM imk_applications)`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("demo IMK data: %w", err)
	}
	if exists {
		return &IMKResult{}, nil
	}
	var policyID int64
	if err := tx.QueryRow(ctx, `SELECT id FROM eligibility_policies WHERE state = 'approved' ORDER BY version LIMIT 1`).Scan(&policyID); err != nil {
		return nil, fmt.Errorf("demo IMK data: policy: %w", err)
	}
	// Codes the role-request demo or an import used already stay theirs.
	taken := map[string]bool{}
	rows, err := tx.Query(ctx, `SELECT personal_code FROM population_register`)
	if err != nil {
		return nil, fmt.Errorf("demo IMK data: %w", err)
	}
	var c string
	if _, err := pgx.ForEachRow(rows, []any{&c}, func() error { taken[c] = true; return nil }); err != nil {
		return nil, fmt.Errorf("demo IMK data: %w", err)
	}

	clients := generateIMKClients(opts.Scale, opts.Seed, now, taken)
	res := &IMKResult{Loaded: true, Clients: len(clients)}
	copyRows := func(table string, cols []string, data [][]any) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(data))
		if err != nil {
			return fmt.Errorf("demo IMK data: copy %s: %w", table, err)
		}
		return nil
	}
	var pop, rev, edu, apps [][]any
	for _, cl := range clients {
		var died any
		if !cl.deceased.IsZero() {
			died = cl.deceased
		}
		pop = append(pop, []any{cl.code, cl.first, cl.last, cl.birth, cl.resident, cl.municipality, died, now, cl.sex})
		for _, p := range cl.periods {
			rev = append(rev, append([]any{cl.code}, append(p, now)...))
		}
		if !cl.noEducation {
			edu = append(edu, []any{cl.code, cl.lki, cl.studying, now})
		}
		var decidedAt, pid any
		if !cl.decidedAt.IsZero() {
			decidedAt, pid = cl.decidedAt, policyID
			res.Decided++
		}
		apps = append(apps, []any{cl.code, cl.first, cl.last, cl.email, string(cl.state), cl.appliedAt, decidedAt, pid, cl.reason, cl.appliedAt})
	}
	res.Revenue, res.Education, res.Applications = len(rev), len(edu), len(apps)
	if err := copyRows("population_register", []string{"personal_code", "first_name", "last_name", "birth_date", "resident", "municipality", "deceased_on", "fetched_at", "sex"}, pop); err != nil {
		return nil, err
	}
	if err := copyRows("revenue_register", []string{"personal_code", "employer", "self_employed", "valid_from", "valid_until", "fetched_at"}, rev); err != nil {
		return nil, err
	}
	if err := copyRows("education_register", []string{"personal_code", "highest_lki", "studying", "fetched_at"}, edu); err != nil {
		return nil, err
	}
	// The persons first, in two statements: the applications' trigger
	// then finds each by its code instead of making them one by one,
	// which took most of the demo's time.
	codes, firsts, lasts := make([]string, len(clients)), make([]string, len(clients)), make([]string, len(clients))
	for i, cl := range clients {
		codes[i], firsts[i], lasts[i] = cl.code, cl.first, cl.last
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO persons (personal_code, first_name, last_name)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
		ON CONFLICT (personal_code) DO NOTHING`, codes, firsts, lasts); err != nil {
		return nil, fmt.Errorf("demo IMK data: persons: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO person_codes (code, person_id)
		SELECT p.personal_code, p.id FROM persons p WHERE p.personal_code = ANY ($1)
		ON CONFLICT (code) DO NOTHING`, codes); err != nil {
		return nil, fmt.Errorf("demo IMK data: person codes: %w", err)
	}
	if err := copyRows("imk_applications", []string{"personal_code", "first_name", "last_name", "email", "state", "applied_at", "decided_at", "policy_id", "reason", "updated_at"}, apps); err != nil {
		return nil, err
	}
	// Every client is a person (the applications found or made them);
	// one in fifty approved ones has a Platform account too, on the same
	// person, and a few old-form codes have a new one in the register
	// (issue 16: one person, one record).
	tag, err := tx.Exec(ctx, `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed, created_at, updated_at)
		SELECT 'viss', a.personal_code, a.email, a.first_name, a.last_name, true, a.applied_at, a.applied_at
		  FROM imk_applications a
		 WHERE a.state = 'approved' AND a.id % 50 = 0
		   AND NOT EXISTS (SELECT FROM platform_users u WHERE u.person_id = a.person_id)
		ON CONFLICT DO NOTHING`)
	if err != nil {
		return nil, fmt.Errorf("demo IMK data: clients who are users: %w", err)
	}
	res.ClientUsers = int(tag.RowsAffected())
	// ¶26.2: the clients accepted the terms in force with the application
	// (the portal reports it), all but one in fifteen, whose applications
	// the check holds in review and a reviewer cannot approve yet.
	if _, err := tx.Exec(ctx, `
		INSERT INTO terms_acceptances (person_id, version_id, accepted_at, channel, recorded_at, imk_application_id)
		SELECT a.person_id, v.id, greatest(a.applied_at, v.published_at),
		       CASE WHEN a.id % 3 = 0 THEN 'mobile_app' ELSE 'web' END, greatest(a.applied_at, v.published_at), a.id
		  FROM imk_applications a, terms_versions v
		 WHERE v.state = 'published' AND a.id % 15 <> 7
		ON CONFLICT DO NOTHING`); err != nil {
		return nil, fmt.Errorf("demo IMK data: acceptances of the terms: %w", err)
	}
	tag, err = tx.Exec(ctx, `
		WITH linked AS (
		    SELECT r.personal_code, '32' || lpad((row_number() OVER (ORDER BY r.personal_code) + 900000000)::text, 9, '0') AS current
		      FROM population_register r
		      JOIN imk_applications a ON a.personal_code = r.personal_code AND a.state = 'approved'
		     WHERE r.personal_code LIKE '______-_____' AND r.deceased_on IS NULL
		     ORDER BY r.personal_code LIMIT 5)
		UPDATE population_register r SET current_code = l.current FROM linked l WHERE r.personal_code = l.personal_code`)
	if err != nil {
		return nil, fmt.Errorf("demo IMK data: linked codes: %w", err)
	}
	res.LinkedCodes = int(tag.RowsAffected())
	if _, err := tx.Exec(ctx, `
		INSERT INTO person_codes (code, person_id)
		SELECT r.current_code, c.person_id FROM population_register r JOIN person_codes c ON c.code = r.personal_code
		 WHERE r.current_code <> ''
		ON CONFLICT (code) DO NOTHING`); err != nil {
		return nil, fmt.Errorf("demo IMK data: linked codes: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("demo IMK data: commit: %w", err)
	}
	if _, err := db.Pool().Exec(ctx, `ANALYZE population_register, revenue_register, education_register, imk_applications, persons, person_codes`); err != nil {
		return nil, fmt.Errorf("demo IMK data: analyze: %w", err)
	}
	return res, nil
}

// generateIMKClients makes n clients from seed; the first few are the edge
// cases.
func generateIMKClients(n int, seed int64, now time.Time, taken map[string]bool) []*imkClient {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x1a2b3c))
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	chance := func(p float64) bool { return rng.Float64() < p }

	oldCode := func(birth time.Time) string {
		century := "1"
		if birth.Year() >= 2000 {
			century = "2"
		}
		for {
			d := birth.Format("020106") + century + fmt.Sprintf("%03d", rng.IntN(1000))
			code := d[:6] + "-" + d[6:] + strconv.Itoa(checkDigit(d))
			if !taken[code] {
				taken[code] = true
				return code
			}
		}
	}
	newCode := func() string {
		for {
			code := "3" + strconv.Itoa(2+rng.IntN(8)) + fmt.Sprintf("%09d", rng.IntN(1_000_000_000))
			if !taken[code] {
				taken[code] = true
				return code
			}
		}
	}
	municipality := func() string {
		total := 0
		for _, m := range municipalityWeights {
			total += m.weight
		}
		x := rng.IntN(total)
		for _, m := range municipalityWeights {
			if x -= m.weight; x < 0 {
				return m.code
			}
		}
		return "riga"
	}

	out := make([]*imkClient, 0, n)
	for i := range n {
		cl := &imkClient{resident: !chance(0.04), municipality: municipality(), lki: 1 + rng.IntN(8)}
		female := chance(0.55)
		if female {
			cl.first = pick(femaleFirstNames)
		} else {
			cl.first = pick(maleFirstNames)
		}
		s := surnames[rng.IntN(len(surnames))]
		cl.last = s[0]
		if female {
			cl.last = s[1]
		}
		cl.sex = registerSex(female, i)
		cl.birth = time.Date(1958, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(50*365))
		newForm := chance(0.2)
		switch i {
		case 0: // turns 18 today
			cl.birth = today.AddDate(-18, 0, 0)
		case 1, 2: // 29 February births
			cl.birth = time.Date([]int{1988, 2004}[i-1], 2, 29, 0, 0, 0, 0, time.UTC)
		case 3: // new-form code
			newForm = true
		case 4: // old-form code
			newForm = false
		}
		if cl.birth.After(today) {
			cl.birth = today.AddDate(-30, 0, 0)
		}
		if newForm {
			cl.code = newCode()
		} else {
			cl.code = oldCode(cl.birth)
		}
		cl.email = fmt.Sprintf("%s.%s%d@%s", ascii(cl.first), ascii(cl.last), i, pick(emailDomains))

		// Employment: most employed now, some ended, some self-employed,
		// some unknown to VID.
		switch {
		case i == 5 || (i > 10 && chance(0.06)): // no revenue data
		case chance(0.12): // ended
			from := today.AddDate(-5, 0, -rng.IntN(1000))
			cl.periods = append(cl.periods, []any{"40003521600", false, from, from.AddDate(1, rng.IntN(12), 0)})
		default:
			self := chance(0.1)
			employer := "40003521600"
			if self {
				employer = ""
			}
			cl.periods = append(cl.periods, []any{employer, self, today.AddDate(-rng.IntN(10), -rng.IntN(12), -1), nil})
		}
		switch {
		case i == 6 || (i > 10 && chance(0.08)):
			cl.studying = true
		case i == 7 || (i > 10 && chance(0.03)):
			cl.noEducation = true
		}
		if i == 8 || (i > 10 && chance(0.01)) {
			cl.deceased = today.AddDate(0, 0, -1-rng.IntN(400))
		}

		// Applications: a fifth decided in the last 60 days, the rest
		// waiting for the automatic check.
		cl.appliedAt = now.Add(-time.Duration(rng.Int64N(int64(60 * 24 * time.Hour))))
		cl.state = domain.IMKApplied
		if i > 10 && chance(0.2) {
			cl.decidedAt = cl.appliedAt.Add(time.Duration(rng.Int64N(int64(time.Hour))))
			if cl.decidedAt.After(now) {
				cl.decidedAt = now
			}
			cl.state = domain.IMKApproved
			if !cl.deceased.IsZero() || !cl.resident || cl.periods == nil || chance(0.1) {
				cl.state, cl.reason = domain.IMKRejected, "imk.rule.employment"
				if !cl.deceased.IsZero() {
					cl.reason = "imk.rule.alive"
				} else if !cl.resident {
					cl.reason = "imk.rule.residence"
				}
			}
		}
		out = append(out, cl)
	}
	return out
}
