package pack

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/task"
)

// blobs is a release's files in memory, by SHA-256: what library.Store
// serves, without the signing ceremony.
type blobs map[string][]byte

func (b blobs) Blob(sha string) ([]byte, error) {
	v, ok := b[sha]
	if !ok {
		return nil, fault.New(fault.NotFound, library.CodeNotFound, "test.Blob").With("sha256", sha)
	}
	return v, nil
}

func shaHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// release builds a release index of the given images (path → bytes) with
// one asset per image and the given presets.
func release(t testing.TB, images map[string][]byte, assets []library.Asset, presets []library.Preset) (*library.Index, blobs) {
	t.Helper()
	bl := blobs{}
	m := &library.Manifest{Library: "cairn", Name: "Cairn Outdoor", Version: 7, Regions: []string{"fr", "be"}}
	paths := make([]string, 0, len(images))
	for p := range images {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		b := images[p]
		sha := shaHex(b)
		bl[sha] = b
		m.Files = append(m.Files, library.File{Path: p, Size: int64(len(b)), SHA256: sha})
	}
	c := &library.Content{
		Locales: []string{"fr", "en"},
		Brand:   library.BrandKit{Palette: []library.Colour{{ID: "summit", Hex: "#1F4E79"}}},
		Assets:  assets,
		Presets: presets,
	}
	rec := library.Record{Library: m.Library, Name: m.Name, Version: m.Version, Regions: m.Regions}
	return library.NewIndex(rec, m, c), bl
}

var testPresets = []library.Preset{
	{ID: "social-square", Name: library.Localized{"en": "Square post"}, Channel: "social", Width: 96, Height: 96, Format: "jpeg", Quality: 85, Fit: "fill"},
	{ID: "email-header", Name: library.Localized{"en": "Email header"}, Channel: "email", Width: 120, Height: 40, Format: "jpeg", Quality: 80, Fit: "fill"},
	{ID: "square-fit", Name: library.Localized{"en": "Square, uncropped"}, Channel: "social", Width: 64, Height: 64, Format: "png", Fit: "fit"},
	{ID: "poster", Name: library.Localized{"en": "Poster"}, Channel: "print", Width: 2000, Height: 3000, Format: "jpeg", Quality: 90, Fit: "exact"},
}

// picture is a photo-like w×h picture whose colours depend on seed.
func picture(w, h int, seed uint8) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.SetNRGBA(x, y, color.NRGBA{uint8(x*255/w) ^ seed, uint8(y * 255 / h), uint8((x + y) % 64 * 4), 0xff})
		}
	}
	return m
}

func jpegBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func adaptFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "adapt", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func asset(id, path string) library.Asset {
	return library.Asset{ID: id, Kind: library.AssetImage, Path: path, Title: library.Localized{"en": id}}
}

// goodRelease has three healthy photos, one of them a real sample photo.
func goodRelease(t testing.TB) (*library.Index, blobs) {
	t.Helper()
	photo, err := os.ReadFile(filepath.Join("..", "..", "assets", "sample", "library", "images", "picos-de-europa-trail.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	images := map[string][]byte{
		"images/trail.jpg":  photo,
		"images/field.jpg":  jpegBytes(t, picture(640, 480, 0)),
		"images/shore.png":  pngBytes(t, picture(300, 500, 77)),
		"images/unused.jpg": jpegBytes(t, picture(50, 50, 3)),
	}
	trail := asset("trail", "images/trail.jpg")
	trail.Focal = &library.Point{X: 0.55, Y: 0.45}
	trail.Expires = "2028-06-30"
	field := asset("field", "images/field.jpg")
	field.Regions = []string{"fr"}
	field.Expires = "2026-12-01" // soon, on 2026-11-22
	shore := asset("shore", "images/shore.png")
	shore.Regions = []string{"ch"}
	shore.Expires = "2026-11-01" // expired
	logo := asset("logo", "images/unused.jpg")
	logo.Kind = library.AssetLogo
	return release(t, images, []library.Asset{trail, field, shore, logo}, testPresets)
}

func readZip(t testing.TB, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
		if want := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC); !f.Modified.Equal(want) {
			t.Errorf("%s: modified %v, want %v", f.Name, f.Modified, want)
		}
		if f.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v", f.Name, f.Mode())
		}
		wantMethod := zip.Store
		if strings.HasSuffix(f.Name, ".json") || strings.HasSuffix(f.Name, ".html") {
			wantMethod = zip.Deflate
		}
		if f.Method != wantMethod {
			t.Errorf("%s: method %d, want %d", f.Name, f.Method, wantMethod)
		}
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("entries not sorted: %v", names)
	}
	return out
}

func manifestOf(t testing.TB, files map[string][]byte) *Manifest {
	t.Helper()
	var m Manifest
	if err := json.Unmarshal(files[ManifestFile], &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// noStrays fails if dir holds anything but the named files.
func noStrays(t *testing.T, dir string, want ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("folder holds %v, want %v", got, want)
	}
}

func TestExportWritesAReproduciblePack(t *testing.T) {
	ix, bl := goodRelease(t)
	dir := t.TempDir()
	c, err := cache.Open(cache.Options{Dir: filepath.Join(t.TempDir(), "db")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	in := Input{Release: ix, Blobs: bl, Cache: NewStoreCache(c), Region: "fr", Date: "2026-11-22", Workers: 2,
		Findings: []Finding{{RuleID: "restricted-words", Severity: SeverityError, Code: "brand.restricted_word",
			Params: map[string]string{"word": "cheap"}, Locale: "fr", Slot: "headline", Message: `"cheap" <script>alert(1)</script> is not on-brand`}}}

	var phases []string
	report := func(p task.Progress) {
		if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
			phases = append(phases, p.Phase)
		}
	}
	cold := filepath.Join(dir, "cold.zip")
	res, err := Export(context.Background(), in, cold, report)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(phases, ",") != "render,write" {
		t.Errorf("phases %v, want render then write", phases)
	}
	warm := filepath.Join(dir, "warm.zip")
	if _, err := Export(context.Background(), in, warm, nil); err != nil {
		t.Fatal(err)
	}
	in.Cache, in.Workers = nil, 1 // fresh memory cache, one worker
	fresh := filepath.Join(dir, "fresh.zip")
	if _, err := Export(context.Background(), in, fresh, nil); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(cold)
	for _, other := range []string{warm, fresh} {
		if b, _ := os.ReadFile(other); !bytes.Equal(a, b) {
			t.Errorf("%s differs from the first export", filepath.Base(other))
		}
	}
	if res.Bytes != int64(len(a)) {
		t.Errorf("Result.Bytes %d, file %d", res.Bytes, len(a))
	}
	noStrays(t, dir, "cold.zip", "fresh.zip", "warm.zip")

	files := readZip(t, cold)
	m := manifestOf(t, files)
	if len(m.Files) != 3*4 || len(files) != 3*4+2 || len(m.Failed) != 0 {
		t.Fatalf("%d files in the manifest, %d entries, %d failed; want 12, 14, 0", len(m.Files), len(files), len(m.Failed))
	}
	if m.Library != "cairn" || m.Version != 7 || m.Date != "2026-11-22" || m.Region != "fr" {
		t.Errorf("manifest header %+v", m)
	}
	for _, f := range m.Files {
		b := files[f.Path]
		if shaHex(b) != f.SHA256 || int64(len(b)) != f.Bytes {
			t.Errorf("%s: manifest sha %s bytes %d, entry %s %d", f.Path, f.SHA256, f.Bytes, shaHex(b), len(b))
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
		if err != nil || cfg.Width != f.Width || cfg.Height != f.Height {
			t.Errorf("%s: %v %dx%d, manifest %dx%d", f.Path, err, cfg.Width, cfg.Height, f.Width, f.Height)
		}
		if want := map[string]string{".jpg": "jpeg", ".png": "png"}[filepath.Ext(f.Path)]; format != want {
			t.Errorf("%s is %s", f.Path, format)
		}
		if f.Library != "cairn" || f.Version != 7 || f.SourceSHA256 != shaHex(bl[f.SourceSHA256]) || f.Preset != strings.Split(f.Path, "/")[0] {
			t.Errorf("%s: provenance %+v", f.Path, f)
		}
		if f.Path != f.Preset+"/"+f.Asset+map[string]string{"square-fit": ".png"}[f.Preset]+map[bool]string{true: ".jpg"}[f.Preset != "square-fit"] {
			t.Errorf("path %s for preset %s asset %s", f.Path, f.Preset, f.Asset)
		}
	}

	// The checks, file by file.
	status := func(path, check string) string {
		for _, f := range m.Files {
			if f.Path == path {
				for _, c := range f.Checks {
					if c.ID == check {
						return c.Status
					}
				}
			}
		}
		return "missing"
	}
	for _, tc := range []struct{ path, check, want string }{
		{"social-square/trail.jpg", CheckResolution, StatusOK},
		{"poster/trail.jpg", CheckResolution, StatusWarning}, // 2560×1920 stretched to 2000×3000
		{"social-square/trail.jpg", CheckExpiry, StatusOK},
		{"social-square/field.jpg", CheckExpiry, StatusWarning},
		{"social-square/shore.jpg", CheckExpiry, StatusError},
		{"social-square/trail.jpg", CheckRegion, StatusOK},
		{"social-square/field.jpg", CheckRegion, StatusOK},
		{"social-square/shore.jpg", CheckRegion, StatusError},
	} {
		if got := status(tc.path, tc.check); got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.path, tc.check, got, tc.want)
		}
	}

	page := string(files[ReportFile])
	for _, want := range []string{"restricted-words", "headline", "&lt;script&gt;", "upscaled ×", "expired", "not for fr: only for ch", "poster/trail.jpg", "no focal point: a smart crop chose the framing"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html does not mention %q", want)
		}
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Error("report.html must be self-contained and escape what it is given")
	}
}

// TestExportListsBadSourcesAndGoesOn: each broken source is a failure with
// its own code, or a rendition with a note; the rest is exported.
func TestExportListsBadSourcesAndGoesOn(t *testing.T) {
	jpg := jpegBytes(t, picture(200, 150, 9))
	var anim bytes.Buffer
	pal := color.Palette{color.NRGBA{0xff, 0, 0, 0xff}, color.NRGBA{0, 0, 0xff, 0xff}}
	fr1, fr2 := image.NewPaletted(image.Rect(0, 0, 40, 30), pal), image.NewPaletted(image.Rect(0, 0, 40, 30), pal)
	for i := range fr2.Pix {
		fr2.Pix[i] = 1
	}
	if err := gif.EncodeAll(&anim, &gif.GIF{Image: []*image.Paletted{fr1, fr2}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	bomb := pngDeclaring(100000, 100000)
	images := map[string][]byte{
		"images/good.jpg":      jpg,
		"images/corrupt.jpg":   append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 16}, bytes.Repeat([]byte{0x42}, 200)...),
		"images/truncated.jpg": jpg[:len(jpg)/2],
		"images/empty.jpg":     {},
		"images/bomb.png":      bomb,
		"images/anim.gif":      anim.Bytes(),
		"images/cmyk.jpg":      adaptFixture(t, "cmyk.jpg"),
		"images/deep.png":      adaptFixture(t, "photo16.png"),
		"images/photo.tiff":    adaptFixture(t, "photo.tiff"),
		"images/photo.bmp":     adaptFixture(t, "photo.bmp"),
		"images/logo.svg":      []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>`),
		"images/liar.jpg":      pngBytes(t, picture(120, 90, 5)),
		"images/adobe.jpg":     withProfile(jpg, "Adobe RGB (1998)"),
	}
	var assets []library.Asset
	for p := range images {
		assets = append(assets, asset(strings.ReplaceAll(filepath.Base(p), ".", "-"), p))
	}
	sort.Slice(assets, func(i, j int) bool { return assets[i].ID < assets[j].ID })
	ix, bl := release(t, images, assets, testPresets[:3])
	dir := t.TempDir()
	dest := filepath.Join(dir, "pack.zip")
	in := Input{Release: ix, Blobs: bl, Date: "2026-11-22"}
	if _, err := Export(context.Background(), in, dest, nil); err != nil {
		t.Fatal(err)
	}
	files := readZip(t, dest)
	m := manifestOf(t, files)
	failed := map[string]Failure{}
	for _, f := range m.Failed {
		failed[f.Asset] = f
	}
	for _, tc := range []struct {
		asset, code, param, value string
	}{
		{"corrupt-jpg", "image.corrupt", "format", "jpeg"},
		{"truncated-jpg", "image.corrupt", "format", "jpeg"},
		{"empty-jpg", "image.empty", "", ""},
		{"bomb-png", "image.too_many_pixels", "width", "100000"},
		{"photo-tiff", "image.unsupported_format", "format", "tiff"},
		{"photo-bmp", "image.unsupported_format", "format", "bmp"},
		{"logo-svg", "image.unsupported_format", "format", "svg"},
	} {
		f, ok := failed[tc.asset]
		if !ok {
			t.Errorf("%s is not listed as failed", tc.asset)
			continue
		}
		if f.Code != tc.code || (tc.param != "" && f.Params[tc.param] != tc.value) || len(f.Presets) != 3 || f.Message == "" {
			t.Errorf("%s: failure %+v, want %s with %s=%s", tc.asset, f, tc.code, tc.param, tc.value)
		}
		if !strings.Contains(string(files[ReportFile]), f.Code) {
			t.Errorf("report.html does not list %s's %s", tc.asset, f.Code)
		}
	}
	notes := map[string][]string{}
	for _, f := range m.Files {
		notes[f.Asset] = append(notes[f.Asset], f.Notes...)
	}
	for _, tc := range []struct{ asset, note string }{
		{"anim-gif", NoteAnimated},
		{"adobe-jpg", NoteColourProfile},
		{"liar-jpg", NoteExtension},
		{"good-jpg", NoteSmartCrop},
		{"cmyk-jpg", NoteSmartCrop},
		{"deep-png", NoteSmartCrop},
	} {
		if !strings.Contains(strings.Join(notes[tc.asset], ","), tc.note) {
			t.Errorf("%s: notes %v, want %s", tc.asset, notes[tc.asset], tc.note)
		}
	}
	// The animation's first frame is red; the CMYK JPEG is pure red too.
	if len(m.Files) != 6*3 || len(m.Failed) != 7 {
		t.Errorf("%d files and %d failures, want 18 and 7", len(m.Files), len(m.Failed))
	}
	if strings.Contains(strings.Join(notes["good-jpg"], ","), NoteColourProfile) {
		t.Error("a JPEG without a profile is noted as having one")
	}
	for _, p := range []string{"square-fit/anim-gif.png", "email-header/cmyk-jpg.jpg"} {
		img, _, err := image.Decode(bytes.NewReader(files[p]))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		b := img.Bounds()
		r, g, bb, _ := img.At(b.Dx()/2, b.Dy()/2).RGBA()
		if r>>8 < 230 || g>>8 > 30 || bb>>8 > 30 {
			t.Errorf("%s centre is %d,%d,%d; want red", p, r>>8, g>>8, bb>>8)
		}
	}

	// Strict mode: the first bad source fails the export, and no file is left.
	in.Strict = true
	strict := filepath.Join(dir, "strict.zip")
	_, err := Export(context.Background(), in, strict, nil)
	if fault.CodeOf(err) != CodeAssetFailed || fault.KindOf(err) != fault.Invalid {
		t.Fatalf("strict export: %v, want %s", err, CodeAssetFailed)
	}
	noStrays(t, dir, "pack.zip")
}

func TestExportRefusesBadInput(t *testing.T) {
	ix, bl := goodRelease(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		edit func(*Input)
		code fault.Code
	}{
		{"unknown preset", func(in *Input) { in.Presets = []string{"billboard"} }, CodePresetUnknown},
		{"unknown asset", func(in *Input) { in.Items = []Item{{Asset: "nope"}} }, CodeAssetUnknown},
		{"asset twice", func(in *Input) { in.Items = []Item{{Asset: "trail"}, {Asset: "trail"}} }, CodeAssetDuplicate},
		{"crop for a preset not exported", func(in *Input) {
			in.Presets = []string{"email-header"}
			in.Items = []Item{{Asset: "trail", Crops: map[string]adapt.Rect{"social-square": {X0: 0, Y0: 0, X1: 0.5, Y1: 0.5}}}}
		}, CodePresetUnknown},
		{"crop outside the image", func(in *Input) {
			in.Items = []Item{{Asset: "trail", Crops: map[string]adapt.Rect{"email-header": {X0: 0.5, Y0: 0, X1: 1.5, Y1: 1}}}}
		}, adapt.CodeSpecInvalid},
		{"date", func(in *Input) { in.Date = "22/11/2026" }, CodeDateInvalid},
		{"colour", func(in *Input) { in.Background = "blue" }, CodeColourInvalid},
		{"nothing to pack", func(in *Input) { in.Release = emptyRelease(t) }, CodeNothingToPack},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Release: ix, Blobs: bl, Date: "2026-11-22"}
			tc.edit(&in)
			_, err := Export(context.Background(), in, filepath.Join(dir, "pack.zip"), nil)
			if fault.CodeOf(err) != tc.code {
				t.Fatalf("err %v, want %s", err, tc.code)
			}
			noStrays(t, dir)
		})
	}
}

// withProfile inserts an APP2 ICC profile segment whose description is
// desc after a JPEG's start marker.
func withProfile(jpg []byte, desc string) []byte {
	body := append([]byte("ICC_PROFILE\x00\x01\x01"), make([]byte, 128)...)
	body = append(body, "desc\x00\x00\x00\x00"+desc...)
	seg := []byte{0xff, 0xe2, byte((len(body) + 2) >> 8), byte(len(body) + 2)}
	out := append(append([]byte{}, jpg[:2]...), seg...)
	return append(append(out, body...), jpg[2:]...)
}

// pngDeclaring is a PNG signature and header declaring w×h RGBA pixels,
// then a few bytes of image data: a pixel bomb.
func pngDeclaring(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(data)))
		b.Write(n[:])
		b.WriteString(typ)
		b.Write(data)
		binary.BigEndian.PutUint32(n[:], crc32.ChecksumIEEE(append([]byte(typ), data...)))
		b.Write(n[:])
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func emptyRelease(t *testing.T) *library.Index {
	ix, _ := release(t, map[string][]byte{}, nil, testPresets)
	return ix
}

// TestExportManualCrop: a campaign's crop for one preset frames that
// preset only, and changes its cache key.
func TestExportManualCrop(t *testing.T) {
	ix, bl := goodRelease(t)
	dir := t.TempDir()
	// picture(640, 480, 0) has red growing to the right: the right half's crop is redder.
	crop := adapt.Rect{X0: 0.75, Y0: 0, X1: 1, Y1: 1}
	in := Input{Release: ix, Blobs: bl, Date: "2026-11-22", Presets: []string{"social-square", "email-header"},
		Items: []Item{{Asset: "field", Crops: map[string]adapt.Rect{"social-square": crop}}}}
	if _, err := Export(context.Background(), in, filepath.Join(dir, "crop.zip"), nil); err != nil {
		t.Fatal(err)
	}
	in.Items = []Item{{Asset: "field"}}
	if _, err := Export(context.Background(), in, filepath.Join(dir, "plain.zip"), nil); err != nil {
		t.Fatal(err)
	}
	cropped, plain := readZip(t, filepath.Join(dir, "crop.zip")), readZip(t, filepath.Join(dir, "plain.zip"))
	if !bytes.Equal(cropped["email-header/field.jpg"], plain["email-header/field.jpg"]) {
		t.Error("a crop for social-square changed email-header")
	}
	meanRed := func(b []byte) float64 {
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		var s float64
		r := img.Bounds()
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				v, _, _, _ := img.At(x, y).RGBA()
				s += float64(v >> 8)
			}
		}
		return s / float64(r.Dx()*r.Dy())
	}
	if c, p := meanRed(cropped["social-square/field.jpg"]), meanRed(plain["social-square/field.jpg"]); c < p+40 {
		t.Errorf("cropped square mean red %.0f, uncropped %.0f: the crop did not frame the right edge", c, p)
	}
	m := manifestOf(t, cropped)
	for _, f := range m.Files {
		if f.Preset == "social-square" && !strings.Contains(strings.Join(f.Notes, ","), NoteManualCrop) {
			t.Errorf("%s: notes %v, want %s", f.Path, f.Notes, NoteManualCrop)
		}
	}
}

// TestExportCanceledLeavesNoFile: cancel during rendering; the export stops
// with the task's canceled error and leaves nothing in the folder.
func TestExportCanceledLeavesNoFile(t *testing.T) {
	ix, bl := goodRelease(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var renders atomic.Int32
	report := func(p task.Progress) {
		if p.Phase == "render" && renders.Add(1) == 2 { // after the first asset
			cancel()
		}
	}
	_, err := Export(ctx, Input{Release: ix, Blobs: bl, Date: "2026-11-22", Workers: 1}, filepath.Join(dir, "pack.zip"), report)
	if fault.KindOf(err) != fault.Canceled || fault.CodeOf(err) != task.CodeCanceled {
		t.Fatalf("err %v, want %s", err, task.CodeCanceled)
	}
	noStrays(t, dir)

	// Canceled while writing the zip.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	report2 := func(p task.Progress) {
		if p.Phase == "write" && p.Done == 3 {
			cancel2()
		}
	}
	_, err = Export(ctx2, Input{Release: ix, Blobs: bl, Date: "2026-11-22"}, filepath.Join(dir, "pack.zip"), report2)
	if fault.KindOf(err) != fault.Canceled {
		t.Fatalf("err %v, want canceled", err)
	}
	noStrays(t, dir)
}

// TestExportFailureLeavesNoFile: a destination that cannot be written, or
// that turns out unusable at the very end, fails clearly and leaves
// nothing behind.
func TestExportFailureLeavesNoFile(t *testing.T) {
	ix, bl := goodRelease(t)
	dir := t.TempDir()
	in := Input{Release: ix, Blobs: bl, Date: "2026-11-22"}

	notADir := filepath.Join(dir, "file")
	if err := os.WriteFile(notADir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Export(context.Background(), in, filepath.Join(notADir, "pack.zip"), nil)
	if e, ok := fault.As(err); !ok || e.Code != CodeWriteFailed || e.Params["path"] != filepath.Join(notADir, "pack.zip") {
		t.Fatalf("err %v, want %s with the path", err, CodeWriteFailed)
	}

	// The destination is a folder: everything is rendered and written,
	// and the final rename fails.
	busy := filepath.Join(dir, "busy.zip")
	if err := os.Mkdir(busy, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(busy, "keep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Export(context.Background(), in, busy, nil)
	if fault.CodeOf(err) != CodeWriteFailed {
		t.Fatalf("err %v, want %s", err, CodeWriteFailed)
	}
	noStrays(t, dir, "busy.zip", "file")

	// A source that vanishes mid-export fails a strict export cleanly.
	in.Strict = true
	delete(bl, ix.SHA("images/shore.png"))
	_, err = Export(context.Background(), in, filepath.Join(dir, "strict.zip"), nil)
	if fault.CodeOf(err) != CodeAssetFailed {
		t.Fatalf("err %v, want %s", err, CodeAssetFailed)
	}
	noStrays(t, dir, "busy.zip", "file")
}

// TestStoreCacheRoundTrip: renditions kept in Badger come back as they went
// in, under the key the sweep knows.
func TestStoreCacheRoundTrip(t *testing.T) {
	c, err := cache.Open(cache.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sc := NewStoreCache(c)
	src, spec := strings.Repeat("a", 64), strings.Repeat("b", 64)
	if _, ok, err := sc.Rendition(src, spec); ok || err != nil {
		t.Fatalf("empty cache: ok %v err %v", ok, err)
	}
	if err := sc.PutRendition(src, spec, []byte("jpeg bytes")); err != nil {
		t.Fatal(err)
	}
	if b, ok, err := sc.Rendition(src, spec); !ok || err != nil || string(b) != "jpeg bytes" {
		t.Fatalf("got %q %v %v", b, ok, err)
	}
	if got := string(cache.KeyRendition(src, spec)); got != "rend/"+src+"/"+spec {
		t.Errorf("key %q", got)
	}
}
