package main_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// The portal API end to end: a client added on the command line, `ppp
// serve` with PPP_API_ADDR, a role request submitted with a real HTTP
// client, seen in the database and on the change feed reviewers' screens
// listen to; the client revoked on the command line, its token refused.
func TestE2E_PortalAPI_SubmitThroughServe_SeenInDatabaseAndFeed_RevokeStopsIt(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	in.mustRun(t, "", "migrate")
	add := in.mustRun(t, "", "api", "client", "add", "portal")
	token := strings.TrimSpace(add.stdout)
	if !strings.HasPrefix(token, domain.APITokenPrefix) || strings.Count(add.stdout, "\n") != 1 {
		t.Fatalf("api client add printed %q, want the token alone on stdout", add.stdout)
	}
	if list := in.mustRun(t, "", "api", "client", "list"); !strings.Contains(list.stdout, "portal") || strings.Contains(list.stdout, token) {
		t.Fatalf("api client list:\n%s", list.stdout)
	}
	srv := in.startServer("PPP_API_ADDR=127.0.0.1:0")
	base := srv.waitLine("cli.api.listening")
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("API at %q", base)
	}

	db, err := storage.Open(t.Context(), in.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	feed := storage.NewChangeFeed(in.dbURL)
	go func() { _ = feed.Run(t.Context()) }()
	changes, stop := feed.Subscribe(domain.TopicRoleRequest)
	defer stop()
	for deadline := time.Now().Add(10 * time.Second); !feed.Connected(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the feed did not connect")
		}
	}

	post := func(tok, key string, body any) (*http.Response, map[string]any) {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, base+"/v1/role-requests", bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		req.Header.Set("Accept-Language", "en")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res, out
	}
	body := map[string]any{"kind": "adult_education_coordinator", "first_name": "Ģirts", "last_name": "Ūdris",
		"personal_code": "010180-10069", "email": "girts.udris@example.lv", "municipality_code": "cesu_novads"}
	res, out := post(token, "e2e-1", body)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("submit: %d %v", res.StatusCode, out)
	}
	id := int64(out["id"].(float64))
	var state, actor string
	if err := db.Pool().QueryRow(t.Context(), `SELECT state FROM role_requests WHERE id = $1`, id).Scan(&state); err != nil || state != "unconfirmed" {
		t.Fatalf("request %d in the database: %q, %v", id, state, err)
	}
	if err := db.Pool().QueryRow(t.Context(), `SELECT actor_name FROM audit_log WHERE subject_kind = 'role_request' AND subject_id = $1`,
		strconv.FormatInt(id, 10)).Scan(&actor); err != nil || actor != "api:portal" {
		t.Fatalf("audited as %q, %v; want api:portal", actor, err)
	}
	timeout := time.After(5 * time.Second)
	for seen := false; !seen; {
		select {
		case c := <-changes:
			seen = c.ID == strconv.FormatInt(id, 10)
		case <-timeout:
			t.Fatalf("request %d never reached the feed", id)
		}
	}
	if res, out := post(token, "e2e-1", body); res.StatusCode != http.StatusCreated || int64(out["id"].(float64)) != id {
		t.Fatalf("retry: %d %v, want the first response", res.StatusCode, out)
	}

	in.mustRun(t, "", "api", "client", "revoke", "portal")
	if res, out := post(token, "e2e-2", body); res.StatusCode != http.StatusUnauthorized || out["code"] != "api.unauthorized" {
		t.Fatalf("revoked token: %d %v", res.StatusCode, out)
	}
}

// TestE2E_PortalAPI_SubmissionAppearsOnAReviewersScreen: a reviewer has
// the role-request queue open in an SSH session when the portal submits a
// request through the API; the request's row appears on the screen by
// itself, within a second (the assertion is generous for -race and a
// loaded machine; the figure is logged).
func TestE2E_PortalAPI_SubmissionAppearsOnAReviewersScreen(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	in.mustRun(t, "", "migrate")
	token := strings.TrimSpace(in.mustRun(t, "", "api", "client", "add", "portal").stdout)
	anna := in.addOperator(annaName, annaFullName, "reviewer")
	srv := in.startServer("PPP_API_ADDR=127.0.0.1:0")
	base := srv.waitLine("cli.api.listening")

	term := openTerminal(t, srv.mustDial(t, anna.name, ssh.PublicKeys(anna.signer)), "xterm-256color", rrCols, rrRows)
	term.waitText(anna.header(), 0)
	mark := term.mark()
	term.press("2")
	term.waitText(text(t, lv, "tui.rr.none"), mark) // the queue is empty

	body, _ := json.Marshal(map[string]any{"kind": "adult_education_coordinator", "first_name": "Ģirts", "last_name": "Ūdris",
		"personal_code": "010180-10069", "email": "girts.udris@example.lv", "municipality_code": "cesu_novads"})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, base+"/v1/role-requests", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "screen-1")
	mark = term.mark()
	sent := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	kindShort := text(t, lv, "tui.rr.kind_short."+string(domain.KindAdultEducationCoordinator))
	term.waitFor("the submitted request's row", mark, func(s string) bool {
		return queueRow(s, kindShort, "Ģirts Ūdris", nil)
	})
	seen := time.Since(sent)
	t.Logf("the request submitted through the API showed on the reviewer's screen %v after the POST", seen.Round(time.Millisecond))
	if seen > claimVisibleWithin {
		t.Errorf("the submission took %v to show on the reviewer's screen; the issue asks for a second (asserted: %v)", seen.Round(time.Millisecond), claimVisibleWithin)
	}
}

// Plain HTTP beyond loopback, or half a TLS pair, is refused at start in
// one line.
func TestE2E_PortalAPI_PlainHTTPOffLoopback_Refused(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	for _, c := range []struct {
		env  []string
		want string
	}{
		{[]string{"PPP_API_ADDR=0.0.0.0:0"}, text(t, en, "cli.api.plain_not_loopback", "0.0.0.0:0")},
		{[]string{"PPP_API_ADDR=:8443"}, text(t, en, "cli.api.plain_not_loopback", ":8443")},
		{[]string{"PPP_API_ADDR=127.0.0.1:0", "PPP_API_TLS_CERT=/nonexistent.pem"}, text(t, en, "cli.api.tls_pair")},
	} {
		res := in.runEnv(t, c.env, "serve", "--ssh-addr", "127.0.0.1:0")
		if res.code != 2 || strings.TrimSpace(res.stderr) != "ppp: "+c.want {
			t.Errorf("%v: %s", c.env, res)
		}
	}
}
