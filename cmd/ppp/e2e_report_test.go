package main_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/storage"
)

// TestReportCLI_CSVJSONAndBadUse runs `ppp report` on the built binary: the
// CSV is UTF-8 with a header row of the columns' names and quotes a
// municipality holding a comma and quotes as RFC 4180 says (so a
// spreadsheet reads it back whole); JSON parses and carries the same
// figures, the row of women (issue 18: sex from the register extract)
// among them; bad use (an unknown flag, format, report or date) is one line in
// the user's language (Latvian by default) and exit 2.
func TestReportCLI_CSVJSONAndBadUse(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	in.mustRun(t, "", "migrate")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, in.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	const muni = `Ķekava, "jaunā"`
	if _, err := conn.Exec(ctx, `
		INSERT INTO population_register (personal_code, birth_date, municipality, resident, sex) VALUES ('010190-20001', '1990-01-01', $1, true, 'F')`,
		muni); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `
		INSERT INTO imk_applications (personal_code, email, state, applied_at) VALUES ('010190-20001', 'x@example.lv', 'needs_review', '2026-03-05 12:00+02')`); err != nil {
		t.Fatal(err)
	}

	res := in.mustRun(t, "", "report", "imk-uptake", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "csv")
	if !utf8.ValidString(res.stdout) {
		t.Fatalf("CSV is not UTF-8: %q", res.stdout)
	}
	if !strings.Contains(res.stdout, `"Ķekava, ""jaunā"""`) {
		t.Errorf("CSV does not quote %s as RFC 4180 says:\n%s", muni, res.stdout)
	}
	recs, err := csv.NewReader(strings.NewReader(res.stdout)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, res.stdout)
	}
	if got := strings.Join(recs[0], ","); got != "dimension,group,applications,approved,rejected_automatic,rejected_manual,applications_share,population_share" {
		t.Errorf("CSV header = %s", got)
	}
	found := false
	for _, r := range recs[1:] {
		if r[1] == muni {
			found = true
			if r[0] != "Municipality" || r[2] != "1" || r[6] != "100.0" || r[7] != "100.0" {
				t.Errorf("municipality row = %q; want Municipality, 1 application, 100.0 and 100.0", r)
			}
		}
	}
	if !found {
		t.Errorf("no CSV row for %s:\n%s", muni, res.stdout)
	}
	if !slices.ContainsFunc(recs[1:], func(r []string) bool {
		return r[0] == "Sex" && r[1] == "women" && r[2] == "1" && r[6] == "100.0" && r[7] == "100.0"
	}) {
		t.Errorf("no CSV row of women with 1 application, 100.0 and 100.0:\n%s", res.stdout)
	}

	res = in.mustRun(t, "", "report", "imk-uptake", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json")
	var out struct {
		Report string           `json:"report"`
		Rows   []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil || out.Report != "imk-uptake" || len(out.Rows) == 0 {
		t.Fatalf("JSON: %v %+v\n%s", err, out, res.stdout)
	}
	if !slices.ContainsFunc(out.Rows, func(r map[string]any) bool {
		return r["dimension"] == "report.dim.sex" && r["group"] == "report.sex.f" && r["applications"] == float64(1)
	}) {
		t.Errorf("no JSON row of women with 1 application:\n%s", res.stdout)
	}
	in.mustRun(t, "", "report", "compliance")

	lv := i18n.For(i18n.LV)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "imk-uptake", "--bogus"}, lv.T("cli.report.bad_use")},
		{[]string{"report", "imk-uptake", "--format", "xml"}, lv.T("cli.report.bad_format", "xml")},
		{[]string{"report", "salaries"}, lv.T("cli.report.unknown", "salaries", "imk-uptake, compliance, queues, decisions")},
		{[]string{"report", "compliance", "--from", "2026-13-01", "--to", "2026-12-31"}, lv.T("cli.report.bad_date")},
		{[]string{"report"}, lv.T("cli.report.bad_use")},
	} {
		cmd := exec.Command(in.bin, tc.args...)
		for _, kv := range in.environ() {
			if !strings.HasPrefix(kv, "PPP_LANG=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		if code != 2 || len(lines) != 1 || lines[0] != "ppp: "+tc.want {
			t.Errorf("ppp %s: exit %d, stderr %q; want exit 2 and the one line %q", strings.Join(tc.args, " "), code, stderr.String(), "ppp: "+tc.want)
		}
	}
}

// reportKeyDown is the down arrow as a terminal sends it.
const reportKeyDown = "\x1b[B"

// TestE2E_ReportsScreen_SecurityDrillsIntoDenialsInForce signs a
// security officer in over SSH after `ppp demo`, opens the Reports screen
// from the jump list, runs "decisions" over the last 30 days, moves to the
// row of the first ground's denials in force and presses Enter on its
// count: the list behind it shows exactly the denials the service lists
// for that figure; esc goes back to the table.
func TestE2E_ReportsScreen_SecurityDrillsIntoDenialsInForce(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	in.mustRun(t, "", "demo", "--scale", "24")
	sec := in.addOperator("sarmite.drosiba", "Sarmīte Drošība", "security")
	srv := in.startServer()

	// Where the row is, and what is behind it, as the service says.
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	db, err := storage.Open(ctx, in.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	op, err := storage.NewOperatorService(db).FindOperatorByName(ctx, sec.name)
	if err != nil {
		t.Fatal(err)
	}
	actx := domain.WithActor(ctx, domain.Actor{OperatorID: op.ID, Name: op.Name, SessionID: "e2e-report"})
	svc := storage.NewReportService(db)
	period := domain.DefaultReportPeriod(time.Now())
	r, err := svc.Run(actx, domain.ReportDecisions, period)
	if err != nil {
		t.Fatal(err)
	}
	row := slices.IndexFunc(r.Rows, func(c []domain.ReportCell) bool {
		return c[0].Key == "report.section.denials" && c[2].Text == "in_force" && c[3].Drill != nil
	})
	if row < 0 {
		t.Fatalf("the demo has no denials in force: %+v", r.Rows)
	}
	page, err := svc.Drill(actx, *r.Rows[row][3].Drill, period, nil)
	if err != nil || len(page.Rows) == 0 {
		t.Fatalf("drill: %v %+v", err, page)
	}

	term := signIn(t, srv.mustDial(t, sec.name, ssh.PublicKeys(sec.signer)), sec)
	mark := term.mark()
	term.press(":")
	term.waitText(text(t, lv, "tui.jump.title"), mark)
	term.press("atskait")
	term.waitText(text(t, lv, "tui.tab.reports"), mark)
	mark = term.mark()
	term.press(keyEnter)
	term.waitText(text(t, lv, "tui.rpt.desc.imk-uptake")[:20], mark)
	mark = term.mark()
	term.press(strings.Repeat(reportKeyDown, 3) + keyEnter) // decisions, the fourth report
	term.waitText(text(t, lv, "tui.rpt.title.decisions"), mark)
	term.waitText("in_force", mark)
	mark = term.mark()
	term.press(strings.Repeat(reportKeyDown, row) + keyEnter)
	term.waitText(text(t, lv, "tui.rpt.drill.page", 1), mark)
	term.waitText(" / "+r.Rows[row][1].Text+" / in_force / "+text(t, lv, "report.col.count"), mark)
	for _, d := range page.Rows[:min(len(page.Rows), 10)] {
		term.waitText(d.Subject, mark)
	}
	mark = term.mark()
	term.press(keyEsc)
	term.waitText(text(t, lv, "report.col.section"), mark)
	for _, p := range streamProblems(term.screen.rawSince(0)) {
		t.Errorf("the officer's terminal received %s", p)
	}
}
