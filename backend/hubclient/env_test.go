package hubclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/hub"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/hubclient/internal/testrel"
	"github.com/outpost-studio/outpost/backend/library"
)

const (
	testLib      = "cairn"
	otherLib     = "other"
	testUser     = "ana"
	testPassword = "correct horse battery staple"
)

// env is one desktop and one hub: a real hub (Badger in a temp folder)
// behind httptest, reached through a fault-injecting proxy, and a real
// library store.
type env struct {
	t      *testing.T
	key    testrel.Key
	other  testrel.Key // signs otherLib, which the hub pins and the desktop does not
	hub    *hub.Hub
	proxy  *faultProxy
	client *Client
	st     *library.Store
	pol    library.Policy
	spool  string
}

func newEnv(t *testing.T, opts ...Option) *env {
	t.Helper()
	key, err := testrel.NewKey("hq-test")
	if err != nil {
		t.Fatal(err)
	}
	other, err := testrel.NewKey("hq-other")
	if err != nil {
		t.Fatal(err)
	}
	trust := []library.Trust{key.Trust(testLib)}
	hubTrust := append([]library.Trust{other.Trust(otherLib)}, trust...)
	h, err := hub.Open(t.TempDir(), hub.Options{Trust: hubTrust, Now: func() time.Time { return testrel.Now }})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(h.Handler())
	t.Cleanup(func() {
		hs.Close()
		h.Close()
	})
	if _, err := h.AddUser(hubapi.NewUser{Name: testUser, DisplayName: "Ana", Password: testPassword, Role: hubapi.RoleDesigner, Region: "fr"}); err != nil {
		t.Fatal(err)
	}
	px := newFaultProxy(t, hs.URL)
	opts = append([]Option{WithStallTimeout(300 * time.Millisecond), WithBackoff(5*time.Millisecond, 50*time.Millisecond)}, opts...)
	c, err := New(px.URL(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(context.Background(), testUser, testPassword); err != nil {
		t.Fatal(err)
	}
	ch, err := cache.Open(cache.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.Close() })
	return &env{
		t: t, key: key, other: other, hub: h, proxy: px, client: c,
		st:    library.NewStore(ch),
		pol:   library.Policy{Trust: trust, Region: "fr", Now: testrel.Now},
		spool: filepath.Join(t.TempDir(), "spool"),
	}
}

// build signs a release of the test library without publishing it.
func (e *env) build(version uint64, files map[string][]byte) *testrel.Release {
	e.t.Helper()
	r, err := testrel.Build(filepath.Join(e.t.TempDir(), "release"), e.key, testrel.Spec{Library: testLib, Version: version, Files: files})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// publish builds a release and publishes it on the hub.
func (e *env) publish(version uint64, files map[string][]byte) *testrel.Release {
	e.t.Helper()
	r := e.build(version, files)
	src, err := library.OpenSource(r.Dir)
	if err != nil {
		e.t.Fatal(err)
	}
	defer src.Close()
	if _, err := e.hub.Publish(context.Background(), src); err != nil {
		e.t.Fatalf("publish version %d: %v", version, err)
	}
	return r
}

func (e *env) sync(ctx context.Context) (Result, error) {
	return Sync(ctx, e.client, e.st, e.pol, e.spool, nil)
}

// mustSync syncs and checks that every file of r is stored and verified.
func (e *env) mustSync(r *testrel.Release) Result {
	e.t.Helper()
	res, err := e.sync(context.Background())
	if err != nil {
		e.t.Fatalf("sync: %v", err)
	}
	e.checkTrusted(r)
	return res
}

// checkTrusted checks that r is the trusted release, every blob reads back
// verified and the library opens.
func (e *env) checkTrusted(r *testrel.Release) {
	e.t.Helper()
	rec, err := e.st.Record(testLib)
	if err != nil || rec == nil {
		e.t.Fatalf("record: %v, %v", rec, err)
	}
	if rec.Version != r.Manifest.Version {
		e.t.Fatalf("trusted version %d, want %d", rec.Version, r.Manifest.Version)
	}
	for _, f := range r.Manifest.Files {
		if _, err := e.st.Blob(f.SHA256); err != nil {
			e.t.Fatalf("blob %s: %v", f.Path, err)
		}
	}
	if _, err := e.st.Open(testLib); err != nil {
		e.t.Fatalf("open: %v", err)
	}
}

// spoolNames lists the spool folder.
func (e *env) spoolNames() []string {
	e.t.Helper()
	entries, err := os.ReadDir(e.spool)
	if err != nil && !os.IsNotExist(err) {
		e.t.Fatal(err)
	}
	var out []string
	for _, x := range entries {
		out = append(out, x.Name())
	}
	return out
}

// faultProxy is a test tool between the client and the real hub: it passes
// requests through and, as its rule says, answers an error itself, drops
// the connection or stalls after some body bytes, or rewrites an answer (a
// compromised hub). It counts what it sends.
type faultProxy struct {
	t      *testing.T
	target string
	srv    *httptest.Server
	rt     *http.Transport

	mu    sync.Mutex
	rule  func(r *http.Request, n int) action // n counts requests of that path, from 1
	count map[string]int
	log   []reqLog
	gen   int // bumped by reset and setRule: requests of an older one are not logged
	// busy counts handlers still running: a client can have read a whole
	// answer while its handler has yet to log it.
	busy int
}

// action is what the proxy does with one request; the zero value passes
// it through.
type action struct {
	status     int    // answer this status without asking the hub
	retryAfter string // with this Retry-After
	dropAfter  int64  // > 0: close the connection after this many body bytes
	stallAfter int64  // >= 0 with stall: send this many bytes, then nothing
	stall      bool
	rewrite    func(body []byte) []byte // replace the hub's body (asked without If-None-Match or Range)
	stripRange bool                     // forward without the Range header
}

type reqLog struct {
	at     time.Time
	path   string
	rng    string // the Range header
	status int
	bytes  int64  // body bytes sent
	cut    string // "drop" or "stall" when the proxy cut the answer short
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	p := &faultProxy{t: t, target: target, rt: &http.Transport{}, count: map[string]int{}}
	p.srv = httptest.NewServer(p)
	t.Cleanup(func() {
		p.srv.Close()
		p.rt.CloseIdleConnections()
	})
	return p
}

func (p *faultProxy) URL() string { return p.srv.URL }

// setRule starts a new log under rule.
func (p *faultProxy) setRule(rule func(r *http.Request, n int) action) {
	p.mu.Lock()
	p.rule, p.log, p.count = rule, nil, map[string]int{}
	p.gen++
	p.mu.Unlock()
}

// reset forgets the log and the rule.
func (p *faultProxy) reset() {
	p.mu.Lock()
	p.rule, p.log, p.count = nil, nil, map[string]int{}
	p.gen++
	p.mu.Unlock()
}

// requests returns the log once no handler is still running (or after 5 s,
// for a handler a test left stalled).
func (p *faultProxy) requests() []reqLog {
	deadline := time.Now().Add(5 * time.Second)
	for {
		p.mu.Lock()
		if p.busy == 0 || time.Now().After(deadline) {
			defer p.mu.Unlock()
			return append([]reqLog(nil), p.log...)
		}
		p.mu.Unlock()
		time.Sleep(2 * time.Millisecond)
	}
}

// bytes sums the body bytes sent for paths with prefix.
func (p *faultProxy) bytes(prefix string) int64 {
	var n int64
	for _, r := range p.requests() {
		if strings.HasPrefix(r.path, prefix) {
			n += r.bytes
		}
	}
	return n
}

func (p *faultProxy) blobRequests() []reqLog {
	var out []reqLog
	for _, r := range p.requests() {
		if strings.HasPrefix(r.path, "/v1/blobs/") {
			out = append(out, r)
		}
	}
	return out
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.count[r.URL.Path]++
	n := p.count[r.URL.Path]
	rule, gen := p.rule, p.gen
	p.busy++
	p.mu.Unlock()
	var act action
	if rule != nil {
		act = rule(r, n)
	}
	rec := reqLog{at: time.Now(), path: r.URL.Path, rng: r.Header.Get("Range")}
	defer func() {
		p.mu.Lock()
		if p.gen == gen {
			p.log = append(p.log, rec)
		}
		p.busy--
		p.mu.Unlock()
	}()

	if act.status != 0 {
		if act.retryAfter != "" {
			w.Header().Set("Retry-After", act.retryAfter)
		}
		rec.status = act.status
		w.WriteHeader(act.status)
		io.WriteString(w, "injected failure\n")
		return
	}

	u, _ := url.Parse(p.target + r.URL.RequestURI())
	out := r.Clone(r.Context())
	out.URL, out.Host, out.RequestURI = u, u.Host, ""
	if act.rewrite != nil {
		out.Header.Del("If-None-Match")
		out.Header.Del("Range")
	}
	if act.stripRange {
		out.Header.Del("Range")
	}
	resp, err := p.rt.RoundTrip(out)
	if err != nil {
		rec.status = http.StatusBadGateway
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	if act.rewrite != nil {
		b, _ := io.ReadAll(resp.Body)
		b = act.rewrite(b)
		w.Header().Del("Content-Length")
		body = strings.NewReader(string(b))
	}
	rec.status = resp.StatusCode
	w.WriteHeader(resp.StatusCode)
	fl := w.(http.Flusher)
	buf := make([]byte, 16<<10)
	for {
		chunk := buf
		switch {
		case act.dropAfter > 0:
			chunk = buf[:min(int64(len(buf)), act.dropAfter-rec.bytes)]
		case act.stall:
			chunk = buf[:min(int64(len(buf)), max(act.stallAfter-rec.bytes, 0))]
		}
		if len(chunk) == 0 {
			fl.Flush()
			rec.cut = "drop"
			if act.stall {
				rec.cut = "stall"
				select {
				case <-r.Context().Done():
				case <-time.After(10 * time.Second):
				}
			}
			panic(http.ErrAbortHandler)
		}
		k, err := body.Read(chunk)
		if k > 0 {
			w.Write(chunk[:k])
			rec.bytes += int64(k)
			fl.Flush()
		}
		if err != nil {
			return
		}
	}
}
