package mailin

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of the listener's configuration.
const (
	DefaultMaxSize        = 10 << 20
	DefaultMaxConns       = 20
	DefaultCommandTimeout = 5 * time.Minute
	DefaultDataTimeout    = 10 * time.Minute
	maxRecipients         = 100
	maxLine               = 4096 // command lines; RFC 5321 asks for 512
	maxErrors             = 10
)

// ErrRejected marks a permanent failure of a Deliver callback: the sender
// gets 554 and does not retry. Any other error is taken as temporary (451),
// so that the relaying server keeps the message and tries again.
var ErrRejected = errors.New("mailin: message rejected")

// DeliverFunc stores one accepted message. It must be idempotent (store
// once by Message-ID): a sender that missed the reply sends again.
type DeliverFunc func(ctx context.Context, raw []byte) error

// Config configures a Listener.
type Config struct {
	Addr           string   // PPP_MAIL_ADDR, e.g. ":2525"
	Hostname       string   // in the greeting; os.Hostname by default
	Recipients     []string // accepted addresses, e.g. stars@viaa.gov.lv
	MaxSize        int64    // bytes of a message; DefaultMaxSize when 0
	MaxConns       int      // concurrent connections; DefaultMaxConns when 0
	CommandTimeout time.Duration
	DataTimeout    time.Duration // the whole DATA phase
	Deliver        DeliverFunc
	Logger         *slog.Logger
}

// Listener is a receive-only SMTP server for the Agency's mail server to
// relay the helpdesk's mail to. It accepts only the configured recipients
// and relays nothing.
type Listener struct {
	cfg   Config
	rcpts map[string]bool
	sem   chan struct{}

	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// NewListener returns a listener for cfg, with defaults filled in.
func NewListener(cfg Config) *Listener {
	if cfg.MaxSize <= 0 {
		cfg.MaxSize = DefaultMaxSize
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = DefaultMaxConns
	}
	if cfg.CommandTimeout <= 0 {
		cfg.CommandTimeout = DefaultCommandTimeout
	}
	if cfg.DataTimeout <= 0 {
		cfg.DataTimeout = DefaultDataTimeout
	}
	if cfg.Hostname == "" {
		cfg.Hostname, _ = os.Hostname()
		if cfg.Hostname == "" {
			cfg.Hostname = "localhost"
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	l := &Listener{cfg: cfg, rcpts: map[string]bool{}, sem: make(chan struct{}, cfg.MaxConns), conns: map[net.Conn]struct{}{}}
	for _, r := range cfg.Recipients {
		if r = strings.ToLower(strings.TrimSpace(r)); r != "" {
			l.rcpts[r] = true
		}
	}
	return l
}

// ListenAndServe listens on cfg.Addr and serves until ctx ends.
func (l *Listener) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", l.cfg.Addr)
	if err != nil {
		return err
	}
	return l.Serve(ctx, ln)
}

// Serve accepts connections on ln until ctx ends or Close is called; it
// returns after every session has ended.
func (l *Listener) Serve(ctx context.Context, ln net.Listener) error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		ln.Close()
		return net.ErrClosed
	}
	l.ln = ln
	l.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	defer l.wg.Wait()
	for {
		c, err := ln.Accept()
		if err != nil {
			l.mu.Lock()
			closed := l.closed
			l.mu.Unlock()
			if closed {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return err
		}
		if !l.track(c, true) {
			c.Close()
			return nil
		}
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			defer l.track(c, false)
			defer c.Close()
			select {
			case l.sem <- struct{}{}:
				defer func() { <-l.sem }()
				l.session(ctx, c)
			default:
				c.SetWriteDeadline(time.Now().Add(10 * time.Second))
				fmt.Fprintf(c, "421 4.3.2 %s too many connections, try again later\r\n", l.cfg.Hostname)
			}
		}()
	}
}

func (l *Listener) track(c net.Conn, add bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if add {
		if l.closed {
			return false
		}
		l.conns[c] = struct{}{}
	} else {
		delete(l.conns, c)
	}
	return true
}

// Addr is the address listened on, once Serve has started.
func (l *Listener) Addr() net.Addr {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln == nil {
		return nil
	}
	return l.ln.Addr()
}

// Close stops accepting and ends the open sessions.
func (l *Listener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	var err error
	if l.ln != nil {
		err = l.ln.Close()
	}
	for c := range l.conns {
		c.Close()
	}
	return err
}

// session is one SMTP conversation.
type session struct {
	l     *Listener
	c     net.Conn
	r     *bufio.Reader
	w     *bufio.Writer
	helo  string
	from  string
	inTx  bool
	rcpts []string
}

func (l *Listener) session(ctx context.Context, c net.Conn) {
	s := &session{l: l, c: c, r: bufio.NewReaderSize(c, 8192), w: bufio.NewWriter(c)}
	log := l.cfg.Logger.With("remote", c.RemoteAddr().String())
	s.reply(220, l.cfg.Hostname+" ESMTP ppp helpdesk")
	errs := 0
	for {
		c.SetReadDeadline(time.Now().Add(l.cfg.CommandTimeout))
		line, err := s.readLine()
		if errors.Is(err, errLineTooLong) {
			s.reply(500, "5.5.2 line too long")
			errs++
			continue
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				s.reply(421, "4.4.2 "+l.cfg.Hostname+" timeout, closing")
			}
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		arg = strings.TrimSpace(arg)
		code := 0
		switch verb {
		case "EHLO", "HELO":
			code = s.hello(verb, arg)
		case "MAIL":
			code = s.mail(arg)
		case "RCPT":
			code = s.rcpt(arg)
		case "DATA":
			code = s.data(ctx, log)
		case "RSET":
			s.reset()
			code = s.reply(250, "2.0.0 OK")
		case "NOOP":
			code = s.reply(250, "2.0.0 OK")
		case "VRFY":
			code = s.reply(252, "2.5.0 cannot verify")
		case "QUIT":
			s.reply(221, "2.0.0 "+l.cfg.Hostname+" closing connection")
			return
		case "STARTTLS", "AUTH", "TURN", "ETRN", "EXPN", "HELP", "BDAT":
			code = s.reply(502, "5.5.1 command not implemented")
		default:
			code = s.reply(500, "5.5.2 command not recognised")
		}
		if code == -1 {
			return
		}
		if code >= 500 {
			errs++
		}
		if errs >= maxErrors {
			s.reply(421, "4.7.0 too many errors, closing")
			return
		}
	}
}

var errLineTooLong = errors.New("line too long")

// readLine reads one command line without its line ending. A line over
// maxLine is read to its end and refused.
func (s *session) readLine() (string, error) {
	var buf []byte
	tooLong := false
	for {
		chunk, err := s.r.ReadSlice('\n')
		if len(buf)+len(chunk) > maxLine {
			tooLong = true
		} else {
			buf = append(buf, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			return "", err
		}
		break
	}
	if tooLong {
		return "", errLineTooLong
	}
	return strings.TrimRight(string(buf), "\r\n"), nil
}

// reply writes a (possibly multi-line) reply and returns its code, or -1
// when the connection is gone.
func (s *session) reply(code int, lines ...string) int {
	s.c.SetWriteDeadline(time.Now().Add(s.l.cfg.CommandTimeout))
	for i, l := range lines {
		sep := " "
		if i < len(lines)-1 {
			sep = "-"
		}
		fmt.Fprintf(s.w, "%d%s%s\r\n", code, sep, l)
	}
	if s.w.Flush() != nil {
		return -1
	}
	return code
}

func (s *session) reset() {
	s.from, s.inTx, s.rcpts = "", false, nil
}

func (s *session) hello(verb, arg string) int {
	if arg == "" {
		return s.reply(501, "5.5.4 "+verb+" needs a domain")
	}
	s.reset()
	s.helo = arg
	if verb == "HELO" {
		return s.reply(250, s.l.cfg.Hostname)
	}
	return s.reply(250, s.l.cfg.Hostname, "SIZE "+strconv.FormatInt(s.l.cfg.MaxSize, 10), "8BITMIME")
}

// pathArg parses "FROM:<addr> PARAMS" or "TO:<addr> PARAMS".
func pathArg(arg, prefix string) (addr string, params []string, ok bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", nil, false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if strings.HasPrefix(rest, "<") {
		end := strings.IndexByte(rest, '>')
		if end < 0 {
			return "", nil, false
		}
		addr, rest = rest[1:end], rest[end+1:]
	} else {
		addr, rest, _ = strings.Cut(rest, " ")
	}
	if i := strings.IndexByte(addr, ':'); i >= 0 && strings.HasPrefix(addr, "@") {
		addr = addr[i+1:] // source route
	}
	return strings.ToLower(strings.TrimSpace(addr)), strings.Fields(rest), true
}

func (s *session) mail(arg string) int {
	if s.helo == "" {
		return s.reply(503, "5.5.1 say EHLO first")
	}
	if s.inTx {
		return s.reply(503, "5.5.1 nested MAIL command")
	}
	from, params, ok := pathArg(arg, "FROM:")
	if !ok {
		return s.reply(501, "5.5.4 syntax: MAIL FROM:<address>")
	}
	for _, p := range params {
		k, v, _ := strings.Cut(p, "=")
		switch strings.ToUpper(k) {
		case "SIZE":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return s.reply(501, "5.5.4 bad SIZE")
			}
			if n > s.l.cfg.MaxSize {
				return s.reply(552, "5.3.4 message size exceeds fixed maximum message size")
			}
		case "BODY":
			if u := strings.ToUpper(v); u != "7BIT" && u != "8BITMIME" {
				return s.reply(501, "5.5.4 bad BODY")
			}
		default:
			return s.reply(555, "5.5.4 unsupported parameter "+k)
		}
	}
	s.from, s.inTx, s.rcpts = from, true, nil
	return s.reply(250, "2.1.0 OK")
}

func (s *session) rcpt(arg string) int {
	if !s.inTx {
		return s.reply(503, "5.5.1 need MAIL first")
	}
	to, params, ok := pathArg(arg, "TO:")
	if !ok || to == "" {
		return s.reply(501, "5.5.4 syntax: RCPT TO:<address>")
	}
	if len(params) > 0 {
		return s.reply(555, "5.5.4 unsupported parameter")
	}
	if !s.l.rcpts[to] {
		return s.reply(550, "5.1.1 no such mailbox here; relaying denied")
	}
	if len(s.rcpts) >= maxRecipients {
		return s.reply(452, "4.5.3 too many recipients")
	}
	s.rcpts = append(s.rcpts, to)
	return s.reply(250, "2.1.5 OK")
}

func (s *session) data(ctx context.Context, log *slog.Logger) int {
	if !s.inTx || len(s.rcpts) == 0 {
		return s.reply(503, "5.5.1 need RCPT first")
	}
	if s.reply(354, "end data with <CR><LF>.<CR><LF>") < 0 {
		return -1
	}
	s.c.SetReadDeadline(time.Now().Add(s.l.cfg.DataTimeout))
	raw, over, err := readData(s.r, s.l.cfg.MaxSize)
	defer s.reset()
	if err != nil {
		return -1
	}
	if over {
		log.Info("mail refused: too large", "from", s.from, "max", s.l.cfg.MaxSize)
		return s.reply(552, "5.3.4 message size exceeds fixed maximum message size")
	}
	if s.l.cfg.Deliver == nil {
		return s.reply(451, "4.3.0 not ready to store mail, try again later")
	}
	if err := s.l.cfg.Deliver(ctx, raw); err != nil {
		if errors.Is(err, ErrRejected) {
			log.Info("mail rejected", "from", s.from, "err", err)
			return s.reply(554, "5.6.0 message rejected")
		}
		log.Warn("mail not stored, sender will retry", "from", s.from, "err", err)
		return s.reply(451, "4.3.0 temporary failure, try again later")
	}
	log.Info("mail received", "from", s.from, "bytes", len(raw))
	return s.reply(250, "2.0.0 OK queued")
}

// readData reads a DATA section up to its lone dot, undoing the dot
// stuffing. Beyond max bytes it stops keeping the message but reads on to
// the end, and reports over.
func readData(r *bufio.Reader, max int64) (raw []byte, over bool, err error) {
	var buf []byte
	atLineStart := true
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, false, err
		}
		full := errors.Is(err, bufio.ErrBufferFull)
		if atLineStart {
			line = append(line[:0], chunk...)
			if !full {
				if string(line) == ".\r\n" || string(line) == ".\n" {
					if over {
						return nil, true, nil
					}
					return buf, false, nil
				}
			}
			if len(line) > 0 && line[0] == '.' {
				line = line[1:]
			}
			chunk = line
		}
		atLineStart = !full
		if !over {
			if int64(len(buf)+len(chunk)) > max {
				over, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
	}
}
