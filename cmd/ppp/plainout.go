package main

import (
	"io"

	"github.com/viaa/ppp/domain/plain"
	"github.com/viaa/ppp/tui/termfilter"
)

// What a verb prints reaches a terminal as much as a screen does, and much
// of it is stored data: operators' names, key comments, policy names,
// persons due a death check, a mail's or a register file's bad line. Two
// things keep it plain (domain/plain for values, tui/termfilter for the stream):
//
//   - Run puts a filter between every verb and its streams: no escape
//     sequence, no control character but the line break and the tab, no
//     C1 or bidi control and no invalid UTF-8 gets through, whichever verb
//     printed it and however (a catalog message, an error, a log line);
//   - a verb that lines values up in columns makes each one a field first,
//     so that a tab or a line break inside a value cannot push the columns
//     out of line and a 100 KB value is cut.

// plainStreams wraps the streams of m in the filter, once.
func (m *Main) plainStreams() {
	m.Stdout, m.Stderr = plainWriter(m.Stdout), plainWriter(m.Stderr)
}

func plainWriter(w io.Writer) io.Writer {
	if w == nil {
		return nil
	}
	if _, ok := w.(*termfilter.Writer); ok {
		return w
	}
	return termfilter.NewWriter(w, termfilter.Plain)
}

// field makes a stored value one field of a verb's output: plain, on one
// line, cut to a display limit.
func field(s string) string { return plain.Show(s) }
