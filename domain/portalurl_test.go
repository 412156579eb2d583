package domain_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
)

func TestPortalLink_DefaultIsTheLivePlatform(t *testing.T) {
	if got := domain.ResetLink("", "abc"); got != "https://stars.gov.lv/parole?token=abc" {
		t.Errorf("ResetLink = %q", got)
	}
	if got := domain.PortalLink("https://test.stars.gov.lv/", domain.ConfirmPath, "a+b"); got != "https://test.stars.gov.lv/apstiprinat?token=a%2Bb" {
		t.Errorf("PortalLink = %q", got)
	}
}

func TestCheckPortalURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://stars.gov.lv":           "https://stars.gov.lv",
		"https://stars.gov.lv/":          "https://stars.gov.lv",
		" https://test.stars.gov.lv/x/ ": "https://test.stars.gov.lv/x",
		"http://127.0.0.1:8081":          "http://127.0.0.1:8081",
		"http://localhost:3000":          "http://localhost:3000",
	} {
		if got, err := domain.CheckPortalURL(in); err != nil || got != want {
			t.Errorf("CheckPortalURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "stars.gov.lv", "http://stars.gov.lv", "ftp://stars.gov.lv",
		"https://user:pw@stars.gov.lv", "https://stars.gov.lv/?x=1", "https://stars.gov.lv/#a", "https:///x", "javascript:alert(1)"} {
		if _, err := domain.CheckPortalURL(bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("CheckPortalURL(%q) = %v, want EINVALID", bad, err)
		}
	}
}

// knownHosts are the hosts a link in the catalogs, mail templates,
// storage or README may name: the live Platform (PPP_PORTAL_URL's
// default), the sign-in portal and the issuers of its means (¶14),
// loopback, and example.com (reserved by RFC 2606: the demo's phishing
// mail). Anything else is a host that does not exist.
var knownHosts = map[string]bool{
	"stars.gov.lv": true, "latvija.gov.lv": true, "www.latvija.gov.lv": true, "eparaksts.lv": true,
	"www.eparaksts.lv": true, "smart-id.com": true, "127.0.0.1": true, "localhost": true, "[::1]": true,
	"example.com": true, "viaa-platforma.example.com": true,
}

// TestLinks_NameNoUnknownHost proves every http(s) link written in the
// code of domain (catalogs and mail templates too), storage, tui and cmd, and the README
// names a host that exists (issue 16: the portal's address comes from
// PPP_PORTAL_URL, default https://stars.gov.lv). It failed before: the
// reset and confirmation links named ppp.viaa.gov.lv.
func TestLinks_NameNoUnknownHost(t *testing.T) {
	link := regexp.MustCompile(`https?://([^/\s"'<>\x60)|\\;,]+)`)
	check := func(path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			host := m[1]
			if h, _, ok := strings.Cut(host, ":"); ok && !strings.HasPrefix(host, "[") {
				host = h
			}
			if !knownHosts[host] {
				t.Errorf("%s: link %q names the host %q", path, m[0], host)
			}
		}
	}
	check("../README.md")
	for _, dir := range []string{".", "../storage", "../tui", "../cmd"} {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "var") {
				return filepath.SkipDir
			}
			if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
				check(path)
			}
			return nil
		})
	}
}
