package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/domain/plain"
	"github.com/viaa/ppp/storage"
)

// runPerson implements `ppp person export CODE|--id ID --reason R
// [--format json|text] --as OPERATOR [--password-stdin]`: everything held
// about the person (GDPR Art. 15) on standard output, acting as a
// security officer who proves it with their password.
func (m *Main) runPerson(ctx context.Context, args []string) error {
	fs := m.flags("person")
	reason := fs.String("reason", "", "")
	format := fs.String("format", "text", "")
	id := fs.String("id", "", "")
	op := addOperatorFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || pos[0] != "export" || len(pos) > 2 || (len(pos) == 2) == (*id != "") {
		fmt.Fprintln(m.Stderr, m.cat.T("cli.help.person"))
		return errUsageShown
	}
	var ref domain.PersonRef
	if *id != "" {
		n, err := strconv.ParseInt(*id, 10, 64)
		if err != nil || n <= 0 {
			return usageError{m.cat.T("cli.person.bad_id", *id)}
		}
		ref.ID = n
	} else {
		ref.Code = pos[1]
	}
	if *format != "json" && *format != "text" {
		return usageError{m.cat.T("cli.person.bad_format", *format)}
	}
	if !op.given() {
		return usageError{m.cat.T("cli.as.needed")}
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	if ctx, err = m.actAsOperator(cliContext(ctx), db, op); err != nil {
		return err
	}
	x, err := storage.NewPersonExporter(db).ExportPerson(ctx, ref, *reason)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(x)
	}
	return writePersonExportText(m.Stdout, i18n.For(i18n.LV), x)
}

// lvTime and lvDate write t the Latvian way, in the Agency's time zone:
// 07.12.2026 05:24.
func lvTime(t time.Time) string { return t.In(domain.AgencyZone).Format("02.01.2006 15:04") }
func lvDate(t time.Time) string { return t.In(domain.AgencyZone).Format("02.01.2006") }

// registerFields are the words of a register answer's field names.
var registerFields = map[string]string{
	"first_name": "pex.r.first_name", "last_name": "pex.r.last_name", "birth_date": "pex.r.birth_date",
	"resident": "pex.r.resident", "municipality": "pex.r.municipality", "deceased_on": "pex.r.deceased_on",
	"employer": "pex.r.employer", "self_employed": "pex.r.self_employed", "from": "pex.r.from", "until": "pex.r.until",
	"highest_lki": "pex.r.highest_lki", "studying": "pex.r.studying",
}

// accessKinds are the words of the kinds of staff access.
var accessKinds = map[string]string{
	domain.AccessView: "pex.a.view", domain.AccessReveal: "pex.a.reveal", domain.AccessExport: "pex.a.export",
}

// writePersonExportText writes x for the person to read: a heading per
// section, Latvian dates, and every stored value made plain (one line;
// a message's body keeps its line breaks, each line indented), so that
// nothing stored can move the text about or reach the reader's terminal.
func writePersonExportText(w io.Writer, cat i18n.Catalog, x *domain.PersonExport) error {
	var b strings.Builder
	line := func(indent int, s string) { b.WriteString(strings.Repeat("  ", indent) + s + "\n") }
	v := plain.Line
	named := func(key, stored string) string {
		if cat.Has(key) {
			return cat.T(key)
		}
		return v(stored)
	}
	yes := func(ok bool) string {
		if ok {
			return cat.T("pex.yes")
		}
		return cat.T("pex.no")
	}
	head := func(key string) {
		b.WriteString("\n" + cat.T(key) + "\n" + strings.Repeat("=", len([]rune(cat.T(key)))) + "\n")
	}

	line(0, cat.T("pex.title"))
	line(0, cat.T("pex.made", lvTime(x.MadeAt), v(x.MadeBy)))
	line(0, cat.T("pex.reason", v(x.Reason)))

	id := x.Identity
	head("pex.s.identity")
	line(0, cat.T("pex.f.code", v(id.PersonalCode)))
	if len(id.OtherCodes) > 0 {
		old := make([]string, len(id.OtherCodes))
		for i, c := range id.OtherCodes {
			old[i] = v(c)
		}
		line(0, cat.T("pex.f.old_codes", strings.Join(old, ", ")))
	}
	line(0, cat.T("pex.f.name", v(strings.TrimSpace(id.FirstName+" "+id.LastName))))
	line(0, cat.T("pex.f.language", v(id.Language)))
	line(0, cat.T("pex.f.created", lvDate(id.CreatedAt)))
	if id.LastDeathCheck != nil {
		line(0, cat.T("pex.f.death", lvDate(*id.LastDeathCheck)))
	}
	if id.DeceasedOn != nil {
		line(0, cat.T("pex.f.deceased", lvDate(*id.DeceasedOn)))
	}

	head("pex.s.account")
	if a := x.Account; a != nil {
		line(0, cat.T("pex.f.user", strconv.FormatInt(a.UserID, 10), v(a.Kind), lvDate(a.CreatedAt)))
		line(0, cat.T("pex.f.email", v(a.Email), yes(a.EmailConfirmed)))
		line(0, cat.T("pex.f.denied", yes(a.SignInDenied)))
	} else {
		line(0, cat.T("pex.none"))
	}
	head("pex.s.addresses")
	if len(x.Addresses) == 0 {
		line(0, cat.T("pex.none"))
	}
	for _, a := range x.Addresses {
		line(0, v(a))
	}

	rules := func(depth int, rs []domain.ExportRule) {
		for _, r := range rs {
			line(depth, cat.T("pex.e.rule", named("tui.imk.rule."+r.Rule, r.Rule), named("tui.imk.verdict."+r.Verdict, r.Verdict),
				v(cat.Evidence(r.Evidence))))
		}
	}
	registerData := func(depth int, snaps []domain.ExportSnapshot) {
		for _, sn := range snaps {
			line(depth, cat.T("pex.e.register", named("imk.register."+sn.Register, sn.Register), lvTime(sn.FetchedAt)))
			switch {
			case !sn.Answered:
				line(depth+1, cat.T("pex.e.no_answer"))
			case !sn.Found:
				line(depth+1, cat.T("pex.e.not_found"))
			}
			for _, f := range sn.Fields {
				val := v(f.Value)
				if f.Value == "true" || f.Value == "false" {
					val = yes(f.Value == "true")
				}
				line(depth+1, named(registerFields[f.Name], f.Name)+": "+val)
			}
		}
	}

	type sec struct {
		key         string
		entries     []domain.ExportEntry
		kind, state string // catalog prefixes of the entries' kinds and states; "" leaves the value as stored
	}
	secs := []sec{
		{"pex.s.contact", x.ContactHistory, "", ""},
		{"pex.s.requests", x.Requests, "tui.rr.kind.", "tui.rr.state."},
		{"pex.s.roles", x.Roles, "tui.prole.", ""},
		{"pex.s.imk", x.IMK, "tui.imk.outcome.", "tui.imk.state."},
		{"pex.s.terms", x.Acceptances, "", ""},
		{"pex.s.denials", x.Denials, "tui.den.ground.", "tui.den.state."},
		{"pex.s.tickets", x.Tickets, "tui.hd.cat.", "tui.hd.state."},
		{"pex.s.mail", x.Mail, "", ""},
		{"pex.s.signins", x.SignIns, "", ""},
	}
	for _, s := range secs {
		head(s.key)
		if len(s.entries) == 0 {
			line(0, cat.T("pex.none"))
		}
		for _, e := range s.entries {
			parts := []string{lvTime(e.At)}
			if e.Kind != "" {
				if s.kind != "" {
					parts = append(parts, named(s.kind+e.Kind, e.Kind))
				} else {
					parts = append(parts, v(e.Kind))
				}
			}
			if e.State != "" {
				if s.state != "" {
					parts = append(parts, named(s.state+e.State, e.State))
				} else {
					parts = append(parts, v(e.State))
				}
			}
			if e.Text != "" {
				parts = append(parts, v(e.Text))
			}
			line(0, "- "+strings.Join(parts, " · "))
			if e.Note != "" {
				line(1, cat.T("pex.e.note", v(e.Note)))
			}
			if e.Until != nil {
				line(1, cat.T("pex.e.until", lvTime(*e.Until)))
			}
			if e.By != "" {
				line(1, cat.T("pex.e.by", v(e.By)))
			}
			if e.DecidedBy != "" {
				line(1, cat.T("pex.e.decided_by", v(e.DecidedBy)))
			}
			if len(e.Effects) > 0 {
				line(1, cat.T("pex.e.effects", v(strings.Join(e.Effects, ", "))))
			}
			for _, d := range e.Documents {
				line(1, cat.T("pex.e.document", v(d.Name), v(d.MediaType), strconv.FormatInt(d.Size, 10), v(d.SHA256)))
			}
			if len(e.Decisions) == 0 {
				rules(1, e.Rules)
				registerData(1, e.RegisterData)
			}
			for _, d := range e.Decisions {
				line(1, cat.T("pexd.decision", lvTime(d.At), named("tui.imk.state."+d.State, d.State)))
				if d.DecidedBy != "" {
					line(2, cat.T("pex.e.decided_by", v(d.DecidedBy)))
				} else {
					line(2, cat.T("pexd.automatic"))
				}
				if d.Reason != "" {
					line(2, cat.T("pexd.reason", named(d.Reason, d.Reason)))
				}
				if d.PolicyVersion > 0 {
					line(2, cat.T("pexd.policy", strconv.Itoa(d.PolicyVersion)))
				}
				rules(2, d.Rules)
				registerData(2, d.RegisterData)
			}
			for _, msg := range e.Messages {
				if msg.In {
					line(1, cat.T("pex.e.msg_in", v(msg.From), lvTime(msg.At), v(msg.Subject)))
				} else {
					line(1, cat.T("pex.e.msg_out", v(msg.From), lvTime(msg.At)))
				}
				for _, l := range strings.Split(plain.Text(msg.Body), "\n") {
					line(2, l)
				}
			}
		}
	}
	head("pex.s.access")
	if len(x.StaffAccess) == 0 {
		line(0, cat.T("pex.none"))
	}
	for _, a := range x.StaffAccess {
		s := "- " + lvTime(a.At) + " · " + v(a.Operator) + " · " + named(accessKinds[a.Kind], a.Kind)
		if a.Reason != "" {
			s += " · " + v(a.Reason)
		}
		line(0, s)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
