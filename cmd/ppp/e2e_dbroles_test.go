package main_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/storage/pgtest"
)

// TestE2E_DBRoles_ServeRefusesSuperuserAndOwner proves that `ppp serve`
// will not work as a role that could switch the audit log's triggers off:
// connected as a superuser or as the owner, it exits at once with one
// line naming the application role to use instead; as the application
// role it serves (every other end-to-end test).
func TestE2E_DBRoles_ServeRefusesSuperuserAndOwner(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	for _, c := range []struct{ name, url, says string }{
		{"superuser", pgtest.AdminURL(t), "a superuser"},
		{"owner", pgtest.OwnerURL(t), "the owner"},
	} {
		as := *in
		as.dbURL = c.url
		res := as.run(t, "", "serve", "--ssh-addr", "127.0.0.1:0")
		if res.code == 0 {
			t.Fatalf("serve as the %s: %s", c.name, res)
		}
		line := strings.TrimSpace(res.stderr)
		if strings.Count(line, "\n") > 0 || !strings.Contains(line, c.says) || !strings.Contains(line, pgtest.Roles.App) {
			t.Errorf("serve as the %s: want one line saying %q and naming %s:\n%s", c.name, c.says, pgtest.Roles.App, res)
		}
	}
}

// TestE2E_DBRoles_TwoURLs_MigrateAsOwner_WorkAsApplication proves the
// set-up with an external server: PPP_DATABASE_URL is the application
// role's, PPP_DATABASE_OWNER_URL the owner's; `ppp migrate` migrates and
// grants through the owner and says which roles; `ppp db url --role`
// prints each URL it knows and refuses the others.
func TestE2E_DBRoles_TwoURLs_MigrateAsOwner_WorkAsApplication(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	ownerEnv := []string{"PPP_DATABASE_OWNER_URL=" + pgtest.OwnerURL(t), "PPP_DB_ROLE_PREFIX=ppp_test"}
	res := in.runEnv(t, ownerEnv, "migrate")
	if res.code != 0 || !strings.Contains(res.stdout, "ppp_test_owner") || !strings.Contains(res.stdout, "ppp_test_report") {
		t.Fatalf("migrate with the owner's URL: %s", res)
	}
	if res := in.runEnv(t, ownerEnv, "db", "url", "--role", "owner"); res.code != 0 || strings.TrimSpace(res.stdout) != pgtest.OwnerURL(t) {
		t.Errorf("db url --role owner: %s", res)
	}
	if res := in.runEnv(t, ownerEnv, "db", "url", "--role", "app"); res.code != 0 || strings.TrimSpace(res.stdout) != in.dbURL {
		t.Errorf("db url --role app: %s", res)
	}
	if res := in.run(t, "", "db", "url", "--role", "owner"); res.code == 0 {
		t.Errorf("db url --role owner without PPP_DATABASE_OWNER_URL: %s", res)
	}
	if res := in.run(t, "", "db", "url", "--role", "report"); res.code == 0 {
		t.Errorf("db url --role report with an external server: %s", res)
	}
	if res := in.run(t, "", "db", "url", "--role", "root"); res.code != 2 {
		t.Errorf("db url --role root: %s; want a usage error", res)
	}
	// The verbs work as the application role.
	in.mustRun(t, "", "operator", "list")
}

// TestE2E_DBRoles_PrivateCluster_ThreeRolesAndTheirURLs proves the private
// cluster's set-up: the first verb creates the roles (passwords in the
// cluster's password file) and works as the application role; `ppp db url
// --role R` prints a URL that connects as R, and the one without --role
// as the superuser; `ppp serve` on the private cluster passes its check.
func TestE2E_DBRoles_PrivateCluster_ThreeRolesAndTheirURLs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	t.Parallel()
	bin := pppBinary(t)
	dir := t.TempDir()
	// A root-run cluster belongs to the postgres user, who must be able
	// to reach the folder.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	in := &instance{tb: t, bin: bin, dataDir: filepath.Join(dir, "var")}
	env := []string{"PPP_DB_EPHEMERAL=1"}
	privateEnv := func(in *instance) []string {
		var out []string
		for _, kv := range in.environ() {
			if !strings.HasPrefix(kv, "PPP_DATABASE_URL=") {
				out = append(out, kv)
			}
		}
		return append(out, env...)
	}
	run := func(args ...string) cliResult {
		t.Helper()
		return in.runWithEnv(t, privateEnv(in), args...)
	}
	if res := run("db", "start"); res.code != 0 {
		t.Fatalf("db start: %s", res)
	}
	t.Cleanup(func() { run("db", "stop") })

	res := run("migrate")
	if res.code != 0 || !strings.Contains(res.stdout, "ppp_owner") || !strings.Contains(res.stdout, "ppp_app") {
		t.Fatalf("migrate: %s", res)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for role, want := range map[string]string{"": "ppp", "admin": "ppp", "owner": "ppp_owner", "app": "ppp_app", "report": "ppp_report"} {
		args := []string{"db", "url"}
		if role != "" {
			args = append(args, "--role", role)
		}
		res := run(args...)
		url := strings.TrimSpace(res.stdout)
		if res.code != 0 || !strings.Contains(url, "passfile=") {
			t.Fatalf("db url --role %s: %s; want a URL naming the password file", role, res)
		}
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatalf("db url --role %s: %v", role, err)
		}
		var me string
		err = conn.QueryRow(ctx, `SELECT current_user`).Scan(&me)
		conn.Close(ctx)
		if err != nil || me != want {
			t.Errorf("db url --role %s connects as %q, %v; want %s", role, me, err, want)
		}
	}
	// A verb works as the application role; demo data loads as it too.
	if res := run("demo", "--scale", "30"); res.code != 0 {
		t.Fatalf("demo: %s", res)
	}
	if res := run("operator", "list"); res.code != 0 || !strings.Contains(res.stdout, "demo") {
		t.Fatalf("operator list: %s", res)
	}
}

// runEnv runs `ppp args…` with settings added to the instance's
// environment.
func (in *instance) runEnv(tb testing.TB, env []string, args ...string) cliResult {
	tb.Helper()
	return in.runWithEnv(tb, append(in.environ(), env...), args...)
}

// runWithEnv is run with the whole environment given.
func (in *instance) runWithEnv(tb testing.TB, env []string, args ...string) cliResult {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, in.bin, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := cliResult{args: args, stdout: stdout.String(), stderr: stderr.String(), exited: time.Now()}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		tb.Fatalf("ppp %s: still running after two minutes\n%s", strings.Join(args, " "), res)
	case errors.As(err, &exitErr):
		res.code = exitErr.ExitCode()
	case err != nil:
		tb.Fatalf("ppp %s: %v", strings.Join(args, " "), err)
	}
	return res
}
