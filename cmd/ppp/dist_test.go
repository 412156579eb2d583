package main_test

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// unitSettings reads a systemd unit: every key of section [Service] with
// its values in order (a key may be given several times).
func unitSettings(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	settings := map[string][]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "["):
			section = line
		case section == "[Service]":
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("%s: not a setting: %q", path, line)
			}
			settings[k] = append(settings[k], v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return settings
}

// TestDistUnit_RestartsHardenedAndTakesSecretsAsCredentials proves what
// the systemd unit promises: restarted on failure, a state folder, a stop
// timeout longer than the server's 30-second drain, its own user, the
// hardening options, settings from a file and every *_FILE secret fed by
// a credential of its own; and, where systemd-analyze is installed, that
// systemd reads every line of it without a complaint.
func TestDistUnit_RestartsHardenedAndTakesSecretsAsCredentials(t *testing.T) {
	t.Parallel()
	unit := filepath.Join("dist", "ppp.service")
	s := unitSettings(t, unit)
	want := map[string]string{
		"Restart": "on-failure", "StateDirectory": "ppp", "User": "ppp",
		"NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes",
		"PrivateDevices": "yes", "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
		"CapabilityBoundingSet": "", "SystemCallFilter": "@system-service",
		"EnvironmentFile": "/etc/ppp/ppp.env", "ExecStart": "/usr/local/bin/ppp serve",
	}
	for k, v := range want {
		if got := s[k]; len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if got := s["TimeoutStopSec"]; len(got) != 1 {
		t.Errorf("TimeoutStopSec = %q", got)
	} else if d, err := time.ParseDuration(got[0]); err != nil || d <= 30*time.Second {
		t.Errorf("TimeoutStopSec = %s: want longer than the 30 s drain", got[0])
	}
	credentials := map[string]bool{}
	for _, c := range s["LoadCredential"] {
		name, _, _ := strings.Cut(c, ":")
		credentials[name] = true
	}
	var fed []string
	for _, e := range s["Environment"] {
		k, v, _ := strings.Cut(e, "=")
		if !strings.HasSuffix(k, "_FILE") {
			continue
		}
		name, ok := strings.CutPrefix(v, "%d/")
		if !ok || !credentials[name] {
			t.Errorf("%s is not a credential of the unit", e)
		}
		fed = append(fed, k)
	}
	for _, k := range []string{"PPP_DATABASE_URL_FILE", "PPP_SMTP_URL_FILE", "PPP_AUDIT_KEY_FILE"} {
		if !slices.Contains(fed, k) {
			t.Errorf("no Environment=%s=%%d/… fed by a LoadCredential", k)
		}
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze is not installed: the unit's keys were checked, not by systemd")
		return
	}
	// verify wants ExecStart's program to exist: point it at this test's.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(unit)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "ppp.service")
	if err := os.WriteFile(copyPath, []byte(strings.ReplaceAll(string(b), "/usr/local/bin/ppp", exe)), 0o644); err != nil {
		t.Fatal(err)
	}
	// systemd-analyze exits 0 over an unknown key or a bad value, saying
	// so on stderr: any line naming the unit is a failure.
	out, err := exec.Command(analyze, "verify", copyPath).CombinedOutput()
	if err != nil || strings.Contains(string(out), copyPath) {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestMakeDist_TarballHoldsBinaryUnitAndReadme proves `make dist`: one
// tarball named after `git describe --always --dirty`, holding one folder
// of that name with the binary (executable), the unit, its settings file,
// the container recipe and the README. It packs the binary the tests use
// (DIST_BIN) rather than build another.
func TestMakeDist_TarballHoldsBinaryUnitAndReadme(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs make")
	}
	for _, tool := range []string{"make", "git", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s", tool)
		}
	}
	bin := pppBinary(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	describe, err := exec.Command("git", "-C", root, "describe", "--always", "--dirty").Output()
	if err != nil {
		t.Skipf("git describe: %v", err)
	}
	dir := t.TempDir()
	out, err := exec.Command("make", "--no-print-directory", "-C", root, "dist", "DIST_BIN="+bin, "DIST_DIR="+dir).CombinedOutput()
	if err != nil {
		t.Fatalf("make dist: %v\n%s", err, out)
	}
	name := "ppp-" + strings.TrimSpace(string(describe)) + "-linux-amd64"
	f, err := os.Open(filepath.Join(dir, name+".tar.gz"))
	if err != nil {
		t.Fatalf("make dist: %v\n%s", err, out)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	modes := map[string]int64{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		modes[h.Name] = h.Mode
	}
	for _, file := range []string{"ppp", "ppp.service", "ppp.env", "Containerfile", "README.md"} {
		mode, ok := modes[name+"/"+file]
		switch {
		case !ok:
			t.Errorf("the tarball lacks %s/%s; it holds %v", name, file, modes)
		case file == "ppp" && mode&0o111 == 0:
			t.Errorf("ppp has mode %o: not executable", mode)
		}
	}
}
