package demodata

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/viaa/ppp/storage"
)

// The work the newcomer finds on every screen: helpdesk mail, denials in
// every state, an open misuse alert, privileged resets and an e-mail
// change waiting for a second person, sweep runs, IMK policy versions
// with a draft, a terms version waiting for its second editor, sign-ins
// and a first batch of IMK applications checked. Unlike the bulk data
// (Load), it is made the way the back office makes it: the mail is
// parsed and stored by the helpdesk's own ingest, and each decision is
// taken through the services by the demo operator whose work it is, at
// its moment in the last weeks (the services read the time from their
// DB, whose clock the loader moves along the story).

// workLockKey is 'ppp_dwrk' as a big-endian integer: loaders take turns.
const workLockKey int64 = 8102099284648260203

// WorkResult tells what LoadWork wrote; each part is zero when the
// database had some of that work already.
type WorkResult struct {
	Tickets       int // helpdesk tickets opened by the demo's mail
	Messages      int // messages ingested, replies from users included
	Replies       int // the helpdesk's replies
	Denials       int // denials raised by officers and the helpdesk
	SweepRuns     int
	Alerts        int
	PendingResets int // privileged resets waiting for a second person
	EmailChanges  int // staff changes of an e-mail address asked for
	Policies      int // IMK policy versions drafted
	TermsWaiting  int // terms versions submitted for a second editor
	SignIns       int
	IMKChecked    int // applications through the automatic check
	BulkJobs      int // bulk jobs (issue 17): done, awaiting approval, running
	MisuseSignals int // signals about applicants and providers raised (issue 18)
}

// Loaded reports whether anything was written.
func (r *WorkResult) Loaded() bool { return *r != WorkResult{} }

// step is one thing that happens in the demo's story, ago before now.
type step struct {
	ago  time.Duration
	what string
	run  func(ctx context.Context) error
}

// story collects the steps of every part of the work, then runs them in
// the order they happened, with the clock of wdb at each step's moment.
type story struct {
	now   time.Time
	clock time.Time
	steps []step
}

// at adds a step that happens ago before now.
func (s *story) at(ago time.Duration, what string, run func(ctx context.Context) error) {
	s.steps = append(s.steps, step{ago: ago, what: what, run: run})
}

// play runs the steps, oldest first (steps at one moment in the order
// they were added), each with the clock at its moment.
func (s *story) play(ctx context.Context) error {
	slices.SortStableFunc(s.steps, func(a, b step) int { return cmp.Compare(b.ago, a.ago) })
	for _, st := range s.steps {
		s.clock = s.now.Add(-st.ago)
		if err := st.run(ctx); err != nil {
			return fmt.Errorf("demo work: %s: %w", st.what, err)
		}
	}
	return nil
}

// LoadWork writes the work of every screen, each part only into a
// database that has none of it yet, so that running it again changes
// nothing: helpdesk mail (when there are no tickets: in UTF-8 and in the
// Baltic legacy charsets, quoted-printable and base64, HTML only, with an
// attachment; a question answered by the helpdesk and answered back,
// password-reset requests of an ordinary and of privileged accounts — two
// held for a second person —, a suspension request passed to security, an
// incident report), denials (when there are none: in force, waiting for a
// second officer, lift pending, lifted and cancelled, of Platform users,
// an institution and an operator, on six grounds), sweep runs of each
// sweep (when there are none), an open misuse alert (when there are
// none), e-mail changes (when there are none: one approved, one waiting),
// IMK policy versions (when only the first exists: one approved, a draft
// waiting), the terms draft submitted (when none waits), past sign-ins
// (when there are none) and a first batch of IMK applications checked
// (when none is in review). Whatever waits for a second person was
// started by a demo operator other than "demo". The demo's operators
// (Staff), its bulk data (Load), terms (LoadTerms) and IMK applications
// (LoadIMK) must be loaded first; a missing demo operator is an error.
// Errors of the database and of the services are returned wrapped.
func LoadWork(ctx context.Context, db *storage.DB, opts Options) (*WorkResult, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	now := opts.Now.UTC().Truncate(time.Microsecond)

	// Loaders take turns for the whole load, which spans many
	// transactions: a session lock on a connection of its own.
	conn, err := db.Pool().Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo work: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, workLockKey); err != nil {
		return nil, fmt.Errorf("demo work: lock: %w", err)
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_, _ = conn.Exec(uctx, `SELECT pg_advisory_unlock($1)`, workLockKey)
	}()

	staff, err := readStaff(ctx, db.Pool())
	if err != nil {
		return nil, err
	}
	present, err := readPresent(ctx, db)
	if err != nil {
		return nil, err
	}
	cast, err := readCast(ctx, db)
	if err != nil {
		return nil, err
	}

	// The services run on a DB of their own, whose clock is the story's.
	wdb, err := storage.Open(ctx, db.URL())
	if err != nil {
		return nil, fmt.Errorf("demo work: %w", err)
	}
	defer wdb.Close()
	wdb.AlertThresholds = db.AlertThresholds
	s := &story{now: now, clock: now}
	wdb.Now = func() time.Time { return s.clock }

	w := &work{db: db, wdb: wdb, staff: staff, cast: cast, now: now, res: &WorkResult{}, story: s}
	if !present.tickets {
		w.helpdesk()
	}
	if !present.denials {
		w.denials()
	}
	if !present.sweeps {
		w.sweeps()
	}
	if !present.alerts {
		w.alerts()
	}
	if !present.emailChanges {
		w.emailChanges()
	}
	if !present.policies {
		w.policies()
	}
	w.accountWork()
	if !present.termsWaiting {
		w.termsWaiting()
	}
	w.institutions()                         // issue 17; loads once, by its own check
	if err := w.sanctions(ctx); err != nil { // work_sanctions.go
		return nil, err
	}
	if err := s.play(ctx); err != nil {
		return nil, err
	}
	if !present.signIns {
		if err := w.signIns(ctx); err != nil {
			return nil, err
		}
	}
	if !present.imkReview {
		if err := w.imkCheck(ctx); err != nil {
			return nil, err
		}
	}
	if err := w.reverify(ctx); err != nil {
		return nil, err
	}
	if err := w.people(ctx); err != nil { // people with long histories (issue 17): demodata/people.go
		return nil, err
	}
	if err := w.bulk(ctx); err != nil {
		return nil, err
	}
	if err := w.misuse(ctx); err != nil { // work_misuse.go (issue 18)
		return nil, err
	}
	return w.res, nil
}

// present says which parts of the work the database has already.
type present struct {
	tickets, denials, sweeps, alerts, emailChanges, policies, termsWaiting, signIns, imkReview bool
}

func readPresent(ctx context.Context, db *storage.DB) (*present, error) {
	p := &present{}
	err := db.Pool().QueryRow(ctx, `
		SELECT EXISTS (SELECT FROM tickets),
		       EXISTS (SELECT FROM denials),
		       EXISTS (SELECT FROM sweep_runs),
		       EXISTS (SELECT FROM alerts),
		       EXISTS (SELECT FROM email_change_requests),
		       EXISTS (SELECT FROM eligibility_policies WHERE drafted_by IS NOT NULL),
		       EXISTS (SELECT FROM terms_versions WHERE state = 'submitted'),
		       EXISTS (SELECT FROM sign_in_attempts),
		       EXISTS (SELECT FROM imk_applications WHERE state IN ('checking', 'needs_review'))`).Scan(
		&p.tickets, &p.denials, &p.sweeps, &p.alerts, &p.emailChanges, &p.policies, &p.termsWaiting, &p.signIns, &p.imkReview)
	if err != nil {
		return nil, fmt.Errorf("demo work: look for work present: %w", err)
	}
	return p, nil
}

// work is one run of LoadWork.
type work struct {
	db    *storage.DB // the caller's, at the real time
	wdb   *storage.DB // the story's clock
	staff map[string]staffMember
	cast  *cast
	now   time.Time
	res   *WorkResult
	story *story
}

// as returns ctx acting as the demo operator named.
func (w *work) as(ctx context.Context, name string) context.Context { return w.staff[name].actor(ctx) }

// at adds a step of the story.
func (w *work) at(ago time.Duration, what string, run func(ctx context.Context) error) {
	w.story.at(ago, what, run)
}

// hour is a unit of the story's moments (day is generate.go's).
const hour = time.Hour
