package rolerequests_test

import (
	"fmt"
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
		{"search", 0, typed("/Kalniņa")},
		{"detail", idConsultant, nil},
		{"scrolled detail", idConsultant, []tea.Msg{press(tea.KeyPgDown), press(tea.KeyPgDown)}},
		{"approve", idConsultant, typed("a")},
		{"approve confirmation", idConsultant, append(typed("a"), press(tea.KeyEnter))},
		{"reject", idConsultant, typed("r")},
		{"info", idConsultant, typed("i")},
		{"reveal", idConsultant, typed("v")},
		{"take over", idStaff, typed("t")},
		{"unconfirmed", idMunicipal, nil},
		{"help", idConsultant, typed("?")},
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
					send(t, m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
					send(t, m, st.keys...)
					checkFits(t, m, sz[0], sz[1], st.name)
				})
			}
		}
	}
}
