package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"

	"github.com/viaa/ppp/domain"
)

// newLogger returns the server's logger on w as PPP_LOG_FORMAT (text, the
// default, or json: one JSON object a line) and PPP_LOG_LEVEL (debug,
// info, the default, warn or error) say. Every line logged with the
// context of an operator's session carries the session's id ("session"),
// the one the audit log records, whatever logged it. It returns a usage
// error naming the setting and the values allowed for anything else.
func (m *Main) newLogger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	switch v := strings.TrimSpace(m.Env("PPP_LOG_LEVEL")); strings.ToLower(v) {
	case "", "info":
		level = slog.LevelInfo
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	default:
		return nil, usageError{m.cat.T("cli.serve.bad_log_level", v)}
	}
	opts := &slog.HandlerOptions{Level: level}
	switch v := strings.TrimSpace(m.Env("PPP_LOG_FORMAT")); strings.ToLower(v) {
	case "", "text":
		return slog.New(sessionHandler{slog.NewTextHandler(w, opts)}), nil
	case "json":
		logger := slog.New(sessionHandler{slog.NewJSONHandler(w, opts)})
		// The verb's other lines on stderr (its warnings for people, the
		// final error) become records too, so that every line is JSON.
		m.Stderr = &lineLogger{log: logger}
		return logger, nil
	default:
		return nil, usageError{m.cat.T("cli.serve.bad_log_format", v)}
	}
}

// lineLogger turns each line written to it into a warning of log: with
// PPP_LOG_FORMAT=json, what the verb writes to stderr for people.
type lineLogger struct {
	log *slog.Logger
	mu  sync.Mutex
	buf []byte
}

// Write logs every complete line of p; a partial one waits for its end.
func (l *lineLogger) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		if line := strings.TrimSpace(string(l.buf[:i])); line != "" {
			l.log.Warn(line)
		}
		l.buf = l.buf[i+1:]
	}
}

// sessionHandler adds the session id of the actor in a record's context,
// so that what a session's call logs (logger.WarnContext(ctx, …)) carries
// it without every caller passing it. The operator's name is never added:
// it is personal data.
type sessionHandler struct{ slog.Handler }

// Handle adds "session" when ctx carries an operator's session and the
// record has none yet.
func (h sessionHandler) Handle(ctx context.Context, r slog.Record) error {
	if ctx != nil {
		if a := domain.ActorFrom(ctx); a.SessionID != "" && !hasAttr(r, "session") {
			r = r.Clone()
			r.AddAttrs(slog.String("session", a.SessionID))
		}
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs keeps the wrapper around the handler with attrs.
func (h sessionHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	for _, a := range attrs {
		if a.Key == "session" {
			// The logger names its session already.
			return h.Handler.WithAttrs(attrs)
		}
	}
	return sessionHandler{h.Handler.WithAttrs(attrs)}
}

// WithGroup keeps the wrapper around the handler with the group.
func (h sessionHandler) WithGroup(name string) slog.Handler {
	return sessionHandler{h.Handler.WithGroup(name)}
}

func hasAttr(r slog.Record, key string) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		found = a.Key == key
		return !found
	})
	return found
}
