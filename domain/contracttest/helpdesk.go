package contracttest

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
)

// HelpdeskHarness is an implementation of domain.HelpdeskService with what
// the suite needs around it.
type HelpdeskHarness interface {
	Clock
	Staff
	// Service returns the implementation under test.
	Service() domain.HelpdeskService
	// SeedTicket stores a ticket as the mail left it and returns its id.
	SeedTicket(t *testing.T, s TicketSeed) int64
}

// TicketSeed is a ticket as a received mail left it.
type TicketSeed struct {
	Subject  string
	From     string // the sender's address
	Category domain.TicketCategory
	State    domain.TicketState
	// Account, when set, is the Platform account the sender's confirmed
	// address matched: a Latvija.gov.lv user with this personal code.
	AccountCode string
	Age         time.Duration // since it was received
}

type hdEnv struct {
	h           HelpdeskHarness
	svc         domain.HelpdeskService
	ilze, liga  *domain.Operator
	ilzeC, ligC context.Context
}

func (e *hdEnv) seed(t *testing.T, s TicketSeed) int64 {
	t.Helper()
	return e.h.SeedTicket(t, s.filled())
}

// filled returns s with every field it does not name filled in.
func (s TicketSeed) filled() TicketSeed {
	n := int(seedSeq.Add(1))
	if s.Subject == "" {
		s.Subject = "Nevaru pieslēgties " + strconv.Itoa(n)
	}
	if s.From == "" {
		s.From = "lietotajs" + strconv.Itoa(n) + "@example.lv"
	}
	if s.Category == "" {
		s.Category = domain.CategoryQuestion
	}
	if s.State == "" {
		s.State = domain.TicketNew
	}
	if s.Age == 0 {
		s.Age = time.Hour
	}
	return s
}

func (e *hdEnv) find(t *testing.T, id int64) *domain.Ticket {
	t.Helper()
	tk, err := e.svc.FindTicket(Machine(t), id)
	must(t, "find ticket", err)
	return tk
}

// RunHelpdeskService runs the helpdesk queue's suite, each test on a
// harness of its own from newHarness.
func RunHelpdeskService(t *testing.T, newHarness func(t *testing.T) HelpdeskHarness) {
	run := func(name string, f func(t *testing.T, e *hdEnv)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &hdEnv{h: h, svc: h.Service()}
			e.ilze = h.Operator(t, "ilze.berzina", "Ilze Bērziņa", "ilze.berzina@viaa.gov.lv", domain.RoleHelpdesk)
			e.liga = h.Operator(t, "liga.ozola", "Līga Ozola", "liga.ozola@viaa.gov.lv", domain.RoleHelpdesk)
			e.ilzeC, e.ligC = As(t, e.ilze, "s-ilze"), As(t, e.liga, "s-liga")
			f(t, e)
		})
	}

	run("Claim_NewGoesInProgress_ConflictReleaseLapse", func(t *testing.T, e *hdEnv) {
		id := e.seed(t, TicketSeed{})
		tk, err := e.svc.ClaimTicket(e.ilzeC, id)
		must(t, "claim", err)
		if tk.ClaimedBy != e.ilze.ID || tk.ClaimedByName != "Ilze Bērziņa" || tk.State != domain.TicketInProgress ||
			!near(tk.ClaimExpiresAt, e.h.Now().Add(domain.ClaimLease)) {
			t.Errorf("claimed: by %d %q, %s, until %v", tk.ClaimedBy, tk.ClaimedByName, tk.State, tk.ClaimExpiresAt)
		}
		v := tk.Version
		tk, err = e.svc.ClaimTicket(e.ilzeC, id)
		must(t, "renew", err)
		if tk.Version != v {
			t.Errorf("a renewal changed the version: %d → %d", v, tk.Version)
		}
		_, err = e.svc.ClaimTicket(e.ligC, id)
		wantErr(t, "held", err, domain.ECONFLICT, "helpdesk.claimed")
		wantArgs(t, "held", err, "Ilze Bērziņa")
		must(t, "another's release", e.svc.ReleaseTicket(e.ligC, id))
		if got := e.find(t, id); got.ClaimedBy != e.ilze.ID {
			t.Fatalf("another's release freed it: %d", got.ClaimedBy)
		}
		must(t, "release", e.svc.ReleaseTicket(e.ilzeC, id))
		_, err = e.svc.ClaimTicket(e.ligC, id)
		must(t, "claim after the release", err)
		e.h.Advance(domain.ClaimLease)
		_, err = e.svc.ClaimTicket(e.ilzeC, id)
		must(t, "claim after the lease ran out", err)

		done := e.seed(t, TicketSeed{State: domain.TicketResolved})
		_, err = e.svc.ClaimTicket(e.ilzeC, done)
		wantErr(t, "claim resolved", err, domain.EINVALID, "helpdesk.resolved")
		_, err = e.svc.ClaimTicket(e.ilzeC, 999999)
		wantErr(t, "claim missing", err, domain.ENOTFOUND, "helpdesk.not_found")
	})

	run("ReleaseSessionClaims_OnlyTheSessionsOwn", func(t *testing.T, e *hdEnv) {
		s1, s2 := As(t, e.ilze, "s1"), As(t, e.ilze, "s2")
		a, b := e.seed(t, TicketSeed{}), e.seed(t, TicketSeed{})
		_, err := e.svc.ClaimTicket(s1, a)
		must(t, "claim", err)
		_, err = e.svc.ClaimTicket(s2, b)
		must(t, "claim", err)
		wantErr(t, "another's session", e.svc.ReleaseSessionClaims(e.ligC, "s1"), domain.EFORBIDDEN, "access.other_session")
		ended, cancel := context.WithCancel(s1)
		cancel()
		must(t, "release s1", e.svc.ReleaseSessionClaims(ended, "s1"))
		if got := e.find(t, a).ClaimedBy; got != 0 {
			t.Errorf("s1's claim is held by %d", got)
		}
		if got := e.find(t, b).ClaimedBy; got != e.ilze.ID {
			t.Errorf("s2's claim was released: %d", got)
		}
		// The released ticket is free for a colleague at once.
		_, err = e.svc.ClaimTicket(e.ligC, a)
		must(t, "a colleague claims the released ticket", err)
	})

	run("Writes_VersionClaimAndState", func(t *testing.T, e *hdEnv) {
		id := e.seed(t, TicketSeed{})
		tk, err := e.svc.ClaimTicket(e.ilzeC, id)
		must(t, "claim", err)
		v := tk.Version
		wantErr(t, "bad category", e.svc.SetCategory(e.ilzeC, id, v, "gossip"), domain.EINVALID, "helpdesk.bad_category")
		wantErr(t, "stale", e.svc.SetCategory(e.ilzeC, id, v+1, domain.CategoryIncident), domain.ECONFLICT, "helpdesk.changed")
		err = e.svc.SetCategory(e.ligC, id, v, domain.CategoryIncident)
		wantErr(t, "held", err, domain.ECONFLICT, "helpdesk.claimed")
		wantArgs(t, "held", err, "Ilze Bērziņa")
		must(t, "category", e.svc.SetCategory(e.ilzeC, id, v, domain.CategoryIncident))
		tk = e.find(t, id)
		if tk.Category != domain.CategoryIncident || tk.Version <= v {
			t.Errorf("after the change: %s v%d", tk.Category, tk.Version)
		}

		v = tk.Version
		for _, tc := range []struct{ tmpl, text, key string }{
			{"helpdesk.secret", "x", "helpdesk.bad_template"},
			{domain.FreeReplyTemplate, "  ", "helpdesk.text_required"},
			{domain.FreeReplyTemplate, strings.Repeat("ā", domain.TicketReplyMaxLength+1), "helpdesk.text_too_long"},
		} {
			wantErr(t, "reply "+tc.key, e.svc.Reply(e.ilzeC, id, v, tc.tmpl, "lv", tc.text, domain.TicketWaiting), domain.EINVALID, tc.key)
		}
		must(t, "reply", e.svc.Reply(e.ilzeC, id, v, domain.FreeReplyTemplate, "lv", "Labdien! Mēģiniet vēlreiz.", domain.TicketResolved))
		tk = e.find(t, id)
		if tk.State != domain.TicketResolved || tk.Version <= v || !slices.ContainsFunc(tk.Messages, func(m *domain.TicketMessage) bool {
			return !m.Inbound && m.Template == domain.FreeReplyTemplate && m.Text == "Labdien! Mēģiniet vēlreiz."
		}) {
			t.Errorf("after the reply: %s v%d, thread %d messages", tk.State, tk.Version, len(tk.Messages))
		}
		// Resolved, it takes no more writes.
		wantErr(t, "category of a resolved ticket", e.svc.SetCategory(e.ilzeC, id, tk.Version, domain.CategoryOther),
			domain.EINVALID, "helpdesk.resolved")
	})

	run("Reset_AndSuspension", func(t *testing.T, e *hdEnv) {
		stranger := e.seed(t, TicketSeed{Category: domain.CategoryPasswordReset})
		v := e.find(t, stranger).Version
		// The sender is no account's address: the reset answers with the
		// template that says so, and the ticket waits for the sender.
		must(t, "reset", e.svc.IssuePasswordReset(e.ilzeC, stranger, v))
		if tk := e.find(t, stranger); tk.State != domain.TicketWaiting || tk.Version <= v {
			t.Errorf("after the reset: %s v%d", tk.State, tk.Version)
		}
		wantErr(t, "suspension without an account", e.svc.RequestSuspension(e.ilzeC, stranger, e.find(t, stranger).Version, "lūdz bloķēt"),
			domain.EINVALID, "helpdesk.no_account")

		user := e.seed(t, TicketSeed{Category: domain.CategorySuspension, AccountCode: PersonalCode(int(seedSeq.Add(1)))})
		tk := e.find(t, user)
		if tk.Account == nil {
			t.Fatal("the seeded account is not matched")
		}
		wantErr(t, "long note", e.svc.RequestSuspension(e.ilzeC, user, tk.Version, strings.Repeat("x", domain.SuspensionNoteMaxLength+1)),
			domain.EINVALID, "helpdesk.note_too_long")
		must(t, "suspension", e.svc.RequestSuspension(e.ilzeC, user, tk.Version, "Lietotāja lūgums (e-pasts)"))
		if got := e.find(t, user); got.State != domain.TicketInProgress || got.Version <= tk.Version {
			t.Errorf("after the suspension request: %s v%d", got.State, got.Version)
		}
	})

	run("List_FiltersPagingAndSearch", func(t *testing.T, e *hdEnv) {
		code := PersonalCode(int(seedSeq.Add(1)))
		a := e.seed(t, TicketSeed{Age: 3 * time.Hour, Subject: "Parole aizmirsta", Category: domain.CategoryPasswordReset})
		b := e.seed(t, TicketSeed{Age: 2 * time.Hour, Subject: "Mans kods " + code, State: domain.TicketInProgress})
		w := e.seed(t, TicketSeed{Age: time.Hour, State: domain.TicketWaiting})
		r := e.seed(t, TicketSeed{Age: time.Hour, State: domain.TicketResolved})
		ids := func(f domain.TicketFilter) []int64 {
			t.Helper()
			list, err := e.svc.ListTickets(e.ilzeC, f)
			must(t, "list", err)
			var out []int64
			for _, x := range list {
				out = append(out, x.ID)
			}
			return out
		}
		want := func(what string, got []int64, want ...int64) {
			t.Helper()
			if !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", what, got, want)
			}
		}
		want("new and in progress, oldest first", ids(domain.TicketFilter{}), a, b)
		want("waiting and resolved", ids(domain.TicketFilter{States: []domain.TicketState{domain.TicketWaiting, domain.TicketResolved}}), w, r)
		want("password resets", ids(domain.TicketFilter{Categories: []domain.TicketCategory{domain.CategoryPasswordReset}}), a)
		want("first page", ids(domain.TicketFilter{Limit: 1}), a)
		first := e.find(t, a)
		want("second page", ids(domain.TicketFilter{Limit: 1, AfterAt: first.CreatedAt, AfterID: first.ID}), b)
		want("subject", ids(domain.TicketFilter{Search: "AIZMIRST"}), a)
		want("sender", ids(domain.TicketFilter{Search: first.From}), a)
		want("whole code in the subject", ids(domain.TicketFilter{Search: strings.ReplaceAll(code, "-", "")}), b)
		_, err := e.svc.ListTickets(e.ilzeC, domain.TicketFilter{Search: code[:6]})
		wantErr(t, "part of a code", err, domain.EINVALID, "search.whole_code")
	})

	// ¶25, ¶17.5: incidents reach the security officers, who see and work
	// the incident tickets only; ¶32.6: from one they raise a denial,
	// noted in its thread.
	run("Incident_SecurityOfficerSeesIncidentsOnly_RaisesP32_6Denial", func(t *testing.T, e *hdEnv) {
		sec := e.h.Operator(t, "juris.kalnins", "Juris Kalniņš", "juris.kalnins@viaa.gov.lv", domain.RoleSecurity)
		secC := As(t, sec, "s-juris")
		inc := e.seed(t, TicketSeed{Category: domain.CategoryIncident, AccountCode: PersonalCode(int(seedSeq.Add(1))), Age: 2 * time.Hour})
		q := e.seed(t, TicketSeed{Category: domain.CategoryQuestion})
		list := func(f domain.TicketFilter) []int64 {
			t.Helper()
			got, err := e.svc.ListTickets(secC, f)
			must(t, "list as security", err)
			var out []int64
			for _, x := range got {
				out = append(out, x.ID)
			}
			return out
		}
		if got := list(domain.TicketFilter{}); !slices.Equal(got, []int64{inc}) {
			t.Errorf("security officer's list: %v, want only the incident %d", got, inc)
		}
		if got := list(domain.TicketFilter{Categories: []domain.TicketCategory{domain.CategoryQuestion}}); len(got) != 0 {
			t.Errorf("security officer asking for questions got %v", got)
		}
		_, err := e.svc.FindTicket(secC, q)
		wantErr(t, "read a question", err, domain.EFORBIDDEN, "helpdesk.incident_only")
		_, err = e.svc.ClaimTicket(secC, q)
		wantErr(t, "claim a question", err, domain.EFORBIDDEN, "helpdesk.incident_only")

		tk, err := e.svc.ClaimTicket(secC, inc)
		must(t, "claim the incident", err)
		wantErr(t, "reset by security", e.svc.IssuePasswordReset(secC, inc, tk.Version), domain.EFORBIDDEN, "helpdesk.not_helpdesk")
		_, err = e.svc.RaiseIncidentDenial(e.ilzeC, inc, domain.SubjectPlatformUser, tk.Account.ID, "x", "")
		wantErr(t, "denial by the helpdesk", err, domain.EFORBIDDEN, "denial.not_security")
		_, err = e.svc.RaiseIncidentDenial(secC, inc, domain.SubjectPlatformUser, tk.Account.ID, "  ", "")
		wantErr(t, "denial without a note", err, domain.EINVALID, "denial.note_required")

		d, err := e.svc.RaiseIncidentDenial(secC, inc, domain.SubjectPlatformUser, tk.Account.ID, "Pikšķerēšanas incidents", "žurnāls 2026-03-01")
		must(t, "raise the ¶32.6 denial", err)
		if d.Ground != domain.GroundIncident || d.SubjectID != tk.Account.ID ||
			d.Evidence != domain.TicketReference(inc)+"; žurnāls 2026-03-01" {
			t.Errorf("denial: ground %s, subject %d, evidence %q", d.Ground, d.SubjectID, d.Evidence)
		}
		got := e.find(t, inc)
		if got.Version <= tk.Version || !slices.ContainsFunc(got.Messages, func(m *domain.TicketMessage) bool {
			return !m.Inbound && m.Template == domain.TicketDenialNote && m.Text == strconv.FormatInt(d.ID, 10) && m.ActorName == "Juris Kalniņš"
		}) {
			t.Errorf("the ticket does not note denial %d: v%d → v%d, %d messages", d.ID, tk.Version, got.Version, len(got.Messages))
		}
		must(t, "security closes the incident", e.svc.Reply(secC, inc, got.Version, domain.FreeReplyTemplate, "lv", "Paldies, pieejas liegums piemērots.", domain.TicketResolved))

		// The helpdesk re-categorises a question as an incident: it is
		// then in the security officer's view.
		v := e.find(t, q).Version
		_, err = e.svc.ClaimTicket(e.ilzeC, q)
		must(t, "helpdesk claims", err)
		must(t, "to incident", e.svc.SetCategory(e.ilzeC, q, v+1, domain.CategoryIncident))
		if got := list(domain.TicketFilter{}); !slices.Contains(got, q) {
			t.Errorf("a ticket re-categorised to incident is not in the security officer's list: %v", got)
		}
		_, err = e.svc.RaiseIncidentDenial(secC, q, domain.SubjectPlatformUser, tk.Account.ID, "x", "")
		wantErr(t, "held by the helpdesk", err, domain.ECONFLICT, "helpdesk.claimed")
	})
}
