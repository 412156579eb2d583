package storage_test

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// The services on PostgreSQL run the same behaviour suites as the test
// doubles the screens use (tui/internal/fakes/contract_test.go), each test
// on a database of its own. The harness seeds rows as the Platform, the
// mail and the automatic IMK check leave them, straight in SQL; everything
// after that goes through the service.

// pgHarness is what every storage harness shares: a fresh database, a
// settable clock on it, and operators made through the operator service.
type pgHarness struct {
	db *storage.DB
	mu sync.Mutex
	t  time.Time
}

func newPGHarness(t *testing.T) *pgHarness {
	h := &pgHarness{db: pgtest.NewDB(t), t: time.Now().UTC().Truncate(time.Microsecond)}
	h.db.Now = h.Now
	return h
}

func (h *pgHarness) Now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.t
}

func (h *pgHarness) Advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.t = h.t.Add(d)
}

func (h *pgHarness) Operator(t *testing.T, login, fullName, email string, roles ...domain.Role) *domain.Operator {
	t.Helper()
	op := &domain.Operator{Name: login, FullName: fullName, Email: email, Roles: roles}
	if err := storage.NewOperatorService(h.db).CreateOperator(adminCtx(t), op, ""); err != nil {
		t.Fatalf("create operator %s: %v", login, err)
	}
	return op
}

func (h *pgHarness) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := h.db.Pool().QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func (h *pgHarness) Views(t *testing.T, op *domain.Operator) int {
	return h.count(t, `SELECT count(*) FROM person_views WHERE operator_id = $1`, op.ID)
}

func (h *pgHarness) Reveals(t *testing.T, op *domain.Operator) int {
	return h.count(t, `SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = '`+domain.AuditPersonalDataReveal+`'`, op.ID)
}

// institutionSeq numbers the institutions seeded.
var institutionSeq atomic.Int64

// institution inserts an active institution and returns its id.
func (h *pgHarness) institution(t *testing.T) int64 {
	t.Helper()
	n := institutionSeq.Add(1)
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
		VALUES ($1, $2, $3, $4, 'active', $5) RETURNING id`,
		"Seeded institution "+strconv.FormatInt(n, 10), "5"+leftPad(strconv.FormatInt(n, 10), 10),
		"2"+leftPad(strconv.FormatInt(n, 10), 9), "iestade"+strconv.FormatInt(n, 10)+"@example.lv", h.Now()).Scan(&id)
	if err != nil {
		t.Fatalf("seed institution: %v", err)
	}
	return id
}

type pgRoleRequests struct {
	*pgHarness
	svc *storage.RoleRequestService
}

func (h *pgRoleRequests) Service() domain.RoleRequestService { return h.svc }

func (h *pgRoleRequests) SeedRoleRequest(t *testing.T, s contracttest.RoleRequestSeed) int64 {
	t.Helper()
	at := h.Now().Add(-s.Age)
	var confirmed *time.Time
	if s.State != domain.StateUnconfirmed && s.State != domain.StateExpired {
		confirmed = &at
	}
	route := domain.RouteAgency
	var institution *int64
	var municipality *string
	switch s.Kind {
	case domain.KindMunicipalCoordinator, domain.KindAdultEducationCoordinator:
		m := "liepaja"
		municipality = &m
	case domain.KindInstitutionStaff, domain.KindCareerConsultant:
		id := h.institution(t)
		institution = &id
	}
	if s.State == domain.StateAtInstitution {
		route = domain.RouteInstitution
	}
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO role_requests (kind, state, route, first_name, last_name, personal_code, email,
		                           institution_name, company_reg_number, education_reg_number,
		                           institution_id, municipality_code, email_sent_at, email_confirmed_at,
		                           created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13, $13)
		RETURNING id`,
		string(s.Kind), string(s.State), string(route), s.FirstName, s.LastName, s.PersonalCode, s.Email,
		s.InstitutionName, s.CompanyRegNumber, s.EducationRegNumber, institution, municipality, at, confirmed).Scan(&id)
	if err != nil {
		t.Fatalf("seed role request: %v", err)
	}
	h.termsInForce(t, s.TermsNotAccepted)
	return id
}

// termsInForce puts version number in force (when given and not yet),
// accepted by nobody, as two of the harness's operators drafted and
// approved it (¶26.2 seeds).
func (h *pgHarness) termsInForce(t *testing.T, number string) {
	t.Helper()
	if number == "" {
		return
	}
	_, err := h.db.Pool().Exec(t.Context(), `
		INSERT INTO terms_versions (number, title, text, summary, state, drafted_by, approved_by, published_at)
		SELECT $1, 'Lietošanas noteikumi', '1. Punkts.', 'Pirmā redakcija.', 'published', min(id), max(id), now()
		  FROM operators HAVING min(id) <> max(id)
		ON CONFLICT (number) DO NOTHING`, number)
	if err != nil {
		t.Fatalf("put terms %s in force: %v", number, err)
	}
}

func TestContract_RoleRequestService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunRoleRequestService(t, func(t *testing.T) contracttest.RoleRequestHarness {
		h := newPGHarness(t)
		return &pgRoleRequests{pgHarness: h, svc: storage.NewRoleRequestService(h.db)}
	})
}

type pgIMK struct {
	*pgHarness
	svc *storage.IMKService
}

func (h *pgIMK) Service() domain.IMKService { return h.svc }

func (h *pgIMK) SeedIMK(t *testing.T, s contracttest.IMKSeed) int64 {
	t.Helper()
	at := h.Now().Add(-s.Age)
	var lease *time.Time
	if s.State == domain.IMKChecking {
		l := h.Now().Add(time.Minute)
		lease = &l
	}
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO imk_applications (personal_code, first_name, last_name, email, state, applied_at, updated_at, check_lease_until)
		VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`,
		s.PersonalCode, s.FirstName, s.LastName, s.Email, string(s.State), at, lease).Scan(&id)
	if err != nil {
		t.Fatalf("seed IMK application: %v", err)
	}
	h.termsInForce(t, s.TermsNotAccepted)
	return id
}

func TestContract_IMKService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunIMKService(t, func(t *testing.T) contracttest.IMKHarness {
		h := newPGHarness(t)
		return &pgIMK{pgHarness: h, svc: storage.NewIMKService(h.db, storage.NewMirrorRegisters(h.db, storage.Outage{}, nil))}
	})
}

type pgHelpdesk struct {
	*pgHarness
	svc *storage.HelpdeskService
}

func (h *pgHelpdesk) Service() domain.HelpdeskService { return h.svc }

func (h *pgHelpdesk) SeedTicket(t *testing.T, s contracttest.TicketSeed) int64 {
	t.Helper()
	at := h.Now().Add(-s.Age)
	var kind *string
	var account *int64
	if s.AccountCode != "" {
		var id int64
		err := h.db.Pool().QueryRow(t.Context(), `
			INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
			VALUES ('viss', $1, $2, 'Platformas', 'Lietotājs', true) RETURNING id`, s.AccountCode, s.From).Scan(&id)
		if err != nil {
			t.Fatalf("seed account: %v", err)
		}
		k := "platform_user"
		kind, account = &k, &id
	}
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO tickets (subject, from_addr, category, suggested, state, account_kind, account_id, created_at, updated_at)
		VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $7) RETURNING id`,
		s.Subject, s.From, string(s.Category), string(s.State), kind, account, at).Scan(&id)
	if err != nil {
		t.Fatalf("seed ticket: %v", err)
	}
	return id
}

func TestContract_HelpdeskService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunHelpdeskService(t, func(t *testing.T) contracttest.HelpdeskHarness {
		h := newPGHarness(t)
		return &pgHelpdesk{pgHarness: h, svc: storage.NewHelpdeskService(h.db)}
	})
}

// subjectSeq numbers the Platform users seeded as subjects.
var subjectSeq atomic.Int64

// platformUser inserts a Latvija.gov.lv user with a personal code of its
// own and returns the id.
func (h *pgHarness) platformUser(t *testing.T) int64 {
	t.Helper()
	n := int(subjectSeq.Add(1))
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
		VALUES ('viss', $1, $2, 'Pēteris', 'Zariņš', true) RETURNING id`,
		contracttest.PersonalCode(20000+n), "lietotajs"+strconv.Itoa(n)+"@example.lv").Scan(&id)
	if err != nil {
		t.Fatalf("seed platform user: %v", err)
	}
	return id
}

type pgDenials struct {
	*pgHarness
	svc *storage.DenialService
}

func (h *pgDenials) Service() domain.DenialService { return h.svc }

func (h *pgDenials) Subject(t *testing.T, kind domain.SubjectKind) int64 {
	t.Helper()
	if kind == domain.SubjectInstitution {
		return h.institution(t)
	}
	return h.platformUser(t)
}

func (h *pgDenials) SeedSweepRun(t *testing.T, sweep string, startedAt time.Time, checked, changed int64) {
	t.Helper()
	_, err := h.db.Pool().Exec(t.Context(), `
		INSERT INTO sweep_runs (sweep, instance, started_at, finished_at, checked, changed)
		VALUES ($1, 'contract', $2, $2, $3, $4)`, sweep, startedAt, checked, changed)
	if err != nil {
		t.Fatalf("seed sweep run: %v", err)
	}
}

func TestContract_DenialService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunDenialService(t, func(t *testing.T) contracttest.DenialHarness {
		h := newPGHarness(t)
		return &pgDenials{pgHarness: h, svc: storage.NewDenialService(h.db)}
	})
}

type pgTerms struct {
	*pgHarness
	svc *storage.TermsService
}

func (h *pgTerms) Service() domain.TermsService { return h.svc }

func (h *pgTerms) Announcements() domain.AnnouncementService {
	return storage.NewAnnouncementService(h.db)
}

func TestContract_TermsService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunTermsService(t, func(t *testing.T) contracttest.TermsHarness {
		h := newPGHarness(t)
		return &pgTerms{pgHarness: h, svc: storage.NewTermsService(h.db)}
	})
}

type pgAnnouncements struct {
	*pgHarness
	svc *storage.AnnouncementService
}

func (h *pgAnnouncements) Service() domain.AnnouncementService { return h.svc }

func TestContract_AnnouncementService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunAnnouncementService(t, func(t *testing.T) contracttest.AnnouncementHarness {
		h := newPGHarness(t)
		return &pgAnnouncements{pgHarness: h, svc: storage.NewAnnouncementService(h.db)}
	})
}

type pgPolicy struct {
	*pgHarness
	svc *storage.PolicyService
}

func (h *pgPolicy) Service() domain.PolicyService { return h.svc }

func TestContract_PolicyService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunPolicyService(t, func(t *testing.T) contracttest.PolicyHarness {
		h := newPGHarness(t)
		return &pgPolicy{pgHarness: h, svc: storage.NewPolicyService(h.db)}
	})
}

type pgDefence struct {
	*pgHarness
	svc *storage.DefenceService
}

func (h *pgDefence) Service() domain.DefenceService { return h.svc }

func (h *pgDefence) Account(t *testing.T, email string) int64 {
	t.Helper()
	n := int(subjectSeq.Add(1))
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, personal_code, email, email_confirmed)
		VALUES ('viss', $1, $2, true) RETURNING id`, contracttest.PersonalCode(20000+n), email).Scan(&id)
	if err != nil {
		t.Fatalf("seed account: %v", err)
	}
	return id
}

func (h *pgDefence) SetAccountEmail(t *testing.T, id int64, email string) {
	t.Helper()
	if _, err := h.db.Pool().Exec(t.Context(), `UPDATE platform_users SET email = $2 WHERE id = $1`, id, email); err != nil {
		t.Fatalf("change the account's address: %v", err)
	}
}

func (h *pgDefence) SeedPendingReset(t *testing.T, requester *domain.Operator, requestedAt time.Time) int64 {
	t.Helper()
	n := strconv.FormatInt(subjectSeq.Add(1), 10)
	target := h.Operator(t, "atiestata"+n, "Atiestatāmais "+n, "atiestata"+n+"@viaa.gov.lv", domain.RoleReviewer)
	var ticket, id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO tickets (subject, from_addr, category, suggested, state, account_kind, account_id, created_at, updated_at)
		VALUES ('Aizmirsu paroli', $1, 'password_reset', 'password_reset', 'in_progress', 'operator', $2, $3, $3)
		RETURNING id`, target.Email, target.ID, requestedAt).Scan(&ticket)
	if err != nil {
		t.Fatalf("seed ticket: %v", err)
	}
	err = h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO pending_resets (ticket_id, account_kind, account_id, requested_by, requested_at)
		VALUES ($1, 'operator', $2, $3, $4) RETURNING id`, ticket, target.ID, requester.ID, requestedAt).Scan(&id)
	if err != nil {
		t.Fatalf("seed pending reset: %v", err)
	}
	return id
}

func (h *pgDefence) ResetAccount(t *testing.T, email string, a domain.ResetAccount, privileged bool) int64 {
	t.Helper()
	n := subjectSeq.Add(1)
	var id int64
	if a.Kind == "viss" {
		err := h.db.Pool().QueryRow(t.Context(), `
			INSERT INTO platform_users (kind, personal_code, email, email_confirmed)
			VALUES ('viss', $1, $2, $3) RETURNING id`, contracttest.PersonalCode(20000+int(n)), email, a.EmailConfirmed).Scan(&id)
		if err != nil {
			t.Fatalf("seed account: %v", err)
		}
		return id
	}
	var inst int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
		VALUES ($1, $2, $3, 'skola@example.lv', 'active', now()) RETURNING id`,
		"Skola "+strconv.FormatInt(n, 10), companyNumberFor(n+9000), leftPad(strconv.FormatInt(3200000000+n, 10), 10)).Scan(&inst)
	if err != nil {
		t.Fatalf("seed institution: %v", err)
	}
	if err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, email, password_hash, institution_id, email_confirmed)
		VALUES ('password', $1, '$argon2id$x', $2, $3) RETURNING id`, email, inst, a.EmailConfirmed).Scan(&id); err != nil {
		t.Fatalf("seed account: %v", err)
	}
	if privileged {
		if _, err := h.db.Pool().Exec(t.Context(), `
			INSERT INTO role_assignments (user_id, role, institution_id, valid_from, valid_until)
			VALUES ($1, 'institution_admin', $2, '2000-01-01', '2200-01-01')`, id, inst); err != nil {
			t.Fatalf("seed institution admin: %v", err)
		}
	}
	return id
}

func (h *pgDefence) SeedAlert(t *testing.T, op *domain.Operator, kind domain.AlertKind, raisedAt time.Time) int64 {
	t.Helper()
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO alerts (kind, operator_id, count, threshold, window_start, window_end, raised_at)
		VALUES ($1, $2, 31, 30, $3, $4, $4) RETURNING id`, string(kind), op.ID, raisedAt.Add(-time.Hour), raisedAt).Scan(&id)
	if err != nil {
		t.Fatalf("seed alert: %v", err)
	}
	return id
}

func (h *pgDefence) SeedSignIn(t *testing.T, op *domain.Operator, at time.Time, success bool) {
	t.Helper()
	_, err := h.db.Pool().Exec(t.Context(), `
		INSERT INTO sign_in_attempts (at, operator_name, remote_addr, method, success)
		VALUES ($1, $2, '192.0.2.7', 'password', $3)`, at, op.Name, success)
	if err != nil {
		t.Fatalf("seed sign-in: %v", err)
	}
}

func TestContract_DefenceService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunDefenceService(t, func(t *testing.T) contracttest.DefenceHarness {
		h := newPGHarness(t)
		return &pgDefence{pgHarness: h, svc: storage.NewDefenceService(h.db)}
	})
}

type pgOperators struct {
	*pgHarness
	svc *storage.OperatorService
}

func (h *pgOperators) Service() domain.OperatorService { return h.svc }

func (h *pgOperators) Lock(t *testing.T, name string, until time.Time) {
	t.Helper()
	if _, err := h.db.Pool().Exec(t.Context(), `UPDATE operators SET locked_until = $2 WHERE name = $1`, name, until); err != nil {
		t.Fatalf("lock %s: %v", name, err)
	}
}

func TestContract_OperatorService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunOperatorService(t, func(t *testing.T) contracttest.OperatorHarness {
		h := newPGHarness(t)
		return &pgOperators{pgHarness: h, svc: storage.NewOperatorService(h.db)}
	})
}

type pgAudit struct {
	*pgHarness
	svc *storage.AuditService
}

func (h *pgAudit) Service() domain.AuditService { return h.svc }

func TestContract_AuditService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunAuditService(t, func(t *testing.T) contracttest.AuditHarness {
		h := newPGHarness(t)
		return &pgAudit{pgHarness: h, svc: storage.NewAuditService(h.db)}
	})
}

type pgAuth struct {
	*pgHarness
	svc *storage.AuthService
}

func (h *pgAuth) Service() domain.AuthService { return h.svc }

func (h *pgAuth) Operators() domain.OperatorService { return storage.NewOperatorService(h.db) }

func (h *pgAuth) SetPassword(t *testing.T, op *domain.Operator, password string) {
	t.Helper()
	if err := storage.NewOperatorService(h.db).SetOperatorPassword(adminCtx(t), op.Name, password); err != nil {
		t.Fatalf("set %s's password: %v", op.Name, err)
	}
}

func (h *pgAuth) Attempts(t *testing.T, name string) int {
	return h.count(t, `SELECT count(*) FROM sign_in_attempts WHERE operator_name = $1`, name)
}

func (h *pgAuth) Entries(t *testing.T, op *domain.Operator) []string {
	t.Helper()
	rows, err := h.db.Pool().Query(t.Context(), `
		SELECT CASE action
		         WHEN $2 THEN 'sign_in ' || replace(details, 'method=', '')
		         WHEN $3 THEN 'sign_out ' || reason
		         ELSE 'no_session ' || replace(replace(details, 'method=', ''), ';', '')
		       END
		  FROM audit_log WHERE actor_id = $1 AND action IN ($2, $3, $4) ORDER BY seq`,
		op.ID, domain.AuditSignIn, domain.AuditSignOut, domain.AuditNoSession)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestContract_AuthService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunAuthService(t, func(t *testing.T) contracttest.AuthHarness {
		h := newPGHarness(t)
		return &pgAuth{pgHarness: h, svc: storage.NewAuthService(h.db)}
	})
}

type pgFeed struct {
	db   *storage.DB
	feed *storage.ChangeFeed
}

func (h *pgFeed) Service() domain.ChangeFeed { return h.feed }

func (h *pgFeed) Publish(t *testing.T, topic, id string) {
	t.Helper()
	tx, err := h.db.Pool().Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(t.Context()) //nolint:errcheck // a no-op after Commit
	if err := storage.Notify(t.Context(), tx, topic, id); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func (h *pgFeed) Interrupt(t *testing.T) {
	t.Helper()
	var killed int
	err := h.db.Pool().QueryRow(t.Context(), `
		SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		 WHERE application_name = 'ppp-feed' AND datname = current_database()`).Scan(&killed)
	if err != nil || killed != 1 {
		t.Fatalf("terminated %d feed connections (%v), want 1", killed, err)
	}
}

func TestContract_ChangeFeed_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunChangeFeed(t, func(t *testing.T) contracttest.FeedHarness {
		h := &pgFeed{db: pgtest.NewDB(t), feed: startFeed(t)}
		for deadline := time.Now().Add(5 * time.Second); !h.feed.Connected(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the feed did not connect within 5 seconds")
			}
		}
		return h
	})
}

// pgDashboard seeds through the queues' own harnesses, on one database.
type pgDashboard struct {
	*pgHarness
	*pgRoleRequests
	*pgIMK
	*pgHelpdesk
	svc    *storage.DashboardService
	seeded int
}

func (h *pgDashboard) Service() domain.DashboardService { return h.svc }

func (h *pgDashboard) SeedReverification(t *testing.T, state domain.ReverifyState, age time.Duration) int64 {
	t.Helper()
	at := h.Now().Add(-age)
	h.seeded++
	reg := fmt.Sprintf("%011d", 40000000000+h.seeded)
	var diffs []string
	var decided *time.Time
	reason := ""
	if state != domain.ReverifyPassed {
		diffs = []string{string(domain.DiffNameChanged)}
	}
	if state != domain.ReverifyPassed && state != domain.ReverifyOpen {
		decided, reason = &at, "Izlemts"
	}
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		WITH i AS (
		    INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
		    VALUES ('Iestāde ' || $1, $1, substr($1, 2), 'iestade' || $1 || '@example.lv', 'active', $2) RETURNING id, name)
		INSERT INTO reverifications (institution_id, state, created_at, institution_name, differences, decided_by, decided_at, reason, updated_at)
		SELECT i.id, $3, $2, i.name, coalesce($4::text[], '{}'),
		       CASE WHEN $5::timestamptz IS NOT NULL THEN (SELECT min(id) FROM operators) END, $5, $6, $2
		  FROM i RETURNING id`, reg, at, string(state), diffs, decided, reason).Scan(&id)
	if err != nil {
		t.Fatalf("seed re-verification: %v", err)
	}
	return id
}

func TestContract_DashboardService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunDashboardService(t, func(t *testing.T) contracttest.DashboardHarness {
		h := newPGHarness(t)
		return &pgDashboard{pgHarness: h, svc: storage.NewDashboardService(h.db),
			pgRoleRequests: &pgRoleRequests{pgHarness: h}, pgIMK: &pgIMK{pgHarness: h}, pgHelpdesk: &pgHelpdesk{pgHarness: h}}
	})
}

type pgSanctions struct {
	*pgHarness
	svc *storage.SanctionService
}

func (h *pgSanctions) Service() domain.SanctionService { return h.svc }

func (h *pgSanctions) Institution(t *testing.T, name, regNumber string) int64 {
	t.Helper()
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
		VALUES ($1, $2, $3, $4, 'active', $5) RETURNING id`,
		name, regNumber, regNumber[1:], "iestade"+regNumber+"@example.lv", h.Now()).Scan(&id)
	if err != nil {
		t.Fatalf("seed institution: %v", err)
	}
	return id
}

func TestContract_SanctionService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunSanctionService(t, func(t *testing.T) contracttest.SanctionHarness {
		h := newPGHarness(t)
		return &pgSanctions{pgHarness: h, svc: storage.NewSanctionService(h.db)}
	})
}

type pgMisuse struct {
	*pgHarness
	svc *storage.MisuseService
}

func (h *pgMisuse) Service() domain.MisuseService { return h.svc }

func (h *pgMisuse) SeedSignal(t *testing.T, s *domain.MisuseSignal) int64 {
	t.Helper()
	var id int64
	if err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO misuse_signals (kind, key, subject, count, threshold, window_start, window_end, evidence, raised_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		string(s.Kind), s.Key, s.Subject, s.Count, s.Threshold, s.WindowStart, s.WindowEnd, s.Evidence, s.RaisedAt).Scan(&id); err != nil {
		t.Fatalf("seed misuse signal: %v", err)
	}
	return id
}

func TestContract_MisuseService_Storage(t *testing.T) {
	t.Parallel()
	contracttest.RunMisuseService(t, func(t *testing.T) contracttest.MisuseHarness {
		h := newPGHarness(t)
		return &pgMisuse{pgHarness: h, svc: storage.NewMisuseService(h.db)}
	})
}
