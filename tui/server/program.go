package server

import (
	"io"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/viaa/ppp/tui/app"
	"github.com/viaa/ppp/tui/termfilter"
	"github.com/viaa/ppp/tui/theme"
)

// programFPS caps redraws. Bubble Tea v1 draws on its frame tick only,
// so the first frame and every key's echo wait for the next tick: at 60
// (Bubble Tea's default) that is at most 17 ms, at 30 it was 33 ms, which
// made the first frame 2.4× a minimal app's. An idle session's tick finds
// nothing to draw; measured by `ppp bench`, CPU per 100 idle sessions
// stays within its budget either way.
const programFPS = 60

// handleSession runs the session's program. The renderer is made here,
// from the PTY's TERM and the session's environment, without asking the
// terminal anything, so the first frame goes out at once even to a client
// that never answers terminal queries.
func (s *Server) handleSession(sess *session) {
	styles := theme.New(theme.NewRenderer(sess, theme.ProfileFromEnv(sess.Environ())))
	changes, unsubscribe := s.svc.Feed.Subscribe()
	defer unsubscribe()

	model := app.New(app.Options{
		Ctx:         sess.ctx,
		Services:    s.svc,
		Operator:    sess.operator,
		Styles:      styles,
		Width:       sess.pty.Window.Width,
		Height:      sess.pty.Window.Height,
		Changes:     changes,
		IdleTimeout: s.cfg.IdleTimeout,

		MustChangePassword: mustChangePassword(sess),
	})
	live := sess.live
	input := &inputWatch{r: sess, onEnd: func() { live.end(app.ReasonDropped) }}
	p := tea.NewProgram(model,
		tea.WithInput(input),
		tea.WithOutput(sessionOutput(sess)),
		tea.WithContext(sess.ctx),
		tea.WithAltScreen(),
		tea.WithoutSignalHandler(),
		tea.WithFilter(dropSuspend),
		tea.WithFPS(programFPS),
	)
	live.attach(p)

	go func() {
		for {
			select {
			case <-sess.ctx.Done():
				return
			case w, ok := <-sess.winch:
				if !ok {
					return
				}
				p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	}()
	maxTimer := time.AfterFunc(s.cfg.MaxSession, func() { live.end(app.ReasonMax) })
	defer maxTimer.Stop()

	final, err := p.Run()
	live.stop()
	if err != nil && sess.ctx.Err() == nil {
		sess.logger(s.log).Warn("program", "err", err)
	}
	if m, ok := final.(*app.Model); ok {
		sess.reason = m.EndReason()
		sess.lang = m.Language()
	}
	if sess.reason == "" {
		sess.reason = live.endReason()
	}
	if sess.ctx.Err() != nil && sess.reason == "" {
		sess.reason = app.ReasonDropped
	}
}

// dropSuspend filters out ctrl+z's suspend: in Bubble Tea v1 it would stop
// the whole server process.
func dropSuspend(_ tea.Model, msg tea.Msg) tea.Msg {
	if _, ok := msg.(tea.SuspendMsg); ok {
		return nil
	}
	return msg
}

// inputWatch reports once when the client's input ends: the channel closed
// while the connection may stay up (a multiplexed client).
type inputWatch struct {
	r     io.Reader
	once  sync.Once
	onEnd func()
}

// Read reads from the session and reports the first error, EOF included.
func (w *inputWatch) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if err != nil {
		w.once.Do(w.onEnd)
	}
	return n, err
}

// sessionOutput is what a session's program writes to: the SSH channel
// behind a filter that lets through only what Bubble Tea's renderer itself
// writes (tui/termfilter's Renderer policy: SGR, cursor movement, erasing, the
// DEC modes it sets; no OSC, DCS, APC, PM, SOS, C1 or bidi control). The
// screens make stored text plain where they draw it; this is the
// backstop behind them, so that a value a screen forgot still cannot
// retitle the operator's terminal or write its clipboard.
func sessionOutput(w io.Writer) io.Writer { return termfilter.NewWriter(w, termfilter.Renderer) }
