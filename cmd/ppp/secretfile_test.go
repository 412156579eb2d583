package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain/i18n"
)

// secretFile writes content to a file of mode perm and returns its path.
func secretFile(t *testing.T, content string, perm os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
	return path
}

// resolved runs resolveSecretFiles over vars and returns the Main.
func resolved(vars map[string]string) (*Main, error) {
	m := &Main{Env: envOf(vars), Stdout: io.Discard, Stderr: io.Discard, cat: i18n.For(i18n.EN)}
	return m, m.resolveSecretFiles()
}

// TestSecretFiles_EverySecretSetting_ReadFromItsFile proves that each
// setting that may hold a password is read from NAME_FILE: the content
// with one trailing newline removed (and only one), the other settings
// untouched, and a _FILE form of a setting that is not a secret ignored.
func TestSecretFiles_EverySecretSetting_ReadFromItsFile(t *testing.T) {
	for _, name := range []string{"PPP_DATABASE_URL", "PPP_DATABASE_OWNER_URL", "PPP_SMTP_URL"} {
		for content, want := range map[string]string{
			"postgres://u:pw@db/ppp\n":   "postgres://u:pw@db/ppp",
			"postgres://u:pw@db/ppp\r\n": "postgres://u:pw@db/ppp",
			"postgres://u:pw@db/ppp":     "postgres://u:pw@db/ppp",
			"smtp://a:b@mail\n\n":        "smtp://a:b@mail\n",
		} {
			m, err := resolved(map[string]string{
				name + "_FILE": secretFile(t, content, 0o400), "PPP_SSH_ADDR": ":2222",
				"PPP_SSH_ADDR_FILE": secretFile(t, "127.0.0.1:1", 0o600),
			})
			if err != nil {
				t.Fatalf("%s_FILE with %q: %v", name, content, err)
			}
			if got := m.Env(name); got != want {
				t.Errorf("%s_FILE with %q: Env(%s) = %q, want %q", name, content, name, got, want)
			}
			if got := m.Env("PPP_SSH_ADDR"); got != ":2222" {
				t.Errorf("PPP_SSH_ADDR became %q", got)
			}
		}
	}
	m, err := resolved(map[string]string{"PPP_DATABASE_URL": "postgres://direct"})
	if err != nil || m.Env("PPP_DATABASE_URL") != "postgres://direct" {
		t.Errorf("without a _FILE: %q, %v", m.Env("PPP_DATABASE_URL"), err)
	}
}

// TestSecretFiles_Refused proves the refusals, each a usage error naming
// the setting: both forms set, a file other users may read or write
// (mode 0644, 0604, 0602), an empty or missing file, a folder. A file of
// the owner and its group (0640, as Kubernetes' fsGroup gives) is read.
func TestSecretFiles_Refused(t *testing.T) {
	url := "postgres://u:pw@db/ppp\n"
	for _, tc := range []struct {
		name string
		vars map[string]string
		want string
	}{
		{"both", map[string]string{"PPP_SMTP_URL": "smtp://x", "PPP_SMTP_URL_FILE": secretFile(t, url, 0o600)}, "both PPP_SMTP_URL and PPP_SMTP_URL_FILE are set"},
		{"world-readable", map[string]string{"PPP_DATABASE_URL_FILE": secretFile(t, url, 0o644)}, "(mode 0644)"},
		{"others read", map[string]string{"PPP_DATABASE_URL_FILE": secretFile(t, url, 0o604)}, "(mode 0604)"},
		{"others write", map[string]string{"PPP_DATABASE_OWNER_URL_FILE": secretFile(t, url, 0o602)}, "(mode 0602)"},
		{"empty", map[string]string{"PPP_DATABASE_URL_FILE": secretFile(t, "\n", 0o600)}, "is empty"},
		{"missing", map[string]string{"PPP_DATABASE_URL_FILE": filepath.Join(t.TempDir(), "none")}, "no such file"},
		{"folder", map[string]string{"PPP_DATABASE_URL_FILE": t.TempDir()}, "not a regular file"},
	} {
		_, err := resolved(tc.vars)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want a usage error with %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("%s: the error repeats the secret: %v", tc.name, err)
		}
	}
	if _, err := resolved(map[string]string{"PPP_DATABASE_URL_FILE": secretFile(t, url, 0o640)}); err != nil {
		t.Errorf("mode 0640: %v", err)
	}
}
