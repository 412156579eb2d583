package form_test

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/tui/components/form"
)

// areaText is about n characters of Latvian text in lines of 60.
func areaText(n int) string {
	line := "Platforma nebūs pieejama no 22:00 līdz 02:00; atvainojamies. "
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(line[:59])
		b.WriteString("\n")
	}
	return string([]rune(b.String())[:n-10])
}

// BenchmarkAreaKeystroke is one typed character and the frame after it in
// a text of several lines holding about an announcement's most text
// (domain.AnnouncementBodyMaxLength characters): the form's field (the
// editor component) beside bubbles' textarea, which the private sheets
// used and which re-wraps the whole text on every key.
func BenchmarkAreaKeystroke(b *testing.B) {
	limit := domain.AnnouncementBodyMaxLength
	text := areaText(limit)
	key := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'ā'}}
	back := tea.KeyMsg{Type: tea.KeyBackspace}
	b.Run("form", func(b *testing.B) {
		c := newCommon(i18n.LV)
		f := form.New(c, "tui.ann.new_title", nil, form.Field{ID: "body", Label: "tui.ann.field.body", Kind: form.Area, Limit: limit})
		f.SetValue("body", text)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if i%2 == 0 {
				f.Update(key)
			} else {
				f.Update(back)
			}
			_ = f.View(80, 24)
		}
	})
	b.Run("textarea", func(b *testing.B) {
		ta := textarea.New()
		ta.CharLimit = limit
		ta.MaxHeight = 0
		ta.ShowLineNumbers = false
		ta.SetWidth(76)
		ta.SetHeight(20)
		ta.SetValue(text)
		ta.Focus()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if i%2 == 0 {
				ta, _ = ta.Update(key)
			} else {
				ta, _ = ta.Update(back)
			}
			_ = ta.View()
		}
	})
}
