// Package portalapi is the portal API's HTTP layer (issue 15): the JSON
// door through which the Platform portal tells the back office what a
// person did and asks what it needs. It is transport only — it
// authenticates the calling system by its bearer token, limits its rate
// and its bodies, decodes strict JSON, makes every POST idempotent by its
// Idempotency-Key, and turns domain errors into status codes and JSON
// messages in the caller's language. Every rule stays in domain and
// storage, behind domain.PortalService and domain.APIClientService.
package portalapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/domain/i18n"
)

// Body limits. A role request carries up to domain.DocumentsMax files of
// up to domain.DocumentContentMaxSize bytes each, in base64 (4 bytes for
// every 3), beside a small form; every other call is a small form.
const (
	SmallBodyLimit       = 64 << 10
	RoleRequestBodyLimit = domain.DocumentsMax*(domain.DocumentContentMaxSize/3+1)*4 + 1<<20
)

// Defaults of Config's rate limit: each client may make DefaultRate calls
// a second on average, DefaultBurst at once.
const (
	DefaultRate  = 50
	DefaultBurst = 100
)

// A caller whose token is missing or fails may try failedAuthBurst times
// at once and then failedAuthRate times a second, per address, before it
// is answered 429 without a look-up: a stranger cannot make the server
// query the database at the rate they send. maxLimiterKeys bounds the
// memory either limit holds.
const (
	failedAuthRate  = 1
	failedAuthBurst = 20
	maxLimiterKeys  = 100_000
)

// Config is what the API needs.
type Config struct {
	Clients domain.APIClientService
	Portal  domain.PortalService
	// Rate and Burst are each client's token bucket: Rate calls a second,
	// Burst at once (DefaultRate and DefaultBurst when zero).
	Rate   float64
	Burst  int
	Logger *slog.Logger
	// Now is the clock of the rate limit (time.Now when nil).
	Now func() time.Time
}

// API is the portal API's handler.
type API struct {
	cfg     Config
	mux     *http.ServeMux
	limits  *limiter[int64]  // per client
	strays  *limiter[string] // per address, of calls whose token failed
	routes  []route
	callSeq atomic.Int64
}

// New returns the API's handler.
func New(cfg Config) *API {
	if cfg.Rate <= 0 {
		cfg.Rate = DefaultRate
	}
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultBurst
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	a := &API{cfg: cfg, mux: http.NewServeMux(), limits: newLimiter[int64](cfg.Rate, cfg.Burst, maxLimiterKeys, cfg.Now),
		strays: newLimiter[string](failedAuthRate, failedAuthBurst, maxLimiterKeys, cfg.Now)}
	a.routes = a.v1()
	for _, rt := range a.routes {
		a.mux.Handle(rt.method+" "+rt.pattern, a.wrap(rt))
	}
	a.mux.HandleFunc("GET /v1/openapi.json", serveOpenAPI)
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, domain.Errorf(domain.ENOTFOUND, "api.no_route", "there is no such route"))
	})
	return a
}

// ServeHTTP serves a call.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	a.mux.ServeHTTP(w, r)
}

// Route is a route as the OpenAPI document names it.
type Route struct {
	Method  string
	Pattern string
}

// Routes lists the API's routes, the OpenAPI document's own included.
func (a *API) Routes() []Route {
	list := make([]Route, 0, len(a.routes)+1)
	for _, rt := range a.routes {
		list = append(list, Route{rt.method, rt.pattern})
	}
	return append(list, Route{http.MethodGet, "/v1/openapi.json"})
}

// route is one operation: its handler decodes the call (body, path
// values), calls the portal's service and returns the status and the
// value to encode, or an error.
type route struct {
	method  string
	pattern string
	limit   int64 // of the body
	handle  func(ctx context.Context, c *call) (int, any, error)
}

// call is what a handler reads of the request.
type call struct {
	r    *http.Request
	body []byte
}

// decode reads the body as one JSON value into v, refusing unknown fields
// and anything after the value: EINVALID "api.bad_json".
func (c *call) decode(v any) error {
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badJSON(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badJSON(errors.New("more than one value"))
	}
	return nil
}

// badJSON is the error of a body that is not the JSON the route takes.
func badJSON(err error) error {
	msg := err.Error()
	if len(msg) > 200 {
		msg = msg[:200]
	}
	return &domain.Error{Code: domain.EINVALID, Key: "api.bad_json", Message: "the body is not the JSON this route takes: " + msg,
		Problems: []domain.Problem{{Field: "body", Key: "api.bad_json_detail", Args: []any{msg}}}}
}

// pathID returns the positive integer path value name: EINVALID
// "api.bad_path" otherwise.
func (c *call) pathID(name string) (int64, error) {
	id, err := strconv.ParseInt(c.r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.EINVALID, "api.bad_path", "the path's %s is not a positive integer", name)
	}
	return id, nil
}

// transportKeys are the errors of a call the API could not read (400);
// every other EINVALID is a rule the content broke (422).
var transportKeys = map[string]bool{
	"api.bad_json": true, "api.bad_path": true, "api.idempotency_key_required": true,
	"api.idempotency_key_bad": true, "api.bad_content_type": true,
}

// wrap runs a route: authentication, rate limit, body limit, and for a
// POST the idempotency of its key; every call of a known client that
// changed nothing (a refusal, a replay) is audited here, the rest by the
// storage method that did it.
func (a *API) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		status := http.StatusOK
		client := ""
		defer func() {
			a.cfg.Logger.Info("api call", "method", r.Method, "route", rt.pattern, "status", status, "client", client,
				"ms", time.Since(start).Milliseconds())
		}()
		addr := remoteHost(r)
		if wait, ok := a.strays.peek(addr); !ok {
			status = http.StatusTooManyRequests
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeError(w, r, status, domain.Errorf(domain.ELOCKED, "api.rate_limited", "too many calls; retry after the time Retry-After gives"))
			return
		}
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			a.strays.take(addr)
			status = http.StatusUnauthorized
			writeError(w, r, status, domain.Errorf(domain.EUNAUTHORIZED, "api.unauthorized", "the bearer token is missing, not valid or revoked"))
			return
		}
		c, err := a.cfg.Clients.AuthenticateAPIClient(r.Context(), strings.TrimSpace(token))
		if err != nil {
			if domain.ErrorCode(err) == domain.EUNAUTHORIZED {
				a.strays.take(addr)
			}
			status = statusOf(err, true)
			writeError(w, r, status, err)
			return
		}
		client = c.Name
		ctx := domain.WithActor(r.Context(), c.Actor("api-"+strconv.FormatInt(a.callSeq.Add(1), 10), r.RemoteAddr))
		refused := func(st int, err error) {
			status = st
			writeError(w, r, st, err)
			a.audit(ctx, domain.AuditAPIRefused, r.Method+" "+rt.pattern+" "+strconv.Itoa(st)+" "+errKey(err))
		}
		if wait, ok := a.limits.take(c.ID); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			refused(http.StatusTooManyRequests, domain.Errorf(domain.ELOCKED, "api.rate_limited", "too many calls; retry after the time Retry-After gives"))
			return
		}
		cl := &call{r: r}
		if r.Method == http.MethodPost {
			if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
				refused(http.StatusUnsupportedMediaType, domain.Errorf(domain.EINVALID, "api.bad_content_type", "the body must be application/json"))
				return
			}
			cl.body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, rt.limit))
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				refused(http.StatusRequestEntityTooLarge, domain.Errorf(domain.EINVALID, "api.body_too_large", "the body is larger than %d bytes", tooBig.Limit))
				return
			}
			if err != nil {
				status = http.StatusBadRequest
				return
			}
			key := r.Header.Get("Idempotency-Key")
			if err := domain.CheckIdempotencyKey(key); err != nil {
				refused(http.StatusBadRequest, err)
				return
			}
			sum := sha256.New()
			sum.Write([]byte(r.Method + " " + r.URL.Path + "\n"))
			sum.Write(cl.body)
			resp, replayed, err := a.cfg.Clients.Idempotent(ctx, domain.IdempotentCall{ClientID: c.ID, Key: key, RequestHash: sum.Sum(nil)},
				func(ctx context.Context) (domain.StoredResponse, error) {
					st, v, err := rt.handle(ctx, cl)
					if err != nil {
						return domain.StoredResponse{}, err
					}
					b, err := encode(v)
					return domain.StoredResponse{Status: st, Body: b}, err
				})
			if err != nil {
				refused(statusOf(err, false), err)
				return
			}
			if replayed {
				w.Header().Set("Idempotent-Replayed", "true")
				a.audit(ctx, domain.AuditAPIReplayed, r.Method+" "+rt.pattern+" "+strconv.Itoa(resp.Status))
			}
			status = resp.Status
			writeRaw(w, resp.Status, resp.Body)
			return
		}
		st, v, err := rt.handle(ctx, cl)
		if err != nil {
			refused(statusOf(err, false), err)
			return
		}
		b, err := encode(v)
		if err != nil {
			refused(http.StatusInternalServerError, err)
			return
		}
		status = st
		writeRaw(w, st, b)
	})
}

// audit records a call that changed nothing; a failure to is logged, the
// answer already given stands.
func (a *API) audit(ctx context.Context, action, details string) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := a.cfg.Clients.RecordAPICall(actx, action, details); err != nil {
		a.cfg.Logger.Warn("audit API call", "action", action, "err", err)
	}
}

// errKey is err's catalog key, for the audit entry of a refusal.
func errKey(err error) string {
	if e := domain.AsError(err); e != nil {
		return e.Key
	}
	return "error.internal"
}

// statusOf maps an error onto the status an HTTP client expects. A
// route's EUNAUTHORIZED (a reset token that does not work) is about the
// body, not the caller: 422; only the client's own token gives 401.
func statusOf(err error, auth bool) int {
	e := domain.AsError(err)
	if e == nil {
		return http.StatusInternalServerError
	}
	switch e.Code {
	case domain.EINVALID:
		if transportKeys[e.Key] {
			return http.StatusBadRequest
		}
		return http.StatusUnprocessableEntity
	case domain.EUNAUTHORIZED:
		if auth {
			return http.StatusUnauthorized
		}
		return http.StatusUnprocessableEntity
	case domain.EFORBIDDEN:
		return http.StatusForbidden
	case domain.ENOTFOUND:
		return http.StatusNotFound
	case domain.ECONFLICT:
		return http.StatusConflict
	case domain.ELOCKED:
		return http.StatusTooManyRequests
	case domain.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// errorBody is every error's JSON.
type errorBody struct {
	Code     string         `json:"code"`
	Message  string         `json:"message"`
	Problems []problemEntry `json:"problems"`
}

type problemEntry struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Language returns the catalog of the language the caller asks for in
// Accept-Language: the first of lv and en it names (q-values aside), and
// Latvian when it names neither.
func Language(r *http.Request) (i18n.Lang, i18n.Catalog) {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		switch primary {
		case "lv":
			return i18n.LV, i18n.For(i18n.LV)
		case "en":
			return i18n.EN, i18n.For(i18n.EN)
		}
	}
	return i18n.Default, i18n.For(i18n.Default)
}

// writeError writes err as JSON with status, its message and each
// problem's in the caller's language. Anything but a domain error is
// "internal", its text never shown.
func writeError(w http.ResponseWriter, r *http.Request, status int, err error) {
	lang, cat := Language(r)
	w.Header().Set("Content-Language", string(lang))
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ppp"`)
	}
	body := errorBody{Code: "error.internal", Message: cat.T("error.internal"), Problems: []problemEntry{}}
	if e := domain.AsError(err); e != nil {
		body.Code = e.Key
		if body.Code == "" {
			body.Code = "error." + e.Code
		}
		body.Message = cat.T(body.Code, e.Args...)
		for _, p := range e.Problems {
			body.Problems = append(body.Problems, problemEntry{Field: p.Field, Code: p.Key, Message: cat.T(p.Key, p.Args...)})
		}
	}
	b, _ := encode(body)
	writeRaw(w, status, b)
}

// encode writes v as JSON, with <, > and & escaped, so that stored text
// a browser might show is never markup.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// remoteHost is the address a call came from, without its port.
func remoteHost(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
