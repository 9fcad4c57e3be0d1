package pack

import (
	"archive/zip"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/outpost-studio/outpost/backend/adapt"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/task"
)

// deflateLevel is the fixed compression of manifest.json and report.html;
// renditions are stored, being compressed already.
const deflateLevel = flate.BestCompression

// tempFile is the pack being written, next to its destination.
type tempFile struct {
	f    *os.File
	dest string
	done bool
}

func createTemp(dest string) (*tempFile, error) {
	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.part")
	if err != nil {
		return nil, fault.New(fault.Unavailable, CodeWriteFailed, "pack.Export").With("path", dest).Wrap(err)
	}
	return &tempFile{f: f, dest: dest}, nil
}

// discard removes the temporary file unless commit renamed it.
func (t *tempFile) discard() {
	if !t.done {
		t.f.Close()
		os.Remove(t.f.Name())
	}
}

// commit syncs the file, renames it to its destination and syncs the
// folder, so that the pack exists whole or not at all.
func (t *tempFile) commit() (int64, error) {
	fail := func(err error) (int64, error) {
		return 0, fault.New(fault.Unavailable, CodeWriteFailed, "pack.Export").With("path", t.dest).Wrap(err)
	}
	size, err := t.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return fail(err)
	}
	if err := t.f.Sync(); err != nil {
		return fail(err)
	}
	if err := t.f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(t.f.Name(), t.dest); err != nil {
		return fail(err)
	}
	t.done = true
	if d, err := os.Open(filepath.Dir(t.dest)); err == nil {
		d.Sync() // best effort: not every system syncs a folder
		d.Close()
	}
	return size, nil
}

// write reads every rendition back from the cache to hash it, then writes
// the zip: entries sorted by name, each at the export day's midnight (UTC)
// with mode 0644, renditions stored, the manifest and report deflated at a
// fixed level. Nothing depends on the clock or on map order.
func (p *plan) write(ctx context.Context, out *tempFile, m *Manifest, report task.Reporter) error {
	const op = "pack.Export"
	total := int64(len(m.Files) + 2)
	report(task.Progress{Phase: "write", Done: 0, Total: total, Unit: task.UnitFiles})
	for i := range m.Files {
		if err := ctx.Err(); err != nil {
			return canceled(err)
		}
		f := &m.Files[i]
		b, err := p.cached(f)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		f.SHA256, f.Bytes = hex.EncodeToString(sum[:]), int64(len(b))
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fault.New(fault.Internal, fault.CodeInternal, op).Wrap(err)
	}
	manifest = append(manifest, '\n')
	page, err := renderReport(m)
	if err != nil {
		return err
	}

	type entry struct {
		name string
		file *FileEntry
		body []byte
	}
	entries := []entry{{name: ManifestFile, body: manifest}, {name: ReportFile, body: page}}
	for i := range m.Files {
		entries = append(entries, entry{name: m.Files[i].Path, file: &m.Files[i]})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })

	zw := zip.NewWriter(out.f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, deflateLevel)
	})
	when := p.day.UTC()
	for n, e := range entries {
		if err := ctx.Err(); err != nil {
			return canceled(err)
		}
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: when}
		h.SetMode(0o644)
		body := e.body
		if e.file != nil {
			h.Method = zip.Store
			if body, err = p.cached(e.file); err != nil {
				return err
			}
			if sum := sha256.Sum256(body); hex.EncodeToString(sum[:]) != e.file.SHA256 {
				return fault.New(fault.Corrupt, CodeCacheFailed, op).Wrap(fmt.Errorf("%s changed in the cache", e.name))
			}
		}
		w, err := zw.CreateHeader(h)
		if err == nil {
			_, err = w.Write(body)
		}
		if err != nil {
			return fault.New(fault.Unavailable, CodeWriteFailed, op).With("path", out.dest).Wrap(err)
		}
		report(task.Progress{Phase: "write", Done: int64(n + 1), Total: total, Unit: task.UnitFiles})
	}
	if err := zw.Close(); err != nil {
		return fault.New(fault.Unavailable, CodeWriteFailed, op).With("path", out.dest).Wrap(err)
	}
	return nil
}

// cached reads a rendition back and checks that it is the image it should
// be, so a damaged cache cannot slip into a pack.
func (p *plan) cached(f *FileEntry) ([]byte, error) {
	const op = "pack.Export"
	b, ok, err := p.in.Cache.Rendition(f.srcSHA, f.spec)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fault.New(fault.Unavailable, CodeCacheFailed, op).Wrap(fmt.Errorf("%s left the cache", f.Path))
	}
	info, err := adapt.DecodeConfig(b, adapt.Limits{})
	if err != nil || info.Width != f.Width || info.Height != f.Height || !strings.HasSuffix(f.Path, ext(info.Format)) {
		return nil, fault.New(fault.Corrupt, CodeCacheFailed, op).Wrap(fmt.Errorf("%s: cached bytes are not a %d×%d rendition: %v", f.Path, f.Width, f.Height, err))
	}
	return b, nil
}

func ext(format string) string {
	if format == adapt.FormatPNG {
		return ".png"
	}
	return ".jpg"
}
