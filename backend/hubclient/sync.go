package hubclient

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/task"
)

// Result is what a sync did, library by library, in the hub's order.
type Result struct {
	Libraries []LibraryResult `json:"libraries"`
}

// LibraryResult is what a sync did to one library.
type LibraryResult struct {
	Library string `json:"library"`
	Name    string `json:"name"`
	Before  uint64 `json:"before"` // trusted version before the sync, 0 for none
	After   uint64 `json:"after"`  // trusted version after it
	Changed bool   `json:"changed"`
	// Untrusted is set when this desktop pins no keys for the library: it
	// cannot verify its releases, so the sync leaves it alone.
	Untrusted bool  `json:"untrusted,omitempty"`
	Files     int   `json:"files"` // files downloaded
	Bytes     int64 `json:"bytes"` // bytes received for them, resumes included
	// Error is why this library was not brought up to date; Sync also
	// returns the first such error.
	Error *fault.Payload `json:"error,omitempty"`
}

// Changed reports whether any library changed.
func (r Result) Changed() bool {
	for _, l := range r.Libraries {
		if l.Changed {
			return true
		}
	}
	return false
}

// Sync brings every library the hub lists for this user up to its latest
// release, as docs/hub-api.md describes: release.note with If-None-Match of
// the trusted manifest (304 ends it), the manifest verified under pol before
// anything else is fetched, each missing file downloaded into spoolDir and
// checked, then store.Apply, which verifies the release again from the
// local bytes and switches atomically. A zero pol.Now is the current time.
//
// A library that is refused (bad signature, rollback, corrupt download...)
// keeps its trusted release; the others are still synced, and the first
// refusal is returned as is, with the Result. A cancel or a hub that stays
// unreachable ends the sync at once. Cancel keeps finished and partial
// downloads in spoolDir for the next run.
func Sync(ctx context.Context, c *Client, st *library.Store, pol library.Policy, spoolDir string, report task.Reporter) (Result, error) {
	return run(ctx, c, st, pol, spoolDir, "", report)
}

// SyncLibrary is Sync for one library. A library the hub does not list for
// this user fails with hubapi.CodeNotFound.
func SyncLibrary(ctx context.Context, c *Client, st *library.Store, pol library.Policy, spoolDir, lib string, report task.Reporter) (Result, error) {
	return run(ctx, c, st, pol, spoolDir, lib, report)
}

func run(ctx context.Context, c *Client, st *library.Store, pol library.Policy, spoolDir, only string, report task.Reporter) (Result, error) {
	const op = "hubclient.Sync"
	var res Result
	if report == nil {
		report = func(task.Progress) {}
	}
	if pol.Now.IsZero() {
		pol.Now = time.Now()
	}
	pol.Current = st.Trusted
	if err := os.MkdirAll(spoolDir, 0o700); err != nil {
		return res, fault.New(fault.Unavailable, CodeSpoolFailed, op).With("path", spoolDir).Wrap(err)
	}
	var heads []hubapi.LibraryHead
	err := c.retry(ctx, func() (bool, error) {
		var err error
		heads, err = c.Libraries(ctx)
		return false, err
	})
	if err != nil {
		return res, err
	}
	if only != "" {
		var keep []hubapi.LibraryHead
		for _, h := range heads {
			if h.Library == only {
				keep = append(keep, h)
			}
		}
		if len(keep) == 0 {
			return res, fault.New(fault.NotFound, hubapi.CodeNotFound, op).With("library", only)
		}
		heads = keep
	}
	var first error
	for _, h := range heads {
		lr := LibraryResult{Library: h.Library, Name: h.Name}
		err := syncOne(ctx, c, st, pol, spoolDir, h, report, &lr)
		if err != nil {
			p := fault.ToPayload(err)
			lr.Error = &p
		}
		res.Libraries = append(res.Libraries, lr)
		if err == nil {
			continue
		}
		if ctx.Err() != nil && fault.KindOf(err) != fault.Canceled {
			return res, canceled(op, err)
		}
		if k := fault.KindOf(err); k == fault.Transient || k == fault.Canceled {
			return res, err
		}
		if first == nil {
			first = err
		}
	}
	if first == nil && only == "" {
		clearSpool(spoolDir)
	}
	return res, first
}

// trusts reports whether pol pins keys for a library.
func trusts(pol library.Policy, lib string) bool {
	for _, t := range pol.Trust {
		if t.Library == lib && len(t.Keys) > 0 {
			return true
		}
	}
	return false
}

func syncOne(ctx context.Context, c *Client, st *library.Store, pol library.Policy, spoolDir string, h hubapi.LibraryHead, report task.Reporter, lr *LibraryResult) error {
	const op = "hubclient.Sync"
	rec, err := st.Record(h.Library)
	if err != nil {
		return err
	}
	var trustedSHA string
	if rec != nil {
		lr.Before, lr.After, trustedSHA = rec.Version, rec.Version, rec.ManifestSHA
	}
	if !trusts(pol, h.Library) {
		lr.Untrusted = true
		return nil
	}

	// 1. The signed manifest, unless the trusted one is still the latest.
	var note []byte
	var notModified bool
	err = c.retry(ctx, func() (bool, error) {
		var err error
		note, _, notModified, err = c.ReleaseNote(ctx, h.Library, trustedSHA)
		return false, err
	})
	if err != nil || notModified {
		return err
	}

	// 2. Verified before anything else is fetched.
	mf, err := library.VerifyManifest(note, pol)
	if err != nil {
		return err
	}
	if mf.Manifest.Library != h.Library {
		return fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "library_mismatch").With("library", h.Library)
	}
	if mf.Unchanged {
		return nil
	}
	files := mf.Manifest.Files

	// 3. Each missing file, one at a time.
	type need struct {
		sha  string
		size int64
	}
	var todo []need
	var total, done int64
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.SHA256] {
			continue
		}
		seen[f.SHA256] = true
		if ok, err := st.HasBlob(f.SHA256); err != nil {
			return fault.New(fault.Corrupt, library.CodeStoreCorrupt, op).Wrap(err)
		} else if ok {
			continue
		}
		p := spoolPath(spoolDir, f.SHA256)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Size() == f.Size {
			continue
		}
		todo = append(todo, need{f.SHA256, f.Size})
		total += f.Size
		if fi, err := os.Stat(p + partSuffix); err == nil && fi.Size() <= f.Size {
			done += fi.Size()
		}
	}
	prog := task.Progress{Phase: "download", Unit: task.UnitBytes, Done: done, Total: total, FilesTotal: int64(len(todo))}
	report(prog)
	for _, n := range todo {
		err := c.retry(ctx, func() (bool, error) {
			moved := false
			err := c.fetchBlob(ctx, n.sha, n.size, spoolDir, func(d int64) {
				if d > 0 {
					lr.Bytes += d
					moved = true
				}
				prog.Done += d
				report(prog)
			})
			return moved, err
		})
		if err != nil {
			return err
		}
		lr.Files++
		prog.Files++
		report(prog)
	}

	// 4. Verified again from the local bytes, then the switch.
	src := library.WithContext(ctx, st.SyncSource(note, files, spoolDir))
	newRec, err := st.Apply(src, pol, report)
	src.Close()
	if err != nil {
		if ctx.Err() != nil {
			return canceled(op, err)
		}
		dropBadSpool(err, files, spoolDir)
		return err
	}
	for _, f := range files {
		os.Remove(spoolPath(spoolDir, f.SHA256))
	}
	lr.After = newRec.Version
	lr.Changed = rec == nil || newRec.ManifestSHA != rec.ManifestSHA
	return nil
}

// dropBadSpool deletes the spool file Apply refused, so the next sync
// downloads it again instead of failing on it forever.
func dropBadSpool(err error, files []library.File, spoolDir string) {
	fe, ok := fault.As(err)
	if !ok {
		return
	}
	switch fe.Code {
	case library.CodeFileHash, library.CodeFileSize, library.CodeFileUnreadable, library.CodeImageInvalid:
	default:
		return
	}
	for _, f := range files {
		if f.Path == fe.Params["path"] {
			os.Remove(spoolPath(spoolDir, f.SHA256))
		}
	}
}

// clearSpool removes what a fully successful sync left in the spool: files
// of releases the hub no longer serves.
func clearSpool(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if shaPattern.MatchString(strings.TrimSuffix(e.Name(), partSuffix)) && e.Type().IsRegular() {
			os.Remove(spoolPath(dir, e.Name()))
		}
	}
}

// retry runs fn until it succeeds, fails with an error that is not
// Transient, or has failed c.attempts times without making progress. Waits
// grow exponentially with jitter, and are at least the hub's Retry-After.
func (c *Client) retry(ctx context.Context, fn func() (progressed bool, err error)) error {
	failures := 0
	for {
		progressed, err := fn()
		if err == nil {
			return nil
		}
		if fault.KindOf(err) != fault.Transient {
			return err
		}
		if ctx.Err() != nil {
			return canceled("hubclient.retry", err)
		}
		if progressed {
			failures = 0
		}
		failures++
		if failures >= c.attempts {
			return err
		}
		wait := c.backoffFor(failures)
		var ra retryAfter
		if errors.As(err, &ra) {
			if time.Duration(ra) > c.maxRetryAfter {
				return err
			}
			wait = max(wait, time.Duration(ra))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return canceled("hubclient.retry", ctx.Err())
		case <-t.C:
		}
	}
}

// backoffFor is the wait after the n-th failure in a row: the first wait
// doubled n-1 times, capped, then drawn in its upper half.
func (c *Client) backoffFor(n int) time.Duration {
	d := c.backoff
	for i := 1; i < n && d < c.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.maxBackoff)
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}

// Update is a library whose hub release is newer than the trusted one.
type Update struct {
	Library string `json:"library"`
	Name    string `json:"name"`
	Local   uint64 `json:"local"` // trusted version, 0 for none
	Remote  uint64 `json:"remote"`
}

// Check asks the hub whether any library has a release this desktop does
// not trust yet, without downloading anything but the list: a newer
// version, or the same version with another manifest (which Sync will then
// refuse as equivocation). An older release on the hub is not an update.
func Check(ctx context.Context, c *Client, st *library.Store) ([]Update, error) {
	heads, err := c.Libraries(ctx)
	if err != nil {
		return nil, err
	}
	var out []Update
	for _, h := range heads {
		rec, err := st.Record(h.Library)
		if err != nil {
			return nil, err
		}
		u := Update{Library: h.Library, Name: h.Name, Remote: h.Version}
		if rec != nil {
			u.Local = rec.Version
			if h.Version < rec.Version || (h.Version == rec.Version && h.ManifestSHA256 == rec.ManifestSHA) {
				continue
			}
		}
		out = append(out, u)
	}
	return out, nil
}
