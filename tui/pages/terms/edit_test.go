package terms_test

import (
	"github.com/viaa/ppp/tui/internal/tuitest"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
)

// openDraft opens the session's draft 2026-3 ("Pirmā rinda\nOtrā rinda",
// version 7) in the editor.
func openDraft(t testing.TB, e *env, m *app.Model) {
	t.Helper()
	openTerms(t, m)
	selectVersion(t, m, "2026-3")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	mustShow(t, m, "Labo redakciju 2026-3 — melnraksts", "1 ▏Pirmā rinda", "2 Otrā rinda")
}

func TestEditor_TypingEnterBackspaceAndPaste_ThenCtrlSSavesWithTheVersionSeen(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openDraft(t, e, m)
	// q, the digits and tab belong to the text while the editor is open.
	tuitest.Send(t, m, tuitest.Typed("q1 ")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnd))
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.Send(t, m, tuitest.Typed("Jauna rinda")...)
	// Backspace at the start of a line joins it to the one before.
	tuitest.Send(t, m, tuitest.Press(tea.KeyHome), tuitest.Press(tea.KeyBackspace))
	mustShow(t, m, "q1 Pirmā rinda▏Jauna rinda", "nesaglabāts")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	// A multi-line paste (bracketed paste arrives as one key, \r as line
	// ends) goes in at the cursor.
	tuitest.Send(t, m, pasted("3. punkts\r4. punkts ar ā un ž\r"))
	mustShow(t, m, "2 3. punkts", "3 4. punkts ar ā un ž", "4 ▏Jauna rinda", "5 Otrā rinda")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	saves := e.terms.Saves()
	if len(saves) != 1 {
		t.Fatalf("%d saves", len(saves))
	}
	want := "q1 \tPirmā rinda\n3. punkts\n4. punkts ar ā un ž\nJauna rinda\nOtrā rinda"
	if got := saves[0]; got.ID != idDraft || got.Version != 7 || got.Text != want || got.Title != "Prasmju pārvaldības platformas lietošanas noteikumi" {
		t.Errorf("saved %+v\nwant version 7 and text %q", got, want)
	}
	mustShow(t, m, "saglabāts", "Saglabāts")
	mustNotShow(t, m, "nesaglabāts")
	// The next save names the version the first one produced.
	tuitest.Send(t, m, tuitest.Typed("!")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	if saves := e.terms.Saves(); len(saves) != 2 || saves[1].Version != 8 {
		t.Errorf("second save %+v, want version 8", saves[len(saves)-1])
	}
	// esc with everything saved closes at once.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	mustShow(t, m, "Spēkā: ★ 2025-1")
}

func TestEditor_SaveConflict_KeepsTheBufferAndOffersAReload(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openDraft(t, e, m)
	tuitest.Send(t, m, tuitest.Typed("Mans labojums ")...)
	// Another editor saves the draft meanwhile (the feed is not listened
	// to here, so the screen learns only when it saves).
	e.terms.Update(idDraft, func(v *domain.TermsVersion) { v.Text = "Annas teksts" })
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	if s := e.terms.Saves(); len(s) != 1 || s[0].Version != 7 {
		t.Fatalf("saves %+v, want one with the version seen (7)", s)
	}
	mustShow(t, m, "Nav saglabāts: kāds cits pa to laiku mainīja vai iesniedza šo melnrakstu.", "Mans labojums Pirmā rinda", "nesaglabāts")
	if e.terms.Get(idDraft).Text != "Annas teksts" {
		t.Fatal("the conflicting save overwrote the other editor's text")
	}
	tuitest.CheckFits(t, m, 80, 24, "conflict")
	// ctrl+r asks first, since the typing would be lost; esc keeps it.
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlR})
	mustShow(t, m, "Ielādēt jaunāko versiju? Jūsu nesaglabātās izmaiņas zudīs.")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	mustShow(t, m, "Mans labojums Pirmā rinda")
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlR}, tuitest.Press(tea.KeyEnter))
	mustShow(t, m, "1 Annas teksts", "Ielādēta jaunākā versija (8).")
	mustNotShow(t, m, "Mans labojums")
	// The cursor stayed on its line; saving now names the version
	// reloaded.
	tuitest.Send(t, m, tuitest.Typed("x")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	if s := e.terms.Saves(); s[len(s)-1].Version != 8 || e.terms.Get(idDraft).Text != "Annas tekstsx" {
		t.Errorf("save after reload %+v", s[len(s)-1])
	}
}

func TestEditor_EscWithUnsavedChanges_AsksBeforeClosing(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openDraft(t, e, m)
	tuitest.Send(t, m, tuitest.Typed("z")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	mustShow(t, m, "Ir nesaglabātas izmaiņas.")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	mustShow(t, m, "zPirmā rinda")
	mustNotShow(t, m, "Ir nesaglabātas izmaiņas.")
	// ctrl+s in the question saves, then closes.
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc), tea.KeyMsg{Type: tea.KeyCtrlS})
	if s := e.terms.Saves(); len(s) != 1 || s[0].Text != "zPirmā rinda\nOtrā rinda" {
		t.Fatalf("saves %+v", s)
	}
	mustShow(t, m, "Spēkā: ★ 2025-1", "Melnraksts 2026-3 saglabāts.")
	// x closes without saving.
	selectVersion(t, m, "2026-3")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.Send(t, m, tuitest.Typed("y")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	tuitest.Send(t, m, tuitest.Typed("x")...)
	mustShow(t, m, "Spēkā: ★ 2025-1")
	if n := len(e.terms.Saves()); n != 1 {
		t.Errorf("x saved (%d saves)", n)
	}
}

func TestEditor_InvalidUTF8Paste_IsRefusedWithAMessage(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openDraft(t, e, m)
	tuitest.Send(t, m, pasted("Windows-1257 teksts: \uFFFD\uFFFDdens"))
	mustShow(t, m, "Ielīmētais teksts nav derīgs UTF-8", "saglabāts")
	mustNotShow(t, m, "Windows-1257", "nesaglabāts")
	tuitest.Send(t, m, pasted("ar \x1b[2Jvadības\x07 zīmēm "))
	mustShow(t, m, "Izņemtas 2 vadības rakstzīmes.", "ar [2Jvadības zīmēm Pirmā rinda")
}

func TestEditor_TextOverTheLimit_IsRefusedAndNothingIsLost(t *testing.T) {
	e := newEnv(t)
	big := strings.Repeat("ā", (domain.MaxTermsText-100)/2) // 2 bytes each
	e.terms.Update(idDraft, func(v *domain.TermsVersion) { v.Text = big })
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2026-3")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.Send(t, m, pasted(strings.Repeat("x", 200)))
	mustShow(t, m, "Netika ievietots: teksts būtu 1\u00a0025 KiB, bet drīkst būt ne vairāk kā 1\u00a0024 KiB. Teksts nav mainīts.")
	tuitest.Send(t, m, pasted(strings.Repeat("y", 50)))
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	s := e.terms.Saves()
	if len(s) != 1 || s[0].Text != strings.Repeat("y", 50)+big {
		t.Fatalf("the save lost or added text: %d saves", len(s))
	}
}

func TestEditor_AnotherEditorsSave_IsNoticedFromTheFeed(t *testing.T) {
	e := newEnv(t)
	e.terms.Feed = e.feed
	m := e.program(t, e.editor, withChanges())
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	has := func(s string) func([]byte) bool {
		return func(b []byte) bool { return strings.Contains(string(b), s) }
	}
	tm.Type("2")
	teatest.WaitFor(t, tm.Output(), has("2026-3"), teatest.WithDuration(3*time.Second))
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter}) // the first row: the draft
	teatest.WaitFor(t, tm.Output(), has("Otrā rinda"), teatest.WithDuration(3*time.Second))
	tm.Type("mans")
	teatest.WaitFor(t, tm.Output(), has("nesaglabāts"), teatest.WithDuration(3*time.Second))
	e.terms.Update(idDraft, func(v *domain.TermsVersion) { v.Text = "cits" })
	teatest.WaitFor(t, tm.Output(), has("saglabājot būs konflikts"), teatest.WithDuration(3*time.Second))
}

func TestEditor_AnotherEditorsSave_ReloadsWhenNothingIsTyped(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openDraft(t, e, m)
	e.terms.Update(idDraft, func(v *domain.TermsVersion) { v.Text = "cits teksts" })
	// As after the database came back: the open draft is read again.
	tuitest.Send(t, m, common.ReloadMsg{})
	mustShow(t, m, "1 cits teksts")
}

func TestEditor_AChangeWhileTyping_IsNotLoadedOverTheTyping(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openDraft(t, e, m)
	tuitest.Send(t, m, tuitest.Typed("mans ")...)
	e.terms.Update(idDraft, func(v *domain.TermsVersion) { v.Text = "cits" })
	tuitest.Send(t, m, common.ReloadMsg{})
	mustShow(t, m, "Kāds cits ir mainījis šo melnrakstu; saglabājot būs konflikts.", "mans Pirmā rinda")
}

func TestEditor_APublishedVersion_IsReadOnly(t *testing.T) {
	e := newEnv(t)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2025-1")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	mustShow(t, m, "Redakcija 2025-1 — spēkā", "tikai lasīšanai", "1.1. Noteikumi nosaka")
	tuitest.Send(t, m, tuitest.Typed("z")...)
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlS})
	mustShow(t, m, "Šī redakcija nav melnraksts: to var tikai lasīt.")
	if n := len(e.terms.Saves()); n != 0 {
		t.Errorf("%d saves of a published version", n)
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	mustShow(t, m, "Spēkā: ★ 2025-1")
}

// A200KBDraft gives the draft a 200 KB Latvian text.
func a200KBDraft(e *env) string {
	text := latvianText(200 << 10)
	e.terms.Update(idDraft, func(v *domain.TermsVersion) { v.Text = text })
	return text
}

func TestEditor_200KB_KeystrokeEditsAndRendersOnlyTheScreen(t *testing.T) {
	// BenchmarkEditorKeystroke_200KB measures the time; this proves the
	// same keystroke works at that size.
	e := newEnv(t)
	text := a200KBDraft(e)
	m := e.model(t, e.editor)
	openTerms(t, m)
	selectVersion(t, m, "2026-3")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.Send(t, m, tea.KeyMsg{Type: tea.KeyCtrlEnd})
	tuitest.Send(t, m, tuitest.Typed("ž")...)
	lines := strings.Count(text, "\n") + 1
	mustShow(t, m, "ž▏", "201/1\u00a0024 KiB")
	if !strings.Contains(tuitest.Screen(m), "rinda "+itoa(lines)+"/"+itoa(lines)) {
		t.Errorf("the header does not show the last line %d:\n%s", lines, tuitest.Screen(m))
	}
	tuitest.CheckFits(t, m, 80, 24, "editor at 200 KB")
}

func BenchmarkEditorKeystroke_200KB(b *testing.B) {
	e := newEnv(b)
	a200KBDraft(e)
	m := e.model(b, e.editor)
	openTerms(b, m)
	selectVersion(b, m, "2026-3")
	tuitest.Send(b, m, tuitest.Press(tea.KeyEnter))
	for range 60 {
		tuitest.Send(b, m, tuitest.Press(tea.KeyPgDown))
	}
	keys := []tea.Msg{tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'ā'}}, tea.KeyMsg{Type: tea.KeyBackspace}}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		// One keystroke through the whole session, as the program
		// delivers it, and the frame it draws.
		m.Update(keys[i%2])
		_ = m.View()
	}
}
