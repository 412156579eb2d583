package demodata

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// reverify builds the re-verification of institutions (issue 17):
// extracts of the Register of Enterprises and of VIIS naming every active
// institution, in which one company is liquidated, one institution bears
// another name in VIIS and one is missing from VIIS; those three and one
// in order fall due now, and the sweep runs — three wait in the reviewers'
// queue, one passes. The rest are placed in their phase of the cycle.
// Nothing is done when re-verifications exist already or there are fewer
// than four active institutions.
func (w *work) reverify(ctx context.Context) error {
	var done bool
	if err := w.db.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT FROM reverifications)`).Scan(&done); err != nil || done {
		return err
	}
	rows, err := w.db.Pool().Query(ctx, `
		SELECT id, name, company_reg_number, education_reg_number FROM institutions
		 WHERE state = 'active' ORDER BY id LIMIT 2000`)
	if err != nil {
		return fmt.Errorf("demo re-verification: %w", err)
	}
	type inst struct {
		id                    int64
		name, company, school string
	}
	var all []inst
	for rows.Next() {
		var i inst
		if err := rows.Scan(&i.id, &i.name, &i.company, &i.school); err != nil {
			rows.Close()
			return fmt.Errorf("demo re-verification: %w", err)
		}
		all = append(all, i)
	}
	rows.Close()
	if len(all) < 4 {
		return nil
	}
	var ent, sch strings.Builder
	ent.WriteString("reg_number,name,legal_form,status,status_date,address\n")
	sch.WriteString("institution_number,name,founder_reg_number,status,address\n")
	q := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	seenCo, seenSch := map[string]bool{}, map[string]bool{}
	for n, i := range all {
		if !seenCo[i.company] {
			seenCo[i.company] = true
			status, date := "active", ""
			if n == 1 {
				status, date = "liquidated", w.now.AddDate(0, -2, 0).Format(time.DateOnly)
			}
			fmt.Fprintf(&ent, "%s,%s,SIA,%s,%s,%s\n", i.company, q(i.name), status, date, q("Rīga"))
		}
		if n == 3 || seenSch[i.school] {
			continue // missing from VIIS
		}
		seenSch[i.school] = true
		name := i.name
		if n == 2 {
			name = i.name + " (pārdēvēta)"
		}
		fmt.Fprintf(&sch, "%s,%s,%s,active,%s\n", i.school, q(name), i.company, q("Rīga"))
	}
	for reg, f := range map[domain.Register]string{domain.RegisterEnterprises: ent.String(), domain.RegisterInstitutions: sch.String()} {
		if _, err := storage.ImportOrgRegister(ctx, w.db, reg, strings.NewReader(f)); err != nil {
			return fmt.Errorf("demo re-verification: import %s: %w", reg, err)
		}
	}
	ids := []int64{all[0].id, all[1].id, all[2].id, all[3].id}
	if _, err := w.db.Pool().Exec(ctx, `UPDATE institutions SET reverify_due_at = $2 WHERE id = ANY ($1)`, ids, w.now.Add(-time.Hour)); err != nil {
		return fmt.Errorf("demo re-verification: %w", err)
	}
	if _, err := storage.NewSweeper(w.db, "demo").RunSweep(ctx, storage.SweepReverify, w.now); err != nil {
		return fmt.Errorf("demo re-verification: %w", err)
	}
	return nil
}
