// Package apibench measures the portal API for `ppp bench --only api`
// (issue 15): role-request submissions through the API by 16 clients at
// once, beside the same rows inserted by plain SQL in the same run, and
// the latency of submissions offered at a fixed 200 a second (an open
// loop: each request is sent at its time whether or not the earlier ones
// have been answered, and its latency counts from that time).
package apibench

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/viaa/ppp/cmd/ppp/internal/benchfig"
	"github.com/viaa/ppp/cmd/ppp/internal/portalapi"
	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// Clients is how many API clients submit at once.
const Clients = 16

// Rate is the open loop's offered load, requests a second.
const Rate = 200

// Options says where and how much to measure.
type Options struct {
	// DatabaseURL is a freshly migrated scratch database.
	DatabaseURL string
	Quick       bool
	Log         io.Writer
}

func (o Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

// bench is the API served on loopback with its clients.
type bench struct {
	db     *storage.DB
	base   string
	tokens []string
	http   *http.Client
	seq    atomic.Int64
	run    string // makes this run's rows distinct from an earlier run's
}

// Run measures and returns the figures.
func Run(ctx context.Context, o Options) ([]benchfig.Figure, error) {
	db, err := storage.Open(ctx, o.DatabaseURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	b := &bench{db: db, http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: time.Minute}}
	b.run = strings.ToLower(rand.Text()[:6])
	cctx := domain.WithActor(ctx, domain.Actor{Name: "cli:bench"})
	clients := storage.NewAPIClientService(db)
	for i := range Clients {
		_, token, err := clients.AddAPIClient(cctx, "bench-"+b.run+"-"+strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		b.tokens = append(b.tokens, token)
	}
	// The rate limit is the server's defence, not what is measured here.
	api := portalapi.New(portalapi.Config{Clients: clients, Portal: storage.NewPortalService(db), Rate: 1e6, Burst: 1e6})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	b.base = "http://" + ln.Addr().String()

	perRound, rounds, openFor := 400, 3, 15*time.Second
	if o.Quick {
		perRound, rounds, openFor = 100, 2, 3*time.Second
	}
	// Warm both paths, then alternate rounds so that a busy machine
	// slows both alike.
	if _, err := b.closedLoop(ctx, Clients, b.submit); err != nil {
		return nil, err
	}
	var apiRate, sqlRate []float64
	for r := range rounds {
		o.logf("api: round %d of %d, %d submissions by %d clients, then as many plain inserts", r+1, rounds, perRound, Clients)
		d, err := b.closedLoop(ctx, perRound, b.submit)
		if err != nil {
			return nil, err
		}
		apiRate = append(apiRate, float64(perRound)/d.Seconds())
		d, err = b.closedLoop(ctx, perRound, b.insert)
		if err != nil {
			return nil, err
		}
		sqlRate = append(sqlRate, float64(perRound)/d.Seconds())
	}
	o.logf("api: open loop, %d submissions a second for %v, then plain inserts", Rate, openFor)
	apiLat, err := b.openLoop(ctx, openFor, b.submit)
	if err != nil {
		return nil, err
	}
	sqlLat, err := b.openLoop(ctx, openFor, b.insert)
	if err != nil {
		return nil, err
	}
	ar, sr := median(apiRate), median(sqlRate)
	ap50, ap99 := benchfig.Percentile(apiLat, 50), benchfig.Percentile(apiLat, 99)
	sp50, sp99 := benchfig.Percentile(sqlLat, 50), benchfig.Percentile(sqlLat, 99)
	return []benchfig.Figure{
		{Name: fmt.Sprintf("role-request submissions through the API, %d clients at once (validation, request, document, history, audit, mail, notify, idempotency key)", Clients),
			Value: ar, Baseline: sr, BaseName: "plain INSERT of the same row", Unit: "/s", HigherIsBetter: true,
			Target: "–", Met: true, Note: fmt.Sprintf("median of %d rounds of %d; API %v, SQL %v", rounds, perRound, rates(apiRate), rates(sqlRate))},
		{Name: fmt.Sprintf("submission latency at %d requests/s offered (open loop), p99", Rate),
			Value: benchfig.Ms(ap99), Baseline: benchfig.Ms(sp99), BaseName: "plain INSERT at the same rate", Unit: "ms",
			Target: "–", Met: true, Note: fmt.Sprintf("p50 %.1f ms (plain INSERT %.1f ms), %d requests over %v",
				benchfig.Ms(ap50), benchfig.Ms(sp50), len(apiLat), openFor)},
	}, nil
}

// closedLoop runs n calls of fn by Clients workers and returns how long
// all took.
func (b *bench) closedLoop(ctx context.Context, n int, fn func(ctx context.Context, client int) error) (time.Duration, error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	start := time.Now()
	for c := range Clients {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if err := fn(ctx, c); err != nil {
					mu.Lock()
					first = cmpErr(first, err)
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start), first
}

// openLoop sends fn at Rate a second for d, each call at its time on a
// goroutine of its own, and returns each call's latency from its time.
func (b *bench) openLoop(ctx context.Context, d time.Duration, fn func(ctx context.Context, client int) error) ([]time.Duration, error) {
	n := int(d.Seconds() * Rate)
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	start := time.Now()
	for i := range n {
		at := start.Add(time.Duration(i) * time.Second / Rate)
		time.Sleep(time.Until(at))
		wg.Go(func() {
			if err := fn(ctx, i%Clients); err != nil {
				mu.Lock()
				first = cmpErr(first, err)
				mu.Unlock()
			}
			lat[i] = time.Since(at)
		})
	}
	wg.Wait()
	return lat, first
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// person returns the i-th applicant: a valid, distinct personal code and
// address.
func (b *bench) person() (code, email string) {
	i := b.seq.Add(1)
	born := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(i/900))
	century := "1"
	if born.Year() >= 2000 {
		century = "2"
	}
	d := born.Format("020106") + century + fmt.Sprintf("%03d", 100+i%900)
	weights := []int{1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, w := range weights {
		sum += w * int(d[k]-'0')
	}
	return d[:6] + "-" + d[6:] + strconv.Itoa((1101-sum)%11%10), "bench-" + b.run + "-" + strconv.FormatInt(i, 10) + "@example.lv"
}

// document is the file every submission carries.
var document = bytes.Repeat([]byte("%PDF-1.7 rīkojums par koordinatora iecelšanu\n"), 400)

// submit sends one role request through the API as client.
func (b *bench) submit(ctx context.Context, client int) error {
	code, email := b.person()
	body, _ := json.Marshal(map[string]any{"kind": "adult_education_coordinator", "first_name": "Ģirts", "last_name": "Ūdris",
		"personal_code": code, "email": email, "municipality_code": "cesu_novads",
		"documents": []map[string]any{{"name": "rīkojums.pdf", "media_type": "application/pdf", "content": document}}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.base+"/v1/role-requests", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+b.tokens[client])
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", email)
	res, err := b.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated {
		return fmt.Errorf("submit: %d %s", res.StatusCode, out)
	}
	return nil
}

// documentSum is the document's SHA-256, as the baseline stores it.
var documentSum = func() string { s := sha256.Sum256(document); return hex.EncodeToString(s[:]) }()

// insert stores the same request row by plain SQL, with its document.
func (b *bench) insert(ctx context.Context, _ int) error {
	code, email := b.person()
	_, err := b.db.Pool().Exec(ctx, `
		WITH r AS (
			INSERT INTO role_requests (kind, state, route, first_name, last_name, personal_code, email, municipality_code,
			                           email_token_hash, email_sent_at, created_at, updated_at)
			VALUES ('adult_education_coordinator', 'unconfirmed', 'agency', 'Ģirts', 'Ūdris', $1, $2, 'cesu_novads',
			        sha256(convert_to($2, 'UTF8')), now(), now(), now())
			RETURNING id),
		d AS (
			INSERT INTO role_request_documents (request_id, position, name, media_type, size, sha256)
			SELECT id, 1, 'rīkojums.pdf', 'application/pdf', $3, $4 FROM r RETURNING id)
		INSERT INTO role_request_document_contents (document_id, content) SELECT id, $5 FROM d`,
		code, email, len(document), documentSum, document)
	return err
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}

func rates(xs []float64) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += strconv.FormatFloat(x, 'f', 0, 64)
	}
	return out
}
