package domain_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
)

// render writes a script one op a line, as "<kind><line>".
func render(ops []domain.DiffOp) string {
	var b strings.Builder
	for _, op := range ops {
		b.WriteByte(op.Kind)
		b.WriteString(op.Line)
		b.WriteByte('\n')
	}
	return b.String()
}

// sides rebuilds the two texts a script was made from, as DiffLines sees
// them: lines joined by "\n", without a final line break.
func sides(ops []domain.DiffOp) (old, new string, err error) {
	var o, n []string
	for i, op := range ops {
		switch op.Kind {
		case ' ':
			o, n = append(o, op.Line), append(n, op.Line)
		case '-':
			o = append(o, op.Line)
		case '+':
			n = append(n, op.Line)
		default:
			return "", "", fmt.Errorf("op %d has kind %q", i, op.Kind)
		}
	}
	return strings.Join(o, "\n"), strings.Join(n, "\n"), nil
}

// normal is a text as sides returns it.
func normal(s string) string {
	return strings.TrimSuffix(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

// checkScript fails unless ops rebuilds both texts and removed lines come
// before added ones within a run of changes.
func checkScript(t testing.TB, old, new string, ops []domain.DiffOp) {
	t.Helper()
	o, n, err := sides(ops)
	if err != nil {
		t.Fatal(err)
	}
	if o != normal(old) {
		t.Fatalf("the old side does not rebuild the old text:\n got %q\nwant %q", o, normal(old))
	}
	if n != normal(new) {
		t.Fatalf("the new side does not rebuild the new text:\n got %q\nwant %q", n, normal(new))
	}
	for i := 1; i < len(ops); i++ {
		if ops[i-1].Kind == '+' && ops[i].Kind == '-' {
			t.Fatalf("op %d removes a line after an added one:\n%s", i, render(ops))
		}
	}
}

// lcsLength is the length of a longest common subsequence of the lines,
// by the textbook quadratic table: the reference for minimality.
func lcsLength(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			default:
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(normal(s), "\n")
}

func TestDiffLines_Table(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{"both empty", "", "", ""},
		{"from empty", "", "Ābele\nĶirsis\n", "+Ābele\n+Ķirsis\n"},
		{"to empty", "Ābele\nĶirsis", "", "-Ābele\n-Ķirsis\n"},
		{"same", "1. Platforma.\n2. Lietotājs.\n", "1. Platforma.\n2. Lietotājs.\n", " 1. Platforma.\n 2. Lietotājs.\n"},
		{
			"one diacritic changed",
			"Lietotājs apņemas\nievērot noteikumus\nun ziņot par kļūdām",
			"Lietotājs apņemas\nievērot noteikumūs\nun ziņot par kļūdām",
			" Lietotājs apņemas\n-ievērot noteikumus\n+ievērot noteikumūs\n un ziņot par kļūdām\n",
		},
		{
			"letters that differ only by a diacritic are different lines",
			"šķērslis\nzāle\nģimene",
			"skerslis\nzāle\ngimene",
			"-šķērslis\n+skerslis\n zāle\n-ģimene\n+gimene\n",
		},
		{
			"insert at start",
			"2. punkts\n3. punkts",
			"1. punkts\n2. punkts\n3. punkts",
			"+1. punkts\n 2. punkts\n 3. punkts\n",
		},
		{
			"insert at end",
			"1. punkts\n2. punkts\n",
			"1. punkts\n2. punkts\n3. punkts – jauns\n",
			" 1. punkts\n 2. punkts\n+3. punkts – jauns\n",
		},
		{
			"delete in the middle",
			"a\nb\nc\nd",
			"a\nd",
			" a\n-b\n-c\n d\n",
		},
		{
			"CRLF equals LF",
			"Pirmā rinda\r\nOtrā rinda\r\n",
			"Pirmā rinda\nOtrā rinda\n",
			" Pirmā rinda\n Otrā rinda\n",
		},
		{
			"final newline does not matter",
			"a\nb",
			"a\nb\n",
			" a\n b\n",
		},
		{
			"an empty last line does",
			"a\nb\n",
			"a\nb\n\n",
			" a\n b\n+\n",
		},
		{
			"moved block",
			"1\n2\n3\nA\nB\nC\n4\n5",
			"1\nA\nB\nC\n2\n3\n4\n5",
			" 1\n-2\n-3\n A\n B\n C\n+2\n+3\n 4\n 5\n",
		},
		{
			"blank lines between clauses",
			"1. Viens.\n\n2. Divi.\n\n3. Trīs.",
			"1. Viens.\n\n2. Divi un pusi.\n\n3. Trīs.",
			" 1. Viens.\n \n-2. Divi.\n+2. Divi un pusi.\n \n 3. Trīs.\n",
		},
		{
			"trailing space is a change",
			"teksts",
			"teksts ",
			"-teksts\n+teksts \n",
		},
		{
			"invalid UTF-8 compares as bytes",
			"a\n\xff\xfe\nb",
			"a\n\xff\xfd\nb",
			" a\n-\xff\xfe\n+\xff\xfd\n b\n",
		},
		{
			"everything replaced",
			"vecs\nteksts",
			"jauns\nsaturs",
			"-vecs\n-teksts\n+jauns\n+saturs\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops := domain.DiffLines(tt.old, tt.new)
			checkScript(t, tt.old, tt.new, ops)
			if got := render(ops); got != tt.want {
				t.Errorf("DiffLines:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDiffLines_MovedBlock_KeepsTheLargerPartInPlace(t *testing.T) {
	// A clause moved two places down: the diff must show it removed and
	// added, and keep everything else.
	old := "1.\n2.\n3. Pārvietotais punkts\n4.\n5.\n6."
	new := "1.\n2.\n4.\n5.\n3. Pārvietotais punkts\n6."
	ops := domain.DiffLines(old, new)
	checkScript(t, old, new, ops)
	if added, removed := domain.DiffCounts(ops); added+removed != 4 && added+removed != 2 {
		t.Errorf("added %d, removed %d, want a move shown as two or four changed lines:\n%s", added, removed, render(ops))
	}
	if added, removed := domain.DiffCounts(ops); added != removed || added > 2 {
		t.Errorf("added %d, removed %d:\n%s", added, removed, render(ops))
	}
}

// randomText returns n lines drawn from a small alphabet of Latvian lines,
// so that repeats (the hard case) are frequent.
func randomText(r *rand.Rand, n, alphabet int) string {
	words := []string{"ā", "č", "ē", "ģ", "ī", "ķ", "ļ", "ņ", "š", "ū", "ž", "", "Platforma", "lietotājs", "noteikumi"}
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(words[r.IntN(min(alphabet, len(words)))])
	}
	return b.String()
}

func TestDiffLines_RandomTexts_ShortestScript(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		old := randomText(r, r.IntN(30), 2+r.IntN(12))
		new := randomText(r, r.IntN(30), 2+r.IntN(12))
		ops := domain.DiffLines(old, new)
		checkScript(t, old, new, ops)
		kept := 0
		for _, op := range ops {
			if op.Kind == ' ' {
				kept++
			}
		}
		if want := lcsLength(lines(old), lines(new)); kept != want {
			t.Fatalf("case %d keeps %d lines, a longest common subsequence has %d:\nold %q\nnew %q\n%s",
				i, kept, want, old, new, render(ops))
		}
	}
}

func TestDiffLines_LargeReshuffledTexts_CorrectAndBounded(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	old := randomText(r, 40000, 15)
	new := randomText(r, 40000, 15)
	ops := domain.DiffLines(old, new)
	checkScript(t, old, new, ops)
	// Its speed is BenchmarkDiffLines's to measure: a wall-clock bound
	// here failed on a loaded machine (23 s beside the other suites).
	t.Logf("40,000 random lines each side: %d ops", len(ops))
}

// termsText returns a text of about size bytes in numbered Latvian clauses.
func termsText(size int) []string {
	var out []string
	total := 0
	for i := 1; total < size; i++ {
		l := fmt.Sprintf("%d. Lietotājs, izmantojot Platformu, ievēro šos noteikumus un rūpējas, lai viņa ziņas būtu pareizas (%d).", i, i*7)
		out = append(out, l)
		total += len(l) + 1
	}
	return out
}

func TestDiffLines_200KB_FewChanges(t *testing.T) {
	old := termsText(200 << 10)
	new := append([]string(nil), old...)
	for _, i := range []int{3, 500, 501, 1200, len(new) - 1} {
		new[i] = "Grozīts: " + new[i]
	}
	oldText, newText := strings.Join(old, "\n"), strings.Join(new, "\n")
	ops := domain.DiffLines(oldText, newText)
	checkScript(t, oldText, newText, ops)
	if added, removed := domain.DiffCounts(ops); added != 5 || removed != 5 {
		t.Errorf("added %d, removed %d, want 5 and 5", added, removed)
	}
}

func BenchmarkDiffLines_200KB_5ChangedLines(b *testing.B) {
	old := termsText(200 << 10)
	new := append([]string(nil), old...)
	for _, i := range []int{10, 700, 701, 1500, len(new) - 2} {
		new[i] = strings.Replace(new[i], "noteikumus", "noteikumūs", 1)
	}
	oldText, newText := strings.Join(old, "\n"), strings.Join(new, "\n")
	b.SetBytes(int64(len(oldText) + len(newText)))
	b.ReportAllocs()
	for b.Loop() {
		domain.DiffLines(oldText, newText)
	}
}

func BenchmarkDiffLines_200KB_Rewritten(b *testing.B) {
	old := termsText(200 << 10)
	new := make([]string, len(old))
	for i := range old {
		new[i] = old[len(old)-1-i]
	}
	oldText, newText := strings.Join(old, "\n"), strings.Join(new, "\n")
	for b.Loop() {
		domain.DiffLines(oldText, newText)
	}
}

func FuzzDiffLines_RebuildsBothTexts(f *testing.F) {
	f.Add("", "")
	f.Add("a\nb\nc", "a\nc\nd")
	f.Add("Lietošanas noteikumi\r\n1. punkts\r\n", "Lietošanas noteikumi\n1. punkts – grozīts\n2. punkts\n")
	f.Add("\n\n\n", "\n")
	f.Add("ā\nā\nā\nē", "ē\nā\nā")
	f.Fuzz(func(t *testing.T, old, new string) {
		ops := domain.DiffLines(old, new)
		checkScript(t, old, new, ops)
		if len(old) < 2000 && len(new) < 2000 {
			kept := 0
			for _, op := range ops {
				if op.Kind == ' ' {
					kept++
				}
			}
			if want := lcsLength(lines(old), lines(new)); kept != want {
				t.Fatalf("keeps %d lines, want %d", kept, want)
			}
		}
	})
}
