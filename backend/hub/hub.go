// Package hub is HQ's server: accounts and sessions, verified releases kept
// as content-addressed blobs, and the HTTP API of docs/hub-api.md.
package hub

import (
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/render"
)

// Error codes of the hub only; the codes the desktop also speaks are in
// backend/hubapi.
const (
	CodeDataLocked  fault.Code = "hub.data_locked"  // another hub process holds the data folder; params: path
	CodeSchemaNewer fault.Code = "hub.schema_newer" // the data folder was written by a newer hub; params: path, version
)

// Defaults of Options.
const (
	DefaultMaxRelease = 2 << 30
	DefaultTokenTTL   = 30 * 24 * time.Hour
)

// Options configure a Hub.
type Options struct {
	// Trust pins the keys releases are verified with. The hub holds no
	// signing key: it publishes only what HQ signed offline.
	Trust []library.Trust
	// Now is the clock (nil: time.Now); tests move it.
	Now func() time.Time
	// Log receives access logs and events (nil: discarded).
	Log *slog.Logger
	// MaxRelease bounds an uploaded release zip in bytes (0: 2 GiB).
	MaxRelease int64
	// Version is what GET /v1/health reports.
	Version string
	// TokenTTL is how long a session token lasts (0: 30 days).
	TokenTTL time.Duration
	// TrustProxy takes the client address of login rate limits and logs
	// from the last X-Forwarded-For entry. Set it only behind a reverse
	// proxy that appends that header; otherwise clients choose their
	// address.
	TrustProxy bool
}

// Hub is an open hub: its metadata store, its blobs and its HTTP API. It is
// safe for concurrent use.
type Hub struct {
	opt     Options
	log     *slog.Logger
	store   Store
	blobs   *blobStore
	tmp     string
	limits  *loginLimits
	argon   argonParams
	hashing chan struct{} // bounds concurrent password hashing
	dummy   string        // a hash checked for unknown users, so they take as long
	publish chan struct{} // one publish at a time: verification reads the latest release
	handler http.Handler

	uploads  *keyedLock       // one PATCH at a time per blob
	subs     *keyedLock       // one PUT at a time per submission id
	checking chan struct{}    // bounds concurrent brand checks of submissions
	renderer *render.Renderer // renders submissions as the desktop does
	grantKey []byte           // HMAC key of sign-off grants
	review   *reviewPages     // HQ's review pages (review.go)
}

// Open opens or creates a hub whose data lives in dir: the metadata database
// in dir/meta, the blobs in dir/blobs, upload spools in dir/tmp. Another
// process holding dir gives CodeDataLocked.
func Open(dir string, opt Options) (*Hub, error) {
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := openBadger(filepath.Join(dir, "meta"), log)
	if err != nil {
		return nil, err
	}
	h, err := New(dir, st, opt)
	if err != nil {
		st.Close()
		return nil, err
	}
	return h, nil
}

// New builds a hub on a metadata store, its blobs and spools in dir. The hub
// owns st from then on: Close closes it.
func New(dir string, st Store, opt Options) (*Hub, error) {
	const op = "hub.New"
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.MaxRelease <= 0 {
		opt.MaxRelease = DefaultMaxRelease
	}
	if opt.TokenTTL <= 0 {
		opt.TokenTTL = DefaultTokenTTL
	}
	h := &Hub{
		opt:     opt,
		log:     opt.Log,
		store:   st,
		blobs:   &blobStore{dir: filepath.Join(dir, "blobs"), tmp: filepath.Join(dir, "tmp")},
		tmp:     filepath.Join(dir, "tmp"),
		limits:  newLoginLimits(),
		argon:   defaultArgon,
		hashing: make(chan struct{}, 4),
		publish: make(chan struct{}, 1),

		uploads:  newKeyedLock(),
		subs:     newKeyedLock(),
		checking: make(chan struct{}, 2),
		renderer: render.New(),
	}
	// Spools left by a killed run are of no use: the store is locked, so no
	// other hub is writing them. Resumable uploads are kept (a week).
	if err := clearTmp(h.tmp, h.now()); err != nil {
		return nil, fault.New(fault.Unavailable, hubapi.CodeUnavailable, op).With("path", h.tmp).Wrap(err)
	}
	for _, d := range []string{h.blobs.dir, h.tmp, h.uploadDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fault.New(fault.Unavailable, hubapi.CodeUnavailable, op).With("path", d).Wrap(err)
		}
	}
	dummy, err := hashPassword("not a password of anyone", h.argon)
	if err != nil {
		return nil, fault.New(fault.Internal, fault.CodeInternal, op).Wrap(err)
	}
	h.dummy = dummy
	if h.grantKey, err = st.SignOffKey(newGrantKey); err != nil {
		return nil, err
	}
	if h.review, err = newReviewPages(h.grantKey); err != nil {
		return nil, fault.New(fault.Internal, fault.CodeInternal, op).Wrap(err)
	}
	h.handler = h.newHandler()
	return h, nil
}

// Close closes the metadata store. Serving must have stopped.
func (h *Hub) Close() error { return h.store.Close() }

// Handler is the HTTP API of docs/hub-api.md and HQ's review pages under
// /review/.
func (h *Hub) Handler() http.Handler { return h.handler }

func (h *Hub) now() time.Time { return h.opt.Now() }
