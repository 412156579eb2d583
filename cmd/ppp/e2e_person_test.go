package main_test

// ¶32.8 (issue 16) end to end: `ppp sweep death-check --report` lists the
// persons whose check did not complete and the users without a personal
// code, and exits non-zero while anyone could be checked and was not.

import (
	"context"
	"strings"
	"testing"
)

func TestE2E_DeathCheckReport_ExitCode_NotFoundFails_NoCodeListedOnly_P32_8(t *testing.T) {
	in := newInstance(t)
	in.mustRun(t, "", "migrate")
	conn := sqlConn(t, in)
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	// An IMK client the register knows (fresh), and an institution user
	// without a personal code (¶27.2).
	exec(`INSERT INTO imk_applications (personal_code, first_name, last_name, email) VALUES ('32000000101', 'Inese', 'Kļava', 'inese@example.lv')`)
	exec(`INSERT INTO population_register (personal_code, first_name, last_name, fetched_at) VALUES ('32000000101', 'Inese', 'Kļava', now())`)
	exec(`INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
	      VALUES ('Skola', '40000000000', '3000000001', 'skola@example.lv', 'active', now())`)
	exec(`INSERT INTO platform_users (kind, email, password_hash, institution_id, first_name, last_name)
	      VALUES ('password', 'liga@example.lv', '$argon2id$x', (SELECT min(id) FROM institutions), 'Līga', 'Bērziņa')`)

	if bad := in.runEnv(t, []string{"PPP_DEATH_CHECK_MAX_DATA_AGE=soon"}, "sweep", "death-check"); bad.code != 2 ||
		!strings.Contains(bad.stderr, "PPP_DEATH_CHECK_MAX_DATA_AGE") {
		t.Fatalf("a bad PPP_DEATH_CHECK_MAX_DATA_AGE: %s", bad)
	}
	in.mustRun(t, "", "sweep", "death-check")
	rep := in.run(t, "", "sweep", "death-check", "--report")
	if rep.code != 0 || !strings.Contains(rep.stdout, "Users without a personal code") || !strings.Contains(rep.stdout, "Līga Bērziņa") {
		t.Fatalf("everyone who can be checked was: want exit 0 with the user without a code listed\n%s", rep)
	}

	// A second IMK client the register has no record of.
	exec(`INSERT INTO imk_applications (personal_code, first_name, last_name, email) VALUES ('32000000102', 'Ivars', 'Egle', 'ivars@example.lv')`)
	in.mustRun(t, "", "sweep", "death-check")
	rep = in.run(t, "", "sweep", "death-check", "--report")
	if rep.code != 1 || !strings.Contains(rep.stdout, "Not found in the register") || !strings.Contains(rep.stdout, "Ivars Egle") ||
		!strings.Contains(rep.stderr, "not complete") {
		t.Fatalf("a person not found: want exit 1 and them listed\n%s", rep)
	}
	if strings.Contains(rep.stdout+rep.stderr, "32000000102") {
		t.Fatalf("the report printed a personal code\n%s", rep)
	}
}
