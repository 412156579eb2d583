package mailtmpl_test

import (
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/mailtmpl"
)

// TestRender_EverySignature_NamesPhoneAndHours_P25_P17_5 proves every
// mail, in both languages, ends with the controller's e-mail address and
// telephone (¶25) and the hours the telephone is answered (¶17.5: by
// telephone in working hours, by e-mail outside them).
func TestRender_EverySignature_NamesPhoneAndHours_P25_P17_5(t *testing.T) {
	for _, name := range mailtmpl.Names() {
		for lang, hours := range map[string]string{mailtmpl.LV: domain.HelpdeskHoursLV, mailtmpl.EN: domain.HelpdeskHoursEN} {
			_, body, err := mailtmpl.Render(lang, name, fullData())
			if err != nil {
				t.Fatalf("mailtmpl.Render(%s, %s): %v", lang, name, err)
			}
			for _, want := range []string{domain.HelpdeskEmail, domain.HelpdeskPhone, hours} {
				if !strings.Contains(body, want) {
					t.Errorf("%s (%s) does not name %q", name, lang, want)
				}
			}
		}
	}
}

// TestRender_NoPasswordExplanation_NamesTodaysMeans_P14 proves the ¶14
// explanation names the means Latvija.gov.lv signs in with since 2025
// (eParaksts mobile, eID cards, qualified Smart-ID, EU eIDs under eIDAS)
// and no longer sends people to an internet bank.
func TestRender_NoPasswordExplanation_NamesTodaysMeans_P14(t *testing.T) {
	for _, lang := range []string{mailtmpl.LV, mailtmpl.EN} {
		_, body, err := mailtmpl.Render(lang, "helpdesk.no_password", fullData())
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"eParaksts mobile", "eID", "Smart-ID", "eIDAS", "14", domain.HelpdeskPhone} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the ¶14 explanation does not name %q:\n%s", lang, want, body)
			}
		}
		for _, banned := range []string{"internetbank", "internet bank", "bank"} {
			if strings.Contains(strings.ToLower(body), banned) {
				t.Errorf("%s: the ¶14 explanation still names %q:\n%s", lang, banned, body)
			}
		}
	}
}
