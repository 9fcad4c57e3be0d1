package library

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
)

func testIndex() *Index {
	c := &Content{Locales: []string{"fr", "en"}, Assets: []Asset{
		{ID: "lake", Kind: AssetImage, Path: "images/lake.jpg", Title: Localized{"fr": "Lac à l'aube", "en": "Lake at dawn"}, Tags: []string{"lake", "morning"}, Expires: "2027-06-30"},
		{ID: "trail", Kind: AssetImage, Path: "images/trail.jpg", Title: Localized{"fr": "Sentier d'été", "en": "Summer trail"}, Tags: []string{"trail", "summer"}, Regions: []string{"ch"}, Expires: "2026-12-15"},
		{ID: "snow", Kind: AssetImage, Path: "images/snow.jpg", Title: Localized{"fr": "Névé", "en": "Snowfield"}, Tags: []string{"winter", "morning"}, Expires: "2026-06-30"},
		{ID: "tent", Kind: AssetImage, Path: "images/tent.jpg", Title: Localized{"fr": "Tente", "en": "Tent"}, Tags: []string{"camp"}},
	}}
	m := &Manifest{Files: []File{{Path: "images/lake.jpg", SHA256: "aa"}}}
	return NewIndex(Record{Library: "t"}, m, c)
}

func ids(as []*Asset) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func TestSearchAndFilters(t *testing.T) {
	ix := testIndex()
	day := time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"everything in library order", Query{}, "[lake trail snow tent]"},
		{"accents and case do not matter", Query{Text: "ETE"}, "[trail]"},
		{"every word must match", Query{Text: "lake dawn"}, "[lake]"},
		{"words in any locale", Query{Text: "neve"}, "[snow]"},
		{"tag", Query{Tags: []string{"morning"}}, "[lake snow]"},
		{"two tags", Query{Tags: []string{"morning", "winter"}}, "[snow]"},
		{"region keeps assets usable everywhere", Query{Region: "fr"}, "[lake snow tent]"},
		{"expiring within 30 days", Query{Expiry: ExpirySoon}, "[trail]"},
		{"expired", Query{Expiry: ExpiryExpired}, "[snow]"},
		{"nothing", Query{Text: "volcano"}, "[]"},
		{"paging", Query{Offset: 1, Limit: 2}, "[trail snow]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ix.Search(tt.q, day)
			if got := fmtIDs(ids(res.Assets)); got != tt.want {
				t.Fatalf("Search(%+v) = %s, want %s", tt.q, got, tt.want)
			}
		})
	}
	if res := ix.Search(Query{Offset: 1, Limit: 2}, day); res.Total != 4 {
		t.Fatalf("Total = %d with paging, want 4", res.Total)
	}
	if tags := ix.Tags(); tags[0] != (TagCount{"morning", 2}) {
		t.Fatalf("Tags()[0] = %+v", tags[0])
	}
	if ix.SHA("images/lake.jpg") != "aa" {
		t.Fatal("SHA lookup")
	}
}

func fmtIDs(s []string) string {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, x := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x)
	}
	b.WriteByte(']')
	return b.String()
}

func TestExpiryEdges(t *testing.T) {
	a := &Asset{Expires: "2026-12-22"}
	for _, tt := range []struct {
		day  string
		want string
	}{
		{"2026-11-21", ExpiryValid}, {"2026-11-22", ExpirySoon}, {"2026-12-22", ExpirySoon}, {"2026-12-23", ExpiryExpired},
	} {
		d, _ := time.Parse(time.DateOnly, tt.day)
		if got := ExpiryOf(a, d.Add(13*time.Hour)); got != tt.want {
			t.Errorf("on %s: %q, want %q", tt.day, got, tt.want)
		}
	}
	if ExpiryOf(&Asset{}, time.Now()) != ExpiryNone {
		t.Error("no date must be no expiry")
	}
}

func TestBlobsAreVerifiedOnRead(t *testing.T) {
	st := openStore(t)
	body := "a photo"
	sha := fileEntry("x", body).SHA256
	// Damage the stored bytes behind the store's back.
	st.c.DB().Update(func(txn *badger.Txn) error { return txn.Set(cache.KeyBlob(sha), []byte("a phot0")) })
	if _, err := st.Blob(sha); fault.CodeOf(err) != CodeBlobCorrupt {
		t.Fatalf("damaged blob read as %v", err)
	}
	if _, err := st.Blob(fileEntry("y", "none").SHA256); fault.CodeOf(err) != CodeNotFound {
		t.Fatalf("missing blob read as %v", err)
	}
}

func TestThumbnailsAreMadeOnceAndKept(t *testing.T) {
	st := openStore(t)
	img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, nil)
	sha := fileEntry("p", buf.String()).SHA256
	st.c.DB().Update(func(txn *badger.Txn) error { return txn.Set(cache.KeyBlob(sha), buf.Bytes()) })

	first, err := st.Thumbnail(sha, 320)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(first))
	if err != nil || cfg.Width != 320 || cfg.Height != 213 {
		t.Fatalf("thumbnail %dx%d, %v", cfg.Width, cfg.Height, err)
	}
	// The source can go; the kept thumbnail still answers.
	st.c.DB().Update(func(txn *badger.Txn) error { return txn.Delete(cache.KeyBlob(sha)) })
	again, err := st.Thumbnail(sha, 320)
	if err != nil || !bytes.Equal(first, again) {
		t.Fatalf("thumbnail not kept: %v", err)
	}
	// A corrupt source gives a clear image error, not a panic.
	bad := fileEntry("q", "not an image").SHA256
	st.c.DB().Update(func(txn *badger.Txn) error { return txn.Set(cache.KeyBlob(bad), []byte("not an image")) })
	if _, err := st.Thumbnail(bad, 320); err == nil || fault.CodeOf(err) == fault.CodeInternal {
		t.Fatalf("thumbnail of garbage: %v", err)
	}
}

func TestTrustFile(t *testing.T) {
	_, v, _ := GenerateKey("hq")
	dir := t.TempDir()
	p := filepath.Join(dir, TrustFileName)
	if tr, err := LoadTrustFile(p); err != nil || tr != nil {
		t.Fatalf("missing file: %v %v", tr, err)
	}
	os.WriteFile(p, []byte(`{"libraries":[{"library":"cairn-outdoor","keys":["`+v+`"],"threshold":0}]}`), 0o600)
	tr, err := LoadTrustFile(p)
	if err != nil || len(tr) != 1 || tr[0].Threshold != 1 || tr[0].Library != "cairn-outdoor" {
		t.Fatalf("LoadTrustFile = %+v, %v", tr, err)
	}
	for _, bad := range []string{`{"libraries":[{"library":"x","keys":["nonsense"]}]}`, `{"libraries":[{"library":"../x","keys":["` + v + `"]}]}`, `{"extra":1}`, `{`} {
		os.WriteFile(p, []byte(bad), 0o600)
		if _, err := LoadTrustFile(p); fault.CodeOf(err) != CodeTrustFileInvalid {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// TestFoldIsSafeForConcurrentUse runs under -race in make test.
func TestFoldIsSafeForConcurrentUse(t *testing.T) {
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 200; i++ {
				if got := Fold("Été à Genève"); got != "ete a geneve" {
					t.Errorf("Fold = %q", got)
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}
