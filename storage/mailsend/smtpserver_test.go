package mailsend_test

import (
	"bufio"
	"encoding/base64"
	"net"
	"strings"
	"sync"
	"testing"
)

// received is one message an smtpServer accepted.
type received struct {
	From string
	To   []string
	Data string // as sent, dot-stuffing undone, CRLF line ends
	Auth string // "user\x00password" when the client authenticated
}

// smtpServer is an in-process SMTP server speaking just enough of RFC 5321
// for net/smtp: EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
// Its behaviour can be changed while it runs, to fail and recover.
type smtpServer struct {
	t  testing.TB
	ln net.Listener

	mu       sync.Mutex
	msgs     []received
	sessions int
	// dataReply, when set, answers DATA instead of 354 (e.g. "451 4.3.0
	// try later").
	dataReply string
	// endReply, when set, answers the final dot instead of 250.
	endReply string
	// rcptReply, when set, answers RCPT instead of 250.
	rcptReply string
	// silent accepts connections and never greets.
	silent bool

	wg sync.WaitGroup
}

// startSMTPServer listens on addr ("127.0.0.1:0" for any port) until the
// test ends.
func startSMTPServer(t testing.TB, addr string) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("SMTP test server: %v", err)
	}
	s := &smtpServer{t: t, ln: ln}
	s.wg.Go(s.serve)
	t.Cleanup(s.close)
	return s
}

// addr returns the host:port the server listens on.
func (s *smtpServer) addr() string { return s.ln.Addr().String() }

// close stops listening and waits for every session to end.
func (s *smtpServer) close() {
	_ = s.ln.Close()
	s.wg.Wait()
}

func (s *smtpServer) set(f func(s *smtpServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

func (s *smtpServer) sessionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

func (s *smtpServer) serve() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.sessions++
		s.mu.Unlock()
		s.wg.Go(func() {
			defer conn.Close()
			s.session(conn)
		})
	}
}

// session serves one connection.
func (s *smtpServer) session(conn net.Conn) {
	s.mu.Lock()
	silent := s.silent
	s.mu.Unlock()
	r := bufio.NewReader(conn)
	if silent {
		// Wait for the client to give up.
		_, _ = r.ReadString(0)
		return
	}
	reply := func(lines ...string) bool {
		_, err := conn.Write([]byte(strings.Join(lines, "\r\n") + "\r\n"))
		return err == nil
	}
	if !reply("220 smtp.test ESMTP ready") {
		return
	}
	var cur received
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		s.mu.Lock()
		dataReply, endReply, rcptReply := s.dataReply, s.endReply, s.rcptReply
		s.mu.Unlock()
		switch strings.ToUpper(verb) {
		case "EHLO":
			reply("250-smtp.test greets you", "250-8BITMIME", "250-AUTH PLAIN", "250 SIZE 10485760")
		case "HELO":
			reply("250 smtp.test")
		case "AUTH":
			mech, creds, _ := strings.Cut(arg, " ")
			raw, err := base64.StdEncoding.DecodeString(creds)
			if !strings.EqualFold(mech, "PLAIN") || err != nil {
				reply("504 5.5.4 unsupported")
				continue
			}
			// authzid \0 user \0 password
			parts := strings.SplitN(string(raw), "\x00", 3)
			if len(parts) != 3 {
				reply("501 5.5.2 malformed")
				continue
			}
			cur.Auth = parts[1] + "\x00" + parts[2]
			reply("235 2.7.0 authenticated")
		case "MAIL":
			cur = received{Auth: cur.Auth, From: addrArg(arg)}
			reply("250 2.1.0 ok")
		case "RCPT":
			if rcptReply != "" {
				reply(rcptReply)
				continue
			}
			cur.To = append(cur.To, addrArg(arg))
			reply("250 2.1.5 ok")
		case "DATA":
			if dataReply != "" {
				reply(dataReply)
				continue
			}
			reply("354 end with <CRLF>.<CRLF>")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			if endReply != "" {
				reply(endReply)
				continue
			}
			cur.Data = data.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			reply("250 2.0.0 queued")
		case "RSET":
			cur = received{Auth: cur.Auth}
			reply("250 2.0.0 ok")
		case "NOOP":
			reply("250 2.0.0 ok")
		case "QUIT":
			reply("221 2.0.0 bye")
			return
		default:
			reply("502 5.5.2 not implemented")
		}
	}
}

// addrArg returns the address of "FROM:<a@b.lv> BODY=8BITMIME".
func addrArg(arg string) string {
	_, rest, _ := strings.Cut(arg, ":")
	rest = strings.TrimSpace(rest)
	if i := strings.IndexByte(rest, '>'); strings.HasPrefix(rest, "<") && i > 0 {
		return rest[1:i]
	}
	return rest
}
