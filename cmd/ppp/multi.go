package main

// Several instances on one database (issue 19): the host key they share
// behind a load balancer.

import (
	"github.com/viaa/ppp/tui/server"
)

// sharedHostKey applies PPP_HOST_KEY_FILE to cfg: the SSH host key every
// instance behind one balancer serves, read and never created. It runs
// before anything else of `ppp serve`, so that a refused key stops the
// server before it starts any work. It returns the refusals of
// server.LoadHostKeyFile (EINVALID "hostkey.…").
func (m *Main) sharedHostKey(cfg *server.Config) error {
	path := m.Env("PPP_HOST_KEY_FILE")
	if path == "" {
		return nil
	}
	signer, err := server.LoadHostKeyFile(path)
	if err != nil {
		return err
	}
	cfg.HostKey = signer
	return nil
}
