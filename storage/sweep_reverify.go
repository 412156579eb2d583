package storage

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// reverify re-verifies the active institutions that are due (issue 17,
// ¶17.2) against the mirrors of the Register of Enterprises and VIIS, in
// transactions of BatchSize institutions claimed with FOR UPDATE SKIP
// LOCKED. Each active institution is first placed in its phase of the
// cycle (policy data, reverification_policy): due one cycle after its
// activation, or within the next cycle when that time has passed, so that
// the load is even over the cycle (reverify_next_due, as the death check
// spreads persons, ¶32.8). A due institution is compared
// (domain.RegisterView.Compare): with no difference the pass is recorded;
// otherwise an item waits in the reviewers' queue with the differences
// and the register data it saw (one open item per institution: a second
// finding while one waits adds none). Either way its next due time is one
// cycle on, in its phase.
func (s *Sweeper) reverify(ctx context.Context, r *sweepRun, now time.Time) error {
	batch := s.BatchSize
	if batch <= 0 {
		batch = sweepDefaultBatch
	}
	maxAge := s.ReverifyMaxDataAge
	if maxAge <= 0 {
		maxAge = domain.DefaultReverifyMaxDataAge
	}
	pol, err := readReverifyPolicy(ctx, s.db.pool)
	if err != nil {
		return err
	}
	cycle := int64(domain.ReverifyCycle(pol.CycleMonths) / time.Second)
	var imported [2]*time.Time
	if err := s.db.pool.QueryRow(ctx, `
		SELECT max(imported_at) FILTER (WHERE register = 'enterprises'), max(imported_at) FILTER (WHERE register = 'institutions')
		  FROM register_imports WHERE register IN ('enterprises', 'institutions')`).Scan(&imported[0], &imported[1]); err != nil {
		return dbError("read register imports", err)
	}
	if err := s.inTxAt(ctx, "place institutions in the re-verification cycle", now, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `
			UPDATE institutions
			   SET reverify_due_at = CASE WHEN reverify_next_due(id, activated_at, $2) > $1 THEN reverify_next_due(id, activated_at, $2)
			                              ELSE reverify_next_due(id, $1, $2) END
			 WHERE state = 'active' AND reverify_due_at IS NULL`, now, cycle)
		return dbError("place institutions in the re-verification cycle", err)
	}); err != nil {
		return err
	}
	for {
		var tried int
		err := s.inTxAt(ctx, "sweep re-verification", now, func(tx *Tx) error {
			rows, err := tx.Query(ctx, `
				WITH due AS (
				    SELECT id, name, company_reg_number, education_reg_number FROM institutions
				     WHERE state = 'active' AND reverify_due_at <= $1
				     ORDER BY reverify_due_at, id
				     LIMIT $2
				     FOR UPDATE SKIP LOCKED)
				SELECT due.id, due.name, due.company_reg_number,
				       e.reg_number, e.name, e.legal_form, e.status, e.status_date, e.address, e.fetched_at,
				       s.institution_number, s.name, s.founder_reg_number, s.status, s.address, s.fetched_at
				  FROM due
				  LEFT JOIN enterprise_register e ON e.reg_number = due.company_reg_number
				  LEFT JOIN institution_register s ON s.institution_number = due.education_reg_number
				 ORDER BY due.id`, now, batch)
			if err != nil {
				return dbError("claim institutions due", err)
			}
			var ids []int64
			var names, states []string
			var companies, schools []*string
			var diffs []string
			passed, opened := 0, 0
			var id int64
			var name, regNo string
			var eReg, eName, eForm, eStatus, eAddr, sNo, sName, sFounder, sStatus, sAddr *string
			var eDate, eAt, sAt *time.Time
			_, err = pgx.ForEachRow(rows, []any{&id, &name, &regNo, &eReg, &eName, &eForm, &eStatus, &eDate, &eAddr, &eAt,
				&sNo, &sName, &sFounder, &sStatus, &sAddr, &sAt}, func() error {
				v := domain.RegisterView{Now: now, MaxDataAge: maxAge, InstitutionName: name, CompanyRegNumber: regNo}
				if imported[0] != nil {
					v.CompanyImported = *imported[0]
				}
				if imported[1] != nil {
					v.SchoolImported = *imported[1]
				}
				if eReg != nil {
					v.Company = &domain.EnterpriseRecord{RegNumber: *eReg, Name: *eName, LegalForm: *eForm,
						Status: domain.RegisterStatus(*eStatus), Address: *eAddr, FetchedAt: eAt.UTC()}
					if eDate != nil {
						v.Company.StatusDate = eDate.UTC()
					}
				}
				if sNo != nil {
					v.School = &domain.SchoolRecord{InstitutionNumber: *sNo, Name: *sName, FounderRegNumber: *sFounder,
						Status: domain.RegisterStatus(*sStatus), Address: *sAddr, FetchedAt: sAt.UTC()}
				}
				found := v.Compare()
				state := domain.ReverifyPassed
				if len(found) > 0 {
					state = domain.ReverifyOpen
					opened++
				} else {
					passed++
				}
				c, err := jsonOrNil(v.Company)
				if err != nil {
					return err
				}
				sc, err := jsonOrNil(v.School)
				if err != nil {
					return err
				}
				d, err := json.Marshal(found)
				if err != nil {
					return err
				}
				if found == nil {
					d = []byte("[]")
				}
				ids, names, states = append(ids, id), append(names, name), append(states, string(state))
				companies, schools, diffs = append(companies, c), append(schools, sc), append(diffs, string(d))
				return nil
			})
			if err != nil {
				return dbError("claim institutions due", err)
			}
			tried = len(ids)
			if tried == 0 {
				return nil
			}
			// A finding while an item already waits for the institution adds
			// none: the reviewer sees the waiting one.
			out, err := tx.Query(ctx, `
				INSERT INTO reverifications (institution_id, state, created_at, updated_at, institution_name, enterprise, school, differences, sweep_run_id)
				SELECT v.id, v.state, $1, $1, v.name, v.company::jsonb, v.school::jsonb,
				       ARRAY(SELECT jsonb_array_elements_text(v.diffs::jsonb)), $7
				  FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $8::text[]) AS v (id, name, state, company, school, diffs)
				ON CONFLICT (institution_id) WHERE state = 'open' DO NOTHING
				RETURNING id, state`, now, ids, names, states, companies, schools, r.ID, diffs)
			if err != nil {
				return dbError("record re-verifications", err)
			}
			var newID int64
			var newState string
			var news []int64
			if _, err := pgx.ForEachRow(out, []any{&newID, &newState}, func() error {
				if newState == string(domain.ReverifyOpen) {
					news = append(news, newID)
				}
				return nil
			}); err != nil {
				return dbError("record re-verifications", err)
			}
			if _, err := tx.Exec(ctx, `
				UPDATE institutions i
				   SET reverify_due_at = reverify_next_due(i.id, $1, $3),
				       reverified_at = CASE WHEN v.state = 'passed' THEN $1 ELSE i.reverified_at END
				  FROM unnest($2::bigint[], $4::text[]) AS v (id, state)
				 WHERE i.id = v.id`, now, ids, cycle, states); err != nil {
				return dbError("record re-verifications", err)
			}
			for _, n := range news {
				if err := Notify(ctx, tx, domain.TopicReverify, strconv.FormatInt(n, 10)); err != nil {
					return err
				}
			}
			r.Checked += int64(tried)
			r.Changed += int64(len(news))
			return appendAudit(ctx, tx, &domain.AuditEntry{
				Action: domain.AuditSweepReverify, SubjectKind: "sweep_run", SubjectID: strconv.FormatInt(r.ID, 10),
				Details: "re-verified " + strconv.Itoa(tried) + ", passed " + strconv.Itoa(passed) +
					", with differences " + strconv.Itoa(opened) + ", new queue items " + strconv.Itoa(len(news)),
			})
		})
		if err != nil {
			return err
		}
		if tried < batch {
			return nil
		}
		if err := s.renew(ctx, r); err != nil {
			return err
		}
	}
}

// jsonOrNil encodes v, or returns nil for a nil record.
func jsonOrNil[T any](v *T) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, errorf("encode register data", err)
	}
	s := string(b)
	return &s, nil
}
