package i18n

// Messages of the database roles (issue 15): the owner, application and
// reporting roles, the migrations that need the owner, and `ppp serve`
// refusing a privileged connection.
func init() {
	register(map[string][2]string{
		"db.bad_role_name": {
			"„%s” nav lietojams datubāzes lomas nosaukums (mazie burti, cipari un pasvītras, līdz 63 zīmēm; lomām jābūt dažādām).",
			"“%s” is not a usable database role name (lower-case letters, digits and underscores, at most 63; the roles must differ).",
		},
		"db.role_missing": {
			"Datubāzes lomas %s nav. Vispirms izveidojiet lomas (README: Database roles).",
			"The database role %s does not exist. Create the roles first (README: Database roles).",
		},
		"db.cannot_migrate": {
			"Datubāzes shēma jāmigrē, bet lomai %s to darīt nav atļauts: palaidiet ppp migrate ar PPP_DATABASE_OWNER_URL, kas norāda īpašnieka lomu %s.",
			"The database schema needs migrating, and role %s may not do it: run ppp migrate with PPP_DATABASE_OWNER_URL set to the URL of the owner role %s.",
		},
		"db.public_create": {
			"Loma %s var veidot objektus shēmā public; servera administratoram jāizpilda: REVOKE CREATE ON SCHEMA public FROM PUBLIC",
			"Role %s may create objects in schema public; as the server's administrator run: REVOKE CREATE ON SCHEMA public FROM PUBLIC",
		},
		"db.serve_superuser": {
			"ppp serve nedarbosies kā %s — tas ir superlietotājs. Iestatiet PPP_DATABASE_URL uz lietotnes lomu %s (ppp db url --role app).",
			"ppp serve refuses to run as %s, a superuser. Set PPP_DATABASE_URL to the application role %s (ppp db url --role app).",
		},
		"db.serve_owner": {
			"ppp serve nedarbosies kā %s — tas ir datubāzes objektu īpašnieks. Iestatiet PPP_DATABASE_URL uz lietotnes lomu %s (ppp db url --role app).",
			"ppp serve refuses to run as %s, the owner of the database's objects. Set PPP_DATABASE_URL to the application role %s (ppp db url --role app).",
		},
		"db.serve_not_app": {
			"ppp serve nedarbosies kā %s — tā nav lietotnes loma. Iestatiet PPP_DATABASE_URL uz lietotnes lomu %s (ppp db url --role app).",
			"ppp serve refuses to run as %s, which is not the application role. Set PPP_DATABASE_URL to the application role %s (ppp db url --role app).",
		},
		"db.serve_no_access": {
			"ppp serve nedarbosies kā %s — tā nevar nolasīt datubāzes lomas. Iestatiet PPP_DATABASE_URL uz lietotnes lomu (ppp db url --role app).",
			"ppp serve refuses to run as %s, which may not read the database's roles. Set PPP_DATABASE_URL to the application role (ppp db url --role app).",
		},
		"cli.serve.single_role": {
			"Brīdinājums: datubāzei nav lietotnes lomas — ppp serve darbojas kā %s, kam pieder viss (README: Database roles).",
			"Warning: the database has no application role; ppp serve runs as %s, which owns everything (README: Database roles).",
		},
		"cli.migrated_roles": {
			"Lomas: īpašnieks %s, lietotne %s, pārskati %s.",
			"Roles: owner %s, application %s, reporting %s.",
		},
		"cli.db.bad_role": {
			"ppp db url: loma %q nav zināma (admin, owner, app vai report)",
			"ppp db url: unknown role %q (admin, owner, app or report)",
		},
		"cli.db.no_owner_url": {
			"PPP_DATABASE_OWNER_URL nav iestatīts",
			"PPP_DATABASE_OWNER_URL is not set",
		},
		"cli.db.external_role": {
			"ar PPP_DATABASE_URL lomas %s URL izsniedz datubāzes administrators",
			"with PPP_DATABASE_URL, the URL of the %s role is the database administrator's to give",
		},
		"cli.db.owner_other_database": {
			"PPP_DATABASE_OWNER_URL norāda citu datubāzi (%s) nekā PPP_DATABASE_URL (%s)",
			"PPP_DATABASE_OWNER_URL names another database (%s) than PPP_DATABASE_URL (%s)",
		},
	})
}
