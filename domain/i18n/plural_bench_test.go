package i18n

import "testing"

// The screens format counts on every frame: a counted phrase through
// x/text's printer against a plain message through fmt.
func BenchmarkT_PlainMessage(b *testing.B) {
	c := For(LV)
	for b.Loop() {
		_ = c.T("tui.imk.detail.title", 25000, "Anna Bērziņa")
	}
}

func BenchmarkN_CountedPhrase(b *testing.B) {
	c := For(LV)
	for b.Loop() {
		_ = c.N("cli.audit.intact", 25001)
	}
}

func BenchmarkNum(b *testing.B) {
	c := For(LV)
	for b.Loop() {
		_ = c.Num(1234567)
	}
}
