package outbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/assets"
	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/hub"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/hubclient"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/render"
)

// t0 is the hub's clock in tests: after the sample release was created,
// before it expires (as in backend/hub's tests).
var t0 = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)

// testHub is a real demo hub behind httptest, with its accounts signed in.
type testHub struct {
	h        *hub.Hub
	srv      *httptest.Server
	tokens   map[string]string
	reviewer *hubclient.Client
}

func newHub(t testing.TB) *testHub {
	t.Helper()
	h, err := hub.Open(t.TempDir(), hub.Options{Trust: []library.Trust{hub.DemoTrust()}, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	th := &testHub{h: h, srv: srv, tokens: map[string]string{}}
	for _, name := range []string{"designer.fr", "approver.fr", "reviewer"} {
		c := th.client(t, srv.URL, "")
		s, err := c.Login(context.Background(), name, hub.DemoPassword)
		if err != nil {
			t.Fatal(err)
		}
		th.tokens[name] = s.Token
	}
	th.reviewer = th.client(t, srv.URL, th.tokens["reviewer"])
	return th
}

// client is a hub client of url with a token, its timeouts short.
func (th *testHub) client(t testing.TB, url, token string, opts ...hubclient.Option) *hubclient.Client {
	t.Helper()
	return newClient(t, url, token, opts...)
}

func newClient(t testing.TB, url, token string, opts ...hubclient.Option) *hubclient.Client {
	t.Helper()
	tr := &http.Transport{ResponseHeaderTimeout: time.Second, MaxIdleConnsPerHost: 4}
	t.Cleanup(tr.CloseIdleConnections)
	opts = append([]hubclient.Option{hubclient.WithTransport(tr), hubclient.WithStallTimeout(200 * time.Millisecond)}, opts...)
	c, err := hubclient.New(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	c.SetToken(token)
	return c
}

// tally compares the hub's records per id with the ids sent: how many are
// missing and how many records are beyond one.
func tally(onHub map[string]int, ids []string) (lost, dups int) {
	for _, id := range ids {
		switch n := onHub[id]; {
		case n == 0:
			lost++
		case n > 1:
			dups += n - 1
		}
	}
	return lost, dups
}

// count lists every submission on the hub, by id.
func (th *testHub) count(t testing.TB) map[string]int {
	t.Helper()
	heads, err := th.reviewer.Submissions(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, h := range heads {
		out[h.ID]++
	}
	return out
}

// sample is a clean campaign of the fr office, checked and signed off as
// the desktop does: the body of any number of submissions.
type sample struct {
	sub   hubapi.Submission // without an id
	blobs map[string][]byte
}

func renditionBytes(key string) []byte {
	return bytes.Repeat([]byte("rendition "+key+"\n"), 40)
}

func newSample(t testing.TB, th *testHub) sample {
	t.Helper()
	return newSampleOn(t, th.srv.URL, th.tokens["approver.fr"], t0)
}

// newSampleOn is the sample for the hub at url, signed off there by
// approver.fr (approverToken), checked on now's date: the campaign goes out
// on the Wednesday at least a week later, its offer ends 11 days after that
// (for t0: 2027-01-20 and 2027-01-31).
func newSampleOn(t testing.TB, url, approverToken string, now time.Time) sample {
	t.Helper()
	send := now.AddDate(0, 0, 7)
	for send.Weekday() != time.Wednesday {
		send = send.AddDate(0, 0, 1)
	}
	c, err := cache.Open(cache.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	lib := library.NewStore(c)
	if _, err := lib.Apply(library.FSSource(assets.Sample()), library.Policy{Trust: []library.Trust{hub.DemoTrust()}, Now: now}, nil); err != nil {
		t.Fatal(err)
	}
	ix, err := lib.Open(assets.SampleLibrary)
	if err != nil {
		t.Fatal(err)
	}
	cs := campaign.NewStore(c, lib)
	cp, err := cs.Create(ix, campaign.New{Template: "promo", Name: "Winter fr", Region: "fr", Author: "designer.fr"})
	if err != nil {
		t.Fatal(err)
	}
	for slot, v := range map[string]string{
		"subject":   "Soldes d'hiver : l'équipement rando à prix doux",
		"preheader": "Chaussures, sacs et vestes : notre sélection pour l'hiver.",
		"season":    "winter", "hero": "forest-path", "offer_end": send.AddDate(0, 0, 11).Format(time.DateOnly),
	} {
		if cp, err = cs.SetValue(cp.ID, "fr", slot, v); err != nil {
			t.Fatal(err)
		}
	}
	if cp, err = cs.SetAudience(cp.ID, "club-members"); err != nil {
		t.Fatal(err)
	}
	if cp, err = cs.SetSendAt(cp.ID, send.Format(time.DateOnly)+"T10:00"); err != nil {
		t.Fatal(err)
	}
	ix, layout, err := cs.Layout(cp)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := brandcheck.Prepare(context.Background(), cp, ix, layout, render.New(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := sample{blobs: map[string][]byte{}}
	sizes := map[string]int{}
	for _, l := range ls {
		s.sub.Locales = append(s.sub.Locales, hubapi.SubmissionLocale{Locale: l.Locale, HTML: l.Result.HTML, Text: l.Result.Text})
		for _, p := range l.Pictures {
			k := p.Key()
			if _, done := sizes[k]; done {
				continue
			}
			b := renditionBytes(k)
			sum := sha256.Sum256(b)
			sha := hex.EncodeToString(sum[:])
			sizes[k] = len(b)
			s.blobs[sha] = b
			s.sub.Renditions = append(s.sub.Renditions, hubapi.Rendition{Key: k, SHA256: sha, Bytes: int64(len(b))})
		}
	}
	report := brandcheck.Check(brandcheck.Input{Campaign: cp, Release: ix, Locales: ls, ImageBytes: sizes, Today: now.Format(time.DateOnly)})
	if report.Errors != 0 {
		t.Fatalf("the sample campaign is not clean: %+v", report.Findings)
	}
	approver := newClient(t, url, approverToken)
	g, err := approver.SignOffGrant(context.Background(), hubapi.SignOffRequest{
		CampaignID: cp.ID, Region: cp.Region, Author: cp.Author, Rev: cp.Rev,
		CampaignSHA256: sha256Hex(brandcheck.CampaignJSON(cp, nil)), Errors: report.Errors, Receipt: report.Receipt,
	})
	if err != nil {
		t.Fatal(err)
	}
	s.sub.Campaign = *cp
	s.sub.Imports = []library.Local{}
	s.sub.Receipt, s.sub.Findings = report.Receipt, report.Findings
	s.sub.SignOff = hubapi.SignOffGrant{Grant: g.Grant}
	s.sub.SubmittedAt = now
	return s
}

// make is the i-th submission of the sample: a new id, its own time.
func (s sample) make(i int) hubapi.Submission {
	sub := s.sub
	sub.ID = NewID()
	sub.SubmittedAt = s.sub.SubmittedAt.Add(time.Duration(i) * time.Millisecond)
	return sub
}

// openOutbox opens a cache in dir and its outbox.
func openOutbox(t testing.TB, dir string) (*cache.Cache, *Outbox) {
	t.Helper()
	c, err := cache.Open(cache.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return c, New(c, WithClock(func() time.Time { return t0 }))
}

// enqueueN queues n submissions of the sample and returns their ids.
func enqueueN(t testing.TB, ob *Outbox, s sample, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		sub := s.make(i)
		if err := ob.Enqueue(sub, s.blobs); err != nil {
			t.Fatal(err)
		}
		ids[i] = sub.ID
	}
	return ids
}

// injection is what the proxy does to one request.
type injection int

const (
	pass        injection = iota
	resetBefore           // drop the connection before the hub saw the request
	resetAfter            // the hub processed it; drop the connection before the answer
	status500             // answer 500 without asking the hub
	status503             // answer 503 with Retry-After, without asking the hub
	stallBody             // the hub processed it; send the head and a few bytes, then nothing
	stallHead             // the hub processed it; send nothing past the client's header timeout
	nFaults
)

var faultNames = [...]string{"pass", "reset_before", "reset_after", "500", "503_retry_after", "stall_body", "stall_head"}

// faultProxy stands between the desktop and the hub and injects faults
// into a share of requests, counting them.
type faultProxy struct {
	target *url.URL
	srv    *httptest.Server
	rt     *http.Transport

	mu         sync.Mutex
	rng        *rand.Rand
	rate       float64 // share of requests that get a fault
	retryAfter string
	weights    [nFaults]int
	counts     [nFaults]int
	puts       atomic.Int64 // PUT /v1/submissions/… that reached the hub
	arrived    atomic.Int64 // PUT /v1/submissions/… that reached the proxy, faults included
}

// countingTransport counts the submission PUTs the client hands its
// transport: one per sender attempt. Requests that reach the proxy beyond
// that count are the transport's own replays (Go resends a request with
// an Idempotency-Key header on a reused connection that died first).
type countingTransport struct {
	rt   http.RoundTripper
	puts atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if isSubmissionPut(r) {
		c.puts.Add(1)
	}
	return c.rt.RoundTrip(r)
}

func isSubmissionPut(r *http.Request) bool {
	return r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/v1/submissions/")
}

func newFaultProxy(t testing.TB, target string, seed uint64, rate float64) *faultProxy {
	u, _ := url.Parse(target)
	p := &faultProxy{target: u, rt: &http.Transport{}, rng: rand.New(rand.NewPCG(seed, 1)), rate: rate, retryAfter: "1"}
	p.weights = [nFaults]int{pass: 0, resetBefore: 5, resetAfter: 5, status500: 3, status503: 1, stallBody: 2, stallHead: 1}
	p.srv = httptest.NewServer(p)
	t.Cleanup(func() {
		p.srv.CloseClientConnections()
		p.srv.Close()
		p.rt.CloseIdleConnections()
	})
	return p
}

func (p *faultProxy) URL() string { return p.srv.URL }

func (p *faultProxy) pick() injection {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := pass
	if p.rng.Float64() < p.rate {
		total := 0
		for _, w := range p.weights {
			total += w
		}
		n := p.rng.IntN(total)
		for i, w := range p.weights {
			if n < w {
				f = injection(i)
				break
			}
			n -= w
		}
	}
	p.counts[f]++
	return f
}

func (p *faultProxy) summary() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for i, n := range p.counts {
		out[faultNames[i]] = n
	}
	return out
}

// reset closes the client's connection at once, with a TCP RST.
func reset(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isSubmissionPut(r) {
		p.arrived.Add(1)
	}
	f := p.pick()
	switch f {
	case resetBefore:
		reset(w)
		return
	case status500:
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "injected failure\n")
		return
	case status503:
		w.Header().Set("Retry-After", p.retryAfter)
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "injected failure\n")
		return
	}
	body, _ := io.ReadAll(r.Body)
	out, _ := http.NewRequestWithContext(context.WithoutCancel(r.Context()), r.Method, p.target.String()+r.URL.RequestURI(), bytes.NewReader(body))
	out.Header = r.Header.Clone()
	resp, err := p.rt.RoundTrip(out)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if isSubmissionPut(r) {
		p.puts.Add(1)
	}
	switch f {
	case resetAfter:
		reset(w)
		return
	case stallHead:
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		reset(w)
		return
	}
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	if f == stallBody && len(answer) > 1 {
		w.Write(answer[:len(answer)/2])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		reset(w)
		return
	}
	w.Write(answer)
}
