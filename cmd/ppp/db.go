package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/user"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgcluster"
)

// dataDir is the data folder: PPP_DATA_DIR, or ./var.
func (m *Main) dataDir() string {
	if d := m.Env("PPP_DATA_DIR"); d != "" {
		return d
	}
	return "var"
}

// databaseURL returns the URL of the database in use as its
// administrator: PPP_DATABASE_URL, or the private cluster's superuser on
// its database, the cluster started for the verb's duration when it is not
// running already. `ppp db url` prints it; `ppp bench` creates its
// databases through it.
func (m *Main) databaseURL(ctx context.Context) (string, error) {
	if u := m.Env("PPP_DATABASE_URL"); u != "" {
		return u, nil
	}
	c, err := m.cluster(ctx)
	if err != nil {
		return "", err
	}
	return c.URL(), nil
}

// cluster ensures the private cluster in the data folder runs, for the
// verb's duration when this verb started it.
func (m *Main) cluster(ctx context.Context) (*pgcluster.Cluster, error) {
	c, err := pgcluster.Ensure(ctx, pgcluster.Config{DataDir: m.dataDir(), Ephemeral: m.Env("PPP_DB_EPHEMERAL") == "1"})
	if err != nil {
		return nil, err
	}
	if c.Started() {
		m.startedCluster = true
		m.onClose(func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			return c.Release(ctx)
		})
	}
	return c, nil
}

// dbSetup is how a verb reaches its database (issue 15).
type dbSetup struct {
	// app is the URL the verbs and the server work through: the
	// application role's.
	app string
	// migrate is the URL migrations run through (the owner's, or a
	// superuser's); "" when they run through app (one role for all).
	migrate string
	// roles are the roles to migrate with; nil: those the database
	// records, if any.
	roles *storage.Roles
	// passwords are the roles' passwords to give them (the private
	// cluster's, from its password file); nil: the roles are the
	// database administrator's.
	passwords map[string]string
	cluster   *pgcluster.Cluster
}

// dbSetup returns how this verb reaches its database:
//
//   - the private cluster: the three roles (PPP_DB_ROLE_PREFIX, default
//     "ppp": ppp_owner, ppp_app, ppp_report) with passwords from the
//     cluster's password file, created and migrated through the superuser,
//     and the verbs on the application role;
//   - PPP_DATABASE_URL with PPP_DATABASE_OWNER_URL: the verbs on the
//     first, migrations and grants through the second, for the roles named
//     by PPP_DB_ROLE_PREFIX (default: the database's name);
//   - PPP_DATABASE_URL alone: everything through it (a database without
//     roles, or one whose schema is current).
func (m *Main) dbSetup(ctx context.Context) (*dbSetup, error) {
	prefix := m.Env("PPP_DB_ROLE_PREFIX")
	if app := m.Env("PPP_DATABASE_URL"); app != "" {
		s := &dbSetup{app: app, migrate: m.Env("PPP_DATABASE_OWNER_URL")}
		if s.migrate == "" {
			return s, nil
		}
		appDB, ownerDB := databaseName(app), databaseName(s.migrate)
		if appDB != ownerDB {
			return nil, usageError{m.cat.T("cli.db.owner_other_database", ownerDB, appDB)}
		}
		if prefix == "" {
			prefix = appDB
		}
		r := storage.RolesFor(prefix)
		s.roles = &r
		return s, nil
	}
	c, err := m.cluster(ctx)
	if err != nil {
		return nil, err
	}
	if prefix == "" {
		prefix = pgcluster.Database
	}
	r := storage.RolesFor(prefix)
	if err := r.Validate(); err != nil {
		return nil, err
	}
	s := &dbSetup{app: c.RoleURL(r.App, pgcluster.Database), migrate: c.URL(), roles: &r, passwords: map[string]string{}, cluster: c}
	for _, role := range []string{r.Owner, r.App, r.Report} {
		pw, _, err := c.Password(role)
		if err != nil {
			return nil, err
		}
		s.passwords[role] = pw
	}
	return s, nil
}

// databaseName is the database a connection string names ("" when it
// cannot be parsed).
func databaseName(url string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return ""
	}
	return cfg.Database
}

// openDB opens the database in use as the application, bringing its
// schema (and the roles' grants) up to date first when it needs it, and
// returns the pool and its URL.
func (m *Main) openDB(ctx context.Context) (*storage.DB, string, error) {
	s, err := m.dbSetup(ctx)
	if err != nil {
		return nil, "", err
	}
	db, err := m.openApp(ctx, s)
	if err != nil {
		return nil, "", err
	}
	return db, s.app, nil
}

// openApp opens s.app, migrating first when the schema or the grants are
// not current. On the private cluster the application's role may not
// exist yet, or not have its password: the migration through the
// superuser creates it and gives it one.
func (m *Main) openApp(ctx context.Context, s *dbSetup) (*storage.DB, error) {
	db, err := m.openAppOnce(ctx, s)
	if err != nil {
		return nil, err
	}
	if v := m.Env("PPP_PORTAL_URL"); v != "" {
		portal, err := domain.CheckPortalURL(v)
		if err != nil {
			return nil, err
		}
		db.PortalURL = portal
	}
	return db, nil
}

// openAppOnce is openApp before the configuration is applied.
func (m *Main) openAppOnce(ctx context.Context, s *dbSetup) (*storage.DB, error) {
	db, err := storage.Open(ctx, s.app)
	switch {
	case err == nil:
		need, err := storage.NeedsMigration(ctx, db, s.roles)
		if err != nil {
			db.Close()
			return nil, err
		}
		if !need {
			m.onClose(func() error { db.Close(); return nil })
			return db, nil
		}
		db.Close()
	case s.cluster == nil || !refusedLogin(err):
		return nil, err
	}
	if err := m.migrateDB(ctx, s); err != nil {
		return nil, err
	}
	if db, err = storage.Open(ctx, s.app); err != nil {
		return nil, err
	}
	m.onClose(func() error { db.Close(); return nil })
	return db, nil
}

// refusedLogin reports whether the server refused a login: an unknown
// role, a wrong password, no right to connect.
func refusedLogin(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "28P01" || pgErr.Code == "28000" || pgErr.Code == "42501")
}

// migrateDB migrates through s.migrate, creating the roles first when the
// role connected may (the private cluster's superuser gives them their
// passwords; roles created otherwise wait for a database administrator to
// give them one), or through s.app when there is no other URL.
func (m *Main) migrateDB(ctx context.Context, s *dbSetup) error {
	url := s.migrate
	if url == "" {
		url = s.app
	}
	db, err := storage.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	if s.roles == nil {
		return storage.Migrate(ctx, db)
	}
	may, err := storage.MayCreateRoles(ctx, db)
	if err != nil {
		return err
	}
	if may {
		if err := storage.CreateRoles(ctx, db, *s.roles, s.passwords); err != nil {
			return err
		}
	}
	return storage.MigrateWithRoles(ctx, db, *s.roles)
}

// cliContext marks what a verb does as done from the command line by the
// operating-system user running it, for the audit log.
func cliContext(ctx context.Context) context.Context {
	name := "cli"
	if u, err := user.Current(); err == nil {
		name = "cli:" + u.Username
	}
	host, _ := os.Hostname()
	return domain.WithActor(ctx, domain.Actor{Name: name, RemoteAddr: host})
}

// runMigrate implements `ppp migrate`: the schema and the roles' grants
// brought up to date through the owner's (or the superuser's) URL when
// there is one, whether or not the application's role can connect yet.
func (m *Main) runMigrate(ctx context.Context, args []string) error {
	fs := m.flags("migrate")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := m.dbSetup(ctx)
	if err != nil {
		return err
	}
	if err := m.migrateDB(ctx, s); err != nil {
		return err
	}
	db, err := m.openApp(ctx, s)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.migrated"))
	if r, err := db.RecordedRoles(ctx); err == nil && r != nil {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.migrated_roles", r.Owner, r.App, r.Report))
	}
	return nil
}

// runDB implements `ppp db url|start|stop|restart|backup|restore`.
func (m *Main) runDB(ctx context.Context, args []string) error {
	fs := m.flags("db")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch fs.Arg(0) {
	case "url":
		url, err := m.roleURL(ctx, fs.Args()[1:])
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, url)
		if m.startedCluster {
			fmt.Fprintln(m.Stderr, m.cat.T("cli.db.url_stopped"))
		}
		return nil
	case "start":
		if m.Env("PPP_DATABASE_URL") != "" {
			return usageError{m.cat.T("cli.db.external")}
		}
		c, err := pgcluster.Ensure(ctx, pgcluster.Config{DataDir: m.dataDir(), Ephemeral: m.Env("PPP_DB_EPHEMERAL") == "1"})
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, c.URL())
		return nil
	case "stop":
		if m.Env("PPP_DATABASE_URL") != "" {
			return usageError{m.cat.T("cli.db.external")}
		}
		return pgcluster.Stop(ctx, pgcluster.Config{DataDir: m.dataDir()})
	case "restart":
		return m.restartDB(ctx, fs.Args()[1:])
	case "backup":
		return m.backupDB(ctx, fs.Args()[1:])
	case "restore":
		return m.restoreDB(ctx, fs.Args()[1:])
	default:
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.db"))
		return errUsageShown
	}
}

// roleURL implements `ppp db url [--role admin|owner|app|report]`: the URL
// of the database in use as that role (default: as its administrator, see
// databaseURL). On the private cluster the roles are set up first, so the
// URL works; with PPP_DATABASE_URL the application's URL is that, the
// owner's PPP_DATABASE_OWNER_URL, and the others are the database
// administrator's to give.
func (m *Main) roleURL(ctx context.Context, args []string) (string, error) {
	fs := m.flags("db")
	role := fs.String("role", "", "")
	if err := parseFlags(fs, args); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", usageError{m.cat.T("cli.db.bad_role", fs.Arg(0))}
	}
	switch *role {
	case "", "admin", "owner", "app", "report":
	default:
		return "", usageError{m.cat.T("cli.db.bad_role", *role)}
	}
	if app := m.Env("PPP_DATABASE_URL"); app != "" {
		switch *role {
		case "", "app":
			return app, nil
		case "owner":
			if u := m.Env("PPP_DATABASE_OWNER_URL"); u != "" {
				return u, nil
			}
			return "", usageError{m.cat.T("cli.db.no_owner_url")}
		default:
			return "", usageError{m.cat.T("cli.db.external_role", *role)}
		}
	}
	if *role == "" || *role == "admin" {
		return m.databaseURL(ctx)
	}
	s, err := m.dbSetup(ctx)
	if err != nil {
		return "", err
	}
	if _, err := m.openApp(ctx, s); err != nil {
		return "", err
	}
	name := map[string]string{"owner": s.roles.Owner, "app": s.roles.App, "report": s.roles.Report}[*role]
	return s.cluster.RoleURL(name, pgcluster.Database), nil
}

// restartDB implements `ppp db restart [--mode fast|immediate]`: the
// private cluster is shut down (fast: sessions ended, checkpoint;
// immediate: every server process aborted, as in a crash) and started
// again, for trying out how the server copes with a lost database.
func (m *Main) restartDB(ctx context.Context, args []string) error {
	fs := m.flags("db")
	mode := fs.String("mode", pgcluster.ModeFast, "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if m.Env("PPP_DATABASE_URL") != "" {
		return usageError{m.cat.T("cli.db.external")}
	}
	if *mode != pgcluster.ModeFast && *mode != pgcluster.ModeImmediate || fs.NArg() > 0 {
		return usageError{m.cat.T("cli.db.bad_mode", *mode)}
	}
	err := pgcluster.Restart(ctx, pgcluster.Config{DataDir: m.dataDir()}, *mode)
	if errors.Is(err, pgcluster.ErrNotRunning) {
		return usageError{m.cat.T("cli.db.not_running")}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.db.restarted", *mode))
	return nil
}

// flags returns a flag set for verb whose -h prints the verb's help from
// the catalog.
func (m *Main) flags(verb string) *flag.FlagSet {
	fs := flag.NewFlagSet(verb, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() { fmt.Fprintln(m.Stderr, m.cat.T("cli.help."+verb)) }
	return fs
}

// parseFlags parses args; -h becomes errHelpShown (exit 0) and a bad flag
// errUsageShown (exit 2), flag having printed the message and the help.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		return errHelpShown
	default:
		return errUsageShown
	}
}
