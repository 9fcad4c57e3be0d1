package hub

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/outpost-studio/outpost/assets"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/submission"
)

// The principals of the matrix, in column order.
var principals = []string{"anonymous", "disabled", "designer", "local_approver", "hq_reviewer", "hq_admin"}

// principal is who makes a call in the matrix.
type principal struct {
	name     string // column
	user     string // account name, "" for anonymous
	password string
	token    string // a token obtained before any disabling
}

// matrixRow is one route and one object (own region, other region,
// unknown), with the status each principal gets.
type matrixRow struct {
	name    string
	pattern string // the routeTable pattern the request must reach
	build   func(e *testEnv, p principal) req
	want    [6]int     // by principals
	forbid  fault.Code // the code of its 403s when not hub.forbidden
}

// forbidOf is the code a principal's 403 carries on a row: routes a role
// may call answer the domain's refusal (submission.forbidden,
// submission.signoff_region), the guard hub.forbidden.
func (row matrixRow) forbidOf(p principal) fault.Code {
	if row.pattern == "POST /v1/signoffs" && p.name == "local_approver" {
		return submission.CodeSignOffRegion
	}
	return cmp.Or(row.forbid, hubapi.CodeForbidden)
}

// matrixFixture is the state the matrix runs against: the sample library
// (regions fr, be, ch) and "north" (region no only), a designer and a local
// approver of fr, an HQ reviewer and admin, and a disabled designer of fr
// whose token was issued before it was disabled.
type matrixFixture struct {
	northZip           []byte
	ownBlob, otherBlob string

	// Submissions: one stored in fr and in be, a new body of each to PUT,
	// a sign-off request of each region, and a blob to upload.
	ownSub, otherSub   string
	putOwn, putOther   string
	bodies             map[string][]byte // by putOwn, putOther
	signOwn, signOther hubapi.SignOffRequest
	upload             []byte
}

func matrixRows(fx *matrixFixture) []matrixRow {
	const (
		ok, created, noContent = 200, 201, 204
		unauth, forbidden, nf  = 401, 403, 404
	)
	get := func(path string) func(*testEnv, principal) req {
		return func(_ *testEnv, p principal) req { return req{method: http.MethodGet, path: path, token: p.token} }
	}
	rows := []matrixRow{
		{"health", "GET /v1/health", get(hubapi.PathHealth),
			[6]int{ok, ok, ok, ok, ok, ok}, ""},
		{"login with own password", "POST /v1/sessions", func(_ *testEnv, p principal) req {
			l := hubapi.Login{User: p.user, Password: p.password}
			if p.user == "" {
				l = hubapi.Login{User: "nobody", Password: "not a password at all"}
			}
			return req{method: http.MethodPost, path: hubapi.PathSessions, ctype: "application/json", body: jsonBody(l)}
		}, [6]int{unauth, unauth, created, created, created, created}, ""},
		{"logout a fresh session", "DELETE /v1/sessions/current", func(e *testEnv, p principal) req {
			tok := p.token
			if p.name != "anonymous" && p.name != "disabled" {
				tok = e.login(p.user, p.password) // keep p.token for the other rows
			}
			return req{method: http.MethodDelete, path: hubapi.PathSessionCurrent, token: tok}
		}, [6]int{unauth, unauth, noContent, noContent, noContent, noContent}, ""},
		{"me", "GET /v1/me", get(hubapi.PathMe),
			[6]int{unauth, unauth, ok, ok, ok, ok}, ""},
		{"libraries", "GET /v1/libraries", get(hubapi.PathLibraries),
			[6]int{unauth, unauth, ok, ok, ok, ok}, ""},
		{"libraries of another region", "GET /v1/libraries", get(hubapi.PathLibraries + "?region=no"),
			[6]int{unauth, unauth, ok, ok, ok, ok}, ""},
		{"release.note own region", "GET /v1/libraries/{lib}/release.note", get(hubapi.ReleaseNotePath(assets.SampleLibrary)),
			[6]int{unauth, unauth, ok, ok, ok, ok}, ""},
		{"release.note other region", "GET /v1/libraries/{lib}/release.note", get(hubapi.ReleaseNotePath("north")),
			[6]int{unauth, unauth, nf, nf, ok, ok}, ""},
		{"release.note unknown library", "GET /v1/libraries/{lib}/release.note", get(hubapi.ReleaseNotePath("nowhere")),
			[6]int{unauth, unauth, nf, nf, nf, nf}, ""},
		{"blob own region", "GET /v1/blobs/{sha256}", get(hubapi.BlobPath(fx.ownBlob)),
			[6]int{unauth, unauth, ok, ok, ok, ok}, ""},
		{"blob other region", "GET /v1/blobs/{sha256}", get(hubapi.BlobPath(fx.otherBlob)),
			[6]int{unauth, unauth, nf, nf, ok, ok}, ""},
		{"blob unknown", "GET /v1/blobs/{sha256}", get(hubapi.BlobPath(strings.Repeat("ab", 32))),
			[6]int{unauth, unauth, nf, nf, nf, nf}, ""},
		{"releases", "GET /v1/releases", get(hubapi.PathReleases),
			[6]int{unauth, unauth, forbidden, forbidden, ok, ok}, ""},
		{"publish (the latest again)", "POST /v1/releases", func(_ *testEnv, p principal) req {
			return req{method: http.MethodPost, path: hubapi.PathReleases, token: p.token, ctype: "application/zip", body: bytes.NewReader(fx.northZip)}
		}, [6]int{unauth, unauth, forbidden, forbidden, forbidden, ok}, ""},
		{"users", "GET /v1/users", get(hubapi.PathUsers),
			[6]int{unauth, unauth, forbidden, forbidden, forbidden, ok}, ""},
		{"add user", "POST /v1/users", func(_ *testEnv, p principal) req {
			nu := hubapi.NewUser{Name: "new." + strings.ReplaceAll(p.name, "_", "-"), Password: testPassword, Role: hubapi.RoleDesigner, Region: "be"}
			return req{method: http.MethodPost, path: hubapi.PathUsers, token: p.token, ctype: "application/json", body: jsonBody(nu)}
		}, [6]int{unauth, unauth, forbidden, forbidden, forbidden, created}, ""},
		{"disable user of own region", "POST /v1/users/{name}/disable", func(_ *testEnv, p principal) req {
			return req{method: http.MethodPost, path: "/v1/users/victim.fr/disable", token: p.token}
		}, [6]int{unauth, unauth, forbidden, forbidden, forbidden, noContent}, ""},
		{"disable user of other region", "POST /v1/users/{name}/disable", func(_ *testEnv, p principal) req {
			return req{method: http.MethodPost, path: "/v1/users/victim.no/disable", token: p.token}
		}, [6]int{unauth, unauth, forbidden, forbidden, forbidden, noContent}, ""},
		{"disable unknown user", "POST /v1/users/{name}/disable", func(_ *testEnv, p principal) req {
			return req{method: http.MethodPost, path: "/v1/users/nobody/disable", token: p.token}
		}, [6]int{unauth, unauth, forbidden, forbidden, forbidden, nf}, ""},
	}
	return append(rows, submissionRows(fx)...)
}

// submissionRows are the matrix rows of issue #8's routes.
func submissionRows(fx *matrixFixture) []matrixRow {
	const (
		ok, created           = 200, 201
		unauth, forbidden, nf = 401, 403, 404
		conflict              = 409
	)
	get := func(path func() string) func(*testEnv, principal) req {
		return func(_ *testEnv, p principal) req { return req{method: http.MethodGet, path: path(), token: p.token} }
	}
	head := func(sha func() string) func(*testEnv, principal) req {
		return func(_ *testEnv, p principal) req {
			return req{method: http.MethodHead, path: hubapi.BlobPath(sha()), token: p.token}
		}
	}
	post := func(path func() string, v func() any) func(*testEnv, principal) req {
		return func(_ *testEnv, p principal) req {
			return req{method: http.MethodPost, path: path(), token: p.token, ctype: "application/json", body: jsonBody(v())}
		}
	}
	put := func(id func() string) func(*testEnv, principal) req {
		return func(_ *testEnv, p principal) req {
			return req{method: http.MethodPut, path: hubapi.SubmissionPath(id()), token: p.token, ctype: "application/json", body: bytes.NewReader(fx.bodies[id()])}
		}
	}
	unknownSub := func() string { return "sub_" + strings.Repeat("a", 26) }
	own := func() string { return fx.ownSub }
	other := func() string { return fx.otherSub }
	sub := func(id func() string, tail string) func() string {
		return func() string { return hubapi.SubmissionPath(id()) + tail }
	}
	uploadSHA := func() string { return sha256Hex(string(fx.upload)) }
	approve := func() any { return hubapi.SubmissionAction{Action: "approve"} }
	comment := func() any { return hubapi.NewComment{Text: "A word on this"} }
	return []matrixRow{
		{"HEAD blob of own region", "HEAD /v1/blobs/{sha256}", head(func() string { return fx.ownBlob }),
			[6]int{unauth, unauth, ok, ok, ok, ok}, ""},
		{"HEAD blob of other region", "HEAD /v1/blobs/{sha256}", head(func() string { return fx.otherBlob }),
			[6]int{unauth, unauth, ok, ok, ok, ok}, ""},
		{"HEAD blob unknown", "HEAD /v1/blobs/{sha256}", head(func() string { return strings.Repeat("ab", 32) }),
			[6]int{unauth, unauth, nf, nf, nf, nf}, ""},
		{"upload status", "GET /v1/uploads/{sha256}", get(func() string { return hubapi.UploadPath(uploadSHA()) }),
			[6]int{unauth, unauth, ok, ok, forbidden, forbidden}, ""},
		{"upload", "PATCH /v1/uploads/{sha256}", func(_ *testEnv, p principal) req {
			return req{method: http.MethodPatch, path: hubapi.UploadPath(uploadSHA()), token: p.token, body: bytes.NewReader(fx.upload),
				header: map[string]string{hubapi.HeaderUploadOffset: "0", hubapi.HeaderUploadLength: fmt.Sprint(len(fx.upload))}}
		}, [6]int{unauth, unauth, ok, ok, forbidden, forbidden}, ""},
		{"sign-off of own region", "POST /v1/signoffs", post(func() string { return hubapi.PathSignOffs }, func() any { return fx.signOwn }),
			[6]int{unauth, unauth, forbidden, created, forbidden, forbidden}, ""},
		{"sign-off of other region", "POST /v1/signoffs", post(func() string { return hubapi.PathSignOffs }, func() any { return fx.signOther }),
			[6]int{unauth, unauth, forbidden, forbidden, forbidden, forbidden}, ""},
		{"submit to own region (then again)", "PUT /v1/submissions/{id}", put(func() string { return fx.putOwn }),
			[6]int{unauth, unauth, created, ok, forbidden, forbidden}, ""},
		{"submit to other region", "PUT /v1/submissions/{id}", put(func() string { return fx.putOther }),
			[6]int{unauth, unauth, forbidden, forbidden, forbidden, forbidden}, ""},
		{"list submissions", "GET /v1/submissions", get(func() string { return hubapi.PathSubmissions }),
			[6]int{unauth, unauth, ok, ok, ok, ok}, ""},
		{"submission of own region", "GET /v1/submissions/{id}", get(sub(own, "")),
			[6]int{unauth, unauth, ok, ok, ok, ok}, ""},
		{"submission of other region", "GET /v1/submissions/{id}", get(sub(other, "")),
			[6]int{unauth, unauth, nf, nf, ok, ok}, ""},
		{"submission unknown", "GET /v1/submissions/{id}", get(sub(unknownSub, "")),
			[6]int{unauth, unauth, nf, nf, nf, nf}, ""},
		{"approve own region", "POST /v1/submissions/{id}/actions", post(sub(own, "/actions"), approve),
			[6]int{unauth, unauth, forbidden, forbidden, ok, conflict}, submission.CodeForbidden},
		{"approve other region", "POST /v1/submissions/{id}/actions", post(sub(other, "/actions"), approve),
			[6]int{unauth, unauth, nf, nf, ok, conflict}, submission.CodeForbidden},
		{"approve unknown", "POST /v1/submissions/{id}/actions", post(sub(unknownSub, "/actions"), approve),
			[6]int{unauth, unauth, nf, nf, nf, nf}, ""},
		{"comment own region", "POST /v1/submissions/{id}/comments", post(sub(own, "/comments"), comment),
			[6]int{unauth, unauth, created, created, created, created}, ""},
		{"comment other region", "POST /v1/submissions/{id}/comments", post(sub(other, "/comments"), comment),
			[6]int{unauth, unauth, nf, nf, created, created}, ""},
		{"comment unknown", "POST /v1/submissions/{id}/comments", post(sub(unknownSub, "/comments"), comment),
			[6]int{unauth, unauth, nf, nf, nf, nf}, ""},
	}
}

// TestAuthorizationMatrix: every principal × every route × own region,
// other region and unknown object gets the documented status and code:
// another region's object 404 hub.not_found, a forbidden function 403
// hub.forbidden, no or a revoked token 401 hub.unauthenticated.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t)
	if err := e.hub.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	northZip, northM := buildZip(t, northInfo(1), northFiles("v1"), e.key.signer)
	if a := e.upload(e.login("admin", testPassword), northZip); a.status != http.StatusCreated {
		t.Fatalf("publishing north: %v", a)
	}
	sampleOwn := mustManifest(t, e, assets.SampleLibrary)
	fx := &matrixFixture{northZip: northZip, ownBlob: shaOf(t, sampleOwn, library.ContentFile), otherBlob: shaOf(t, northM, "docs/guide.txt")}
	submissionFixture(t, e, fx)

	e.addUser("gone.fr", hubapi.RoleDesigner, "fr")
	e.addUser("victim.fr", hubapi.RoleDesigner, "fr")
	e.addUser("victim.no", hubapi.RoleDesigner, "no")
	ps := []principal{
		{name: "anonymous"},
		{name: "disabled", user: "gone.fr", password: testPassword, token: e.login("gone.fr", testPassword)},
		{name: "designer", user: "designer.fr", password: DemoPassword},
		{name: "local_approver", user: "approver.fr", password: DemoPassword},
		{name: "hq_reviewer", user: "reviewer", password: DemoPassword},
		{name: "hq_admin", user: "admin", password: testPassword},
	}
	for i := range ps[2:] {
		p := &ps[2+i]
		p.token = e.login(p.user, p.password)
	}
	if err := e.hub.DisableUser("gone.fr"); err != nil {
		t.Fatal(err)
	}

	for _, row := range matrixRows(fx) {
		for i, p := range ps {
			t.Run(row.name+"/"+p.name, func(t *testing.T) {
				r := row.build(e, p)
				if got := routedPattern(t, r); got != row.pattern {
					t.Fatalf("request %s %s reaches %q, the row is for %q", r.method, r.path, got, row.pattern)
				}
				a := e.do(r)
				want := row.want[i]
				if a.status != want {
					t.Fatalf("%s %s as %s: got %v, want %d", r.method, r.path, p.name, a, want)
				}
				if r.method == http.MethodHead {
					return // no body to read a code from
				}
				var code fault.Code
				switch want {
				case 401:
					code = hubapi.CodeUnauthenticated
					if row.pattern == "POST /v1/sessions" {
						code = hubapi.CodeLoginFailed
					}
				case 403:
					code = row.forbidOf(p)
				case 404:
					code = hubapi.CodeNotFound
				}
				if code != "" && a.err().Code != code {
					t.Fatalf("got code %q, want %q (%v)", a.err().Code, code, a)
				}
			})
		}
	}

	// What a successful listing holds depends on the region too.
	t.Run("libraries list by region", func(t *testing.T) {
		for _, c := range []struct {
			who, query string
			want       []string
		}{
			{"designer", "", []string{assets.SampleLibrary}},
			{"designer", "?region=no", nil},
			{"hq_reviewer", "", []string{assets.SampleLibrary, "north"}},
			{"hq_reviewer", "?region=no", []string{"north"}},
			{"hq_admin", "?region=fr", []string{assets.SampleLibrary}},
		} {
			p := ps[indexOf(principals, c.who)]
			a := e.get(hubapi.PathLibraries+c.query, p.token)
			var heads []hubapi.LibraryHead
			if err := json.Unmarshal(a.body, &heads); err != nil {
				t.Fatalf("%s%s: %v (%v)", c.who, c.query, err, a)
			}
			var got []string
			for _, h := range heads {
				got = append(got, h.Library)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s%s: libraries %v, want %v", c.who, c.query, got, c.want)
			}
		}
	})
}

// TestEveryRouteHasMatrixRows fails when a route is registered without rows
// in the authorization matrix, or a row names no route.
func TestEveryRouteHasMatrixRows(t *testing.T) {
	rows := matrixRows(&matrixFixture{ownBlob: strings.Repeat("0", 64), otherBlob: strings.Repeat("1", 64)})
	covered := map[string]bool{}
	for _, r := range rows {
		covered[r.pattern] = true
	}
	registered := map[string]bool{}
	for _, rt := range routeTable() {
		registered[rt.pattern] = true
		if !covered[rt.pattern] {
			t.Errorf("route %q has no row in the authorization matrix", rt.pattern)
		}
	}
	for p := range covered {
		if !registered[p] {
			t.Errorf("matrix row for %q, which the hub does not register", p)
		}
	}
	if len(routeTable()) != 21 {
		t.Errorf("routeTable has %d routes; docs/hub-api.md lists 21", len(routeTable()))
	}
}

// routedPattern is the routeTable pattern a request reaches.
func routedPattern(t *testing.T, r req) string {
	t.Helper()
	mux := http.NewServeMux()
	for _, rt := range routeTable() {
		mux.HandleFunc(rt.pattern, func(http.ResponseWriter, *http.Request) {})
	}
	hr, err := http.NewRequest(r.method, "http://hub"+r.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, p := mux.Handler(hr)
	return p
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	panic(s)
}

// mustManifest decodes the latest manifest of a library as the hub serves it.
func mustManifest(t *testing.T, e *testEnv, lib string) *library.Manifest {
	t.Helper()
	rec, ok, err := e.hub.store.Latest(lib)
	if err != nil || !ok {
		t.Fatalf("latest %s: %v %v", lib, ok, err)
	}
	note, err := e.hub.store.Note(lib, rec.Head.Version)
	if err != nil {
		t.Fatal(err)
	}
	mf, err := library.VerifyManifest(note, library.Policy{Trust: e.hub.opt.Trust})
	if err != nil {
		t.Fatal(err)
	}
	return &mf.Manifest
}

// submissionFixture stores a submission of fr and of be, and prepares a new
// one of each to PUT, through the API as the desktops would.
func submissionFixture(t *testing.T, e *testEnv, fx *matrixFixture) {
	t.Helper()
	tok := e.demoTokens()
	o := newOffice(t)
	fx.bodies = map[string][]byte{}
	for _, region := range []string{"fr", "be"} {
		r := e.ready(o, region, tok)
		id, body := r.body(t)
		if a := e.putSubmission(tok["designer."+region], id, body); a.status != http.StatusCreated {
			t.Fatalf("PUT %s: %v", region, a)
		}
		newID, newBody := r.body(t)
		fx.bodies[newID] = newBody
		if region == "fr" {
			fx.ownSub, fx.putOwn, fx.signOwn = id, newID, r.ck.signOffRequest()
		} else {
			fx.otherSub, fx.putOther, fx.signOther = id, newID, r.ck.signOffRequest()
		}
	}
	fx.upload = []byte("a rendition the matrix uploads")
}
