package library

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
)

// Codes of the office's own photos.
const (
	CodeLocalNotFound fault.Code = "library.local_not_found" // {id}
	CodeLocalInvalid  fault.Code = "library.local_invalid"   // {name, reason}
	CodeLocalTags     fault.Code = "library.local_tags"      // {max}
)

// Limits of what a local photo carries.
const (
	MaxLocalTags     = 30
	MaxLocalTagLen   = 40
	MaxLocalTitleLen = 120
	// LocalPrefix starts the id of every local photo and the path it
	// takes in an Index, so it never meets an HQ asset id.
	LocalPrefix = "local-"
)

// Local is a photo the office imported itself: stored content-addressed
// beside HQ's files, marked with who imported it and when. It is not part
// of any signed release, so the brand check treats it as an import.
type Local struct {
	ID         string    `json:"id"` // LocalPrefix + the first 16 hex digits of its SHA-256
	SHA256     string    `json:"sha256"`
	Name       string    `json:"name"`   // the file's name when imported
	Format     string    `json:"format"` // as sniffed, whatever the extension said
	Width      int       `json:"width"`  // upright
	Height     int       `json:"height"` // upright
	Bytes      int64     `json:"bytes"`
	Animated   bool      `json:"animated"`
	Title      string    `json:"title"`
	Tags       []string  `json:"tags"`
	Focal      *Point    `json:"focal,omitempty"`
	ImportedBy string    `json:"importedBy"`
	ImportedAt time.Time `json:"importedAt"`
}

// localGen counts changes to local photos, so cached indexes know to
// rebuild.
var localGen atomic.Uint64

// LocalGeneration changes whenever a local photo is added, edited or removed.
func (s *Store) LocalGeneration() uint64 { return localGen.Load() }

// ImportLocal decodes b in full (a truncated or lying file is refused
// here, not at export), stores it and records it. Importing the same bytes
// again returns the existing photo unchanged.
func (s *Store) ImportLocal(name string, b []byte, by string, now time.Time) (*Local, bool, error) {
	const op = "library.ImportLocal"
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	_, info, err := adapt.Decode(b, adapt.DefaultLimits())
	if err != nil {
		return nil, false, fault.New(fault.Invalid, CodeLocalInvalid, op).With("name", name).With("reason", string(fault.CodeOf(err))).Wrap(err)
	}
	sum := sha256.Sum256(b)
	sha := hex.EncodeToString(sum[:])
	id := LocalPrefix + sha[:16]
	if old, err := s.Local(id); err == nil {
		return old, false, nil
	} else if !fault.Is(err, CodeLocalNotFound) {
		return nil, false, err
	}
	title := strings.TrimSuffix(name, filepath.Ext(name))
	title = strings.Join(strings.FieldsFunc(title, func(r rune) bool { return r == '_' || r == '-' || r == ' ' }), " ")
	l := &Local{
		ID: id, SHA256: sha, Name: name, Format: info.Format, Width: info.Width, Height: info.Height,
		Bytes: int64(len(b)), Animated: info.Animated, Title: truncate(title, MaxLocalTitleLen), Tags: []string{},
		ImportedBy: by, ImportedAt: now.UTC(),
	}
	v, err := json.Marshal(l)
	if err != nil {
		return nil, false, fault.New(fault.Internal, CodeStoreWriteFailed, op).Wrap(err)
	}
	err = s.c.DB().Update(func(txn *badger.Txn) error {
		if err := txn.Set(cache.KeyBlob(sha), b); err != nil {
			return err
		}
		return txn.Set(cache.KeyLocal(id), v)
	})
	if err != nil {
		return nil, false, fault.New(fault.Unavailable, CodeStoreWriteFailed, op).Wrap(err)
	}
	localGen.Add(1)
	return l, true, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Local returns one local photo.
func (s *Store) Local(id string) (*Local, error) {
	var l *Local
	err := s.c.DB().View(func(txn *badger.Txn) error {
		item, err := txn.Get(cache.KeyLocal(id))
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			l = new(Local)
			return json.Unmarshal(v, l)
		})
	})
	if errors.Is(err, badger.ErrKeyNotFound) || (err == nil && l == nil) || !strings.HasPrefix(id, LocalPrefix) {
		return nil, fault.New(fault.NotFound, CodeLocalNotFound, "library.Local").With("id", id)
	}
	if err != nil {
		return nil, fault.New(fault.Corrupt, CodeStoreCorrupt, "library.Local").Wrap(err)
	}
	return l, nil
}

// Locals lists the office's photos, newest first.
func (s *Store) Locals() ([]Local, error) {
	var out []Local
	err := s.c.DB().View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: cache.PrefixLocal, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var l Local
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &l) }); err != nil {
				return err
			}
			out = append(out, l)
		}
		return nil
	})
	if err != nil {
		return nil, fault.New(fault.Corrupt, CodeStoreCorrupt, "library.Locals").Wrap(err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].ImportedAt.Equal(out[j].ImportedAt) {
			return out[i].ImportedAt.After(out[j].ImportedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// LocalEdit is what the office may change of its photo.
type LocalEdit struct {
	Title string   `json:"title"`
	Tags  []string `json:"tags"`
	Focal *Point   `json:"focal"` // nil: no focal point, a smart crop decides
}

// EditLocal changes a local photo's title, tags and focal point.
func (s *Store) EditLocal(id string, e LocalEdit) (*Local, error) {
	const op = "library.EditLocal"
	tags, err := cleanTags(e.Tags)
	if err != nil {
		return nil, err
	}
	if e.Focal != nil && !(e.Focal.X >= 0 && e.Focal.X <= 1 && e.Focal.Y >= 0 && e.Focal.Y <= 1) {
		return nil, fault.New(fault.Invalid, CodeLocalInvalid, op).With("name", id).With("reason", "focal")
	}
	var out *Local
	err = s.c.DB().Update(func(txn *badger.Txn) error {
		item, err := txn.Get(cache.KeyLocal(id))
		if err != nil {
			return err
		}
		l := new(Local)
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, l) }); err != nil {
			return err
		}
		l.Title = truncate(strings.TrimSpace(e.Title), MaxLocalTitleLen)
		l.Tags, l.Focal = tags, e.Focal
		v, err := json.Marshal(l)
		if err != nil {
			return err
		}
		out = l
		return txn.Set(cache.KeyLocal(id), v)
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, fault.New(fault.NotFound, CodeLocalNotFound, op).With("id", id)
	}
	if err != nil {
		return nil, fault.New(fault.Unavailable, CodeStoreWriteFailed, op).Wrap(err)
	}
	localGen.Add(1)
	return out, nil
}

func cleanTags(in []string) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	for _, t := range in {
		t = strings.ToLower(strings.Join(strings.Fields(t), " "))
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, truncate(t, MaxLocalTagLen))
	}
	if len(out) > MaxLocalTags {
		return nil, fault.New(fault.Invalid, CodeLocalTags, "library.EditLocal").With("max", MaxLocalTags)
	}
	sort.Strings(out)
	return out, nil
}

// DeleteLocal forgets a local photo; its file goes at the next Sweep.
func (s *Store) DeleteLocal(id string) error {
	if _, err := s.Local(id); err != nil {
		return err
	}
	if err := s.c.DB().Update(func(txn *badger.Txn) error { return txn.Delete(cache.KeyLocal(id)) }); err != nil {
		return fault.New(fault.Unavailable, CodeStoreWriteFailed, "library.DeleteLocal").Wrap(err)
	}
	localGen.Add(1)
	return nil
}

// asset presents a local photo as an asset of an Index.
func (l Local) asset() Asset {
	title := Localized{"*": l.Title}
	return Asset{
		ID: l.ID, Kind: AssetImage, Path: "local/" + l.SHA256, Width: l.Width, Height: l.Height,
		Title: title, Alt: Localized{}, Tags: append([]string{"local"}, l.Tags...), Focal: l.Focal,
		Credit: Credit{Author: l.ImportedBy, Source: "local import " + l.ImportedAt.Format(time.DateOnly)},
		Local:  &LocalMeta{By: l.ImportedBy, At: l.ImportedAt, Name: l.Name, Format: l.Format},
	}
}

// WithLocals adds the office's photos to a copy of ix, after HQ's assets.
func (ix *Index) WithLocals(locals []Local) *Index {
	if len(locals) == 0 {
		return ix
	}
	c := *ix.Content
	c.Assets = append(append([]Asset(nil), ix.Content.Assets...), make([]Asset, 0, len(locals))...)
	m := &Manifest{}
	for p, sha := range ix.shas {
		m.Files = append(m.Files, File{Path: p, SHA256: sha})
	}
	for _, l := range locals {
		c.Assets = append(c.Assets, l.asset())
		m.Files = append(m.Files, File{Path: "local/" + l.SHA256, SHA256: l.SHA256})
	}
	return NewIndex(ix.Record, m, &c)
}

// localSHAs lists the blobs local photos keep, for Sweep.
func (s *Store) localSHAs() (map[string]bool, error) {
	locals, err := s.Locals()
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(locals))
	for _, l := range locals {
		out[l.SHA256] = true
	}
	return out, nil
}
