package hubclient

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Names in the spool folder: a complete, checked file is named by its
// SHA-256; a download in progress adds partSuffix.
const partSuffix = ".part"

func spoolPath(dir, sha string) string { return filepath.Join(dir, sha) }

// fetchBlob downloads one blob into spool/<sha>. A spool/<sha>.part left by
// an interrupted attempt is resumed with a Range request. The file is checked
// against size and SHA-256 before it takes its final name; a wrong one is
// deleted. progress hears of every change of the bytes held for this blob
// (negative when a download starts over). It makes one attempt: Sync retries.
func (c *Client) fetchBlob(ctx context.Context, sha string, size int64, spoolDir string, progress func(delta int64)) error {
	const op = "hubclient.fetchBlob"
	if progress == nil {
		progress = func(int64) {}
	}
	if !shaPattern.MatchString(sha) || size < 0 {
		return fault.New(fault.Invalid, CodeResponseInvalid, op).With("reason", "blob_name").With("sha256", sha)
	}
	final := spoolPath(spoolDir, sha)
	if fi, err := os.Stat(final); err == nil && fi.Mode().IsRegular() && fi.Size() == size {
		return nil
	}
	part := final + partSuffix
	spoolErr := func(err error) error {
		return fault.New(fault.Unavailable, CodeSpoolFailed, op).With("path", part).Wrap(err)
	}
	f, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return spoolErr(err)
	}
	defer f.Close()
	corrupt := func(reason string) error {
		f.Close() // before the removal, which Windows refuses on an open file
		os.Remove(part)
		return fault.New(fault.Corrupt, CodeDownloadCorrupt, op).With("sha256", sha).With("reason", reason)
	}
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return spoolErr(err)
	}
	// The hash follows the part file: what it already holds, then each
	// byte written.
	h := sha256.New()
	restart := func() error {
		h.Reset()
		if have == 0 {
			return nil
		}
		if err := f.Truncate(0); err != nil {
			return spoolErr(err)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return spoolErr(err)
		}
		progress(-have)
		have = 0
		return nil
	}
	if have > size {
		if err := restart(); err != nil {
			return err
		}
	}
	if have > 0 {
		if _, err := io.Copy(h, io.NewSectionReader(f, 0, have)); err != nil {
			return spoolErr(err)
		}
	}

	if have < size {
		var hdr http.Header
		if have > 0 {
			hdr = http.Header{"Range": {fmt.Sprintf("bytes=%d-", have)}}
		}
		resp, err := c.sendBlob(ctx, op, sha, hdr)
		if err != nil {
			if fault.CodeOf(err) == codeRangeNotSatisfiable {
				// The hub holds fewer bytes than we already have.
				progress(-have)
				return corrupt("size")
			}
			return err
		}
		defer resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusPartialContent:
			start, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
			if !ok || start != have {
				return fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "content_range").With("sha256", sha)
			}
			if total >= 0 && total != size {
				return corrupt("size")
			}
		case http.StatusOK:
			if err := restart(); err != nil {
				return err
			}
			if resp.ContentLength >= 0 && resp.ContentLength != size {
				return corrupt("size")
			}
		default:
			return fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "status").With("status", resp.StatusCode)
		}
		w := &progressWriter{f: f, h: h, progress: progress}
		// One byte more than we need tells a blob larger than listed.
		n, err := io.CopyBuffer(w, io.LimitReader(resp.Body, size-have+1), make([]byte, 256<<10))
		have += n
		switch {
		case w.err != nil:
			return spoolErr(w.err)
		case have > size:
			progress(-have)
			return corrupt("size")
		case err != nil:
			return c.netError(ctx, op, err)
		case have < size:
			// A clean end before the listed size: the hub's file is shorter.
			progress(-have)
			return corrupt("size")
		}
	}

	if hex.EncodeToString(h.Sum(nil)) != sha {
		progress(-have)
		return corrupt("hash")
	}
	if err := f.Close(); err != nil {
		return spoolErr(err)
	}
	if err := os.Rename(part, final); err != nil {
		return spoolErr(err)
	}
	return nil
}

// codeRangeNotSatisfiable marks a 416 answer; fetchBlob turns it into
// CodeDownloadCorrupt, so it never leaves the package.
const codeRangeNotSatisfiable fault.Code = "hub.range_not_satisfiable"

// sendBlob GETs a blob, with identity encoding so sizes are the file's.
func (c *Client) sendBlob(ctx context.Context, op, sha string, hdr http.Header) (*http.Response, error) {
	if hdr == nil {
		hdr = http.Header{}
	}
	hdr.Set("Accept-Encoding", "identity")
	resp, err := c.send(ctx, op, http.MethodGet, hubapi.BlobPath(sha), nil, hdr)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusNotModified {
		resp.Body.Close()
		return nil, fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "status").With("status", resp.StatusCode)
	}
	return resp, nil
}

// parseContentRange reads "bytes start-end/total"; total is -1 for "*".
func parseContentRange(v string) (start, total int64, ok bool) {
	var end int64
	if n, _ := fmt.Sscanf(v, "bytes %d-%d/%d", &start, &end, &total); n == 3 {
		return start, total, start >= 0 && end >= start
	}
	if n, _ := fmt.Sscanf(v, "bytes %d-%d/*", &start, &end); n == 2 {
		return start, -1, start >= 0 && end >= start
	}
	return 0, 0, false
}

// progressWriter writes to the part file and its hash and reports each
// chunk. A write error is kept apart from read errors: a full disk is not the
// network.
type progressWriter struct {
	f        *os.File
	h        hash.Hash
	progress func(int64)
	err      error
}

func (w *progressWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if n > 0 {
		w.h.Write(p[:n])
		w.progress(int64(n))
	}
	if err != nil {
		w.err = err
	}
	return n, err
}
