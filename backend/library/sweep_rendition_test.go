package library

import (
	"errors"
	"strings"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/cache"
)

// TestSweepDropsRenditionsOfRetiredSources: a rendition is kept while its
// source blob is referenced, and swept with it.
func TestSweepDropsRenditionsOfRetiredSources(t *testing.T) {
	k := newKeys(t, "hq-a")
	pol := Policy{Trust: []Trust{{Library: "cairn", Keys: k.verifiers("hq-a"), Threshold: 1}}, Now: now, Region: "fr"}
	st := openStore(t)
	v1 := release(t, baseFiles(map[string]string{"images/old.jpg": oldJPEG}))
	signDir(t, v1, info(1), k.signers("hq-a")...)
	if _, err := applyDir(t, st, v1, pol); err != nil {
		t.Fatal(err)
	}
	oldSHA := fileEntry("images/old.jpg", oldJPEG).SHA256
	newSHA := fileEntry("images/new.jpg", newJPEG).SHA256
	spec := strings.Repeat("ab", 32)
	oldKey, newKey := cache.KeyRendition(oldSHA, spec), cache.KeyRendition(newSHA, spec)
	if err := st.c.DB().Update(func(txn *badger.Txn) error { return txn.Set(oldKey, []byte("old rendition")) }); err != nil {
		t.Fatal(err)
	}
	if n, err := st.Sweep(); err != nil || n != 0 {
		t.Fatalf("Sweep with v1 trusted removed %d, %v; want nothing", n, err)
	}
	if !hasKey(t, st, oldKey) {
		t.Fatal("Sweep removed the rendition of a referenced blob")
	}

	v2 := release(t, baseFiles(map[string]string{"images/new.jpg": newJPEG}))
	signDir(t, v2, info(2), k.signers("hq-a")...)
	if _, err := applyDir(t, st, v2, pol); err != nil {
		t.Fatal(err)
	}
	if err := st.c.DB().Update(func(txn *badger.Txn) error { return txn.Set(newKey, []byte("new rendition")) }); err != nil {
		t.Fatal(err)
	}
	n, err := st.Sweep()
	if err != nil || n != 3 {
		t.Fatalf("Sweep removed %d, %v; want the retired photo, its rendition and v1's record", n, err)
	}
	if hasKey(t, st, oldKey) {
		t.Error("the rendition of the retired photo survived Sweep")
	}
	if !hasKey(t, st, newKey) {
		t.Error("Sweep removed the rendition of the current photo")
	}
}

func hasKey(t *testing.T, st *Store, key []byte) bool {
	t.Helper()
	err := st.c.DB().View(func(txn *badger.Txn) error {
		_, err := txn.Get(key)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return true
}
