package storage

import "context"

// ForgetGrants makes the next MigrateWithRoles hand every object to the
// owner role and grant the roles their rights again, even though db_roles
// says they are current: a database restored from a dump without owners
// and grants (pgcluster's Restore) has neither, and the database's own
// rights (who may connect) are never in a dump. A database without
// db_roles is left as it is. It must be connected as a superuser or the
// owner; it returns EFORBIDDEN otherwise and EUNAVAILABLE when the
// database does not answer.
func ForgetGrants(ctx context.Context, db *DB) error {
	var has bool
	if err := db.pool.QueryRow(ctx, `SELECT to_regclass('db_roles') IS NOT NULL`).Scan(&has); err != nil || !has {
		return dbError("forget the recorded grants", err)
	}
	_, err := db.pool.Exec(ctx, `UPDATE db_roles SET granted_schema = ''`)
	return dbError("forget the recorded grants", err)
}
