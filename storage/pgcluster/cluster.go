// Package pgcluster runs a private PostgreSQL cluster from the machine's
// PostgreSQL binaries in a data folder, listening only on a Unix socket so
// that no TCP port can clash with anything else on the machine.
//
// PostgreSQL refuses to run as root. When the program runs as root, the
// cluster is owned and run by an unprivileged system user ("postgres" when
// the machine has one, otherwise "ppp-postgres", created on first use).
//
// The cluster trusts nobody for being local (issue 15): every connection
// authenticates with scram-sha-256, the passwords are generated and kept
// in a password file of mode 0600 in the cluster folder (PassFile), which
// the URLs name (passfile=…) instead of carrying a password; the cluster
// folder and the socket folder are mode 0700 and the socket 0700, so that
// another local user can neither read the cluster nor reach its socket.
package pgcluster

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/storage/pgpass"
)

// Config says where the cluster lives and how it runs.
type Config struct {
	// DataDir is the project's data folder (PPP_DATA_DIR); the cluster
	// lives in DataDir/pg.
	DataDir string
	// BinDir is PostgreSQL's bin folder. When empty it is found on PATH,
	// then under /usr/lib/postgresql/*/bin (the newest version).
	BinDir string
	// Ephemeral trades durability for speed (fsync off): for tests and
	// benchmarks whose data may be lost in a crash.
	Ephemeral bool
}

// Database is the name of the database the program uses in its cluster,
// and also the name of the cluster's superuser role.
const Database = "ppp"

// port only names the socket file: the cluster listens on no TCP address.
const port = 5432

// Cluster is a running private cluster.
type Cluster struct {
	dir     string // the cluster folder: DataDir/pg (or a reachable stand-in)
	bin     string
	sockDir string
	owner   *account
	started bool
}

// account is the operating-system user that owns and runs the cluster.
type account struct {
	name     string
	uid, gid uint32
}

// ErrNoBinaries is returned when PostgreSQL's server programs are not
// installed.
var ErrNoBinaries = errors.New("PostgreSQL server programs (initdb, pg_ctl, postgres) not found on PATH or under /usr/lib/postgresql/*/bin; install them with `apt-get install postgresql`, or set PPP_DATABASE_URL to use an existing server")

// Ensure connects to the cluster in cfg.DataDir when it is running, or
// initialises it (the first time) and starts it; Started reports which. The
// "ppp" database exists when it returns. It returns ErrNoBinaries when
// PostgreSQL is not installed, and a wrapped error naming the step that
// failed otherwise (the server log's tail included when start fails).
func Ensure(ctx context.Context, cfg Config) (*Cluster, error) {
	c, err := prepare(cfg)
	if err != nil {
		return nil, err
	}
	unlock, err := lockFile(filepath.Join(c.dir, "cluster.lock"))
	if err != nil {
		return nil, err
	}
	defer unlock()

	if !exists(filepath.Join(c.dataDir(), "PG_VERSION")) {
		if err := c.initdb(ctx, cfg); err != nil {
			return nil, err
		}
	}
	if sock, ok := c.runningSocketDir(ctx); ok {
		c.sockDir = sock
	} else {
		if err := c.start(ctx); err != nil {
			return nil, err
		}
		c.started = true
	}
	if err := c.secure(ctx); err != nil {
		if c.started {
			_ = c.stop(context.Background())
		}
		return nil, err
	}
	if err := c.ensureDatabase(ctx); err != nil {
		if c.started {
			_ = c.stop(context.Background())
		}
		return nil, err
	}
	return c, nil
}

// Stop stops the cluster in cfg.DataDir if it is running, whoever started
// it. It returns nil when the cluster was not running.
func Stop(ctx context.Context, cfg Config) error {
	c, err := prepare(cfg)
	if err != nil {
		return err
	}
	if _, ok := c.runningSocketDir(ctx); !ok {
		return nil
	}
	return c.stop(ctx)
}

// Restart modes: how the running server is shut down before it starts
// again (pg_ctl's -m). ModeFast ends every session and checkpoints;
// ModeImmediate aborts every server process at once, like a crash, and
// the start that follows runs crash recovery.
const (
	ModeFast      = "fast"
	ModeImmediate = "immediate"
)

// ErrNotRunning is returned by Restart when the cluster does not run.
var ErrNotRunning = errors.New("the private cluster is not running; start it with: ppp db start")

// Restart shuts the running cluster in cfg.DataDir down in mode (ModeFast
// or ModeImmediate) and starts it again with the same settings, waiting
// until it accepts connections; every open connection is lost. It returns
// ErrNotRunning when the cluster does not run, an error naming the mode
// when mode is unknown, and a wrapped error with the server log's tail
// when pg_ctl fails.
func Restart(ctx context.Context, cfg Config, mode string) error {
	if mode != ModeFast && mode != ModeImmediate {
		return fmt.Errorf("restart mode %q: want %s or %s", mode, ModeFast, ModeImmediate)
	}
	c, err := prepare(cfg)
	if err != nil {
		return err
	}
	unlock, err := lockFile(filepath.Join(c.dir, "cluster.lock"))
	if err != nil {
		return err
	}
	defer unlock()
	sock, ok := c.runningSocketDir(ctx)
	if !ok {
		return ErrNotRunning
	}
	c.sockDir = sock
	logFile := filepath.Join(c.dir, "postgres.log")
	// pg_ctl restart reuses the options the server was started with
	// (postmaster.opts), the socket folder among them.
	out, err := c.command(ctx, "pg_ctl", "restart", "-D", c.dataDir(), "-m", mode, "-l", logFile, "-w", "-t", "120").CombinedOutput()
	if err != nil {
		logTail, _ := os.ReadFile(logFile)
		return fmt.Errorf("restart PostgreSQL in %s (%s): %v: %s\n%s", c.dataDir(), mode, err, strings.TrimSpace(string(out)), tail(string(logTail), 15))
	}
	// Ready for connections, not only started: recovery after an
	// immediate shutdown may still be running.
	conn, err := connectRetry(ctx, c.AdminURL())
	if err != nil {
		return err
	}
	return conn.Close(context.Background())
}

// URL is the connection URL of the cluster's "ppp" database as the
// cluster's superuser. Like every URL of the cluster, it names the
// password file rather than carrying the password.
func (c *Cluster) URL() string { return c.RoleURL(Database, Database) }

// AdminURL is the connection URL of the cluster's "postgres" database as
// the superuser, for creating and dropping databases.
func (c *Cluster) AdminURL() string { return c.RoleURL(Database, "postgres") }

// RoleURL is the connection URL of database db as role, whose password
// the password file holds (see Password).
func (c *Cluster) RoleURL(role, db string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s&port=%d&sslmode=disable&passfile=%s",
		url.PathEscape(role), url.PathEscape(db), url.QueryEscape(c.sockDir), port, url.QueryEscape(c.PassFile()))
}

// PassFile is the cluster's password file (mode 0600, the format of
// libpq's .pgpass): the superuser's password and those of the roles the
// program created.
func (c *Cluster) PassFile() string { return PassFile(c.dir) }

// PassFile is the password file of the cluster kept in folder dir.
func PassFile(dir string) string { return filepath.Join(dir, "pgpass") }

// Password returns role's password from the cluster's password file,
// generating and keeping one the first time (created reports that: the
// role must then be given it). It returns an error when the file cannot
// be read or written.
func (c *Cluster) Password(role string) (password string, created bool, err error) {
	return pgpass.Ensure(c.PassFile(), role)
}

// Dir is the folder holding the cluster.
func (c *Cluster) Dir() string { return c.dir }

// Started reports whether this call started the cluster.
func (c *Cluster) Started() bool { return c.started }

// Release stops the cluster when this process started it, and does nothing
// otherwise, so a command run beside a running server leaves it running.
func (c *Cluster) Release(ctx context.Context) error {
	if !c.started {
		return nil
	}
	c.started = false
	return c.stop(ctx)
}

func (c *Cluster) dataDir() string { return filepath.Join(c.dir, "data") }

// prepare finds the binaries and the owner and lays out the folders.
func prepare(cfg Config) (*Cluster, error) {
	bin, err := findBinDir(cfg.BinDir)
	if err != nil {
		return nil, err
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "var"
	}
	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("data folder %q: %w", cfg.DataDir, err)
	}
	c := &Cluster{dir: filepath.Join(dataDir, "pg"), bin: bin}
	if os.Geteuid() == 0 {
		if c.owner, err = systemAccount(); err != nil {
			return nil, err
		}
		if blocked := unreachableParent(c.dir, c.owner); blocked != "" {
			// The postgres user cannot reach the folder (a checkout under
			// /root, say): keep the cluster in a reachable folder named
			// after the data folder, so each data folder still has its own.
			sum := sha256.Sum256([]byte(c.dir))
			alt := filepath.Join("/var/tmp", "ppp-pg-"+hex.EncodeToString(sum[:6]))
			fmt.Fprintf(os.Stderr, "ppp: PostgreSQL runs as user %q, who cannot enter %s; keeping the cluster in %s instead\n", c.owner.name, blocked, alt)
			c.dir = alt
		}
	}
	// The folders above the cluster's are made traversable only: the
	// cluster's owner (when root runs ppp) must pass through them, nobody
	// needs to list them.
	parentMode := os.FileMode(0o700)
	if c.owner != nil {
		parentMode = 0o711
	}
	if err := os.MkdirAll(filepath.Dir(c.dir), parentMode); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return nil, fmt.Errorf("create cluster folder: %w", err)
	}
	if err := c.chown(c.dir); err != nil {
		return nil, err
	}
	// A cluster made before issue 15 has a folder open to everyone.
	if err := os.Chmod(c.dir, 0o700); err != nil {
		return nil, fmt.Errorf("cluster folder mode: %w", err)
	}
	c.sockDir = filepath.Join(c.dir, "run")
	// A Unix socket path is limited to 107 bytes; a deep data folder gets
	// its socket in a short folder of its own under /tmp.
	if len(c.sockDir)+len("/.s.PGSQL.5432") > 100 {
		sum := sha256.Sum256([]byte(c.dir))
		c.sockDir = filepath.Join(os.TempDir(), "ppp-pg-"+hex.EncodeToString(sum[:6]))
	}
	return c, nil
}

// makeSocketDir creates the socket folder, mode 0700, owned by the
// cluster's owner, and checks that an existing one is: under /tmp, where
// everyone may create folders, another user could have made it first to
// reach the socket, or to put a socket of their own in its place.
func (c *Cluster) makeSocketDir() error {
	if err := os.Mkdir(c.sockDir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("create socket folder: %w", err)
	}
	fi, err := os.Lstat(c.sockDir)
	if err != nil {
		return fmt.Errorf("socket folder: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok {
		return fmt.Errorf("socket folder %s is not a folder", c.sockDir)
	}
	uid := uint32(os.Geteuid())
	if c.owner != nil {
		uid = c.owner.uid
	}
	switch st.Uid {
	case uid:
	case uint32(os.Geteuid()):
		// Made by root before the owner took it over.
		if err := c.chown(c.sockDir); err != nil {
			return err
		}
	default:
		return fmt.Errorf("socket folder %s belongs to another user (uid %d); remove it, or set PPP_DATA_DIR to a shorter folder", c.sockDir, st.Uid)
	}
	if err := os.Chmod(c.sockDir, 0o700); err != nil {
		return fmt.Errorf("socket folder mode: %w", err)
	}
	return nil
}

// findBinDir returns the folder holding pg_ctl, initdb and postgres.
func findBinDir(explicit string) (string, error) {
	has := func(dir string) bool {
		for _, p := range []string{"pg_ctl", "initdb", "postgres"} {
			if !exists(filepath.Join(dir, p)) {
				return false
			}
		}
		return true
	}
	if explicit != "" {
		if has(explicit) {
			return explicit, nil
		}
		return "", fmt.Errorf("%w (looked in %s)", ErrNoBinaries, explicit)
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil && has(filepath.Dir(real)) {
			return filepath.Dir(real), nil
		}
		if has(filepath.Dir(p)) {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if has(d) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

// systemAccount returns the unprivileged user that runs the cluster when
// the program is root, creating "ppp-postgres" if the machine has no
// "postgres" user.
func systemAccount() (*account, error) {
	for _, name := range []string{"postgres", "ppp-postgres"} {
		if a, err := lookupAccount(name); err == nil {
			return a, nil
		}
	}
	out, err := exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "ppp-postgres").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL refuses to run as root and there is no postgres user; creating user ppp-postgres failed: %v: %s", err, strings.TrimSpace(string(out)))
	}
	return lookupAccount("ppp-postgres")
}

func lookupAccount(name string) (*account, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, err
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &account{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
}

// unreachableParent returns the first existing parent of dir that the owner
// cannot enter, or "" when every one can be entered.
func unreachableParent(dir string, owner *account) string {
	var parents []string
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		parents = append([]string{p}, parents...)
		if p == "/" {
			break
		}
	}
	for _, p := range parents {
		fi, err := os.Stat(p)
		if err != nil {
			return "" // it will be created by root with mode 0755
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return ""
		}
		mode := fi.Mode().Perm()
		switch {
		case st.Uid == owner.uid && mode&0o100 != 0:
		case st.Gid == owner.gid && mode&0o010 != 0:
		case mode&0o001 != 0:
		default:
			return p
		}
	}
	return ""
}

func (c *Cluster) chown(path string) error {
	if c.owner == nil {
		return nil
	}
	if err := os.Chown(path, int(c.owner.uid), int(c.owner.gid)); err != nil {
		return fmt.Errorf("give %s to user %s: %w", path, c.owner.name, err)
	}
	return nil
}

// command builds a PostgreSQL program's command, run as the owner when the
// program is root, in its own process group so that a Ctrl-C meant for the
// program does not also shut the database down under it.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	cmd.Dir = c.dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", "LANG=C.UTF-8"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if c.owner != nil {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: c.owner.uid, Gid: c.owner.gid}
		cmd.Env = append(cmd.Env, "HOME="+c.dir, "USER="+c.owner.name)
	}
	return cmd
}

func (c *Cluster) initdb(ctx context.Context, cfg Config) error {
	data := c.dataDir()
	if err := os.RemoveAll(data); err != nil {
		return fmt.Errorf("clear half-made cluster: %w", err)
	}
	// The superuser's password: kept in the password file, handed to
	// initdb in a file of the cluster owner's that is removed at once.
	password, _, err := c.Password(Database)
	if err != nil {
		return err
	}
	pwFile := filepath.Join(c.dir, "initdb.pw")
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		return fmt.Errorf("initdb password: %w", err)
	}
	defer os.Remove(pwFile)
	if err := c.chown(pwFile); err != nil {
		return err
	}
	out, err := c.command(ctx, "initdb", "-D", data, "-U", Database, "--pwfile="+pwFile,
		"--auth-local=scram-sha-256", "--auth-host=reject",
		"--encoding=UTF8", "--locale=C.UTF-8", "--no-sync").CombinedOutput()
	if err != nil {
		return fmt.Errorf("initdb in %s: %v: %s", data, err, tail(string(out), 10))
	}
	if err := c.writeHBA(); err != nil {
		return err
	}
	settings := []string{
		"# Written by ppp: a private cluster reachable only through its socket.",
		"listen_addresses = ''",
		fmt.Sprintf("unix_socket_directories = '%s'", strings.ReplaceAll(c.sockDir, "'", "''")),
		"unix_socket_permissions = 0700",
		"password_encryption = 'scram-sha-256'",
		fmt.Sprintf("port = %d", port),
		"max_connections = 300",
		"shared_buffers = 256MB",
		"work_mem = 16MB",
		"maintenance_work_mem = 256MB",
		"max_wal_size = 2GB",
		"timezone = 'UTC'",
		"log_timezone = 'UTC'",
		"logging_collector = off",
	}
	if cfg.Ephemeral {
		settings = append(settings, "fsync = off", "synchronous_commit = off", "full_page_writes = off")
	}
	f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("configure cluster: %w", err)
	}
	defer f.Close()
	if _, err := f.WriteString("\n" + strings.Join(settings, "\n") + "\n"); err != nil {
		return fmt.Errorf("configure cluster: %w", err)
	}
	return nil
}

func (c *Cluster) start(ctx context.Context) error {
	if err := c.makeSocketDir(); err != nil {
		return err
	}
	logFile := filepath.Join(c.dir, "postgres.log")
	// The socket folder is passed on the command line too, so a cluster
	// whose data folder moved (or whose socket went to /tmp) still works.
	opts := fmt.Sprintf("-c unix_socket_directories='%s'", c.sockDir)
	out, err := c.command(ctx, "pg_ctl", "start", "-D", c.dataDir(), "-l", logFile, "-w", "-t", "120", "-o", opts).CombinedOutput()
	if err != nil {
		logTail, _ := os.ReadFile(logFile)
		return fmt.Errorf("start PostgreSQL in %s: %v: %s\n%s", c.dataDir(), err, strings.TrimSpace(string(out)), tail(string(logTail), 15))
	}
	return nil
}

func (c *Cluster) stop(ctx context.Context) error {
	out, err := c.command(ctx, "pg_ctl", "stop", "-D", c.dataDir(), "-m", "fast", "-w", "-t", "60").CombinedOutput()
	if err != nil {
		return fmt.Errorf("stop PostgreSQL in %s: %v: %s", c.dataDir(), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// runningSocketDir reports whether a postmaster runs on this cluster and
// where its socket is, from postmaster.pid (line 5 is the socket folder).
func (c *Cluster) runningSocketDir(ctx context.Context) (string, bool) {
	if err := c.command(ctx, "pg_ctl", "status", "-D", c.dataDir()).Run(); err != nil {
		return "", false
	}
	f, err := os.Open(filepath.Join(c.dataDir(), "postmaster.pid"))
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 1; sc.Scan(); i++ {
		if i == 5 {
			if dir := strings.TrimSpace(sc.Text()); dir != "" {
				return dir, true
			}
		}
	}
	return c.sockDir, true
}

// hbaMarker starts the pg_hba.conf ppp writes; a cluster whose file
// starts otherwise was made before issue 15 and trusts local users.
const hbaMarker = "# Written by ppp (issue 15)"

// writeHBA makes every connection authenticate with a password: the
// cluster listens on its socket only, so "local" is the one line.
func (c *Cluster) writeHBA() error {
	hba := hbaMarker + `: nobody is trusted for being local. Every connection
# authenticates with scram-sha-256; the passwords are in the password file
# beside the data folder (pgpass, mode 0600), which ppp's URLs name.
local   all   all   scram-sha-256
`
	path := filepath.Join(c.dataDir(), "pg_hba.conf")
	if err := os.WriteFile(path, []byte(hba), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return c.chown(path)
}

// secure brings a cluster made before issue 15 (trust for every local
// user, socket 0777) to what initdb now makes: the superuser gets a
// password from the password file, pg_hba.conf asks everyone for one,
// and the socket folder becomes the owner's alone (the socket's own mode
// follows at the next start). A cluster already secured is left as it is.
func (c *Cluster) secure(ctx context.Context) error {
	if err := c.makeSocketDir(); err != nil {
		return err
	}
	hbaPath := filepath.Join(c.dataDir(), "pg_hba.conf")
	if b, err := os.ReadFile(hbaPath); err == nil && strings.HasPrefix(string(b), hbaMarker) {
		return nil
	}
	password, _, err := c.Password(Database)
	if err != nil {
		return err
	}
	verifier, err := pgpass.Verifier(password)
	if err != nil {
		return err
	}
	// Still trusting: the connection is not asked for the password.
	conn, err := connectRetry(ctx, c.AdminURL())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "ALTER ROLE "+pgx.Identifier{Database}.Sanitize()+" PASSWORD '"+verifier+"'"); err != nil {
		return fmt.Errorf("give the superuser a password: %w", err)
	}
	if err := c.writeHBA(); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(c.dataDir(), "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("configure cluster: %w", err)
	}
	_, err = f.WriteString("\n# Added by ppp (issue 15): the socket is the owner's alone.\nunix_socket_permissions = 0700\npassword_encryption = 'scram-sha-256'\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("configure cluster: %w", err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_reload_conf()"); err != nil {
		return fmt.Errorf("reload the cluster's configuration: %w", err)
	}
	fmt.Fprintf(os.Stderr, "ppp: the private cluster in %s trusted every local user; it now asks for passwords (kept in %s)\n", c.dir, c.PassFile())
	return nil
}

func (c *Cluster) ensureDatabase(ctx context.Context) error {
	conn, err := connectRetry(ctx, c.AdminURL())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var found bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", Database).Scan(&found); err != nil {
		return fmt.Errorf("look for database %s: %w", Database, err)
	}
	if found {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+Database); err != nil && !strings.Contains(err.Error(), "already exists") {
		return fmt.Errorf("create database %s: %w", Database, err)
	}
	return nil
}

// connectRetry connects, retrying briefly: a just-started server may still
// be recovering.
func connectRetry(ctx context.Context, url string) (*pgx.Conn, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, url)
		if err == nil {
			return conn, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("connect to the private cluster: %w", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// lockFile takes an exclusive lock on path, so two programs never
// initialise or start the same cluster at once.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	_ = f.Chmod(0o600) // one made before issue 15 was 0644
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
