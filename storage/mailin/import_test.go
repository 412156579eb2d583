package mailin

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImport_DirectoryOfEML(t *testing.T) {
	s := &sink{}
	n, err := Import("testdata", s.deliver)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := filepath.Glob("testdata/*.eml")
	if n != len(entries) || s.count() != n {
		t.Errorf("n = %d, delivered %d, files %d", n, s.count(), len(entries))
	}
}

func TestImport_SingleFile(t *testing.T) {
	s := &sink{}
	n, err := Import("testdata/reply.eml", s.deliver)
	if err != nil || n != 1 {
		t.Fatalf("n = %d, err = %v", n, err)
	}
	if Parse(s.msgs[0]).MessageID != "reply-2@example.com" {
		t.Error("wrong message")
	}
}

const mbox = `From anna@example.com Mon Mar  2 10:00:00 2026
From: anna@example.com
Message-ID: <mbox-1@example.com>
Subject: first

Hello.
>From the start, a quoted From line.
>>From twice quoted.

From peteris@example.lv Mon Mar  2 11:00:00 2026
From: peteris@example.lv
Message-ID: <mbox-2@example.lv>
Subject: second

Second body.
`

func TestImport_Mbox(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive.mbox")
	if err := os.WriteFile(path, []byte(mbox), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &sink{}
	n, err := Import(path, s.deliver)
	if err != nil || n != 2 {
		t.Fatalf("n = %d, err = %v", n, err)
	}
	first, second := Parse(s.msgs[0]), Parse(s.msgs[1])
	if first.MessageID != "mbox-1@example.com" || second.MessageID != "mbox-2@example.lv" {
		t.Errorf("ids %q %q", first.MessageID, second.MessageID)
	}
	if want := "Hello.\nFrom the start, a quoted From line.\n>From twice quoted."; first.Text != want {
		t.Errorf("Text = %q", first.Text)
	}
	if strings.HasSuffix(string(s.msgs[0]), "\n\n") {
		t.Error("separator line kept")
	}
	if second.Text != "Second body." || second.From != "peteris@example.lv" {
		t.Errorf("second = %q %q", second.Text, second.From)
	}
}

func TestImport_DeliveryErrorsReportedRestDelivered(t *testing.T) {
	calls := 0
	n, err := Import("testdata", func(ctx context.Context, raw []byte) error {
		calls++
		if calls == 1 {
			return errors.New("boom")
		}
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "boom") || n != calls-1 {
		t.Errorf("n = %d, calls = %d, err = %v", n, calls, err)
	}
	if _, err := Import("testdata/missing.eml", (&sink{}).deliver); err == nil {
		t.Error("missing file: no error")
	}
}
