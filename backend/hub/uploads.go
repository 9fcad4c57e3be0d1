package hub

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// uploadTTL is how long a resumable upload nobody finished is kept.
const uploadTTL = 7 * 24 * time.Hour

// keyedLock serializes work on one key (a blob, a submission id) and lets
// work on other keys run.
type keyedLock struct {
	mu   sync.Mutex
	held map[string]*keyedEntry
}

type keyedEntry struct {
	mu   sync.Mutex
	refs int
}

func newKeyedLock() *keyedLock { return &keyedLock{held: map[string]*keyedEntry{}} }

// lock takes key's lock and returns its release.
func (k *keyedLock) lock(key string) func() {
	k.mu.Lock()
	e := k.held[key]
	if e == nil {
		e = &keyedEntry{}
		k.held[key] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(k.held, key)
		}
		k.mu.Unlock()
	}
}

// clearTmp empties the spool folder of a previous run, except resumable
// uploads younger than uploadTTL.
func clearTmp(tmp string, now time.Time) error {
	ents, err := os.ReadDir(tmp)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range ents {
		p := filepath.Join(tmp, e.Name())
		if e.Name() != "uploads" {
			if err := os.RemoveAll(p); err != nil {
				return err
			}
			continue
		}
		parts, err := os.ReadDir(p)
		if err != nil {
			return err
		}
		for _, part := range parts {
			info, err := part.Info()
			if err != nil || now.Sub(info.ModTime()) > uploadTTL || !part.Type().IsRegular() {
				os.RemoveAll(filepath.Join(p, part.Name()))
			}
		}
	}
	return nil
}

func (h *Hub) uploadDir() string { return filepath.Join(h.tmp, "uploads") }

func (h *Hub) partPath(sha string) string { return filepath.Join(h.uploadDir(), sha+".part") }

// size is a blob's size; ok is false when the hub does not hold it.
func (b *blobStore) size(sha string) (int64, bool) {
	if !shaPattern.MatchString(sha) {
		return 0, false
	}
	info, err := os.Stat(b.path(sha))
	if err != nil || !info.Mode().IsRegular() {
		return 0, false
	}
	return info.Size(), true
}

// moveIn stores a verified, synced file under its SHA-256 by renaming it.
func (b *blobStore) moveIn(sha, path string) error {
	final := b.path(sha)
	if err := os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return err
	}
	if err := os.Rename(path, final); err != nil {
		return err
	}
	syncDir(filepath.Dir(final))
	return nil
}

// serveBlobHead answers whether the hub holds a blob at all: offices upload
// renditions no release lists, and ask before they send one.
func (h *Hub) serveBlobHead(w http.ResponseWriter, r *http.Request, _ *hubapi.User) error {
	sha := r.PathValue("sha256")
	n, ok := h.blobs.size(sha)
	if !ok {
		return notFound("hub.blobHead")
	}
	w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
	w.Header().Set("ETag", `"`+sha+`"`)
	w.WriteHeader(http.StatusOK)
	return nil
}

// uploadStatus is what the hub holds of an upload.
func (h *Hub) uploadStatus(sha string) (hubapi.UploadStatus, error) {
	if n, ok := h.blobs.size(sha); ok {
		return hubapi.UploadStatus{Received: n, Complete: true}, nil
	}
	info, err := os.Stat(h.partPath(sha))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return hubapi.UploadStatus{}, nil
	case err != nil:
		return hubapi.UploadStatus{}, fault.New(fault.Unavailable, hubapi.CodeUnavailable, "hub.upload").Wrap(err)
	}
	return hubapi.UploadStatus{Received: info.Size()}, nil
}

func (h *Hub) serveUploadStatus(w http.ResponseWriter, r *http.Request, _ *hubapi.User) error {
	sha := r.PathValue("sha256")
	if !shaPattern.MatchString(sha) {
		return notFound("hub.upload")
	}
	st, err := h.uploadStatus(sha)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func headerInt(r *http.Request, name string) (int64, bool) {
	v := r.Header.Get(name)
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil && n >= 0 && v == strconv.FormatInt(n, 10)
}

// serveUploadPatch appends a body to a resumable upload at Upload-Offset;
// once the upload reaches Upload-Length it is hashed and stored as a blob,
// or dropped when it does not hash to its name.
func (h *Hub) serveUploadPatch(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	const op = "hub.upload"
	sha := r.PathValue("sha256")
	if !shaPattern.MatchString(sha) {
		return notFound(op)
	}
	offset, ok := headerInt(r, hubapi.HeaderUploadOffset)
	if !ok {
		return requestInvalid("upload_offset")
	}
	length, ok := headerInt(r, hubapi.HeaderUploadLength)
	if !ok || length == 0 {
		return requestInvalid("upload_length")
	}
	if length > hubapi.MaxUpload {
		return tooLarge(hubapi.MaxUpload)
	}
	if r.ContentLength > hubapi.MaxUploadChunk {
		return tooLarge(hubapi.MaxUploadChunk)
	}
	if offset > length || (r.ContentLength >= 0 && offset+r.ContentLength > length) {
		return requestInvalid("upload_past_length")
	}
	unlock := h.uploads.lock(sha)
	defer unlock()

	st, err := h.uploadStatus(sha)
	if err != nil {
		return err
	}
	if st.Complete {
		io.Copy(io.Discard, io.LimitReader(r.Body, hubapi.MaxUploadChunk))
		writeJSON(w, http.StatusOK, st)
		return nil
	}
	if st.Received != offset {
		return fault.New(fault.Conflict, hubapi.CodeUploadOffset, op).With("offset", st.Received)
	}
	part := h.partPath(sha)
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fault.New(fault.Unavailable, hubapi.CodeUnavailable, op).Wrap(err)
	}
	// What arrives before a dropped connection is kept: the client resumes
	// from GET /v1/uploads/{sha256}.
	limit := min(hubapi.MaxUploadChunk, length-offset)
	n, cerr := io.Copy(f, io.LimitReader(r.Body, limit))
	if cerr == nil {
		// A body longer than it may be is refused whole.
		var one [1]byte
		if m, _ := r.Body.Read(one[:]); m > 0 {
			f.Close()
			if err := os.Truncate(part, offset); err != nil {
				os.Remove(part)
			}
			return requestInvalid("upload_past_length")
		}
	}
	serr := f.Sync()
	if err := f.Close(); serr == nil {
		serr = err
	}
	if serr != nil {
		os.Remove(part)
		return fault.New(fault.Unavailable, hubapi.CodeUnavailable, op).Wrap(serr)
	}
	if cerr != nil {
		return fault.New(fault.Transient, hubapi.CodeUnavailable, op).With("offset", offset+n).Wrap(cerr)
	}
	got := offset + n
	if got < length {
		writeJSON(w, http.StatusOK, hubapi.UploadStatus{Received: got})
		return nil
	}
	sum, err := hashFile(part)
	if err != nil {
		return fault.New(fault.Unavailable, hubapi.CodeUnavailable, op).Wrap(err)
	}
	if sum != sha {
		os.Remove(part)
		h.log.Warn("hub: upload dropped, wrong hash", "user", u.Name, "sha256", sha)
		return fault.New(fault.Corrupt, hubapi.CodeUploadCorrupt, op).With("sha256", sha)
	}
	if err := h.blobs.moveIn(sha, part); err != nil {
		return fault.New(fault.Unavailable, hubapi.CodeUnavailable, op).Wrap(err)
	}
	h.log.Info("hub: blob uploaded", "user", u.Name, "sha256", sha, "bytes", length)
	writeJSON(w, http.StatusOK, hubapi.UploadStatus{Received: length, Complete: true})
	return nil
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	hs := sha256.New()
	if _, err := io.Copy(hs, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(hs.Sum(nil)), nil
}
