package library

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/task"
)

// Store keeps trusted releases in the local cache: blobs by SHA-256 and one
// record per library naming its trusted release.
//
// Applying a release is atomic. Its blobs are written first; they are
// content-addressed, so a crash there leaves only unreferenced blobs beside
// the old release. Then one transaction replaces the library's record: before
// it commits the old release is trusted, after it the new one. Nothing can
// see a mix.
type Store struct {
	c *cache.Cache
}

// NewStore keeps releases in c.
func NewStore(c *cache.Cache) *Store { return &Store{c: c} }

// Record is what the store keeps of a library's trusted release.
type Record struct {
	Library     string    `json:"library"`
	Name        string    `json:"name"`
	Version     uint64    `json:"version"`
	Regions     []string  `json:"regions"`
	Expires     time.Time `json:"expires"`
	ManifestSHA string    `json:"manifestSha"`
	ContentSHA  string    `json:"contentSha"`
	Note        []byte    `json:"note"` // release.note as verified, kept to re-verify
	Signers     []string  `json:"signers"`
	AppliedAt   time.Time `json:"appliedAt"`
}

// Record returns a library's trusted release, or nil when there is none.
func (s *Store) Record(library string) (*Record, error) {
	return s.readRecord(cache.KeyRelease(library), library, "library.Store.Record")
}

// readRecord reads the record at key, nil when there is none.
func (s *Store) readRecord(key []byte, library, op string) (*Record, error) {
	var rec *Record
	err := s.c.DB().View(func(txn *badger.Txn) error {
		item, err := txn.Get(key)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			rec = new(Record)
			return json.Unmarshal(v, rec)
		})
	})
	if err != nil {
		return nil, fault.New(fault.Corrupt, CodeStoreCorrupt, op).With("library", library).Wrap(err)
	}
	return rec, nil
}

// Records lists every library's trusted release, by library id.
func (s *Store) Records() ([]Record, error) {
	var out []Record
	err := s.c.DB().View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: cache.PrefixRelease, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var r Record
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &r) }); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fault.New(fault.Corrupt, CodeStoreCorrupt, "library.Store.Records").Wrap(err)
	}
	return out, nil
}

// Trusted is the Policy.Current of this store.
func (s *Store) Trusted(library string) (*Trusted, error) {
	rec, err := s.Record(library)
	if err != nil || rec == nil {
		return nil, err
	}
	return &Trusted{Version: rec.Version, ManifestSHA: rec.ManifestSHA}, nil
}

// Apply verifies the release in src under pol (whose Current is this store's)
// and makes it the library's trusted release. report follows the files.
// A release the store already trusts returns (record, nil) unchanged.
func (s *Store) Apply(src Source, pol Policy, report task.Reporter) (*Record, error) {
	const op = "library.Store.Apply"
	pol.Current = s.Trusted
	if report == nil {
		report = func(task.Progress) {}
	}
	wb := s.c.DB().NewWriteBatch()
	defer wb.Cancel()
	var pending int64
	rel, err := Verify(src, pol, func(i, n int, f File, b []byte) error {
		if err := checkImage(f.Path, b); err != nil {
			return err
		}
		if exists, err := s.HasBlob(f.SHA256); err != nil {
			return err
		} else if !exists {
			if err := wb.Set(cache.KeyBlob(f.SHA256), b); err != nil {
				return fault.New(fault.Unavailable, CodeStoreWriteFailed, op).Wrap(err)
			}
			pending += int64(len(b))
			if pending > 32<<20 { // bound what the batch holds in memory
				if err := wb.Flush(); err != nil {
					return fault.New(fault.Unavailable, CodeStoreWriteFailed, op).Wrap(err)
				}
				wb = s.c.DB().NewWriteBatch()
				pending = 0
			}
		}
		report(task.Progress{Phase: "verify", Done: int64(i + 1), Total: int64(n), Unit: task.UnitFiles})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rel.Unchanged {
		return s.Record(rel.Manifest.Library)
	}
	if err := wb.Flush(); err != nil {
		return nil, fault.New(fault.Unavailable, CodeStoreWriteFailed, op).Wrap(err)
	}
	sum := sha256.Sum256(rel.ContentRaw)
	rec := &Record{
		Library:     rel.Manifest.Library,
		Name:        rel.Manifest.Name,
		Version:     rel.Manifest.Version,
		Regions:     rel.Manifest.Regions,
		Expires:     rel.Manifest.Expires,
		ManifestSHA: rel.ManifestSHA,
		ContentSHA:  hex.EncodeToString(sum[:]),
		Note:        rel.Note,
		Signers:     rel.Signers,
		AppliedAt:   time.Now().UTC(),
	}
	v, err := json.Marshal(rec)
	if err != nil {
		return nil, fault.New(fault.Internal, CodeStoreWriteFailed, op).Wrap(err)
	}
	report(task.Progress{Phase: "switch", Done: 0, Total: 1, Unit: task.UnitSteps})
	// The switch: one small synced transaction.
	err = s.c.DB().Update(func(txn *badger.Txn) error {
		if err := txn.Set(cache.KeyReleaseVersion(rec.Library, rec.Version), v); err != nil {
			return err
		}
		return txn.Set(cache.KeyRelease(rec.Library), v)
	})
	if err != nil {
		return nil, fault.New(fault.Unavailable, CodeStoreWriteFailed, op).Wrap(err)
	}
	report(task.Progress{Phase: "switch", Done: 1, Total: 1, Unit: task.UnitSteps})
	return rec, nil
}

// HasBlob reports whether the store holds a blob (its bytes are checked only
// when read).
func (s *Store) HasBlob(sha string) (bool, error) {
	var ok bool
	err := s.c.DB().View(func(txn *badger.Txn) error {
		_, err := txn.Get(cache.KeyBlob(sha))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		ok = err == nil
		return err
	})
	return ok, err
}

// Blob returns the bytes of a blob after checking them against their hash:
// a damaged cache never hands out wrong bytes.
func (s *Store) Blob(sha string) ([]byte, error) {
	const op = "library.Store.Blob"
	var b []byte
	err := s.c.DB().View(func(txn *badger.Txn) error {
		item, err := txn.Get(cache.KeyBlob(sha))
		if err != nil {
			return err
		}
		b, err = item.ValueCopy(nil)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fault.New(fault.NotFound, CodeNotFound, op).With("sha256", sha)
	}
	if err != nil {
		return nil, fault.New(fault.Corrupt, CodeStoreCorrupt, op).Wrap(err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != sha {
		return nil, fault.New(fault.Corrupt, CodeBlobCorrupt, op).With("sha256", sha)
	}
	return b, nil
}

// Content returns the library.json of a library's trusted release.
func (s *Store) Content(rec *Record) (*Content, error) {
	m, err := rec.Manifest()
	if err != nil {
		return nil, err
	}
	return s.content(rec, m)
}

func (s *Store) content(rec *Record, m *Manifest) (*Content, error) {
	raw, err := s.Blob(rec.ContentSHA)
	if err != nil {
		return nil, err
	}
	return ParseContent(raw, m.Files)
}

// Version returns one version of a library's releases: the trusted one or
// an older one kept for the drafts pinned to it. Nil when the store never
// trusted that version or has swept it.
func (s *Store) Version(library string, version uint64) (*Record, error) {
	cur, err := s.Record(library)
	if err != nil || (cur != nil && cur.Version == version) {
		return cur, err
	}
	return s.readRecord(cache.KeyReleaseVersion(library, version), library, "library.Store.Version")
}

// OpenVersion loads one version of a library's releases, as Version finds it.
func (s *Store) OpenVersion(library string, version uint64) (*Index, error) {
	rec, err := s.Version(library, version)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, fault.New(fault.NotFound, CodeVersionGone, "library.Store.OpenVersion").With("library", library).With("version", version)
	}
	m, err := rec.Manifest()
	if err != nil {
		return nil, err
	}
	c, err := s.content(rec, m)
	if err != nil {
		return nil, err
	}
	return s.withLocals(NewIndex(*rec, m, c))
}

// withLocals adds the office's photos to ix.
func (s *Store) withLocals(ix *Index) (*Index, error) {
	locals, err := s.Locals()
	if err != nil {
		return nil, err
	}
	return ix.WithLocals(locals), nil
}

// Pin names a release version something still depends on (a campaign draft).
type Pin struct {
	Library string
	Version uint64
}

// Manifest decodes the record's signed manifest (verified when applied).
func (r *Record) Manifest() (*Manifest, error) {
	text := r.Note
	if i := bytes.LastIndex(text, []byte("\n\n— ")); i >= 0 {
		text = text[:i+1]
	}
	var m Manifest
	if err := json.Unmarshal(text, &m); err != nil {
		return nil, fault.New(fault.Corrupt, CodeStoreCorrupt, "library.Record.Manifest").With("library", r.Library).Wrap(err)
	}
	return &m, nil
}

// Sweep deletes blobs, thumbnails and renditions that neither a trusted release nor a
// pinned older version references, the leftovers of replaced releases and
// interrupted imports, and forgets older versions nothing pins. It returns
// how many keys it removed.
func (s *Store) Sweep(pins ...Pin) (int, error) {
	const op = "library.Store.Sweep"
	recs, err := s.Records()
	if err != nil {
		return 0, err
	}
	current := map[Pin]bool{}
	for _, r := range recs {
		current[Pin{r.Library, r.Version}] = true
	}
	pinned := map[Pin]bool{}
	for _, p := range pins {
		if current[p] || pinned[p] {
			continue
		}
		pinned[p] = true
		r, err := s.Version(p.Library, p.Version)
		if err != nil {
			return 0, err
		}
		if r != nil {
			recs = append(recs, *r)
		}
	}
	keep, err := s.localSHAs()
	if err != nil {
		return 0, err
	}
	for _, r := range recs {
		m, err := r.Manifest()
		if err != nil {
			return 0, err
		}
		for _, f := range m.Files {
			keep[f.SHA256] = true
		}
	}
	var doomed [][]byte
	err = s.c.DB().View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: cache.PrefixRelVer})
		for it.Rewind(); it.Valid(); it.Next() {
			var r Record
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &r) }); err != nil {
				it.Close()
				return err
			}
			if p := (Pin{r.Library, r.Version}); !current[p] && !pinned[p] {
				doomed = append(doomed, it.Item().KeyCopy(nil))
			}
		}
		it.Close()
		for _, prefix := range [][]byte{cache.PrefixBlob, cache.PrefixThumb, cache.PrefixRendition} {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			for it.Rewind(); it.Valid(); it.Next() {
				k := it.Item().Key()
				if len(k) < len(prefix)+64 {
					continue
				}
				if !keep[string(k[len(prefix):len(prefix)+64])] {
					doomed = append(doomed, it.Item().KeyCopy(nil))
				}
			}
			it.Close()
		}
		return nil
	})
	if err != nil {
		return 0, fault.New(fault.Corrupt, CodeStoreCorrupt, op).Wrap(err)
	}
	wb := s.c.DB().NewWriteBatch()
	defer wb.Cancel()
	for _, k := range doomed {
		if err := wb.Delete(k); err != nil {
			return 0, fault.New(fault.Unavailable, CodeStoreWriteFailed, op).Wrap(err)
		}
	}
	if err := wb.Flush(); err != nil {
		return 0, fault.New(fault.Unavailable, CodeStoreWriteFailed, op).Wrap(err)
	}
	return len(doomed), nil
}

// Open loads a library's trusted release for browsing.
func (s *Store) Open(library string) (*Index, error) {
	rec, err := s.Record(library)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, fault.New(fault.NotFound, CodeNoCurrentRelease, "library.Store.Open").With("library", library)
	}
	m, err := rec.Manifest()
	if err != nil {
		return nil, err
	}
	c, err := s.content(rec, m)
	if err != nil {
		return nil, err
	}
	return s.withLocals(NewIndex(*rec, m, c))
}

// Thumbnail returns a JPEG thumbnail of an image blob that fits side × side,
// made once from a guarded decode and then kept by source hash and side.
func (s *Store) Thumbnail(sha string, side int) ([]byte, error) {
	const op = "library.Store.Thumbnail"
	key := cache.KeyThumb(sha, side)
	var out []byte
	err := s.c.DB().View(func(txn *badger.Txn) error {
		item, err := txn.Get(key)
		if err != nil {
			return err
		}
		out, err = item.ValueCopy(nil)
		return err
	})
	if err == nil {
		return out, nil
	}
	if !errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fault.New(fault.Corrupt, CodeStoreCorrupt, op).Wrap(err)
	}
	src, err := s.Blob(sha)
	if err != nil {
		return nil, err
	}
	out, _, err = adapt.EncodeThumbnail(src, side, adapt.DefaultLimits())
	if err != nil {
		return nil, err
	}
	// Keeping it is an optimisation: a failed write is made good next time.
	_ = s.c.DB().Update(func(txn *badger.Txn) error { return txn.Set(key, out) })
	return out, nil
}

// checkImage reads the header of every picture in a release, so that a
// pixel bomb or a broken image is refused at import, before the switch,
// rather than failing later in the grid.
func checkImage(p string, b []byte) error {
	switch strings.ToLower(path.Ext(p)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp":
	default:
		return nil
	}
	if _, err := adapt.DecodeConfig(b, adapt.DefaultLimits()); err != nil {
		return fault.New(fault.Corrupt, CodeImageInvalid, "library.checkImage").With("path", p).With("reason", string(fault.CodeOf(err))).Wrap(err)
	}
	return nil
}
