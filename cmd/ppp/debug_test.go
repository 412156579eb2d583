package main

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/viaa/ppp/domain/i18n"
)

// TestServeDebug_NotLoopback_Refused proves that the profiles are never
// served beyond this machine: any address but a loopback one is a usage
// error naming the setting, and nothing listens.
func TestServeDebug_NotLoopback_Refused(t *testing.T) {
	for _, addr := range []string{":6060", "0.0.0.0:6060", "[::]:6060", "192.0.2.1:6060", "example.lv:6060", "127.0.0.1"} {
		m := &Main{Env: func(k string) string {
			if k == "PPP_DEBUG_ADDR" {
				return addr
			}
			return ""
		}, Stdout: io.Discard, Stderr: io.Discard, cat: i18n.For(i18n.EN)}
		err := m.serveDebug(slog.New(slog.DiscardHandler))
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), "PPP_DEBUG_ADDR") {
			t.Errorf("PPP_DEBUG_ADDR=%s: %v; want a usage error naming the setting", addr, err)
		}
		if len(m.closers) != 0 {
			t.Errorf("PPP_DEBUG_ADDR=%s: something was started", addr)
		}
	}
}

// TestServeDebug_Loopback_ServesGoroutines proves the endpoint the fault
// tests read: on a loopback address the goroutine profile answers, and
// Close stops it.
func TestServeDebug_Loopback_ServesGoroutines(t *testing.T) {
	var out bytes.Buffer
	m := &Main{Env: func(k string) string {
		if k == "PPP_DEBUG_ADDR" {
			return "127.0.0.1:0"
		}
		return ""
	}, Stdout: &out, Stderr: io.Discard, cat: i18n.For(i18n.EN)}
	if err := m.serveDebug(slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	_, addr, ok := strings.Cut(strings.TrimSpace(out.String()), ": ")
	if !ok {
		t.Fatalf("no address printed: %q", out.String())
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "goroutine profile: total") {
		t.Fatalf("the goroutine profile says %.200q", body)
	}
	for _, c := range m.closers {
		_ = c()
	}
	if _, err := client.Get("http://" + addr + "/debug/pprof/"); err == nil {
		t.Fatal("the endpoint still answers after Close")
	}
}
