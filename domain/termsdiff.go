package domain

import (
	"cmp"
	"slices"
	"strings"
)

// diffCostLimit bounds how far one middle-snake search of DiffLines goes
// (in edit steps). A search that reaches it takes the furthest point it
// got to as its split instead of the optimal one, so that two large,
// thoroughly reshuffled texts are compared in bounded time; the script is
// still a correct one, only not the shortest. Terms texts edited by a
// person never come near it.
const diffCostLimit = 2048

// DiffLines compares two texts line by line and returns the edit script
// turning old into new: every line of old, in order, as ' ' (kept) or '-'
// (removed), merged with every line of new as ' ' or '+' (added). Within a
// run of changes the removed lines come before the added ones.
//
// Lines are compared whole, byte for byte, so any Latvian text (or any
// UTF-8, or even invalid UTF-8) compares exactly. "\r\n" counts as "\n";
// a final line break does not start another line, so "a\nb" and "a\nb\n"
// have the same two lines. An empty text has no lines.
//
// The script is a shortest one (Myers' O(ND) algorithm in linear space,
// after setting aside the common head and tail and the lines that occur on
// one side only), except for inputs so reshuffled that the search gives up
// on optimality; see diffCostLimit. A 200 KB text with a few changed lines
// takes about a millisecond.
func DiffLines(old, new string) []DiffOp {
	a, b := splitLines(old), splitLines(new)

	// The common head and tail: usually all but a few lines.
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}

	ops := make([]DiffOp, 0, len(a)+len(b)-head-tail)
	for _, l := range a[:head] {
		ops = append(ops, DiffOp{Kind: ' ', Line: l})
	}
	ops = diffMiddle(ops, a[head:len(a)-tail], b[head:len(b)-tail])
	for _, l := range a[len(a)-tail:] {
		ops = append(ops, DiffOp{Kind: ' ', Line: l})
	}
	return ops
}

// DiffCounts returns how many lines ops adds and removes.
func DiffCounts(ops []DiffOp) (added, removed int) {
	for _, op := range ops {
		switch op.Kind {
		case '+':
			added++
		case '-':
			removed++
		}
	}
	return added, removed
}

// splitLines returns the lines of s as DiffLines sees them.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n")
}

// diffMiddle appends the script for a and b, which share neither their
// first nor their last line.
func diffMiddle(ops []DiffOp, a, b []string) []DiffOp {
	if len(a) == 0 || len(b) == 0 {
		return appendChanges(ops, a, b)
	}

	// Number the lines, so that the search compares integers.
	ids := make(map[string]int, len(a)+len(b))
	inA := make([]bool, 0, len(a)+len(b))
	inB := make([]bool, 0, len(a)+len(b))
	number := func(l string) int {
		id, ok := ids[l]
		if !ok {
			id = len(inA)
			ids[l] = id
			inA, inB = append(inA, false), append(inB, false)
		}
		return id
	}
	na, nb := make([]int, len(a)), make([]int, len(b))
	for i, l := range a {
		na[i] = number(l)
		inA[na[i]] = true
	}
	for i, l := range b {
		nb[i] = number(l)
		inB[nb[i]] = true
	}

	// A line that the other side lacks can only be removed or added, so
	// only the others take part in the search; its results are mapped
	// back. This keeps rewritten texts cheap, where most lines are new.
	var fa, fb []int // the shared lines' numbers
	var ia, ib []int // their positions in a and b
	for i, id := range na {
		if inB[id] {
			fa, ia = append(fa, id), append(ia, i)
		}
	}
	for i, id := range nb {
		if inA[id] {
			fb, ib = append(fb, id), append(ib, i)
		}
	}

	d := &myers{a: fa, b: fb}
	d.compare(0, len(fa), 0, len(fb))
	// d.pairs holds the matched positions of fa and fb, but in the order
	// the recursion found them.
	sortPairs(d.pairs)

	i, j := 0, 0
	for _, p := range d.pairs {
		x, y := ia[p[0]], ib[p[1]]
		ops = appendChanges(ops, a[i:x], b[j:y])
		ops = append(ops, DiffOp{Kind: ' ', Line: a[x]})
		i, j = x+1, y+1
	}
	return appendChanges(ops, a[i:], b[j:])
}

// appendChanges appends a as removed and b as added lines.
func appendChanges(ops []DiffOp, a, b []string) []DiffOp {
	for _, l := range a {
		ops = append(ops, DiffOp{Kind: '-', Line: l})
	}
	for _, l := range b {
		ops = append(ops, DiffOp{Kind: '+', Line: l})
	}
	return ops
}

// sortPairs sorts matched pairs by their position in a (which orders them
// by their position in b too: they lie on one path).
func sortPairs(p [][2]int) {
	slices.SortFunc(p, func(x, y [2]int) int { return cmp.Compare(x[0], y[0]) })
}

// myers finds a longest common subsequence of a and b by Myers'
// divide-and-conquer ("linear space") refinement of the O(ND) algorithm.
type myers struct {
	a, b  []int
	pairs [][2]int // matched (index in a, index in b)
	vf    []int    // furthest x per diagonal, forward search
	vb    []int    // furthest x per diagonal, backward search
}

// compare matches a[aLo:aHi] against b[bLo:bHi].
func (d *myers) compare(aLo, aHi, bLo, bHi int) {
	for {
		for aLo < aHi && bLo < bHi && d.a[aLo] == d.b[bLo] {
			d.pairs = append(d.pairs, [2]int{aLo, bLo})
			aLo, bLo = aLo+1, bLo+1
		}
		for aLo < aHi && bLo < bHi && d.a[aHi-1] == d.b[bHi-1] {
			d.pairs = append(d.pairs, [2]int{aHi - 1, bHi - 1})
			aHi, bHi = aHi-1, bHi-1
		}
		if aLo == aHi || bLo == bHi {
			return
		}
		x, y, ok := d.split(aLo, aHi, bLo, bHi)
		if !ok {
			return // nothing in common
		}
		// Recurse into the smaller half, loop on the larger, so that the
		// stack stays shallow whatever the input.
		if (x-aLo)+(y-bLo) < (aHi-x)+(bHi-y) {
			d.compare(aLo, x, bLo, y)
			aLo, bLo = x, y
		} else {
			d.compare(x, aHi, y, bHi)
			aHi, bHi = x, y
		}
	}
}

// split returns a point (x, y) on a shortest edit path from (aLo, bLo) to
// (aHi, bHi), strictly inside the rectangle so that both halves are
// smaller, found where the forward and the backward searches meet. It
// reports false when the two ranges have nothing in common.
func (d *myers) split(aLo, aHi, bLo, bHi int) (x, y int, ok bool) {
	n, m := aHi-aLo, bHi-bLo
	maxD := (n + m + 1) / 2
	limit := min(maxD, diffCostLimit)
	off := maxD + 1
	size := 2*maxD + 3
	if cap(d.vf) < size {
		d.vf, d.vb = make([]int, size), make([]int, size)
	}
	vf, vb := d.vf[:size], d.vb[:size]
	for i := range vf {
		vf[i], vb[i] = -1, -1
	}
	vf[off+1], vb[off+1] = 0, 0
	delta := n - m
	odd := delta%2 != 0
	a, b := d.a[aLo:aHi], d.b[bLo:bHi]

	// Diagonals whose paths left the rectangle are skipped from then on.
	fStart, fEnd, bStart, bEnd := 0, 0, 0, 0
	bestX, bestY, best := 0, 0, -1
	for step := 0; step < limit; step++ {
		for k := -step + fStart; k <= step-fEnd; k += 2 {
			var x int
			if k == -step || (k != step && vf[off+k-1] < vf[off+k+1]) {
				x = vf[off+k+1]
			} else {
				x = vf[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			vf[off+k] = x
			switch {
			case x > n:
				fEnd += 2
			case y > m:
				fStart += 2
			default:
				if x+y > best && x+y < n+m {
					bestX, bestY, best = x, y, x+y
				}
				if odd {
					kb := delta - k
					if kb >= -maxD-1 && kb <= maxD+1 && vb[off+kb] != -1 && x >= n-vb[off+kb] {
						return d.inside(aLo, bLo, n, m, x, y)
					}
				}
			}
		}
		for k := -step + bStart; k <= step-bEnd; k += 2 {
			var x int
			if k == -step || (k != step && vb[off+k-1] < vb[off+k+1]) {
				x = vb[off+k+1]
			} else {
				x = vb[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[n-x-1] == b[m-y-1] {
				x, y = x+1, y+1
			}
			vb[off+k] = x
			switch {
			case x > n:
				bEnd += 2
			case y > m:
				bStart += 2
			default:
				if !odd {
					kf := delta - k
					if kf >= -maxD-1 && kf <= maxD+1 && vf[off+kf] != -1 {
						fx := vf[off+kf]
						fy := fx - kf
						if fx >= n-x {
							return d.inside(aLo, bLo, n, m, fx, fy)
						}
					}
				}
			}
		}
	}
	if limit < maxD && best > 0 {
		// Too costly to finish: split where the forward search got
		// furthest. The halves are still matched correctly.
		return aLo + bestX, bLo + bestY, true
	}
	return 0, 0, false
}

// inside turns a meeting point into absolute coordinates, refusing a
// corner (which would not make either half smaller).
func (d *myers) inside(aLo, bLo, n, m, x, y int) (int, int, bool) {
	if (x == 0 && y == 0) || (x == n && y == m) {
		return 0, 0, false
	}
	return aLo + x, bLo + y, true
}
