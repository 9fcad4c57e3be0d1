package library

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/outpost-studio/outpost/backend/cache"
)

// The generated benchmark library: 10,000 image assets of ~50 KB each.
const benchAssets = 10_000

var (
	benchOnce    sync.Once
	benchRelease string // release folder
	benchKeys    keys
	benchBytes   int64
	benchTmp     string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchTmp != "" {
		os.RemoveAll(benchTmp)
	}
	os.Exit(code)
}

var benchWords = strings.Fields("lac montagne forêt sentier randonnée été hiver neige rivière falaise aube crépuscule vélo tente boussole sommet vallée prairie refuge glacier")

// benchLibrary writes the 10,000-asset release once per process.
func benchLibrary(tb testing.TB) (string, keys) {
	benchOnce.Do(func() {
		var err error
		benchTmp, err = os.MkdirTemp("", "outpost-bench-")
		if err != nil {
			tb.Fatal(err)
		}
		dir := filepath.Join(benchTmp, "release")
		os.MkdirAll(filepath.Join(dir, "images"), 0o755)
		os.MkdirAll(filepath.Join(dir, "templates"), 0o755)
		rng := rand.New(rand.NewPCG(7, 7))
		// 100 distinct real JPEGs; every asset appends its own bytes after
		// the end-of-image marker, which decoders ignore, so all 10,000
		// blobs differ.
		bases := make([][]byte, 100)
		for i := range bases {
			img := image.NewRGBA(image.Rect(0, 0, 400, 300))
			for y := 0; y < 300; y++ {
				for x := 0; x < 400; x++ {
					img.Set(x, y, color.RGBA{uint8(x + i*7), uint8(y + i*3), uint8(rng.IntN(256)), 255})
				}
			}
			var buf bytes.Buffer
			jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
			bases[i] = buf.Bytes()
		}
		c := Content{Locales: []string{"fr", "en"}, Regions: []Region{{ID: "fr", Name: Localized{"fr": "France"}, Countries: []string{"FR"}, Locales: []string{"fr"}}},
			Templates: []Template{{ID: "news", Kind: TemplateEmail, Name: Localized{"en": "News"}, Layout: "templates/news.html",
				Slots: []Slot{{ID: "headline", Kind: SlotText, Lock: LockEditable, Label: Localized{"en": "Headline"}}}}},
			Rules: RulePack{Version: 1}}
		os.WriteFile(filepath.Join(dir, "templates/news.html"), []byte("<html>{{headline}}</html>"), 0o644)
		for i := 0; i < benchAssets; i++ {
			b := append(append([]byte{}, bases[i%100]...), []byte(fmt.Sprintf("asset-%05d", i))...)
			p := fmt.Sprintf("images/a%05d.jpg", i)
			os.WriteFile(filepath.Join(dir, p), b, 0o644)
			benchBytes += int64(len(b))
			w1, w2 := benchWords[i%len(benchWords)], benchWords[(i/20)%len(benchWords)]
			c.Assets = append(c.Assets, Asset{ID: fmt.Sprintf("a%05d", i), Kind: AssetImage, Path: p, Width: 400, Height: 300,
				Title: Localized{"fr": fmt.Sprintf("%s et %s n°%d", w1, w2, i), "en": fmt.Sprintf("Photo %d", i)},
				Alt:   Localized{"fr": w1}, Tags: []string{w1, w2}, Expires: "2027-06-30"})
		}
		raw, _ := json.Marshal(c)
		os.WriteFile(filepath.Join(dir, ContentFile), raw, 0o644)
		benchKeys = newKeys(tb, "hq-bench")
		m, err := BuildManifest(dir, ReleaseInfo{Library: "bench", Name: "Bench", Regions: []string{"fr"}, Version: 1, Created: t0, Expires: expires})
		if err != nil {
			tb.Fatal(err)
		}
		signed, _ := Sign(m, benchKeys.signers("hq-bench")...)
		os.WriteFile(filepath.Join(dir, ManifestFile), signed, 0o644)
		benchRelease = dir
	})
	return benchRelease, benchKeys
}

func benchPolicy(k keys) Policy {
	return Policy{Trust: []Trust{{Library: "bench", Keys: k.verifiers("hq-bench"), Threshold: 1}}, Region: "fr", Now: now}
}

// importedStore returns a closed database folder holding the bench release,
// with the first grid page's thumbnails made (as after a first visit).
func importedStore(b *testing.B) string {
	b.Helper()
	rel, k := benchLibrary(b)
	dir := filepath.Join(b.TempDir(), "db")
	c, err := cache.Open(cache.Options{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	st := NewStore(c)
	src, _ := OpenSource(rel)
	if _, err := st.Apply(src, benchPolicy(k), nil); err != nil {
		b.Fatal(err)
	}
	src.Close()
	ix, err := st.Open("bench")
	if err != nil {
		b.Fatal(err)
	}
	for _, a := range ix.Search(Query{Limit: 60}, now).Assets {
		if _, err := st.Thumbnail(ix.SHA(a.Path), 320); err != nil {
			b.Fatal(err)
		}
	}
	c.Close()
	return dir
}

// BenchmarkImport10k verifies and stores the 10,000-asset release into an
// empty store; MB/s is the import throughput.
func BenchmarkImport10k(b *testing.B) {
	rel, k := benchLibrary(b)
	b.SetBytes(benchBytes)
	for b.Loop() {
		b.StopTimer()
		c, err := cache.Open(cache.Options{Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		src, _ := OpenSource(rel)
		b.StartTimer()
		if _, err := NewStore(c).Apply(src, benchPolicy(k), nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		src.Close()
		c.Close()
		b.StartTimer()
	}
}

// BenchmarkOpenFirstPage10k is a cold start on the 10,000-asset library:
// open the database, load and index the trusted release, search the first
// grid page and read its 60 thumbnails. Target: < 300 ms.
func BenchmarkOpenFirstPage10k(b *testing.B) {
	dir := importedStore(b)
	for b.Loop() {
		c, err := cache.Open(cache.Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		st := NewStore(c)
		ix, err := st.Open("bench")
		if err != nil {
			b.Fatal(err)
		}
		page := ix.Search(Query{Limit: 60}, now)
		for _, a := range page.Assets {
			if _, err := st.Thumbnail(ix.SHA(a.Path), 320); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		c.Close()
		b.StartTimer()
	}
}

// BenchmarkSearch10k is a text search with a filter over 10,000 assets.
// Target: < 20 ms.
func BenchmarkSearch10k(b *testing.B) {
	rel, _ := benchLibrary(b)
	var c Content
	raw, _ := os.ReadFile(filepath.Join(rel, ContentFile))
	if err := json.Unmarshal(raw, &c); err != nil {
		b.Fatal(err)
	}
	ix := NewIndex(Record{Library: "bench"}, &Manifest{}, &c)
	for b.Loop() {
		res := ix.Search(Query{Text: "Randonnee sommet", Region: "fr", Expiry: ExpiryValid}, now)
		if res.Total == 0 {
			b.Fatal("no match")
		}
	}
}

// BenchmarkBrowseRSS10k runs a fresh process that opens the 10,000-asset
// library and browses 40 grid pages with their thumbnails, then reports its
// resident memory. Target: < 200 MB.
func BenchmarkBrowseRSS10k(b *testing.B) {
	dir := importedStore(b)
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperBrowse$")
		cmd.Env = append(os.Environ(), "OUTPOST_BROWSE_DB="+dir)
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("browse helper: %v", err)
		}
		var rss float64
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "rss-mb "); ok {
				rss, _ = strconv.ParseFloat(v, 64)
			}
		}
		if rss == 0 {
			b.Fatalf("helper reported no RSS: %s", out)
		}
		b.ReportMetric(rss, "MB-rss")
	}
}

func TestHelperBrowse(t *testing.T) {
	dir := os.Getenv("OUTPOST_BROWSE_DB")
	if dir == "" {
		t.Skip("helper process only")
	}
	c, err := cache.Open(cache.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	st := NewStore(c)
	ix, err := st.Open("bench")
	if err != nil {
		t.Fatal(err)
	}
	for page := 0; page < 40; page++ {
		for _, a := range ix.Search(Query{Offset: page * 60, Limit: 60}, now).Assets {
			if _, err := st.Thumbnail(ix.SHA(a.Path), 320); err != nil {
				t.Fatal(err)
			}
		}
		ix.Search(Query{Text: benchWords[page%len(benchWords)]}, now)
	}
	fmt.Printf("rss-mb %.1f\n", rssMB())
}

// rssMB reads this process's resident set size.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	return -1
}
