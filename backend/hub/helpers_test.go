package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
)

// t0 is the hub's clock in tests: after the sample release was created and
// the test releases below, before any of them expires.
var t0 = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)

// clock is a test clock that tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testKey is a signing key pair for test releases.
type testKey struct{ signer, verifier string }

func newKey(t testing.TB, name string) testKey {
	t.Helper()
	s, v, err := library.GenerateKey(name)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{s, v}
}

// testEnv is a hub on a real loopback listener with its clock, data folder
// and log.
type testEnv struct {
	t     *testing.T
	hub   *Hub
	srv   *httptest.Server
	clock *clock
	dir   string
	logs  *syncBuffer
	key   testKey // trusted for the "north" library
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newEnv opens a hub in a temporary folder trusting the sample key and a
// fresh key for "north", with admin (hq_admin) as its first account.
func newEnv(t *testing.T, tweak ...func(*Options)) *testEnv {
	t.Helper()
	e := &testEnv{t: t, clock: &clock{t: t0}, dir: t.TempDir(), logs: &syncBuffer{}, key: newKey(t, "north-test")}
	opt := Options{
		Trust:   []library.Trust{DemoTrust(), {Library: "north", Keys: []string{e.key.verifier}, Threshold: 1}},
		Now:     e.clock.Now,
		Log:     slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Version: "test-1",
	}
	for _, f := range tweak {
		f(&opt)
	}
	h, err := Open(e.dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	e.hub = h
	e.srv = httptest.NewServer(h.Handler())
	t.Cleanup(func() {
		e.srv.Close()
		if err := h.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	e.addUser("admin", hubapi.RoleHQAdmin, "")
	return e
}

const testPassword = "correct horse battery"

func (e *testEnv) addUser(name string, role hubapi.Role, region string) {
	e.t.Helper()
	if _, err := e.hub.AddUser(hubapi.NewUser{Name: name, Password: testPassword, Role: role, Region: region}); err != nil {
		e.t.Fatalf("AddUser %s: %v", name, err)
	}
}

// answer is a response read in full.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// errBody decodes an error answer.
func (a answer) err() fault.Payload {
	var eb hubapi.ErrorBody
	json.Unmarshal(a.body, &eb)
	return eb.Error
}

func (a answer) String() string { return fmt.Sprintf("%d %s", a.status, bytes.TrimSpace(a.body)) }

type req struct {
	method, path, token, ctype string
	body                       io.Reader
	header                     map[string]string
}

func (e *testEnv) do(r req) answer {
	e.t.Helper()
	hr, err := http.NewRequestWithContext(context.Background(), r.method, e.srv.URL+r.path, r.body)
	if err != nil {
		e.t.Fatal(err)
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.ctype != "" {
		hr.Header.Set("Content-Type", r.ctype)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	return e.send(hr)
}

func (e *testEnv) send(hr *http.Request) answer {
	e.t.Helper()
	resp, err := e.srv.Client().Do(hr)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

func (e *testEnv) get(path, token string) answer {
	e.t.Helper()
	return e.do(req{method: http.MethodGet, path: path, token: token})
}

func jsonBody(v any) io.Reader {
	b, _ := json.Marshal(v)
	return bytes.NewReader(b)
}

func (e *testEnv) loginAnswer(user, password string) answer {
	e.t.Helper()
	return e.do(req{method: http.MethodPost, path: hubapi.PathSessions, ctype: "application/json",
		body: jsonBody(hubapi.Login{User: user, Password: password})})
}

// login signs in and returns the token.
func (e *testEnv) login(user, password string) string {
	e.t.Helper()
	a := e.loginAnswer(user, password)
	if a.status != http.StatusCreated {
		e.t.Fatalf("login %s: %v", user, a)
	}
	var s hubapi.Session
	if err := json.Unmarshal(a.body, &s); err != nil {
		e.t.Fatal(err)
	}
	return s.Token
}

func (e *testEnv) upload(token string, zip []byte) answer {
	e.t.Helper()
	return e.do(req{method: http.MethodPost, path: hubapi.PathReleases, token: token, ctype: "application/zip", body: bytes.NewReader(zip)})
}

// wantError checks an error answer's status and code.
func wantError(t *testing.T, a answer, status int, code fault.Code) {
	t.Helper()
	if a.status != status || a.err().Code != code {
		t.Fatalf("got %v, want %d %s", a, status, code)
	}
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("error Content-Type %q", ct)
	}
}

// northContent is a small library.json.
const northContent = `{
  "locales": ["en"],
  "regions": [{"id": "no", "name": {"en": "Norway"}, "countries": ["NO"], "locales": ["en"]}],
  "brand": {"name": "North", "palette": [], "fonts": [], "logos": [], "tone": []},
  "templates": [], "assets": [], "snippets": [], "footers": [], "presets": [],
  "rules": {"version": 1, "rules": []}, "scopes": []
}`

// northFiles are the files of a test release; guide.txt is big enough for
// range requests and differs with tag.
func northFiles(tag string) map[string]string {
	var guide strings.Builder
	for i := 0; guide.Len() < 6000; i++ {
		fmt.Fprintf(&guide, "%s line %04d of the north guide\n", tag, i)
	}
	return map[string]string{
		library.ContentFile: northContent,
		"docs/guide.txt":    guide.String(),
		"docs/hello.txt":    "hello from the north\n",
	}
}

func northInfo(version uint64) library.ReleaseInfo {
	return library.ReleaseInfo{
		Library: "north", Name: "North", Regions: []string{"no"}, Version: version,
		Created: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Expires: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

// writeFiles writes files into a fresh folder.
func writeFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// buildZip signs files as a release and returns its zip and manifest.
func buildZip(t testing.TB, info library.ReleaseInfo, files map[string]string, signers ...string) ([]byte, *library.Manifest) {
	t.Helper()
	dir := writeFiles(t, files)
	m, err := library.BuildManifest(dir, info)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := library.Sign(m, signers...)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := library.WriteZip(&buf, dir, m, signed); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), m
}

// shaOf is the SHA-256 the manifest lists for a path.
func shaOf(t testing.TB, m *library.Manifest, path string) string {
	t.Helper()
	for _, f := range m.Files {
		if f.Path == path {
			return f.SHA256
		}
	}
	t.Fatalf("%s not in the manifest", path)
	return ""
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// dirEntries counts the entries of a folder, but for the resumable
// uploads' folder, which the hub keeps in tmp.
func dirEntries(t testing.TB, dir string) int {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range ents {
		if e.Name() != "uploads" {
			n++
		}
	}
	return n
}
