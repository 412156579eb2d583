package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
)

// TestReverifyCLI_CycleImportSweep_QueuesTheLiquidated drives the
// re-verification of institutions (issue 17, ¶17.2) through the verbs an
// administrator types on the built binary: `ppp reverify cycle` prints the
// cycle (12 months by default), refuses a cycle out of its bounds and a
// word that is no number, and sets another one, audited; `ppp registers
// import enterprises FILE` loads an extract in which an active
// institution's company is liquidated, and `ppp sweep reverify` puts that
// institution in the reviewers' queue with the difference and gives it its
// next due date. A bad extract names its line, exits non-zero and imports
// nothing; the VIIS extract (`import institutions`) loads beside it.
func TestReverifyCLI_CycleImportSweep_QueuesTheLiquidated(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	conn := sqlConn(t, in)
	ctx := t.Context()

	res := in.mustRun(t, "", "reverify", "cycle")
	if want := text(t, en, "cli.reverify.cycle", en.N("cli.reverify.months", 12)); strings.TrimSpace(res.stdout) != want {
		t.Errorf("ppp reverify cycle printed %q, want %q", res.stdout, want)
	}
	res = in.run(t, "", "reverify", "cycle", "0")
	if want := text(t, en, "reverify.cycle_range", domain.MinReverifyCycleMonths, domain.MaxReverifyCycleMonths); res.code == 0 || !strings.Contains(res.stderr, want) {
		t.Errorf("a cycle of 0 months: want a failure saying %q, got %s", want, res)
	}
	if res = in.run(t, "", "reverify", "cycle", "six"); res.code != 2 || !strings.Contains(res.stderr, text(t, en, "cli.help.reverify")) {
		t.Errorf("a cycle that is no number: want the usage and exit 2, got %s", res)
	}
	res = in.mustRun(t, "", "reverify", "cycle", "6")
	if want := text(t, en, "cli.reverify.cycle_set", en.N("cli.reverify.months", 6)); strings.TrimSpace(res.stdout) != want {
		t.Errorf("ppp reverify cycle 6 printed %q, want %q", res.stdout, want)
	}
	res = in.mustRun(t, "", "reverify", "cycle")
	if want := text(t, en, "cli.reverify.cycle", en.N("cli.reverify.months", 6)); strings.TrimSpace(res.stdout) != want {
		t.Errorf("after setting 6, ppp reverify cycle printed %q, want %q", res.stdout, want)
	}
	var details string
	if err := conn.QueryRow(ctx, `SELECT details FROM audit_log WHERE action = $1`, domain.AuditReverifyCycle).Scan(&details); err != nil || details != "months 12 → 6" {
		t.Errorf("the cycle change's audit entry: %q, %v; want one entry \"months 12 → 6\"", details, err)
	}

	company := contracttest.CompanyRegNumber(7)
	var inst int64
	if err := conn.QueryRow(ctx, `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at, reverify_due_at)
		VALUES ('Ābeles skola', $1, '3113903386', 'skola@example.lv', 'active', now() - interval '2 years', now() - interval '1 day')
		RETURNING id`, company).Scan(&inst); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.csv", "reg_number,name,legal_form,status,status_date,address\n"+
		company+",Ābeles skola,SIA,active,,Rīga\n"+
		company[:10]+string('0'+(company[10]-'0'+1)%10)+",SIA Bērzs,SIA,active,,Rīga\n")
	if res = in.run(t, "", "registers", "import", "enterprises", bad); res.code == 0 || !strings.Contains(res.stderr, "Line 3:") {
		t.Errorf("a bad extract (a wrong check digit on line 3) was not refused naming its line:\n%s", res)
	}
	if n := count(t, conn, `SELECT count(*) FROM enterprise_register`); n != 0 {
		t.Errorf("a refused extract left %d rows", n)
	}
	file := write("enterprises.csv", "\xef\xbb\xbfreg_number,name,legal_form,status,status_date,address\n"+
		company+",Ābeles skola,SIA,liquidated,2026-01-15,Rīga\n")
	in.mustRun(t, "", "registers", "import", "institutions", write("viis.csv", "institution_number,name,founder_reg_number,status,address\n"+
		"3113903386,Ābeles skola,"+company+",active,\"Rīga, Skolas iela 1\"\n"))
	res = in.mustRun(t, "", "registers", "import", "enterprises", file)
	if want := en.N("cli.registers.new", 1); !strings.Contains(res.stdout, want) {
		t.Errorf("the import printed %q; want it to count %q", res.stdout, want)
	}
	in.mustRun(t, "", "sweep", "reverify")
	var state string
	var diffs []string
	if err := conn.QueryRow(ctx, `SELECT state, differences FROM reverifications WHERE institution_id = $1`, inst).Scan(&state, &diffs); err != nil {
		t.Fatalf("no re-verification of the institution after the sweep: %v", err)
	}
	if state != string(domain.ReverifyOpen) || !strings.Contains(strings.Join(diffs, ","), string(domain.DiffCompanyLiquidated)) {
		t.Errorf("re-verification %s %v; want open with %s", state, diffs, domain.DiffCompanyLiquidated)
	}
	if n := count(t, conn, `SELECT count(*) FROM institutions WHERE id = $1 AND reverify_due_at > now()`, inst); n != 1 {
		t.Errorf("the institution was not given its next due date (%d)", n)
	}
}
