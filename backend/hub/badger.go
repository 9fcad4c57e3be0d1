package hub

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
)

// badgerStore is the embedded Store: one Badger database in <dir>/meta,
// opened through backend/cache (the same tuning, interrupted-open retry,
// lock detection and value-log GC as the desktop) with the hub's own key
// table and schema version (keys.go).
type badgerStore struct {
	c   *cache.Cache
	db  *badger.DB
	log *slog.Logger
}

// openBadger opens or creates the metadata database in dir. A folder held
// by another hub gives CodeDataLocked; one written by a newer hub,
// CodeSchemaNewer.
func openBadger(dir string, log *slog.Logger) (*badgerStore, error) {
	const op = "hub.openBadger"
	c, err := cache.Open(cache.Options{Dir: dir, Logger: log, Schema: schemaVersion})
	switch {
	case fault.Is(err, cache.CodeLocked):
		return nil, fault.New(fault.Conflict, CodeDataLocked, op).With("path", dir).Wrap(err)
	case fault.Is(err, cache.CodeSchemaNewer):
		e, _ := fault.As(err)
		return nil, fault.New(fault.Conflict, CodeSchemaNewer, op).With("path", dir).With("version", e.Params["version"]).Wrap(err)
	case err != nil:
		return nil, fault.New(fault.Unavailable, hubapi.CodeUnavailable, op).With("path", dir).Wrap(err)
	}
	return &badgerStore{c: c, db: c.DB(), log: log}, nil
}

// Close stops the GC loop and closes the database. It is safe to call twice.
func (s *badgerStore) Close() error { return s.c.Close() }

// unavailable classifies a storage error; a fault passes as it is.
func unavailable(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := fault.As(err); ok {
		return err
	}
	return fault.New(fault.Unavailable, hubapi.CodeUnavailable, op).Wrap(err)
}

// getJSON decodes the value at key into v; found is false when there is none.
func getJSON(txn *badger.Txn, key []byte, v any) (found bool, err error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, item.Value(func(b []byte) error { return json.Unmarshal(b, v) })
}

func setJSON(txn *badger.Txn, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return txn.Set(key, b)
}

func (s *badgerStore) CreateUser(u UserRecord) error {
	const op = "hub.Store.CreateUser"
	err := s.db.Update(func(txn *badger.Txn) error {
		var old UserRecord
		found, err := getJSON(txn, keyUser(u.Name), &old)
		if err != nil {
			return err
		}
		if found {
			return fault.New(fault.Conflict, hubapi.CodeUserExists, op).With("user", u.Name)
		}
		return setJSON(txn, keyUser(u.Name), u)
	})
	return unavailable(op, err)
}

func (s *badgerStore) User(name string) (UserRecord, error) {
	const op = "hub.Store.User"
	var u UserRecord
	err := s.db.View(func(txn *badger.Txn) error {
		found, err := getJSON(txn, keyUser(name), &u)
		if err == nil && !found {
			return fault.New(fault.NotFound, hubapi.CodeNotFound, op).With("user", name)
		}
		return err
	})
	return u, unavailable(op, err)
}

func (s *badgerStore) Users() ([]UserRecord, error) {
	const op = "hub.Store.Users"
	var out []UserRecord
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefixUser, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var u UserRecord
			if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &u) }); err != nil {
				return err
			}
			out = append(out, u)
		}
		return nil
	})
	return out, unavailable(op, err)
}

// DisableUser commits the disabled flag first, which alone refuses every
// token of the user (authentication reads it), then deletes the token rows
// in batches, however many sessions the user opened.
func (s *badgerStore) DisableUser(name string) error {
	const op = "hub.Store.DisableUser"
	err := s.db.Update(func(txn *badger.Txn) error {
		var u UserRecord
		found, err := getJSON(txn, keyUser(name), &u)
		if err != nil {
			return err
		}
		if !found {
			return fault.New(fault.NotFound, hubapi.CodeNotFound, op).With("user", name)
		}
		if u.Disabled {
			return nil
		}
		u.Disabled = true
		return setJSON(txn, keyUser(name), u)
	})
	if err != nil {
		return unavailable(op, err)
	}
	var keys [][]byte
	err = s.db.View(func(txn *badger.Txn) error {
		prefix := keyUserTokens(name)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().KeyCopy(nil)
			keys = append(keys, k, keyToken(userTokenHash(k, name)))
		}
		return nil
	})
	if err != nil {
		return unavailable(op, err)
	}
	return unavailable(op, s.deleteKeys(keys))
}

func (s *badgerStore) deleteKeys(keys [][]byte) error {
	if len(keys) == 0 {
		return nil
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, k := range keys {
		if err := wb.Delete(k); err != nil {
			return err
		}
	}
	return wb.Flush()
}

func (s *badgerStore) PutToken(t TokenRecord) error {
	const op = "hub.Store.PutToken"
	err := s.db.Update(func(txn *badger.Txn) error {
		if err := setJSON(txn, keyToken(t.Hash), t); err != nil {
			return err
		}
		return txn.Set(keyUserToken(t.User, t.Hash), nil)
	})
	return unavailable(op, err)
}

func (s *badgerStore) Token(hash string) (TokenRecord, error) {
	const op = "hub.Store.Token"
	t := TokenRecord{Hash: hash}
	err := s.db.View(func(txn *badger.Txn) error {
		found, err := getJSON(txn, keyToken(hash), &t)
		if err == nil && !found {
			return fault.New(fault.NotFound, hubapi.CodeNotFound, op)
		}
		return err
	})
	return t, unavailable(op, err)
}

func (s *badgerStore) DeleteToken(hash string) error {
	const op = "hub.Store.DeleteToken"
	err := s.db.Update(func(txn *badger.Txn) error {
		var t TokenRecord
		found, err := getJSON(txn, keyToken(hash), &t)
		if err != nil || !found {
			return err
		}
		if err := txn.Delete(keyToken(hash)); err != nil {
			return err
		}
		return txn.Delete(keyUserToken(t.User, hash))
	})
	return unavailable(op, err)
}

func (s *badgerStore) DeleteExpiredTokens(user string, now time.Time) error {
	const op = "hub.Store.DeleteExpiredTokens"
	var keys [][]byte
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: keyUserTokens(user)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().KeyCopy(nil)
			hash := userTokenHash(k, user)
			var t TokenRecord
			found, err := getJSON(txn, keyToken(hash), &t)
			if err != nil {
				return err
			}
			if !found || !now.Before(t.Expires) {
				keys = append(keys, k, keyToken(hash))
			}
		}
		return nil
	})
	if err != nil {
		return unavailable(op, err)
	}
	return unavailable(op, s.deleteKeys(keys))
}

// latestVersion is the newest stored version of a library, 0 if none.
func latestVersion(txn *badger.Txn, lib string) (uint64, []byte, error) {
	prefix := keyReleases(lib)
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true, PrefetchValues: false})
	defer it.Close()
	it.Seek(append(append([]byte{}, prefix...), bytes.Repeat([]byte{0xff}, 8)...))
	if !it.Valid() {
		return 0, nil, nil
	}
	k := it.Item().Key()
	if len(k) != len(prefix)+8 {
		return 0, nil, fmt.Errorf("hub: bad release key %q", k)
	}
	v, err := it.Item().ValueCopy(nil)
	return binary.BigEndian.Uint64(k[len(prefix):]), v, err
}

// AddRelease writes the region index of the blobs first, in batches (a
// release may list 100,000 files), then the release head and its note in one
// transaction: until that commits, no listing names the release. A crash in
// between leaves index rows for blobs that were verified and signed for those
// regions, nothing more.
func (s *badgerStore) AddRelease(r ReleaseRecord) error {
	const op = "hub.Store.AddRelease"
	h := r.Head
	taken := func(txn *badger.Txn) error {
		v, _, err := latestVersion(txn, h.Library)
		if err != nil {
			return err
		}
		if v >= h.Version {
			return fault.New(fault.Conflict, library.CodeRollback, op).With("version", h.Version).With("trusted", v)
		}
		return nil
	}
	if err := s.db.View(taken); err != nil {
		return unavailable(op, err)
	}
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	for _, sha := range r.Blobs {
		for _, region := range h.Regions {
			if err := wb.Set(keyBlobRegion(sha, region), nil); err != nil {
				return unavailable(op, err)
			}
		}
	}
	if err := wb.Flush(); err != nil {
		return unavailable(op, err)
	}
	err := s.db.Update(func(txn *badger.Txn) error {
		if err := taken(txn); err != nil {
			return err
		}
		if err := setJSON(txn, keyRelease(h.Library, h.Version), r); err != nil {
			return err
		}
		return txn.Set(keyNote(h.Library, h.Version), r.Note)
	})
	return unavailable(op, err)
}

func (s *badgerStore) Latest(lib string) (ReleaseRecord, bool, error) {
	const op = "hub.Store.Latest"
	var r ReleaseRecord
	var found bool
	err := s.db.View(func(txn *badger.Txn) error {
		v, val, err := latestVersion(txn, lib)
		if err != nil || v == 0 {
			return err
		}
		found = true
		return json.Unmarshal(val, &r)
	})
	return r, found, unavailable(op, err)
}

func (s *badgerStore) Libraries() ([]ReleaseRecord, error) {
	all, err := s.Releases()
	if err != nil {
		return nil, err
	}
	var out []ReleaseRecord
	for _, r := range all { // by library, then version: the last of a run is the latest
		if n := len(out); n > 0 && out[n-1].Head.Library == r.Head.Library {
			out[n-1] = r
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *badgerStore) Releases() ([]ReleaseRecord, error) {
	const op = "hub.Store.Releases"
	var out []ReleaseRecord
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefixRelease, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var r ReleaseRecord
			if err := it.Item().Value(func(b []byte) error { return json.Unmarshal(b, &r) }); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, unavailable(op, err)
}

func (s *badgerStore) Note(lib string, version uint64) ([]byte, error) {
	const op = "hub.Store.Note"
	var note []byte
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(keyNote(lib, version))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fault.New(fault.NotFound, hubapi.CodeNotFound, op).With("library", lib)
		}
		if err != nil {
			return err
		}
		note, err = item.ValueCopy(nil)
		return err
	})
	return note, unavailable(op, err)
}

func (s *badgerStore) BlobServes(sha, region string) (bool, error) {
	const op = "hub.Store.BlobServes"
	var ok bool
	err := s.db.View(func(txn *badger.Txn) error {
		if region == hubapi.AllRegions {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: keyBlobRegions(sha)})
			defer it.Close()
			it.Rewind()
			ok = it.Valid()
			return nil
		}
		_, err := txn.Get(keyBlobRegion(sha, region))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		ok = err == nil
		return err
	})
	return ok, unavailable(op, err)
}
