// Package cache is Outpost's local store: one Badger database in the data
// folder, tuned for a desktop, holding the library cache, drafts and the outbox.
package cache

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/task"
)

// Error codes raised by this package.
const (
	CodeLocked       fault.Code = "cache.locked"
	CodeOpenFailed   fault.Code = "cache.open_failed"
	CodeSchemaNewer  fault.Code = "cache.schema_newer"
	CodeNoCacheDir   fault.Code = "cache.no_cache_dir"
	CodeCompactError fault.Code = "cache.compact_failed"
)

// DefaultDataDir is os.UserCacheDir()/Outpost, the data folder when the user
// has not chosen one.
func DefaultDataDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fault.New(fault.Unavailable, CodeNoCacheDir, "cache.DefaultDataDir").Wrap(err)
	}
	return filepath.Join(dir, "Outpost"), nil
}

// DBDir is where the database lives inside a data folder.
func DBDir(dataDir string) string { return filepath.Join(dataDir, "db") }

// Options configure Open.
type Options struct {
	Dir        string        // the database folder (see DBDir)
	Logger     *slog.Logger  // receives Badger's log; nil discards it
	GCInterval time.Duration // how often the value-log GC runs; 0 means 10 minutes
	// Schema is the layout version stamped in meta/schema, for a database
	// with a key table of its own (the hub's); 0 means this file's.
	Schema uint32
}

// Cache is an open database. It is safe for concurrent use.
type Cache struct {
	db  *badger.DB
	dir string
	log *slog.Logger

	stop     chan struct{}
	done     chan struct{}
	closeOne sync.Once
	closeErr error
}

// badgerOptions sizes Badger for a laptop rather than a server. Measured on a
// 500 MB cache of 10,000 × 50 KB values: defaults open in ~270 ms and grow to
// ~1.2 GB RSS; these open in ~30 ms with ~13 MB RSS. ValueThreshold 1 KB keeps
// thumbnails in the value log, not the LSM tree.
func badgerOptions(dir string, log *slog.Logger) badger.Options {
	return badger.DefaultOptions(dir).
		WithLogger(badgerLogger{log}).
		WithValueThreshold(1 << 10).
		WithMemTableSize(8 << 20).
		WithNumMemtables(2).
		WithValueLogFileSize(64 << 20).
		WithBlockCacheSize(16 << 20).
		WithIndexCacheSize(8 << 20).
		WithNumCompactors(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(8).
		// An acknowledged write (a draft edit, a queued submission) must
		// survive a power cut.
		WithSyncWrites(true)
}

// Open opens or creates the database in opts.Dir. When a previous run was
// killed between creating and sizing a value-log or memtable file, Badger
// fails the first Open over the empty .vlog or .mem and succeeds the second
// time (the first sized it); Open retries once in exactly that case. A folder held by another Outpost gives CodeLocked.
func Open(opts Options) (*Cache, error) {
	const op = "cache.Open"
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, fault.New(fault.Unavailable, CodeOpenFailed, op).With("path", opts.Dir).Wrap(err)
	}
	bo := badgerOptions(opts.Dir, log)
	interrupted := hasEmptyLogFile(opts.Dir)
	db, err := badger.Open(bo)
	if err != nil && interrupted && !isLockErr(err) {
		log.Warn("cache: retrying open after an interrupted log file", "dir", opts.Dir, "err", err)
		db, err = badger.Open(bo)
	}
	if err != nil {
		if isLockErr(err) {
			return nil, fault.New(fault.Conflict, CodeLocked, op).With("path", opts.Dir).Wrap(err)
		}
		return nil, fault.New(fault.Unavailable, CodeOpenFailed, op).With("path", opts.Dir).Wrap(err)
	}
	c := &Cache{db: db, dir: opts.Dir, log: log, stop: make(chan struct{}), done: make(chan struct{})}
	schema := opts.Schema
	if schema == 0 {
		schema = schemaVersion
	}
	if err := c.checkSchema(schema); err != nil {
		db.Close()
		return nil, err
	}
	interval := opts.GCInterval
	if interval <= 0 {
		interval = 10 * time.Minute
	}
	go c.gcLoop(interval)
	return c, nil
}

func hasEmptyLogFile(dir string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".vlog") && !strings.HasSuffix(e.Name(), ".mem") {
			continue
		}
		if info, err := e.Info(); err == nil && info.Size() == 0 {
			return true
		}
	}
	return false
}

func isLockErr(err error) bool {
	return errors.Is(err, syscall.EWOULDBLOCK) || strings.Contains(err.Error(), "directory lock")
}

// checkSchema stamps a new database and refuses one written by a newer
// Outpost, whose layout this build cannot know.
func (c *Cache) checkSchema(version uint32) error {
	return c.db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(keySchema)
		if errors.Is(err, badger.ErrKeyNotFound) {
			var v [4]byte
			binary.BigEndian.PutUint32(v[:], version)
			return txn.Set(keySchema, v[:])
		}
		if err != nil {
			return fault.New(fault.Corrupt, CodeOpenFailed, "cache.Open").With("path", c.dir).Wrap(err)
		}
		v, err := item.ValueCopy(nil)
		if err != nil || len(v) != 4 {
			return fault.New(fault.Corrupt, CodeOpenFailed, "cache.Open").With("path", c.dir).Wrap(fmt.Errorf("bad schema record: %v", err))
		}
		if got := binary.BigEndian.Uint32(v); got > version {
			return fault.New(fault.Conflict, CodeSchemaNewer, "cache.Open").With("path", c.dir).With("version", got)
		}
		return nil
	})
}

// gcLoop reclaims value-log space until Close.
func (c *Cache) gcLoop(every time.Duration) {
	defer close(c.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.runGC(c.stop)
		}
	}
}

// runGC rewrites value-log files while at least half of one is garbage.
func (c *Cache) runGC(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		if err := c.db.RunValueLogGC(0.5); err != nil {
			if !errors.Is(err, badger.ErrNoRewrite) && !errors.Is(err, badger.ErrRejected) {
				c.log.Warn("cache: value-log GC", "err", err)
			}
			return
		}
	}
}

// Dir is the database folder.
func (c *Cache) Dir() string { return c.dir }

// DB exposes the database to the packages that keep their records in it.
// They build keys with this package's key functions.
func (c *Cache) DB() *badger.DB { return c.db }

// Stats describes the database's size on disk.
type Stats struct {
	Dir       string `json:"dir"`
	LSMBytes  int64  `json:"lsmBytes"`
	VlogBytes int64  `json:"vlogBytes"`
}

// Stats reports the database's size.
func (c *Cache) Stats() Stats {
	lsm, vlog := c.db.Size()
	return Stats{Dir: c.dir, LSMBytes: lsm, VlogBytes: vlog}
}

// Compact flattens the LSM tree and reclaims value-log space, reporting each
// step. It is the "Compact local data" action in Settings.
func (c *Cache) Compact(ctx context.Context, report task.Reporter) error {
	const op = "cache.Compact"
	steps := []struct {
		phase string
		run   func() error
	}{
		{"flush", func() error { return c.db.Sync() }},
		{"flatten", func() error { return c.db.Flatten(2) }},
		{"gc", func() error { c.runGC(ctx.Done()); return nil }},
	}
	for i, s := range steps {
		if err := ctx.Err(); err != nil {
			return fault.New(fault.Canceled, task.CodeCanceled, op).Wrap(err)
		}
		report(task.Progress{Phase: s.phase, Done: int64(i), Total: int64(len(steps)), Unit: task.UnitSteps})
		if err := s.run(); err != nil {
			return fault.New(fault.Internal, CodeCompactError, op).With("phase", s.phase).Wrap(err)
		}
	}
	report(task.Progress{Phase: "done", Done: int64(len(steps)), Total: int64(len(steps)), Unit: task.UnitSteps})
	return nil
}

// Close stops the GC loop and closes the database. It is safe to call twice.
func (c *Cache) Close() error {
	c.closeOne.Do(func() {
		close(c.stop)
		<-c.done
		c.closeErr = c.db.Close()
	})
	return c.closeErr
}

// badgerLogger routes Badger's log to slog. Badger's Info is chatty
// (compactions, replays), so it goes to Debug.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any) { b.l.Error("badger: " + trim(f, a)) }
func (b badgerLogger) Warningf(f string, a ...any) {
	b.l.Warn("badger: " + trim(f, a))
}
func (b badgerLogger) Infof(f string, a ...any)  { b.l.Debug("badger: " + trim(f, a)) }
func (b badgerLogger) Debugf(f string, a ...any) { b.l.Debug("badger: " + trim(f, a)) }

func trim(f string, a []any) string { return strings.TrimSpace(fmt.Sprintf(f, a...)) }
