package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2E_Reverify_ExtractsImported_SweepFlagsTheLiquidated_BadFileNamesItsLine
// drives the re-verification of institutions (issue 17, ¶17.2) as the
// Agency's operations do it, on the built binary: the Register of
// Enterprises' and VIIS's extracts are loaded with `ppp registers import
// enterprises|institutions FILE`, `ppp sweep reverify` compares the
// institution that falls due with them, and the company the register says
// is liquidated waits in the reviewers' queue with that difference. A bad
// extract names its line, exits non-zero and imports nothing.
func TestE2E_Reverify_ExtractsImported_SweepFlagsTheLiquidated_BadFileNamesItsLine(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	conn := sqlConn(t, in)
	var inst int64
	scalar(t, conn, `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at, reverify_due_at)
		VALUES ('SIA Ābele', '40003521600', '3113903386', 'abele@example.lv', 'active', now() - interval '2 years', now() - interval '1 day')
		RETURNING id`, nil, &inst)

	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	enterprises := write("ur.csv", "reg_number,name,legal_form,status,status_date,address\n"+
		"40003521600,SIA Ābele,SIA,liquidated,2026-10-01,\"Rīga, Skolas iela 1\"\n")
	schools := write("viis.csv", "institution_number,name,founder_reg_number,status,address\n"+
		"3113903386,SIA Ābele,40003521600,active,\"Rīga, Skolas iela 1\"\n")
	bad := write("bad.csv", "reg_number,name,legal_form,status,status_date,address\n"+
		"40003521600,SIA Ābele,SIA,active,,Rīga\n"+
		"40003521601,SIA Bērzs,SIA,active,,Rīga\n")

	res := in.run(t, "", "registers", "import", "enterprises", bad)
	if res.code == 0 || !strings.Contains(res.stderr, "Line 3:") {
		t.Errorf("a bad extract (a wrong check digit on line 3) was not refused naming its line:\n%s", res)
	}
	if n := count(t, conn, `SELECT count(*) FROM enterprise_register`); n != 0 {
		t.Errorf("a refused extract left %d rows", n)
	}

	in.mustRun(t, "", "registers", "import", "enterprises", enterprises)
	in.mustRun(t, "", "registers", "import", "institutions", schools)
	in.mustRun(t, "", "sweep", "reverify")

	var state, diffs string
	scalar(t, conn, `SELECT state, array_to_string(differences, ',') FROM reverifications WHERE institution_id = $1`,
		[]any{inst}, &state, &diffs)
	if state != "open" || !strings.Contains(diffs, "company_liquidated") {
		t.Errorf("the institution whose company is liquidated: item %s with %q; want open with company_liquidated", state, diffs)
	}
	if n := count(t, conn, `SELECT count(*) FROM institutions WHERE id = $1 AND reverify_due_at > now()`, inst); n != 1 {
		t.Errorf("the institution was not given its next due date (%d)", n)
	}
}
