package hub

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
)

// rawZip zips a release.note and files as they are, right or wrong.
func rawZip(t *testing.T, note []byte, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, b []byte) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if note != nil {
		add(library.ManifestFile, note)
	}
	for p, b := range files {
		add(p, []byte(b))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPublishing: a good release is 201, the same again 200 with the same
// head; every way a release can be wrong is refused with its code, and after
// each refusal the published release is still served unchanged.
func TestPublishing(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxRelease = 256 << 10 })
	e.addUser("reviewer", hubapi.RoleHQReviewer, "")
	admin := e.login("admin", testPassword)

	v1, _ := buildZip(t, northInfo(1), northFiles("v1"), e.key.signer)
	a := e.upload(admin, v1)
	if a.status != http.StatusCreated {
		t.Fatalf("v1: %v", a)
	}
	var head1 hubapi.LibraryHead
	json.Unmarshal(a.body, &head1)
	if head1.Library != "north" || head1.Version != 1 || head1.Files != 3 || head1.Bytes == 0 ||
		len(head1.Regions) != 1 || head1.Regions[0] != "no" || len(head1.ManifestSHA256) != 64 {
		t.Fatalf("head %+v", head1)
	}
	a = e.upload(admin, v1)
	if a.status != http.StatusOK {
		t.Fatalf("v1 again: %v, want 200", a)
	}
	var again hubapi.LibraryHead
	json.Unmarshal(a.body, &again)
	if again.ManifestSHA256 != head1.ManifestSHA256 || again.Version != 1 {
		t.Fatalf("v1 again: head %+v", again)
	}

	v2files := northFiles("v2")
	v2, m2 := buildZip(t, northInfo(2), v2files, e.key.signer)
	if a := e.upload(admin, v2); a.status != http.StatusCreated {
		t.Fatalf("v2: %v", a)
	}
	served := e.get(hubapi.ReleaseNotePath("north"), admin)
	if served.status != http.StatusOK {
		t.Fatalf("release.note: %v", served)
	}

	// Building blocks of wrong releases.
	other := newKey(t, "intruder")
	v3 := northInfo(3)
	v3files := northFiles("v3")
	_, m3 := buildZip(t, v3, v3files, e.key.signer)
	signedV3, err := library.Sign(m3, e.key.signer)
	if err != nil {
		t.Fatal(err)
	}
	tampered := map[string]string{}
	for p, b := range v3files {
		tampered[p] = b
	}
	g := []byte(tampered["docs/guide.txt"])
	g[100] ^= 0x20 // same size, one byte changed
	tampered["docs/guide.txt"] = string(g)
	unsigned := signedV3[:bytes.Index(signedV3, []byte("\n\n— "))+1]
	expired := v3
	expired.Created, expired.Expires = t0.AddDate(0, -2, 0), t0.Add(-time.Hour)
	equivocating := northFiles("v2 but different")
	untrusted := v3
	untrusted.Library = "elsewhere"

	reviewer := e.login("reviewer", testPassword)
	for _, c := range []struct {
		name   string
		token  string
		ctype  string
		body   func() []byte
		status int
		code   fault.Code
	}{
		{"rollback", admin, "application/zip", func() []byte { return v1 }, http.StatusConflict, library.CodeRollback},
		{"equivocation", admin, "application/zip", func() []byte { z, _ := buildZip(t, northInfo(2), equivocating, e.key.signer); return z },
			http.StatusUnprocessableEntity, library.CodeEquivocation},
		{"expired", admin, "application/zip", func() []byte { z, _ := buildZip(t, expired, v3files, e.key.signer); return z },
			http.StatusBadRequest, library.CodeExpired},
		{"tampered file", admin, "application/zip", func() []byte { return rawZip(t, signedV3, tampered) },
			http.StatusUnprocessableEntity, library.CodeFileHash},
		{"missing file", admin, "application/zip", func() []byte {
			return rawZip(t, signedV3, map[string]string{library.ContentFile: northContent})
		}, http.StatusUnprocessableEntity, library.CodeFileMissing},
		{"unsigned", admin, "application/zip", func() []byte { return rawZip(t, unsigned, v3files) },
			http.StatusUnprocessableEntity, library.CodeUnsigned},
		{"wrong key", admin, "application/zip", func() []byte { z, _ := buildZip(t, v3, v3files, other.signer); return z },
			http.StatusForbidden, library.CodeUnknownKey},
		{"untrusted library", admin, "application/zip", func() []byte { z, _ := buildZip(t, untrusted, v3files, e.key.signer); return z },
			http.StatusForbidden, library.CodeUntrustedLibrary},
		{"not a zip", admin, "application/zip", func() []byte { return []byte("PK but not really") },
			http.StatusBadRequest, library.CodeNotARelease},
		{"no manifest", admin, "application/zip", func() []byte { return rawZip(t, nil, v3files) },
			http.StatusUnprocessableEntity, library.CodeManifestMissing},
		{"oversized", admin, "application/zip", func() []byte { return bytes.Repeat([]byte("x"), 300<<10) },
			http.StatusRequestEntityTooLarge, hubapi.CodeRequestTooLarge},
		{"wrong content type", admin, "application/json", func() []byte { return v2 },
			http.StatusBadRequest, hubapi.CodeRequestInvalid},
		{"reviewer may not publish", reviewer, "application/zip", func() []byte { z, _ := buildZip(t, v3, v3files, e.key.signer); return z },
			http.StatusForbidden, hubapi.CodeForbidden},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := e.do(req{method: http.MethodPost, path: hubapi.PathReleases, token: c.token, ctype: c.ctype, body: bytes.NewReader(c.body())})
			wantError(t, a, c.status, c.code)
			now := e.get(hubapi.ReleaseNotePath("north"), admin)
			if now.status != http.StatusOK || !bytes.Equal(now.body, served.body) || now.header.Get("ETag") != served.header.Get("ETag") {
				t.Fatalf("after the refusal release.note is %v", now)
			}
			var heads []hubapi.LibraryHead
			json.Unmarshal(e.get(hubapi.PathLibraries, admin).body, &heads)
			if len(heads) != 1 || heads[0].Version != 2 {
				t.Fatalf("after the refusal libraries are %+v", heads)
			}
		})
	}

	// An upload without a length stops at the limit too.
	streamed := e.do(req{method: http.MethodPost, path: hubapi.PathReleases, token: admin, ctype: "application/zip",
		body: io.MultiReader(bytes.NewReader(bytes.Repeat([]byte("x"), 300<<10)))})
	wantError(t, streamed, http.StatusRequestEntityTooLarge, hubapi.CodeRequestTooLarge)

	// The tampered bytes were never stored or indexed.
	if a := e.get(hubapi.BlobPath(sha256Hex(tampered["docs/guide.txt"])), admin); a.status != http.StatusNotFound {
		t.Fatalf("tampered blob: %v", a)
	}
	// Refusals poisoned nothing: v3 goes through, and the whole history is listed.
	v3zip, _ := buildZip(t, v3, v3files, e.key.signer)
	if a := e.upload(admin, v3zip); a.status != http.StatusCreated {
		t.Fatalf("v3: %v", a)
	}
	var all []hubapi.LibraryHead
	json.Unmarshal(e.get(hubapi.PathReleases, admin).body, &all)
	if len(all) != 3 || all[0].Version != 3 || all[2].Version != 1 {
		t.Fatalf("releases %+v", all)
	}
	// Older versions' blobs stay served (a desktop may still sync them).
	if a := e.get(hubapi.BlobPath(shaOf(t, m2, "docs/guide.txt")), admin); a.status != http.StatusOK || string(a.body) != v2files["docs/guide.txt"] {
		t.Fatalf("v2 blob: %v", a)
	}
	if entries := dirEntries(t, e.dir+"/tmp"); entries != 0 {
		t.Fatalf("%d spool files left in tmp", entries)
	}
}

// TestPublishOffline: Publish from a folder, as `hub release add` does, and
// the same release through a zip is the same head.
func TestPublishOffline(t *testing.T) {
	e := newEnv(t)
	files := northFiles("offline")
	dir := writeFiles(t, files)
	m, err := library.BuildManifest(dir, northInfo(1))
	if err != nil {
		t.Fatal(err)
	}
	signed, _ := library.Sign(m, e.key.signer)
	files[library.ManifestFile] = string(signed)
	dir = writeFiles(t, files)
	src, err := library.OpenSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	head, err := e.hub.Publish(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	zsrc, err := library.OpenZipBytes(rawZip(t, signed, northFiles("offline")))
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.hub.Publish(context.Background(), zsrc)
	if err != nil || again.ManifestSHA256 != head.ManifestSHA256 {
		t.Fatalf("again: %+v %v", again, err)
	}
	if head.Name != "North" || head.Version != 1 {
		t.Fatalf("head %+v", head)
	}
}

// TestReopenKeepsEverything: accounts, releases, blobs and tokens survive a
// restart; a second hub on the same folder is refused while the first runs.
func TestReopenKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t, "north-test")
	opt := Options{Trust: []library.Trust{{Library: "north", Keys: []string{key.verifier}, Threshold: 1}}, Now: func() time.Time { return t0 }}
	h, err := Open(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.AddUser(hubapi.NewUser{Name: "admin", Password: testPassword, Role: hubapi.RoleHQAdmin}); err != nil {
		t.Fatal(err)
	}
	z, m := buildZip(t, northInfo(1), northFiles("v1"), key.signer)
	src, _ := library.OpenZipBytes(z)
	head, err := h.Publish(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := h.login(context.Background(), hubapi.Login{User: "admin", Password: testPassword}, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, opt); !fault.Is(err, CodeDataLocked) {
		t.Fatalf("second Open: %v, want %s", err, CodeDataLocked)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}

	h, err = Open(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	rec, ok, err := h.store.Latest("north")
	if err != nil || !ok || rec.Head.ManifestSHA256 != head.ManifestSHA256 {
		t.Fatalf("latest after reopen: %+v %v %v", rec, ok, err)
	}
	if ok, err := h.store.BlobServes(shaOf(t, m, "docs/guide.txt"), "no"); !ok || err != nil {
		t.Fatalf("blob index after reopen: %v %v", ok, err)
	}
	r, _ := http.NewRequest(http.MethodGet, "/v1/me", nil)
	r.Header.Set("Authorization", "Bearer "+sess.Token)
	if u, err := h.authenticate(r); err != nil || u.Name != "admin" {
		t.Fatalf("token after reopen: %+v %v", u, err)
	}
}
