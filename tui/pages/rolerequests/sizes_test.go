package rolerequests_test

import (
	"fmt"
	"github.com/viaa/ppp/tui/internal/tuitest"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestEveryScreen_FitsFromSmallToLarge(t *testing.T) {
	sizes := [][2]int{{40, 12}, {60, 20}, {80, 24}, {132, 43}}
	steps := []struct {
		name string
		id   int64
		keys []tea.Msg
	}{
		{"list", 0, nil},
		{"search", 0, tuitest.Runes("/Kalniņa")},
		{"detail", idConsultant, nil},
		{"scrolled detail", idConsultant, []tea.Msg{tuitest.Press(tea.KeyPgDown), tuitest.Press(tea.KeyPgDown)}},
		{"approve", idConsultant, tuitest.Runes("a")},
		{"approve confirmation", idConsultant, append(tuitest.Runes("a"), tuitest.Press(tea.KeyEnter))},
		{"reject", idConsultant, tuitest.Runes("r")},
		{"info", idConsultant, tuitest.Runes("i")},
		{"reveal", idConsultant, tuitest.Runes("v")},
		{"take over", idStaff, tuitest.Runes("t")},
		{"unconfirmed", idMunicipal, nil},
		{"help", idConsultant, tuitest.Runes("?")},
	}
	for _, l := range []string{"lv", "en"} {
		for _, sz := range sizes {
			for _, st := range steps {
				t.Run(fmt.Sprintf("%s/%dx%d/%s", l, sz[0], sz[1], st.name), func(t *testing.T) {
					t.Parallel()
					e := newEnv(t)
					// Opened at 80×24, then resized: the summary the helpers
					// find rows by needs 14 lines.
					m := e.model(t, e.reviewer, lang(l))
					openQueue(t, m)
					if st.id != 0 {
						openRequest(t, m, e, st.id)
					}
					tuitest.Send(t, m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
					tuitest.Send(t, m, st.keys...)
					tuitest.CheckFits(t, m, sz[0], sz[1], st.name)
				})
			}
		}
	}
}
