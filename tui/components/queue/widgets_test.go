package queue

import (
	"testing"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

func TestSearch_LeaveKeepsAppliedApplyTakesTyped(t *testing.T) {
	apply := key.NewBinding(key.WithKeys("enter"))
	leave := key.NewBinding(key.WithKeys("esc"))
	s := Search{Input: textinput.New(), Applied: "kalniņa"}
	s.Focus()
	s.Input.SetValue("bērziņš")
	if applied, _ := s.Update(tea.KeyMsg{Type: tea.KeyEsc}, apply, leave); applied || s.Typing {
		t.Fatalf("esc: applied %v, typing %v", applied, s.Typing)
	}
	if s.Input.Value() != "kalniņa" || s.Applied != "kalniņa" {
		t.Fatalf("esc did not put back the search in force: field %q, applied %q", s.Input.Value(), s.Applied)
	}
	s.Focus()
	s.Input.SetValue("  bērziņš\x1b[31m")
	if applied, _ := s.Update(tea.KeyMsg{Type: tea.KeyEnter}, apply, leave); !applied || s.Typing {
		t.Fatalf("enter: applied %v, typing %v", applied, s.Typing)
	}
	if s.Applied != s.Input.Value() || s.Applied == "  bērziņš\x1b[31m" {
		t.Errorf("enter applied %q (field %q): not made plain", s.Applied, s.Input.Value())
	}
	s.Clear()
	if s.Applied != "" || s.Input.Value() != "" {
		t.Errorf("clear left %q / %q", s.Applied, s.Input.Value())
	}
}
