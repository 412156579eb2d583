package institutions_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/contracttest"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/common"
	"github.com/viaa/ppp/tui/internal/fakes"
	"github.com/viaa/ppp/tui/internal/pagetest"
	"github.com/viaa/ppp/tui/internal/tuitest"
)

var fixedNow = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

var (
	rita   = &domain.Operator{ID: 1, Name: "rita", FullName: "Rita Ozola", Roles: []domain.Role{domain.RoleReviewer}}
	sandis = &domain.Operator{ID: 2, Name: "sandis", FullName: "Sandis Bērzs", Roles: []domain.Role{domain.RoleSecurity}}
)

// hostile is a document's text with sequences a terminal would obey:
// a title change, a colour and a screen clear.
const hostile = "Apliecinājums\x1b]0;pwned\x07 \x1b[31mSARKANS\x1b[0m\x1b[2J beigas"

func seeded(t *testing.T) *fakes.Institutions {
	f := fakes.NewInstitutions(
		&domain.Institution{ID: 1, Name: "Alfa vidusskola", CompanyRegNumber: contracttest.CompanyRegNumber(1),
			EducationRegNumber: "2000000001", Email: "alfa@example.lv", Phone: "+37167000001", Address: "Skolas iela 1, Rīga",
			State: domain.InstitutionActive, Version: 1},
		&domain.Institution{ID: 2, Name: "Beta ģimnāzija", CompanyRegNumber: contracttest.CompanyRegNumber(2),
			EducationRegNumber: "2000000002", Email: "beta@example.lv", State: domain.InstitutionPending, Version: 1},
	)
	f.Now = func() time.Time { return fixedNow }
	f.AddOperator(rita)
	f.AddOperator(sandis)
	img := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.NRGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	f.Pages[1] = &domain.InstitutionPage{
		Members: []*domain.InstitutionMember{{UserID: 7, Name: "Ilze Konsultante", Email: "ilze@example.lv",
			Roles: []domain.MemberRole{{Role: "career_consultant", ValidUntil: fixedNow.AddDate(1, 0, 0)}}}},
		Waiting: []*domain.InstitutionWaiting{{RequestID: 41, Applicant: "Jānis Gaidītājs", Since: fixedNow.AddDate(0, 0, -3),
			TakeOverFrom: fixedNow.AddDate(0, 0, 7)}},
		Documents: []*domain.InstitutionDocument{
			{ID: 11, RequestID: 40, Position: 1, Name: "apliecinajums.txt", MediaType: "text/plain", Size: int64(len(hostile)), Stored: true},
			{ID: 12, RequestID: 40, Position: 2, Name: "zimogs.png", MediaType: "image/png", Size: int64(b.Len()), Stored: true},
			{ID: 13, RequestID: 40, Position: 3, Name: "licence.pdf", MediaType: "application/pdf", Size: 5000, Stored: true},
		},
		Denials: []*domain.Denial{{ID: 5, State: domain.DenialLifted, Ground: domain.Grounds[0], RaisedAt: fixedNow.AddDate(0, -2, 0), Note: "Pārbaude"}},
	}
	f.Files[11], f.Files[12], f.Files[13] = []byte(hostile), b.Bytes(), []byte("%PDF-1.4")
	return f
}

// session opens the institutions screen: after the dashboard (and the
// audit log, for a security officer).
func session(t *testing.T, f *fakes.Institutions, op *domain.Operator) *app.Model {
	t.Helper()
	m := pagetest.At(fixedNow, common.Services{Institutions: f}, op).Model(t, op, pagetest.Size(100, 40))
	screen := "2"
	if op.HasRole(domain.RoleSecurity) {
		screen = "3"
	}
	tuitest.Send(t, m, tuitest.Runes(screen)...)
	return m
}

func TestInstitutionsScreen_ListSearchPageHistory(t *testing.T) {
	f := seeded(t)
	m := session(t, f, rita)
	tuitest.MustShow(t, m, "Iestādes", "Alfa vidusskola", "Beta ģimnāzija", "aktīva", "gaida", "2000000001")

	// A registration number with a wrong check digit is said in Latvian
	// under the field.
	bad := contracttest.CompanyRegNumber(1)
	bad = bad[:10] + string('0'+(bad[10]-'0'+1)%10)
	tuitest.Send(t, m, tuitest.Runes("/")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyRight), tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed(bad)...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, "kontrolcipars")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))

	// Search by a part of the name.
	tuitest.Send(t, m, tuitest.Runes("/")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed("beta")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, "Beta ģimnāzija", "nosaukumā „beta”")
	tuitest.MustNotShow(t, m, "Alfa vidusskola")
	tuitest.Send(t, m, tuitest.Runes("c")...)

	// The page, and an edit with a bad phone, then a good one, kept as
	// history with its reason (¶17.2).
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Iestāde #1: Alfa vidusskola", "+37167000001", "Skolas iela 1, Rīga", "Ilze Konsultante",
		"karjeras konsultants", "#41 Jānis Gaidītājs", "Aģentūra var pārņemt no 2026-03-10", "ID 11", "zimogs.png", "Rekvizīti nav laboti.")
	tuitest.Send(t, m, tuitest.Runes("e")...)
	for range 4 {
		tuitest.Send(t, m, tuitest.Press(tea.KeyTab))
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, tuitest.Typed("+371 123")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, "Latvijas tālruņa numurā ir 8 cipari", "Norādiet labojuma iemeslu.")
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
	tuitest.Send(t, m, tuitest.Typed("26123456")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyTab), tuitest.Press(tea.KeyTab))
	tuitest.Send(t, m, tuitest.Typed("Iestāde paziņoja")...)
	tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	tuitest.MustShow(t, m, "Iestāde 1 labota.", "tālrunis: +37167000001 → +37126123456", "Rita Ozola", "Iestāde paziņoja")
	if len(f.Changes) != 1 || f.Rows[0].Version != 2 {
		t.Errorf("changes %d, version %d", len(f.Changes), f.Rows[0].Version)
	}
}

func TestInstitutionsScreen_Documents_TextPlain_ImageInHalfBlocks_PDFToSave(t *testing.T) {
	f := seeded(t)
	m := session(t, f, sandis)
	tuitest.Send(t, m, tuitest.Press(tea.KeyEnter))
	tuitest.MustShow(t, m, "Alfa vidusskola")
	// A security officer sees but is not offered the edit.
	tuitest.Send(t, m, tuitest.Runes("e")...)
	tuitest.MustShow(t, m, "Iestādes rekvizītus labo tikai izskatītājs.")

	open := func(id string) {
		tuitest.Send(t, m, tuitest.Runes("d")...)
		tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlU))
		tuitest.Send(t, m, tuitest.Typed(id)...)
		tuitest.Send(t, m, tuitest.Press(tea.KeyCtrlS))
	}
	open("11")
	tuitest.MustShow(t, m, "Dokuments ID 11", "Apliecinājums", "SARKANS beigas")
	if v := m.View(); bytes.Contains([]byte(v), []byte("pwned")) || bytes.Contains([]byte(v), []byte("\x1b]0;")) || bytes.Contains([]byte(v), []byte("\x1b[2J")) {
		t.Errorf("the document's sequences reached the screen: %q", v)
	}
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	open("12")
	tuitest.MustShow(t, m, "Attēls 2×2 pikseļi", "▀")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	open("13")
	tuitest.MustShow(t, m, "application/pdf", "ppp document get 40 3")
	tuitest.Send(t, m, tuitest.Press(tea.KeyEsc))
	open("99")
	tuitest.MustShow(t, m, "Šai iestādei nav dokumenta ar tādu ID.")
	if len(f.Opened) != 3 {
		t.Errorf("opened %v, want 11, 12, 13", f.Opened)
	}
}

// TestInstitutionsScreen_ReverificationDueFilter proves the list's "v"
// filter (issue 17): any, then the active institutions due within 30 days,
// then the overdue ones, said on the filter line.
func TestInstitutionsScreen_ReverificationDueFilter(t *testing.T) {
	f := seeded(t)
	f.Rows[0].ReverifyDueAt = fixedNow.AddDate(0, 0, 12)
	f.Rows = append(f.Rows, &domain.Institution{ID: 3, Name: "Gamma tehnikums", CompanyRegNumber: contracttest.CompanyRegNumber(3),
		EducationRegNumber: "2000000003", Email: "gamma@example.lv", State: domain.InstitutionActive, Version: 1,
		ReverifyDueAt: fixedNow.AddDate(0, 0, -2)})
	m := session(t, f, rita)
	tuitest.MustShow(t, m, "Alfa vidusskola", "Beta ģimnāzija", "Gamma tehnikums")
	tuitest.Send(t, m, tuitest.Runes("v")...)
	tuitest.MustShow(t, m, "pārbaude 30 dienās", "Alfa vidusskola", "Gamma tehnikums")
	tuitest.MustNotShow(t, m, "Beta ģimnāzija")
	tuitest.Send(t, m, tuitest.Runes("v")...)
	tuitest.MustShow(t, m, "pārbaude nokavēta", "Gamma tehnikums")
	tuitest.MustNotShow(t, m, "Alfa vidusskola", "Beta ģimnāzija")
	tuitest.Send(t, m, tuitest.Runes("v")...)
	tuitest.MustShow(t, m, "Alfa vidusskola", "Beta ģimnāzija", "Gamma tehnikums")
}

// The list follows the change feed: an institution changed elsewhere (an
// edit in another session, a suspension, the re-verification sweep) is
// shown as it is now, without r.
func TestInstitutionsScreen_ListFollowsTheFeed(t *testing.T) {
	f := seeded(t)
	env := pagetest.At(fixedNow, common.Services{Institutions: f}, rita)
	m := env.Model(t, rita, pagetest.Size(100, 40))
	tuitest.Send(t, m, tuitest.Runes("2")...)
	tuitest.MustShow(t, m, "Alfa vidusskola", "aktīva")
	f.Rows[0].Name, f.Rows[0].State, f.Rows[0].Version = "Alfa vidusskola (apturēta)", domain.InstitutionSuspended, 2
	tuitest.Send(t, m, common.ChangeMsg{Topic: domain.TopicInstitution, ID: "1"})
	tuitest.Advance(t, m, env.Clock, time.Second)
	tuitest.MustShow(t, m, "Alfa vidusskola (apturēta)")
}
