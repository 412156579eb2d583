package main

import (
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain/i18n"
	"github.com/viaa/ppp/domain/passhash"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/tui/server"
)

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// TestSignInDefences_Settings_ReachServerAuthAndGate: the settings of the
// defences before sign-in reach the server's caps, the AuthService's
// trusted proxies and passhash's gate.
func TestSignInDefences_Settings_ReachServerAuthAndGate(t *testing.T) {
	defer passhash.SetConcurrency(passhash.SetConcurrency(1))
	m := &Main{Env: envOf(map[string]string{
		"PPP_SSH_MAX_UNAUTH": "64", "PPP_SSH_MAX_UNAUTH_PER_ADDR": "4", "PPP_HASH_CONCURRENCY": "3",
		"PPP_SSH_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7,2001:db8::1",
	}), Stdout: io.Discard, Stderr: io.Discard, cat: i18n.For(i18n.EN)}
	var cfg server.Config
	auth := &storage.AuthService{}
	if err := m.signInDefences(&cfg, auth, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"), netip.MustParsePrefix("2001:db8::1/128")}
	if cfg.MaxUnauth != 64 || cfg.MaxUnauthPerAddr != 4 || !slices.Equal(cfg.TrustedProxies, want) ||
		!slices.Equal(auth.Policy.TrustedProxies, want) || passhash.ReadStats().Limit != 3 {
		t.Errorf("config %+v, policy proxies %v, hash limit %d", cfg, auth.Policy.TrustedProxies, passhash.ReadStats().Limit)
	}
}

// TestSignInDefences_BadSetting_UsageErrorNamingIt: a value that is not
// valid stops the server with a usage error that names the setting.
func TestSignInDefences_BadSetting_UsageErrorNamingIt(t *testing.T) {
	for name, value := range map[string]string{
		"PPP_SSH_MAX_UNAUTH": "0", "PPP_SSH_MAX_UNAUTH_PER_ADDR": "many", "PPP_HASH_CONCURRENCY": "1000",
		"PPP_SSH_TRUSTED_PROXIES": "10.0.0.0/8,bastion.viaa.lv",
	} {
		m := &Main{Env: envOf(map[string]string{name: value}), Stdout: io.Discard, Stderr: io.Discard, cat: i18n.For(i18n.EN)}
		err := m.signInDefences(&server.Config{}, &storage.AuthService{}, slog.New(slog.DiscardHandler))
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: %v; want a usage error naming the setting", name, value, err)
		}
	}
}
