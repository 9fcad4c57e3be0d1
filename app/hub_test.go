package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hub"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/hubclient"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/online"
	"github.com/outpost-studio/outpost/backend/secrets"
	"github.com/outpost-studio/outpost/backend/settings"
	"github.com/outpost-studio/outpost/backend/task"
)

// fakeKeychain is a system keychain in memory; broken makes it unreachable.
type fakeKeychain struct {
	mu     sync.Mutex
	items  map[string]string
	broken bool
}

func (k *fakeKeychain) Get(s, a string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.broken {
		return "", errors.New("no secret service")
	}
	v, ok := k.items[s+"|"+a]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}

func (k *fakeKeychain) Set(s, a, v string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.broken {
		return errors.New("no secret service")
	}
	k.items[s+"|"+a] = v
	return nil
}

func (k *fakeKeychain) Delete(s, a string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.broken {
		return errors.New("no secret service")
	}
	if _, ok := k.items[s+"|"+a]; !ok {
		return secrets.ErrNotFound
	}
	delete(k.items, s+"|"+a)
	return nil
}

func (k *fakeKeychain) token(hubURL, user string) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.items[secrets.Service+"|"+secrets.Account(hubURL, user)]
}

// openDemoHub opens a real hub in a temp folder with the demo accounts and
// the sample release; the caller serves it and closes it.
func openDemoHub(t *testing.T) *hub.Hub {
	t.Helper()
	h, err := hub.Open(t.TempDir(), hub.Options{Trust: []library.Trust{hub.DemoTrust()}, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	return h
}

// demoHub is a real hub with the demo accounts and the sample release on a
// loopback listener.
func demoHub(t *testing.T) (*hub.Hub, string) {
	t.Helper()
	h := openDemoHub(t)
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	return h, srv.URL
}

// newHubApp is an app with an open, empty store, the keychain k, and the
// hub at url saved in the settings and reachable.
func newHubApp(t *testing.T, url string, k *fakeKeychain) *App {
	t.Helper()
	a := newLibraryApp(t)
	a.hub.keys = secrets.NewWith(k, time.Second)
	if _, err := (&SettingsService{a}).Save(settings.Settings{HubURL: url, Language: "en"}); err != nil {
		t.Fatal(err)
	}
	a.monitor.Start(url)
	deadline := time.Now().Add(10 * time.Second)
	for a.monitor.Status().State != online.Online {
		if time.Now().After(deadline) {
			t.Fatalf("the hub never answered: %+v", a.monitor.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return a
}

func hubclientFor(t *testing.T, url, token string) *hubclient.Client {
	t.Helper()
	c, err := hubclient.New(url)
	if err != nil {
		t.Fatal(err)
	}
	c.SetToken(token)
	return c
}

func TestSignInCheckSyncAndSignOut(t *testing.T) {
	_, url := demoHub(t)
	k := &fakeKeychain{items: map[string]string{}}
	a := newHubApp(t, url, k)
	svc := &HubService{a}

	st, _ := svc.Status()
	if st.SignedIn || st.HubURL != url || st.Keychain != string(secrets.Unknown) {
		t.Fatalf("before sign-in: %+v", st)
	}
	if _, err := svc.Sync(); fault.CodeOf(err) != CodeHubSignedOut {
		t.Fatalf("Sync signed out = %v", err)
	}
	if _, err := svc.Login("designer.fr", "wrong password"); fault.CodeOf(err) != hubapi.CodeLoginFailed {
		t.Fatalf("wrong password = %v", err)
	}
	st, err := svc.Login("designer.fr", hub.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !st.SignedIn || st.User.Name != "designer.fr" || st.User.Role != string(hubapi.RoleDesigner) || st.User.Region != "fr" || st.Keychain != "ok" {
		t.Fatalf("after sign-in: %+v", st)
	}
	tok := k.token(url, "designer.fr")
	if tok == "" {
		t.Fatal("the token is not in the keychain")
	}
	// Never in a file: not in the settings, which remember the user only.
	b, _ := os.ReadFile(a.settings.Path())
	if strings.Contains(string(b), tok) || a.settings.Get().HubUser != "designer.fr" {
		t.Fatalf("settings file: %s", b)
	}

	// The check finds the sample release, not on this computer yet.
	a.hub.refresh(context.Background())
	st, _ = svc.Status()
	if len(st.Updates) != 1 || st.Updates[0].Library != "cairn-sample" || st.Updates[0].Local != 0 || st.Updates[0].Remote != 1 || st.LastCheck == "" || st.Error != nil {
		t.Fatalf("check: %+v", st)
	}

	var phases []string
	var files int64
	var mu sync.Mutex
	a.tasks = task.NewRunner(func(u task.Update) {
		mu.Lock()
		defer mu.Unlock()
		if n := len(phases); n == 0 || phases[n-1] != u.Progress.Phase {
			phases = append(phases, u.Progress.Phase)
		}
		if u.Progress.FilesTotal > 0 {
			files = u.Progress.FilesTotal
		}
		if u.State == task.Failed {
			t.Errorf("sync failed: %+v", u.Error)
		}
	})
	id, err := svc.Sync()
	if err != nil || !strings.HasPrefix(id, "sync-") {
		t.Fatalf("Sync = %q, %v", id, err)
	}
	waitIdle(t, a)
	info := a.libraryInfo()
	if info == nil || info.ID != "cairn-sample" || info.Version != 1 {
		t.Fatalf("library after sync: %+v", info)
	}
	mu.Lock()
	if files < 10 || !strings.Contains(strings.Join(phases, ","), "download") {
		t.Errorf("progress: phases %v, %d files", phases, files)
	}
	mu.Unlock()
	st, _ = svc.Status()
	if st.LastSync == "" || len(st.Updates) != 0 {
		t.Fatalf("after sync: %+v", st)
	}
	if a.settings.Get().LastSync != st.LastSync {
		t.Fatalf("last sync not remembered: %q", a.settings.Get().LastSync)
	}

	// A restart reads the token back from the keychain.
	b2 := New(Config{Logger: slog.New(slog.DiscardHandler)})
	b2.hub.keys = secrets.NewWith(k, time.Second)
	if st, _ := (&HubService{b2}).Status(); !st.SignedIn || st.User.Name != "designer.fr" {
		t.Fatalf("after restart: %+v", st)
	}

	st, err = svc.Logout()
	if err != nil || st.SignedIn || st.User.Name != "designer.fr" {
		t.Fatalf("Logout = %+v, %v", st, err)
	}
	if k.token(url, "designer.fr") != "" {
		t.Fatal("the token stayed in the keychain")
	}
	// The hub revoked it too.
	c := hubclientFor(t, url, tok)
	if _, err := c.Me(context.Background()); fault.CodeOf(err) != hubapi.CodeUnauthenticated {
		t.Fatalf("the revoked token still works: %v", err)
	}
}

func TestARevokedTokenSignsOutAndLeavesTheKeychain(t *testing.T) {
	h, url := demoHub(t)
	k := &fakeKeychain{items: map[string]string{}}
	a := newHubApp(t, url, k)
	svc := &HubService{a}
	if _, err := svc.Login("approver.be", hub.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if err := h.DisableUser("approver.be"); err != nil {
		t.Fatal(err)
	}
	a.hub.refresh(context.Background())
	st, _ := svc.Status()
	if st.SignedIn || st.Error == nil || st.Error.Code != hubapi.CodeUnauthenticated {
		t.Fatalf("after the hub revoked the token: %+v", st)
	}
	if k.token(url, "approver.be") != "" {
		t.Fatal("a revoked token stayed in the keychain")
	}
	if st.User.Name != "approver.be" {
		t.Fatalf("the user name is kept to sign in again: %+v", st.User)
	}
}

func TestWithoutAKeychainTheSessionLastsThisRunOnly(t *testing.T) {
	_, url := demoHub(t)
	k := &fakeKeychain{items: map[string]string{}, broken: true}
	a := newHubApp(t, url, k)
	st, err := (&HubService{a}).Login("designer.ch", hub.DemoPassword)
	if err != nil || !st.SignedIn || st.Keychain != string(secrets.Unavailable) {
		t.Fatalf("Login = %+v, %v", st, err)
	}
	a.hub.refresh(context.Background())
	if st, _ := (&HubService{a}).Status(); !st.SignedIn || len(st.Updates) != 1 {
		t.Fatalf("signed in for this run: %+v", st)
	}
	// Nothing reached a file.
	err = filepath.WalkDir(filepath.Dir(a.settings.Path()), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			if strings.Contains(string(b), "token") {
				t.Errorf("%s mentions a token", p)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	next := New(Config{Logger: slog.New(slog.DiscardHandler)})
	next.hub.keys = secrets.NewWith(k, time.Second)
	if st, _ := (&HubService{next}).Status(); st.SignedIn || st.User.Name != "designer.ch" || st.Keychain != string(secrets.Unavailable) {
		t.Fatalf("next run: %+v", st)
	}
}

func TestChangingTheHubURLForgetsTheSessionOfTheOldOne(t *testing.T) {
	_, url := demoHub(t)
	k := &fakeKeychain{items: map[string]string{}}
	a := newHubApp(t, url, k)
	svc := &HubService{a}
	if _, err := svc.Login("designer.fr", hub.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := (&SettingsService{a}).Save(settings.Settings{HubURL: "", Language: "en"}); err != nil {
		t.Fatal(err)
	}
	if st, _ := svc.Status(); st.SignedIn || st.HubURL != "" {
		t.Fatalf("no hub: %+v", st)
	}
	if a.settings.Get().HubUser != "designer.fr" {
		t.Fatal("the settings form dropped the hub user")
	}
	if _, err := svc.Login("designer.fr", hub.DemoPassword); fault.CodeOf(err) != CodeHubNotConfigured {
		t.Fatalf("Login without a hub = %v", err)
	}
	// Back to the same hub: the keychain still holds its session.
	if _, err := (&SettingsService{a}).Save(settings.Settings{HubURL: url, Language: "en"}); err != nil {
		t.Fatal(err)
	}
	if st, _ := svc.Status(); !st.SignedIn || st.User.Name != "designer.fr" {
		t.Fatalf("same hub again: %+v", st)
	}
}

func TestAnHQAccountSyncsForTheOfficeRegion(t *testing.T) {
	_, url := demoHub(t)
	k := &fakeKeychain{items: map[string]string{}}
	for _, tt := range []struct {
		region string
		code   fault.Code // "" for a sync that succeeds
	}{
		{"ch", ""},
		{"", ""},                        // no region set: the region is not checked
		{"de", library.CodeWrongRegion}, // the sample does not serve it
	} {
		t.Run("region "+tt.region, func(t *testing.T) {
			a := newHubApp(t, url, k)
			if _, err := a.settings.Update(func(s *settings.Settings) { s.Region = tt.region }); err != nil {
				t.Fatal(err)
			}
			st, err := (&HubService{a}).Login("reviewer", hub.DemoPassword)
			if err != nil || st.User.Region != hubapi.AllRegions || st.User.Role != string(hubapi.RoleHQReviewer) {
				t.Fatalf("Login = %+v, %v", st, err)
			}
			var failed *fault.Payload
			var mu sync.Mutex
			a.tasks = task.NewRunner(func(u task.Update) {
				mu.Lock()
				defer mu.Unlock()
				if u.State == task.Failed {
					failed = u.Error
				}
			})
			if _, err := (&HubService{a}).Sync(); err != nil {
				t.Fatal(err)
			}
			waitIdle(t, a)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case tt.code == "" && (failed != nil || a.libraryInfo() == nil):
				t.Fatalf("sync failed: %+v", failed)
			case tt.code != "" && (failed == nil || failed.Code != tt.code || a.libraryInfo() != nil):
				t.Fatalf("sync for region %q = %+v, library %+v", tt.region, failed, a.libraryInfo())
			}
		})
	}
}
