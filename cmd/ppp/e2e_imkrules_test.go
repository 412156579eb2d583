package main_test

import (
	"strconv"
	"strings"
	"testing"
)

// ¶26.4, GDPR Art. 22 (issue 16): `ppp imk policy draft` sets which rules
// reject automatically and how the priorities combine; `show` prints
// them; a rule that is no eligibility rule is a usage error.
func TestE2E_IMKPolicy_DraftAutoRejectAndCombine_P26_4(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	a := in.addOperator("anna.redaktore", "Anna Redaktore", "editor")
	res := in.run(t, a.password+"\n", "imk", "policy", "draft", "--min-age", "18", "--name", "Nepareizs", "--auto-reject", "age,priority_lki",
		"--as", a.name, "--password-stdin")
	if res.code != 2 || !strings.Contains(res.stderr, `"priority_lki"`) {
		t.Fatalf("a priority rule rejecting: %s", res)
	}
	in.mustRun(t, a.password+"\n", "imk", "policy", "draft", "--min-age", "18", "--name", "Cilvēks izskata",
		"--priority-combine", "and", "--auto-reject", "studying, age", "--as", a.name, "--password-stdin")
	conn := sqlConn(t, in)
	var id int64
	var combine, auto string
	scalar(t, conn, `SELECT id, priority_combine, array_to_string(auto_reject, ',') FROM eligibility_policies WHERE name = 'Cilvēks izskata'`,
		nil, &id, &combine, &auto)
	if combine != "and" || auto != "age,studying" {
		t.Fatalf("drafted combine %q auto-reject %q; want and, age,studying", combine, auto)
	}
	out := in.mustRun(t, "", "imk", "policy", "show", strconv.FormatInt(id, 10)).stdout
	for _, want := range []string{"and", "age, studying"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
}
