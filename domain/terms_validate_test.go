package domain_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// problemKeys returns "field:key" for every problem of err.
func problemKeys(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	e := domain.AsError(err)
	if e == nil || e.Code != domain.EINVALID {
		t.Fatalf("error %v is not EINVALID", err)
	}
	var out []string
	for _, p := range e.Problems {
		out = append(out, p.Field+":"+p.Key)
	}
	return out
}

func TestCheckTermsNumber(t *testing.T) {
	for _, ok := range []string{"2026-2", " 3.1 ", "v7", "2025/1"} {
		if _, err := domain.CheckTermsNumber(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for in, key := range map[string]string{
		"":                      "terms.number_required",
		"   ":                   "terms.number_required",
		"2026 2":                "terms.number_format",
		"-1":                    "terms.number_format",
		"2026-":                 "terms.number_format",
		"Nr.ā":                  "terms.number_format",
		strings.Repeat("1", 33): "terms.number_too_long",
	} {
		_, err := domain.CheckTermsNumber(in)
		if e := domain.AsError(err); e == nil || e.Code != domain.EINVALID || e.Key != key {
			t.Errorf("%q: got %v, want %s", in, err, key)
		}
	}
}

func TestTermsVersion_Validate(t *testing.T) {
	tests := []struct {
		name   string
		v      domain.TermsVersion
		submit bool
		want   []string
	}{
		{"a fine draft", domain.TermsVersion{Title: " Lietošanas noteikumi ", Text: "1. Ā\r\n2. Ž\r\n"}, false, nil},
		{"an empty draft may be saved", domain.TermsVersion{Title: "Noteikumi"}, false, nil},
		{"but not submitted", domain.TermsVersion{Title: "Noteikumi"}, true,
			[]string{"text:terms.text_required", "summary:terms.summary_required"}},
		{"submitted with text and summary", domain.TermsVersion{Title: "N", Text: "1.", Summary: "Jauns 1. punkts."}, true, nil},
		{"no title", domain.TermsVersion{Title: "  "}, false, []string{"title:terms.title_required"}},
		{"long title", domain.TermsVersion{Title: strings.Repeat("ā", 201)}, false, []string{"title:terms.title_too_long"}},
		{"title on two lines", domain.TermsVersion{Title: "a\nb"}, false, []string{"title:terms.control_chars"}},
		{"text too big", domain.TermsVersion{Title: "N", Text: strings.Repeat("x", domain.MaxTermsText+1)}, false,
			[]string{"text:terms.text_too_long"}},
		{"text exactly at the limit", domain.TermsVersion{Title: "N", Text: strings.Repeat("x", domain.MaxTermsText)}, false, nil},
		{"text not UTF-8", domain.TermsVersion{Title: "N", Text: "a\xffb"}, false, []string{"text:terms.not_utf8"}},
		{"text with NUL", domain.TermsVersion{Title: "N", Text: "a\x00b"}, false, []string{"text:terms.control_chars"}},
		{"text with an escape sequence", domain.TermsVersion{Title: "N", Text: "a\x1b[2Jb"}, false, []string{"text:terms.control_chars"}},
		{"text with tabs and lines", domain.TermsVersion{Title: "N", Text: "1.\tā\n2.\tē\n"}, false, nil},
		{"summary too long", domain.TermsVersion{Title: "N", Summary: strings.Repeat("ū", 4001)}, false,
			[]string{"summary:terms.summary_too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.v
			var err error
			if tt.submit {
				err = v.ValidateForSubmit()
			} else {
				err = v.Validate()
			}
			if err != nil && domain.AsError(err).Key != "terms.invalid" {
				t.Fatalf("key = %q", domain.AsError(err).Key)
			}
			if got := problemKeys(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("problems = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTermsVersion_Validate_Tidies(t *testing.T) {
	v := domain.TermsVersion{Title: "  Noteikumi ", Text: "1. ā\r\n2. ē\r\n", Summary: " Grozīts 2. punkts.\r\n"}
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	if v.Title != "Noteikumi" || v.Text != "1. ā\n2. ē\n" || v.Summary != "Grozīts 2. punkts." {
		t.Errorf("tidied = %q %q %q", v.Title, v.Text, v.Summary)
	}
}

func TestAnnouncement_Validate(t *testing.T) {
	start := time.Date(2026, 5, 1, 20, 0, 0, 0, time.UTC)
	end := start.Add(3 * time.Hour)
	tests := []struct {
		name string
		a    domain.Announcement
		want []string
	}{
		{"news for everyone", domain.Announcement{Kind: domain.AnnouncementNews, Title: "Jaunumi", Body: "Teksts."}, nil},
		{"downtime", domain.Announcement{Kind: domain.AnnouncementDowntime, Title: "Plānots darbības pārtraukums",
			Body: "Platforma nebūs pieejama.", StartsAt: start, EndsAt: end, Services: "Platformas portāls"}, nil},
		{"downtime without times or services", domain.Announcement{Kind: domain.AnnouncementDowntime, Title: "T", Body: "B"},
			[]string{"starts_at:announcement.starts_required", "ends_at:announcement.ends_required", "services:announcement.services_required"}},
		{"downtime ending at its start", domain.Announcement{Kind: domain.AnnouncementDowntime, Title: "T", Body: "B",
			StartsAt: start, EndsAt: start, Services: "S"}, []string{"ends_at:announcement.ends_before_start"}},
		{"news ending before it starts", domain.Announcement{Kind: domain.AnnouncementNews, Title: "T", Body: "B",
			StartsAt: end, EndsAt: start}, []string{"ends_at:announcement.ends_before_start"}},
		{"unknown kind", domain.Announcement{Kind: "gossip", Title: "T", Body: "B"}, []string{"kind:announcement.kind_unknown"}},
		{"no title, no body", domain.Announcement{Kind: domain.AnnouncementNews},
			[]string{"title:announcement.title_required", "body:announcement.body_required"}},
		{"long body", domain.Announcement{Kind: domain.AnnouncementNews, Title: "T", Body: strings.Repeat("ļ", 10001)},
			[]string{"body:announcement.body_too_long"}},
		{"unknown role", domain.Announcement{Kind: domain.AnnouncementNews, Title: "T", Body: "B",
			Audience: []string{"career_consultant", "wizard"}}, []string{"audience:announcement.role_unknown"}},
		{"escape in the title", domain.Announcement{Kind: domain.AnnouncementNews, Title: "T\x1b]0;x\x07", Body: "B"},
			[]string{"title:announcement.control_chars"}},
		{"invalid UTF-8 body", domain.Announcement{Kind: domain.AnnouncementNews, Title: "T", Body: "\xc3"},
			[]string{"body:announcement.not_utf8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a
			err := a.Validate()
			if got := problemKeys(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("problems = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAnnouncement_Validate_TidiesAudience(t *testing.T) {
	a := domain.Announcement{Kind: domain.AnnouncementNews, Title: "T", Body: "B",
		Audience: []string{"municipal_coordinator", " career_consultant", "municipal_coordinator", ""}}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if want := []string{"career_consultant", "municipal_coordinator"}; !slices.Equal(a.Audience, want) {
		t.Errorf("audience = %v, want %v", a.Audience, want)
	}
}

func TestCheckReasons(t *testing.T) {
	if r, err := domain.CheckWithdrawReason("  Darbi pārcelti.  "); err != nil || r != "Darbi pārcelti." {
		t.Errorf("got %q, %v", r, err)
	}
	for in, key := range map[string]string{
		" ":                       "announcement.reason_required",
		strings.Repeat("ā", 2001): "announcement.reason_too_long",
		"iemesls\x1b[31m":         "announcement.control_chars",
		"iemesls\xff":             "announcement.control_chars",
	} {
		_, err := domain.CheckWithdrawReason(in)
		if e := domain.AsError(err); e == nil || e.Key != key {
			t.Errorf("%q: got %v, want %s", in, err, key)
		}
	}
	if _, err := domain.CheckReturnNote(""); domain.AsError(err).Key != "terms.note_required" {
		t.Errorf("empty note: %v", err)
	}
}
