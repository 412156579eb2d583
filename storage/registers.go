package storage

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// Outage simulates registers that do not always answer: each fetch waits
// Latency and then fails with probability FailureRate.
type Outage struct {
	FailureRate float64
	Latency     time.Duration
}

// ParseOutage reads an outage as PPP_REGISTER_OUTAGE spells it: "0.3,200ms"
// (rate, latency; either may be left out). An empty string is no outage.
// It returns EINVALID "register.outage" for anything else.
func ParseOutage(s string) (Outage, error) {
	var o Outage
	s = strings.TrimSpace(s)
	if s == "" {
		return o, nil
	}
	bad := domain.Errorf(domain.EINVALID, "register.outage", "bad PPP_REGISTER_OUTAGE %q: it must be like \"0.3,200ms\"", s)
	rate, lat, _ := strings.Cut(s, ",")
	if rate = strings.TrimSpace(rate); rate != "" {
		f, err := strconv.ParseFloat(rate, 64)
		if err != nil || f < 0 || f > 1 {
			return o, bad
		}
		o.FailureRate = f
	}
	if lat = strings.TrimSpace(lat); lat != "" {
		d, err := time.ParseDuration(lat)
		if err != nil || d < 0 {
			return o, bad
		}
		o.Latency = d
	}
	return o, nil
}

// MirrorRegisters answers for the three registers from their mirror in
// the database (population_register, revenue_register,
// education_register) and keeps every answer in register_snapshots. It
// implements domain.Registers.
type MirrorRegisters struct {
	db     *DB
	outage Outage

	mu  sync.Mutex
	rng *rand.Rand
}

var _ domain.Registers = (*MirrorRegisters)(nil)

// NewMirrorRegisters returns the registers on db, failing as outage says;
// src makes the failures reproducible (nil: a random source).
func NewMirrorRegisters(db *DB, outage Outage, src rand.Source) *MirrorRegisters {
	if src == nil {
		src = rand.NewPCG(rand.Uint64(), rand.Uint64())
	}
	return &MirrorRegisters{db: db, outage: outage, rng: rand.New(src)}
}

// snapshotPayload is what register_snapshots.payload holds.
type snapshotPayload struct {
	Person     *domain.PersonRecord      `json:"person,omitempty"`
	Employment []domain.EmploymentPeriod `json:"employment,omitempty"`
	Education  *domain.EducationRecord   `json:"education,omitempty"`
}

// Fetch asks one register about personalCode and keeps the answer as a
// snapshot. A simulated outage gives a snapshot with Answered false. It
// returns EINVALID for an unknown register or personal code, and
// EUNAVAILABLE when the snapshot cannot be kept.
func (r *MirrorRegisters) Fetch(ctx context.Context, reg domain.Register, personalCode string) (*domain.Snapshot, error) {
	all, err := r.FetchAll(ctx, personalCode, reg)
	if err != nil {
		return nil, err
	}
	return all[0], nil
}

// FetchAll asks each of regs (all three when none) about personalCode in
// one transaction, waiting the outage's latency once per register before
// it. It returns the same errors as Fetch.
func (r *MirrorRegisters) FetchAll(ctx context.Context, personalCode string, regs ...domain.Register) ([]*domain.Snapshot, error) {
	if len(regs) == 0 {
		regs = []domain.Register{domain.RegisterPopulation, domain.RegisterRevenue, domain.RegisterEducation}
	}
	code, err := domain.NormalizePersonalCode(personalCode)
	if err != nil {
		return nil, err
	}
	failed := make([]bool, len(regs))
	for i, reg := range regs {
		if !knownRegister(reg) {
			return nil, domain.Errorf(domain.EINVALID, "register.unknown", "unknown register %q", string(reg))
		}
		if r.outage.Latency > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(r.outage.Latency):
			}
		}
		if r.outage.FailureRate > 0 {
			r.mu.Lock()
			failed[i] = r.rng.Float64() < r.outage.FailureRate
			r.mu.Unlock()
		}
	}
	out := make([]*domain.Snapshot, len(regs))
	err = r.db.inTx(ctx, "fetch register data", func(tx *Tx) error {
		for i, reg := range regs {
			s := &domain.Snapshot{Register: reg, FetchedAt: tx.now}
			if failed[i] {
				s.Error = "the register did not answer (outage)"
			} else if err := readMirror(ctx, tx, reg, code, s); err != nil {
				return err
			}
			if err := insertSnapshot(ctx, tx, code, s); err != nil {
				return err
			}
			out[i] = s
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func knownRegister(reg domain.Register) bool {
	return reg == domain.RegisterPopulation || reg == domain.RegisterRevenue || reg == domain.RegisterEducation
}

// readMirror fills s with the mirror's answer about code.
func readMirror(ctx context.Context, tx *Tx, reg domain.Register, code string, s *domain.Snapshot) error {
	s.Answered = true
	switch reg {
	case domain.RegisterPopulation:
		p := &domain.PersonRecord{PersonalCode: code}
		var birth, died *time.Time
		err := tx.QueryRow(ctx, `
			SELECT first_name, last_name, birth_date, resident, municipality, deceased_on
			  FROM population_register WHERE personal_code = $1`, code,
		).Scan(&p.FirstName, &p.LastName, &birth, &p.Resident, &p.Municipality, &died)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return dbError("read the Population Register", err)
		}
		if birth != nil {
			p.BirthDate = birth.UTC()
		}
		if died != nil {
			p.DeceasedOn = died.UTC()
		}
		s.Found, s.Person = true, p
	case domain.RegisterRevenue:
		rows, err := tx.Query(ctx, `
			SELECT employer, self_employed, valid_from, valid_until
			  FROM revenue_register WHERE personal_code = $1
			 ORDER BY valid_from, employer`, code)
		if err != nil {
			return dbError("read VID", err)
		}
		var per domain.EmploymentPeriod
		var until *time.Time
		_, err = pgx.ForEachRow(rows, []any{&per.Employer, &per.SelfEmployed, &per.From, &until}, func() error {
			p := per
			p.From = p.From.UTC()
			if until != nil {
				p.Until = until.UTC()
			}
			s.Employment = append(s.Employment, p)
			return nil
		})
		if err != nil {
			return dbError("read VID", err)
		}
		s.Found = len(s.Employment) > 0
	case domain.RegisterEducation:
		e := &domain.EducationRecord{}
		err := tx.QueryRow(ctx, `
			SELECT highest_lki, studying FROM education_register WHERE personal_code = $1`, code,
		).Scan(&e.HighestLKI, &e.Studying)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return dbError("read VIIS", err)
		}
		s.Found, s.Education = true, e
	}
	return nil
}

// insertSnapshot keeps s and sets its id.
func insertSnapshot(ctx context.Context, tx *Tx, code string, s *domain.Snapshot) error {
	var payload []byte
	if s.Found {
		var err error
		payload, err = json.Marshal(snapshotPayload{Person: s.Person, Employment: s.Employment, Education: s.Education})
		if err != nil {
			return errorf("encode register snapshot", err)
		}
	}
	err := tx.QueryRow(ctx, `
		INSERT INTO register_snapshots (register, personal_code, fetched_at, answered, found, error, payload)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		string(s.Register), code, s.FetchedAt, s.Answered, s.Found, s.Error, payload,
	).Scan(&s.ID)
	return dbError("keep register snapshot", err)
}

// latestSnapshots reads the newest snapshot of each register about code.
func latestSnapshots(ctx context.Context, q pgx.Tx, code string) ([]*domain.Snapshot, error) {
	rows, err := q.Query(ctx, `
		SELECT DISTINCT ON (register) id, register, fetched_at, answered, found, error, payload
		  FROM register_snapshots WHERE personal_code = $1
		 ORDER BY register, fetched_at DESC, id DESC`, code)
	if err != nil {
		return nil, dbError("read register snapshots", err)
	}
	var out []*domain.Snapshot
	var s domain.Snapshot
	var reg string
	var payload []byte
	_, err = pgx.ForEachRow(rows, []any{&s.ID, &reg, &s.FetchedAt, &s.Answered, &s.Found, &s.Error, &payload}, func() error {
		snap := s
		snap.Register = domain.Register(reg)
		if len(payload) > 0 {
			var p snapshotPayload
			if err := json.Unmarshal(payload, &p); err != nil {
				return err
			}
			snap.Person, snap.Employment, snap.Education = p.Person, p.Employment, p.Education
		}
		out = append(out, &snap)
		return nil
	})
	if err != nil {
		return nil, dbError("read register snapshots", err)
	}
	return out, nil
}
