package i18n

// Messages of the portal API (issue 15): its clients and tokens, the
// idempotency of its POSTs, the checks of what the portal reports (sign-ins,
// deactivated sign-in methods, acceptances of the terms, IMK applications)
// and the documents' files. The API returns them in the language the
// caller asks for (Accept-Language: lv or en).
func init() {
	register(map[string][2]string{
		"cli.help.api": {`ppp api client add NOSAUKUMS | list | revoke NOSAUKUMS

Portāla API klienti (sistēmas, kas izsauc PPP_API_ADDR API). add izdrukā klienta pilnvaras
marķieri (bearer token) vienreiz; glabā tikai tā SHA-256. revoke to aptur uzreiz.`,
			`ppp api client add NAME | list | revoke NAME

The portal API's clients (systems that call the API on PPP_API_ADDR). add prints the client's
bearer token once; only its SHA-256 is kept. revoke stops it at once.`},
		"cli.api.token_once":         {"API klienta %s pilnvaras marķieris (redzams tikai tagad; glabājiet to drošā vietā):", "The bearer token of API client %s (shown only now; keep it somewhere safe):"},
		"cli.api.list_header":        {"NOSAUKUMS\tIZVEIDOTS\tKAS\tATSAUKTS", "NAME\tCREATED\tBY\tREVOKED"},
		"cli.api.revoked":            {"API klients %s atsaukts.", "API client %s revoked."},
		"cli.api.listening":          {"Portāla API: %s", "Portal API: %s"},
		"cli.api.tls_pair":           {"PPP_API_TLS_CERT un PPP_API_TLS_KEY jānorāda abi vai neviens", "PPP_API_TLS_CERT and PPP_API_TLS_KEY go together: set both or neither"},
		"cli.api.plain_not_loopback": {"portāla API bez TLS klausās tikai uz loopback adreses, ne %s: norādiet PPP_API_TLS_CERT un PPP_API_TLS_KEY", "the portal API serves plain HTTP only on a loopback address, not %s: set PPP_API_TLS_CERT and PPP_API_TLS_KEY"},
		"api.client_name":            {"API klienta nosaukums ir 1 līdz 63 mazie latīņu burti, cipari, '.', '-' vai '_'.", "An API client's name is 1 to 63 lower-case letters, digits, '.', '-' or '_'."},
		"api.client_exists":          {"API klients %s jau ir (nosaukumus neizmanto atkārtoti).", "An API client named %s exists already (names are never reused)."},
		"api.client_not_found":       {"API klienta %s nav.", "There is no API client named %s."},
		"api.unauthorized":           {"Pilnvaras marķieris (bearer token) trūkst, nav derīgs vai ir atsaukts.", "The bearer token is missing, not valid or revoked."},
		"api.no_route":               {"Šāda ceļa nav.", "There is no such route."},
		"api.bad_json":               {"Pieprasījuma saturs nav šim ceļam paredzētais JSON.", "The body is not the JSON this route takes."},
		"api.bad_json_detail":        {"JSON kļūda: %s", "JSON error: %s"},
		"api.field_required":         {"Šis lauks ir obligāts.", "This field is required."},
		"api.bad_path":               {"Ceļa daļa %s nav pozitīvs vesels skaitlis.", "The path's %s is not a positive integer."},
		"api.bad_content_type":       {"Pieprasījuma saturam jābūt application/json.", "The body must be application/json."},
		"api.body_too_large":         {"Pieprasījuma saturs ir lielāks par %d baitiem.", "The body is larger than %d bytes."},
		"api.rate_limited":           {"Pārāk daudz pieprasījumu; mēģiniet vēlreiz pēc Retry-After norādītā laika.", "Too many calls; retry after the time Retry-After gives."},
		"api.not_a_client":           {"To var tikai API klienta pieprasījums.", "Only an API client's call can do this."},

		"api.idempotency_key_required": {"Katram POST pieprasījumam vajag galveni Idempotency-Key.", "Every POST needs an Idempotency-Key header."},
		"api.idempotency_key_bad":      {"Idempotency-Key ir 1 līdz %d drukājamas ASCII rakstzīmes.", "An Idempotency-Key is 1 to %d printable ASCII characters."},
		"api.idempotency_key_reused":   {"Šī Idempotency-Key jau izmantota citam pieprasījumam.", "This Idempotency-Key was used with a different request."},
		"api.idempotency_in_progress":  {"Pieprasījums ar šo Idempotency-Key vēl tiek apstrādāts; mēģiniet vēlāk.", "A request with this Idempotency-Key is being processed; retry later."},

		"portal.invalid":                     {"Pieprasījums nav derīgs.", "The request is not valid."},
		"portal.user_id_required":            {"Norādiet Platformas lietotāja identifikatoru.", "Give the Platform user's id."},
		"portal.user_not_found":              {"Šāda Platformas lietotāja nav.", "There is no such Platform user."},
		"portal.sign_in_method_unknown":      {"Nezināms pieteikšanās veids.", "Unknown sign-in method."},
		"portal.sign_in_method_wrong":        {"Šis lietotājs tā nepiesakās.", "The user does not sign in that way."},
		"portal.sign_in_denied":              {"Šim lietotājam piekļuve Platformai ir liegta.", "Access to the Platform is denied to this user."},
		"portal.time_in_future":              {"Laiks ir nākotnē.", "The time lies in the future."},
		"portal.time_too_old":                {"Laiks ir pārāk sens (vairāk nekā pirms 7 dienām).", "The time is too old (more than 7 days ago)."},
		"portal.role_unknown":                {"Platformā nav lomas %q.", "There is no Platform role %q."},
		"portal.terms_version_required":      {"Norādiet lietošanas noteikumu versiju, ko persona redzēja.", "Give the version of the terms of use the person was shown."},
		"portal.accepted_at_required":        {"Norādiet, kad persona piekrita noteikumiem.", "Give the time the person accepted the terms."},
		"portal.accepted_before_publication": {"Noteikumiem nevar piekrist, pirms tie stājušies spēkā.", "The terms cannot have been accepted before they took force."},
		"portal.terms_channel_unknown":       {"Nezināms kanāls (web vai mobile_app).", "Unknown channel (web or mobile_app)."},

		"imk.application_invalid": {"IMK pieteikums nav derīgs.", "The IMK application is not valid."},
		"imk.name_invalid":        {"Vārds vai uzvārds ir pārāk garš vai satur vadības rakstzīmes.", "The name is too long or holds control characters."},

		"rolerequest.document_not_found":     {"Lomas pieprasījumam #%d nav %d. dokumenta.", "Role request #%d has no document %d."},
		"rolerequest.document_too_large":     {"%d. dokuments ir lielāks par %d MiB.", "Document %d is larger than %d MiB."},
		"rolerequest.document_hash_mismatch": {"%d. dokumenta SHA-256 neatbilst datnei.", "The SHA-256 of document %d does not match its file."},
	})
}
