package pack

import (
	"errors"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
)

// RenditionCache keeps encoded renditions by the SHA-256 of their source
// blob and adapt.Spec.Hash, so that no rendition is computed twice.
// Implementations are safe for concurrent use.
type RenditionCache interface {
	// Rendition returns the bytes kept for the pair; ok is false if none.
	Rendition(srcSHA, specHash string) (b []byte, ok bool, err error)
	// PutRendition keeps b for the pair.
	PutRendition(srcSHA, specHash string, b []byte) error
}

// StoreCache keeps renditions in the local Badger store under
// cache.KeyRendition; library.Store.Sweep drops them with their source.
type StoreCache struct{ c *cache.Cache }

// NewStoreCache keeps renditions in c.
func NewStoreCache(c *cache.Cache) *StoreCache { return &StoreCache{c: c} }

// Rendition reads a kept rendition.
func (s *StoreCache) Rendition(srcSHA, specHash string) ([]byte, bool, error) {
	var b []byte
	err := s.c.DB().View(func(txn *badger.Txn) error {
		item, err := txn.Get(cache.KeyRendition(srcSHA, specHash))
		if err != nil {
			return err
		}
		b, err = item.ValueCopy(nil)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fault.New(fault.Corrupt, CodeCacheFailed, "pack.StoreCache.Rendition").Wrap(err)
	}
	return b, true, nil
}

// PutRendition keeps a rendition.
func (s *StoreCache) PutRendition(srcSHA, specHash string, b []byte) error {
	err := s.c.DB().Update(func(txn *badger.Txn) error {
		return txn.Set(cache.KeyRendition(srcSHA, specHash), b)
	})
	if err != nil {
		return fault.New(fault.Unavailable, CodeCacheFailed, "pack.StoreCache.PutRendition").Wrap(err)
	}
	return nil
}

// MemoryCache keeps renditions in memory, for one export or a test.
type MemoryCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

// NewMemoryCache returns an empty MemoryCache.
func NewMemoryCache() *MemoryCache { return &MemoryCache{m: map[string][]byte{}} }

// Rendition reads a kept rendition.
func (m *MemoryCache) Rendition(srcSHA, specHash string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.m[srcSHA+"/"+specHash]
	return b, ok, nil
}

// PutRendition keeps a rendition.
func (m *MemoryCache) PutRendition(srcSHA, specHash string, b []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[srcSHA+"/"+specHash] = b
	return nil
}

// Len is how many renditions are kept.
func (m *MemoryCache) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}
