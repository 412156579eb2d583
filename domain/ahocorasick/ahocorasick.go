// Package ahocorasick finds whether any of a fixed set of byte strings
// occurs inside a text, in one pass over the text: the Aho–Corasick
// automaton (a trie of the patterns with a failure link from every node
// to the node of its longest proper suffix that is also in the trie).
//
// The ¶31.2 password check builds one Matcher from its blocklist and asks
// it about every new password; a Matcher is never written after Build
// returns, so any number of goroutines may share it.
package ahocorasick

import (
	"slices"
)

// edge is one trie edge: the byte it reads and the node it leads to.
type edge struct {
	b  byte
	to int32
}

// node is one trie node. Its edges are edges[first : first+count], sorted
// by byte, so that a step is a short search in a contiguous slice rather
// than a map look-up.
type node struct {
	first, count int32
	fail         int32
	// match is true when a pattern ends here or at any node on the
	// failure chain, so that a search can stop at the first hit without
	// walking the chain.
	match bool
}

// Matcher is a built automaton. The zero value matches nothing.
type Matcher struct {
	nodes []node
	edges []edge
}

// buildNode is the trie while it is being built, before it is laid out
// flat.
type buildNode struct {
	children map[byte]int32
	end      bool
}

// Build returns the automaton of patterns. Empty patterns are ignored (an
// empty string occurs in every text, which no caller means). Build never
// fails; its cost is linear in the total length of the patterns, times
// the number of distinct bytes.
func Build(patterns []string) *Matcher {
	trie := []buildNode{{}}
	for _, p := range patterns {
		if p == "" {
			continue
		}
		at := int32(0)
		for i := 0; i < len(p); i++ {
			if trie[at].children == nil {
				trie[at].children = make(map[byte]int32, 2)
			}
			next, ok := trie[at].children[p[i]]
			if !ok {
				next = int32(len(trie))
				trie[at].children[p[i]] = next
				trie = append(trie, buildNode{})
			}
			at = next
		}
		trie[at].end = true
	}

	// Lay the trie out breadth first: a node's failure target is always
	// shallower, so it is complete by the time the node is reached.
	m := &Matcher{nodes: make([]node, len(trie))}
	order := make([]int32, 0, len(trie)) // breadth-first order of trie indices
	order = append(order, 0)
	for i := 0; i < len(order); i++ {
		at := order[i]
		keys := make([]byte, 0, len(trie[at].children))
		for b := range trie[at].children {
			keys = append(keys, b)
		}
		slices.Sort(keys)
		m.nodes[at].first = int32(len(m.edges))
		m.nodes[at].count = int32(len(keys))
		m.nodes[at].match = trie[at].end
		for _, b := range keys {
			child := trie[at].children[b]
			m.edges = append(m.edges, edge{b: b, to: child})
			order = append(order, child)
		}
	}
	for _, at := range order {
		n := m.nodes[at]
		for _, e := range m.edges[n.first : n.first+n.count] {
			fail := int32(0)
			if at != 0 {
				// The longest proper suffix of (at + e.b) in the trie: follow
				// at's failure chain until some node reads e.b.
				for f := n.fail; ; f = m.nodes[f].fail {
					if to, ok := m.child(f, e.b); ok {
						fail = to
						break
					}
					if f == 0 {
						break
					}
				}
			}
			m.nodes[e.to].fail = fail
			m.nodes[e.to].match = m.nodes[e.to].match || m.nodes[fail].match
		}
	}
	return m
}

// child returns the node that at's edge on b leads to.
func (m *Matcher) child(at int32, b byte) (int32, bool) {
	n := m.nodes[at]
	edges := m.edges[n.first : n.first+n.count]
	i, found := slices.BinarySearchFunc(edges, b, func(e edge, b byte) int { return int(e.b) - int(b) })
	if !found {
		return 0, false
	}
	return edges[i].to, true
}

// Contains reports whether any pattern occurs in text.
func (m *Matcher) Contains(text []byte) bool {
	found, _ := m.ContainsSteps(text)
	return found
}

// ContainsSteps is Contains that also says how many automaton steps the
// search took: one per edge taken and one per failure link followed. The
// count is at most 2·len(text), which is what makes the search linear in
// the text whatever the patterns are; tests assert it.
func (m *Matcher) ContainsSteps(text []byte) (found bool, steps int) {
	if len(m.nodes) == 0 {
		return false, 0
	}
	at := int32(0)
	for _, b := range text {
		for {
			steps++
			if to, ok := m.child(at, b); ok {
				at = to
				break
			}
			if at == 0 {
				break
			}
			at = m.nodes[at].fail
		}
		if m.nodes[at].match {
			return true, steps
		}
	}
	return false, steps
}
