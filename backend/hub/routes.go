package hub

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
)

// access is who may call a route.
type access int

const (
	anyone       access = iota // no token needed
	signedIn                   // any enabled user with a valid token
	hqOnly                     // hq_reviewer and hq_admin
	adminOnly                  // hq_admin
	officeOnly                 // designer and local_approver
	approverOnly               // local_approver
)

func (a access) allows(role hubapi.Role) bool {
	switch a {
	case hqOnly:
		return role.IsHQ()
	case adminOnly:
		return role == hubapi.RoleHQAdmin
	case officeOnly:
		return role == hubapi.RoleDesigner || role == hubapi.RoleLocalApprover
	case approverOnly:
		return role == hubapi.RoleLocalApprover
	}
	return true
}

// route is one row of the API: the mux pattern, who may call it, and the
// handler, which gets the signed-in user (nil for anyone's routes) and
// returns an error for the caller to answer.
type route struct {
	pattern string
	access  access
	serve   func(h *Hub, w http.ResponseWriter, r *http.Request, u *hubapi.User) error
}

// routeTable is every route the hub registers, as docs/hub-api.md lists
// them; newHandler registers exactly these, and the authorization tests walk
// the same table.
func routeTable() []route {
	return []route{
		{"GET " + hubapi.PathHealth, anyone, (*Hub).serveHealth},
		{"POST " + hubapi.PathSessions, anyone, (*Hub).serveLogin},
		{"DELETE " + hubapi.PathSessionCurrent, signedIn, (*Hub).serveLogout},
		{"GET " + hubapi.PathMe, signedIn, (*Hub).serveMe},
		{"GET " + hubapi.PathLibraries, signedIn, (*Hub).serveLibraries},
		{"GET " + hubapi.PathReleaseNote, signedIn, (*Hub).serveReleaseNote},
		{"GET " + hubapi.PathBlob, signedIn, (*Hub).serveBlob},
		{"GET " + hubapi.PathReleases, hqOnly, (*Hub).serveReleases},
		{"POST " + hubapi.PathReleases, adminOnly, (*Hub).servePublish},
		{"GET " + hubapi.PathUsers, adminOnly, (*Hub).serveUsers},
		{"POST " + hubapi.PathUsers, adminOnly, (*Hub).serveAddUser},
		{"POST " + hubapi.PathUserDisable, adminOnly, (*Hub).serveDisableUser},
		{"HEAD " + hubapi.PathBlob, signedIn, (*Hub).serveBlobHead},
		{"GET " + hubapi.PathUpload, officeOnly, (*Hub).serveUploadStatus},
		{"PATCH " + hubapi.PathUpload, officeOnly, (*Hub).serveUploadPatch},
		{"POST " + hubapi.PathSignOffs, approverOnly, (*Hub).serveSignOff},
		{"PUT " + hubapi.PathSubmission, officeOnly, (*Hub).servePutSubmission},
		{"GET " + hubapi.PathSubmissions, signedIn, (*Hub).serveSubmissions},
		{"GET " + hubapi.PathSubmission, signedIn, (*Hub).serveSubmission},
		{"POST " + hubapi.PathSubmissionActions, signedIn, (*Hub).serveAction},
		{"POST " + hubapi.PathSubmissionComments, signedIn, (*Hub).serveComment},
	}
}

// newHandler builds the mux from routeTable and reviewRouteTable, behind
// served. Anything else
// answers 404 hub.not_found, or 405 when the path exists for other methods.
func (h *Hub) newHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routeTable() {
		mux.Handle(rt.pattern, h.guard(rt))
	}
	for _, rt := range reviewRouteTable() {
		mux.Handle(rt.pattern, h.reviewGuard(rt))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut, http.MethodPatch} {
			if m == r.Method || (m == http.MethodGet && r.Method == http.MethodHead) {
				continue
			}
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, p := mux.Handler(probe); p != "" && p != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			h.writeErrorStatus(w, r, http.StatusMethodNotAllowed, requestInvalid("method_not_allowed"))
			return
		}
		h.writeError(w, r, fault.New(fault.NotFound, hubapi.CodeNotFound, "hub.route"))
	})
	return h.served(mux)
}

// guard authenticates and authorizes a route's callers, then serves it.
func (h *Hub) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var user *hubapi.User
		if rt.access != anyone {
			u, err := h.authenticate(r)
			if err != nil {
				h.writeError(w, r, err)
				return
			}
			setLogUser(r, u.Name)
			if !rt.access.allows(u.Role) {
				h.writeError(w, r, fault.New(fault.Permission, hubapi.CodeForbidden, "hub.authorize").With("role", u.Role))
				return
			}
			user = &u
		}
		if err := rt.serve(h, w, r, user); err != nil {
			h.writeError(w, r, err)
		}
	})
}

func notFound(op string) error { return fault.New(fault.NotFound, hubapi.CodeNotFound, op) }

// servesAny reports whether a user may see an object of these regions.
func servesAny(u *hubapi.User, regions []string) bool {
	return slices.ContainsFunc(regions, u.Serves)
}

func (h *Hub) serveHealth(w http.ResponseWriter, _ *http.Request, _ *hubapi.User) error {
	writeJSON(w, http.StatusOK, hubapi.Health{Status: "ok", Version: h.opt.Version})
	return nil
}

func (h *Hub) serveLogin(w http.ResponseWriter, r *http.Request, _ *hubapi.User) error {
	var l hubapi.Login
	if err := decodeJSON(w, r, &l); err != nil {
		return err
	}
	s, err := h.login(r.Context(), l, h.clientAddr(r))
	if err != nil {
		return err
	}
	setLogUser(r, s.User.Name)
	writeJSON(w, http.StatusCreated, s)
	return nil
}

func (h *Hub) serveLogout(w http.ResponseWriter, r *http.Request, _ *hubapi.User) error {
	if err := h.logout(r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Hub) serveMe(w http.ResponseWriter, _ *http.Request, u *hubapi.User) error {
	writeJSON(w, http.StatusOK, u)
	return nil
}

// serveLibraries lists the latest release of each library that serves the
// caller's region; HQ sees every library, ?region= narrowing the list. A
// regional user asking for another region gets an empty list.
func (h *Hub) serveLibraries(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	region := r.URL.Query().Get("region")
	recs, err := h.store.Libraries()
	if err != nil {
		return err
	}
	out := []hubapi.LibraryHead{}
	for _, rec := range recs {
		if !servesAny(u, rec.Head.Regions) || (region != "" && !slices.Contains(rec.Head.Regions, region)) {
			continue
		}
		out = append(out, rec.Head)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

var libraryPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// serveReleaseNote answers the signed manifest of a library's latest release,
// the bytes as signed, tagged with the manifest's SHA-256 so a desktop that
// already trusts it gets a 304.
func (h *Hub) serveReleaseNote(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	const op = "hub.releaseNote"
	lib := r.PathValue("lib")
	if !libraryPattern.MatchString(lib) {
		return notFound(op)
	}
	rec, ok, err := h.store.Latest(lib)
	if err != nil {
		return err
	}
	if !ok || !servesAny(u, rec.Head.Regions) {
		return notFound(op)
	}
	note, err := h.store.Note(lib, rec.Head.Version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+rec.Head.ManifestSHA256+`"`)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(note))
	return nil
}

// serveBlob answers a file of a stored release that serves the caller's
// region, with Range support; content-addressed, so cached for good.
func (h *Hub) serveBlob(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	const op = "hub.blob"
	sha := r.PathValue("sha256")
	if !shaPattern.MatchString(sha) {
		return notFound(op)
	}
	ok, err := h.store.BlobServes(sha, u.Region)
	if err != nil {
		return err
	}
	if !ok {
		return notFound(op)
	}
	f, err := h.blobs.open(sha)
	if err != nil {
		// Indexed but gone: the data folder was damaged.
		kind := fault.Unavailable
		if errors.Is(err, fs.ErrNotExist) {
			kind = fault.Internal
		}
		return fault.New(kind, hubapi.CodeUnavailable, op).With("sha256", sha).Wrap(err)
	}
	defer f.Close()
	w.Header().Set("ETag", `"`+sha+`"`)
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, "", time.Time{}, f)
	return nil
}

// serveReleases lists every stored release, newest first (by creation,
// then library id, then version).
func (h *Hub) serveReleases(w http.ResponseWriter, _ *http.Request, _ *hubapi.User) error {
	recs, err := h.store.Releases()
	if err != nil {
		return err
	}
	out := make([]hubapi.LibraryHead, 0, len(recs))
	for _, rec := range recs {
		out = append(out, rec.Head)
	}
	slices.SortStableFunc(out, func(a, b hubapi.LibraryHead) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		if c := strings.Compare(a.Library, b.Library); c != 0 {
			return c
		}
		return compareDesc(a.Version, b.Version)
	})
	writeJSON(w, http.StatusOK, out)
	return nil
}

func compareDesc(a, b uint64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// servePublish spools an uploaded release zip to dir/tmp (at most
// MaxRelease bytes), then publishes it: 201 with its head, or 200 with the
// existing head when it is the library's latest release already.
func (h *Hub) servePublish(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	const op = "hub.publish"
	if !hasType(r, "application/zip") {
		return requestInvalid("content_type")
	}
	limit := h.opt.MaxRelease
	if r.ContentLength > limit {
		return tooLarge(limit)
	}
	spool, err := os.CreateTemp(h.tmp, "upload-*.zip")
	if err != nil {
		return fault.New(fault.Unavailable, hubapi.CodeUnavailable, op).Wrap(err)
	}
	defer os.Remove(spool.Name())
	_, err = io.Copy(spool, http.MaxBytesReader(w, r.Body, limit))
	if cerr := spool.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(limit)
		}
		return fault.New(fault.Transient, hubapi.CodeUnavailable, op).Wrap(err)
	}
	src, err := library.OpenSource(spool.Name())
	if err != nil {
		return err
	}
	defer src.Close()
	head, created, err := h.publishRelease(r.Context(), src)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		h.log.Info("hub: release uploaded", "user", u.Name, "library", head.Library, "version", head.Version)
	}
	writeJSON(w, status, head)
	return nil
}

func (h *Hub) serveUsers(w http.ResponseWriter, _ *http.Request, _ *hubapi.User) error {
	users, err := h.Users()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, users)
	return nil
}

func (h *Hub) serveAddUser(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	var nu hubapi.NewUser
	if err := decodeJSON(w, r, &nu); err != nil {
		return err
	}
	created, err := h.AddUser(nu)
	if err != nil {
		return err
	}
	h.log.Info("hub: user added by", "admin", u.Name, "user", created.Name)
	writeJSON(w, http.StatusCreated, created)
	return nil
}

func (h *Hub) serveDisableUser(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	name := r.PathValue("name")
	if err := h.DisableUser(name); err != nil {
		return err
	}
	h.log.Info("hub: user disabled by", "admin", u.Name, "user", name)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
