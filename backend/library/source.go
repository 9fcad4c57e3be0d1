package library

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/outpost-studio/outpost/backend/fault"
)

// Source is a release's files, a folder or a zip.
type Source interface {
	// open returns the file at a path that passed CheckPath.
	open(name string) (io.ReadCloser, error)
	Close() error
}

// OpenSource opens a release folder or zip file.
func OpenSource(p string) (Source, error) {
	const op = "library.OpenSource"
	info, err := os.Stat(p)
	if err != nil {
		return nil, fault.New(fault.NotFound, CodeNotARelease, op).With("path", p).Wrap(err)
	}
	if info.IsDir() {
		root, err := os.OpenRoot(p)
		if err != nil {
			return nil, fault.New(fault.Unavailable, CodeNotARelease, op).With("path", p).Wrap(err)
		}
		return dirSource{root}, nil
	}
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, fault.New(fault.Invalid, CodeNotARelease, op).With("path", p).Wrap(err)
	}
	zs, err := newZipSource(&zr.Reader, zr)
	if err != nil {
		zr.Close()
		return nil, err
	}
	return zs, nil
}

// dirSource reads below a folder; os.Root refuses paths that leave it,
// through ".." or through symbolic links.
type dirSource struct{ root *os.Root }

func (d dirSource) open(name string) (io.ReadCloser, error) {
	f, err := d.root.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	return f, nil
}

func (d dirSource) Close() error { return d.root.Close() }

// zipSource reads a zip whose every entry has a safe, unique name. Entries are
// read through the same size limits as files on disk, whatever their headers
// claim, so a zip bomb stops at the limit.
type zipSource struct {
	files  map[string]*zip.File
	closer io.Closer
}

func newZipSource(r *zip.Reader, c io.Closer) (*zipSource, error) {
	const op = "library.OpenSource"
	if len(r.File) > MaxFiles+1 {
		return nil, fault.New(fault.Corrupt, CodeZipInvalid, op).With("reason", "too_many_entries")
	}
	z := &zipSource{files: make(map[string]*zip.File, len(r.File)), closer: c}
	folded := make(map[string]bool, len(r.File))
	for _, f := range r.File {
		name := f.Name
		if strings.HasSuffix(name, "/") && f.FileInfo().IsDir() {
			if err := CheckPath(strings.TrimSuffix(name, "/")); err != nil {
				return nil, err
			}
			continue
		}
		if err := CheckPath(name); err != nil {
			return nil, err
		}
		if !f.Mode().IsRegular() {
			return nil, fault.New(fault.Corrupt, CodeZipInvalid, op).With("reason", "not_a_regular_file").With("path", printable(name))
		}
		if folded[foldPath(name)] {
			return nil, fault.New(fault.Corrupt, CodeDuplicatePath, op).With("path", printable(name))
		}
		folded[foldPath(name)] = true
		z.files[name] = f
	}
	return z, nil
}

func (z *zipSource) open(name string) (io.ReadCloser, error) {
	f, ok := z.files[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return f.Open()
}

func (z *zipSource) Close() error {
	if z.closer != nil {
		return z.closer.Close()
	}
	return nil
}

// OpenZipBytes reads a release zip held in memory.
func OpenZipBytes(b []byte) (Source, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fault.New(fault.Invalid, CodeNotARelease, "library.OpenZipBytes").Wrap(err)
	}
	return newZipSource(zr, nil)
}

// readAtMost reads a whole file that may not exceed limit bytes.
func readAtMost(src Source, name string, limit int64, tooLarge func() error) ([]byte, error) {
	rc, err := src.open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, tooLarge()
	}
	return b, nil
}

// readListed reads a file the manifest lists: at most its size plus one
// byte, then checks size and hash.
func readListed(src Source, f File) ([]byte, error) {
	const op = "library.readFile"
	rc, err := src.open(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fault.New(fault.Corrupt, CodeFileMissing, op).With("path", f.Path).Wrap(err)
	}
	if err != nil {
		return nil, fault.New(fault.Corrupt, CodeFileMissing, op).With("path", f.Path).Wrap(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, f.Size+1))
	if err != nil {
		return nil, fault.New(fault.Corrupt, CodeFileUnreadable, op).With("path", f.Path).Wrap(err)
	}
	if int64(len(b)) != f.Size {
		got := fmt.Sprint(len(b))
		if int64(len(b)) > f.Size {
			got = fmt.Sprintf("more than %d", f.Size)
		}
		return nil, fault.New(fault.Corrupt, CodeFileSize, op).With("path", f.Path).With("want", f.Size).With("got", got)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != f.SHA256 {
		return nil, fault.New(fault.Corrupt, CodeFileHash, op).With("path", f.Path)
	}
	return b, nil
}

// FSSource reads a release from a file system, such as the embedded sample.
func FSSource(fsys fs.FS) Source { return fsSource{fsys} }

type fsSource struct{ fsys fs.FS }

func (f fsSource) open(name string) (io.ReadCloser, error) {
	file, err := f.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := file.Stat()
	if err != nil || !info.Mode().IsRegular() {
		file.Close()
		return nil, fs.ErrNotExist
	}
	return file, nil
}

func (fsSource) Close() error { return nil }

// WithContext stops reading src once ctx is done: a canceled import ends at
// the next file with CodeImportInterrupted.
func WithContext(ctx context.Context, src Source) Source { return ctxSource{src, ctx} }

type ctxSource struct {
	Source
	ctx context.Context
}

func (c ctxSource) open(name string) (io.ReadCloser, error) {
	if err := c.ctx.Err(); err != nil {
		return nil, fault.New(fault.Canceled, CodeImportInterrupted, "library.Import").Wrap(err)
	}
	return c.Source.open(name)
}

// SyncSource is a release put together on this machine from its signed
// manifest and files fetched one at a time (a hub sync): each file the
// manifest lists is read from the spool folder, where it is named by its
// SHA-256, or, when the store already holds it, from the store. Apply then
// verifies it like any other source: nothing is trusted for having been
// downloaded.
func (s *Store) SyncSource(note []byte, files []File, spool string) Source {
	byPath := make(map[string]string, len(files))
	for _, f := range files {
		byPath[f.Path] = f.SHA256
	}
	return syncSource{s: s, note: note, byPath: byPath, spool: spool}
}

type syncSource struct {
	s      *Store
	note   []byte
	byPath map[string]string
	spool  string
}

func (y syncSource) open(name string) (io.ReadCloser, error) {
	if name == ManifestFile {
		return io.NopCloser(bytes.NewReader(y.note)), nil
	}
	sha, ok := y.byPath[name]
	if !ok || !shaPattern.MatchString(sha) {
		return nil, fs.ErrNotExist
	}
	if f, err := os.Open(filepath.Join(y.spool, sha)); err == nil {
		return f, nil
	}
	b, err := y.s.Blob(sha)
	if err != nil {
		return nil, fs.ErrNotExist
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (syncSource) Close() error { return nil }
