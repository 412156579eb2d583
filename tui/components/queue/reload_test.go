package queue

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestRefresh_ReadsOpenItemOnlyWhenItChanged(t *testing.T) {
	var reloads, rereads int
	reload := func() tea.Cmd { reloads++; return nil }
	reread := func() tea.Cmd { rereads++; return nil }
	l := &Lease{ID: 42}
	Refresh(map[string]bool{"7": true}, l, reload, reread)
	if reloads != 1 || rereads != 0 {
		t.Fatalf("another item changed: reloads %d, rereads %d", reloads, rereads)
	}
	Refresh(map[string]bool{"42": true}, l, reload, reread)
	if reloads != 2 || rereads != 1 {
		t.Fatalf("the open item changed: reloads %d, rereads %d", reloads, rereads)
	}
	Refresh(map[string]bool{"42": true}, nil, reload, reread)
	Reload(nil, reload, reread)
	if reloads != 4 || rereads != 1 {
		t.Fatalf("nothing open: reloads %d, rereads %d", reloads, rereads)
	}
	Reload(l, reload, reread)
	if reloads != 5 || rereads != 2 {
		t.Fatalf("reload with an item open: reloads %d, rereads %d", reloads, rereads)
	}
}
