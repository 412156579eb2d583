package storage_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

const (
	enterprisesHeader  = "reg_number,name,legal_form,status,status_date,address\n"
	institutionsHeader = "institution_number,name,founder_reg_number,status,address\n"
)

// TestImportOrgRegister_GoodFile_BadLines_Oversize_ImportNothingHalf: the
// two registers of institutions are imported like the other registers —
// a good file is upserted and recorded as an import (a second import of it
// changes nothing), and a bad line is named by its number while nothing
// of the file is imported; a file over the limit is refused while it is
// streamed (issue 17).
func TestImportOrgRegister_GoodFile_BadLines_Oversize_ImportNothingHalf(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := t.Context()
	a, b := companyNumberFor(1), companyNumberFor(2)
	good := enterprisesHeader + a + `,"SIA ""Ābele""",SIA,active,,Rīga` + "\n" + b + ",Mācību centrs,SIA,liquidated,2025-03-01,Cēsis\n"
	res, err := storage.ImportOrgRegister(ctx, db, domain.RegisterEnterprises, strings.NewReader("\xef\xbb\xbf"+good))
	if err != nil || res.Rows != 2 || res.Inserted != 2 {
		t.Fatalf("good import %+v, %v", res, err)
	}
	res, err = storage.ImportOrgRegister(ctx, db, domain.RegisterEnterprises, strings.NewReader(good))
	if err != nil || res.Unchanged != 2 || res.Updated != 0 {
		t.Fatalf("second import %+v, %v", res, err)
	}
	res, err = storage.ImportOrgRegister(ctx, db, domain.RegisterEnterprises, strings.NewReader(strings.Replace(good, "Cēsis", "Valmiera", 1)))
	if err != nil || res.Updated != 1 || res.Unchanged != 1 {
		t.Fatalf("changed import %+v, %v", res, err)
	}
	if n := countRows(t, db, "SELECT count(*) FROM register_imports WHERE register = 'enterprises'"); n != 3 {
		t.Fatalf("%d imports recorded, want 3", n)
	}
	school := leftPad("4", 10)
	if _, err := storage.ImportOrgRegister(ctx, db, domain.RegisterInstitutions, strings.NewReader(institutionsHeader+school+",Ābeles skola,"+a+",active,Rīga\n")); err != nil {
		t.Fatal(err)
	}
	c := companyNumberFor(3)
	cases := []struct {
		name, reg, file, key string
		line                 int
	}{
		{"empty", "enterprises", "", "register.empty", 0},
		{"wrong header", "enterprises", institutionsHeader, "register.header", 0},
		{"bad reg number", "enterprises", enterprisesHeader + c + ",A,SIA,active,,\n40000000001,B,SIA,active,,\n", "register.bad_row", 3},
		{"unknown status", "enterprises", enterprisesHeader + c + ",A,SIA,closed,,\n", "register.bad_row", 2},
		{"liquidated without a date", "enterprises", enterprisesHeader + c + ",A,SIA,liquidated,,\n", "register.bad_row", 2},
		{"no name", "institutions", institutionsHeader + "1234567890,,,active,\n", "register.bad_row", 2},
		{"bad founder", "institutions", institutionsHeader + "1234567890,Skola,123,active,\n", "register.bad_row", 2},
		{"control character", "enterprises", enterprisesHeader + c + ",A\x1b[31m,SIA,active,,\n", "register.bad_row", 2},
		{"reordering character", "institutions", institutionsHeader + "1234567890,Skola\u202e,,active,\n", "register.bad_row", 2},
		{"not UTF-8", "enterprises", enterprisesHeader + c + ",A,SIA,active,,\n" + a + ",R\xeeg\xe2,SIA,active,,\n", "register.encoding", 3},
		{"too few columns", "enterprises", enterprisesHeader + c + ",A,SIA,active,,\n" + a + ",A\n", "register.bad_row", 3},
		{"duplicate", "enterprises", enterprisesHeader + c + ",A,SIA,active,,\n" + a + ",B,SIA,active,,\n" + c + ",C,SIA,active,,\n", "register.bad_row", 4},
		{"unterminated quote", "institutions", institutionsHeader + "1234567890,\"Skola,,active,\n", "register.bad_row", 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := storage.ImportOrgRegister(ctx, db, domain.Register(tc.reg), strings.NewReader(tc.file))
			e := domain.AsError(err)
			if e == nil || e.Code != domain.EINVALID || e.Key != tc.key {
				t.Fatalf("err = %v, want EINVALID %s", err, tc.key)
			}
			if tc.line > 0 && (len(e.Args) == 0 || e.Args[0] != tc.line) {
				t.Fatalf("args %v, want line %d", e.Args, tc.line)
			}
		})
	}
	// Oversize: refused while streaming, whatever the rows hold.
	big := enterprisesHeader + strings.Repeat(c+",A,SIA,active,,\n", 100)
	_, err = storage.ImportOrgRegisterLimit(ctx, db, domain.RegisterEnterprises, strings.NewReader(big), 1000)
	wantError(t, err, domain.EINVALID, "register.too_large")
	if _, err := storage.ImportOrgRegisterLimit(ctx, db, domain.RegisterEnterprises, strings.NewReader(good), int64(len(good))); err != nil {
		t.Fatalf("a file of exactly the limit: %v", err)
	}
	if n := countRows(t, db, "SELECT count(*) FROM enterprise_register"); n != 2 {
		t.Fatalf("%d enterprises after the bad files, want the good file's 2", n)
	}
	if n := countRows(t, db, "SELECT count(*) FROM institution_register"); n != 1 {
		t.Fatalf("%d institutions after the bad files, want 1", n)
	}
}

// reverifyEnv is a database with institutions and both registers.
type reverifyEnv struct {
	db  *storage.DB
	now time.Time
	n   int64
}

// institution creates an active institution named name, activated at
// activated, due for re-verification at due (nil: not placed yet).
func (e *reverifyEnv) institution(t *testing.T, name string, activated time.Time, due *time.Time) (id int64, company, school string) {
	t.Helper()
	e.n++
	company, school = companyNumberFor(e.n+700), leftPad(strconv.FormatInt(5000000000+e.n, 10), 10)
	err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at, reverify_due_at)
		VALUES ($1, $2, $3, $4, 'active', $5, $6) RETURNING id`,
		name, company, school, "iestade"+strconv.FormatInt(e.n, 10)+"@example.lv", activated, due).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id, company, school
}

// flagged builds the sweep's scenario: five institutions due now — one in
// order, one whose company is liquidated, one renamed in VIIS, one missing
// from VIIS, one whose company's data is stale — and runs the sweep.
func flagged(t *testing.T) (e *reverifyEnv, ids map[string]int64, run *domain.SweepRun) {
	t.Helper()
	e = &reverifyEnv{db: pgtest.NewDB(t)}
	e.now = time.Now().UTC().Truncate(time.Second)
	past := e.now.Add(-time.Hour)
	ids = map[string]int64{}
	var ent, sch strings.Builder
	ent.WriteString(enterprisesHeader)
	sch.WriteString(institutionsHeader)
	for _, k := range []string{"ok", "liquidated", "renamed", "missing", "stale"} {
		id, company, school := e.institution(t, "Iestāde "+k, e.now.AddDate(-3, 0, 0), &past)
		ids[k] = id
		status, date := "active", ""
		if k == "liquidated" {
			status, date = "liquidated", "2025-01-15"
		}
		fmt.Fprintf(&ent, "%s,Iestāde %s,SIA,%s,%s,Rīga\n", company, k, status, date)
		name := "Iestāde " + k
		if k == "renamed" {
			name = "Jaunais nosaukums"
		}
		if k != "missing" {
			fmt.Fprintf(&sch, "%s,%s,%s,active,Rīga\n", school, name, company)
		}
	}
	for reg, f := range map[domain.Register]string{domain.RegisterEnterprises: ent.String(), domain.RegisterInstitutions: sch.String()} {
		if _, err := storage.ImportOrgRegister(t.Context(), e.db, reg, strings.NewReader(f)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.db.Pool().Exec(t.Context(), `
		UPDATE enterprise_register SET fetched_at = $2
		 WHERE reg_number = (SELECT company_reg_number FROM institutions WHERE id = $1)`,
		ids["stale"], e.now.AddDate(0, 0, -200)); err != nil {
		t.Fatal(err)
	}
	run, err := storage.NewSweeper(e.db, "test").RunSweep(t.Context(), storage.SweepReverify, e.now)
	if err != nil {
		t.Fatal(err)
	}
	return e, ids, run
}

// TestSweepReverify_SpreadsOverTheCycle_FlagsLiquidatedRenamedMissingStale:
// every active institution gets a due time in its phase, spread evenly
// over the cycle (policy data, 12 months); a due one is compared with the
// registers — a liquidated company, a changed name, an institution
// missing from VIIS and stale register data each open a queue item with
// the differences, one in order passes (recorded) — and each is next due
// one cycle on. A second run changes nothing; a finding while an item
// waits adds none (issue 17).
func TestSweepReverify_SpreadsOverTheCycle_FlagsLiquidatedRenamedMissingStale(t *testing.T) {
	t.Parallel()
	e, ids, run := flagged(t)
	ctx := t.Context()
	if run.Checked != 5 || run.Changed != 4 {
		t.Fatalf("run checked %d, changed %d; want 5 and 4", run.Checked, run.Changed)
	}
	want := map[string][]domain.Difference{
		"ok":         nil,
		"liquidated": {domain.DiffCompanyLiquidated},
		"renamed":    {domain.DiffNameChanged},
		"missing":    {domain.DiffSchoolMissing},
		"stale":      {domain.DiffCompanyStale},
	}
	cycle := domain.ReverifyCycle(domain.DefaultReverifyCycleMonths)
	for k, id := range ids {
		var state string
		var diffs []string
		if err := e.db.Pool().QueryRow(ctx, `SELECT state, differences FROM reverifications WHERE institution_id = $1`, id).Scan(&state, &diffs); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		wantState := "open"
		if k == "ok" {
			wantState = "passed"
		}
		if state != wantState || fmt.Sprint(diffs) != fmt.Sprint(want[k]) && !(len(diffs) == 0 && want[k] == nil) {
			t.Errorf("%s: %s %v, want %s %v", k, state, diffs, wantState, want[k])
		}
		var due time.Time
		if err := e.db.Pool().QueryRow(ctx, `SELECT reverify_due_at FROM institutions WHERE id = $1`, id).Scan(&due); err != nil {
			t.Fatal(err)
		}
		if !due.After(e.now) || due.After(e.now.Add(cycle)) {
			t.Errorf("%s: next due %s, want within one cycle after %s", k, due, e.now)
		}
	}
	// Placing: 240 institutions never re-verified, activated long ago, fall
	// due over the next cycle, about evenly by month; recent ones one cycle
	// after their activation.
	for i := range 240 {
		e.institution(t, "Skola "+strconv.Itoa(i), e.now.AddDate(-2, 0, 0), nil)
	}
	recent, _, _ := e.institution(t, "Jauna skola", e.now.AddDate(0, -1, 0), nil)
	again, err := storage.NewSweeper(e.db, "test").RunSweep(ctx, storage.SweepReverify, e.now)
	if err != nil || again.Checked != 0 || again.Changed != 0 {
		t.Fatalf("second run at the same time: %+v, %v; want nothing done", again, err)
	}
	buckets := make([]int, 12)
	rows, err := e.db.Pool().Query(ctx, `SELECT reverify_due_at FROM institutions WHERE name LIKE 'Skola %'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var due time.Time
		if err := rows.Scan(&due); err != nil {
			t.Fatal(err)
		}
		d := due.Sub(e.now)
		if d <= 0 || d > cycle {
			t.Fatalf("placed at %s, want within the next cycle", due)
		}
		buckets[int(d*12/cycle)%12]++
	}
	for i, n := range buckets {
		if n < 6 || n > 40 {
			t.Errorf("month %d of the cycle holds %d of 240 institutions (%v), want about 20", i, n, buckets)
		}
	}
	var recentDue time.Time
	if err := e.db.Pool().QueryRow(ctx, `SELECT reverify_due_at FROM institutions WHERE id = $1`, recent).Scan(&recentDue); err != nil {
		t.Fatal(err)
	}
	if activated := e.now.AddDate(0, -1, 0); !recentDue.After(activated) || recentDue.After(activated.Add(cycle)) {
		t.Errorf("a recent institution is due %s, want within a cycle of its activation", recentDue)
	}
	// A cycle later: the passes are recorded again, the open items not
	// duplicated.
	later := e.now.Add(cycle + time.Hour)
	for _, table := range []string{"enterprise_register", "institution_register"} {
		if _, err := e.db.Pool().Exec(ctx, `UPDATE `+table+` SET fetched_at = $1`, later); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := storage.NewSweeper(e.db, "test").RunSweep(ctx, storage.SweepReverify, later); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, e.db, `SELECT count(*) FROM reverifications WHERE institution_id = $1 AND state = 'open'`, ids["liquidated"]); n != 1 {
		t.Errorf("%d open items for the liquidated institution, want 1", n)
	}
	if n := countRows(t, e.db, `SELECT count(*) FROM reverifications WHERE institution_id = $1 AND state = 'passed'`, ids["ok"]); n != 2 {
		t.Errorf("%d passes of the institution in order, want 2", n)
	}
	if !containsAction(auditActions(t, e.db), domain.AuditSweepReverify) {
		t.Error("no sweep.reverify audit entry")
	}
}

func containsAction(actions []string, a string) bool {
	for _, x := range actions {
		if x == a {
			return true
		}
	}
	return false
}

// TestReverify_Decisions_RoleChecks_Concurrency: a reviewer claims,
// confirms, updates (the institution takes the register's name, the old
// and new kept) or escalates (then seen by security), each with a reason
// and audited; others are refused by role, claim, version and state; of
// reviewers deciding one item at once exactly one succeeds; the cycle is
// an administrator's to change (issue 17).
func TestReverify_Decisions_RoleChecks_Concurrency(t *testing.T) {
	t.Parallel()
	e, ids, _ := flagged(t)
	svc := storage.NewReverifyService(e.db)
	rev1 := newOperator(t, e.db, "rev.one")
	rev2 := newOperator(t, e.db, "rev.two")
	sec := newOperator(t, e.db, "sec.one", withRoles(domain.RoleSecurity))
	help := newOperator(t, e.db, "help.one", withRoles(domain.RoleHelpdesk))
	admin := newOperator(t, e.db, "admin.one", withRoles(domain.RoleAdmin))
	r1, r2 := as(t, rev1), as(t, rev2)

	list, err := svc.ListReverifications(r1, domain.ReverifyFilter{})
	if err != nil || len(list) != 4 {
		t.Fatalf("open items %d, %v; want 4", len(list), err)
	}
	item := map[int64]*domain.Reverification{}
	for _, r := range list {
		item[r.InstitutionID] = r
	}
	_, err = svc.ListReverifications(as(t, help), domain.ReverifyFilter{})
	wantError(t, err, domain.EFORBIDDEN, "reverify.not_reviewer")
	if got, err := svc.ListReverifications(as(t, sec), domain.ReverifyFilter{}); err != nil || len(got) != 0 {
		t.Fatalf("security sees %d open items, %v; want none (only escalated)", len(got), err)
	}

	liq := item[ids["liquidated"]]
	if _, err := svc.ClaimReverification(r1, liq.ID); err != nil {
		t.Fatal(err)
	}
	_, err = svc.ClaimReverification(r2, liq.ID)
	wantError(t, err, domain.ECONFLICT, "reverify.claimed")
	_, err = svc.DecideReverification(r2, liq.ID, liq.Version, domain.ReverifyConfirm, "ok")
	wantError(t, err, domain.ECONFLICT, "reverify.claimed")
	_, err = svc.DecideReverification(r1, liq.ID, liq.Version, domain.ReverifyConfirm, "  ")
	wantError(t, err, domain.EINVALID, "reverify.reason_required")
	_, err = svc.DecideReverification(r1, liq.ID, liq.Version-1, domain.ReverifyConfirm, "ok")
	wantError(t, err, domain.ECONFLICT, "reverify.changed")
	_, err = svc.DecideReverification(r1, liq.ID, liq.Version, domain.ReverifyUpdate, "take the name")
	wantError(t, err, domain.EINVALID, "reverify.no_new_name")
	_, err = svc.DecideReverification(as(t, help), liq.ID, liq.Version, domain.ReverifyConfirm, "ok")
	wantError(t, err, domain.EFORBIDDEN, "reverify.not_reviewer")
	esc, err := svc.DecideReverification(r1, liq.ID, liq.Version, domain.ReverifyEscalate, "Uzņēmums likvidēts: ¶32.5 lieta")
	if err != nil || esc.State != domain.ReverifyEscalated || esc.DecidedBy != rev1.ID || esc.ClaimedBy != 0 {
		t.Fatalf("escalate: %+v, %v", esc, err)
	}
	_, err = svc.DecideReverification(r1, liq.ID, esc.Version, domain.ReverifyConfirm, "again")
	wantError(t, err, domain.ECONFLICT, "reverify.decided")
	if got, err := svc.ListReverifications(as(t, sec), domain.ReverifyFilter{}); err != nil || len(got) != 1 || got[0].ID != liq.ID {
		t.Fatalf("security sees %v, %v; want the escalated item", got, err)
	}
	if _, err := svc.FindReverification(as(t, sec), item[ids["stale"]].ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("security finds an open item: %v", err)
	}

	ren := item[ids["renamed"]]
	up, err := svc.DecideReverification(r2, ren.ID, ren.Version, domain.ReverifyUpdate, "VIIS: jauns nosaukums")
	if err != nil || up.OldName != "Iestāde renamed" || up.NewName != "Jaunais nosaukums" {
		t.Fatalf("update: %+v, %v", up, err)
	}
	var name string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT name FROM institutions WHERE id = $1`, ids["renamed"]).Scan(&name); err != nil || name != "Jaunais nosaukums" {
		t.Fatalf("institution's name %q, %v", name, err)
	}

	// Concurrent reviewers on one item: exactly one decides.
	stale := item[ids["stale"]]
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, refusals := 0, 0
	for _, op := range []*domain.Operator{rev1, rev2, rev1, rev2} {
		wg.Go(func() {
			_, err := svc.DecideReverification(as(t, op), stale.ID, stale.Version, domain.ReverifyConfirm, "dati atjaunoti")
			mu.Lock()
			defer mu.Unlock()
			switch domain.ErrorCode(err) {
			case "":
				wins++
			case domain.ECONFLICT:
				refusals++
			default:
				t.Errorf("concurrent decision: %v", err)
			}
		})
	}
	wg.Wait()
	if wins != 1 || refusals != 3 {
		t.Fatalf("%d decisions succeeded and %d were refused; want 1 and 3", wins, refusals)
	}
	acts := auditActions(t, e.db)
	for _, a := range []string{domain.AuditReverifyEscalate, domain.AuditReverifyUpdate, domain.AuditReverifyConfirm} {
		if !containsAction(acts, a) {
			t.Errorf("no %s audit entry", a)
		}
	}

	// The cycle: an administrator's.
	_, err = svc.SetReverifyCycle(r1, 6)
	wantError(t, err, domain.EFORBIDDEN, "reverify.not_admin")
	_, err = svc.SetReverifyCycle(as(t, admin), 0)
	wantError(t, err, domain.EINVALID, "reverify.cycle_range")
	p, err := svc.SetReverifyCycle(as(t, admin), 6)
	if err != nil || p.CycleMonths != 6 || p.ChangedByName == "" {
		t.Fatalf("set cycle: %+v, %v", p, err)
	}
	if !containsAction(auditActions(t, e.db), domain.AuditReverifyCycle) {
		t.Error("no reverify.cycle audit entry")
	}
}
