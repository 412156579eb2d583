package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/viaa/ppp/domain/mailtmpl"
)

// ¶24, ¶32: the mail telling a person that access is denied names the
// clause and its ground in words, the reason, the date it took force, and
// how to contest it (the Agency's address and telephone of ¶25, quoting
// the denial's number), in Latvian with the English text below, and in
// English alone.
func TestDenialMail_NamesClauseReasonDateAndHowToContest_P24_P32(t *testing.T) {
	data := map[string]string{"ground": "32.5", "note": "Konts izmantots automatizētai datu ieguvei.", "since": "02.12.2026", "denial": "4711"}
	want := map[string][]string{
		mailtmpl.LV: {"32.5. punkts", "netiek ievēroti lietošanas noteikumi", "Iemesls: Konts izmantots automatizētai datu ieguvei.",
			"02.12.2026 Jums liegta piekļuve", "apstrīdēt", "stars@viaa.gov.lv", "+371 67359075", "lieguma numuru 4711",
			// and the English text below
			"--- English ---", "clauses 24 and 32.5: the terms of use were not followed", "contest it", "denial number 4711"},
		mailtmpl.EN: {"clauses 24 and 32.5: the terms of use were not followed", "Reason: Konts izmantots automatizētai datu ieguvei.",
			"On 02.12.2026 your access", "contest it", "stars@viaa.gov.lv", "+371 67359075", "denial number 4711"},
	}
	for lang, parts := range want {
		_, body, err := mailtmpl.Render(lang, "access.denied", data)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range parts {
			if !strings.Contains(body, p) {
				t.Errorf("%s mail lacks %q:\n%s", lang, p, body)
			}
		}
		if lang == mailtmpl.EN && strings.Contains(body, "Labdien") {
			t.Errorf("the English mail holds Latvian:\n%s", body)
		}
	}
}

// ¶32.3, ¶32.6: a lift that requires a new password says so; a plain
// lift does not.
func TestDenialLiftedMail_NewPasswordOnlyWhenRequired_P32_3(t *testing.T) {
	data := map[string]string{"ground": "32.3", "since": "02.12.2026", "lifted": "05.12.2026", "denial": "12"}
	for _, lang := range []string{mailtmpl.LV, mailtmpl.EN} {
		_, plain, err := mailtmpl.Render(lang, "access.restored", data)
		if err != nil {
			t.Fatal(err)
		}
		_, withPassword, err := mailtmpl.Render(lang, "access.restored_new_password", data)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(plain, "new password") || !strings.Contains(withPassword, "new password") {
			t.Errorf("%s: plain lift:\n%s\nlift with a new password:\n%s", lang, plain, withPassword)
		}
		if !strings.Contains(plain, "05.12.2026") || !strings.Contains(plain, "32.3") {
			t.Errorf("%s: the lift mail lacks its date or clause:\n%s", lang, plain)
		}
	}
}

// ¶32.1: the notice that a role ended names the role in words and the date.
func TestRoleEndedMail_NamesRoleAndDate_P32_1(t *testing.T) {
	_, body, err := mailtmpl.Render(mailtmpl.LV, "role.ended", map[string]string{"role": "career_consultant", "valid_until": "30.11.2026"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"32.1.", "30.11.2026", "karjeras konsultant", "career consultant"} {
		if !strings.Contains(strings.ToLower(body), strings.ToLower(p)) {
			t.Errorf("mail lacks %q:\n%s", p, body)
		}
	}
}
