package storage

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/mailtmpl"
)

// announcementTimeLayout is how an e-mail tells a downtime's start and end,
// in Latvian time.
const announcementTimeLayout = "02.01.2006 15:04"

// QueueAnnouncementMails writes to the outbox the e-mails of every
// published announcement whose batches are not all written yet (a
// PublishAnnouncement that was interrupted), a batch per transaction, and
// returns how many it wrote. Any number of processes may run it at once:
// each batch locks its announcement, and the position it resumes from is
// stored with it. Run it at start-up and now and then (the outbox
// worker's rhythm is enough). It returns EUNAVAILABLE when the database
// does not answer, or ctx's error.
func (s *AnnouncementService) QueueAnnouncementMails(ctx context.Context) (int, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT id FROM announcements WHERE mail_state = 'pending' ORDER BY id`)
	if err != nil {
		return 0, dbError("find announcements to e-mail", err)
	}
	var ids []int64
	var id int64
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, dbError("find announcements to e-mail", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return 0, dbError("find announcements to e-mail", err)
	}
	total := 0
	for _, id := range ids {
		n, err := s.queueMails(ctx, id)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// queueMails writes the remaining batches of one announcement's e-mails,
// each in its own transaction, and returns how many mails it wrote.
func (s *AnnouncementService) queueMails(ctx context.Context, id int64) (int, error) {
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		var n int
		var done bool
		err := s.db.inTx(ctx, "e-mail announcement", func(tx *Tx) error {
			var err error
			if n, done, err = s.mailBatch(ctx, tx, id); err != nil {
				return err
			}
			if n == 0 {
				return nil
			}
			return Notify(ctx, tx, announcementTopic, idText(id))
		})
		if err != nil {
			return total, err
		}
		total += n
		if done {
			return total, nil
		}
	}
}

// mailBatch writes, inside tx, the next batch of an announcement's e-mails
// to the outbox: first one to each Platform user after the stored
// position, by id, whose address is confirmed, whose access is not denied
// and who (for an audience of roles) holds one of the roles now; then,
// for an announcement to everyone (¶23), one to each living IMK client who
// is no Platform user (a person with an active IMK application and no
// account, at the address of their latest application), by person id — a
// person who is both gets the user's mail only. It returns how many it
// wrote and whether none remain. An announcement not waiting for mails
// (never e-mailed, done, or withdrawn meanwhile) writes nothing and
// counts as done.
func (s *AnnouncementService) mailBatch(ctx context.Context, tx *Tx, id int64) (int, bool, error) {
	var a domain.Announcement
	var kind, mailState string
	var starts, ends *time.Time
	var after, afterPerson int64
	var usersDone bool
	err := tx.QueryRow(ctx, `
		SELECT kind, title, body, audience, starts_at, ends_at, services, mail_state, mail_after_user,
		       mail_users_done, mail_after_person
		  FROM announcements
		 WHERE id = $1 AND state = 'published'
		   FOR UPDATE`, id).Scan(&kind, &a.Title, &a.Body, &a.Audience, &starts, &ends, &a.Services, &mailState, &after,
		&usersDone, &afterPerson)
	if isNoRows(err) {
		return 0, true, nil
	}
	if err != nil {
		return 0, false, dbError("read announcement", err)
	}
	if mailState != "pending" {
		return 0, true, nil
	}
	a.Kind, a.StartsAt, a.EndsAt = domain.AnnouncementKind(kind), utcOrZero(starts), utcOrZero(ends)

	batch := s.MailBatch
	if batch <= 0 {
		batch = defaultMailBatch
	}
	var rows pgx.Rows
	if !usersDone {
		rows, err = tx.Query(ctx, `
			SELECT u.id, u.email
			  FROM platform_users u
			 WHERE u.id > $1 AND u.email_confirmed AND NOT u.sign_in_denied
			   AND (cardinality($2::text[]) = 0 OR EXISTS (
			        SELECT FROM role_assignments r
			         WHERE r.user_id = u.id AND r.role = ANY ($2::text[]) AND r.ended_at IS NULL
			           AND r.valid_from <= $3 AND r.valid_until > $3))
			 ORDER BY u.id
			 LIMIT $4`, after, a.Audience, tx.now, batch)
	} else {
		rows, err = tx.Query(ctx, `
			SELECT p.id, a.email
			  FROM persons p
			  JOIN LATERAL (SELECT a.email, a.state FROM imk_applications a
			                 WHERE a.person_id = p.id
			                 ORDER BY a.applied_at DESC, a.id DESC LIMIT 1) a ON a.state = ANY ($2::text[])
			 WHERE p.id > $1 AND p.deceased_on IS NULL
			   AND NOT EXISTS (SELECT FROM platform_users u WHERE u.person_id = p.id)
			 ORDER BY p.id
			 LIMIT $3`, afterPerson, imkActiveStates, batch)
	}
	if err != nil {
		return 0, false, dbError("find the announcement's recipients", err)
	}
	var to []string
	seen := map[string]bool{}
	users := 0
	var recipient int64
	var email string
	for rows.Next() {
		if err := rows.Scan(&recipient, &email); err != nil {
			rows.Close()
			return 0, false, dbError("find the announcement's recipients", err)
		}
		users++
		if usersDone {
			afterPerson = recipient
		} else {
			after = recipient
		}
		email = strings.TrimSpace(email)
		// An address the outbox would refuse is skipped rather than
		// holding up everyone else's mail.
		if domain.ValidateEmail(email) != nil || seen[strings.ToLower(email)] {
			continue
		}
		seen[strings.ToLower(email)] = true
		to = append(to, email)
	}
	if err := rows.Err(); err != nil {
		return 0, false, dbError("find the announcement's recipients", err)
	}
	done := users < batch
	// The users are done: an announcement to everyone goes on to the IMK
	// clients; one to roles is done (IMK clients hold no role).
	if done && !usersDone && len(a.Audience) == 0 {
		usersDone, done = true, false
	}

	if len(to) > 0 {
		template, data := announcementMail(&a)
		subject, body, err := mailtmpl.Render(mailLang, template, data)
		if err != nil {
			return 0, false, joinf("e-mail announcement", &domain.Error{Code: domain.EINTERNAL, Message: "the mail could not be written"}, err)
		}
		// One statement for the batch: the message is the same for all.
		_, err = tx.Exec(ctx, `
			INSERT INTO outbox (created_at, to_addr, lang, template, subject, body)
			SELECT $1, addr, $2, $3, $4, $5 FROM unnest($6::text[]) AS addr`,
			tx.now, mailtmpl.Language(mailLang), template, subject, body, to)
		if err != nil {
			return 0, false, dbError("e-mail announcement", err)
		}
	}
	_, err = tx.Exec(ctx, `
		UPDATE announcements
		   SET mail_after_user = $2, mail_queued = mail_queued + $3,
		       mail_state = CASE WHEN $4 THEN 'done' ELSE 'pending' END,
		       mail_users_done = $5, mail_after_person = $6
		 WHERE id = $1`, id, after, len(to), done, usersDone, afterPerson)
	if err != nil {
		return 0, false, dbError("record the announcement's e-mails", err)
	}
	return len(to), done, nil
}

// announcementMail returns the template and the data of an announcement's
// e-mail.
func announcementMail(a *domain.Announcement) (string, map[string]string) {
	data := map[string]string{"title": a.Title, "body": a.Body}
	if a.Kind != domain.AnnouncementDowntime {
		return "announcement.news", data
	}
	data["starts_at"] = a.StartsAt.In(rigaTime()).Format(announcementTimeLayout)
	data["ends_at"] = a.EndsAt.In(rigaTime()).Format(announcementTimeLayout)
	data["services"] = a.Services
	return "announcement.downtime", data
}
