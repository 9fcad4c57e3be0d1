package app

import (
	"context"
	"path/filepath"
	"sync"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/hubclient"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/online"
	"github.com/outpost-studio/outpost/backend/secrets"
	"github.com/outpost-studio/outpost/backend/settings"
	"github.com/outpost-studio/outpost/backend/task"
)

// Error codes of the hub account.
const (
	CodeHubNotConfigured fault.Code = "app.hub_not_configured" // no hub URL in the settings
	CodeHubSignedOut     fault.Code = "app.hub_signed_out"     // a call that needs a session without one
)

// HubCheckEvery is how often a signed-in app asks the hub for new releases
// while it is reachable (it also asks at startup and on reconnecting).
const HubCheckEvery = 15 * time.Minute

// hubCallTimeout bounds the short hub calls (sign-in, me, check).
const hubCallTimeout = 60 * time.Second

// SpoolDirName is the folder under the data folder where a sync downloads.
const SpoolDirName = "spool"

// HubUser is the signed-in hub account. Its fields are spelled out (not
// hubapi.User) so the UI's generated types stay the app's own.
type HubUser struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	Role        string `json:"role"`   // "" until the hub has said (offline since startup)
	Region      string `json:"region"` // "*" for HQ roles
}

// HubUpdate is a library whose hub release is newer than the trusted one.
type HubUpdate struct {
	Library string `json:"library"`
	Name    string `json:"name"`
	Local   uint64 `json:"local"` // 0: not on this computer yet
	Remote  uint64 `json:"remote"`
}

// HubStatus is the hub account as the Settings view and the status bar show it.
type HubStatus struct {
	HubURL   string `json:"hubUrl"`
	SignedIn bool   `json:"signedIn"`
	// User is the signed-in user; when signed out, only the name of the last
	// one, to fill in the sign-in form.
	User HubUser `json:"user"`
	// Keychain is where the token is kept: "ok" (the system keychain),
	// "unavailable" (memory, for this run only) or "unknown" (not used yet).
	Keychain  string      `json:"keychain"`
	Updates   []HubUpdate `json:"updates"`
	LastSync  string      `json:"lastSync"`  // RFC 3339; "" never synced
	LastCheck string      `json:"lastCheck"` // RFC 3339; "" not checked this run
	// Error is why the last check failed, or why the session ended.
	Error *fault.Payload `json:"error"`
	// Seq grows with every change; the UI keeps the highest.
	Seq uint64 `json:"seq"`
}

// hubAccount is the session with the hub and the background check for new
// releases. The token lives in the keychain and in memory, never in a file.
type hubAccount struct {
	a         *App
	keys      *secrets.Keychain
	every     time.Duration
	pollEvery time.Duration // how often the outbox asks the hub what became of its submissions

	mu        sync.Mutex
	loaded    string // the hub URL whose token was read from the keychain
	url       string
	token     string
	user      HubUser
	client    *hubclient.Client // for url
	updates   []HubUpdate
	lastCheck time.Time
	err       *fault.Payload
	seq       uint64
	syncID    string // the running sync task
	gen       uint64 // counts sign-ins, sign-outs and hub changes: a slower load must not undo them

	kick chan struct{}
	stop context.CancelFunc
	done chan struct{}
}

func newHubAccount(a *App, keys *secrets.Keychain) *hubAccount {
	return &hubAccount{a: a, keys: keys, every: HubCheckEvery, pollEvery: OutboxPollEvery, kick: make(chan struct{}, 1)}
}

// start runs the checker: at once, on every kick and every h.every.
func (h *hubAccount) start() {
	ctx, cancel := context.WithCancel(context.Background())
	h.mu.Lock()
	h.stop, h.done = cancel, make(chan struct{})
	h.mu.Unlock()
	h.poke()
	go h.loop(ctx)
}

// close stops the checker and waits for it.
func (h *hubAccount) close() {
	h.mu.Lock()
	stop, done := h.stop, h.done
	h.stop = nil
	h.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}

func (h *hubAccount) loop(ctx context.Context) {
	defer close(h.done)
	t := time.NewTicker(h.every)
	defer t.Stop()
	p := time.NewTicker(h.pollEvery)
	defer p.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.C:
			h.pollOutbox(ctx)
			continue
		case <-t.C:
		case <-h.kick:
		}
		h.refresh(ctx)
	}
}

// poke asks the checker to look now. It never blocks.
func (h *hubAccount) poke() {
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

// onlineChanged hears every change of the hub connection: reaching the hub
// again is a reason to check.
func (h *hubAccount) onlineChanged(s online.Status) {
	if s.State == online.Online {
		h.poke()
		h.a.out.kick()
	}
}

// pollOutbox brings back what became of the outbox's submissions when the
// hub is reachable and there is a session, and wakes the sender.
func (h *hubAccount) pollOutbox(ctx context.Context) {
	if _, err := h.session("app.outboxPoll"); err != nil {
		return
	}
	h.mu.Lock()
	url := h.url
	h.mu.Unlock()
	if st := h.a.monitor.Status(); st.State != online.Online || st.HubURL != url {
		return
	}
	h.a.out.kick()
	if err := h.a.out.pollNow(ctx); err != nil {
		h.a.log.Info("outbox: poll", "err", err)
	}
}

// hubChanged forgets the session of the previous hub; the checker reads the
// new hub's token, if the keychain holds one.
func (h *hubAccount) hubChanged() {
	h.mu.Lock()
	h.gen++
	h.loaded, h.token, h.client, h.updates, h.err, h.lastCheck = "", "", nil, nil, nil, time.Time{}
	h.user = HubUser{Name: h.user.Name}
	h.mu.Unlock()
	h.emit()
	h.poke()
}

// load reads the remembered user's token for the configured hub from the
// keychain, once per hub URL.
func (h *hubAccount) load() {
	s := h.a.settings.Get()
	h.mu.Lock()
	if h.loaded == s.HubURL && h.url == s.HubURL {
		h.mu.Unlock()
		return
	}
	gen := h.gen
	h.mu.Unlock()
	var tok string
	if s.HubURL != "" && s.HubUser != "" {
		var err error
		if tok, err = h.keys.Get(s.HubURL, s.HubUser); err != nil {
			h.a.log.Warn("hub: keychain", "err", err)
		}
	}
	h.mu.Lock()
	if h.gen != gen { // signed in or out, or another hub, meanwhile
		h.mu.Unlock()
		return
	}
	if h.url != s.HubURL || h.user.Name != s.HubUser {
		h.user = HubUser{Name: s.HubUser}
	}
	h.url, h.loaded, h.token, h.client = s.HubURL, s.HubURL, tok, nil
	h.mu.Unlock()
	h.emit()
}

// session returns a client for the configured hub with the token, or an
// error when there is no hub or no session.
func (h *hubAccount) session(op string) (*hubclient.Client, error) {
	h.load()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.url == "" {
		return nil, fault.New(fault.Invalid, CodeHubNotConfigured, op)
	}
	if h.token == "" {
		return nil, fault.New(fault.Permission, CodeHubSignedOut, op)
	}
	if h.client == nil {
		c, err := hubclient.New(h.url)
		if err != nil {
			return nil, err
		}
		h.client = c
	}
	h.client.SetToken(h.token)
	return h.client, nil
}

// refresh checks the hub for new releases when it is reachable and there
// is a session; the session ends if the hub no longer knows the token.
func (h *hubAccount) refresh(ctx context.Context) {
	c, err := h.session("app.hubCheck")
	if err != nil {
		return
	}
	h.mu.Lock()
	url, tok := h.url, h.token
	h.mu.Unlock()
	if st := h.a.monitor.Status(); st.State != online.Online || st.HubURL != url {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, hubCallTimeout)
	defer cancel()
	if err := h.whoAmI(ctx, c); err != nil {
		h.failed(err, tok)
		return
	}
	h.a.out.kick()
	if err := h.a.out.pollNow(ctx); err != nil {
		h.a.log.Info("outbox: poll", "err", err)
	}
	store := h.a.libraryStore()
	if store == nil {
		return
	}
	ups, err := hubclient.Check(ctx, c, store)
	if err != nil {
		h.failed(err, tok)
		return
	}
	out := make([]HubUpdate, len(ups))
	for i, u := range ups {
		out[i] = HubUpdate{Library: u.Library, Name: u.Name, Local: u.Local, Remote: u.Remote}
	}
	h.mu.Lock()
	h.updates, h.err, h.lastCheck = out, nil, time.Now()
	h.mu.Unlock()
	h.emit()
}

// whoAmI asks the hub who the token belongs to and keeps the answer.
func (h *hubAccount) whoAmI(ctx context.Context, c *hubclient.Client) error {
	u, err := c.Me(ctx)
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.user = hubUser(u)
	h.mu.Unlock()
	return nil
}

func hubUser(u hubapi.User) HubUser {
	return HubUser{Name: u.Name, DisplayName: u.DisplayName, Role: string(u.Role), Region: u.Region}
}

// failed records the failure of a hub call made with token tok. The hub no
// longer knowing the token ends the session: it leaves the keychain (unless
// another session has begun meanwhile).
func (h *hubAccount) failed(err error, tok string) {
	h.mu.Lock()
	current := h.token == tok
	h.mu.Unlock()
	if !current {
		return
	}
	if fault.Is(err, hubapi.CodeUnauthenticated) {
		h.forget()
	}
	p := fault.ToPayload(err)
	h.mu.Lock()
	h.err = &p
	h.mu.Unlock()
	h.emit()
}

// forget ends the session on this computer: token out of memory and keychain.
func (h *hubAccount) forget() {
	h.mu.Lock()
	h.gen++
	url, name := h.url, h.user.Name
	h.token, h.updates = "", nil
	h.user = HubUser{Name: name}
	if h.client != nil {
		h.client.SetToken("")
	}
	h.mu.Unlock()
	if url != "" && name != "" {
		if err := h.keys.Delete(url, name); err != nil {
			h.a.log.Warn("hub: keychain", "err", err)
		}
	}
}

func (h *hubAccount) status() HubStatus {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.statusLocked()
}

// statusLocked is the status; h.mu is held.
func (h *hubAccount) statusLocked() HubStatus {
	s := h.a.settings.Get()
	st := HubStatus{
		HubURL: s.HubURL, SignedIn: h.token != "" && h.url == s.HubURL, User: h.user,
		Keychain: string(h.keys.State()), Updates: append([]HubUpdate{}, h.updates...),
		LastSync: s.LastSync, Error: h.err, Seq: h.seq,
	}
	if st.User.Name == "" {
		st.User.Name = s.HubUser
	}
	if !h.lastCheck.IsZero() {
		st.LastCheck = h.lastCheck.UTC().Format(time.RFC3339)
	}
	return st
}

// emit sends the status with a new seq, taken with the status it numbers.
func (h *hubAccount) emit() {
	h.mu.Lock()
	h.seq++
	st := h.statusLocked()
	h.mu.Unlock()
	h.a.emit(EventHub, st)
}

// libraryStore is the open store, nil when the cache could not be opened.
func (a *App) libraryStore() *library.Store {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.store
}

// HubService signs in to HQ's hub and syncs the library from it.
type HubService struct{ a *App }

// Status returns the hub account and the updates found.
func (s *HubService) Status() (HubStatus, error) {
	s.a.hub.load()
	return s.a.hub.status(), nil
}

// Login signs in to the configured hub. The token goes to the system
// keychain; without one it is kept in memory until Outpost quits, and the
// status says so (keychain "unavailable").
func (s *HubService) Login(user, password string) (HubStatus, error) {
	const op = "app.HubLogin"
	h := s.a.hub
	url := s.a.settings.Get().HubURL
	if url == "" {
		return h.status(), fault.New(fault.Invalid, CodeHubNotConfigured, op)
	}
	c, err := hubclient.New(url)
	if err != nil {
		return h.status(), err
	}
	ctx, cancel := context.WithTimeout(context.Background(), hubCallTimeout)
	defer cancel()
	sess, err := c.Login(ctx, user, password)
	if err != nil {
		return h.status(), err
	}
	if err := h.keys.Set(url, sess.User.Name, sess.Token); err != nil {
		s.a.log.Warn("hub: token kept in memory only", "err", err)
	}
	if _, err := s.a.settings.Update(func(st *settings.Settings) { st.HubUser = sess.User.Name }); err != nil {
		s.a.log.Warn("hub: remembering the user", "err", err)
	}
	h.mu.Lock()
	h.gen++
	h.url, h.loaded, h.token, h.client = url, url, sess.Token, c
	h.user, h.updates, h.err, h.lastCheck = hubUser(sess.User), nil, nil, time.Time{}
	h.mu.Unlock()
	h.emit()
	h.poke() // checks for releases, polls the outbox and wakes its sender
	return h.status(), nil
}

// Logout ends the session: the hub revokes the token when it can be
// reached, and the token leaves this computer either way.
func (s *HubService) Logout() (HubStatus, error) {
	h := s.a.hub
	h.mu.Lock()
	syncID := h.syncID
	h.mu.Unlock()
	if syncID != "" {
		s.a.tasks.Cancel(syncID) // it would fail without the token anyway
	}
	if c, err := h.session("app.HubLogout"); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := c.Logout(ctx); err != nil {
			s.a.log.Info("hub: logout not confirmed by the hub", "err", err)
		}
		cancel()
	}
	h.forget()
	h.mu.Lock()
	h.err = nil
	h.mu.Unlock()
	h.emit()
	return h.status(), nil
}

// Sync starts bringing the library up to the hub's latest release as a
// task (kind "sync") and returns its id; a sync already running is joined.
func (s *HubService) Sync() (string, error) {
	const op = "app.HubSync"
	a, h := s.a, s.a.hub
	store := a.libraryStore()
	if store == nil {
		return "", fault.New(fault.Unavailable, CodeCacheUnavailable, op)
	}
	c, err := h.session(op)
	if err != nil {
		return "", err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.syncID != "" {
		return h.syncID, nil
	}
	tok := h.token
	h.syncID = a.tasks.Start("sync", func(ctx context.Context, report task.Reporter) error {
		defer func() {
			h.mu.Lock()
			h.syncID = ""
			h.mu.Unlock()
			h.poke()
		}()
		err := a.sync(ctx, c, store, report)
		if fault.Is(err, hubapi.CodeUnauthenticated) {
			h.failed(err, tok) // the session ended: signed out
		}
		return err
	})
	return h.syncID, nil
}

// sync runs one sync with the signed-in user's region (for HQ roles, the
// office's region from the settings), then shows the synced library.
func (a *App) sync(ctx context.Context, c *hubclient.Client, store *library.Store, report task.Reporter) error {
	h := a.hub
	report(task.Progress{Phase: "check", Unit: task.UnitSteps})
	callCtx, cancel := context.WithTimeout(ctx, hubCallTimeout)
	err := h.whoAmI(callCtx, c)
	cancel()
	if err != nil {
		return err
	}
	h.mu.Lock()
	region := h.user.Region
	h.mu.Unlock()
	if region == hubapi.AllRegions || region == "" {
		region = a.settings.Get().Region
	}
	a.mu.Lock()
	spool := filepath.Join(a.dataDir, SpoolDirName)
	a.mu.Unlock()
	pol := library.Policy{Trust: a.trust(), Region: region, Now: time.Now()}
	res, err := hubclient.Sync(ctx, c, store, pol, spool, report)
	var changed []string
	for _, l := range res.Libraries {
		if l.Changed {
			changed = append(changed, l.Library)
		}
	}
	if len(changed) > 0 {
		if serr := a.settle(a.syncedLibrary(changed)); serr != nil && err == nil {
			err = serr
		}
	}
	if err != nil {
		return err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	if _, err := a.settings.Update(func(s *settings.Settings) { s.LastSync = now }); err != nil {
		a.log.Warn("hub: recording the sync", "err", err)
	}
	h.mu.Lock()
	h.updates, h.err = nil, nil
	h.mu.Unlock()
	h.emit()
	return nil
}

// syncedLibrary picks which of the libraries a sync changed to show: the
// one shown now if it is among them, else the first.
func (a *App) syncedLibrary(changed []string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.lib != nil {
		for _, id := range changed {
			if id == a.lib.Record.Library {
				return id
			}
		}
	}
	return changed[0]
}
