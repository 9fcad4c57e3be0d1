package hubclient

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/hubclient/internal/testrel"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/task"
)

func TestNewChecksTheURL(t *testing.T) {
	for _, u := range []string{"", "hub.example.com", "ftp://hub.example.com", "http://", "https://user:pw@hub.example.com",
		"https://hub.example.com/?x=1", "https://hub.example.com/#top", "mailto:hq@example.com", "https://:443"} {
		if _, err := New(u); fault.CodeOf(err) != CodeURLInvalid || fault.KindOf(err) != fault.Invalid {
			t.Errorf("New(%q) = %v, want %s", u, err, CodeURLInvalid)
		}
	}
	for u, want := range map[string]string{
		"https://hub.example.com":           "https://hub.example.com",
		"https://hub.example.com/":          "https://hub.example.com",
		" http://127.0.0.1:8080/outpost/ ":  "http://127.0.0.1:8080/outpost",
		"https://[::1]:8443":                "https://[::1]:8443",
		"https://hub.example.com/a%20b/hub": "https://hub.example.com/a%20b/hub",
	} {
		c, err := New(u)
		if err != nil || c.URL() != want {
			t.Errorf("New(%q) = %v, %v; want %s", u, c, err, want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"0":                             0,
		"7":                             7 * time.Second,
		" 120 ":                         2 * time.Minute,
		"Sun, 22 Nov 2026 12:00:30 GMT": 30 * time.Second,
		"Sun, 22 Nov 2026 11:00:00 GMT": 0,
	} {
		if got, ok := parseRetryAfter(v, now); !ok || got != want {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{"", "-1", "soon", "1.5"} {
		if _, ok := parseRetryAfter(v, now); ok {
			t.Errorf("parseRetryAfter(%q) accepted", v)
		}
	}
}

func TestParseContentRange(t *testing.T) {
	for v, want := range map[string][2]int64{"bytes 100-199/200": {100, 200}, "bytes 0-0/1": {0, 1}, "bytes 5-9/*": {5, -1}} {
		start, total, ok := parseContentRange(v)
		if !ok || start != want[0] || total != want[1] {
			t.Errorf("parseContentRange(%q) = %d, %d, %v", v, start, total, ok)
		}
	}
	for _, v := range []string{"", "bytes */200", "items 0-1/2", "bytes 9-5/10"} {
		if _, _, ok := parseContentRange(v); ok {
			t.Errorf("parseContentRange(%q) accepted", v)
		}
	}
}

func TestUnreachableHubAndCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c, err := New("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Health(context.Background())
	fe, ok := fault.As(err)
	if !ok || fe.Code != CodeUnreachable || fe.Kind != fault.Transient || fe.Params["url"] != "http://"+addr {
		t.Fatalf("Health of a closed port = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Libraries(ctx); fault.CodeOf(err) != task.CodeCanceled || fault.KindOf(err) != fault.Canceled {
		t.Fatalf("Libraries with a canceled context = %v", err)
	}
}

func TestSessionCalls(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if h, err := e.client.Health(ctx); err != nil || h.Status != "ok" {
		t.Fatalf("Health = %+v, %v", h, err)
	}
	u, err := e.client.Me(ctx)
	if err != nil || u.Name != testUser || u.Role != hubapi.RoleDesigner || u.Region != "fr" {
		t.Fatalf("Me = %+v, %v", u, err)
	}
	other, _ := New(e.proxy.URL())
	if _, err := other.Login(ctx, testUser, "wrong password!"); fault.CodeOf(err) != hubapi.CodeLoginFailed {
		t.Fatalf("Login with a wrong password = %v", err)
	}
	if other.Token() != "" {
		t.Fatal("a failed login set a token")
	}
	if _, err := other.Libraries(ctx); fault.CodeOf(err) != hubapi.CodeUnauthenticated {
		t.Fatalf("Libraries without a token = %v", err)
	}
	tok := e.client.Token()
	if err := e.client.Logout(ctx); err != nil || e.client.Token() != "" {
		t.Fatalf("Logout = %v, token %q", err, e.client.Token())
	}
	other.SetToken(tok)
	if _, err := other.Me(ctx); fault.CodeOf(err) != hubapi.CodeUnauthenticated {
		t.Fatalf("Me with a revoked token = %v", err)
	}
}

func TestReleaseNote(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, _, _, err := e.client.ReleaseNote(ctx, testLib, ""); fault.CodeOf(err) != hubapi.CodeNotFound {
		t.Fatalf("release.note of an unpublished library = %v", err)
	}
	r := e.publish(1, files(2, 100, 1, 11))
	note, etag, notMod, err := e.client.ReleaseNote(ctx, testLib, "")
	if err != nil || notMod || string(note) != string(r.Note) {
		t.Fatalf("ReleaseNote = %d bytes, %v, %v", len(note), notMod, err)
	}
	mf, err := library.VerifyManifest(note, e.pol)
	if err != nil {
		t.Fatal(err)
	}
	if etag != mf.ManifestSHA {
		t.Fatalf("ETag %q, manifest SHA-256 %s", etag, mf.ManifestSHA)
	}
	heads, err := e.client.Libraries(ctx)
	if err != nil || len(heads) != 1 || heads[0].ManifestSHA256 != mf.ManifestSHA || heads[0].Version != 1 {
		t.Fatalf("Libraries = %+v, %v", heads, err)
	}
	note, _, notMod, err = e.client.ReleaseNote(ctx, testLib, mf.ManifestSHA)
	if err != nil || !notMod || note != nil {
		t.Fatalf("ReleaseNote with the current ETag = %d bytes, %v, %v", len(note), notMod, err)
	}
}

// TestFetchBlobResumes: a .part left behind is resumed with a Range request;
// a hub that ignores Range makes the download start over; a wrong part is
// found out by the hash and deleted.
func TestFetchBlobResumes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	data := testrel.Random(300_000, 12)
	r := e.publish(1, map[string][]byte{"docs/big.bin": data})
	var f library.File
	for _, x := range r.Manifest.Files {
		if x.Path == "docs/big.bin" {
			f = x
		}
	}
	if err := os.MkdirAll(e.spool, 0o700); err != nil {
		t.Fatal(err)
	}
	part := filepath.Join(e.spool, f.SHA256+partSuffix)
	final := filepath.Join(e.spool, f.SHA256)
	reset := func(prefix []byte) {
		os.Remove(final)
		if err := os.WriteFile(part, prefix, 0o600); err != nil {
			t.Fatal(err)
		}
		e.proxy.reset()
	}
	var held int64
	count := func(d int64) { held += d }

	reset(data[:100_000])
	held = 100_000
	if err := e.client.fetchBlob(ctx, f.SHA256, f.Size, e.spool, count); err != nil {
		t.Fatal(err)
	}
	reqs := e.proxy.blobRequests()
	if len(reqs) != 1 || reqs[0].rng != "bytes=100000-" || reqs[0].status != http.StatusPartialContent || reqs[0].bytes != 200_000 {
		t.Fatalf("resume requests %+v", reqs)
	}
	if got, _ := os.ReadFile(final); string(got) != string(data) || held != f.Size {
		t.Fatalf("resumed file: %d bytes, held %d", len(got), held)
	}
	if _, err := os.Stat(part); !os.IsNotExist(err) {
		t.Fatalf("part still there: %v", err)
	}

	reset(data[:100_000])
	held = 100_000
	e.proxy.setRule(func(r *http.Request, n int) action { return action{stripRange: true} })
	if err := e.client.fetchBlob(ctx, f.SHA256, f.Size, e.spool, count); err != nil {
		t.Fatal(err)
	}
	reqs = e.proxy.blobRequests()
	if len(reqs) != 1 || reqs[0].status != http.StatusOK || reqs[0].bytes != f.Size || held != f.Size {
		t.Fatalf("requests %+v, held %d", reqs, held)
	}

	wrong := append([]byte{}, data[:100_000]...)
	wrong[10] ^= 1
	reset(wrong)
	err := e.client.fetchBlob(ctx, f.SHA256, f.Size, e.spool, nil)
	if fe, ok := fault.As(err); !ok || fe.Code != CodeDownloadCorrupt || fe.Kind != fault.Corrupt || fe.Params["sha256"] != f.SHA256 {
		t.Fatalf("fetch over a wrong part = %v", err)
	}
	if _, err := os.Stat(part); !os.IsNotExist(err) {
		t.Fatalf("wrong part kept: %v", err)
	}

	// A part longer than the file starts over.
	reset(append(append([]byte{}, data...), "tail"...))
	if err := e.client.fetchBlob(ctx, f.SHA256, f.Size, e.spool, nil); err != nil {
		t.Fatal(err)
	}
	if reqs := e.proxy.blobRequests(); len(reqs) != 1 || reqs[0].rng != "" {
		t.Fatalf("requests %+v", reqs)
	}
}

func TestStalledBodyFails(t *testing.T) {
	e := newEnv(t, WithStallTimeout(200*time.Millisecond))
	r := e.publish(1, map[string][]byte{"docs/big.bin": testrel.Random(200_000, 13)})
	sha := r.Manifest.Files[0].SHA256
	if !strings.HasPrefix(r.Manifest.Files[0].Path, "docs/") {
		t.Fatalf("files %+v", r.Manifest.Files)
	}
	e.proxy.setRule(func(r *http.Request, n int) action { return action{stall: true, stallAfter: 50_000} })
	os.MkdirAll(e.spool, 0o700)
	start := time.Now()
	err := e.client.fetchBlob(context.Background(), sha, r.Manifest.Files[0].Size, e.spool, nil)
	if fault.CodeOf(err) != CodeStalled || fault.KindOf(err) != fault.Transient {
		t.Fatalf("err = %v, want %s", err, CodeStalled)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("stall noticed after %v", d)
	}
	if fi, err := os.Stat(filepath.Join(e.spool, sha+partSuffix)); err != nil || fi.Size() != 50_000 {
		t.Fatalf("part after the stall: %v, %v", fi, err)
	}
}
