package domain

import (
	"context"
	"time"
)

// Mail is an e-mail in the transactional outbox: written in the same
// transaction as the decision it tells about, delivered later by a worker,
// at most once from the database's point of view, every attempt under
// the same MessageID.
type Mail struct {
	ID int64
	// MessageID is the message's Message-ID without angle brackets:
	// random, chosen when the message is written, the same on every
	// attempt.
	MessageID string
	To        string
	Lang      string // "lv" or "en"
	Template  string // e.g. "rolerequest.approved"
	Subject   string
	Body      string // plain text, UTF-8
	CreatedAt time.Time
	State     string // "pending", "sent", "failed"
	Attempts  int
	NextTry   time.Time
	SentAt    time.Time
	LastError string // without personal data
}

// MailSender delivers one message. Implementations: SMTP, and .eml files
// in the data folder when no SMTP server is configured.
type MailSender interface {
	// Send delivers m; an error means it may be tried again later.
	Send(ctx context.Context, m *Mail) error
}
