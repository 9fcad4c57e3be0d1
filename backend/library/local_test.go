package library

import (
	"os"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/fault"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../adapt/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLocalPhotos: the office's photos are decoded before they are kept,
// browsable beside HQ's, editable, and kept by Sweep until deleted.
func TestLocalPhotos(t *testing.T) {
	k := newKeys(t, "hq-a")
	pol := Policy{Trust: []Trust{{Library: "cairn", Keys: k.verifiers("hq-a"), Threshold: 1}}, Now: now, Region: "fr"}
	st := openStore(t)
	dir := release(t, baseFiles(nil))
	signDir(t, dir, info(1), k.signers("hq-a")...)
	if _, err := applyDir(t, st, dir, pol); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	photo := readFixture(t, "photo.jpg")
	gen := st.LocalGeneration()
	l, added, err := st.ImportLocal(`C:\Users\lea\Pictures\market_day-2026.png`, photo, "Léa", when)
	if err != nil || !added {
		t.Fatalf("ImportLocal: %v", err)
	}
	if l.Format != adapt.FormatJPEG || l.Name != "market_day-2026.png" || l.Title != "market day 2026" || l.Width == 0 || l.ImportedBy != "Léa" {
		t.Fatalf("local = %+v (a JPEG named .png is a JPEG)", l)
	}
	if st.LocalGeneration() == gen {
		t.Fatal("the local generation did not move")
	}
	if again, added, err := st.ImportLocal("copy.jpg", photo, "Marc", when.Add(time.Hour)); err != nil || added || again.ID != l.ID || again.ImportedBy != "Léa" {
		t.Fatalf("re-import = %+v added=%v %v", again, added, err)
	}

	bad := map[string][]byte{
		"empty.jpg":     {},
		"truncated.jpg": photo[:len(photo)/2],
		"notes.txt":     []byte("just some text, not a picture"),
		"photo.tiff":    readFixture(t, "photo.tiff"),
		"photo.bmp":     readFixture(t, "photo.bmp"),
		"logo.svg":      []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"bomb.png":      []byte(pngHeader(100000, 100000)),
	}
	for name, b := range bad {
		_, _, err := st.ImportLocal(name, b, "Léa", when)
		if fault.CodeOf(err) != CodeLocalInvalid {
			t.Errorf("%s: %v, want %s", name, err, CodeLocalInvalid)
			continue
		}
		if p := fault.ToPayload(err); p.Params["name"] != name || p.Params["reason"] == "" {
			t.Errorf("%s: params %v do not name the file and the reason", name, p.Params)
		}
	}

	ix, err := st.Open("cairn")
	if err != nil {
		t.Fatal(err)
	}
	a, ok := ix.Asset(l.ID)
	if !ok || a.Local == nil || ix.SHA(a.Path) != l.SHA256 {
		t.Fatalf("the local photo is not in the index: %+v", a)
	}
	if res := ix.Search(Query{Text: "market"}, now); res.Total != 1 || res.Assets[0].ID != l.ID {
		t.Fatalf("search for the local photo: %+v", res)
	}

	edited, err := st.EditLocal(l.ID, LocalEdit{Title: "Market day", Tags: []string{" Town ", "town", "Summer"}, Focal: &Point{0.3, 0.6}})
	if err != nil || len(edited.Tags) != 2 || edited.Tags[0] != "summer" || edited.Focal.X != 0.3 {
		t.Fatalf("EditLocal = %+v, %v", edited, err)
	}
	if _, err := st.EditLocal(l.ID, LocalEdit{Focal: &Point{1.5, 0}}); fault.CodeOf(err) != CodeLocalInvalid {
		t.Fatalf("focal outside the photo: %v", err)
	}
	if _, err := st.EditLocal("local-nope", LocalEdit{}); fault.CodeOf(err) != CodeLocalNotFound {
		t.Fatalf("editing a missing photo: %v", err)
	}

	if _, err := st.Sweep(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Blob(l.SHA256); err != nil {
		t.Fatalf("Sweep removed a local photo's file: %v", err)
	}
	if err := st.DeleteLocal(l.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Sweep(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Blob(l.SHA256); fault.CodeOf(err) != CodeNotFound {
		t.Fatalf("a deleted photo's file survived Sweep: %v", err)
	}
}
