package portalapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/portalapi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// env is a database, the API on it served by httptest, and one client.
type env struct {
	t       *testing.T
	db      *storage.DB
	clients *storage.APIClientService
	portal  *storage.PortalService
	api     *portalapi.API
	srv     *httptest.Server
	token   string
	client  *domain.APIClient
	keySeq  atomic.Int64
	seen    *contractLog
}

// cliCtx acts as the command line, which administers clients.
func cliCtx(t testing.TB) context.Context {
	return domain.WithActor(t.Context(), domain.Actor{Name: "cli:test"})
}

func newEnv(t *testing.T, cfg ...func(*portalapi.Config)) *env {
	t.Helper()
	db := pgtest.NewDB(t)
	e := &env{t: t, db: db, clients: storage.NewAPIClientService(db), portal: storage.NewPortalService(db), seen: sharedLog}
	var err error
	e.client, e.token, err = e.clients.AddAPIClient(cliCtx(t), "portal")
	if err != nil {
		t.Fatal(err)
	}
	c := portalapi.Config{Clients: e.clients, Portal: e.portal}
	for _, f := range cfg {
		f(&c)
	}
	e.api = portalapi.New(c)
	e.srv = httptest.NewServer(e.api)
	t.Cleanup(e.srv.Close)
	return e
}

// resp is a response with its decoded JSON body.
type resp struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// str returns a field of the body as a string.
func (r resp) str(name string) string {
	s, _ := r.body[name].(string)
	return s
}

// id returns the body's "id".
func (r resp) id() int64 {
	f, _ := r.body["id"].(float64)
	return int64(f)
}

// problems returns the body's problems as "field:code".
func (r resp) problems() []string {
	var out []string
	list, _ := r.body["problems"].([]any)
	for _, p := range list {
		m := p.(map[string]any)
		out = append(out, m["field"].(string)+":"+m["code"].(string))
	}
	return out
}

// call sends a request; hdr holds extra headers ("" values delete the
// default ones: Authorization, Idempotency-Key). A POST gets a fresh key
// unless hdr names one.
func (e *env) call(method, path string, body any, hdr ...string) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "k-"+strconv.FormatInt(e.keySeq.Add(1), 10))
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := resp{status: res.StatusCode, header: res.Header, raw: raw}
	if err := json.Unmarshal(raw, &r.body); err != nil && len(raw) > 0 {
		e.t.Fatalf("%s %s: body is not a JSON object: %v\n%s", method, path, err, raw)
	}
	e.seen.record(e.t, method, e.pattern(method, path), r)
	return r
}

// pattern finds the route a path matched, for the contract check.
func (e *env) pattern(method, path string) string {
	path, _, _ = strings.Cut(path, "?")
	for _, rt := range e.api.Routes() {
		if rt.Method != method {
			continue
		}
		ps, qs := strings.Split(rt.Pattern, "/"), strings.Split(path, "/")
		if len(ps) != len(qs) {
			continue
		}
		ok := true
		for i := range ps {
			if !strings.HasPrefix(ps[i], "{") && ps[i] != qs[i] {
				ok = false
			}
		}
		if ok {
			return rt.Pattern
		}
	}
	return ""
}

// want fails unless r has the status (and, when given, the error code).
func (r resp) want(t *testing.T, status int, code ...string) resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	if len(code) > 0 && r.str("code") != code[0] {
		t.Fatalf("code %q, want %q: %s", r.str("code"), code[0], r.raw)
	}
	return r
}

// count runs a count query.
func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.Pool().QueryRow(e.t.Context(), sql, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

var seq atomic.Int64

// personalCode returns a valid old-form personal code, distinct per call.
func personalCode() string {
	n := seq.Add(1) % 28000
	day := 1 + int(n/1000)%28
	d := fmt.Sprintf("%02d01801%03d", day, n%1000)
	weights := []int{1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += w * int(d[i]-'0')
	}
	return d[:6] + "-" + d[6:] + strconv.Itoa((1101-sum)%11%10)
}

// companyNumber returns a valid company registration number.
func companyNumber() string {
	weights := []int{9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1}
	for base := 40000000000 + seq.Add(1)*100; ; base++ {
		s := strconv.FormatInt(base, 10)
		sum := 0
		for i, w := range weights {
			sum += w * int(s[i]-'0')
		}
		if sum%11 == 3 {
			return s
		}
	}
}

// email returns a distinct address.
func email() string { return "pieteicejs" + strconv.FormatInt(seq.Add(1), 10) + "@example.lv" }

const password = "Vējš-Pūš7!"

// institution inserts an active institution and returns its id.
func (e *env) institution() int64 {
	e.t.Helper()
	var id int64
	n := seq.Add(1)
	err := e.db.Pool().QueryRow(e.t.Context(), `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
		VALUES ($1, $2, $3, 'info@tehnikums.example.lv', 'active', now()) RETURNING id`,
		"Tehnikums "+strconv.FormatInt(n, 10), companyNumber(), strconv.FormatInt(3100000000+n, 10)).Scan(&id)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// vissUser inserts a Latvija.gov.lv Platform user and returns its id and
// personal code.
func (e *env) vissUser() (int64, string) {
	e.t.Helper()
	code := personalCode()
	var id int64
	err := e.db.Pool().QueryRow(e.t.Context(), `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
		VALUES ('viss', $1, $2, 'Jānis', 'Ozoliņš', true) RETURNING id`, code, email()).Scan(&id)
	if err != nil {
		e.t.Fatal(err)
	}
	return id, code
}

// operator creates an operator with roles and returns a context acting
// as them.
func (e *env) operator(name string, roles ...domain.Role) context.Context {
	e.t.Helper()
	op := &domain.Operator{Name: name, FullName: name, Email: name + "@viaa.gov.lv", Roles: roles}
	if err := storage.NewOperatorService(e.db).CreateOperator(cliCtx(e.t), op, ""); err != nil {
		e.t.Fatal(err)
	}
	return domain.WithActor(e.t.Context(), domain.Actor{OperatorID: op.ID, Name: op.Name, SessionID: "s-" + name})
}

// publishTerms publishes a version of the terms through the editors' four
// eyes and returns it.
func (e *env) publishTerms(number string) *domain.TermsVersion {
	e.t.Helper()
	terms := storage.NewTermsService(e.db)
	ilze := e.operator("ilze."+number, domain.RoleEditor)
	maris := e.operator("maris."+number, domain.RoleEditor)
	v, err := terms.StartTermsDraft(ilze, number, "")
	if err != nil {
		e.t.Fatal(err)
	}
	v.Text, v.Summary = "Redakcija "+number+".\n1. Lietotājs ievēro noteikumus.\n2. Lietotājs rūpējas par savu ziņu pareizību.\n", "Redakcija "+number+"."
	if err := terms.SaveTermsDraft(ilze, v); err != nil {
		e.t.Fatal(err)
	}
	if err := terms.SubmitTermsDraft(ilze, v.ID, v.Version); err != nil {
		e.t.Fatal(err)
	}
	if err := terms.ApproveAndPublish(maris, v.ID); err != nil {
		e.t.Fatal(err)
	}
	got, err := terms.FindTermsVersion(e.t.Context(), v.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return got
}

// roleRequest returns a valid JSON role request of kind.
func roleRequest(kind domain.RoleRequestKind, institution int64) map[string]any {
	switch kind {
	case domain.KindInstitution:
		n := seq.Add(1)
		return map[string]any{"kind": kind, "institution_name": "Rīgas " + strconv.FormatInt(n, 10) + ". tehnikums",
			"company_reg_number": companyNumber(), "education_reg_number": strconv.FormatInt(3200000000+n, 10),
			"email": email(), "password": password, "first_name": "Ilze", "last_name": "Kļaviņa",
			"documents": []map[string]any{{"name": "reģistrācijas apliecība.pdf", "media_type": "application/pdf",
				"content": []byte("%PDF-1.7 apliecība")}}}
	case domain.KindInstitutionStaff:
		return map[string]any{"kind": kind, "first_name": "Līga", "last_name": "Ozoliņa", "email": email(),
			"password": password, "institution_id": institution, "position": "metodiķe"}
	case domain.KindMunicipalCoordinator:
		return map[string]any{"kind": kind, "first_name": "Jānis", "last_name": "Bērziņš", "personal_code": personalCode(),
			"email": email(), "municipality_code": "liepaja", "phone": "+371 2612 3456"}
	case domain.KindCareerConsultant:
		return map[string]any{"kind": kind, "first_name": "Ērika", "last_name": "Šmite", "personal_code": personalCode(),
			"email": email(), "institution_id": institution}
	default:
		return map[string]any{"kind": kind, "first_name": "Ģirts", "last_name": "Ūdris", "personal_code": personalCode(),
			"email": email(), "municipality_code": "cesu_novads"}
	}
}

// eventually polls cond for up to 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not within 5 s", what)
}
