package demodata

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// The helpdesk's mail: what people wrote to stars@viaa.gov.lv over the
// last days, stored by the helpdesk's own ingest, and what Anna Kalniņa
// (helpdesk) did with it. Waiting for the newcomer: a new password-reset
// request of an ordinary account, an incident report, an English
// question, documents sent as an attachment, a question answered back,
// and two privileged resets held for a second person.

// thread is a ticket as the story goes: its id once its first message is
// in.
type thread struct {
	id int64
}

// mailID names a demo message: its tag and the sender's domain.
func mailID(tag, from string) string {
	domainPart := from[strings.LastIndexByte(from, '@')+1:]
	return "demo-" + tag + "@" + domainPart
}

// ingest hands m to the helpdesk as the mail server would and notes the
// ticket it joined or opened in t.
func (w *work) ingest(ctx context.Context, t *thread, m *mimeMail) error {
	m.date = w.story.clock.Add(-3 * time.Minute) // sent a little before it arrived
	raw, err := m.bytes()
	if err != nil {
		return err
	}
	// No actor: the audit log says the mail did it.
	msg, err := storage.NewHelpdeskService(w.wdb).Ingest(domain.WithActor(ctx, domain.Actor{}), raw)
	if err != nil {
		return err
	}
	if msg.ParseError != "" {
		return fmt.Errorf("message %s did not parse: %s", m.id, msg.ParseError)
	}
	if t.id == 0 {
		w.res.Tickets++
	}
	t.id = msg.TicketID
	w.res.Messages++
	return nil
}

// ticketVersion reads the ticket's version as Anna sees it.
func (w *work) ticketVersion(ctx context.Context, t *thread) (int64, error) {
	tk, err := storage.NewHelpdeskService(w.wdb).FindTicket(w.as(ctx, OperatorHelpdesk), t.id)
	if err != nil {
		return 0, err
	}
	return tk.Version, nil
}

// reply has Anna answer the ticket with text, leaving it in state.
func (w *work) reply(ctx context.Context, t *thread, text string, state domain.TicketState) error {
	v, err := w.ticketVersion(ctx, t)
	if err != nil {
		return err
	}
	if err := storage.NewHelpdeskService(w.wdb).Reply(w.as(ctx, OperatorHelpdesk), t.id, v, "helpdesk.reply", "", text, state); err != nil {
		return err
	}
	w.res.Replies++
	return nil
}

// issueReset has Anna press "password reset" on the ticket: a link for an
// ordinary account, a reset held for a second person for a privileged one.
func (w *work) issueReset(ctx context.Context, t *thread) error {
	v, err := w.ticketVersion(ctx, t)
	if err != nil {
		return err
	}
	if err := storage.NewHelpdeskService(w.wdb).IssuePasswordReset(w.as(ctx, OperatorHelpdesk), t.id, v); err != nil {
		return err
	}
	w.res.Replies++
	return nil
}

// lastReplyID is the Message-ID of the helpdesk's latest reply in the
// ticket, which an answer quotes.
func (w *work) lastReplyID(ctx context.Context, t *thread) (string, error) {
	var id string
	err := w.wdb.Pool().QueryRow(ctx, `
		SELECT o.message_id FROM ticket_replies r JOIN outbox o ON o.id = r.outbox_id
		 WHERE r.ticket_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT 1`, t.id).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("read the reply's Message-ID: %w", err)
	}
	return id, nil
}

// quote is text as a reply quotes it.
func quote(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight("> "+l, " ")
	}
	return strings.Join(lines, "\n")
}

// signature ends a message from p.
func signature(p *member) string {
	if p.institution == "" {
		return p.name()
	}
	return p.name() + "\n" + p.institution
}

func (w *work) helpdesk() {
	c := w.cast

	// A question, answered, and answered back with a follow-up.
	if p := c.staff.take(); p != nil {
		t := &thread{}
		subject := "Kā pievienot jaunu mācību programmu Platformā?"
		first := &mimeMail{id: mailID("programma", p.email), from: p.email, fromName: p.name(), subject: subject,
			charset: "utf-8", encoding: "quoted-printable",
			text: "Labdien!\n\nGribu Platformā pievienot mūsu iestādei jaunu pieaugušo izglītības programmu " +
				"„Grāmatvedība iesācējiem” (160 stundas). Sadaļā „Mācību piedāvājums” neredzu pogu " +
				"„Pievienot”. Vai tas jādara iestādes administratoram, vai man trūkst kādu tiesību?\n\nPaldies!\n" + signature(p)}
		answer := "Labdien!\n\nJaunu programmu var pievienot iestādes administrators vai lietotājs, kuram administrators " +
			"piešķīris tiesības „Mācību piedāvājums: labošana”. Lūdzu, vērsieties pie sava iestādes administratora; " +
			"kad tiesības piešķirtas, pārlādējiet lapu, un poga „Pievienot” būs redzama."
		w.at(3*day, "mail: a question", func(ctx context.Context) error { return w.ingest(ctx, t, first) })
		w.at(3*day-3*hour, "helpdesk: the answer", func(ctx context.Context) error {
			return w.reply(ctx, t, answer, domain.TicketWaiting)
		})
		w.at(1*day+2*hour, "mail: the answer back", func(ctx context.Context) error {
			ours, err := w.lastReplyID(ctx, t)
			if err != nil {
				return err
			}
			back := &mimeMail{id: mailID("programma-2", p.email), inReplyTo: ours, refs: []string{first.id, ours},
				from: p.email, fromName: p.name(), subject: "Re: " + subject, charset: "utf-8", encoding: "base64",
				text: "Paldies, administrators tiesības piešķīra, un poga tagad ir redzama. Taču, saglabājot " +
					"programmu, parādās kļūda „Norādiet programmas līmeni”, lai gan līmenis ir izvēlēts " +
					"(LKI 4). Ko darīt?\n\n" + p.name() + "\n\n" + quote(answer)}
			return w.ingest(ctx, t, back)
		})
	}

	// An ordinary account forgot its password: new, for the newcomer.
	if p := c.staff.take(); p != nil {
		t := &thread{}
		m := &mimeMail{id: mailID("parole", p.email), from: p.email, fromName: p.name(), subject: "Aizmirsu paroli",
			charset: "windows-1257", encoding: "8bit",
			text: "Labdien,\n\naizmirsu savu Platformas paroli un nevaru pieslēgties. Mans lietotājvārds ir šī e-pasta " +
				"adrese. Lūdzu palīdzēt atjaunot piekļuvi.\n\nAr cieņu\n" + signature(p)}
		w.at(5*hour, "mail: a password reset request", func(ctx context.Context) error { return w.ingest(ctx, t, m) })
	}

	// Another one, whose link Anna sent: the thread records the mail,
	// never the link.
	if p := c.staff.take(); p != nil {
		t := &thread{}
		m := &mimeMail{id: mailID("pieslegties", p.email), from: p.email, fromName: p.name(),
			subject: "Nevaru pieslēgties Platformai", charset: "utf-8", encoding: "quoted-printable",
			text: "Labdien!\n\nMēģinu pieslēgties, bet Platforma saka, ka parole nav pareiza. Lūdzu palīdzēt.\n\n" + signature(p)}
		w.at(2*day+5*hour, "mail: a second password reset request", func(ctx context.Context) error { return w.ingest(ctx, t, m) })
		w.at(2*day+4*hour, "helpdesk: a reset link", func(ctx context.Context) error { return w.issueReset(ctx, t) })
	}

	// An institution's administrator: the reset waits for a second person.
	if p := c.admins.take(); p != nil {
		t := &thread{}
		m := &mimeMail{id: mailID("admin-parole", p.email), from: p.email, fromName: p.name(),
			subject: "Lūdzu atiestatīt paroli: iestādes administrators", charset: "iso-8859-13", encoding: "quoted-printable",
			text: "Labdien!\n\nMan ir iestādes „" + p.institution + "” administratora tiesības Platformā. Pēc atvaļinājuma mana parole vairs " +
				"neder, un pieslēgties nevaru. Lūdzu atiestatīt paroli, lai varu apstiprināt jaunos darbiniekus, kuri " +
				"gaida kopš pirmdienas.\n\n" + signature(p)}
		w.at(1*day+2*hour, "mail: an administrator's password", func(ctx context.Context) error { return w.ingest(ctx, t, m) })
		w.at(1*day+1*hour, "helpdesk: the administrator's reset, held", func(ctx context.Context) error {
			if err := w.issueReset(ctx, t); err != nil {
				return err
			}
			w.res.PendingResets++
			return nil
		})
	}

	// A back-office operator: held too, for a one-time code.
	reviewer := w.staff[OperatorReviewer]
	{
		t := &thread{}
		from := reviewer.name + staffDomain
		m := &mimeMail{id: mailID("operatora-parole", from), from: from, fromName: reviewer.full,
			subject: "Aizmirsu back office paroli", charset: "utf-8", encoding: "8bit",
			text: "Sveika, Anna!\n\nPēc atvaļinājuma neatceros savu back office paroli, un SSH atslēga palika vecajā " +
				"datorā. Vai vari, lūdzu, izsniegt vienreizējo kodu?\n\nJānis"}
		w.at(20*hour, "mail: an operator's password", func(ctx context.Context) error { return w.ingest(ctx, t, m) })
		w.at(19*hour, "helpdesk: the operator's reset, held", func(ctx context.Context) error {
			if err := w.issueReset(ctx, t); err != nil {
				return err
			}
			w.res.PendingResets++
			return nil
		})
	}

	// A person asks for their account to be suspended (¶32.4): Anna
	// passes it on to security, where it waits for an officer.
	if p := c.viss.take(); p != nil {
		t := &thread{}
		m := &mimeMail{id: mailID("apturet", p.email), from: p.email, fromName: p.name(),
			subject: "Lūdzu apturēt manu kontu", charset: "windows-1257", encoding: "base64",
			text: "Labdien!\n\nUz trim mēnešiem dodos strādāt uz ārzemēm un Platformu neizmantošu. Lūdzu apturēt manu " +
				"kontu, līdz atgriezīšos; tad pieteikšos atkal.\n\n" + p.name()}
		w.at(2*day+3*hour, "mail: a suspension request", func(ctx context.Context) error { return w.ingest(ctx, t, m) })
		w.at(2*day+1*hour, "helpdesk: the suspension, to security", func(ctx context.Context) error {
			v, err := w.ticketVersion(ctx, t)
			if err != nil {
				return err
			}
			err = storage.NewHelpdeskService(w.wdb).RequestSuspension(w.as(ctx, OperatorHelpdesk), t.id, v,
				"Persona pati lūdz apturēt piekļuvi uz laiku, kamēr strādā ārzemēs (¶32.4). Vēstule no apstiprinātās e-pasta adreses.")
			if err != nil {
				return err
			}
			w.res.Denials++
			return nil
		})
	}

	// An incident report, sent as HTML only.
	if p := c.admins.take(); p != nil {
		t := &thread{}
		m := &mimeMail{id: mailID("pikskeresana", p.email), from: p.email, fromName: p.name(),
			subject: "Aizdomīgs e-pasts — iespējama pikšķerēšana", charset: "utf-8", encoding: "quoted-printable", html: true,
			text: "<html><head><style>p { margin: 0 0 1em }</style></head><body>\n<p>Labdien!</p>\n" +
				"<p>Vairāki mūsu darbinieki šorīt saņēma e-pastu it kā no <b>VIAA</b> ar aicinājumu &bdquo;atjaunot " +
				"Platformas kontu&ldquo; pa saiti <a href=\"https://viaa-platforma.example.com/login\">viaa-platforma.example.com</a>. " +
				"Lapa izskatās pēc Platformas pieslēgšanās lapas.</p>\n" +
				"<p>Viena kolēģe paspēja ievadīt savu e-pasta adresi un paroli. Ko mums tagad darīt?</p>\n" +
				"<p>Ar cieņu,<br>\n" + strings.ReplaceAll(signature(p), "\n", "<br>\n") + "</p>\n</body></html>"}
		w.at(6*hour, "mail: an incident report", func(ctx context.Context) error { return w.ingest(ctx, t, m) })
	}

	// Documents a career consultant was asked for, attached.
	if p := c.consultants.take(); p != nil {
		t := &thread{}
		m := &mimeMail{id: mailID("dokumenti", p.email), from: p.email, fromName: p.name(),
			subject: "Dokumenti karjeras konsultanta lomai", charset: "utf-8", encoding: "quoted-printable",
			text: "Labdien!\n\nPielikumā nosūtu izglītības iestādes apliecinājumu par darba attiecībām, ko pieprasījāt " +
				"pie mana karjeras konsultanta pieteikuma. Lūdzu pievienot to pieteikumam.\n\n" + p.name(),
			attach: &mailAttachment{name: "Apliecinajums.pdf", mediaType: "application/pdf",
				data: demoPDF("Apliecinajums par darba attiecibam")}}
		w.at(4*hour, "mail: documents", func(ctx context.Context) error { return w.ingest(ctx, t, m) })
	}

	// A question in English from someone without an account.
	{
		t := &thread{}
		from := "marek.novak@example.com"
		m := &mimeMail{id: mailID("imk-question", from), from: from, fromName: "Marek Novák",
			subject: "How do I apply for an individual learning account?", charset: "utf-8", encoding: "quoted-printable",
			text: "Hello,\n\nI moved to Riga last year and work here as a welder. How do I apply for an individual " +
				"learning account (IMK)? Do I need a Latvian personal code, or is my residence permit enough?\n\n" +
				"Thank you,\nMarek"}
		w.at(3*hour, "mail: a question in English", func(ctx context.Context) error { return w.ingest(ctx, t, m) })
	}

	// An older question, answered and resolved.
	if p := c.staff.take(); p != nil {
		t := &thread{}
		m := &mimeMail{id: mailID("grupa", p.email), from: p.email, fromName: p.name(),
			subject: "Kur redzams mācību grupas saraksts?", charset: "iso-8859-13", encoding: "base64",
			text: "Labdien!\n\nKur Platformā var redzēt, kuri klienti pieteikušies mūsu kursam „Latviešu valoda " +
				"darbam” rudens grupā?\n\n" + signature(p)}
		w.at(9*day, "mail: an older question", func(ctx context.Context) error { return w.ingest(ctx, t, m) })
		w.at(8*day+20*hour, "helpdesk: its answer", func(ctx context.Context) error {
			return w.reply(ctx, t, "Labdien!\n\nSarakstu redzēsiet sadaļā „Mācību piedāvājums” → kurss → „Pieteikušies”. "+
				"Tur to var arī lejupielādēt.", domain.TicketResolved)
		})
	}
}
