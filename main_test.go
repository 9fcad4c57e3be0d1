package main

import (
	"os"
	"testing"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"

	// The design card's libraries, required before their first feature uses
	// them, so that go mod tidy keeps the pins below.
	_ "github.com/disintegration/imaging"
	_ "github.com/yuin/goldmark"
	_ "golang.org/x/image/webp"
)

// TestDependencyPins fails when go mod tidy or a careless go get moves a pin:
// the proxy's @latest for Wails (v2.9.2) does not build with Go 1.26, and
// imaging alone would pull a 2019 golang.org/x/image with known CVEs.
func TestDependencyPins(t *testing.T) {
	b, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", b, nil)
	if err != nil {
		t.Fatal(err)
	}
	pins := []struct {
		path, min string
		exact     bool
	}{
		{"github.com/wailsapp/wails/v2", "v2.16.0", true},
		{"github.com/dgraph-io/badger/v4", "v4.9.6", false},
		{"github.com/yuin/goldmark", "v1.8.7", false},
		{"github.com/disintegration/imaging", "v1.6.2", true},
		{"golang.org/x/image", "v0.45.0", false},
	}
	for _, p := range pins {
		var found bool
		for _, r := range f.Require {
			if r.Mod.Path != p.path {
				continue
			}
			found = true
			if r.Indirect {
				t.Errorf("%s is required only indirectly; require it directly", p.path)
			}
			if p.exact && r.Mod.Version != p.min {
				t.Errorf("%s is at %s, want exactly %s", p.path, r.Mod.Version, p.min)
			}
			if semver.Compare(r.Mod.Version, p.min) < 0 {
				t.Errorf("%s is at %s, want at least %s", p.path, r.Mod.Version, p.min)
			}
		}
		if !found {
			t.Errorf("go.mod does not require %s", p.path)
		}
	}
}
