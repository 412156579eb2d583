package storage

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
)

// A person's data on request (issue 18, GDPR Art. 15): every section of
// the person's page read whole (the page's own queries, without a page
// limit), with what the page leaves out — the requests' documents, the
// IMK checks' rules and the register data they used, the tickets'
// messages, and which staff opened, revealed or exported the record —
// in one transaction that ends with the export's audit entry.

// PersonExporter implements domain.PersonExporter.
type PersonExporter struct{ db *DB }

// NewPersonExporter returns a PersonExporter on db.
func NewPersonExporter(db *DB) *PersonExporter { return &PersonExporter{db: db} }

var _ domain.PersonExporter = (*PersonExporter)(nil)

var exportGuard = guard{
	noOperator: domain.Errorf(domain.EUNAUTHORIZED, "access.no_operator", "only a signed-in operator can do this"),
	forbidden:  domain.Errorf(domain.EFORBIDDEN, "person.export_forbidden", "only security officers export a person's data"),
}

// exportLimit bounds each section of an export: far above what one
// person gathers, it only keeps a runaway row count from exhausting
// memory.
const exportLimit = 100_000

// ExportPerson returns everything held about the person for a reason,
// audited as person.export with the reason in the same transaction.
// EINVALID (the reason, the ref), ENOTFOUND "person.not_found",
// EUNAUTHORIZED, EFORBIDDEN "person.export_forbidden", EUNAVAILABLE.
func (s *PersonExporter) ExportPerson(ctx context.Context, who domain.PersonRef, reason string) (*domain.PersonExport, error) {
	reason, err := domain.CheckRevealReason(reason)
	if err != nil {
		return nil, err
	}
	if err := domain.CheckPersonRef(who); err != nil {
		return nil, err
	}
	var forms []string
	if who.Code != "" {
		q, err := domain.ParsePersonQuery(who.Code)
		if err != nil {
			return nil, err
		}
		if q.Kind != domain.PersonByCode {
			return nil, domain.CheckPersonRef(domain.PersonRef{})
		}
		forms = q.Codes
	}
	var x *domain.PersonExport
	err = s.db.inTx(ctx, "export person", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, exportGuard, domain.PersonExportRoles...)
		if err != nil {
			return err
		}
		id := who.ID
		if forms != nil {
			err := tx.QueryRow(ctx, `SELECT person_id FROM person_codes WHERE code = ANY($1) LIMIT 1`, forms).Scan(&id)
			if errors.Is(err, pgx.ErrNoRows) {
				return domain.PersonNotFound()
			}
			if err != nil {
				return dbError("find person", err)
			}
		}
		k, err := readPersonKeys(ctx, tx, id)
		if err != nil {
			return err
		}
		x = &domain.PersonExport{Format: domain.PersonExportFormat, MadeAt: tx.now.UTC(), MadeBy: me.name, Reason: reason,
			Addresses: k.addrs}
		if err := exportIdentity(ctx, tx, k, x); err != nil {
			return err
		}
		secs := map[domain.PersonSection][]*domain.PersonEntry{}
		for _, name := range domain.PersonSections {
			if secs[name], err = exportSection(ctx, tx, k, name); err != nil {
				return err
			}
		}
		if err := denialEffects(ctx, tx, secs[domain.PersonDenials]); err != nil {
			return err
		}
		conv := func(es []*domain.PersonEntry) []domain.ExportEntry {
			out := make([]domain.ExportEntry, 0, len(es))
			for _, e := range es {
				out = append(out, domain.ExportEntry{ID: e.ID, At: e.At.UTC(), Kind: e.Kind, State: e.State, Text: e.Text,
					Note: e.Note, Until: domain.TimeOrNil(e.Until), By: e.By, DecidedBy: e.DecidedBy, Effects: e.Effects})
			}
			return out
		}
		x.ContactHistory = append(conv(secs[domain.PersonChanges]), conv(secs[domain.PersonEmailAsked])...)
		slices.SortStableFunc(x.ContactHistory, func(a, b domain.ExportEntry) int { return b.At.Compare(a.At) })
		x.Requests, x.Roles, x.IMK = conv(secs[domain.PersonRequests]), conv(secs[domain.PersonRoles]), conv(secs[domain.PersonIMK])
		x.Acceptances, x.Denials, x.Tickets = conv(secs[domain.PersonTerms]), conv(secs[domain.PersonDenials]), conv(secs[domain.PersonTickets])
		x.Mail, x.SignIns = conv(secs[domain.PersonMail]), conv(secs[domain.PersonSignIns])
		if err := exportDocuments(ctx, tx, x.Requests); err != nil {
			return err
		}
		if err := exportIMK(ctx, tx, k, x.IMK); err != nil {
			return err
		}
		if err := exportMessages(ctx, tx, x.Tickets); err != nil {
			return err
		}
		if err := exportAccess(ctx, tx, k, x); err != nil {
			return err
		}
		// Last: the audit append holds the chain's lock until commit.
		return appendAudit(ctx, tx, &domain.AuditEntry{Action: domain.AuditPersonExport, SubjectKind: "person",
			SubjectID: strconv.FormatInt(k.person, 10), Reason: reason})
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

func exportIdentity(ctx context.Context, tx *Tx, k *personKeys, x *domain.PersonExport) error {
	page := &domain.PersonPage{}
	if err := readIdentity(ctx, tx, k, page); err != nil {
		return err
	}
	id := page.Identity
	x.Identity = domain.ExportIdentity{PersonalCode: strings.TrimSpace(k.code), FirstName: id.FirstName, LastName: id.LastName,
		Language: id.Language, CreatedAt: id.CreatedAt.UTC(), LastDeathCheck: domain.TimeOrNil(id.LastDeathCheck),
		DeceasedOn: domain.TimeOrNil(id.DeceasedOn), OtherCodes: []string{}}
	for _, c := range k.codes {
		if c != k.code {
			x.Identity.OtherCodes = append(x.Identity.OtherCodes, c)
		}
	}
	if a := page.Account; a != nil {
		x.Account = &domain.ExportAccount{UserID: a.UserID, Kind: a.Kind, Email: a.Email, EmailConfirmed: a.EmailConfirmed,
			SignInDenied: a.SignInDenied, CreatedAt: a.CreatedAt.UTC()}
	}
	return nil
}

// exportSection reads the whole of one section with the page's query.
func exportSection(ctx context.Context, tx *Tx, k *personKeys, name domain.PersonSection) ([]*domain.PersonEntry, error) {
	sec := personSections[name]
	args := sec.args(k)
	if args == nil {
		return nil, nil
	}
	args = append(slices.Clone(args), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), int64(math.MaxInt64), exportLimit)
	rows, err := tx.Query(ctx, sec.page, args...)
	if err != nil {
		return nil, dbError("export person's "+string(name), err)
	}
	out, err := collectEntries(rows, name, sec.scan)
	return out, dbError("export person's "+string(name), err)
}

// byID indexes entries by their ids.
func byID(es []domain.ExportEntry) (map[int64]*domain.ExportEntry, []int64) {
	m, ids := map[int64]*domain.ExportEntry{}, make([]int64, 0, len(es))
	for i := range es {
		m[es[i].ID], ids = &es[i], append(ids, es[i].ID)
	}
	return m, ids
}

func exportDocuments(ctx context.Context, tx *Tx, reqs []domain.ExportEntry) error {
	if len(reqs) == 0 {
		return nil
	}
	m, ids := byID(reqs)
	rows, err := tx.Query(ctx, `
		SELECT request_id, name, media_type, size, sha256 FROM role_request_documents
		 WHERE request_id = ANY($1) ORDER BY request_id, position`, ids)
	if err != nil {
		return dbError("export documents", err)
	}
	var rid int64
	var d domain.ExportDocument
	_, err = pgx.ForEachRow(rows, []any{&rid, &d.Name, &d.MediaType, &d.Size, &d.SHA256}, func() error {
		m[rid].Documents = append(m[rid].Documents, d)
		return nil
	})
	return dbError("export documents", err)
}

// exportIMK adds each application's eligibility decisions (imk_decisions,
// oldest first) and its latest evaluation, each with its rules, their
// evidence and the register snapshots they rested on (only the person's
// own: the snapshot's code is checked against theirs).
func exportIMK(ctx context.Context, tx *Tx, k *personKeys, apps []domain.ExportEntry) error {
	if len(apps) == 0 {
		return nil
	}
	m, ids := byID(apps)
	snaps := map[int64]domain.ExportSnapshot{}
	var snapIDs []int64
	rules := func(raw []byte) ([]domain.ExportRule, error) {
		out := []domain.ExportRule{}
		if len(raw) == 0 {
			return out, nil
		}
		var ev domain.Evaluation
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, err
		}
		for _, r := range ev.Rules {
			out = append(out, domain.ExportRule{Rule: r.Rule, Verdict: string(r.Verdict), Evidence: r.Evidence,
				Source: string(r.Source), SnapshotID: r.SnapshotID})
			if _, seen := snaps[r.SnapshotID]; r.SnapshotID > 0 && !seen {
				snaps[r.SnapshotID], snapIDs = domain.ExportSnapshot{}, append(snapIDs, r.SnapshotID)
			}
		}
		return out, nil
	}
	rows, err := tx.Query(ctx, `SELECT id, evaluation FROM imk_applications WHERE id = ANY($1) AND evaluation IS NOT NULL`, ids)
	if err != nil {
		return dbError("export IMK", err)
	}
	var id int64
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &raw}, func() error {
		rs, err := rules(raw)
		m[id].Rules = rs
		return err
	})
	if err != nil {
		return dbError("export IMK", err)
	}
	rows, err = tx.Query(ctx, `
		SELECT d.application_id, d.at, d.state, coalesce(nullif(o.full_name, ''), o.name, ''), d.reason,
		       coalesce(p.version, 0), d.evaluation
		  FROM imk_decisions d
		  LEFT JOIN operators o ON o.id = d.decided_by
		  LEFT JOIN eligibility_policies p ON p.id = d.policy_id
		 WHERE d.application_id = ANY($1)
		 ORDER BY d.application_id, d.at, d.id LIMIT $2`, ids, exportLimit)
	if err != nil {
		return dbError("export IMK decisions", err)
	}
	var d domain.ExportDecision
	_, err = pgx.ForEachRow(rows, []any{&id, &d.At, &d.State, &d.DecidedBy, &d.Reason, &d.PolicyVersion, &raw}, func() error {
		dec := d
		dec.At = dec.At.UTC()
		rs, err := rules(raw)
		if err != nil {
			return err
		}
		dec.Rules = rs
		m[id].Decisions = append(m[id].Decisions, dec)
		return nil
	})
	if err != nil {
		return dbError("export IMK decisions", err)
	}
	if len(snapIDs) > 0 {
		if err := exportSnapshots(ctx, tx, k, snapIDs, snaps); err != nil {
			return err
		}
	}
	used := func(rs []domain.ExportRule) []domain.ExportSnapshot {
		out := []domain.ExportSnapshot{}
		var seen []int64
		for _, r := range rs {
			if s, ok := snaps[r.SnapshotID]; ok && s.ID != 0 && !slices.Contains(seen, s.ID) {
				seen, out = append(seen, s.ID), append(out, s)
			}
		}
		return out
	}
	for _, a := range m {
		if rd := used(a.Rules); len(rd) > 0 {
			a.RegisterData = rd
		}
		for i := range a.Decisions {
			a.Decisions[i].RegisterData = used(a.Decisions[i].Rules)
		}
	}
	return nil
}

// exportSnapshots fills snaps with the register snapshots of ids that
// are the person's own; another's stays the zero value, left out.
func exportSnapshots(ctx context.Context, tx *Tx, k *personKeys, ids []int64, snaps map[int64]domain.ExportSnapshot) error {
	rows, err := tx.Query(ctx, `
		SELECT id, register, fetched_at, answered, found, payload FROM register_snapshots
		 WHERE id = ANY($1) AND personal_code = ANY($2)`, ids, k.codes)
	if err != nil {
		return dbError("export register data", err)
	}
	var sn domain.ExportSnapshot
	var payload []byte
	_, err = pgx.ForEachRow(rows, []any{&sn.ID, &sn.Register, &sn.FetchedAt, &sn.Answered, &sn.Found, &payload}, func() error {
		s := sn
		s.FetchedAt = s.FetchedAt.UTC()
		s.Fields = []domain.ExportField{}
		if len(payload) > 0 {
			var p snapshotPayload
			if err := json.Unmarshal(payload, &p); err != nil {
				return err
			}
			s.Fields = snapshotFields(p)
		}
		snaps[s.ID] = s
		return nil
	})
	return dbError("export register data", err)
}

// snapshotFields are a register answer's values as named fields; the
// code is left out (the identity has it).
func snapshotFields(p snapshotPayload) []domain.ExportField {
	var out []domain.ExportField
	add := func(name, v string) { out = append(out, domain.ExportField{Name: name, Value: v}) }
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	if r := p.Person; r != nil {
		add("first_name", r.FirstName)
		add("last_name", r.LastName)
		add("birth_date", date(r.BirthDate))
		add("resident", strconv.FormatBool(r.Resident))
		add("municipality", r.Municipality)
		if !r.DeceasedOn.IsZero() {
			add("deceased_on", date(r.DeceasedOn))
		}
	}
	for _, e := range p.Employment {
		add("employer", e.Employer)
		add("self_employed", strconv.FormatBool(e.SelfEmployed))
		add("from", date(e.From))
		add("until", date(e.Until))
	}
	if e := p.Education; e != nil {
		add("highest_lki", strconv.Itoa(e.HighestLKI))
		add("studying", strconv.FormatBool(e.Studying))
	}
	if out == nil {
		out = []domain.ExportField{}
	}
	return out
}

// exportMessages adds each ticket's messages: those received and the
// helpdesk's replies, oldest first.
func exportMessages(ctx context.Context, tx *Tx, tickets []domain.ExportEntry) error {
	if len(tickets) == 0 {
		return nil
	}
	m, ids := byID(tickets)
	rows, err := tx.Query(ctx, `
		SELECT ticket_id, received_at, true, from_addr, subject, body, id FROM inbound_messages WHERE ticket_id = ANY($1)
		UNION ALL
		SELECT ticket_id, created_at, false, actor_name, '', body, id FROM ticket_replies WHERE ticket_id = ANY($1)
		ORDER BY 1, 2, 7`, ids)
	if err != nil {
		return dbError("export messages", err)
	}
	var tid, mid int64
	var msg domain.ExportMessage
	_, err = pgx.ForEachRow(rows, []any{&tid, &msg.At, &msg.In, &msg.From, &msg.Subject, &msg.Body, &mid}, func() error {
		msg.At = msg.At.UTC()
		m[tid].Messages = append(m[tid].Messages, msg)
		return nil
	})
	return dbError("export messages", err)
}

// exportAccess lists which staff opened the record (person_views under
// the keys of each of the person's codes), revealed a code of the person,
// their requests or their IMK applications, or exported the record
// (the audit log), newest first.
func exportAccess(ctx context.Context, tx *Tx, k *personKeys, x *domain.PersonExport) error {
	keys := make([]string, 0, len(k.codes))
	for _, c := range k.codes {
		keys = append(keys, domain.PersonKey(c))
	}
	ids := func(es []domain.ExportEntry) []string {
		out := []string{}
		for _, e := range es {
			out = append(out, strconv.FormatInt(e.ID, 10))
		}
		return out
	}
	rows, err := tx.Query(ctx, `
		SELECT v.at, coalesce(nullif(o.full_name, ''), o.name), 'view', '' FROM person_views v JOIN operators o ON o.id = v.operator_id
		 WHERE v.person_key = ANY($1)
		UNION ALL
		SELECT a.at, a.actor_name, CASE a.action WHEN $6 THEN 'export' ELSE 'reveal' END, a.reason FROM audit_log a
		 WHERE a.action IN ($5, $6) AND (
		       (a.subject_kind = 'person' AND a.subject_id = $2)
		    OR (a.subject_kind = 'role_request' AND a.subject_id = ANY($3))
		    OR (a.subject_kind = 'imk_application' AND a.subject_id = ANY($4)))
		ORDER BY 1 DESC LIMIT $7`,
		keys, strconv.FormatInt(k.person, 10), ids(x.Requests), ids(x.IMK),
		domain.AuditPersonalDataReveal, domain.AuditPersonExport, exportLimit)
	if err != nil {
		return dbError("export staff access", err)
	}
	var a domain.ExportAccess
	x.StaffAccess = []domain.ExportAccess{}
	_, err = pgx.ForEachRow(rows, []any{&a.At, &a.Operator, &a.Kind, &a.Reason}, func() error {
		a.At = a.At.UTC()
		x.StaffAccess = append(x.StaffAccess, a)
		return nil
	})
	return dbError("export staff access", err)
}
