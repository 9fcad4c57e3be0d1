package library

import (
	"encoding/json"
	"path"
	"strings"
	"testing"
)

// FuzzCheckPath: whatever CheckPath accepts is relative, clean, free of
// control characters and backslashes, and stays inside the release.
func FuzzCheckPath(f *testing.F) {
	for _, s := range []string{"images/lake.jpg", "../x", "/abs", `a\b`, "C:/x", "a/./b", "a//b", "a/b.", "nul\x00", "é/ü.jpg", "a/b/c/d.png", "..", ".", "con:stream"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if CheckPath(p) != nil {
			return
		}
		if path.IsAbs(p) || strings.ContainsAny(p, "\\:\x00") || path.Clean(p) != p || p == "." {
			t.Fatalf("accepted unsafe path %q", p)
		}
		for _, el := range strings.Split(p, "/") {
			if el == ".." || el == "." || el == "" {
				t.Fatalf("accepted escaping or empty element in %q", p)
			}
		}
		for _, r := range p {
			if r < 0x20 {
				t.Fatalf("accepted control character in %q", p)
			}
		}
	})
}

// FuzzVerifyManifest: arbitrary bytes in release.note never panic, and a
// note that verifies is one this key signed.
func FuzzVerifyManifest(f *testing.F) {
	skey, vkey, err := GenerateKey("hq-fuzz")
	if err != nil {
		f.Fatal(err)
	}
	m := &Manifest{Format: 1, Library: "cairn", Name: "C", Regions: []string{"fr"}, Version: 3, Created: t0, Expires: expires,
		Files: []File{fileEntry(ContentFile, "{}")}}
	good, err := Sign(m, skey)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("{}\n\n— hq-fuzz AAAA\n"))
	f.Add([]byte(""))
	f.Add([]byte("not a note"))
	pol := Policy{Trust: []Trust{{Library: "cairn", Keys: []string{vkey}, Threshold: 1}}, Now: now}
	f.Fuzz(func(t *testing.T, b []byte) {
		mf, err := VerifyManifest(b, pol)
		if err != nil {
			return
		}
		if mf.Manifest.Library != "cairn" || len(mf.Signers) == 0 {
			t.Fatalf("verified a manifest nobody pinned signed: %+v", mf)
		}
		if _, err := json.Marshal(mf.Manifest); err != nil {
			t.Fatal(err)
		}
	})
}
