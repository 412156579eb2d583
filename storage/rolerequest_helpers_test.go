package storage_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// rrEnv is a database with the role-request services and two reviewers.
type rrEnv struct {
	db     *storage.DB
	portal *storage.PortalService
	svc    *storage.RoleRequestService
	anna   *domain.Operator // anna.kalnina, "Anna Kalniņa"
	janis  *domain.Operator // janis.berzins, "Jānis Bērziņš"
	clock  *clock
}

// newRREnv returns a fresh database with two reviewers and a clock.
func newRREnv(t testing.TB) *rrEnv {
	t.Helper()
	db := pgtest.NewDB(t)
	e := &rrEnv{db: db, portal: storage.NewPortalService(db), svc: storage.NewRoleRequestService(db)}
	e.anna = rrOperator(t, db, "anna.kalnina", "Anna Kalniņa", "anna.kalnina@viaa.gov.lv")
	e.janis = rrOperator(t, db, "janis.berzins", "Jānis Bērziņš", "janis.berzins@viaa.gov.lv")
	e.clock = useClock(db)
	return e
}

// rrOperator creates a reviewer with a full name and an e-mail address.
func rrOperator(t testing.TB, db *storage.DB, name, full, email string) *domain.Operator {
	t.Helper()
	op := &domain.Operator{Name: name, FullName: full, Email: email, Roles: []domain.Role{domain.RoleReviewer}}
	if err := storage.NewOperatorService(db).CreateOperator(adminCtx(t), op, ""); err != nil {
		t.Fatalf("create operator %s: %v", name, err)
	}
	return op
}

// sessionSeq numbers the sessions of as.
var sessionSeq atomic.Int64

// as returns a context acting as op in a session of its own.
func as(t testing.TB, op *domain.Operator) context.Context {
	return asSession(t, op, "sess-"+op.Name+"-"+strconv.FormatInt(sessionSeq.Add(1), 10))
}

// asSession returns a context acting as op in the named session.
func asSession(t testing.TB, op *domain.Operator, session string) context.Context {
	return domain.WithActor(t.Context(), domain.Actor{
		OperatorID: op.ID, Name: op.Name, SessionID: session, RemoteAddr: "192.0.2.7:40000",
	})
}

// personSeq makes each person of rrForm distinct.
var personSeq atomic.Int64

// rrForm returns a valid form of kind, for a new person and address each
// time; institution is the registered institution staff and consultants
// name (0 for none).
func rrForm(kind domain.RoleRequestKind, institution int64) domain.RoleRequestForm {
	n := personSeq.Add(1)
	email := "pieteicejs" + strconv.FormatInt(n, 10) + "@example.lv"
	code := personalCodeFor(n)
	switch kind {
	case domain.KindInstitution:
		company, education := companyNumberFor(n), strconv.FormatInt(3100000000+n, 10)
		return domain.RoleRequestForm{Kind: kind, InstitutionName: "Rīgas " + strconv.FormatInt(n, 10) + ". tehnikums",
			CompanyRegNumber: company, EducationRegNumber: education, Email: email, Password: testPassword,
			FirstName: "Ilze", LastName: "Kļaviņa",
			Documents: []domain.Document{{Name: "reģistrācijas apliecība.pdf", MediaType: "application/pdf", Size: 48213, SHA256: sha256Hex(email)}}}
	case domain.KindInstitutionStaff:
		return domain.RoleRequestForm{Kind: kind, FirstName: "Līga", LastName: "Ozoliņa", Email: email,
			Password: testPassword, InstitutionID: institution, Position: "metodiķe"}
	case domain.KindMunicipalCoordinator:
		return domain.RoleRequestForm{Kind: kind, FirstName: "Jānis", LastName: "Bērziņš", PersonalCode: code,
			Email: email, MunicipalityCode: "liepaja", Phone: "+371 2612 3456"}
	case domain.KindCareerConsultant:
		return domain.RoleRequestForm{Kind: kind, FirstName: "Ērika", LastName: "Šmite", PersonalCode: code,
			Email: email, InstitutionID: institution}
	default:
		return domain.RoleRequestForm{Kind: kind, FirstName: "Ģirts", LastName: "Ūdris", PersonalCode: code,
			Email: email, MunicipalityCode: "cesu_novads"}
	}
}

// personalCodeFor returns a valid old-form personal code of someone born
// in January 1980, distinct for each n below 28,000.
func personalCodeFor(n int64) string {
	day := 1 + int(n/1000)%28
	d := leftPad(strconv.Itoa(day), 2) + "0180" + "1" + leftPad(strconv.FormatInt(n%1000, 10), 3)
	weights := []int{1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += w * int(d[i]-'0')
	}
	return d[:6] + "-" + d[6:] + strconv.Itoa((1101-sum)%11%10)
}

// companyNumberFor returns a valid company registration number for n.
func companyNumberFor(n int64) string {
	weights := []int{9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1}
	for base := 40000000000 + n*100; ; base++ {
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

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// submit submits f and returns the request's id and token.
func (e *rrEnv) submit(t testing.TB, f domain.RoleRequestForm) (int64, string) {
	t.Helper()
	id, token, err := e.portal.SubmitRoleRequest(t.Context(), f)
	if err != nil {
		t.Fatalf("submit %s: %v", f.Kind, err)
	}
	return id, token
}

// confirmed submits f and confirms its address.
func (e *rrEnv) confirmed(t testing.TB, f domain.RoleRequestForm) int64 {
	t.Helper()
	id, token := e.submit(t, f)
	if _, err := e.portal.ConfirmEmail(t.Context(), token); err != nil {
		t.Fatalf("confirm %d: %v", id, err)
	}
	return id
}

// pending returns a new pending request of kind (staff and consultants
// of no institution unless given).
func (e *rrEnv) pending(t testing.TB, kind domain.RoleRequestKind) int64 {
	t.Helper()
	return e.confirmed(t, rrForm(kind, 0))
}

// find reads a request.
func (e *rrEnv) find(t testing.TB, id int64) *domain.RoleRequest {
	t.Helper()
	r, err := e.svc.FindRoleRequest(t.Context(), id)
	if err != nil {
		t.Fatalf("find %d: %v", id, err)
	}
	return r
}

// institution registers and activates an institution through the queue
// and returns its id.
func (e *rrEnv) institution(t testing.TB) int64 {
	t.Helper()
	id := e.pending(t, domain.KindInstitution)
	r := e.find(t, id)
	if err := e.svc.Approve(as(t, e.anna), domain.Decision{RequestID: id, Version: r.Version}); err != nil {
		t.Fatalf("approve institution: %v", err)
	}
	return e.find(t, id).Form.InstitutionID
}

// count returns the result of a count query.
func (e *rrEnv) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.Pool().QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// mails counts the outbox messages of template to address.
func (e *rrEnv) mails(t testing.TB, template, to string) int {
	t.Helper()
	return e.count(t, `SELECT count(*) FROM outbox WHERE template = $1 AND to_addr = $2`, template, to)
}

// audits counts the audit entries of action about request id.
func (e *rrEnv) audits(t testing.TB, action string, id int64) int {
	t.Helper()
	// Claims' entries wait in audit_pending until sealed onto the chain.
	if _, err := storage.NewAuditService(e.db).SealAudit(t.Context()); err != nil {
		t.Fatalf("seal the audit log: %v", err)
	}
	return e.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND subject_kind = 'role_request' AND subject_id = $2`,
		action, strconv.FormatInt(id, 10))
}

// events returns the actions of a request's history.
func (e *rrEnv) events(t testing.TB, id int64) []string {
	t.Helper()
	h, err := e.svc.RoleRequestHistory(t.Context(), id)
	if err != nil {
		t.Fatalf("history %d: %v", id, err)
	}
	var out []string
	for _, ev := range h {
		out = append(out, ev.Action)
	}
	return out
}

// snapshot is what a refused change must leave as it was.
type snapshot struct {
	state       domain.RoleRequestState
	version     int64
	outbox      int
	audit       int
	assignments int
	events      int
}

func (e *rrEnv) snapshot(t testing.TB, id int64) snapshot {
	t.Helper()
	r := e.find(t, id)
	return snapshot{
		state: r.State, version: r.Version,
		outbox:      e.count(t, `SELECT count(*) FROM outbox`),
		audit:       e.count(t, `SELECT count(*) FROM audit_log`),
		assignments: e.count(t, `SELECT count(*) FROM role_assignments`),
		events:      e.count(t, `SELECT count(*) FROM role_request_events WHERE request_id = $1`, id),
	}
}

// newRREnvServices returns the portal and the queue on db.
func newRREnvServices(db *storage.DB) (*storage.PortalService, *storage.RoleRequestService) {
	return storage.NewPortalService(db), storage.NewRoleRequestService(db)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
