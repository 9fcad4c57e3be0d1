package hub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// TestBlobsAndReleaseNote: ranges resume a download, caching headers are
// there, a known manifest is a 304, unknown and malformed hashes are 404.
func TestBlobsAndReleaseNote(t *testing.T) {
	e := newEnv(t)
	e.addUser("designer.no", hubapi.RoleDesigner, "no")
	admin := e.login("admin", testPassword)
	files := northFiles("v1")
	z, m := buildZip(t, northInfo(1), files, e.key.signer)
	if a := e.upload(admin, z); a.status != http.StatusCreated {
		t.Fatal(a)
	}
	tok := e.login("designer.no", testPassword)
	guide := files["docs/guide.txt"]
	sha := shaOf(t, m, "docs/guide.txt")

	full := e.get(hubapi.BlobPath(sha), tok)
	if full.status != http.StatusOK || string(full.body) != guide {
		t.Fatalf("blob: %d, %d bytes", full.status, len(full.body))
	}
	for h, want := range map[string]string{
		"ETag":          `"` + sha + `"`,
		"Cache-Control": "private, max-age=31536000, immutable",
		"Content-Type":  "application/octet-stream",
		"Accept-Ranges": "bytes",
	} {
		if got := full.header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}

	for _, c := range []struct{ rng, want, contentRange string }{
		{"bytes=100-199", guide[100:200], "bytes 100-199/" + itoa(len(guide))},
		{"bytes=4000-", guide[4000:], "bytes 4000-" + itoa(len(guide)-1) + "/" + itoa(len(guide))},
		{"bytes=-10", guide[len(guide)-10:], "bytes " + itoa(len(guide)-10) + "-" + itoa(len(guide)-1) + "/" + itoa(len(guide))},
	} {
		a := e.do(req{method: http.MethodGet, path: hubapi.BlobPath(sha), token: tok, header: map[string]string{"Range": c.rng}})
		if a.status != http.StatusPartialContent || string(a.body) != c.want || a.header.Get("Content-Range") != c.contentRange {
			t.Errorf("Range %s: %d %q, %d bytes", c.rng, a.status, a.header.Get("Content-Range"), len(a.body))
		}
	}
	if a := e.do(req{method: http.MethodGet, path: hubapi.BlobPath(sha), token: tok, header: map[string]string{"If-None-Match": `"` + sha + `"`}}); a.status != http.StatusNotModified {
		t.Errorf("blob If-None-Match: %v", a)
	}
	if a := e.do(req{method: http.MethodHead, path: hubapi.BlobPath(sha), token: tok}); a.status != http.StatusOK || a.header.Get("Content-Length") != itoa(len(guide)) {
		t.Errorf("HEAD blob: %v %v", a, a.header)
	}

	for _, bad := range []string{strings.Repeat("0", 64), strings.ToUpper(sha), sha[:63], "not-a-sha", sha + "0", "..%2f..%2fmeta"} {
		wantError(t, e.get(hubapi.BlobPath(bad), tok), http.StatusNotFound, hubapi.CodeNotFound)
	}

	note := e.get(hubapi.ReleaseNotePath("north"), tok)
	etag := note.header.Get("ETag")
	rec, _, _ := e.hub.store.Latest("north")
	if note.status != http.StatusOK || etag != `"`+rec.Head.ManifestSHA256+`"` || note.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("release.note: %v %v", note, note.header)
	}
	if !bytes.HasPrefix(note.body, []byte("{\n  \"format\": 1,")) || !bytes.Contains(note.body, []byte("\n\n— north-test ")) {
		t.Fatalf("release.note is not the signed note:\n%s", note.body)
	}
	a := e.do(req{method: http.MethodGet, path: hubapi.ReleaseNotePath("north"), token: tok, header: map[string]string{"If-None-Match": etag}})
	if a.status != http.StatusNotModified || len(a.body) != 0 {
		t.Fatalf("release.note If-None-Match: %v", a)
	}
	a = e.do(req{method: http.MethodGet, path: hubapi.ReleaseNotePath("north"), token: tok, header: map[string]string{"If-None-Match": `"` + strings.Repeat("0", 64) + `"`}})
	if a.status != http.StatusOK {
		t.Fatalf("release.note with a stale ETag: %v", a)
	}
	wantError(t, e.get("/v1/libraries/NORTH/release.note", tok), http.StatusNotFound, hubapi.CodeNotFound)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestJSONHygiene: bodies are one JSON value of the right type, with no
// unknown field, at most 64 KiB, sent as application/json.
func TestJSONHygiene(t *testing.T) {
	e := newEnv(t)
	admin := e.login("admin", testPassword)
	post := func(path, token, ctype string, body io.Reader) answer {
		return e.do(req{method: http.MethodPost, path: path, token: token, ctype: ctype, body: body})
	}
	huge := `{"user":"admin","password":"` + strings.Repeat("x", hubapi.MaxJSONBody) + `"}`
	for _, c := range []struct {
		name, path, ctype string
		body              io.Reader
		status            int
		code              fault.Code
		reason            string
	}{
		{"unknown field", hubapi.PathSessions, "application/json", strings.NewReader(`{"user":"admin","password":"x","remember":true}`), 400, hubapi.CodeRequestInvalid, "unknown_field"},
		{"trailing data", hubapi.PathSessions, "application/json", strings.NewReader(`{"user":"admin","password":"x"} {}`), 400, hubapi.CodeRequestInvalid, "trailing_data"},
		{"trailing garbage", hubapi.PathSessions, "application/json", strings.NewReader(`{"user":"admin","password":"x"}]`), 400, hubapi.CodeRequestInvalid, "trailing_data"},
		{"not json", hubapi.PathSessions, "application/json", strings.NewReader(`user=admin`), 400, hubapi.CodeRequestInvalid, "syntax"},
		{"wrong type", hubapi.PathSessions, "application/json", strings.NewReader(`{"user":1}`), 400, hubapi.CodeRequestInvalid, "type"},
		{"empty", hubapi.PathSessions, "application/json", strings.NewReader(``), 400, hubapi.CodeRequestInvalid, "empty"},
		{"form post", hubapi.PathSessions, "application/x-www-form-urlencoded", strings.NewReader(`user=admin`), 400, hubapi.CodeRequestInvalid, "content_type"},
		{"too large", hubapi.PathSessions, "application/json", strings.NewReader(huge), 413, hubapi.CodeRequestTooLarge, ""},
		{"too large, streamed", hubapi.PathSessions, "application/json", io.MultiReader(strings.NewReader(huge)), 413, hubapi.CodeRequestTooLarge, ""},
		{"unknown field in a new user", hubapi.PathUsers, "application/json", strings.NewReader(`{"name":"x.y","password":"long enough!","role":"designer","region":"fr","admin":true}`), 400, hubapi.CodeRequestInvalid, "unknown_field"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := post(c.path, admin, c.ctype, c.body)
			wantError(t, a, c.status, c.code)
			if c.reason != "" && a.err().Params["reason"] != c.reason {
				t.Fatalf("reason %q, want %q", a.err().Params["reason"], c.reason)
			}
			if c.code == hubapi.CodeRequestTooLarge && a.err().Params["limit"] != itoa(hubapi.MaxJSONBody) {
				t.Fatalf("limit %q", a.err().Params["limit"])
			}
		})
	}

	t.Run("unknown route and method", func(t *testing.T) {
		wantError(t, e.get("/v1/nothing", admin), http.StatusNotFound, hubapi.CodeNotFound)
		wantError(t, e.get("/", ""), http.StatusNotFound, hubapi.CodeNotFound)
		a := e.do(req{method: http.MethodPut, path: hubapi.PathHealth})
		wantError(t, a, http.StatusMethodNotAllowed, hubapi.CodeRequestInvalid)
		if a.header.Get("Allow") != "GET" {
			t.Fatalf("Allow %q", a.header.Get("Allow"))
		}
		a = e.do(req{method: http.MethodDelete, path: hubapi.PathReleases, token: admin})
		if a.status != http.StatusMethodNotAllowed || a.header.Get("Allow") != "GET, POST" {
			t.Fatalf("DELETE /v1/releases: %v, Allow %q", a, a.header.Get("Allow"))
		}
	})
}

// TestUsers: the account rules, and what the list shows.
func TestUsers(t *testing.T) {
	e := newEnv(t)
	admin := e.login("admin", testPassword)
	add := func(nu hubapi.NewUser) answer {
		return e.do(req{method: http.MethodPost, path: hubapi.PathUsers, token: admin, ctype: "application/json", body: jsonBody(nu)})
	}
	for _, c := range []struct {
		name  string
		nu    hubapi.NewUser
		field string
	}{
		{"short name", hubapi.NewUser{Name: "a", Password: testPassword, Role: hubapi.RoleDesigner, Region: "fr"}, "name"},
		{"capitals", hubapi.NewUser{Name: "Designer", Password: testPassword, Role: hubapi.RoleDesigner, Region: "fr"}, "name"},
		{"slash", hubapi.NewUser{Name: "a/b", Password: testPassword, Role: hubapi.RoleDesigner, Region: "fr"}, "name"},
		{"long name", hubapi.NewUser{Name: strings.Repeat("a", 65), Password: testPassword, Role: hubapi.RoleDesigner, Region: "fr"}, "name"},
		{"short password", hubapi.NewUser{Name: "designer.fr", Password: "ninechars", Role: hubapi.RoleDesigner, Region: "fr"}, "password"},
		{"unknown role", hubapi.NewUser{Name: "designer.fr", Password: testPassword, Role: "root", Region: "fr"}, "role"},
		{"designer without region", hubapi.NewUser{Name: "designer.fr", Password: testPassword, Role: hubapi.RoleDesigner}, "region"},
		{"designer of every region", hubapi.NewUser{Name: "designer.fr", Password: testPassword, Role: hubapi.RoleDesigner, Region: "*"}, "region"},
		{"approver of every region", hubapi.NewUser{Name: "approver.fr", Password: testPassword, Role: hubapi.RoleLocalApprover, Region: "*"}, "region"},
		{"HQ of one region", hubapi.NewUser{Name: "reviewer", Password: testPassword, Role: hubapi.RoleHQReviewer, Region: "fr"}, "region"},
		{"control characters", hubapi.NewUser{Name: "designer.fr", DisplayName: "A\x1b[31m", Password: testPassword, Role: hubapi.RoleDesigner, Region: "fr"}, "displayName"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := add(c.nu)
			wantError(t, a, http.StatusBadRequest, hubapi.CodeUserInvalid)
			if a.err().Params["field"] != c.field {
				t.Fatalf("field %q, want %q", a.err().Params["field"], c.field)
			}
		})
	}

	a := add(hubapi.NewUser{Name: "reviewer", DisplayName: "  Rita Reviewer ", Password: testPassword, Role: hubapi.RoleHQReviewer})
	var u hubapi.User
	json.Unmarshal(a.body, &u)
	if a.status != http.StatusCreated || u != (hubapi.User{Name: "reviewer", DisplayName: "Rita Reviewer", Role: hubapi.RoleHQReviewer, Region: "*"}) {
		t.Fatalf("add reviewer: %v", a)
	}
	wantError(t, add(hubapi.NewUser{Name: "reviewer", Password: testPassword, Role: hubapi.RoleHQReviewer}), http.StatusConflict, hubapi.CodeUserExists)

	list := e.get(hubapi.PathUsers, admin)
	var users []hubapi.User
	if err := json.Unmarshal(list.body, &users); err != nil || len(users) != 2 || users[0].Name != "admin" || users[1].Name != "reviewer" {
		t.Fatalf("users: %v", list)
	}
	if bytes.Contains(list.body, []byte("argon2")) || bytes.Contains(list.body, []byte("assword")) {
		t.Fatalf("the list shows password hashes: %s", list.body)
	}
	if list.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("Cache-Control %q", list.header.Get("Cache-Control"))
	}
}

// TestPanicsBecome500: a panicking handler answers a 500 without its detail
// and the server keeps serving.
func TestPanicsBecome500(t *testing.T) {
	e := newEnv(t)
	rec := httptest.NewRecorder()
	e.hub.served(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret detail") })).
		ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/boom", nil))
	var eb hubapi.ErrorBody
	json.Unmarshal(rec.Body.Bytes(), &eb)
	if rec.Code != http.StatusInternalServerError || eb.Error.Code != fault.CodeInternal || strings.Contains(rec.Body.String(), "secret") {
		t.Fatalf("panic answer: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(e.logs.String(), "secret detail") {
		t.Fatal("the panic was not logged")
	}
	if a := e.get(hubapi.PathHealth, ""); a.status != http.StatusOK {
		t.Fatal(a)
	}
}

// TestAccessLog: one structured line per request with the route pattern,
// status, size, duration and user.
func TestAccessLog(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Version = "1.2.3" })
	tok := e.login("admin", testPassword)
	if a := e.get(hubapi.PathHealth, ""); string(a.body) != `{"status":"ok","version":"1.2.3"}`+"\n" {
		t.Fatalf("health: %v", a)
	}
	e.get("/v1/users/admin/disable", tok) // GET on a POST route
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "http" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 3 {
		t.Fatalf("%d access lines: %v", len(lines), lines)
	}
	want := []struct {
		pattern, user string
		status        float64
	}{
		{"POST /v1/sessions", "admin", 201},
		{"GET /v1/health", "", 200},
		{"(unrouted)", "", 405},
	}
	for i, w := range want {
		l := lines[i]
		if l["pattern"] != w.pattern || l["user"] != w.user || l["status"] != w.status || l["bytes"].(float64) <= 0 || l["duration"] == nil || l["client"] != "127.0.0.1" {
			t.Errorf("line %d: %v, want %+v", i, l, w)
		}
	}
	if strings.Contains(e.logs.String(), tok) || strings.Contains(e.logs.String(), testPassword) {
		t.Fatal("a token or password reached the log")
	}
}

// TestConcurrentUse: logins, reads and two uploads of the same release at
// once; exactly one upload creates the release, the other finds it.
func TestConcurrentUse(t *testing.T) {
	e := newEnv(t)
	e.addUser("designer.no", hubapi.RoleDesigner, "no")
	admin := e.login("admin", testPassword)
	z, m := buildZip(t, northInfo(1), northFiles("v1"), e.key.signer)
	sha := shaOf(t, m, "docs/hello.txt")

	statuses := make(chan int, 2)
	errs := make(chan error, 16)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			hr, _ := http.NewRequest(http.MethodPost, e.srv.URL+hubapi.PathReleases, bytes.NewReader(z))
			hr.Header.Set("Authorization", "Bearer "+admin)
			hr.Header.Set("Content-Type", "application/zip")
			resp, err := e.srv.Client().Do(hr)
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		})
	}
	for i := range 4 {
		wg.Go(func() {
			for j := range 5 {
				body, _ := json.Marshal(hubapi.Login{User: "designer.no", Password: testPassword})
				resp, err := e.srv.Client().Post(e.srv.URL+hubapi.PathSessions, "application/json", bytes.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				var s hubapi.Session
				json.NewDecoder(resp.Body).Decode(&s)
				resp.Body.Close()
				hr, _ := http.NewRequest(http.MethodGet, e.srv.URL+hubapi.BlobPath(sha), nil)
				hr.Header.Set("Authorization", "Bearer "+s.Token)
				resp, err = e.srv.Client().Do(hr)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound {
					errs <- fmt.Errorf("reader %d/%d: blob status %d", i, j, resp.StatusCode)
				}
			}
		})
	}
	wg.Wait()
	close(statuses)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got := map[int]int{}
	for s := range statuses {
		got[s]++
	}
	if got[http.StatusCreated] != 1 || got[http.StatusOK] != 1 {
		t.Fatalf("upload statuses %v, want one 201 and one 200", got)
	}
}

// TestClientAddress: X-Forwarded-For counts only when the hub is told it
// sits behind a proxy, and then its last entry.
func TestClientAddress(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.0.0.7:51234"
	r.Header.Set("X-Forwarded-For", "1.2.3.4, 203.0.113.9")
	if got := (&Hub{}).clientAddr(r); got != "10.0.0.7" {
		t.Errorf("without TrustProxy: %q", got)
	}
	if got := (&Hub{opt: Options{TrustProxy: true}}).clientAddr(r); got != "203.0.113.9" {
		t.Errorf("with TrustProxy: %q", got)
	}
}
