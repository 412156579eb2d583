package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// FitWidth cuts every line of s to at most width cells, keeping escape
// sequences intact, and marks a cut with "…".
func FitWidth(s string, width int) string {
	if width <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

// FitBlock returns s as exactly height lines of at most width cells: longer
// lines are cut, missing lines are added empty, extra lines are dropped.
func FitBlock(s string, width, height int) string {
	if height <= 0 {
		return ""
	}
	lines := strings.Split(FitWidth(s, width), "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// OneLine joins the lines of a (possibly multi-line) message with "; " so
// that it fits a status line.
func OneLine(s string) string {
	s = strings.ReplaceAll(s, "\n• ", "; ")
	return strings.ReplaceAll(s, "\n", "; ")
}

// SpreadLine puts left at the start and right at the end of a line of width
// cells; when both do not fit, right is dropped and left is cut.
func SpreadLine(left, right string, width int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if lw+1+rw > width {
		if rw+12 < width {
			left = ansi.Truncate(left, width-rw-1, "…")
			lw = ansi.StringWidth(left)
		} else {
			return FitWidth(left, width)
		}
	}
	return left + strings.Repeat(" ", width-lw-rw) + right
}
