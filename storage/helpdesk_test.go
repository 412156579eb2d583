package storage_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/pgtest"
)

// hdEnv is a database with two helpdesk operators and two security
// officers.
type hdEnv struct {
	db            *storage.DB
	svc           *storage.HelpdeskService
	anna, liga    *domain.Operator // helpdesk
	ilze, andris  *domain.Operator // security
	clock         *clock
	institutionID int64
}

func newHDEnv(t testing.TB) *hdEnv {
	t.Helper()
	db := pgtest.NewDB(t)
	e := &hdEnv{db: db, svc: storage.NewHelpdeskService(db)}
	mk := func(name, email string, roles ...domain.Role) *domain.Operator {
		op := &domain.Operator{Name: name, FullName: name, Email: email, Roles: roles}
		if err := storage.NewOperatorService(db).CreateOperator(adminCtx(t), op, ""); err != nil {
			t.Fatalf("create operator %s: %v", name, err)
		}
		return op
	}
	e.anna = mk("anna.helpdesk", "anna.helpdesk@viaa.gov.lv", domain.RoleHelpdesk)
	e.liga = mk("liga.helpdesk", "liga.helpdesk@viaa.gov.lv", domain.RoleHelpdesk)
	e.ilze = mk("ilze.drosiba", "ilze.drosiba@viaa.gov.lv", domain.RoleSecurity)
	e.andris = mk("andris.drosiba", "andris.drosiba@viaa.gov.lv", domain.RoleSecurity)
	e.clock = useClock(db)
	n := hdSeq.Add(1)
	err := db.Pool().QueryRow(t.Context(), `
		INSERT INTO institutions (name, company_reg_number, education_reg_number, email, state, activated_at)
		VALUES ($1, $2, $3, 'skola@example.lv', 'active', now()) RETURNING id`,
		"Rīgas skola "+strconv.FormatInt(n, 10), companyNumberFor(n+7000), leftPad(strconv.FormatInt(3100000000+n, 10), 10),
	).Scan(&e.institutionID)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

var hdSeq atomic.Int64

// passwordUser creates an institution user with a password.
func (e *hdEnv) passwordUser(t testing.TB, email string, confirmed bool) int64 {
	t.Helper()
	var id int64
	err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, email, password_hash, institution_id, first_name, last_name, email_confirmed)
		VALUES ('password', $1, '$argon2id$old', $2, 'Līga', 'Bērziņa', $3) RETURNING id`,
		email, e.institutionID, confirmed).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// vissUser creates a person signing in through Latvija.gov.lv.
func (e *hdEnv) vissUser(t testing.TB, email string) int64 {
	t.Helper()
	var id int64
	err := e.db.Pool().QueryRow(t.Context(), `
		INSERT INTO platform_users (kind, personal_code, email, first_name, last_name, email_confirmed)
		VALUES ('viss', $1, $2, 'Jānis', 'Ozoliņš', true) RETURNING id`,
		personalCodeFor(hdSeq.Add(1)%28000), email).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// msgSeq makes Message-IDs unique.
var msgSeq atomic.Int64

// rawMail writes a plain-text message; extra headers are "Name: value".
func rawMail(from, subject, body string, headers ...string) (raw []byte, messageID string) {
	messageID = fmt.Sprintf("m%d.%d@example.lv", msgSeq.Add(1), hdSeq.Load())
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: stars@viaa.gov.lv\r\nSubject: %s\r\nMessage-ID: <%s>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0200\r\n", from, subject, messageID)
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(strings.ReplaceAll(body, "\n", "\r\n") + "\r\n")
	return []byte(b.String()), messageID
}

func (e *hdEnv) ingest(t testing.TB, raw []byte) *domain.InboundMessage {
	t.Helper()
	m, err := e.svc.Ingest(t.Context(), raw)
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	return m
}

func (e *hdEnv) ticket(t testing.TB, id int64) *domain.Ticket {
	t.Helper()
	tk, err := e.svc.FindTicket(t.Context(), id)
	if err != nil {
		t.Fatalf("FindTicket %d: %v", id, err)
	}
	return tk
}

func (e *hdEnv) claim(t testing.TB, ctx context.Context, id int64) *domain.Ticket {
	t.Helper()
	tk, err := e.svc.ClaimTicket(ctx, id)
	if err != nil {
		t.Fatalf("ClaimTicket %d: %v", id, err)
	}
	return tk
}

func (e *hdEnv) count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.Pool().QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// outboxMail is a message in the outbox.
type outboxMail struct {
	ID                             int64
	To, Lang, Template, Subj, Body string
}

// mailsTo returns the outbox's messages to addr, oldest first.
func (e *hdEnv) mailsTo(t testing.TB, addr string) []outboxMail {
	t.Helper()
	rows, err := e.db.Pool().Query(t.Context(), `
		SELECT id, to_addr, lang, template, subject, body FROM outbox WHERE to_addr = $1 ORDER BY id`, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxMail
	for rows.Next() {
		var m outboxMail
		if err := rows.Scan(&m.ID, &m.To, &m.Lang, &m.Template, &m.Subj, &m.Body); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestHelpdesk_Ingest_StoresEachMessageIDOnce(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	raw, mid := rawMail("Pēteris <peteris@example.lv>", "Jautājums par IMK", "Kā var pieteikties?")
	first := e.ingest(t, raw)
	second := e.ingest(t, raw)
	if first.ID == 0 || second.ID != first.ID || second.TicketID != first.TicketID {
		t.Fatalf("second delivery: %+v, first %+v", second, first)
	}
	if first.MessageID != mid || first.From != "peteris@example.lv" {
		t.Errorf("stored %q from %q", first.MessageID, first.From)
	}
	if n := e.count(t, `SELECT count(*) FROM inbound_messages`); n != 1 {
		t.Errorf("%d messages stored, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM tickets`); n != 1 {
		t.Errorf("%d tickets, want 1", n)
	}
	tk := e.ticket(t, first.TicketID)
	if tk.State != domain.TicketNew || tk.Category != domain.CategoryQuestion || tk.Suggested != domain.CategoryQuestion {
		t.Errorf("ticket %+v", tk)
	}
	if len(tk.Messages) != 1 || !tk.Messages[0].Inbound || !strings.Contains(tk.Messages[0].Text, "Kā var pieteikties") {
		t.Errorf("thread %+v", tk.Messages)
	}
}

func TestHelpdesk_Ingest_UnparsableMessage_KeptRawAsTicket(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	raw := []byte("this is \x00 not\r\n a mail \xff\xfe at all")
	m := e.ingest(t, raw)
	if m.TicketID == 0 || m.MessageID == "" {
		t.Fatalf("stored %+v", m)
	}
	again := e.ingest(t, raw)
	if again.ID != m.ID {
		t.Errorf("second delivery stored again: %d vs %d", again.ID, m.ID)
	}
	var stored []byte
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT raw FROM inbound_messages WHERE id = $1`, m.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if string(stored) != string(raw) {
		t.Errorf("raw bytes changed: %q", stored)
	}
}

func TestHelpdesk_Ingest_ThreadsByInReplyToAndReferences(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	raw1, mid1 := rawMail("peteris@example.lv", "Question", "How do I sign in?")
	m1 := e.ingest(t, raw1)
	raw2, _ := rawMail("peteris@example.lv", "Re: Question", "Any news?", "In-Reply-To: <"+mid1+">")
	m2 := e.ingest(t, raw2)
	if m2.TicketID != m1.TicketID {
		t.Fatalf("reply opened ticket %d, want %d", m2.TicketID, m1.TicketID)
	}

	// A reply to our reply names the outbox message in References.
	ctx := as(t, e.anna)
	tk := e.claim(t, ctx, m1.TicketID)
	if err := e.svc.Reply(ctx, tk.ID, tk.Version, "helpdesk.reply", "", "Use the portal.", domain.TicketWaiting); err != nil {
		t.Fatal(err)
	}
	sent := e.mailsTo(t, "peteris@example.lv")
	if len(sent) != 1 || sent[0].Lang != "en" || sent[0].Template != "helpdesk.reply" {
		t.Fatalf("outbox %+v", sent)
	}
	raw3, _ := rawMail("peteris@example.lv", "Re: Re: Question", "Thanks",
		"References: <other@example.lv> <"+outboxMessageID(t, e, sent[0].ID)+">")
	m3 := e.ingest(t, raw3)
	if m3.TicketID != m1.TicketID {
		t.Fatalf("reference to our reply opened ticket %d, want %d", m3.TicketID, m1.TicketID)
	}
	if got := e.ticket(t, m1.TicketID); got.State != domain.TicketInProgress || len(got.Messages) != 4 {
		t.Errorf("state %s, %d messages; want in_progress, 4", got.State, len(got.Messages))
	}

	raw4, _ := rawMail("peteris@example.lv", "Another thing", "Something else", "In-Reply-To: <unknown@example.lv>")
	if m4 := e.ingest(t, raw4); m4.TicketID == m1.TicketID {
		t.Error("an unrelated message joined the ticket")
	}
}

func TestTicket_SuggestCategory(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]domain.TicketCategory{
		"Aizmirsu paroli, lūdzu palīdziet":                domain.CategoryPasswordReset,
		"I forgot my password":                            domain.CategoryPasswordReset,
		"Lūdzu, apturēt manu kontu":                       domain.CategorySuspension,
		"Lūdzu slēgt kontu":                               domain.CategorySuspension,
		"Please suspend my account":                       domain.CategorySuspension,
		"Saņēmu aizdomīgu e-pastu, iespējams phishing":    domain.CategoryIncident,
		"Konstatēta nesankcionēta piekļuve manai parolei": domain.CategoryIncident,
		"Drošības incidents":                              domain.CategoryIncident,
		"Jautājums par kursiem":                           domain.CategoryQuestion,
		"When does the course start?":                     domain.CategoryQuestion,
		"Paldies par palīdzību":                           domain.CategoryOther,
	} {
		if got := storage.SuggestTicketCategory(text); got != want {
			t.Errorf("%q: %s, want %s", text, got, want)
		}
	}
}

func TestHelpdesk_AccountMatchedOnlyByConfirmedAddress(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	confirmed := e.passwordUser(t, "liga.berzina@example.lv", true)
	e.passwordUser(t, "neapstiprinats@example.lv", false)

	m := e.ingest(t, must(rawMail("Līga <Liga.Berzina@Example.lv>", "Parole", "Aizmirsu paroli")))
	tk := e.ticket(t, m.TicketID)
	if tk.Account == nil || tk.Account.Kind != "platform_user" || tk.Account.ID != confirmed || !tk.Account.HasPassword {
		t.Errorf("confirmed sender matched %+v", tk.Account)
	}
	if tk.Category != domain.CategoryPasswordReset {
		t.Errorf("category %s", tk.Category)
	}
	m = e.ingest(t, must(rawMail("neapstiprinats@example.lv", "Parole", "Aizmirsu paroli")))
	if tk := e.ticket(t, m.TicketID); tk.Account != nil {
		t.Errorf("unconfirmed address matched %+v", tk.Account)
	}
	m = e.ingest(t, must(rawMail("liga.helpdesk@viaa.gov.lv", "Parole", "Aizmirsu paroli")))
	if tk := e.ticket(t, m.TicketID); tk.Account == nil || tk.Account.Kind != "operator" || tk.Account.ID != e.liga.ID {
		t.Errorf("operator address matched %+v", tk.Account)
	}
}

func must(raw []byte, _ string) []byte { return raw }

func TestHelpdesk_ClaimsCategoryAndStaleVersions(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	m := e.ingest(t, must(rawMail("peteris@example.lv", "Sveiki", "Labdien")))
	annaCtx, ligaCtx := as(t, e.anna), as(t, e.liga)
	tk := e.claim(t, annaCtx, m.TicketID)
	if tk.State != domain.TicketInProgress || tk.ClaimedBy != e.anna.ID {
		t.Fatalf("claimed %+v", tk)
	}
	_, err := e.svc.ClaimTicket(ligaCtx, m.TicketID)
	wantError(t, err, domain.ECONFLICT, "helpdesk.claimed")
	wantError(t, e.svc.SetCategory(ligaCtx, tk.ID, tk.Version, domain.CategoryQuestion), domain.ECONFLICT, "helpdesk.claimed")
	if err := e.svc.SetCategory(annaCtx, tk.ID, tk.Version, domain.CategoryQuestion); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.svc.SetCategory(annaCtx, tk.ID, tk.Version, domain.CategoryOther), domain.ECONFLICT, "helpdesk.changed")
	wantError(t, e.svc.SetCategory(annaCtx, tk.ID, tk.Version+1, "nonsense"), domain.EINVALID, "helpdesk.bad_category")
	wantError(t, e.svc.Reply(annaCtx, tk.ID, tk.Version+1, "rolerequest.approved", "", "x", domain.TicketWaiting), domain.EINVALID, "helpdesk.bad_template")
	if err := e.svc.ReleaseTicket(annaCtx, tk.ID); err != nil {
		t.Fatal(err)
	}
	if tk := e.claim(t, ligaCtx, m.TicketID); tk.ClaimedBy != e.liga.ID || tk.Category != domain.CategoryQuestion {
		t.Errorf("after release %+v", tk)
	}
	// A security officer works incident tickets only (¶25, ¶17.5): this
	// one is a question.
	_, err = e.svc.ClaimTicket(as(t, e.ilze), m.TicketID)
	wantError(t, err, domain.EFORBIDDEN, "helpdesk.incident_only")

	list, err := e.svc.ListTickets(t.Context(), domain.TicketFilter{Categories: []domain.TicketCategory{domain.CategoryQuestion}})
	if err != nil || len(list) != 1 || list[0].ID != m.TicketID {
		t.Fatalf("list %v %v", list, err)
	}
	list, err = e.svc.ListTickets(t.Context(), domain.TicketFilter{AfterAt: list[0].CreatedAt, AfterID: list[0].ID})
	if err != nil || len(list) != 0 {
		t.Fatalf("list after the last %v %v", list, err)
	}
	tiles, err := storage.NewDashboardService(e.db).QueueTiles(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tile := range tiles {
		if tile.Queue == "helpdesk" {
			found = tile.Count == 1 && tile.Role == domain.RoleHelpdesk && !tile.Oldest.IsZero()
		}
	}
	if !found {
		t.Errorf("no helpdesk tile of 1 in %+v", tiles)
	}
}

func TestHelpdesk_SuspensionRequest_PendingDenialApprovedBySecurity(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	user := e.passwordUser(t, "liga.berzina@example.lv", true)
	m := e.ingest(t, must(rawMail("liga.berzina@example.lv", "Lūdzu apturēt kontu", "Lūdzu, apturēt manu kontu uz laiku.")))
	ctx := as(t, e.anna)
	tk := e.claim(t, ctx, m.TicketID)
	if tk.Category != domain.CategorySuspension {
		t.Errorf("category %s", tk.Category)
	}
	wantError(t, e.svc.RequestSuspension(ctx, tk.ID, tk.Version, ""), domain.EINVALID, "denial.note_required")
	if err := e.svc.RequestSuspension(ctx, tk.ID, tk.Version, "Lietotāja lūgums (e-pasts)"); err != nil {
		t.Fatal(err)
	}
	denials := storage.NewDenialService(e.db)
	pending, err := denials.PendingApprovals(t.Context())
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending %v %v", pending, err)
	}
	d := pending[0]
	if d.State != domain.DenialPendingApproval || d.Ground != domain.GroundUserRequest || d.SubjectID != user ||
		d.SubjectKind != domain.SubjectPlatformUser || d.RaisedBy != e.anna.ID {
		t.Fatalf("denial %+v", d)
	}
	var denied bool
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT sign_in_denied FROM platform_users WHERE id = $1`, user).Scan(&denied); err != nil || denied {
		t.Fatalf("denied before approval: %v %v", denied, err)
	}
	wantError(t, denials.Approve(as(t, e.anna), d.ID, d.Version), domain.EFORBIDDEN, "denial.not_security")
	if err := denials.Approve(as(t, e.ilze), d.ID, d.Version); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT sign_in_denied FROM platform_users WHERE id = $1`, user).Scan(&denied); err != nil || !denied {
		t.Fatalf("not denied after approval: %v %v", denied, err)
	}

	// No account: nothing to suspend.
	m2 := e.ingest(t, must(rawMail("nezinams@example.lv", "Apturēt", "Lūdzu apturēt kontu")))
	tk2 := e.claim(t, ctx, m2.TicketID)
	wantError(t, e.svc.RequestSuspension(ctx, tk2.ID, tk2.Version, "x"), domain.EINVALID, "helpdesk.no_account")
}
