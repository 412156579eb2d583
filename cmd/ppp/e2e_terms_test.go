package main_test

// End-to-end test of the terms of use (issue 6, "Must show"): one editor
// drafts a new version from the version in force and submits it, a
// second editor approves and publishes it; the new version is then in
// force and announced. Two real SSH sessions with PTYs on the built
// binary and a real PostgreSQL database; the first version in force is
// written straight through storage.TermsService, as two editors would.

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// The editors' terminal.
const (
	termsCols = 100
	termsRows = 30
)

// The two editors, with Latvian letters in their names.
const (
	marisName     = "maris.ozols"
	marisFullName = "Māris Ozols"
	ineseName     = "inese.klavina"
	ineseFullName = "Inese Kļaviņa"
)

// The version in force when the test starts.
const (
	termsV1Number  = "2026-1"
	termsV1Title   = "Prasmju pārvaldības platformas lietošanas noteikumi"
	termsV1Summary = "Pirmā redakcija."
	termsV1Text    = "Prasmju pārvaldības platformas lietošanas noteikumi\n" +
		"\n" +
		"1. Noteikumi nosaka, kā lietotāji izmanto Prasmju pārvaldības platformu.\n" +
		"2. Lietotājs sniedz patiesas ziņas un rūpējas par to pareizību.\n" +
		"3. Lietotājs neizpauž savus pieejas datus citām personām.\n" +
		"4. Pārzinis apstrādā personas datus tikai Platformas darbības nodrošināšanai.\n"
)

// What the first editor types.
const (
	termsV2Number  = "2026-2"
	termsV2Title   = "Grozītie lietošanas noteikumi — ārēja piekļuve un ķēžu drošība"
	termsV2Line    = "42. Lietotājs apņemas ievērot šos noteikumus."
	termsV2Summary = "Papildināts 42. punkts: lietotājs apņemas ievērot noteikumus; precizēts nosaukums."
)

// Keys as a terminal sends them.
const (
	keyEnter   = "\r"
	keyEsc     = "\x1b"
	keyCtrlS   = "\x13"
	keyCtrlU   = "\x15"
	keyCtrlEnd = "\x1b[1;5F"
)

// publishFirstTerms writes the version in force the test starts from:
// drafted and submitted by drafter, approved and published by approver,
// through storage.TermsService in the instance's database. It returns
// the version's id.
func publishFirstTerms(t *testing.T, in *instance, drafterID, approverID int64, drafter, approver string) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	db, err := storage.Open(ctx, in.dbURL)
	if err != nil {
		t.Fatalf("open the test's database: %v", err)
	}
	defer db.Close()
	svc := storage.NewTermsService(db)
	as := func(id int64, name string) context.Context {
		return domain.WithActor(ctx, domain.Actor{
			OperatorID: id, Name: name, RemoteAddr: "192.0.2.61:40000", SessionID: "e2e-terms-setup-" + name,
		})
	}
	dctx := as(drafterID, drafter)
	v, err := svc.StartTermsDraft(dctx, termsV1Number, termsV1Title)
	if err != nil {
		t.Fatalf("start the first version: %v", err)
	}
	v.Text, v.Summary = termsV1Text, termsV1Summary
	if err := svc.SaveTermsDraft(dctx, v); err != nil {
		t.Fatalf("save the first version: %v", err)
	}
	if err := svc.SubmitTermsDraft(dctx, v.ID, v.Version); err != nil {
		t.Fatalf("submit the first version: %v", err)
	}
	if err := svc.ApproveAndPublish(as(approverID, approver), v.ID); err != nil {
		t.Fatalf("publish the first version: %v", err)
	}
	return v.ID
}

// openTerms opens a 100×30 terminal for op on client, waits for the
// dashboard, switches to the terms screen (the second screen of an
// operator who is only an editor) and waits until ok accepts it.
func openTerms(t *testing.T, client *ssh.Client, op *operator, what string, ok func(string) bool) *terminal {
	t.Helper()
	term := openTerminal(t, client, "xterm-256color", termsCols, termsRows)
	term.waitText(op.header(), 0)
	mark := term.mark()
	term.press("2")
	term.waitFor("the terms screen with "+what, mark, func(s string) bool {
		return strings.Contains(s, text(t, lv, "tui.terms.col.drafted")) && ok(s)
	})
	return term
}

// hasLine reports whether a line of the screen text holds every one of
// parts.
func hasLine(s string, parts ...string) bool {
lines:
	for _, line := range screenLines(s) {
		for _, p := range parts {
			if !strings.Contains(line, p) {
				continue lines
			}
		}
		return true
	}
	return false
}

// prefixBefore returns the part of catalog message key, formatted with
// args, before the argument marked "\x00".
func prefixBefore(t *testing.T, key string, args ...any) string {
	t.Helper()
	before, _, ok := strings.Cut(text(t, lv, key, args...), "\x00")
	if !ok {
		t.Fatalf("catalog message %q: no marked argument", key)
	}
	return before
}

// waitUntil is waitFor without failing: it reports whether ok accepted
// the screen within d.
func (t *terminal) waitUntil(since int, d time.Duration, ok func(string) bool) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		if ok(t.screen.textSince(since)) {
			return true
		}
		select {
		case <-t.screen.notify:
		case <-t.done:
			return ok(t.screen.textSince(since))
		case <-deadline.C:
			return false
		}
	}
}

// noSpace drops every space and line break, for texts the screen wraps.
func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }

// TestE2E_Terms_DraftSubmitApprovePublish: Māris signs in, starts draft
// 2026-2 from the version in force with a title of his own, types a new
// clause in the editor, saves it, sees it as a '+' line in the comparison
// and submits the draft with a summary; he is not offered to publish it
// himself. Inese signs in, sees the submitted version, approves and
// publishes it. Both lists then show 2026-2 in force; the database holds
// exactly one version in force (approved by Inese, drafted by Māris, with
// the typed clause), 2026-1 superseded, a published announcement of the
// version and the audit entries of the draft, the submission and the
// publication; Inese's announcements screen lists the announcement; and
// `ppp audit verify` passes.
func TestE2E_Terms_DraftSubmitApprovePublish(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	maris := in.addOperator(marisName, marisFullName, "editor")
	inese := in.addOperator(ineseName, ineseFullName, "editor")
	conn := sqlConn(t, in)
	marisID, ineseID := operatorID(t, conn, maris.name), operatorID(t, conn, inese.name)
	v1 := publishFirstTerms(t, in, marisID, ineseID, maris.name, inese.name)
	srv := in.startServer()

	inForce := func(number, title string) string {
		return prefixBefore(t, "tui.terms.in_force", "★ "+number, title, "\x00")
	}
	draftState := text(t, lv, "tui.terms.state_short.draft")
	publishKey := text(t, lv, "tui.terms.key.publish")

	// Māris opens the terms screen: 2026-1 in force.
	a := openTerms(t, srv.mustDial(t, maris.name, ssh.PublicKeys(maris.signer)), maris, "2026-1 in force",
		func(s string) bool { return strings.Contains(s, inForce(termsV1Number, termsV1Title)) })

	// n: the form, offered the title in force. Its number and title are
	// replaced with his own (ctrl+u clears a field), enter moves to the
	// title and, on the title, starts the draft.
	mark := a.mark()
	a.press("n")
	a.waitFor("the new draft's form with the title in force", mark, func(s string) bool {
		return strings.Contains(s, text(t, lv, "tui.terms.new_title")) && strings.Contains(s, termsV1Title)
	})
	// The number offered may already be 2026-2: the emptied field shows
	// its hint before the number is typed.
	mark = a.mark()
	a.press(keyCtrlU)
	a.waitText(text(t, lv, "tui.terms.hint.number"), mark)
	mark = a.mark()
	a.press(termsV2Number)
	a.waitFor("the number typed", mark, func(s string) bool {
		return hasLine(s, text(t, lv, "tui.terms.field.number"), termsV2Number) &&
			!hasLine(s, text(t, lv, "tui.terms.hint.number"))
	})
	a.press(keyEnter)
	mark = a.mark()
	a.press(keyCtrlU)
	a.press(termsV2Title)
	a.waitText(termsV2Title, mark)

	// The draft starts, and the editor opens on it with the text in force.
	mark = a.mark()
	a.press(keyEnter)
	v1Lines := strings.Count(termsV1Text, "\n") + 1 // the editor's lines: the last is empty
	a.waitFor("the editor on draft 2026-2 with the text in force", mark, func(s string) bool {
		return strings.Contains(s, text(t, lv, "tui.terms.edit.title_draft", termsV2Number, text(t, lv, "terms.state.draft"))) &&
			strings.Contains(s, text(t, lv, "tui.terms.edit.position", 1, v1Lines, 1)) &&
			strings.Contains(s, "4. Pārzinis apstrādā personas datus")
	})
	// (The status "tui.terms.started" is not waited for: the editor
	// opening clears the status line in the same batch of commands, so it
	// shows or not by chance.)
	var v2 int64
	scalar(t, conn, `SELECT id FROM terms_versions WHERE number = $1`, []any{termsV2Number}, &v2)

	// ctrl+end, the new clause and enter: one line more, unsaved.
	mark = a.mark()
	a.press(keyCtrlEnd)
	a.waitText(text(t, lv, "tui.terms.edit.position", v1Lines, v1Lines, 1), mark)
	mark = a.mark()
	a.press(termsV2Line)
	a.press(keyEnter)
	a.waitFor("the typed clause, one line more and unsaved", mark, func(s string) bool {
		return strings.Contains(s, termsV2Line) &&
			strings.Contains(s, text(t, lv, "tui.terms.edit.position", v1Lines+1, v1Lines+1, 1)) &&
			strings.Contains(s, text(t, lv, "tui.terms.edit.unsaved"))
	})

	// ctrl+s saves it: the draft in the database holds the clause.
	mark = a.mark()
	a.press(keyCtrlS)
	a.waitText(prefixBefore(t, "tui.terms.edit.saved", "\x00"), mark)
	var savedText string
	scalar(t, conn, `SELECT text FROM terms_versions WHERE id = $1`, []any{v2}, &savedText)
	if want := termsV1Text + termsV2Line + "\n"; savedText != want {
		t.Errorf("the saved draft's text is\n%q\nwant\n%q", savedText, want)
	}

	// esc: back to the list, the draft on top; the cursor stays on
	// 2026-1, so k moves up to the draft (and does nothing if the draft
	// was selected already).
	listed := a.mark()
	a.press(keyEsc)
	a.waitFor("the list with draft 2026-2", listed, func(s string) bool {
		return hasLine(s, termsV2Number, draftState, maris.fullName)
	})
	a.press("k")
	v2Head := func(state string) string {
		return text(t, lv, "tui.terms.sum.head", termsV2Number, termsV2Title, text(t, lv, "terms.state."+state))
	}
	a.waitText(v2Head("draft"), listed)

	// d: the comparison with the version in force, the clause a '+' line.
	mark = a.mark()
	a.press("d")
	plusLine := regexp.MustCompile(`[0-9]+ \+ ` + regexp.QuoteMeta(termsV2Line))
	a.waitFor("the comparison with the clause as a '+' line", mark, func(s string) bool {
		return strings.Contains(s, text(t, lv, "tui.terms.diff.title", termsV2Number, termsV1Number)) &&
			strings.Contains(s, text(t, lv, "tui.terms.diff.counts", 0, 1, 1)) &&
			plusLine.MatchString(s)
	})
	mark = a.mark()
	a.press(keyEsc)
	a.waitText(v2Head("draft"), mark)

	// s: the summary, ctrl+s submits.
	mark = a.mark()
	a.press("s")
	a.waitText(text(t, lv, "tui.terms.submit_title", termsV2Number), mark)
	mark = a.mark()
	a.press(termsV2Summary)
	a.waitText(termsV2Summary, mark)
	mark = a.mark()
	a.press(keyCtrlS)
	a.waitText(text(t, lv, "tui.terms.submitted", termsV2Number), mark)
	a.waitText(text(t, lv, "tui.terms.sum.own"), mark)

	// p on his own version: refused with the reason, no confirmation.
	mark = a.mark()
	a.press("p")
	a.waitText(text(t, lv, "tui.terms.why.own"), mark)
	if s := a.screen.textSince(0); strings.Contains(s, text(t, lv, "tui.terms.publish_title", termsV2Number)) || strings.Contains(s, publishKey) {
		t.Errorf("Māris is offered to publish the version he drafted\n%s", a.screen.dump(0))
	}
	var state string
	scalar(t, conn, `SELECT state FROM terms_versions WHERE id = $1`, []any{v2}, &state)
	if state != string(domain.TermsSubmitted) {
		t.Fatalf("after Māris submitted it, version %d is %q; want submitted", v2, state)
	}

	// Inese opens the terms screen: the submitted version on top, drafted
	// by Māris, and p offered.
	b := openTerms(t, srv.mustDial(t, inese.name, ssh.PublicKeys(inese.signer)), inese, "2026-2 awaiting approval",
		func(s string) bool {
			return strings.Contains(s, v2Head("submitted")) &&
				hasLine(s, termsV2Number, text(t, lv, "tui.terms.state_short.submitted"), maris.fullName) &&
				strings.Contains(s, "p "+publishKey)
		})

	// p: the confirmation names the version, its drafter and the version
	// it supersedes; enter publishes.
	mark = b.mark()
	b.press("p")
	question := b.waitFor("the confirmation", mark, func(s string) bool {
		return strings.Contains(s, text(t, lv, "tui.terms.publish_title", termsV2Number)) &&
			strings.Contains(s, text(t, lv, "tui.terms.publish_keys"))
	})
	if want := text(t, lv, "tui.terms.publish_confirm", termsV2Number, termsV2Title, maris.fullName,
		text(t, lv, "tui.terms.publish_previous", termsV1Number)); !strings.Contains(noSpace(question), noSpace(want)) {
		t.Errorf("the confirmation does not ask %q\n%s", want, b.screen.dump(mark))
	}
	aMark, bMark := a.mark(), b.mark()
	published := time.Now()
	b.press(keyEnter)
	b.waitText(text(t, lv, "tui.terms.published", termsV2Number), bMark)
	b.waitFor("2026-2 in force and 2026-1 superseded", bMark, func(s string) bool {
		return strings.Contains(s, inForce(termsV2Number, termsV2Title)) &&
			hasLine(s, "★ "+termsV2Number, text(t, lv, "tui.terms.state_short.published")) &&
			hasLine(s, termsV1Number, text(t, lv, "tui.terms.state_short.superseded"))
	})

	// Māris's list follows through the change feed; r reads it again if
	// it does not.
	aInForce := func(s string) bool { return strings.Contains(s, inForce(termsV2Number, termsV2Title)) }
	if a.waitUntil(aMark, waitTimeout, aInForce) {
		t.Logf("the publication showed on the drafter's screen %v after the key press", time.Since(published).Round(time.Millisecond))
	} else {
		t.Errorf("Māris's list did not show 2026-2 in force within %v of the publication (live updates)\n%s", waitTimeout, a.screen.dump(aMark))
		aMark = a.mark()
		a.press("r")
		a.waitFor("2026-2 in force after r", aMark, aInForce)
	}

	// The database: one version in force, the new one, approved by Inese
	// and drafted by Māris, with the typed clause; 2026-1 superseded.
	if n := count(t, conn, `SELECT count(*) FROM terms_versions WHERE state = 'published'`); n != 1 {
		t.Errorf("%d versions in force; want exactly 1", n)
	}
	var number, title, vText, summary string
	var draftedBy, basedOn int64
	var approvedBy *int64
	var publishedAt *time.Time
	scalar(t, conn, `
		SELECT number, title, text, summary, state, drafted_by, approved_by, based_on, published_at
		  FROM terms_versions WHERE id = $1`, []any{v2},
		&number, &title, &vText, &summary, &state, &draftedBy, &approvedBy, &basedOn, &publishedAt)
	switch {
	case state != string(domain.TermsPublished):
		t.Errorf("version %d is %q; want published", v2, state)
	case number != termsV2Number || title != termsV2Title:
		t.Errorf("version %d is %q %q; want %q %q", v2, number, title, termsV2Number, termsV2Title)
	case draftedBy != marisID:
		t.Errorf("version %d drafted_by = %d; want Māris (%d)", v2, draftedBy, marisID)
	case approvedBy == nil || *approvedBy != ineseID:
		t.Errorf("version %d approved_by = %s; want Inese (%d)", v2, ptrText(approvedBy), ineseID)
	case basedOn != v1:
		t.Errorf("version %d based_on = %d; want %d", v2, basedOn, v1)
	case publishedAt == nil:
		t.Errorf("version %d has no published_at", v2)
	case !strings.Contains(vText, termsV2Line+"\n"):
		t.Errorf("version %d's text lacks the typed line %q:\n%s", v2, termsV2Line, vText)
	case summary != termsV2Summary:
		t.Errorf("version %d's summary is %q; want %q", v2, summary, termsV2Summary)
	}
	scalar(t, conn, `SELECT state FROM terms_versions WHERE id = $1`, []any{v1}, &state)
	if state != string(domain.TermsSuperseded) {
		t.Errorf("version %d (2026-1) is %q; want superseded", v1, state)
	}

	// The announcement: one, published, about the version, by Inese.
	if n := count(t, conn, `SELECT count(*) FROM announcements WHERE terms_version_id = $1`, v2); n != 1 {
		t.Fatalf("%d announcements of version %d; want exactly 1", n, v2)
	}
	var annID int64
	var annTitle, annKind, annState string
	var annBy *int64
	scalar(t, conn, `
		SELECT id, title, kind, state, published_by FROM announcements WHERE terms_version_id = $1`, []any{v2},
		&annID, &annTitle, &annKind, &annState, &annBy)
	if annState != string(domain.AnnouncementPublished) || annKind != string(domain.AnnouncementNews) {
		t.Errorf("announcement %d is a %q in state %q; want a published news item", annID, annKind, annState)
	}
	if annBy == nil || *annBy != ineseID {
		t.Errorf("announcement %d published_by = %s; want Inese (%d)", annID, ptrText(annBy), ineseID)
	}
	if !strings.Contains(annTitle, termsV2Number) {
		t.Errorf("announcement %d's title %q does not name version %s", annID, annTitle, termsV2Number)
	}

	// The audit log: the draft and the submission by Māris, the
	// publication by Inese.
	subject := strconv.FormatInt(v2, 10)
	for _, e := range []struct {
		action string
		actor  int64
		who    string
	}{
		{domain.AuditTermsDraftStart, marisID, "Māris"},
		{domain.AuditTermsSubmit, marisID, "Māris"},
		{domain.AuditTermsPublish, ineseID, "Inese"},
	} {
		if n := count(t, conn, `
			SELECT count(*) FROM audit_log
			 WHERE action = $1 AND subject_kind = 'terms_version' AND subject_id = $2 AND actor_id = $3`,
			e.action, subject, e.actor); n != 1 {
			t.Errorf("%d audit entries %q by %s about version %d; want exactly 1", n, e.action, e.who, v2)
		}
	}
	if n := count(t, conn, `
		SELECT count(*) FROM audit_log
		 WHERE action = '`+domain.AuditTermsDraftSave+`' AND subject_kind = 'terms_version' AND subject_id = $1 AND actor_id = $2`,
		subject, marisID); n < 1 {
		t.Errorf("no audit entry '"+domain.AuditTermsDraftSave+"' by Māris about version %d", v2)
	}

	// Inese's announcements screen lists it, newest first, above the
	// announcement of 2026-1. The list's title column is too narrow for
	// the number, so the test waits for both rows, moves to the top one
	// (the cursor may have stayed on the older one) and reads the summary
	// under the list.
	newsRow := func(line string) bool {
		return strings.Contains(line, text(t, lv, "tui.ann.kind_short.news")) &&
			strings.Contains(line, text(t, lv, "announcement.state.published"))
	}
	onScreen := b.mark()
	b.press("3")
	b.waitFor("both announcements on the list", onScreen, func(s string) bool {
		lines := screenLines(s)
		for i := 1; i < len(lines); i++ {
			if newsRow(lines[i-1]) && newsRow(lines[i]) {
				return true
			}
		}
		return false
	})
	b.press("k")
	b.waitText(text(t, lv, "tui.ann.sum.head", annID, annTitle, text(t, lv, "announcement.kind.news")), onScreen)

	for _, term := range []*terminal{a, b} {
		term.press("q")
		if err := term.waitEnd("q"); err != nil {
			t.Errorf("%s: q should end the session with exit status 0; Wait returned %v", term.name, err)
		}
	}
	auditEntries(t, in) // `ppp audit verify` exits 0
}
