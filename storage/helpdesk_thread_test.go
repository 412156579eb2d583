package storage_test

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/mailsend"
	"github.com/viaa/ppp/storage/pgtest"
)

// TestHelpdesk_Ingest_StrangerReferencingOthersMessages_StartsOwnTicket:
// a stranger lists, in In-Reply-To and References, the Message-ID of
// someone's mail and the Message-IDs our replies would have if they were
// numbered (outbox-1…outbox-50). The mail must not join, or reopen, the
// other person's ticket: it starts one of its own.
func TestHelpdesk_Ingest_StrangerReferencingOthersMessages_StartsOwnTicket(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	raw1, mid1 := rawMail("peteris@example.lv", "Question", "How do I sign in?")
	m1 := e.ingest(t, raw1)
	ctx := as(t, e.anna)
	tk := e.claim(t, ctx, m1.TicketID)
	if err := e.svc.Reply(ctx, tk.ID, tk.Version, "helpdesk.reply", "", "Use the portal.", domain.TicketResolved); err != nil {
		t.Fatal(err)
	}
	before := e.ticket(t, m1.TicketID)

	var guesses []string
	for i := 1; i <= 50; i++ {
		guesses = append(guesses, fmt.Sprintf("<outbox-%d@ppp.viaa.gov.lv>", i))
	}
	raw, _ := rawMail("eve@example.com", "Re: Question", "Please send the reset link to this address instead.",
		"In-Reply-To: <"+mid1+">", "References: <"+mid1+"> "+strings.Join(guesses, " "))
	m := e.ingest(t, raw)
	if m.TicketID == m1.TicketID {
		t.Fatal("a stranger's mail joined someone else's ticket")
	}
	after := e.ticket(t, m1.TicketID)
	if after.State != domain.TicketResolved || len(after.Messages) != len(before.Messages) || after.Version != before.Version {
		t.Errorf("the other ticket changed: state %s, %d messages (was %s, %d)", after.State, len(after.Messages), before.State, len(before.Messages))
	}
	if own := e.ticket(t, m.TicketID); own.From != "eve@example.com" || own.State != domain.TicketNew {
		t.Errorf("the stranger's own ticket: from %q state %s", own.From, own.State)
	}
}

// TestHelpdesk_Ingest_SenderReplyingToOurReply_Threads: the person the
// ticket is about answers our reply, naming its Message-ID, from the same
// address written differently (case, display name): the mail joins the
// ticket and reopens it.
func TestHelpdesk_Ingest_SenderReplyingToOurReply_Threads(t *testing.T) {
	t.Parallel()
	e := newHDEnv(t)
	raw1, _ := rawMail("peteris@example.lv", "Question", "How do I sign in?")
	m1 := e.ingest(t, raw1)
	ctx := as(t, e.anna)
	tk := e.claim(t, ctx, m1.TicketID)
	if err := e.svc.Reply(ctx, tk.ID, tk.Version, "helpdesk.reply", "", "Use the portal.", domain.TicketResolved); err != nil {
		t.Fatal(err)
	}
	ours := outboxMessageID(t, e, e.mailsTo(t, "peteris@example.lv")[0].ID)
	raw, _ := rawMail(`"Pēteris" <Peteris@EXAMPLE.lv>`, "Re: Question", "It did not work.", "References: <"+ours+">")
	if m := e.ingest(t, raw); m.TicketID != m1.TicketID {
		t.Fatalf("the sender's answer to our reply opened ticket %d, want %d", m.TicketID, m1.TicketID)
	}
	if got := e.ticket(t, m1.TicketID); got.State != domain.TicketInProgress || len(got.Messages) != 3 {
		t.Errorf("state %s, %d messages; want in_progress, 3", got.State, len(got.Messages))
	}
	// The same reference from another address starts a ticket of its own.
	raw, _ = rawMail("eve@example.com", "Re: Question", "Me too.", "References: <"+ours+">")
	if m := e.ingest(t, raw); m.TicketID == m1.TicketID {
		t.Error("another sender naming our reply joined the ticket")
	}
}

// outboxMessageID is the Message-ID, without brackets, the outbox gives
// message id.
func outboxMessageID(t *testing.T, e *hdEnv, id int64) string {
	t.Helper()
	var mid string
	if err := e.db.Pool().QueryRow(t.Context(), `SELECT message_id FROM outbox WHERE id = $1`, id).Scan(&mid); err != nil {
		t.Fatal(err)
	}
	return mid
}

// flakySender writes each message as a .eml file, the way the Files
// sender does, but reports failure the first time (as if the server's
// answer was lost), so that the message is sent again.
type flakySender struct {
	files *mailsend.Files
	tries map[int64]int
	ids   map[int64][]string // the Message-ID header of each attempt
}

func (f *flakySender) Send(ctx context.Context, m *domain.Mail) error {
	if err := f.files.Send(ctx, m); err != nil {
		return err
	}
	raw, err := os.ReadFile(f.files.Path(m.ID))
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return err
	}
	f.ids[m.ID] = append(f.ids[m.ID], msg.Header.Get("Message-ID"))
	f.tries[m.ID]++
	if f.tries[m.ID] == 1 {
		return errors.New("421 connection lost after DATA")
	}
	return nil
}

var unguessableID = regexp.MustCompile(`^<[0-9a-f]{40}@ppp\.viaa\.gov\.lv>$`)

// TestOutbox_MessageID_UnguessableAndSameOnEveryAttempt: the Message-ID
// of our mail carries 160 random bits (not the row number), and
// every attempt at one message carries the same.
func TestOutbox_MessageID_UnguessableAndSameOnEveryAttempt(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ids := enqueueOutbox(t, db, 3)
	sender := &flakySender{files: mailsend.NewFiles(t.TempDir()), tries: map[int64]int{}, ids: map[int64][]string{}}
	w := storage.NewOutboxWorker(db, sender, storage.OutboxOptions{BackoffBase: time.Millisecond, BackoffLimit: time.Millisecond})
	for range 3 {
		time.Sleep(5 * time.Millisecond) // past the retry's next_try_at
		if _, _, err := w.DeliverDue(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, id := range ids {
		got := sender.ids[id]
		if len(got) != 2 || got[0] != got[1] {
			t.Fatalf("message %d: Message-IDs of its attempts %q, want two equal", id, got)
		}
		if !unguessableID.MatchString(got[0]) || strings.Contains(got[0], fmt.Sprintf("-%d@", id)) {
			t.Errorf("message %d: Message-ID %q is not 160 random bits in hex", id, got[0])
		}
		if seen[got[0]] {
			t.Errorf("Message-ID %q used twice", got[0])
		}
		seen[got[0]] = true
	}
}
