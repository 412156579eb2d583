package sshload

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain/i18n"
)

// target is one server under measurement, as the load sees it.
type target struct {
	name     string
	child    *child
	addr     string
	hostKey  ssh.PublicKey
	accounts []account // one per session; the first also times first frames
	// toTyping brings a signed-in session to the text field it types into.
	toTyping func(t *terminal) error
	// echo is the text a frame shows once value is typed.
	echo func(value string) string
	dir  string // removed after the child stops
}

// stop ends the child and removes its folder.
func (tg *target) stop() {
	tg.child.stop()
	_ = os.RemoveAll(tg.dir)
}

// startHello starts the baseline: `HelloBinary bench --hello-server ADDR
// --host-key FILE`, with a host key the bench makes and so knows.
func startHello(opts Options) (*target, error) {
	dir, err := os.MkdirTemp("", "ppp-bench-hello-")
	if err != nil {
		return nil, fmt.Errorf("hello server folder: %w", err)
	}
	tg, err := func() (*target, error) {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("hello host key: %w", err)
		}
		block, err := ssh.MarshalPrivateKey(priv, "ppp bench hello")
		if err != nil {
			return nil, fmt.Errorf("hello host key: %w", err)
		}
		keyFile := filepath.Join(dir, "ssh_host_ed25519_key")
		if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
			return nil, fmt.Errorf("hello host key: %w", err)
		}
		hostSigner, err := ssh.NewSignerFromKey(priv)
		if err != nil {
			return nil, fmt.Errorf("hello host key: %w", err)
		}
		signer, err := newSigner()
		if err != nil {
			return nil, err
		}
		addr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(opts.HelloBinary, "bench", "--hello-server", addr, "--host-key", keyFile)
		cmd.Env = environ()
		c, err := startChild("hello server", cmd, addr)
		if err != nil {
			return nil, err
		}
		accounts := make([]account, opts.Sessions)
		for i := range accounts {
			accounts[i] = account{user: "hello", signer: signer, marker: helloText}
		}
		return &target{
			name: "hello", child: c, addr: addr, hostKey: hostSigner.PublicKey(), accounts: accounts,
			toTyping: func(*terminal) error { return nil },
			echo:     func(v string) string { return helloPrompt + v },
			dir:      dir,
		}, nil
	}()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return tg, nil
}

// pppTexts are the back office's screen texts the load waits for, in
// Latvian, the language new operators start in.
type pppTexts struct {
	holderTitle string // the role-request list's "held by" column
	searchLabel string // before the list's search field
}

func textsOf() pppTexts {
	lv := i18n.For(i18n.LV)
	return pppTexts{holderTitle: lv.T("tui.rr.col.holder"), searchLabel: lv.T("tui.rr.search") + ": "}
}

// startPPP starts the back office, `Binary serve`, on a free loopback
// port with a data folder of its own (where it makes its host key).
func startPPP(opts Options, accounts []account) (*target, error) {
	dir, err := os.MkdirTemp("", "ppp-bench-serve-")
	if err != nil {
		return nil, fmt.Errorf("server data folder: %w", err)
	}
	tg, err := func() (*target, error) {
		addr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(opts.Binary, "serve")
		cmd.Env = environ("PPP_DATABASE_URL="+opts.DatabaseURL, "PPP_SSH_ADDR="+addr, "PPP_DATA_DIR="+dir)
		c, err := startChild("ppp server", cmd, addr)
		if err != nil {
			return nil, err
		}
		keyFile := filepath.Join(dir, "ssh_host_ed25519_key")
		b, err := os.ReadFile(keyFile)
		if err == nil {
			var key ssh.Signer
			if key, err = ssh.ParsePrivateKey(b); err == nil {
				texts := textsOf()
				return &target{
					name: "ppp", child: c, addr: addr, hostKey: key.PublicKey(), accounts: accounts,
					toTyping: func(t *terminal) error {
						// The role-request queue, then its search field:
						// typing there re-renders the field without a
						// database query until enter.
						if err := t.pressAndWait("2", texts.holderTitle, 30*time.Second); err != nil {
							return fmt.Errorf("open the role-request queue: %w", err)
						}
						return t.press("/")
					},
					echo: func(v string) string { return texts.searchLabel + v },
					dir:  dir,
				}, nil
			}
		}
		c.stop()
		return nil, fmt.Errorf("the server's host key %s: %w", keyFile, err)
	}()
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return tg, nil
}
