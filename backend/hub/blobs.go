package hub

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// blobStore keeps release files content-addressed under dir as ab/<sha256>.
// A blob is written to a temporary file, synced, then renamed into place, so
// a blob file is always whole; only verified bytes are ever written.
type blobStore struct {
	dir string
	tmp string // same file system, for the temporary files
}

func (b *blobStore) path(sha string) string { return filepath.Join(b.dir, sha[:2], sha) }

// put stores verified bytes under their SHA-256, unless a whole copy is
// already there.
func (b *blobStore) put(sha string, data []byte) error {
	const op = "hub.blobStore.put"
	fail := func(err error) error {
		return fault.New(fault.Unavailable, hubapi.CodeUnavailable, op).With("sha256", sha).Wrap(err)
	}
	final := b.path(sha)
	if info, err := os.Stat(final); err == nil && info.Size() == int64(len(data)) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return fail(err)
	}
	f, err := os.CreateTemp(b.tmp, "blob-*")
	if err != nil {
		return fail(err)
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(f.Name(), final); err != nil {
		return fail(err)
	}
	syncDir(filepath.Dir(final))
	return nil
}

// open returns a blob's file; fs.ErrNotExist when it is not there.
func (b *blobStore) open(sha string) (*os.File, error) {
	if !shaPattern.MatchString(sha) {
		return nil, fs.ErrNotExist
	}
	return os.Open(b.path(sha))
}

// syncDir makes a rename durable where the system can sync a directory;
// where it cannot, the rename stands as the system keeps it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
