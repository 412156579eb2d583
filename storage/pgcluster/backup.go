package pgcluster

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// clientCommand is the command of one of PostgreSQL's client programs
// (pg_dump, pg_restore) of the cluster's own bin folder, connecting to the
// cluster's database as its superuser through the socket, run as the
// cluster's owner when the program is root (as pg_ctl is). The password
// goes in that program's environment alone: the password file is the
// caller's, which the owner may not read. Its standard error is kept in
// stderr for the error.
func (c *Cluster) clientCommand(ctx context.Context, stderr *bytes.Buffer, name string, args ...string) (*exec.Cmd, error) {
	password, _, err := c.Password(Database)
	if err != nil {
		return nil, err
	}
	args = append([]string{"--host=" + c.sockDir, "--port=" + strconv.Itoa(port), "--username=" + Database, "--dbname=" + Database, "--no-password"}, args...)
	cmd := c.command(ctx, name, args...)
	cmd.Env = append(cmd.Env, "PGPASSWORD="+password, "PGAPPNAME=ppp-"+name)
	cmd.Stderr = stderr
	return cmd, nil
}

// Dump writes the cluster's database to w in pg_dump's custom format: a
// consistent snapshot, taken while the server keeps serving. It returns an
// error with pg_dump's last lines when pg_dump fails.
func (c *Cluster) Dump(ctx context.Context, w io.Writer) error {
	var stderr bytes.Buffer
	cmd, err := c.clientCommand(ctx, &stderr, "pg_dump", "--format=custom")
	if err != nil {
		return err
	}
	cmd.Stdout = w
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_dump: %v: %s", err, tail(strings.TrimSpace(stderr.String()), 10))
	}
	return nil
}

// Restore reads a dump in pg_dump's custom format from r into the
// cluster's database, in one transaction that stops at the first error
// (nothing is left half restored). Objects come out owned by the cluster's
// superuser and without the dump's grants, whatever roles the dumped
// database had: whoever restores hands them to the roles of this
// installation (storage.MigrateWithRoles after storage.ForgetGrants). The
// database should be empty (see Tables). It returns an error with
// pg_restore's last lines when pg_restore fails.
func (c *Cluster) Restore(ctx context.Context, r io.Reader) error {
	var stderr bytes.Buffer
	cmd, err := c.clientCommand(ctx, &stderr, "pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction")
	if err != nil {
		return err
	}
	cmd.Stdin = r
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_restore: %v: %s", err, tail(strings.TrimSpace(stderr.String()), 10))
	}
	return nil
}

// Tables returns how many tables, views and sequences the cluster's
// database holds outside PostgreSQL's own schemas: 0 for a new cluster.
func (c *Cluster) Tables(ctx context.Context) (int, error) {
	conn, err := connectRetry(ctx, c.URL())
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.Background())
	var n int
	err = conn.QueryRow(ctx, `
		SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
		   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		   AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count the tables of database %s: %w", Database, err)
	}
	return n, nil
}
