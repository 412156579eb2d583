package mailsend_test

import (
	"io"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/viaa/ppp/storage/mailsend"
)

func TestFiles_Send_WritesAParsableEML(t *testing.T) {
	dir := t.TempDir()
	f := mailsend.NewFiles(dir)
	m := testMail()
	if err := f.Send(t.Context(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	path := filepath.Join(dir, "outbox", "4711.eml")
	if f.Path(m.ID) != path {
		t.Errorf("Path = %s, want %s", f.Path(m.ID), path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("the .eml does not parse: %v", err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(string(body), "\r\n", "\n"); got != m.Body {
		t.Errorf("body decodes to %q, want %q", got, m.Body)
	}
	checkMessage(t, string(raw), m)
	if info, err := os.Stat(path); err != nil || info.Mode().Perm()&0o077 != 0 {
		t.Errorf("the .eml is readable by others: %v %v", info.Mode(), err)
	}
}

func TestFiles_SendTwice_OneFileWithTheLastContent(t *testing.T) {
	dir := t.TempDir()
	f := mailsend.NewFiles(dir)
	m := testMail()
	if err := f.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	m.Subject = "Otrais mēģinājums"
	if err := f.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "outbox"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "4711.eml" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("files = %v, want only 4711.eml (no temporary files left)", names)
	}
	raw, _ := os.ReadFile(f.Path(m.ID))
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil || !strings.Contains(msg.Header.Get("Subject"), "Otrais") {
		t.Errorf("the file holds the first version: %v", err)
	}
}

func TestFromEnv_ChoosesTheSender(t *testing.T) {
	dir := t.TempDir()
	s, err := mailsend.FromEnv("", dir)
	if f, ok := s.(*mailsend.Files); err != nil || !ok || f.Dir() != filepath.Join(dir, "outbox") {
		t.Errorf("FromEnv without a URL = %T %v", s, err)
	}
	s, err = mailsend.FromEnv("smtp://localhost:2525", dir)
	if _, ok := s.(*mailsend.SMTP); err != nil || !ok {
		t.Errorf("FromEnv with a URL = %T %v", s, err)
	}
	if _, err := mailsend.FromEnv("smtp://u:secret@host:port", dir); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("FromEnv with a bad URL = %v", err)
	}
}

// TestFiles_Send_AfterACrashMidWrite_LeavesOnlyTheMessage proves that a
// write cut short (the server killed with -9 between writing and
// renaming) leaves nothing behind once the message is sent again: the
// half-written temporary file is the retry's own and is replaced, and it
// never carried the .eml suffix that readers of the folder look for.
func TestFiles_Send_AfterACrashMidWrite_LeavesOnlyTheMessage(t *testing.T) {
	dir := t.TempDir()
	f := mailsend.NewFiles(dir)
	m := testMail()
	if err := os.MkdirAll(f.Dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	half := filepath.Join(f.Dir(), ".4711.eml.tmp")
	if err := os.WriteFile(half, []byte("From: half a mess"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(f.Dir())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != "4711.eml" {
		t.Fatalf("files = %v, want only 4711.eml", names)
	}
}
