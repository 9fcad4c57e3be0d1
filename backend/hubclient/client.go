// Package hubclient is the desktop's side of the hub API (docs/hub-api.md):
// an HTTP client for the hub and the library sync built on it.
package hubclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/task"
)

// Error codes of the desktop's side of the hub API. The codes both sides
// speak live in hubapi.
const (
	CodeURLInvalid      fault.Code = "hub.url_invalid"      // {url}
	CodeUnreachable     fault.Code = "hub.unreachable"      // {url}
	CodeStalled         fault.Code = "hub.stalled"          // {url, seconds}
	CodeResponseInvalid fault.Code = "hub.response_invalid" // {reason}
	CodeDownloadCorrupt fault.Code = "hub.download_corrupt" // {sha256, reason}
	CodeSpoolFailed     fault.Code = "hub.spool_failed"     // {path}
)

// Defaults of the client's timeouts and retries.
const (
	DefaultStallTimeout = 30 * time.Second
	DefaultAttempts     = 5
	DefaultBackoff      = 500 * time.Millisecond
	DefaultMaxBackoff   = 30 * time.Second
	// DefaultMaxRetryAfter is the longest Retry-After the client waits out;
	// a hub asking for more gets the error back at once.
	DefaultMaxRetryAfter = 2 * time.Minute
)

// Limits on what the client reads of an answer.
const (
	maxErrorBody = 64 << 10
	maxJSONBody  = 16 << 20 // a list of libraries or users
)

// Client talks to one hub. It is safe for concurrent use.
type Client struct {
	base          string // scheme://host[/prefix], without a trailing slash
	hc            *http.Client
	stall         time.Duration
	attempts      int
	backoff       time.Duration
	maxBackoff    time.Duration
	maxRetryAfter time.Duration

	mu    sync.Mutex
	token string
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient replaces the http.Client (and with it every transport
// timeout). Its Timeout should stay 0: downloads have no overall deadline.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithTransport keeps the client's settings but sends requests through rt.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *Client) { c.hc = &http.Client{Transport: rt} }
}

// WithStallTimeout sets how long a response body may send nothing before the
// request fails with CodeStalled.
func WithStallTimeout(d time.Duration) Option { return func(c *Client) { c.stall = d } }

// WithAttempts sets how many attempts a sync makes of one request before it
// gives up; attempts that moved a download forward are not counted.
func WithAttempts(n int) Option { return func(c *Client) { c.attempts = max(n, 1) } }

// WithBackoff sets the first wait between attempts and its ceiling; each
// wait doubles, with jitter.
func WithBackoff(first, ceiling time.Duration) Option {
	return func(c *Client) { c.backoff, c.maxBackoff = first, max(ceiling, first) }
}

// WithMaxRetryAfter sets the longest Retry-After the client waits out.
func WithMaxRetryAfter(d time.Duration) Option { return func(c *Client) { c.maxRetryAfter = d } }

// New returns a client of the hub at baseURL (http or https, with a host and
// optionally a path prefix).
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		e := fault.New(fault.Invalid, CodeURLInvalid, "hubclient.New").With("url", baseURL)
		if err != nil {
			e = e.Wrap(err)
		}
		return nil, e
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	c := &Client{
		base:          u.String(),
		stall:         DefaultStallTimeout,
		attempts:      DefaultAttempts,
		backoff:       DefaultBackoff,
		maxBackoff:    DefaultMaxBackoff,
		maxRetryAfter: DefaultMaxRetryAfter,
	}
	for _, o := range opts {
		o(c)
	}
	if c.hc == nil {
		c.hc = &http.Client{Transport: newTransport()}
	}
	if c.stall <= 0 {
		c.stall = DefaultStallTimeout
	}
	return c, nil
}

// newTransport is the default transport: bounded dial, handshake and wait
// for headers, no overall deadline (a body's silence is bounded by the stall
// timeout instead).
func newTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
		ForceAttemptHTTP2:     true,
	}
}

// URL returns the hub's base URL as the client uses it.
func (c *Client) URL() string { return c.base }

// SetToken sets the bearer token sent with every request ("" for none).
func (c *Client) SetToken(token string) {
	c.mu.Lock()
	c.token = token
	c.mu.Unlock()
}

// Token returns the bearer token.
func (c *Client) Token() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// Health asks whether the hub is up.
func (c *Client) Health(ctx context.Context) (hubapi.Health, error) {
	var h hubapi.Health
	err := c.getJSON(ctx, "hubclient.Health", hubapi.PathHealth, &h)
	if err == nil && h.Status != "ok" {
		err = fault.New(fault.Corrupt, CodeResponseInvalid, "hubclient.Health").With("reason", "health_status")
	}
	return h, err
}

// Login opens a session and, on success, uses its token from then on.
func (c *Client) Login(ctx context.Context, user, password string) (hubapi.Session, error) {
	const op = "hubclient.Login"
	var s hubapi.Session
	body, _ := json.Marshal(hubapi.Login{User: user, Password: password})
	resp, err := c.send(ctx, op, http.MethodPost, hubapi.PathSessions, body, nil)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	if err := c.decode(ctx, op, resp, &s); err != nil {
		return s, err
	}
	if s.Token == "" {
		return s, fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "no_token")
	}
	c.SetToken(s.Token)
	return s, nil
}

// Logout revokes the session's token and forgets it. A token the hub no
// longer knows is forgotten without an error.
func (c *Client) Logout(ctx context.Context) error {
	const op = "hubclient.Logout"
	resp, err := c.send(ctx, op, http.MethodDelete, hubapi.PathSessionCurrent, nil, nil)
	if fault.CodeOf(err) == hubapi.CodeUnauthenticated {
		c.SetToken("")
		return nil
	}
	if err != nil {
		return err
	}
	resp.Body.Close()
	c.SetToken("")
	return nil
}

// Me returns the signed-in user.
func (c *Client) Me(ctx context.Context) (hubapi.User, error) {
	var u hubapi.User
	return u, c.getJSON(ctx, "hubclient.Me", hubapi.PathMe, &u)
}

// Libraries lists the latest release of every library the user may read.
func (c *Client) Libraries(ctx context.Context) ([]hubapi.LibraryHead, error) {
	var heads []hubapi.LibraryHead
	if err := c.getJSON(ctx, "hubclient.Libraries", hubapi.PathLibraries, &heads); err != nil {
		return nil, err
	}
	return heads, nil
}

// ReleaseNote fetches the signed manifest of a library's latest release.
// ifNoneMatch is the manifest SHA-256 the desktop trusts ("" for none): when
// the hub's is the same, notModified is true and note is nil. etag is the
// hub's manifest SHA-256, unquoted. The note is not verified here.
func (c *Client) ReleaseNote(ctx context.Context, lib, ifNoneMatch string) (note []byte, etag string, notModified bool, err error) {
	const op = "hubclient.ReleaseNote"
	hdr := http.Header{}
	if ifNoneMatch != "" {
		hdr.Set("If-None-Match", quoteETag(ifNoneMatch))
	}
	resp, err := c.send(ctx, op, http.MethodGet, hubapi.ReleaseNotePath(url.PathEscape(lib)), nil, hdr)
	if err != nil {
		return nil, "", false, err
	}
	defer resp.Body.Close()
	etag = strings.Trim(strings.TrimPrefix(resp.Header.Get("ETag"), "W/"), `"`)
	if resp.StatusCode == http.StatusNotModified {
		return nil, etag, true, nil
	}
	tooLarge := func() error {
		return fault.New(fault.Corrupt, library.CodeManifestTooLarge, op).With("max", library.MaxManifestBytes).With("library", lib)
	}
	if resp.ContentLength > library.MaxManifestBytes {
		return nil, etag, false, tooLarge()
	}
	note, err = io.ReadAll(io.LimitReader(resp.Body, library.MaxManifestBytes+1))
	if err != nil {
		return nil, etag, false, c.netError(ctx, op, err)
	}
	if len(note) > library.MaxManifestBytes {
		return nil, etag, false, tooLarge()
	}
	return note, etag, false, nil
}

func quoteETag(s string) string {
	if strings.HasPrefix(s, `"`) || strings.HasPrefix(s, `W/"`) {
		return s
	}
	return `"` + s + `"`
}

// getJSON GETs path and decodes its JSON answer into v.
func (c *Client) getJSON(ctx context.Context, op, path string, v any) error {
	resp, err := c.send(ctx, op, http.MethodGet, path, nil, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return c.decode(ctx, op, resp, v)
}

func (c *Client) decode(ctx context.Context, op string, resp *http.Response, v any) error {
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONBody+1))
	if err != nil {
		return c.netError(ctx, op, err)
	}
	if len(b) > maxJSONBody {
		return fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "too_large")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "json").Wrap(err)
	}
	return nil
}

// send makes one request. A non-2xx answer other than 304 becomes the hub's
// error; the body of the returned response is guarded by the stall timeout
// and must be closed.
func (c *Client) send(ctx context.Context, op, method, path string, body []byte, hdr http.Header) (*http.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, canceled(op, err)
	}
	rctx, cancel := context.WithCancelCause(ctx)
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(rctx, method, c.base+path, rd)
	if err != nil {
		cancel(nil)
		return nil, fault.New(fault.Invalid, CodeURLInvalid, op).With("url", c.base+path).Wrap(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if tok := c.Token(); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		cancel(nil)
		return nil, c.netError(ctx, op, err)
	}
	resp.Body = newStallReader(resp.Body, c.stall, cancel)
	if resp.StatusCode/100 == 2 || resp.StatusCode == http.StatusNotModified {
		return resp, nil
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusRequestedRangeNotSatisfiable {
		return nil, fault.New(fault.Corrupt, codeRangeNotSatisfiable, op)
	}
	var b []byte
	if method != http.MethodHead {
		b, err = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, c.netError(ctx, op, err)
		}
	}
	e := hubapi.DecodeError(resp.StatusCode, b)
	if resp.StatusCode == http.StatusUnauthorized && e.Code == hubapi.CodeBadStatus {
		// A HEAD answer has no body to say so.
		e = fault.New(fault.Permission, hubapi.CodeUnauthenticated, op)
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		e = e.Wrap(retryAfter(d))
	}
	return nil, e
}

// netError classifies a failed exchange: the caller's cancel, a stalled
// body, or a hub that cannot be reached.
func (c *Client) netError(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return canceled(op, err)
	}
	var st *stallError
	if errors.As(err, &st) {
		return fault.New(fault.Transient, CodeStalled, op).With("url", c.base).With("seconds", int(st.after.Round(time.Second)/time.Second)).Wrap(err)
	}
	return fault.New(fault.Transient, CodeUnreachable, op).With("url", c.base).Wrap(err)
}

func canceled(op string, err error) error {
	return fault.New(fault.Canceled, task.CodeCanceled, op).Wrap(err)
}

// retryAfter is the cause an error carries when the hub said when to retry.
type retryAfter time.Duration

func (r retryAfter) Error() string { return "retry after " + time.Duration(r).String() }

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(min(s, 1<<32)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// stallReader fails a body that sends nothing for too long, by canceling its
// request, so a silent connection cannot hold a download forever.
type stallReader struct {
	rc     io.ReadCloser
	after  time.Duration
	timer  *time.Timer
	mu     sync.Mutex
	fired  bool
	cancel context.CancelCauseFunc
}

type stallError struct{ after time.Duration }

func (e *stallError) Error() string { return fmt.Sprintf("no data for %s", e.after) }

func newStallReader(rc io.ReadCloser, after time.Duration, cancel context.CancelCauseFunc) *stallReader {
	s := &stallReader{rc: rc, after: after, cancel: cancel}
	s.timer = time.AfterFunc(after, func() {
		s.mu.Lock()
		s.fired = true
		s.mu.Unlock()
		cancel(&stallError{after})
	})
	return s
}

func (s *stallReader) Read(p []byte) (int, error) {
	n, err := s.rc.Read(p)
	if n > 0 {
		s.timer.Reset(s.after)
	}
	if err != nil && err != io.EOF {
		s.mu.Lock()
		fired := s.fired
		s.mu.Unlock()
		if fired {
			err = &stallError{s.after}
		}
	}
	return n, err
}

func (s *stallReader) Close() error {
	s.timer.Stop()
	err := s.rc.Close()
	s.cancel(nil)
	return err
}
