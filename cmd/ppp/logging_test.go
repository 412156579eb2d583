package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
)

// TestServe_BadLogSettings_Refused: PPP_LOG_FORMAT and PPP_LOG_LEVEL take
// only their listed values; anything else stops `ppp serve` before it
// opens anything, with exit 2 and a message naming the setting, its value
// and the values allowed.
func TestServe_BadLogSettings_Refused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, value, want string }{
		{"PPP_LOG_FORMAT", "xml", "PPP_LOG_FORMAT=xml: use text or json (default text)"},
		{"PPP_LOG_LEVEL", "verbose", "PPP_LOG_LEVEL=verbose: use debug, info, warn or error (default info)"},
	} {
		m := &Main{Env: envOf(map[string]string{tc.name: tc.value}), Stdout: io.Discard, Stderr: io.Discard, cat: i18n.For(i18n.EN)}
		err := m.runServe(context.Background(), []string{"--ssh-addr", "127.0.0.1:0"})
		if err == nil || exitCode(err) != 2 || oneLine(m.cat, err) != tc.want {
			t.Errorf("%s=%s: %v (exit %d); want %q, exit 2", tc.name, tc.value, err, exitCode(err), tc.want)
		}
		_ = m.Close()
	}
}

// TestLogger_JSONLevelAndSessionID: json is one object a line; the level
// filters; a line logged with a session's context carries its id and
// never the operator's name, which the context holds too.
func TestLogger_JSONLevelAndSessionID(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	m := &Main{Env: envOf(map[string]string{"PPP_LOG_FORMAT": "json", "PPP_LOG_LEVEL": "warn"}), cat: i18n.For(i18n.EN)}
	logger, err := m.newLogger(&buf)
	if err != nil {
		t.Fatal(err)
	}
	ctx := domain.WithActor(context.Background(), domain.Actor{OperatorID: 7, Name: "anna.kalnina", SessionID: "0a1b2c3d4e5f-1"})
	logger.InfoContext(ctx, "not shown at warn")
	logger.WarnContext(ctx, "claim released late", "queue", "helpdesk")
	logger.With("session", "given-1").WarnContext(ctx, "already named")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines at level warn, got:\n%s", buf.String())
	}
	for i, wantID := range []string{"0a1b2c3d4e5f-1", "given-1"} {
		var rec map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &rec); err != nil {
			t.Fatalf("not JSON: %q: %v", lines[i], err)
		}
		if rec["session"] != wantID {
			t.Errorf("line %d: session %v; want %s", i, rec["session"], wantID)
		}
		if strings.Contains(lines[i], "anna") {
			t.Errorf("line %d carries the operator's name: %s", i, lines[i])
		}
	}
}
