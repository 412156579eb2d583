package mailtmpl_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/mailtmpl"
)

// required lists, for every template, the data keys it must be given.
var required = map[string][]string{
	"rolerequest.submitted_confirm":           {"link", "name"},
	"rolerequest.approved":                    {"role", "valid_until", "name", "institution", "unscoped"},
	"rolerequest.rejected":                    {"reason", "reason_text", "name"},
	"rolerequest.info_requested":              {"message", "name"},
	"rolerequest.expired":                     {},
	"rolerequest.taken_over":                  {"reason"},
	"rolerequest.institution_waiting":         {"id", "name", "institution", "since", "until"},
	"rolerequest.institution_reminder":        {"id", "name", "institution", "since", "until"},
	"rolerequest.institution_reminder_agency": {"id", "name", "institution", "since", "until", "note"},
	"announcement.news":                       {"title", "body"},
	"announcement.downtime":                   {"title", "body", "starts_at", "ends_at", "services"},
	"role.expiry_warning":                     {"role", "valid_until", "days"},
	"role.ended":                              {"role", "valid_until"},
	"role.ended_early":                        {"role", "valid_until", "ended"},
	"access.denied":                           {"ground", "note", "since", "denial"},
	"access.restored":                         {"ground", "since", "lifted", "denial"},
	"access.restored_new_password":            {"ground", "since", "lifted", "denial"},
	"imk.approved":                            {"name"},
	"imk.rejected":                            {"name", "reason"},
	"imk.auto_approved":                       {"name", "rules", "id", "contact", "portal"},
	"imk.auto_rejected":                       {"name", "reason", "rules", "id", "contact", "portal"},
	"helpdesk.reply":                          {"subject", "text"},
	"helpdesk.reset_link":                     {"link", "minutes"},
	"helpdesk.no_password":                    {},
	"helpdesk.reset_refused":                  {},
	"operator.reset_code":                     {"code", "minutes"},
	"account.reset_notice":                    {"at"},
	"account.email_changed":                   {"old_address", "new_address", "at"},
	"sanction.warning":                        {"case", "clause", "institution", "note", "since"},
	"sanction.suspended":                      {"case", "clause", "institution", "note", "since", "until"},
	"sanction.suspension_ended":               {"case", "clause", "institution", "since", "ended"},
	"sanction.denied":                         {"case", "clause", "institution", "note", "since"},
	"sanction.denial_lifted":                  {"case", "clause", "institution", "since", "ended"},
	"bulk.notice":                             {"name", "message"},
	"bulk.terms_reminder":                     {"name", "message"},
	"bulk.data_check":                         {"name", "message"},
}

// fullData has a value for every key any template uses, with Latvian
// letters so that a lost encoding shows.
func fullData() map[string]string {
	return map[string]string{
		"link":        "https://prasmes.viaa.gov.lv/apstiprinat?t=abc123",
		"name":        "Jānis Bērziņš",
		"role":        "career_consultant",
		"valid_until": "31.12.2027",
		"reason":      "incomplete",
		"reason_text": "Nav pievienots darba līgums ar izglītības iestādi.",
		"message":     "Lūdzu, pievienojiet izglītības iestādes vadītāja apliecinājumu.",
		"title":       "Platformas atjaunināšana",
		"body":        "Atjaunināšanas laikā pieteikšanās nebūs iespējama.",
		"starts_at":   "01.05.2026 20:00",
		"ends_at":     "01.05.2026 23:30",
		"services":    "Platformas portāls, pieteikšanās ar Latvija.gov.lv",
		"days":        "7",
		"subject":     "Aizmirsu paroli",
		"text":        "Lūdzu, atveriet saiti, ko nosūtījām atsevišķā vēstulē.",
		"minutes":     "60",
		"code":        "K7QW3MZP9A",
		"at":          "28.11.2026 14:30",
		"old_address": "janis.vecais@example.lv",
		"new_address": "jānis.jaunais@example.lv",
		"rules":       "– vecums: 36 gadi (Fizisko personu reģistrs, dati uz 2027-03-01 09:00)",
		"id":          "42",
		"contact":     "stars@viaa.gov.lv",
		"portal":      "https://www.viaa.gov.lv",
		"institution": "Rīgas Valsts tehnikums",
		"unscoped":    "",
		"since":       "02.03.2026",
		"until":       "12.03.2026",
		"note":        "Lūdzam izskatīt līdz nedēļas beigām.",
		"ground":      "32.5",
		"lifted":      "05.12.2026",
		"denial":      "4711",
		"case":        "815",
		"clause":      "32.7",
		"ended":       "06.12.2026",
	}
}

func TestNames_MatchTheDocumentedTemplates(t *testing.T) {
	want := slices.Sorted(maps.Keys(required))
	if got := mailtmpl.Names(); !slices.Equal(got, want) {
		t.Fatalf("Names() = %v, want %v", got, want)
	}
}

func TestRender_EveryTemplateInBothLanguages(t *testing.T) {
	for _, name := range mailtmpl.Names() {
		for _, lang := range []string{mailtmpl.LV, mailtmpl.EN} {
			t.Run(name+"/"+lang, func(t *testing.T) {
				data := fullData()
				subject, body, err := mailtmpl.Render(lang, name, data)
				if err != nil {
					t.Fatalf("Render: %v", err)
				}
				for _, s := range []string{subject, body} {
					if strings.Contains(s, "<no value>") || strings.Contains(s, "{{") {
						t.Errorf("unfilled placeholder in %q", s)
					}
				}
				if subject == "" || strings.ContainsAny(subject, "\r\n") {
					t.Errorf("subject %q is empty or spans lines", subject)
				}
				if !strings.HasSuffix(body, "\n") || strings.Contains(body, "\r") {
					t.Errorf("body does not end in one newline or has CR: %q", body)
				}
				if !strings.Contains(body, "stars@viaa.gov.lv") {
					t.Errorf("body lacks the helpdesk address:\n%s", body)
				}
				greeting, signature := "Labdien!", "Ar cieņu\nValsts izglītības attīstības aģentūra"
				if lang == mailtmpl.EN {
					greeting, signature = "Hello,", "Kind regards,\nState Education Development Agency"
				}
				if !strings.HasPrefix(body, greeting) || !strings.Contains(body, signature) {
					t.Errorf("body lacks the greeting %q or the signature:\n%s", greeting, body)
				}
				for _, key := range required[name] {
					v := data[key]
					switch key {
					case "role", "reason":
						if name == "rolerequest.taken_over" {
							break // free text there
						}
						if strings.Contains(body, v) {
							t.Errorf("%s code %q was not translated:\n%s", key, v, body)
						}
						continue
					}
					if !strings.Contains(body, v) {
						t.Errorf("body lacks %s = %q:\n%s", key, v, body)
					}
				}
			})
		}
	}
}

func TestRender_LatvianIsTheDefault(t *testing.T) {
	for _, lang := range []string{"", "lv", "de", "LV"} {
		subject, _, err := mailtmpl.Render(lang, "rolerequest.expired", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(subject, "pieteikums") {
			t.Errorf("lang %q: subject %q is not Latvian", lang, subject)
		}
	}
	subject, _, err := mailtmpl.Render("en_GB.UTF-8", "rolerequest.expired", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(subject, "request") {
		t.Errorf("subject %q is not English", subject)
	}
}

func TestRender_MissingKey_Fails(t *testing.T) {
	for name, keys := range required {
		for _, key := range keys {
			for _, lang := range []string{mailtmpl.LV, mailtmpl.EN} {
				data := fullData()
				delete(data, key)
				if _, _, err := mailtmpl.Render(lang, name, data); err == nil {
					t.Errorf("%s (%s) without %q rendered without error", name, lang, key)
				}
			}
		}
	}
}

func TestRender_UnknownTemplate_Fails(t *testing.T) {
	if _, _, err := mailtmpl.Render("lv", "rolerequest.nonexistent", fullData()); err == nil {
		t.Fatal("an unknown template rendered without error")
	}
}

func TestRender_RejectedWithoutExplanation_OmitsTheLine(t *testing.T) {
	data := fullData()
	data["reason_text"] = ""
	_, body, err := mailtmpl.Render("lv", "rolerequest.rejected", data)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(body, "Paskaidrojums") {
		t.Errorf("empty explanation still shown:\n%s", body)
	}
	if !strings.Contains(body, "Noraidīšanas iemesls: pieteikumā nav sniegta visa nepieciešamā informācija\n") {
		t.Errorf("reason not translated:\n%s", body)
	}
}

func TestRender_UnknownCodesPassThrough(t *testing.T) {
	data := fullData()
	data["role"] = "Īpaša loma"
	_, body, err := mailtmpl.Render("lv", "rolerequest.approved", data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "Piešķirtā loma: Īpaša loma\n") {
		t.Errorf("free-text role not shown as given:\n%s", body)
	}
}

// GDPR Art. 22, ¶26.4: an automatic decision's mail states the rules and
// the register data that decided, and every way to ask that a person
// review it, in both languages.
func TestRender_AutomaticIMKDecision_StatesRulesDataAndHowToAsk_GDPRArt22(t *testing.T) {
	for _, name := range []string{"imk.auto_approved", "imk.auto_rejected"} {
		for _, lang := range []string{mailtmpl.LV, mailtmpl.EN} {
			_, body, err := mailtmpl.Render(lang, name, fullData())
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"Fizisko personu reģistrs, dati uz 2027-03-01 09:00", "stars@viaa.gov.lv", "https://www.viaa.gov.lv", "42", "22"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s/%s: body lacks %q:\n%s", name, lang, want, body)
				}
			}
		}
	}
}

// ¶29.3: the approval mail says who approved the role: the institution
// (the role is its), or the Agency — and when the Agency approved a
// career consultant who named an institution, that the role is not the
// institution's.
func TestRender_Approved_SaysWhoApproved_P29_3(t *testing.T) {
	for _, c := range []struct {
		name, institution, unscoped string
		want, not                   string
	}{
		{"institution", "Rīgas Valsts tehnikums", "", "apstiprināja izglītības iestāde „Rīgas Valsts tehnikums”; loma ir piesaistīta", "Aģentūra"},
		{"agency", "", "", "apstiprināja Valsts izglītības attīstības aģentūra.\n", "nav piesaistīta"},
		{"agency unscoped", "", "1", "Loma nav piesaistīta pieteikumā norādītajai izglītības iestādei", "piesaistīta šai iestādei"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := fullData()
			data["institution"], data["unscoped"] = c.institution, c.unscoped
			_, body, err := mailtmpl.Render("lv", "rolerequest.approved", data)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(body, c.want) || strings.Contains(body, c.not) {
				t.Errorf("want %q and not %q in:\n%s", c.want, c.not, body)
			}
		})
	}
}

// TestBulkTemplates_AreTheDomainsList_WithSignature: every template a
// bulk e-mail may name exists, fills the person's name and the reason,
// and signs as the Platform (issue 17).
func TestBulkTemplates_AreTheDomainsList_WithSignature(t *testing.T) {
	for _, name := range domain.BulkTemplates {
		for _, lang := range []string{mailtmpl.LV, mailtmpl.EN} {
			_, body, err := mailtmpl.Render(lang, name, map[string]string{"name": "Anna Bērziņa", "message": "Iemesls ŗ"})
			if err != nil {
				t.Fatalf("%s/%s: %v", name, lang, err)
			}
			if !strings.Contains(body, "Anna Bērziņa") || !strings.Contains(body, "Iemesls ŗ") || !strings.Contains(body, domain.HelpdeskEmail) {
				t.Errorf("%s/%s: name, reason or signature missing:\n%s", name, lang, body)
			}
		}
	}
}
