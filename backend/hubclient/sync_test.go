package hubclient

import (
	"bytes"
	"context"
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

// files is a release's content: random documents, real images and a
// library.json listing the images.
func files(n, size, images int, seed uint64) map[string][]byte {
	f := testrel.Mixed(n, size, images, seed)
	f[library.ContentFile] = testrel.ContentWithAssets(f)
	return f
}

func TestSyncFetchesAndTrustsTheLatestRelease(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	v1 := e.publish(1, files(12, 40<<10, 3, 1))

	ups, err := Check(ctx, e.client, e.st)
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 1 || ups[0] != (Update{Library: testLib, Name: "Library " + testLib, Local: 0, Remote: 1}) {
		t.Fatalf("Check before the first sync = %+v", ups)
	}

	var last task.Progress
	var phases []string
	res, err := Sync(ctx, e.client, e.st, e.pol, e.spool, func(p task.Progress) {
		if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
			phases = append(phases, p.Phase)
		}
		if p.Phase == "download" {
			last = p
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	e.checkTrusted(v1)
	want := LibraryResult{Library: testLib, Name: "Library " + testLib, Before: 0, After: 1, Changed: true, Files: len(v1.Manifest.Files), Bytes: v1.Bytes}
	if len(res.Libraries) != 1 || res.Libraries[0] != want {
		t.Fatalf("result = %+v, want %+v", res.Libraries, want)
	}
	if last.Done != v1.Bytes || last.Total != v1.Bytes || last.Files != int64(len(v1.Manifest.Files)) || last.FilesTotal != last.Files || last.Unit != task.UnitBytes {
		t.Fatalf("last download progress = %+v (release %d bytes)", last, v1.Bytes)
	}
	if strings.Join(phases, ",") != "download,verify,switch" {
		t.Fatalf("phases %v", phases)
	}
	if names := e.spoolNames(); len(names) != 0 {
		t.Fatalf("spool not emptied: %v", names)
	}
	if ups, err := Check(ctx, e.client, e.st); err != nil || len(ups) != 0 {
		t.Fatalf("Check after sync = %+v, %v", ups, err)
	}

	// Version 2 changes two files: only those are downloaded.
	f2 := files(12, 40<<10, 3, 1)
	f2["docs/d0003.bin"] = testrel.Random(5000, 77)
	f2["images/i01.png"] = testrel.PNG(24, 16, 999)
	v2 := e.publish(2, f2)
	ups, err = Check(ctx, e.client, e.st)
	if err != nil || len(ups) != 1 || ups[0].Local != 1 || ups[0].Remote != 2 {
		t.Fatalf("Check with version 2 on the hub = %+v, %v", ups, err)
	}
	e.proxy.reset()
	res = e.mustSync(v2)
	if got := res.Libraries[0]; got.Files != 2 || got.Before != 1 || got.After != 2 || !got.Changed {
		t.Fatalf("result of the update = %+v", got)
	}
	if n := len(e.proxy.blobRequests()); n != 2 {
		t.Fatalf("%d blob requests for 2 changed files", n)
	}
}

func TestSyncSurvivesDropsStallsAndErrors(t *testing.T) {
	e := newEnv(t)
	rel := e.publish(1, files(16, 160<<10, 2, 2))
	blobIndex := map[string]int{}
	for i, f := range rel.Manifest.Files {
		blobIndex["/v1/blobs/"+f.SHA256] = i
	}
	sizeOf := map[string]int64{}
	for _, f := range rel.Manifest.Files {
		sizeOf["/v1/blobs/"+f.SHA256] = f.Size
	}
	e.proxy.setRule(func(r *http.Request, n int) action {
		p := r.URL.Path
		switch {
		case p == "/v1/libraries" && n == 1:
			return action{status: http.StatusInternalServerError}
		case strings.HasSuffix(p, "/release.note") && n == 1:
			return action{status: http.StatusBadGateway}
		case strings.HasPrefix(p, "/v1/blobs/"):
			i, size := blobIndex[p], sizeOf[p]
			switch {
			case i == 3 && n == 1:
				return action{status: http.StatusServiceUnavailable, retryAfter: "1"}
			case n == 1 && size > 1000:
				// Every blob loses its connection at 40 %.
				return action{dropAfter: size * 2 / 5}
			case i%3 == 0 && n == 2 && size > 1000:
				// Some stall at 70 % after resuming.
				return action{stall: true, stallAfter: size*7/10 - size*2/5}
			case i%5 == 0 && n == 3:
				return action{status: http.StatusServiceUnavailable}
			}
		}
		return action{}
	})
	start := time.Now()
	res := e.mustSync(rel)
	cuts := map[string]int{}
	for _, r := range e.proxy.requests() {
		cuts[r.cut]++
	}
	t.Logf("sync through faults: %v, %d requests, %d dropped, %d stalled", time.Since(start), len(e.proxy.requests()), cuts["drop"], cuts["stall"])
	if cuts["drop"] < 10 || cuts["stall"] < 4 {
		t.Fatalf("faults injected: %v", cuts)
	}
	if got := res.Libraries[0]; got.Bytes != rel.Bytes || got.Files != len(rel.Manifest.Files) {
		t.Fatalf("result %+v; release %d bytes", got, rel.Bytes)
	}
	sent := e.proxy.bytes("/v1/blobs/")
	if sent > rel.Bytes*13/10 {
		t.Fatalf("proxy sent %d blob bytes for a %d-byte release", sent, rel.Bytes)
	}
	// Resumes re-send nothing: every byte the proxy sent was kept.
	if sent != rel.Bytes {
		t.Fatalf("proxy sent %d blob bytes, release has %d", sent, rel.Bytes)
	}
	// Retry-After was honoured, and resumes asked for the rest only.
	var first503 time.Time
	resumes := 0
	for _, r := range e.proxy.blobRequests() {
		if blobIndex[r.path] == 3 {
			if r.status == http.StatusServiceUnavailable {
				first503 = r.at
			} else if !first503.IsZero() && r.at.Sub(first503) < 900*time.Millisecond {
				t.Fatalf("retried %v after a Retry-After of 1 s", r.at.Sub(first503))
			}
		}
		if r.rng != "" {
			resumes++
		}
	}
	if first503.IsZero() || resumes < cuts["drop"] {
		t.Fatalf("503 seen: %v, %d resumed requests", !first503.IsZero(), resumes)
	}

	// Re-syncing the unchanged library asks for release.note only, and
	// gets a 304.
	e.proxy.reset()
	start = time.Now()
	res, err := e.sync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("no-op sync: %v", time.Since(start))
	if res.Changed() || res.Libraries[0].Files != 0 {
		t.Fatalf("no-op result %+v", res)
	}
	var paths []string
	for _, r := range e.proxy.requests() {
		paths = append(paths, r.path)
		if strings.HasSuffix(r.path, "/release.note") && (r.status != http.StatusNotModified || r.bytes != 0) {
			t.Fatalf("release.note answered %d with %d bytes", r.status, r.bytes)
		}
	}
	if strings.Join(paths, " ") != "/v1/libraries /v1/libraries/cairn/release.note" {
		t.Fatalf("no-op sync asked for %v", paths)
	}
}

func TestSyncGivesUpAfterItsAttempts(t *testing.T) {
	e := newEnv(t, WithAttempts(3))
	e.publish(1, files(2, 20<<10, 1, 3))
	e.proxy.setRule(func(r *http.Request, n int) action {
		if strings.HasPrefix(r.URL.Path, "/v1/blobs/") {
			return action{status: http.StatusServiceUnavailable}
		}
		return action{}
	})
	_, err := e.sync(context.Background())
	if fault.KindOf(err) != fault.Transient {
		t.Fatalf("err = %v, want a transient error", err)
	}
	if n := len(e.proxy.blobRequests()); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
	if rec, _ := e.st.Record(testLib); rec != nil {
		t.Fatalf("a release was trusted: %+v", rec)
	}
}

func TestSyncCanceledThenResumed(t *testing.T) {
	e := newEnv(t)
	rel := e.publish(1, files(20, 200<<10, 2, 4))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var canceledAt time.Time
	_, err := Sync(ctx, e.client, e.st, e.pol, e.spool, func(p task.Progress) {
		if p.Phase == "download" && canceledAt.IsZero() && p.Done > p.Total*2/5 {
			canceledAt = time.Now()
			cancel()
		}
	})
	if fault.KindOf(err) != fault.Canceled || fault.CodeOf(err) != task.CodeCanceled {
		t.Fatalf("err = %v, want %s", err, task.CodeCanceled)
	}
	if d := time.Since(canceledAt); d > time.Second {
		t.Fatalf("sync took %v to stop", d)
	}
	if rec, _ := e.st.Record(testLib); rec != nil {
		t.Fatalf("a release was trusted: %+v", rec)
	}
	complete := map[string]bool{}
	var keptBytes int64
	for _, name := range e.spoolNames() {
		fi, err := os.Stat(filepath.Join(e.spool, name))
		if err != nil {
			t.Fatal(err)
		}
		keptBytes += fi.Size()
		if !strings.HasSuffix(name, partSuffix) {
			complete[name] = true
		}
	}
	t.Logf("kept after cancel: %d complete files, %d bytes, spool %v", len(complete), keptBytes, len(e.spoolNames()))
	if len(complete) == 0 || keptBytes == 0 {
		t.Fatalf("nothing kept in the spool: %v", e.spoolNames())
	}

	e.proxy.reset()
	res := e.mustSync(rel)
	for _, r := range e.proxy.blobRequests() {
		sha := strings.TrimPrefix(r.path, "/v1/blobs/")
		if complete[sha] {
			t.Fatalf("blob %s fetched again after it was complete", sha)
		}
		if _, err := os.Stat(filepath.Join(e.spool, sha+partSuffix)); err == nil {
			t.Fatalf("part of %s left behind", sha)
		}
	}
	if got, want := e.proxy.bytes("/v1/blobs/"), rel.Bytes-keptBytes; got != want {
		t.Fatalf("second sync received %d blob bytes, want %d (release %d, kept %d)", got, want, rel.Bytes, keptBytes)
	}
	if res.Libraries[0].Bytes != rel.Bytes-keptBytes {
		t.Fatalf("result %+v", res.Libraries[0])
	}
}

// TestSyncRefusesABadHub: a hub that serves an old, forked, oversized or
// tampered release is refused, and the trusted release stays usable.
func TestSyncRefusesABadHub(t *testing.T) {
	type setup struct {
		e      *env
		v1, v2 *testrel.Release
		v3     *testrel.Release // published on the hub, for the blob cases
		fork   *testrel.Release // another version 2, never published
		target string           // the blob of v3 that v2 lacks
	}
	cases := []struct {
		name   string
		rule   func(s *setup) func(r *http.Request, n int) action
		want   fault.Code
		reason string // of a CodeDownloadCorrupt
	}{
		{"stale: an older version than the trusted one", func(s *setup) func(*http.Request, int) action {
			return noteRewrite(s.v1.Note)
		}, library.CodeRollback, ""},
		{"replayed: the trusted version with another manifest", func(s *setup) func(*http.Request, int) action {
			return noteRewrite(s.fork.Note)
		}, library.CodeEquivocation, ""},
		{"forged: signed by a key this desktop does not pin", func(s *setup) func(*http.Request, int) action {
			stranger, _ := testrel.NewKey("hq-test")
			r, err := testrel.Build(filepath.Join(s.e.t.TempDir(), "forged"), stranger, testrel.Spec{Library: testLib, Version: 9, Files: files(2, 100, 0, 9)})
			if err != nil {
				s.e.t.Fatal(err)
			}
			return noteRewrite(r.Note)
		}, library.CodeUnknownKey, ""},
		{"oversized release.note", func(s *setup) func(*http.Request, int) action {
			return noteRewrite(bytes.Repeat([]byte("x"), library.MaxManifestBytes+1))
		}, library.CodeManifestTooLarge, ""},
		{"a blob larger than listed", func(s *setup) func(*http.Request, int) action {
			return blobRewrite(s.target, func(b []byte) []byte { return append(b, "and some more"...) })
		}, CodeDownloadCorrupt, "size"},
		{"a blob shorter than listed", func(s *setup) func(*http.Request, int) action {
			return blobRewrite(s.target, func(b []byte) []byte { return b[:len(b)-1] })
		}, CodeDownloadCorrupt, "size"},
		{"a tampered blob", func(s *setup) func(*http.Request, int) action {
			return blobRewrite(s.target, func(b []byte) []byte {
				b = bytes.Clone(b)
				b[len(b)/2] ^= 0x40
				return b
			})
		}, CodeDownloadCorrupt, "hash"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			s := &setup{e: e}
			s.v1 = e.publish(1, files(4, 10<<10, 1, 5))
			s.v2 = e.publish(2, files(4, 10<<10, 1, 6))
			e.mustSync(s.v2)
			trusted, _ := e.st.Record(testLib)
			s.fork = e.build(2, files(4, 10<<10, 1, 7))
			f3 := files(4, 10<<10, 1, 6)
			f3["docs/new.bin"] = testrel.Random(30000, 8)
			s.v3 = e.publish(3, f3)
			for _, f := range s.v3.Manifest.Files {
				if f.Path == "docs/new.bin" {
					s.target = f.SHA256
				}
			}
			e.proxy.setRule(tc.rule(s))

			res, err := e.sync(context.Background())
			if fe, ok := fault.As(err); !ok || fe.Code != tc.want || fe.Params["reason"] != tc.reason {
				t.Fatalf("err = %v, want %s (reason %q)", err, tc.want, tc.reason)
			}
			if got := res.Libraries[0]; got.Changed || got.After != 2 || got.Error == nil || got.Error.Code != tc.want {
				t.Fatalf("result %+v", got)
			}
			rec, err := e.st.Record(testLib)
			if err != nil || rec.ManifestSHA != trusted.ManifestSHA {
				t.Fatalf("trusted record changed: %+v, %v", rec, err)
			}
			e.checkTrusted(s.v2)
			if tc.want != CodeDownloadCorrupt {
				if n := len(e.proxy.blobRequests()); n != 0 {
					t.Fatalf("%d blobs fetched before the manifest was verified", n)
				}
			}
			for _, name := range e.spoolNames() {
				if strings.HasPrefix(name, s.target) {
					t.Fatalf("the bad blob was kept in the spool: %s", name)
				}
			}

			// Once the hub behaves again, the sync goes through.
			e.proxy.reset()
			e.mustSync(s.v3)
		})
	}
}

// noteRewrite serves body as every release.note (a compromised hub).
func noteRewrite(body []byte) func(*http.Request, int) action {
	return func(r *http.Request, n int) action {
		if strings.HasSuffix(r.URL.Path, "/release.note") {
			return action{rewrite: func([]byte) []byte { return body }}
		}
		return action{}
	}
}

// blobRewrite changes the bytes of one blob.
func blobRewrite(sha string, fn func([]byte) []byte) func(*http.Request, int) action {
	return func(r *http.Request, n int) action {
		if r.URL.Path == "/v1/blobs/"+sha {
			return action{rewrite: fn}
		}
		return action{}
	}
}

func TestSyncLeavesUnpinnedLibrariesAlone(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rel := e.publish(1, files(2, 1000, 1, 21))
	o, err := testrel.Build(filepath.Join(t.TempDir(), "other"), e.other, testrel.Spec{Library: otherLib, Version: 4, Files: files(2, 1000, 0, 22)})
	if err != nil {
		t.Fatal(err)
	}
	src, _ := library.OpenSource(o.Dir)
	if _, err := e.hub.Publish(ctx, src); err != nil {
		t.Fatal(err)
	}
	src.Close()

	if _, err := SyncLibrary(ctx, e.client, e.st, e.pol, e.spool, "nowhere", nil); fault.CodeOf(err) != hubapi.CodeNotFound {
		t.Fatalf("SyncLibrary of an unlisted library = %v", err)
	}
	e.proxy.reset()
	res, err := e.sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.checkTrusted(rel)
	byLib := map[string]LibraryResult{}
	for _, l := range res.Libraries {
		byLib[l.Library] = l
	}
	if l := byLib[otherLib]; !l.Untrusted || l.Changed || l.Files != 0 {
		t.Fatalf("unpinned library: %+v", l)
	}
	if l := byLib[testLib]; !l.Changed || l.After != 1 {
		t.Fatalf("pinned library: %+v", l)
	}
	for _, r := range e.proxy.requests() {
		if strings.Contains(r.path, otherLib) {
			t.Fatalf("asked the hub for %s", r.path)
		}
	}
	if rec, _ := e.st.Record(otherLib); rec != nil {
		t.Fatalf("unpinned library trusted: %+v", rec)
	}
}
