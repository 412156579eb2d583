// Package termfilter filters what a program writes to a terminal, passing
// only the escape sequences a policy allows (see Policy): the backstop
// behind domain/plain's rule for values, at the byte stream.
package termfilter

import (
	"io"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/parser"

	"github.com/viaa/ppp/domain/plain"
)

// Policy says which escape sequences and controls a Writer lets through.
type Policy int

const (
	// Plain lets no escape sequence through, and of the controls only the
	// line break and the tab: what a command-line verb prints.
	Plain Policy = iota
	// Renderer lets through what Bubble Tea's renderer itself writes and
	// nothing else: SGR (colours and attributes), cursor movement and
	// positioning, erasing lines and the screen, inserting and deleting
	// lines, scroll margins, and the DEC private modes it sets (alternate
	// screen, cursor visibility, bracketed paste, mouse and focus
	// reporting); of the controls \r, \n, \b and \t. No OSC (title,
	// clipboard, colours, hyperlinks), DCS, APC, PM or SOS, no other escape,
	// no C1 control and no bidi control gets out.
	Renderer
)

// Writer passes what is written to it on to an underlying writer, made
// plain: it parses the stream with x/ansi's parser (the one Bubble Tea
// and lipgloss use), so a sequence or a UTF-8 character split across two
// writes is judged whole. Bytes that are not UTF-8 become U+FFFD. It is
// safe for concurrent use; each Write makes at most one write underneath.
type Writer struct {
	mu     sync.Mutex
	w      io.Writer
	policy Policy
	p      *ansi.Parser
	out    []byte // what the write in progress lets through (from outPool)
	fromC1 bool   // the sequence being read began with a C1 character
}

// esc starts every escape sequence.
const esc = 0x1b

// outPool holds the buffers of writes in progress: an idle SSH session
// keeps none (memory per idle session is one of the measured figures).
var outPool = sync.Pool{New: func() any { return new([]byte) }}

// NewWriter returns a Writer onto w that lets through what policy allows.
func NewWriter(w io.Writer, policy Policy) *Writer {
	pw := &Writer{w: w, policy: policy, p: new(ansi.Parser)}
	// As ansi.NewParser, but strings (OSC and the like) are dropped
	// whatever they hold: no 64 KB buffer for their bytes.
	pw.p.SetParamsSize(parser.MaxParamsSize)
	pw.p.SetDataSize(1)
	pw.p.SetHandler(ansi.Handler{
		Print:     pw.print,
		Execute:   pw.execute,
		HandleCsi: pw.csi,
	})
	return pw
}

// Write filters p and writes what is let through. It returns len(p) when
// the underlying write succeeds (what was dropped counts as written), and
// the underlying writer's error otherwise.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	buf := outPool.Get().(*[]byte)
	w.out = (*buf)[:0]
	defer func() {
		if cap(w.out) <= 64<<10 { // a huge write's buffer is not kept
			*buf = w.out[:0]
			outPool.Put(buf)
		}
		w.out = nil
	}()
	for i := 0; i < len(p); {
		if w.p.State() != parser.GroundState {
			w.p.Advance(p[i])
			i++
			if w.p.State() == parser.GroundState {
				w.fromC1 = false
			}
			continue
		}
		// Text is most of a frame: printable ASCII and whole UTF-8
		// characters are copied without the parser.
		c := p[i]
		switch {
		case c >= 0x20 && c < 0x7f:
			j := i + 1
			for j < len(p) && p[j] >= 0x20 && p[j] < 0x7f {
				j++
			}
			w.out = append(w.out, p[i:j]...)
			i = j
		case c >= 0xc2 && c <= 0xf4 && utf8.FullRune(p[i:]):
			r, size := utf8.DecodeRune(p[i:])
			switch {
			case r == utf8.RuneError:
				w.out = append(w.out, "\uFFFD"...)
			case r <= 0x9f:
				// A C1 control written as a character: read as the
				// 7-bit sequence it stands for (U+009B is ESC [), so
				// that what it starts is dropped whole, whatever the
				// policy: never turned into a sequence that works.
				w.fromC1 = true
				w.p.Advance(esc)
				w.p.Advance(byte(r - 0x40))
				w.fromC1 = w.p.State() != parser.GroundState
			case !plain.IsBidiControl(r):
				w.out = append(w.out, p[i:i+size]...)
			}
			i += size
		case c >= 0x80 && (c < 0xc2 || c > 0xf4):
			// Not UTF-8 (a C1 control in its 8-bit form among them): a
			// terminal must not read it as anything but a bad byte.
			w.out = append(w.out, "\uFFFD"...)
			i++
		default:
			// A control, or a character whose end is in the next write.
			w.fromC1 = false
			w.p.Advance(c)
			i++
		}
	}
	if len(w.out) > 0 {
		if _, err := w.w.Write(w.out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// dropped reports whether a printable character never reaches a terminal:
// a C1 control or an invisible character that reorders text.
func dropped(r rune) bool {
	return r >= 0x80 && r <= 0x9f || plain.IsBidiControl(r)
}

func (w *Writer) print(r rune) {
	if r == utf8.RuneError {
		w.out = append(w.out, "\uFFFD"...)
		return
	}
	if r < 0x20 || r == 0x7f || dropped(r) {
		return
	}
	w.out = utf8.AppendRune(w.out, r)
}

func (w *Writer) execute(b byte) {
	switch b {
	case '\n', '\t':
		w.out = append(w.out, b)
	case '\r', '\b':
		if w.policy == Renderer {
			w.out = append(w.out, b)
		}
	}
}

// csi lets a CSI sequence through when the policy allows it, written out
// again in its 7-bit form from what the parser read.
func (w *Writer) csi(cmd ansi.Cmd, params ansi.Params) {
	if w.policy != Renderer || w.fromC1 || !rendererCSI(cmd, params) {
		return
	}
	w.out = append(w.out, esc, '[')
	if p := cmd.Prefix(); p != 0 {
		w.out = append(w.out, p)
	}
	for i, p := range params {
		if v := p.Param(-1); v >= 0 {
			w.out = strconv.AppendInt(w.out, int64(v), 10)
		}
		switch {
		case p.HasMore():
			w.out = append(w.out, ':')
		case i < len(params)-1:
			w.out = append(w.out, ';')
		}
	}
	if in := cmd.Intermediate(); in != 0 {
		w.out = append(w.out, in)
	}
	w.out = append(w.out, cmd.Final())
}

// rendererCSI reports whether Bubble Tea's renderer writes sequences like
// this one.
func rendererCSI(cmd ansi.Cmd, params ansi.Params) bool {
	if cmd.Intermediate() != 0 {
		return false
	}
	switch cmd.Prefix() {
	case 0:
		switch cmd.Final() {
		case 'm', // SGR
			'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'f', // cursor
			'J', 'K', // erase in display, in line
			'L', 'M', // insert, delete lines
			'r': // scroll margins
			return true
		}
	case '?':
		if cmd.Final() != 'h' && cmd.Final() != 'l' || len(params) == 0 {
			return false
		}
		for _, p := range params {
			switch p.Param(-1) {
			case 25, // cursor visibility
				1049, 1047, 47, // alternate screen
				2004,                   // bracketed paste
				1000, 1002, 1003, 1006, // mouse
				1004: // focus
			default:
				return false
			}
		}
		return true
	}
	return false
}
