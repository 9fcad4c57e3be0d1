package library

import (
	"testing"

	"github.com/outpost-studio/outpost/backend/fault"
)

// TestPinnedVersionSurvivesANewerRelease: a draft pinned to v1 still opens
// v1 after v2 is applied, with v1's files, as long as Sweep is told about
// the pin; once unpinned, Sweep forgets v1 and its retired files.
func TestPinnedVersionSurvivesANewerRelease(t *testing.T) {
	k := newKeys(t, "hq-a")
	pol := Policy{Trust: []Trust{{Library: "cairn", Keys: k.verifiers("hq-a"), Threshold: 1}}, Now: now, Region: "fr"}
	st := openStore(t)
	v1 := release(t, baseFiles(map[string]string{"images/old.jpg": oldJPEG}))
	signDir(t, v1, info(1), k.signers("hq-a")...)
	if _, err := applyDir(t, st, v1, pol); err != nil {
		t.Fatal(err)
	}
	v2 := release(t, baseFiles(map[string]string{"images/new.jpg": newJPEG}))
	signDir(t, v2, info(2), k.signers("hq-a")...)
	if _, err := applyDir(t, st, v2, pol); err != nil {
		t.Fatal(err)
	}

	n, err := st.Sweep(Pin{"cairn", 1})
	if err != nil || n != 0 {
		t.Fatalf("Sweep with v1 pinned removed %d, %v; want nothing", n, err)
	}
	ix, err := st.OpenVersion("cairn", 1)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Record.Version != 1 || ix.SHA("images/old.jpg") == "" || ix.SHA("images/new.jpg") != "" {
		t.Fatalf("OpenVersion(1) = version %d with old %q new %q", ix.Record.Version, ix.SHA("images/old.jpg"), ix.SHA("images/new.jpg"))
	}
	if b, err := st.Blob(ix.SHA("images/old.jpg")); err != nil || string(b) != oldJPEG {
		t.Fatalf("pinned version's photo: %v", err)
	}
	cur, err := st.OpenVersion("cairn", 2)
	if err != nil || cur.Record.Version != 2 {
		t.Fatalf("OpenVersion(2) = %+v, %v", cur, err)
	}

	if n, err := st.Sweep(); err != nil || n != 2 {
		t.Fatalf("Sweep without pins removed %d, %v; want v1's record and photo", n, err)
	}
	if _, err := st.OpenVersion("cairn", 1); fault.CodeOf(err) != CodeVersionGone {
		t.Fatalf("OpenVersion of a swept version: %v, want %s", err, CodeVersionGone)
	}
	if _, err := st.OpenVersion("cairn", 3); fault.CodeOf(err) != CodeVersionGone {
		t.Fatalf("OpenVersion of an unknown version: %v", err)
	}
}
