package storage

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/unicode/norm"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/mailtmpl"
	"github.com/viaa/ppp/storage/mailin"
)

// The helpdesk (¶22, ¶31.3, ¶32.4, ¶17.5): migrations/0060_helpdesk.sql.
//
// Mail to stars@viaa.gov.lv is stored once by Message-ID and threaded into
// a ticket by In-Reply-To and References (which may name an earlier
// inbound message or one of our replies, whose Message-ID is random:
// outbox.message_id), but only when its sender is the ticket's address;
// anyone else's mail starts a ticket of its own, whatever it references.
// Every change is audited and announced on the change feed as topic
// "ticket"; claims are the shared lease claims of claim.go.

// ticketOpenStates are the states in which a ticket can be claimed.
var ticketOpenStates = []string{string(domain.TicketNew), string(domain.TicketInProgress), string(domain.TicketWaiting)}

// HelpdeskService is the helpdesk's queue on PostgreSQL. It implements
// domain.HelpdeskService, and Ingest for the mail listener and importer.
// Every method of the interface needs one of domain.HelpdeskRoles
// (EUNAUTHORIZED "helpdesk.no_operator", EFORBIDDEN "helpdesk.not_helpdesk");
// a security officer without the helpdesk role sees and works incident
// tickets only (domain.Ticket.AllowsOperator, EFORBIDDEN
// "helpdesk.incident_only"), and password resets and suspension requests
// need the helpdesk role; the reads may be the back office itself, the
// work needs an operator.
type HelpdeskService struct {
	db *DB
}

var _ domain.HelpdeskService = (*HelpdeskService)(nil)

// NewHelpdeskService returns a HelpdeskService on db.
func NewHelpdeskService(db *DB) *HelpdeskService { return &HelpdeskService{db: db} }

func ticketNotFound(id int64) error {
	return domain.Errorf(domain.ENOTFOUND, "helpdesk.not_found", "no ticket %d", id)
}

func ticketChanged() error {
	return domain.Errorf(domain.ECONFLICT, "helpdesk.changed", "someone else changed this ticket; look at it again")
}

// ticketClaimTable is the helpdesk queue's claim columns (claim.go).
var ticketClaimTable = claimTable{
	Table: "tickets", Noun: "ticket", OpenStates: ticketOpenStates, Changed: ticketChanged,
}

// attachmentJSON is an attachment's metadata as stored.
type attachmentJSON struct {
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
}

func attachmentsToJSON(as []domain.Attachment) []byte {
	out := make([]attachmentJSON, 0, len(as))
	for _, a := range as {
		out = append(out, attachmentJSON{a.Name, a.MediaType, a.Size, a.SHA256})
	}
	b, _ := json.Marshal(out)
	return b
}

func attachmentsFromJSON(b []byte) []domain.Attachment {
	var in []attachmentJSON
	if json.Unmarshal(b, &in) != nil {
		return nil
	}
	out := make([]domain.Attachment, 0, len(in))
	for _, a := range in {
		out = append(out, domain.Attachment{Name: a.Name, MediaType: a.MediaType, Size: a.Size, SHA256: a.SHA256})
	}
	return out
}

// cleanText makes s storable in a text column: valid UTF-8 without NUL.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// normalizeAddress is an e-mail address as the helpdesk compares it:
// without surrounding space or angle brackets, in lower case, Unicode NFC
// (an SMTPUTF8 address may come composed or decomposed).
func normalizeAddress(s string) string {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "<>"))
	return norm.NFC.String(strings.ToLower(s))
}

// messageIDKey is a Message-ID as compared: without angle brackets or
// surrounding space.
func messageIDKey(s string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "<>"))
}

// Ingest parses a message received for the helpdesk and stores it once
// by its Message-ID (a message without one is named by the hash of its
// bytes): a second delivery changes nothing and returns the stored
// message. The message joins the ticket its In-Reply-To or References
// name, or opens a new one with a suggested category, matched to the
// account whose confirmed e-mail address sent it. A message that cannot
// be parsed is kept raw with its ParseError, never dropped. It returns
// EUNAVAILABLE when the database does not answer.
func (s *HelpdeskService) Ingest(ctx context.Context, raw []byte) (*domain.InboundMessage, error) {
	m := mailin.Parse(raw)
	if m == nil {
		m = &domain.InboundMessage{ParseError: "not parsed"}
	}
	if m.Raw == nil {
		m.Raw = raw
	}
	if m.Raw == nil {
		m.Raw = []byte{}
	}
	m.MessageID = cleanText(messageIDKey(m.MessageID))
	if m.MessageID == "" {
		m.MessageID = mailin.SyntheticMessageID(raw)
	}
	m.From = normalizeAddress(m.From)
	var out *domain.InboundMessage
	err := s.db.inTx(ctx, "receive helpdesk mail", func(tx *Tx) error {
		// Deliveries of one Message-ID take turns, so a second one
		// finds the first.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 6060))", m.MessageID); err != nil {
			return dbError("lock message id", err)
		}
		stored, err := findInbound(ctx, tx, m.MessageID)
		if err == nil {
			out = stored
			return nil
		}
		if domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		ticketID, err := threadTicket(ctx, tx, m)
		if err != nil {
			return err
		}
		action := domain.AuditHelpdeskMessage
		if ticketID == 0 {
			action = domain.AuditHelpdeskTicket
			if ticketID, err = openTicket(ctx, tx, m); err != nil {
				return err
			}
		} else if _, err := tx.Exec(ctx, `
			UPDATE tickets SET state = CASE WHEN state = 'new' THEN 'new' ELSE 'in_progress' END,
			       version = version + 1, updated_at = $2
			 WHERE id = $1`, ticketID, tx.now); err != nil {
			return dbError("update ticket", err)
		}
		refs := make([]string, 0, len(m.References))
		for _, r := range m.References {
			if k := cleanText(messageIDKey(r)); k != "" {
				refs = append(refs, k)
			}
		}
		var sent *time.Time
		if !m.Date.IsZero() {
			d := m.Date.UTC()
			sent = &d
		}
		to := make([]string, 0, len(m.To))
		for _, a := range m.To {
			to = append(to, cleanText(a))
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO inbound_messages (message_id, in_reply_to, refs, from_addr, from_name, to_addrs,
			                              subject, sent_at, body, attachments, raw, parse_error, received_at, ticket_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			RETURNING id`,
			m.MessageID, cleanText(messageIDKey(m.InReplyTo)), refs, cleanText(m.From), cleanText(m.FromName), to,
			cleanText(m.Subject), sent, cleanText(m.Text), attachmentsToJSON(m.Attachments), m.Raw,
			cleanText(m.ParseError), tx.now, ticketID).Scan(&m.ID)
		if err != nil {
			return dbError("store helpdesk mail", err)
		}
		m.ReceivedAt, m.TicketID = tx.now, ticketID
		out = m
		if err := Notify(ctx, tx, domain.TopicTicket, strconv.FormatInt(ticketID, 10)); err != nil {
			return err
		}
		e := &domain.AuditEntry{
			Action: action, SubjectKind: "ticket", SubjectID: strconv.FormatInt(ticketID, 10),
			Details: "message=" + strconv.FormatInt(m.ID, 10),
		}
		if domain.ActorFrom(ctx).Name == "" {
			e.ActorName = "mail"
		}
		if m.ParseError != "" {
			e.Details += "; unparsed"
		}
		return appendAudit(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// findInbound reads the stored message with that Message-ID; ENOTFOUND.
func findInbound(ctx context.Context, tx *Tx, messageID string) (*domain.InboundMessage, error) {
	m := &domain.InboundMessage{}
	var sent *time.Time
	var attach []byte
	err := tx.QueryRow(ctx, `
		SELECT id, message_id, in_reply_to, refs, from_addr, from_name, to_addrs, subject, sent_at,
		       body, attachments, raw, parse_error, received_at, ticket_id
		  FROM inbound_messages WHERE message_id = $1`, messageID).Scan(
		&m.ID, &m.MessageID, &m.InReplyTo, &m.References, &m.From, &m.FromName, &m.To, &m.Subject, &sent,
		&m.Text, &attach, &m.Raw, &m.ParseError, &m.ReceivedAt, &m.TicketID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "", "no such message")
	}
	if err != nil {
		return nil, dbError("read helpdesk mail", err)
	}
	if sent != nil {
		m.Date = *sent
	}
	m.Attachments = attachmentsFromJSON(attach)
	return m, nil
}

// threadTicket returns the ticket the message answers, by In-Reply-To and
// References, or 0. A ticket counts only when the message's sender is the
// ticket's address (compared as normalizeAddress does): Message-IDs are
// no secret once a mail has been forwarded or copied, and a stranger
// naming them must not be able to write into, or reopen, someone else's
// ticket.
func threadTicket(ctx context.Context, tx *Tx, m *domain.InboundMessage) (int64, error) {
	from := normalizeAddress(m.From)
	if from == "" {
		return 0, nil
	}
	var ids []string
	for _, r := range append([]string{m.InReplyTo}, m.References...) {
		if k := cleanText(messageIDKey(r)); k != "" {
			ids = append(ids, k)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	var id int64
	err := tx.QueryRow(ctx, `
		SELECT r.ticket_id FROM (
		    SELECT ticket_id, received_at AS at FROM inbound_messages WHERE message_id = ANY ($1::text[])
		    UNION ALL
		    SELECT tr.ticket_id, tr.created_at
		      FROM ticket_replies tr
		      JOIN outbox o ON o.id = tr.outbox_id
		     WHERE o.message_id = ANY ($1::text[])
		) AS r
		  JOIN tickets t ON t.id = r.ticket_id
		 WHERE normalize(lower(btrim(t.from_addr)), NFC) = $2
		 ORDER BY r.at DESC
		 LIMIT 1`, ids, from).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, dbError("thread helpdesk mail", err)
	}
	return id, nil
}

// openTicket creates the ticket a new message starts.
func openTicket(ctx context.Context, tx *Tx, m *domain.InboundMessage) (int64, error) {
	cat := domain.CategoryOther
	if m.ParseError == "" || m.Text != "" || m.Subject != "" {
		cat = SuggestTicketCategory(m.Subject + "\n" + m.Text)
	}
	lang := guessLanguage(m.Subject + "\n" + m.Text)
	var kind *string
	var accountID *int64
	if m.From != "" {
		acc, err := matchAccount(ctx, tx, m.From)
		if err != nil {
			return 0, err
		}
		if acc != nil {
			kind, accountID = &acc.Kind, &acc.ID
		}
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO tickets (subject, from_addr, lang, category, suggested, state, account_kind, account_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4, 'new', $5, $6, $7, $7)
		RETURNING id`,
		cleanText(m.Subject), cleanText(m.From), lang, string(cat), kind, accountID, tx.now).Scan(&id)
	if err != nil {
		return 0, dbError("open ticket", err)
	}
	return id, nil
}

// matchAccount finds the account whose confirmed e-mail address is addr:
// a Platform user who confirmed it (one with a password first), else an
// operator with that address. It returns nil when none matches.
func matchAccount(ctx context.Context, tx *Tx, addr string) (*domain.AccountRef, error) {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if addr == "" {
		return nil, nil
	}
	a := &domain.AccountRef{}
	err := tx.QueryRow(ctx, `
		SELECT kind, id, name, has_password FROM (
		    SELECT 'platform_user' AS kind, u.id,
		           coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email) AS name,
		           u.kind = 'password' AS has_password,
		           CASE WHEN u.kind = 'password' THEN 0 ELSE 1 END AS rank
		      FROM platform_users u
		     WHERE lower(u.email) = $1 AND u.email_confirmed
		    UNION ALL
		    SELECT 'operator', o.id, coalesce(nullif(o.full_name, ''), o.name), true, 2
		      FROM operators o
		     WHERE o.email <> '' AND lower(o.email) = $1
		) AS a
		 ORDER BY rank, id
		 LIMIT 1`, addr).Scan(&a.Kind, &a.ID, &a.Name, &a.HasPassword)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, dbError("match account", err)
	}
	return a, nil
}

// ticketSelect reads tickets with their account and holder.
var ticketSelect = `
	SELECT t.id, t.subject, t.from_addr, t.lang, t.category, t.suggested, t.state,
	       coalesce(t.account_kind, ''), coalesce(t.account_id, 0),
	       coalesce(CASE t.account_kind
	           WHEN 'platform_user' THEN (SELECT coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email)
	                                        FROM platform_users u WHERE u.id = t.account_id)
	           WHEN 'operator' THEN (SELECT coalesce(nullif(o2.full_name, ''), o2.name) FROM operators o2 WHERE o2.id = t.account_id)
	       END, ''),
	       coalesce(CASE t.account_kind
	           WHEN 'platform_user' THEN (SELECT u.kind = 'password' FROM platform_users u WHERE u.id = t.account_id)
	           WHEN 'operator' THEN true
	       END, false),
	       t.version, t.created_at, t.updated_at,
	       coalesce(t.claimed_by, 0), coalesce(nullif(o.full_name, ''), o.name, ''), t.claim_expires_at,
	       ` + termsPendingColumns + `
	  FROM tickets t
	  LEFT JOIN operators o ON o.id = t.claimed_by` + ticketTermsPendingJoin

// ticketTermsPendingJoin joins, to ticket t, the version in force its
// matched Platform user has not accepted (¶26.2; none for an operator or
// no match).
var ticketTermsPendingJoin = termsPendingJoin(`t.account_kind IS DISTINCT FROM 'platform_user'
	  OR EXISTS (SELECT FROM platform_users u WHERE u.id = t.account_id AND ` + userAccepted("u", "tv.id") + `)`)

// ticketRow is a ticket with what the service needs besides.
type ticketRow struct {
	*domain.Ticket
	lang string
}

func scanTicket(row pgx.Row, now time.Time) (*ticketRow, error) {
	t := &domain.Ticket{}
	r := &ticketRow{Ticket: t}
	var cat, sug, state, kind, name string
	var accID int64
	var hasPw bool
	var claimExp *time.Time
	var terms termsPendingScan
	err := row.Scan(append([]any{&t.ID, &t.Subject, &t.From, &r.lang, &cat, &sug, &state, &kind, &accID, &name, &hasPw,
		&t.Version, &t.CreatedAt, &t.UpdatedAt, &t.ClaimedBy, &t.ClaimedByName, &claimExp}, terms.dest()...)...)
	if err != nil {
		return nil, err
	}
	t.Category, t.Suggested, t.State = domain.TicketCategory(cat), domain.TicketCategory(sug), domain.TicketState(state)
	if kind != "" {
		t.Account = &domain.AccountRef{Kind: kind, ID: accID, Name: domain.MaskPersonalCodesIn(name), HasPassword: hasPw,
			Terms: terms.pending()}
	}
	if claimExp != nil && claimExp.After(now) && t.ClaimedBy != 0 {
		t.ClaimExpiresAt = *claimExp
	} else {
		t.ClaimedBy, t.ClaimedByName = 0, ""
	}
	return r, nil
}

// findTicket reads ticket id; ENOTFOUND "helpdesk.not_found".
func findTicket(ctx context.Context, tx *Tx, id int64, forUpdate bool) (*ticketRow, error) {
	sql := ticketSelect + " WHERE t.id = $1"
	if forUpdate {
		sql += " FOR UPDATE OF t"
	}
	r, err := scanTicket(tx.QueryRow(ctx, sql, id), tx.now)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ticketNotFound(id)
	}
	if err != nil {
		return nil, dbError("read ticket", err)
	}
	return r, nil
}

// ListTickets returns the tickets matching f, oldest first, after the
// keyset (f.AfterAt, f.AfterID), at most f.Limit (domain.PageLimit); by
// default those new or in progress (domain.TicketFilter.Normalize). f.Search matches
// any part of the subject or the sender's address, or, when it is a
// number, a whole personal code only (either form, with or without the
// hyphen): the tickets of the Platform account with that code, and those
// whose subject carries the code whole. A search that finds someone by
// code counts as a look-up of that person for the misuse alerts
// (recordLookup). It returns EINVALID "search.whole_code" for a number
// that is not a whole code and the personal-code errors for a mistyped
// one, and the errors of the role check (see HelpdeskService).
func (s *HelpdeskService) ListTickets(ctx context.Context, f domain.TicketFilter) ([]*domain.Ticket, error) {
	me, err := loadCaller(ctx, s.db.pool, helpdeskGuard, domain.HelpdeskRoles...)
	if err != nil {
		return nil, err
	}
	// A security officer sees the incident tickets only (¶25, ¶17.5).
	f, ok := f.ForOperator(me.seenAs())
	if !ok {
		return nil, nil
	}
	q, err := f.Normalize()
	if err != nil {
		return nil, err
	}
	states := make([]string, 0, len(f.States))
	for _, st := range f.States {
		states = append(states, string(st))
	}
	cats := make([]string, 0, len(f.Categories))
	for _, c := range f.Categories {
		cats = append(cats, string(c))
	}
	limit := f.Limit
	var after *time.Time
	if !f.AfterAt.IsZero() {
		a := f.AfterAt.UTC()
		after = &a
	}
	codes, search := q.CodeForms, ""
	if q.Text != "" {
		search = "%" + likeEscape(q.Text) + "%"
	}
	now := s.db.now()
	// A code in a subject counts only whole: not inside a longer number.
	rows, err := s.db.pool.Query(ctx, ticketSelect+`
		 WHERE t.state = ANY ($1::text[])
		   AND (cardinality($2::text[]) = 0 OR t.category = ANY ($2::text[]))
		   AND ($3 = '' OR t.subject ILIKE $3 OR t.from_addr ILIKE $3)
		   AND ($7::text[] IS NULL
		        OR (t.account_kind = 'platform_user'
		            AND t.account_id IN (SELECT u.id FROM platform_users u WHERE u.personal_code = ANY ($7::text[])))
		        OR t.subject ~ ('(^|[^0-9])(' || array_to_string($7::text[], '|') || ')($|[^0-9])'))
		   AND ($4::timestamptz IS NULL OR (t.created_at, t.id) > ($4, $5))
		 ORDER BY t.created_at, t.id
		 LIMIT $6`, states, cats, search, after, f.AfterID, limit, codes)
	if err != nil {
		return nil, dbError("list tickets", err)
	}
	defer rows.Close()
	var out []*domain.Ticket
	for rows.Next() {
		r, err := scanTicket(rows, now)
		if err != nil {
			return nil, dbError("list tickets", err)
		}
		out = append(out, r.Ticket)
	}
	if err := rows.Err(); err != nil {
		return nil, dbError("list tickets", err)
	}
	if len(out) > 0 && codes != nil {
		if err := recordLookup(ctx, s.db, me, codes[0]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FindTicket returns ticket id with its thread, oldest first; ENOTFOUND
// "helpdesk.not_found".
func (s *HelpdeskService) FindTicket(ctx context.Context, id int64) (*domain.Ticket, error) {
	var t *domain.Ticket
	err := s.db.readTx(ctx, "find ticket", func(tx *Tx) error {
		me, err := loadCaller(ctx, tx, helpdeskGuard, domain.HelpdeskRoles...)
		if err != nil {
			return err
		}
		r, err := findTicket(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if err := r.CheckSeenBy(me.seenAs()); err != nil {
			return err
		}
		t = r.Ticket
		t.Messages, err = ticketThread(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// ticketThread reads a ticket's inbound messages and replies, oldest
// first.
func ticketThread(ctx context.Context, tx *Tx, id int64) ([]*domain.TicketMessage, error) {
	rows, err := tx.Query(ctx, `
		SELECT true, received_at, from_addr, subject, body, attachments, raw, parse_error, '', '', id
		  FROM inbound_messages WHERE ticket_id = $1
		UNION ALL
		SELECT false, created_at, '', '', body, '[]'::jsonb, ''::bytea, '', actor_name, template, id
		  FROM ticket_replies WHERE ticket_id = $1
		 ORDER BY 2, 1 DESC, 11`, id)
	if err != nil {
		return nil, dbError("read ticket thread", err)
	}
	defer rows.Close()
	var out []*domain.TicketMessage
	for rows.Next() {
		m := &domain.TicketMessage{}
		var attach, raw []byte
		var parseErr string
		var rowID int64
		if err := rows.Scan(&m.Inbound, &m.At, &m.From, &m.Subject, &m.Text, &attach, &raw, &parseErr,
			&m.ActorName, &m.Template, &rowID); err != nil {
			return nil, dbError("read ticket thread", err)
		}
		m.Attach = attachmentsFromJSON(attach)
		if m.Inbound && parseErr != "" {
			m.Raw = true
			m.Text = strings.ToValidUTF8(string(raw), "\uFFFD")
		}
		out = append(out, m)
	}
	return out, dbError("read ticket thread", rows.Err())
}

// ClaimTicket claims the open ticket for the acting helpdesk operator
// until now + domain.ClaimLease, or renews their claim; a new ticket is
// then in progress. It returns ENOTFOUND "helpdesk.not_found", the
// refusals of domain.Ticket.Allows (EINVALID "helpdesk.resolved", ECONFLICT
// "helpdesk.claimed", Args: the holder), and the errors of the role check
// (see HelpdeskService).
func (s *HelpdeskService) ClaimTicket(ctx context.Context, id int64) (*domain.Ticket, error) {
	var t *domain.Ticket
	err := s.db.inTx(ctx, "claim ticket", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, helpdeskGuard, domain.HelpdeskRoles...)
		if err != nil {
			return err
		}
		renewal, err := claimRow(ctx, tx, ticketClaimTable, id, me, func() error {
			r, err := findTicket(ctx, tx, id, true)
			if err != nil {
				return err
			}
			return r.AllowsOperator(domain.TicketClaim, me.operator(), tx.now)
		})
		if err != nil {
			return err
		}
		if !renewal {
			if _, err := tx.Exec(ctx, `
				UPDATE tickets SET state = 'in_progress', version = version + 1, updated_at = $2
				 WHERE id = $1 AND state = 'new'`, id, tx.now); err != nil {
				return dbError("claim ticket", err)
			}
			if err := Notify(ctx, tx, domain.TopicTicket, strconv.FormatInt(id, 10)); err != nil {
				return err
			}
		}
		r, err := findTicket(ctx, tx, id, false)
		if err != nil {
			return err
		}
		t = r.Ticket
		if renewal {
			return nil
		}
		return appendPendingAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditHelpdeskClaim, SubjectKind: "ticket", SubjectID: strconv.FormatInt(id, 10),
		})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// ReleaseTicket gives up the acting operator's claim on the ticket; it
// does nothing when they hold none.
func (s *HelpdeskService) ReleaseTicket(ctx context.Context, id int64) error {
	return s.db.inTx(ctx, "release ticket", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, helpdeskGuard, domain.HelpdeskRoles...)
		if err != nil {
			return err
		}
		return releaseAnnounced(ctx, tx, ticketClaimTable, id, me, domain.TopicTicket)
	})
}

// ReleaseSessionClaims gives up every ticket claimed in the session, when
// it ends; see releaseSessionRows.
func (s *HelpdeskService) ReleaseSessionClaims(ctx context.Context, sessionID string) error {
	return releaseSessionRows(ctx, s.db, ticketClaimTable, "release session tickets", sessionID, announceReleased(domain.TopicTicket))
}

// lockTicket locks ticket id for me to do a at version: the refusals of
// domain.Ticket.AllowsOperator (EFORBIDDEN for a ticket or an action
// me's roles do not reach, EINVALID "helpdesk.resolved", ECONFLICT
// "helpdesk.claimed" while another operator holds it, EINVALID
// "helpdesk.no_account" for a suspension without an account) and of
// CheckVersion (ECONFLICT "helpdesk.changed"), or ENOTFOUND
// "helpdesk.not_found".
func lockTicket(ctx context.Context, tx *Tx, id, version int64, me *actor, a domain.TicketAction) (*ticketRow, error) {
	r, err := findTicket(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	if err := r.AllowsOperator(a, me.operator(), tx.now); err != nil {
		return nil, err
	}
	if err := r.CheckVersion(version); err != nil {
		return nil, err
	}
	return r, nil
}

// touchTicket bumps the ticket's version with the extra sets ($3…), and
// announces the change.
func touchTicket(ctx context.Context, tx *Tx, id int64, sets string, args ...any) error {
	all := append([]any{id, tx.now}, args...)
	if _, err := tx.Exec(ctx, `UPDATE tickets SET version = version + 1, updated_at = $2`+sets+` WHERE id = $1`, all...); err != nil {
		return dbError("change ticket", err)
	}
	return Notify(ctx, tx, domain.TopicTicket, strconv.FormatInt(id, 10))
}

// SetCategory changes the ticket's category. It returns EINVALID
// "helpdesk.bad_category", ECONFLICT "helpdesk.changed" on a stale
// version, and the errors of lockTicket and the role check (see HelpdeskService).
func (s *HelpdeskService) SetCategory(ctx context.Context, id, version int64, c domain.TicketCategory) error {
	if err := c.Check(); err != nil {
		return err
	}
	return s.db.inTx(ctx, "set ticket category", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, helpdeskGuard, domain.HelpdeskRoles...)
		if err != nil {
			return err
		}
		r, err := lockTicket(ctx, tx, id, version, me, domain.TicketSetCategory)
		if err != nil {
			return err
		}
		if err := touchTicket(ctx, tx, id, ", category = $3", string(c)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditHelpdeskCategory, SubjectKind: "ticket", SubjectID: strconv.FormatInt(id, 10),
			Details: string(r.Category) + " -> " + string(c),
		})
	})
}

// validTicketState checks a state a reply may leave the ticket in.
func validTicketState(st domain.TicketState) error {
	switch st {
	case domain.TicketNew, domain.TicketInProgress, domain.TicketWaiting, domain.TicketResolved:
		return nil
	}
	return domain.Errorf(domain.EINVALID, "helpdesk.bad_state", "unknown state %q", string(st))
}

// replySubject is the subject a reply's template quotes.
func replySubject(subject string) string {
	s := strings.TrimSpace(subject)
	for {
		l := strings.ToLower(s)
		if strings.HasPrefix(l, "re:") {
			s = strings.TrimSpace(s[3:])
			continue
		}
		break
	}
	if s == "" {
		s = "stars@viaa.gov.lv"
	}
	return strings.Join(strings.Fields(s), " ")
}

// Reply sends a templated reply (one of domain.TicketReplyTemplates) in
// lang (the ticket's language when empty) to the sender through the outbox
// and leaves the ticket in state. It returns the errors of
// domain.CheckTicketReply (EINVALID "helpdesk.bad_template",
// "helpdesk.text_required", "helpdesk.text_too_long"), EINVALID
// "helpdesk.bad_state" or "helpdesk.no_sender", and the errors of
// lockTicket and the role check (see HelpdeskService).
func (s *HelpdeskService) Reply(ctx context.Context, id, version int64, template, lang, text string, state domain.TicketState) error {
	text, err := domain.CheckTicketReply(template, cleanText(text))
	if err != nil {
		return err
	}
	if err := validTicketState(state); err != nil {
		return err
	}
	return s.db.inTx(ctx, "reply to ticket", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, helpdeskGuard, domain.HelpdeskRoles...)
		if err != nil {
			return err
		}
		r, err := lockTicket(ctx, tx, id, version, me, domain.TicketReply)
		if err != nil {
			return err
		}
		if strings.TrimSpace(lang) == "" {
			lang = r.lang
		}
		lang = mailtmpl.Language(lang)
		if err := sendReply(ctx, tx, r, me, template, lang, text, nil); err != nil {
			return err
		}
		if err := touchTicket(ctx, tx, id, ", state = $3", string(state)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditHelpdeskReply, SubjectKind: "ticket", SubjectID: strconv.FormatInt(id, 10),
			Details: "template=" + template + "; lang=" + lang + "; state=" + string(state),
		})
	})
}

// sendReply enqueues template to the ticket's sender and records the
// reply in the thread. data nil means the ticket's subject and text.
func sendReply(ctx context.Context, tx *Tx, r *ticketRow, me *actor, template, lang, text string, data map[string]string) error {
	if r.From == "" || domain.ValidateEmail(r.From) != nil {
		return domain.Errorf(domain.EINVALID, "helpdesk.no_sender", "the message has no readable sender address")
	}
	return recordReply(ctx, tx, r, me, r.From, template, lang, text, data)
}

// recordReply enqueues template to `to` and records it in the thread;
// text is what the thread shows (never a reset link).
func recordReply(ctx context.Context, tx *Tx, r *ticketRow, me *actor, to, template, lang, text string, data map[string]string) error {
	if data == nil {
		data = map[string]string{"subject": replySubject(r.Subject), "text": text}
	}
	outboxID, err := enqueueMail(ctx, tx, to, lang, template, data)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO ticket_replies (ticket_id, template, lang, body, actor_id, actor_name, outbox_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		r.ID, template, lang, text, me.id, me.name, outboxID, tx.now)
	return dbError("record reply", err)
}

// RequestSuspension turns the ticket's ¶32.4 request into a denial of the
// matched account that waits for a security officer's approval (see
// denial_request.go), and leaves the ticket in progress. It returns the
// errors of domain.CheckSuspensionNote ("denial.note_required",
// "helpdesk.note_too_long"), EINVALID "helpdesk.no_account" when no
// account is matched (domain.Ticket.Allows), the denial's errors
// ("denial.exists" …), and the errors of lockTicket and the role check
// (see HelpdeskService).
func (s *HelpdeskService) RequestSuspension(ctx context.Context, id, version int64, note string) error {
	note, err := domain.CheckSuspensionNote(note)
	if err != nil {
		return err
	}
	return s.db.inTx(ctx, "request suspension", func(tx *Tx) error {
		me, err := loadActor(ctx, tx, helpdeskGuard, domain.RoleHelpdesk)
		if err != nil {
			return err
		}
		r, err := lockTicket(ctx, tx, id, version, me, domain.TicketSuspend)
		if err != nil {
			return err
		}
		kind := domain.SubjectPlatformUser
		if r.Account.Kind == "operator" {
			kind = domain.SubjectOperator
		}
		denialID, err := requestDenial(ctx, tx, me.id, kind, r.Account.ID, domain.GroundUserRequest, note,
			"helpdesk ticket "+strconv.FormatInt(id, 10))
		if err != nil {
			return err
		}
		if err := touchTicket(ctx, tx, id, ", state = 'in_progress', category = 'suspension'"); err != nil {
			return err
		}
		return appendAudit(ctx, tx, &domain.AuditEntry{
			Action: domain.AuditHelpdeskSuspension, SubjectKind: "ticket", SubjectID: strconv.FormatInt(id, 10),
			Details: "denial=" + strconv.FormatInt(denialID, 10),
		})
	})
}
