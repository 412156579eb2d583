package storage_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// fullCodeRE matches a whole Latvian personal code, with or without its
// hyphen.
var fullCodeRE = regexp.MustCompile(`\b\d{6}-?\d{5}\b`)

// TestDBRoles_ReportRole_SeesNoTableWithPersonalCodes proves what the
// reporting role (for BI tools) may read: the views of schema reporting
// and nothing else: no table of the program, so no full personal code; the
// views hold none either; and it can change nothing.
func TestDBRoles_ReportRole_SeesNoTableWithPersonalCodes(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	e := newRREnv(t)
	app := e.db
	// Rows with personal codes in the tables the views count.
	e.submit(t, rrForm(domain.KindMunicipalCoordinator, 0))
	if _, err := app.Pool().Exec(ctx, `
		INSERT INTO imk_applications (personal_code, first_name, last_name, email)
		VALUES ('010190-12346', 'Anna', 'Liepa', 'anna@example.lv')`); err != nil {
		t.Fatal(err)
	}

	report, err := pgx.Connect(ctx, pgtest.ReportURL(t))
	if err != nil {
		t.Fatalf("connect as the reporting role: %v", err)
	}
	defer report.Close(context.Background())

	// Every relation the reporting role may read, in every schema but the
	// system's: the views of schema reporting only.
	rows, err := report.Query(ctx, `
		SELECT n.nspname, c.relname
		  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
		   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
		   AND has_table_privilege(c.oid, 'SELECT')
		 ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	readable, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var schema, name string
		err := r.Scan(&schema, &name)
		return schema + "." + name, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(readable) < 2 {
		t.Fatalf("the reporting role reads %v; want the reporting views", readable)
	}
	for _, rel := range readable {
		if !strings.HasPrefix(rel, "reporting.") {
			t.Errorf("the reporting role may read %s", rel)
			continue
		}
		// Nothing in a view looks like a whole personal code.
		rows, err := report.Query(ctx, "SELECT t::text FROM "+rel+" AS t")
		if err != nil {
			t.Fatalf("read %s: %v", rel, err)
		}
		texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("read %s: %v", rel, err)
		}
		for _, s := range texts {
			if fullCodeRE.MatchString(s) {
				t.Errorf("%s shows a personal code: %s", rel, s)
			}
		}
	}
	var counted int
	if err := report.QueryRow(ctx, `SELECT sum(requests) FROM role_request_queue`).Scan(&counted); err != nil || counted != 1 {
		t.Errorf("role_request_queue counts %d, %v; want the 1 request", counted, err)
	}

	// The tables themselves are refused, and nothing can be written.
	for _, sql := range []string{
		`SELECT personal_code FROM public.platform_users`,
		`SELECT personal_code FROM public.role_requests`,
		`SELECT personal_code FROM public.imk_applications`,
		`SELECT personal_code FROM public.population_register`,
		`SELECT details FROM public.audit_log`,
		`SELECT audit_seal(10)`,
	} {
		_, err := report.Exec(ctx, sql)
		wantSQLState(t, err, "42501")
	}
	for _, sql := range []string{
		`CREATE TEMP TABLE scratch (n int)`,
		`CREATE TABLE reporting.scratch (n int)`,
	} {
		if _, err := report.Exec(ctx, sql); err == nil {
			t.Errorf("the reporting role ran %s", sql)
		}
	}
	var readOnly string
	if err := report.QueryRow(ctx, `SHOW default_transaction_read_only`).Scan(&readOnly); err != nil || readOnly != "on" {
		t.Errorf("default_transaction_read_only = %q, %v; want on", readOnly, err)
	}
}

// TestDBRoles_OwnerOwnsEverything_TheOthersNothing proves the layout the
// attacks run into: every object of the program belongs to the owner, the
// functions that do more than the application may run as the owner with a
// search path of their own, nobody but the roles may connect, and the
// application and reporting roles may create nothing in schema public.
func TestDBRoles_OwnerOwnsEverything_TheOthersNothing(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	admin := pgtest.NewAdminDB(t)
	roles := pgtest.Roles
	var foreign []string
	rows, err := admin.Pool().Query(ctx, `
		SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname IN ('public', 'reporting') AND c.relowner <> to_regrole($1)
		   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
		UNION ALL
		SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		 WHERE n.nspname IN ('public', 'reporting') AND p.proowner <> to_regrole($1)
		   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`, roles.Owner)
	if err != nil {
		t.Fatal(err)
	}
	if foreign, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		t.Fatal(err)
	}
	if len(foreign) > 0 {
		t.Errorf("objects the owner %s does not own: %v", roles.Owner, foreign)
	}
	for _, fn := range []string{"audit_seal(integer)", "audit_log_chain()"} {
		var definer bool
		var config []string
		if err := admin.Pool().QueryRow(ctx, `SELECT prosecdef, coalesce(proconfig, '{}') FROM pg_proc WHERE oid = $1::regprocedure`, fn).Scan(&definer, &config); err != nil {
			t.Fatal(err)
		}
		if !definer || !slicesContain(config, "search_path=pg_catalog, public, pg_temp") {
			t.Errorf("%s: security definer %v, settings %v; want the owner's rights and a search path ending in pg_temp", fn, definer, config)
		}
	}
	for _, who := range []string{"public", roles.App, roles.Report} {
		var can bool
		if err := admin.Pool().QueryRow(ctx, `SELECT has_schema_privilege($1, 'public', 'CREATE')`, who).Scan(&can); err != nil {
			t.Fatal(err)
		}
		if can {
			t.Errorf("%s may create objects in schema public", who)
		}
	}
	var publicConnects bool
	if err := admin.Pool().QueryRow(ctx, `
		SELECT coalesce(bool_or(a.grantee = 0 AND a.privilege_type = 'CONNECT'), false)
		  FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = current_database()`).Scan(&publicConnects); err != nil {
		t.Fatal(err)
	}
	if publicConnects {
		t.Error("every role of the server may connect to the database")
	}
	recorded, err := admin.RecordedRoles(ctx)
	if err != nil || recorded == nil || *recorded != roles {
		t.Errorf("db_roles records %+v, %v; want %+v", recorded, err, roles)
	}
}

// TestDBRoles_DatabaseMigratedBeforeRoles_IsHandedToTheOwner proves the
// way from a database migrated by a superuser before issue 15 (the
// superuser owning everything): MigrateWithRoles run by a superuser hands
// every object and the database to the owner, grants the roles, and the
// application then works and is refused the attacks.
func TestDBRoles_DatabaseMigratedBeforeRoles_IsHandedToTheOwner(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	legacy := pgtest.NewEmptyDB(t)
	if err := storage.Migrate(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	if _, single, err := legacy.CheckServingRole(ctx); err != nil || !single {
		t.Fatalf("a database without roles: single %v, %v; want single-role", single, err)
	}
	var owner string
	if err := legacy.Pool().QueryRow(ctx, `SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'`).Scan(&owner); err != nil || owner == pgtest.Roles.Owner {
		t.Fatalf("before: audit_log owned by %q, %v; want the superuser", owner, err)
	}
	if err := storage.MigrateWithRoles(ctx, legacy, pgtest.Roles); err != nil {
		t.Fatalf("MigrateWithRoles: %v", err)
	}
	var foreign int
	if err := legacy.Pool().QueryRow(ctx, `
		SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		         WHERE n.nspname IN ('public', 'reporting') AND c.relowner <> to_regrole($1)
		           AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e'))
		     + (SELECT count(*) FROM pg_database WHERE datname = current_database() AND datdba <> to_regrole($1))`,
		pgtest.Roles.Owner).Scan(&foreign); err != nil || foreign != 0 {
		t.Fatalf("after: %d objects not the owner's, %v", foreign, err)
	}

	var name string
	if err := legacy.Pool().QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	app, err := storage.Open(ctx, storage.WithDatabase(pgtest.URL(t), name))
	if err != nil {
		t.Fatalf("the application connects: %v", err)
	}
	defer app.Close()
	if _, single, err := app.CheckServingRole(ctx); err != nil || single {
		t.Fatalf("as the application: single %v, %v; want fit to serve", single, err)
	}
	recordN(t, app, 3)
	if _, err := app.Pool().Exec(ctx, `ALTER TABLE audit_log DISABLE TRIGGER USER`); err == nil {
		t.Fatal("the application switched the audit log's triggers off")
	}
	if v, err := storage.NewAuditService(app).VerifyAudit(ctx); err != nil || !v.OK || v.Entries != 3 {
		t.Fatalf("verify: %+v, %v", v, err)
	}
}

// TestDBRoles_SchemaChangedLater_OnlyTheOwnerMigrates proves that the
// application's role starts when there is nothing to migrate, is refused
// with a message naming the way out when there is, and that the owner
// then migrates (here: grants made by another version of the program).
func TestDBRoles_SchemaChangedLater_OnlyTheOwnerMigrates(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	app := pgtest.NewDB(t)
	if err := storage.Migrate(ctx, app); err != nil {
		t.Fatalf("Migrate as the application with nothing to do: %v", err)
	}
	admin := pgtest.NewAdminDB(t)
	if _, err := admin.Pool().Exec(ctx, `UPDATE db_roles SET granted_schema = 'an older program'`); err != nil {
		t.Fatal(err)
	}
	if need, err := storage.NeedsMigration(ctx, app, nil); err != nil || !need {
		t.Fatalf("NeedsMigration = %v, %v; want true", need, err)
	}
	err := storage.Migrate(ctx, app)
	if e := domain.AsError(err); e == nil || e.Code != domain.EFORBIDDEN || e.Key != "db.cannot_migrate" {
		t.Fatalf("Migrate as the application = %v; want EFORBIDDEN db.cannot_migrate", err)
	}
	owner, err := storage.Open(ctx, pgtest.OwnerURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	if err := storage.Migrate(ctx, owner); err != nil {
		t.Fatalf("Migrate as the owner: %v", err)
	}
	if need, err := storage.NeedsMigration(ctx, app, nil); err != nil || need {
		t.Fatalf("after the owner migrated: NeedsMigration = %v, %v", need, err)
	}
}

// TestDBRoles_CheckServingRole_RefusesEveryoneButTheApplication proves
// the check `ppp serve` makes before it serves.
func TestDBRoles_CheckServingRole_RefusesEveryoneButTheApplication(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	if role, single, err := pgtest.NewDB(t).CheckServingRole(ctx); err != nil || single || role != pgtest.Roles.App {
		t.Fatalf("application: %s, single %v, %v; want %s, fit to serve", role, single, err, pgtest.Roles.App)
	}
	for _, c := range []struct{ url, key string }{
		{pgtest.AdminURL(t), "db.serve_superuser"},
		{pgtest.OwnerURL(t), "db.serve_owner"},
		{pgtest.ReportURL(t), "db.serve_no_access"},
	} {
		db, err := storage.Open(ctx, c.url)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = db.CheckServingRole(ctx)
		db.Close()
		if e := domain.AsError(err); e == nil || e.Code != domain.EFORBIDDEN || e.Key != c.key {
			t.Errorf("%s: %v; want EFORBIDDEN %s", c.key, err, c.key)
		} else if c.key != "db.serve_no_access" && !strings.Contains(fmt.Sprint(e.Args...), pgtest.Roles.App) {
			t.Errorf("%s does not name the application role: %v", c.key, e)
		}
	}
}

func slicesContain(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestDBRoles_RolesRenamed_OldOnesLoseTheirRights proves that moving a
// database to roles of another prefix leaves the old application and
// reporting roles nothing: an application role left with its rights
// would be a way in nobody watches.
func TestDBRoles_RolesRenamed_OldOnesLoseTheirRights(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	admin := pgtest.NewAdminDB(t)
	renamed := storage.RolesFor("ppp_test_renamed")
	if err := storage.CreateRoles(ctx, admin, renamed, nil); err != nil {
		t.Fatal(err)
	}
	if err := storage.MigrateWithRoles(ctx, admin, renamed); err != nil {
		t.Fatalf("MigrateWithRoles: %v", err)
	}
	for _, c := range []struct {
		role, table string
		want        bool
	}{
		{pgtest.Roles.App, "role_requests", false},
		{pgtest.Roles.App, "audit_log", false},
		{pgtest.Roles.Report, "reporting.role_request_queue", false},
		{renamed.App, "role_requests", true},
		{renamed.Report, "reporting.role_request_queue", true},
	} {
		var has bool
		if err := admin.Pool().QueryRow(ctx, `SELECT has_table_privilege($1, $2, 'SELECT')`, c.role, c.table).Scan(&has); err != nil {
			t.Fatal(err)
		}
		if has != c.want {
			t.Errorf("%s may read %s: %v; want %v", c.role, c.table, has, c.want)
		}
	}
	var connect bool
	if err := admin.Pool().QueryRow(ctx, `SELECT has_database_privilege($1, current_database(), 'CONNECT')`, pgtest.Roles.App).Scan(&connect); err != nil || connect {
		t.Errorf("the old application role may connect: %v, %v", connect, err)
	}
	if r, err := admin.RecordedRoles(ctx); err != nil || r == nil || *r != renamed {
		t.Errorf("db_roles records %+v, %v; want %+v", r, err, renamed)
	}
}
