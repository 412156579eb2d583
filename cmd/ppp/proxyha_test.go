package main

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/viaa/ppp/cmd/ppp/internal/proxyfrom"
	"github.com/viaa/ppp/domain/i18n"
)

// TestProxyFrom_BadRange_RefusesToStartNamingIt: a PPP_PROXY_FROM entry
// that is neither a CIDR range nor an address, or a list of none, stops
// the server with a usage error naming the setting and the entry, and the
// listener is closed; unset, the listener is served as it is; set, it is
// wrapped.
func TestProxyFrom_BadRange_RefusesToStartNamingIt(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.DiscardHandler)
	for value, entry := range map[string]string{
		"10.0.0.0/8,10.1.0.0/33": "10.1.0.0/33", "haproxy.viaa.lv": "haproxy.viaa.lv", " , ": ",",
	} {
		m := &Main{Env: envOf(map[string]string{proxyFromEnv: value}), Stdout: io.Discard, Stderr: io.Discard, cat: i18n.For(i18n.EN)}
		if err := m.checkProxyFrom(); !isUsage(err) || !strings.Contains(err.Error(), proxyFromEnv) || !strings.Contains(err.Error(), entry) {
			t.Errorf("%s=%q: %v; want a usage error naming the setting and %q", proxyFromEnv, value, err, entry)
		}
		ln := listen(t)
		if _, err := m.behindBalancer(ln, "ssh", log); !isUsage(err) {
			t.Errorf("%s=%q: behindBalancer gave %v", proxyFromEnv, value, err)
		}
		if _, err := ln.Accept(); !errors.Is(err, net.ErrClosed) {
			t.Errorf("%s=%q: the listener is still open", proxyFromEnv, value)
		}
	}
	m := &Main{Env: envOf(nil), cat: i18n.For(i18n.EN)}
	if ln := listen(t); mustBehind(t, m, ln) != ln {
		t.Error("without PPP_PROXY_FROM the listener is wrapped")
	}
	m.Env = envOf(map[string]string{proxyFromEnv: "10.0.0.0/8"})
	if _, ok := mustBehind(t, m, listen(t)).(*proxyfrom.Listener); !ok {
		t.Error("with PPP_PROXY_FROM the listener is not the balancer's")
	}
}

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	return ln
}

func mustBehind(t *testing.T, m *Main, ln net.Listener) net.Listener {
	t.Helper()
	out, err := m.behindBalancer(ln, "ssh", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = out.Close() })
	return out
}
