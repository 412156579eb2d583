package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
	"github.com/viaa/ppp/storage/demodata"
)

// runDemo loads the demo data once (its operators, demodata.Staff, first),
// then gives the operator "demo" a fresh
// password and the current user's SSH keys, and prints how to connect.
func (m *Main) runDemo(ctx context.Context, args []string) error {
	fs := m.flags("demo")
	addr := fs.String("ssh-addr", m.sshAddr(), "")
	scale := fs.Int("scale", demodata.DefaultScale, "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, _, err := m.openDB(ctx)
	if err != nil {
		return err
	}
	// The demo's misuse alert is raised at the server's threshold.
	if err := m.alertThresholds(&db.AlertThresholds); err != nil {
		return err
	}
	ctx = cliContext(ctx)
	ops := storage.NewOperatorService(db)

	loaded := false
	for _, o := range demodata.Staff() {
		if _, err := ops.FindOperatorByName(ctx, o.Name); err == nil {
			continue
		} else if domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		if err := ops.CreateOperator(ctx, &o, ""); err != nil {
			return err
		}
		loaded = true
	}
	if loaded {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.demo.loaded"))
	} else {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.demo.present"))
	}
	// The role requests, with their institutions and users: only into a
	// database that has none yet, so running demo again changes nothing.
	if *scale <= 0 {
		return usageError{m.cat.T("cli.demo.bad_scale")}
	}
	res, err := demodata.Load(ctx, db, demodata.Options{Scale: *scale})
	if err != nil {
		return err
	}
	if res.Loaded {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.demo.role_requests", m.cat.N("cli.count.role_requests", int64(res.Requests)),
			m.cat.N("cli.count.institutions", int64(res.Institutions)), m.cat.N("cli.count.platform_users", int64(res.Users)),
			demodata.DemoPassword))
	}
	// The terms of use and announcements: only into a database without
	// terms versions, after the users they are accepted by.
	if _, err := demodata.LoadTerms(ctx, db, demodata.Options{}); err != nil {
		return err
	}
	// IMK applications with their register data: only into a database
	// without applications.
	imk, err := demodata.LoadIMK(ctx, db, demodata.Options{})
	if err != nil {
		return err
	}
	if imk.Loaded {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.demo.imk", m.cat.N("cli.count.clients", int64(imk.Clients)),
			m.cat.N("cli.count.imk_applications", int64(imk.Applications)), m.cat.Num(int64(imk.Decided))))
	}
	// The work of every screen: mail, denials, alerts, what waits for a
	// second person, sweep runs; each part only into a database without
	// any of it.
	work, err := demodata.LoadWork(ctx, db, demodata.Options{})
	if err != nil {
		return err
	}
	if work.Loaded() {
		fmt.Fprintln(m.Stdout, m.cat.T("cli.demo.work", work.Tickets, work.Messages, work.Denials,
			work.PendingResets+work.EmailChanges, work.SweepRuns, work.IMKChecked))
	}

	password, err := newPassword("demo")
	if err != nil {
		return err
	}
	if err := ops.SetOperatorPassword(ctx, "demo", password); err != nil {
		return err
	}
	keys := 0
	home, _ := os.UserHomeDir()
	pubs, _ := filepath.Glob(filepath.Join(home, ".ssh", "*.pub"))
	for _, p := range pubs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		_, err = ops.AddOperatorKey(ctx, "demo", string(b))
		switch domain.ErrorCode(err) {
		case "", domain.ECONFLICT: // a key registered by an earlier run counts too
			keys++
		}
	}
	_, port, err := net.SplitHostPort(*addr)
	if err != nil {
		port = "2222"
	}
	fmt.Fprintln(m.Stdout, m.cat.T("cli.demo.connect", port, password, keys))
	return nil
}

// sshAddr is the SSH address to serve: PPP_SSH_ADDR or :2222.
func (m *Main) sshAddr() string {
	if a := m.Env("PPP_SSH_ADDR"); a != "" {
		return a
	}
	return ":2222"
}

// newPassword returns a random password that passes the rule (¶31) for
// the user name: three groups of four letters and digits joined by '-'.
func newPassword(user string) (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	for {
		var b strings.Builder
		for i := 0; i < 14; i++ {
			if i == 4 || i == 9 {
				b.WriteByte('-')
				continue
			}
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			if err != nil {
				return "", fmt.Errorf("generate password: %w", err)
			}
			b.WriteByte(alphabet[n.Int64()])
		}
		if len(domain.CheckPassword(b.String(), user)) == 0 {
			return b.String(), nil
		}
	}
}
