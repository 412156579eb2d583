package storage

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage/pgpass"
)

// Roles names an installation's three database roles (issue 15, migration
// 0101). Roles are the server's, shared by all its databases, so each
// installation on a server has roles of its own (RolesFor its prefix); the
// tests' databases all share one set.
type Roles struct {
	// Owner runs the migrations and owns every object.
	Owner string
	// App is what `ppp serve` and the verbs connect as: it reads and
	// writes rows, never the schema; on the audit tables it only reads
	// and appends, and it seals pending entries through audit_seal().
	App string
	// Report is read-only and sees only the views of schema reporting,
	// which hold no full personal code.
	Report string
}

// RolesFor returns the roles named prefix_owner, prefix_app and
// prefix_report.
func RolesFor(prefix string) Roles {
	return Roles{Owner: prefix + "_owner", App: prefix + "_app", Report: prefix + "_report"}
}

var roleNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Validate returns EINVALID (db.bad_role_name) when a name is not a plain
// lower-case SQL identifier, and when two roles share a name.
func (r Roles) Validate() error {
	for _, n := range r.names() {
		if !roleNameRE.MatchString(n) {
			return domain.Errorf(domain.EINVALID, "db.bad_role_name", "%q is not a usable role name (lower-case letters, digits and underscores, at most 63)", n)
		}
	}
	if r.Owner == r.App || r.Owner == r.Report || r.App == r.Report {
		return domain.Errorf(domain.EINVALID, "db.bad_role_name", "%q is not a usable role name (lower-case letters, digits and underscores, at most 63)", r.App)
	}
	return nil
}

func (r Roles) names() []string { return []string{r.Owner, r.App, r.Report} }

// grantsSQL is what each role may do, applied as the owner after every
// migration that changed something (and whenever the program's grants
// differ from those recorded in db_roles): privileges are first taken
// away, then given, so a table added by a later migration gets the
// application's rights without being named here, and one named here keeps
// only what is listed. {owner}, {app} and {report} are the roles, quoted.
//
// The application reads and writes the rows of every table, and holds no
// TRUNCATE, REFERENCES or TRIGGER anywhere; it owns nothing, so it cannot
// alter, drop or disable anything. On the audit tables it reads and
// appends: audit_head moves only through the chain's trigger (SECURITY
// DEFINER), audit_pending empties only through audit_seal(). It may move
// the sequences of the tables the demo loads in bulk (which reserves ids),
// but not audit_pending's, whose order is the order entries are sealed in.
// What the portal reports (documents' files, Platform sign-ins, persons'
// acceptances of the terms, which are their acts) it may add and read,
// never change or remove (two records of one person bring theirs together
// through terms_acceptances_merge(), which runs as the owner);
// API clients are revoked, never deleted (issue 15). An acceptance may
// only move to another person record, when the Population Register says
// two records are one person (issue 16). The record of each IMK decision
// (imk_decisions) only its trigger writes, and documents' files go only
// through retention_delete_document_files(), past the role_requests
// retention rule (issue 18).
// The reporting role reads the views of schema reporting and nothing else.
const grantsSQL = `
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {app}, {report};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
REVOKE UPDATE, DELETE ON audit_log, audit_pending FROM {app};
REVOKE INSERT, UPDATE, DELETE ON audit_head, audit_time_bounds, schema_migrations, db_roles FROM {app};
REVOKE UPDATE, DELETE ON role_request_document_contents, platform_sign_ins, terms_acceptances FROM {app};
REVOKE DELETE ON api_clients FROM {app};
REVOKE INSERT, UPDATE, DELETE ON imk_decisions FROM {app};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {app}, {report};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {app};
REVOKE UPDATE ON SEQUENCE audit_pending_id_seq FROM {app};
REVOKE ALL ON FUNCTION audit_seal(integer) FROM PUBLIC, {report};
GRANT EXECUTE ON FUNCTION audit_seal(integer) TO {app};
REVOKE ALL ON FUNCTION audit_redact(integer) FROM PUBLIC, {report};
GRANT EXECUTE ON FUNCTION audit_redact(integer) TO {app};
REVOKE ALL ON FUNCTION retention_delete_document_files(timestamptz, integer) FROM PUBLIC, {report};
GRANT EXECUTE ON FUNCTION retention_delete_document_files(timestamptz, integer) TO {app};
REVOKE ALL ON FUNCTION terms_acceptances_merge(bigint, bigint) FROM PUBLIC, {report};
GRANT EXECUTE ON FUNCTION terms_acceptances_merge(bigint, bigint) TO {app};
REVOKE ALL ON SCHEMA reporting FROM PUBLIC, {app};
GRANT USAGE ON SCHEMA reporting TO {report};
REVOKE ALL ON ALL TABLES IN SCHEMA reporting FROM PUBLIC, {app}, {report};
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO {report};
`

// revokeSQL takes from {role} whatever grantsSQL may have given it.
const revokeSQL = `
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role};
REVOKE ALL ON FUNCTION audit_seal(integer) FROM {role};
REVOKE ALL ON FUNCTION audit_redact(integer) FROM {role};
REVOKE ALL ON FUNCTION retention_delete_document_files(timestamptz, integer) FROM {role};
REVOKE ALL ON FUNCTION terms_acceptances_merge(bigint, bigint) FROM {role};
REVOKE ALL ON SCHEMA reporting FROM {role};
REVOKE ALL ON ALL TABLES IN SCHEMA reporting FROM {role};
`

// databaseGrantsSQL is what each role may do with the database itself:
// nobody else connects; the application may create temporary tables (the
// register import stages its rows in one). A database copied from a
// template does not copy these (GrantDatabase).
const databaseGrantsSQL = `
REVOKE ALL ON DATABASE {db} FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {app};
GRANT CONNECT ON DATABASE {db} TO {report};
`

// fill replaces the placeholders of a grants text with quoted names.
func (r Roles) fill(sql, db string) string {
	q := func(s string) string { return pgx.Identifier{s}.Sanitize() }
	return strings.NewReplacer("{owner}", q(r.Owner), "{app}", q(r.App), "{report}", q(r.Report), "{db}", q(db)).Replace(sql)
}

// execer is what the role functions need of a connection or a pool.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// CreateRoles creates those of r's roles the server does not have yet,
// and gives each role that passwords names that password (LOGIN); a new
// role without one cannot log in until a database administrator gives it
// a password. The reporting role's transactions are read-only by default
// and it finds the reporting views first. Passwords reach the server only
// as SCRAM-SHA-256 verifiers. It must be connected as a superuser or a
// role with CREATEROLE; it returns EINVALID for bad role names, EFORBIDDEN
// when the connected role may not create roles, and EUNAVAILABLE when the
// database does not answer.
func CreateRoles(ctx context.Context, db *DB, r Roles, passwords map[string]string) error {
	if err := r.Validate(); err != nil {
		return err
	}
	// Two verbs started at once on a new cluster both create the roles:
	// they take turns (changing a role twice at once fails).
	err := db.inTx(ctx, "create database roles", func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, rolesLockKey); err != nil {
			return err
		}
		for _, name := range r.names() {
			ident := pgx.Identifier{name}.Sanitize()
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)`, name).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				if _, err := tx.Exec(ctx, "CREATE ROLE "+ident+" NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"); err != nil {
					return err
				}
			}
			if pw, ok := passwords[name]; ok {
				verifier, err := pgpass.Verifier(pw)
				if err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, "ALTER ROLE "+ident+" LOGIN PASSWORD '"+verifier+"'"); err != nil {
					return err
				}
			}
		}
		report := pgx.Identifier{r.Report}.Sanitize()
		_, err := tx.Exec(ctx, "ALTER ROLE "+report+" SET default_transaction_read_only = on; ALTER ROLE "+report+" SET search_path = reporting, public")
		return err
	})
	return dbError("create database roles", err)
}

// rolesLockKey is 'ppp_role' as a big-endian integer: the transaction
// lock under which CreateRoles runs.
const rolesLockKey int64 = 8102099284883631205

// GrantDatabase gives r's roles their rights on database name (connect;
// the application also temporary tables) and takes everyone else's away.
// Migrations do it for the database they run in; a database copied from a
// template needs it again. It must be connected as a superuser or the
// database's owner; it returns EFORBIDDEN otherwise.
func GrantDatabase(ctx context.Context, conn *pgx.Conn, name string, r Roles) error {
	if err := r.Validate(); err != nil {
		return err
	}
	_, err := conn.Exec(ctx, r.fill(databaseGrantsSQL, name))
	return dbError("grant database "+name, err)
}

// recordedRoles returns the roles db_roles records and the schema they
// were granted for; nil when the database records none (single-role, or
// not migrated to 0101 yet).
func recordedRoles(ctx context.Context, q execer) (*Roles, string, error) {
	var has bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('db_roles') IS NOT NULL`).Scan(&has); err != nil || !has {
		return nil, "", err
	}
	var r Roles
	var schema string
	err := q.QueryRow(ctx, `SELECT owner_role, app_role, report_role, granted_schema FROM db_roles`).Scan(&r.Owner, &r.App, &r.Report, &schema)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	return &r, schema, nil
}

// RecordedRoles returns the roles the database was granted to (db_roles),
// or nil for a single-role database. It returns EUNAVAILABLE when the
// database does not answer.
func (db *DB) RecordedRoles(ctx context.Context) (*Roles, error) {
	r, _, err := recordedRoles(ctx, db.pool)
	return r, dbError("read the database roles", err)
}

// takeOwnership makes r.Owner the owner of the database, and of every
// table, view, sequence and function of schemas public and reporting that
// another role owns (a database migrated by a superuser before issue 15,
// say), extensions' objects aside. Only a superuser may; the caller checks.
func takeOwnership(ctx context.Context, conn *pgx.Conn, owner string) error {
	ident := pgx.Identifier{owner}.Sanitize()
	var dbOwned bool
	if err := conn.QueryRow(ctx, `
		SELECT datdba = to_regrole($1) FROM pg_database WHERE datname = current_database()`, owner).Scan(&dbOwned); err != nil {
		return dbError("migrate: read the database's owner", err)
	}
	if !dbOwned {
		var name string
		if err := conn.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
			return dbError("migrate", err)
		}
		if _, err := conn.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" OWNER TO "+ident); err != nil {
			return dbError("migrate: give the database to "+owner, err)
		}
	}
	rows, err := conn.Query(ctx, `
		WITH objects AS (
		    SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
		                          WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind,
		           c.oid::regclass::text AS name, c.relowner AS owner, c.oid, 'pg_class'::regclass AS catalog
		      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		     WHERE n.nspname IN ('public', 'reporting') AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
		       -- a column's sequence goes with its table
		       AND NOT (c.relkind = 'S' AND EXISTS (
		               SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
		    UNION ALL
		    SELECT 'ROUTINE', p.oid::regprocedure::text, p.proowner, p.oid, 'pg_proc'::regclass
		      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		     WHERE n.nspname IN ('public', 'reporting')
		    UNION ALL
		    SELECT 'SCHEMA', quote_ident(n.nspname), n.nspowner, n.oid, 'pg_namespace'::regclass
		      FROM pg_namespace n WHERE n.nspname = 'reporting'
		)
		SELECT kind, name FROM objects o
		 WHERE o.owner <> to_regrole($1)
		   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = o.catalog AND d.objid = o.oid AND d.deptype = 'e')
		 ORDER BY kind = 'SCHEMA' DESC, name`, owner)
	if err != nil {
		return dbError("migrate: find objects to hand to "+owner, err)
	}
	type object struct{ kind, name string }
	objects, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (object, error) {
		var o object
		return o, row.Scan(&o.kind, &o.name)
	})
	if err != nil {
		return dbError("migrate: find objects to hand to "+owner, err)
	}
	for _, o := range objects {
		if _, err := conn.Exec(ctx, "ALTER "+o.kind+" "+o.name+" OWNER TO "+ident); err != nil {
			return dbError("migrate: give "+o.name+" to "+owner, err)
		}
	}
	return nil
}

// actAsOwner makes conn act as r.Owner for the migrations and grants:
// the roles must exist; a superuser first hands the owner whatever another
// role owns, then becomes it (SET ROLE), as does a member of it. It
// returns EINVALID (db.role_missing) when a role does not exist and
// EFORBIDDEN (db.cannot_migrate) when the connected role may not act as
// the owner: the application's role, for one.
func actAsOwner(ctx context.Context, conn *pgx.Conn, r Roles) error {
	for _, name := range r.names() {
		var exists bool
		if err := conn.QueryRow(ctx, `SELECT to_regrole($1) IS NOT NULL`, name).Scan(&exists); err != nil {
			return dbError("migrate: look for role "+name, err)
		}
		if !exists {
			return domain.Errorf(domain.EINVALID, "db.role_missing", "the database role %s does not exist; create the roles first (README: Database roles)", name)
		}
	}
	var me string
	var super, member bool
	if err := conn.QueryRow(ctx, `
		SELECT current_user, rolsuper, pg_has_role(current_user, $1, 'MEMBER')
		  FROM pg_roles WHERE rolname = current_user`, r.Owner).Scan(&me, &super, &member); err != nil {
		return dbError("migrate: who is connected", err)
	}
	if super {
		if err := takeOwnership(ctx, conn, r.Owner); err != nil {
			return err
		}
	}
	if me == r.Owner {
		return nil
	}
	if !member {
		return domain.Errorf(domain.EFORBIDDEN, "db.cannot_migrate", "the database schema needs migrating, and role %s may not: run ppp migrate with PPP_DATABASE_OWNER_URL set to the URL of the owner role %s", me, r.Owner)
	}
	_, err := conn.Exec(ctx, "SET ROLE "+pgx.Identifier{r.Owner}.Sanitize())
	return dbError("migrate: act as "+r.Owner, err)
}

// grant gives r's roles their privileges (grantsSQL, databaseGrantsSQL),
// takes them from the application and reporting roles of previous (the
// roles recorded before, when they differ), and records r in db_roles, in
// one transaction, acting as the owner.
// It returns EFORBIDDEN (db.public_create) when the application or
// reporting role could still create objects in schema public (a server
// before PostgreSQL 15 lets everyone, and only the schema's owner can
// take that away).
func grant(ctx context.Context, conn *pgx.Conn, r Roles, previous *Roles) error {
	var dbName string
	var ownsDB bool
	if err := conn.QueryRow(ctx, `
		SELECT datname, pg_has_role(current_user, datdba, 'MEMBER') FROM pg_database WHERE datname = current_database()`).Scan(&dbName, &ownsDB); err != nil {
		return dbError("grant: read the database", err)
	}
	// Roles the database was granted to before (another prefix) lose
	// what they held, lest an old application role keep its rights.
	var retired []string
	if previous != nil {
		for _, old := range []string{previous.App, previous.Report} {
			var exists bool
			if err := conn.QueryRow(ctx, `SELECT to_regrole($1) IS NOT NULL`, old).Scan(&exists); err != nil {
				return dbError("grant: look for role "+old, err)
			}
			if exists && old != r.Owner && old != r.App && old != r.Report {
				retired = append(retired, old)
			}
		}
	}
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, old := range retired {
			if _, err := tx.Exec(ctx, strings.ReplaceAll(revokeSQL, "{role}", pgx.Identifier{old}.Sanitize())); err != nil {
				return err
			}
			if ownsDB {
				_, err := tx.Exec(ctx, "REVOKE ALL ON DATABASE "+pgx.Identifier{dbName}.Sanitize()+" FROM "+pgx.Identifier{old}.Sanitize())
				if err != nil {
					return err
				}
			}
		}
		if _, err := tx.Exec(ctx, r.fill(grantsSQL, dbName)); err != nil {
			return err
		}
		if ownsDB {
			if _, err := tx.Exec(ctx, r.fill(databaseGrantsSQL, dbName)); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO db_roles (owner_role, app_role, report_role, granted_schema) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE
			   SET owner_role = EXCLUDED.owner_role, app_role = EXCLUDED.app_role, report_role = EXCLUDED.report_role,
			       granted_schema = EXCLUDED.granted_schema, granted_at = now()`,
			r.Owner, r.App, r.Report, SchemaHash())
		return err
	})
	if err != nil {
		return dbError("grant the database roles", err)
	}
	for _, name := range []string{r.App, r.Report} {
		var can bool
		if err := conn.QueryRow(ctx, `SELECT has_schema_privilege($1, 'public', 'CREATE')`, name).Scan(&can); err != nil {
			return dbError("grant: check schema public", err)
		}
		if !can {
			continue
		}
		if _, err := conn.Exec(ctx, `REVOKE CREATE ON SCHEMA public FROM PUBLIC`); err == nil {
			if err := conn.QueryRow(ctx, `SELECT has_schema_privilege($1, 'public', 'CREATE')`, name).Scan(&can); err == nil && !can {
				continue
			}
		}
		return domain.Errorf(domain.EFORBIDDEN, "db.public_create", "role %s may create objects in schema public; as the server's administrator run: REVOKE CREATE ON SCHEMA public FROM PUBLIC", name)
	}
	return nil
}

// CheckServingRole tells whether the pool is fit to serve (`ppp serve`)
// and names the role it connects as. When the database records its roles,
// the pool must act as the application role and be neither a superuser
// nor the owner (nor a member of it), or EFORBIDDEN is returned
// (db.serve_superuser, db.serve_owner, db.serve_not_app,
// db.serve_no_access) naming the role connected and the one to use. A
// database that records no roles (single-role: one role owns and does
// everything) serves as before, and single reports it, for a warning. It
// returns EUNAVAILABLE when the database does not answer.
func (db *DB) CheckServingRole(ctx context.Context) (role string, single bool, err error) {
	if err := db.pool.QueryRow(ctx, `SELECT current_user`).Scan(&role); err != nil {
		return "", false, dbError("check the database role", err)
	}
	r, _, err := recordedRoles(ctx, db.pool)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42501" {
		// Only the roles' own may read which roles they are.
		return role, false, domain.Errorf(domain.EFORBIDDEN, "db.serve_no_access", "ppp serve refuses to run as %s, which may not read the database's roles: set PPP_DATABASE_URL to the application role (ppp db url --role app)", role)
	}
	if err != nil {
		return role, false, dbError("check the database role", err)
	}
	if r == nil {
		return role, true, nil
	}
	var super, owner, app bool
	err = db.pool.QueryRow(ctx, `
		SELECT rolsuper,
		       CASE WHEN to_regrole($1) IS NULL THEN false ELSE pg_has_role(current_user, $1, 'MEMBER') END,
		       CASE WHEN to_regrole($2) IS NULL THEN false ELSE pg_has_role(current_user, $2, 'USAGE') END
		  FROM pg_roles WHERE rolname = current_user`, r.Owner, r.App).Scan(&super, &owner, &app)
	if err != nil {
		return role, false, dbError("check the database role", err)
	}
	switch {
	case super:
		return role, false, domain.Errorf(domain.EFORBIDDEN, "db.serve_superuser", "ppp serve refuses to run as %s, a superuser: set PPP_DATABASE_URL to the application role %s (ppp db url --role app)", role, r.App)
	case owner:
		return role, false, domain.Errorf(domain.EFORBIDDEN, "db.serve_owner", "ppp serve refuses to run as %s, the owner of the database's objects: set PPP_DATABASE_URL to the application role %s (ppp db url --role app)", role, r.App)
	case !app:
		return role, false, domain.Errorf(domain.EFORBIDDEN, "db.serve_not_app", "ppp serve refuses to run as %s, which is not the application role: set PPP_DATABASE_URL to the application role %s (ppp db url --role app)", role, r.App)
	}
	return role, false, nil
}

// grantsText is the grants as they take part in SchemaHash: a database
// granted by another version of them is granted again.
func grantsText() string {
	return fmt.Sprintf("%s\x00%s\x00%s", grantsSQL, databaseGrantsSQL, revokeSQL)
}

// MayCreateRoles reports whether the connected role may create roles (a
// superuser, or CREATEROLE). It returns EUNAVAILABLE when the database
// does not answer.
func MayCreateRoles(ctx context.Context, db *DB) (bool, error) {
	var may bool
	err := db.pool.QueryRow(ctx, `SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user`).Scan(&may)
	return may, dbError("check the right to create roles", err)
}
