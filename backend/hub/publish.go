package hub

import (
	"context"
	"slices"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
)

// Publish verifies a release against the hub's pinned keys, exactly as a
// desktop will (signatures, hashes, no rollback and no equivocation against
// the hub's own latest release of that library, expiry), writes every
// verified file to the blob store, then records the release. Refusals carry
// library's codes; the latest release stays as it was (files verified before
// the refusal may remain as blob files, but no release lists them, so none is
// served). Publishes run one at a time.
//
// Publishing the hub's latest release of a library again (the same version
// and manifest) is idempotent: it returns that release's head, unchanged
// (POST /v1/releases answers 200 instead of 201), so an upload whose answer
// was lost can simply be repeated.
func (h *Hub) Publish(ctx context.Context, src library.Source) (hubapi.LibraryHead, error) {
	head, _, err := h.publishRelease(ctx, src)
	return head, err
}

// publishRelease is Publish, also saying whether the release is new.
func (h *Hub) publishRelease(ctx context.Context, src library.Source) (head hubapi.LibraryHead, created bool, err error) {
	const op = "hub.Publish"
	select {
	case h.publish <- struct{}{}:
		defer func() { <-h.publish }()
	case <-ctx.Done():
		return head, false, fault.New(fault.Canceled, library.CodeImportInterrupted, op).Wrap(ctx.Err())
	}

	var shas []string
	var size int64
	pol := library.Policy{Trust: h.opt.Trust, Current: h.current, Now: h.now()}
	rel, err := library.Verify(library.WithContext(ctx, src), pol, func(_, _ int, f library.File, b []byte) error {
		shas = append(shas, f.SHA256)
		size += f.Size
		return h.blobs.put(f.SHA256, b)
	})
	if err != nil {
		h.log.Warn("hub: release refused", "code", fault.CodeOf(err), "err", err)
		return head, false, err
	}
	m := rel.Manifest
	if rel.Unchanged {
		cur, ok, err := h.store.Latest(m.Library)
		if err != nil {
			return head, false, err
		}
		if ok && cur.Head.ManifestSHA256 == rel.ManifestSHA {
			return cur.Head, false, nil
		}
		// The latest changed under us; Verify's answer no longer holds.
		return head, false, fault.New(fault.Conflict, library.CodeRollback, op).With("version", m.Version).With("trusted", cur.Head.Version)
	}
	slices.Sort(shas)
	head = hubapi.LibraryHead{
		Library:        m.Library,
		Name:           m.Name,
		Version:        m.Version,
		ManifestSHA256: rel.ManifestSHA,
		Created:        m.Created,
		Expires:        m.Expires,
		Regions:        m.Regions,
		Files:          len(m.Files),
		Bytes:          size,
	}
	err = h.store.AddRelease(ReleaseRecord{
		Head:      head,
		Signers:   rel.Signers,
		Published: h.now().UTC(),
		Note:      rel.Note,
		Blobs:     slices.Compact(shas),
	})
	if err != nil {
		return hubapi.LibraryHead{}, false, err
	}
	h.log.Info("hub: release published", "library", m.Library, "version", m.Version,
		"regions", m.Regions, "files", len(m.Files), "bytes", size, "signers", rel.Signers)
	return head, true, nil
}

// current is the Policy.Current of the hub: its latest release of a library.
func (h *Hub) current(lib string) (*library.Trusted, error) {
	r, ok, err := h.store.Latest(lib)
	if err != nil || !ok {
		return nil, err
	}
	return &library.Trusted{Version: r.Head.Version, ManifestSHA: r.Head.ManifestSHA256}, nil
}
