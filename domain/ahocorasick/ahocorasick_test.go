package ahocorasick

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// naiveContains is the obvious quadratic answer the automaton must agree
// with.
func naiveContains(patterns []string, text string) bool {
	for _, p := range patterns {
		if p != "" && strings.Contains(text, p) {
			return true
		}
	}
	return false
}

func TestContains_KnownCases(t *testing.T) {
	m := Build([]string{"he", "she", "his", "hers", "password"})
	tests := []struct {
		text string
		want bool
	}{
		{"", false},
		{"h", false},
		{"ahishers", true},
		{"ushers", true},
		{"xxpasswor", false},
		{"xy#password7z", true},
		{"passwopassword", true}, // needs a failure link back into the middle
		{"xyz", false},
	}
	for _, tt := range tests {
		if got := m.Contains([]byte(tt.text)); got != tt.want {
			t.Errorf("Contains(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestContains_EmptyMatcherAndEmptyPatterns_MatchNothing(t *testing.T) {
	var zero Matcher
	if zero.Contains([]byte("anything")) {
		t.Error("the zero Matcher matched")
	}
	if Build([]string{"", ""}).Contains([]byte("anything")) {
		t.Error("a Matcher of empty patterns matched")
	}
}

// TestContains_AgreesWithNaiveSearch_AndTakesAtMostTwoStepsPerByte is the
// property test: on random small alphabets (where patterns overlap a lot
// and failure links are long) the automaton answers as strings.Contains
// does, and never takes more than two steps per byte of text.
func TestContains_AgreesWithNaiveSearch_AndTakesAtMostTwoStepsPerByte(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 312))
	word := func(alphabet string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := range 2000 {
		alphabet := "ab"
		if round%2 == 1 {
			alphabet = "abcd"
		}
		patterns := make([]string, 1+rng.IntN(8))
		for i := range patterns {
			patterns[i] = word(alphabet, 1+rng.IntN(6))
		}
		m := Build(patterns)
		text := word(alphabet, rng.IntN(40))
		found, steps := m.ContainsSteps([]byte(text))
		if want := naiveContains(patterns, text); found != want {
			t.Fatalf("patterns %q, text %q: Contains = %v, want %v", patterns, text, found, want)
		}
		if steps > 2*len(text) {
			t.Fatalf("patterns %q, text %q: %d steps for %d bytes", patterns, text, steps, len(text))
		}
	}
}

// TestContainsSteps_WorstCaseText_StaysLinear feeds the text that makes a
// naive search quadratic (aaaa…ab against a…a patterns) and checks the
// step count grows with the text, not with text × pattern.
func TestContainsSteps_WorstCaseText_StaysLinear(t *testing.T) {
	m := Build([]string{strings.Repeat("a", 50) + "b"})
	for _, n := range []int{100, 1000, 10000} {
		text := []byte(strings.Repeat("a", n))
		found, steps := m.ContainsSteps(text)
		if found {
			t.Fatalf("found a pattern in %d a's", n)
		}
		if steps > 2*n {
			t.Errorf("%d bytes took %d steps, want at most %d", n, steps, 2*n)
		}
	}
}

func FuzzContains(f *testing.F) {
	f.Add("abc", "abcabd", "xxabcabdyy")
	f.Add("aaaa", "aab", "aaaaaab")
	f.Fuzz(func(t *testing.T, p1, p2, text string) {
		patterns := []string{p1, p2}
		found, steps := Build(patterns).ContainsSteps([]byte(text))
		if want := naiveContains(patterns, text); found != want {
			t.Fatalf("patterns %q, text %q: Contains = %v, want %v", patterns, text, found, want)
		}
		if steps > 2*len(text) {
			t.Fatalf("%d steps for %d bytes", steps, len(text))
		}
	})
}
