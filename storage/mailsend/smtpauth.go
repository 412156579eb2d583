package mailsend

import (
	"errors"
	"fmt"
	"net/smtp"
	"slices"
)

// credentials is the SMTP sender's smtp.Auth: AUTH PLAIN or AUTH LOGIN,
// the one the URL names or the one the server advertises (PLAIN first).
// Like net/smtp's PlainAuth it sends nothing unless the connection is
// encrypted or the server is this machine, so a server that drops
// STARTTLS from its greeting (or a man in the middle who strips it) never
// sees the password.
type credentials struct {
	user, password, host string
	// mech is "PLAIN", "LOGIN", or "" to choose.
	mech string

	// login is the state of an AUTH LOGIN exchange: the challenges
	// answered so far.
	login int
	plain smtp.Auth
}

// Start implements smtp.Auth.
func (a *credentials) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLocalhost(server.Name) {
		return "", nil, errors.New("unencrypted connection: credentials are sent only over TLS (starttls=required, or smtps)")
	}
	mech := a.mech
	if mech == "" {
		mech = "PLAIN"
		if slices.Contains(server.Auth, "LOGIN") && !slices.Contains(server.Auth, "PLAIN") {
			mech = "LOGIN"
		}
	}
	if mech == "LOGIN" {
		a.login = 0
		return "LOGIN", nil, nil
	}
	a.plain = smtp.PlainAuth("", a.user, a.password, a.host)
	// PlainAuth checks the host against the name the client dialled,
	// as the check above does.
	return a.plain.Start(server)
}

// Next implements smtp.Auth. AUTH LOGIN's challenges ("Username:",
// "Password:", in some servers' own words) are answered by their order.
func (a *credentials) Next(fromServer []byte, more bool) ([]byte, error) {
	if a.plain != nil {
		return a.plain.Next(fromServer, more)
	}
	if !more {
		return nil, nil
	}
	a.login++
	switch a.login {
	case 1:
		return []byte(a.user), nil
	case 2:
		return []byte(a.password), nil
	default:
		return nil, fmt.Errorf("AUTH LOGIN: unexpected challenge %q", fromServer)
	}
}

// isLocalhost reports whether name is this machine, as net/smtp decides
// for PLAIN.
func isLocalhost(name string) bool {
	return name == "localhost" || name == "127.0.0.1" || name == "::1"
}
