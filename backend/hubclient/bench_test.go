package hubclient

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/hub"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/hubclient/internal/testrel"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/task"
)

// The benchmarks sync testrel's bench releases (1,000 random files of about
// 500 KB, and 1,000 of 1 KB) from a real hub on loopback. bench-sync.sh runs
// them against its own hub (OUTPOST_BENCH_HUB, _TOKEN, _PUB) so curl can
// fetch the same bytes from the same server; without those, the hub is made
// here, once per process.
var bench struct {
	once  sync.Once
	err   error
	tmp   string
	url   string
	token string
	pol   library.Policy
	bytes int64 // of the big release
	close func()
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.close != nil {
		bench.close()
	}
	if bench.tmp != "" {
		os.RemoveAll(bench.tmp)
	}
	os.Exit(code)
}

func benchHub(b *testing.B) {
	bench.once.Do(func() { bench.err = setupBenchHub() })
	if bench.err != nil {
		b.Fatal(bench.err)
	}
}

func setupBenchHub() error {
	if url := os.Getenv("OUTPOST_BENCH_HUB"); url != "" {
		bench.url, bench.token = url, os.Getenv("OUTPOST_BENCH_TOKEN")
		trust := testrel.BenchTrust(os.Getenv("OUTPOST_BENCH_PUB"), os.Getenv("OUTPOST_BENCH_PUB_SMALL"))
		bench.pol = library.Policy{Trust: trust, Region: "fr", Now: testrel.Now}
		return nil
	}
	var err error
	if bench.tmp, err = os.MkdirTemp("", "outpost-hubclient-bench-"); err != nil {
		return err
	}
	key, err := testrel.NewKey("hq-bench")
	if err != nil {
		return err
	}
	smallKey, err := testrel.NewKey("hq-bench-small")
	if err != nil {
		return err
	}
	trust := testrel.BenchTrust(key.Verifier, smallKey.Verifier)
	big, small, err := testrel.BenchReleases(filepath.Join(bench.tmp, "releases"), key, smallKey)
	if err != nil {
		return err
	}
	bench.bytes = big.Bytes
	h, err := hub.Open(filepath.Join(bench.tmp, "hub"), hub.Options{Trust: trust, Now: func() time.Time { return testrel.Now }})
	if err != nil {
		return err
	}
	for _, r := range []*testrel.Release{big, small} {
		src, err := library.OpenSource(r.Dir)
		if err != nil {
			return err
		}
		_, err = h.Publish(context.Background(), src)
		src.Close()
		if err != nil {
			return err
		}
	}
	if _, err := h.AddUser(hubapi.NewUser{Name: "bench", Password: "benchmark password", Role: hubapi.RoleDesigner, Region: "fr"}); err != nil {
		return err
	}
	srv := httptest.NewServer(h.Handler())
	bench.close = func() { srv.Close(); h.Close() }
	c, err := New(srv.URL)
	if err != nil {
		return err
	}
	s, err := c.Login(context.Background(), "bench", "benchmark password")
	if err != nil {
		return err
	}
	bench.url, bench.token = srv.URL, s.Token
	bench.pol = library.Policy{Trust: trust, Region: "fr", Now: testrel.Now}
	return nil
}

func benchClient(b *testing.B) *Client {
	c, err := New(bench.url)
	if err != nil {
		b.Fatal(err)
	}
	c.SetToken(bench.token)
	return c
}

func benchStore(b *testing.B, dir string) (*library.Store, func()) {
	ch, err := cache.Open(cache.Options{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	return library.NewStore(ch), func() { ch.Close() }
}

// BenchmarkSyncInitial syncs the 1,000-file, ~500 MB release into an empty
// store: MB/s is the whole sync (download, verify, store, switch), dl-MB/s
// the download phase alone.
func BenchmarkSyncInitial(b *testing.B) {
	benchHub(b)
	c := benchClient(b)
	var dlTotal time.Duration
	var bytes int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		st, done := benchStore(b, filepath.Join(dir, "db"))
		var dlStart, dlEnd time.Time
		report := func(p task.Progress) {
			switch {
			case p.Phase == "download" && dlStart.IsZero():
				dlStart = time.Now()
			case p.Phase != "download" && dlEnd.IsZero() && !dlStart.IsZero():
				dlEnd = time.Now()
			}
		}
		flushDisk()
		b.StartTimer()
		res, err := SyncLibrary(context.Background(), c, st, bench.pol, filepath.Join(dir, "spool"), testrel.BenchLibrary, report)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		lr := res.Libraries[0]
		if !lr.Changed || lr.Files != testrel.BenchFiles+1 {
			b.Fatalf("result %+v", lr)
		}
		bytes = lr.Bytes
		dlTotal += dlEnd.Sub(dlStart)
		done()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.SetBytes(bytes)
	b.ReportMetric(float64(bytes)*float64(b.N)/1e6/dlTotal.Seconds(), "dl-MB/s")
}

// BenchmarkSyncNoop re-syncs a 1,000-file library that is up to date: the
// list of libraries and a 304 on release.note.
func BenchmarkSyncNoop(b *testing.B) {
	benchHub(b)
	c := benchClient(b)
	dir := b.TempDir()
	st, done := benchStore(b, filepath.Join(dir, "db"))
	defer done()
	spool := filepath.Join(dir, "spool")
	if _, err := SyncLibrary(context.Background(), c, st, bench.pol, spool, testrel.BenchSmallLibrary, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		res, err := SyncLibrary(context.Background(), c, st, bench.pol, spool, testrel.BenchSmallLibrary, nil)
		if err != nil {
			b.Fatal(err)
		}
		if res.Changed() {
			b.Fatal("a no-op sync changed something")
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/sync")
}
