package main

import (
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"strings"

	"github.com/viaa/ppp/cmd/ppp/internal/proxyfrom"
)

// proxyFromEnv is the setting naming the load balancers' addresses.
const proxyFromEnv = "PPP_PROXY_FROM"

// checkProxyFrom refuses to start on a PPP_PROXY_FROM that is set but
// holds an entry that is neither a CIDR range nor an IP address (or no
// entry at all): a typo must not open the listeners to everyone, nor shut
// them silently. It returns a usage error naming the entry.
func (m *Main) checkProxyFrom() error {
	_, err := m.proxyFrom()
	return err
}

// proxyFrom returns the ranges of PPP_PROXY_FROM, none when it is not set.
func (m *Main) proxyFrom() ([]netip.Prefix, error) {
	s := m.Env(proxyFromEnv)
	if s == "" {
		return nil, nil
	}
	from, err := proxyfrom.ParseFrom(s)
	var bad proxyfrom.BadEntry
	if errors.As(err, &bad) {
		entry := string(bad)
		if entry == "" {
			entry = strings.TrimSpace(s)
		}
		return nil, usageError{m.cat.T("cli.serve.bad_proxies", proxyFromEnv, entry)}
	}
	return from, err
}

// behindBalancer returns ln as it is when PPP_PROXY_FROM is not set, and
// otherwise wrapped so that it takes connections only from those ranges,
// each opening with a PROXY protocol header whose client address is then
// the connection's (proxyfrom.Listener). name says which listener in the
// log. It returns checkProxyFrom's error, having closed ln.
func (m *Main) behindBalancer(ln net.Listener, name string, logger *slog.Logger) (net.Listener, error) {
	from, err := m.proxyFrom()
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	if from == nil {
		return ln, nil
	}
	logger.Info("connections only through the load balancer, with a PROXY protocol header", "listener", name,
		"ranges", len(from), "header_timeout", proxyfrom.DefaultHeaderTimeout)
	return proxyfrom.Listen(ln, proxyfrom.Config{From: from, Name: name, Logger: logger}), nil
}
