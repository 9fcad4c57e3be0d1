package app

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/online"
	"github.com/outpost-studio/outpost/backend/settings"
)

// newTestApp gives the app its own config and cache folders, as a fresh
// install would have, and opens the store as startup does.
func newTestApp(t *testing.T) (*App, string) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	a := New(Config{Version: "test", Logger: slog.New(slog.DiscardHandler)})
	t.Cleanup(func() { a.shutdown(nil) })
	return a, home
}

func TestErrorsReachTheUIAsJSONStrings(t *testing.T) {
	got := errorJSON(fault.New(fault.Invalid, settings.CodeHubURLInvalid, "settings.Validate").With("field", "hubUrl"))
	s, ok := got.(string)
	if !ok {
		t.Fatalf("ErrorFormatter returned %T; Wails v2.16 turns non-strings into [object Object]", got)
	}
	var p fault.Payload
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		t.Fatal(err)
	}
	if p.Kind != "invalid" || p.Code != settings.CodeHubURLInvalid || p.Params["field"] != "hubUrl" {
		t.Fatalf("payload = %+v", p)
	}
}

func TestFreshInstallOpensWithDefaultsAndAStore(t *testing.T) {
	a, home := newTestApp(t)
	a.openCache()
	st, err := (&SystemService{a}).Status()
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Warnings) != 0 {
		t.Fatalf("warnings on a fresh install: %+v", st.Warnings)
	}
	if st.DataDir != filepath.Join(home, "cache", "Outpost") || st.Storage == nil {
		t.Fatalf("data folder %q, storage %+v", st.DataDir, st.Storage)
	}
	if st.SettingsPath != filepath.Join(home, "config", "Outpost", settings.FileName) {
		t.Fatalf("settings path %q", st.SettingsPath)
	}
	if st.Library != nil || st.Online.State != online.NoHub || st.Version != "test" {
		t.Fatalf("status = %+v", st)
	}
}

func TestSettingsServiceSavesValidatesAndFlagsARestart(t *testing.T) {
	a, home := newTestApp(t)
	a.openCache()
	svc := &SettingsService{a}

	_, err := svc.Save(settings.Settings{HubURL: "ftp://hub"})
	if fault.CodeOf(err) != settings.CodeHubURLInvalid {
		t.Fatalf("bad URL: %v", err)
	}
	res, err := svc.Save(settings.Settings{DisplayName: "Léa", Language: "fr"})
	if err != nil || res.RestartNeeded || res.Settings.DisplayName != "Léa" {
		t.Fatalf("Save = %+v, %v", res, err)
	}
	res, err = svc.Save(settings.Settings{DisplayName: "Léa", DataDir: filepath.Join(home, "elsewhere")})
	if err != nil || !res.RestartNeeded {
		t.Fatalf("moving the data folder must ask for a restart: %+v, %v", res, err)
	}

	// What was saved is what the next start reads.
	b := New(Config{Logger: slog.New(slog.DiscardHandler)})
	if got, _ := (&SettingsService{b}).Get(); got.DisplayName != "Léa" || got.DataDir != filepath.Join(home, "elsewhere") {
		t.Fatalf("after restart: %+v", got)
	}
}

func TestDamagedSettingsAndALockedStoreBecomeBannersNotCrashes(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	os.MkdirAll(filepath.Join(home, "config", "Outpost"), 0o700)
	os.WriteFile(filepath.Join(home, "config", "Outpost", settings.FileName), []byte("{broken"), 0o600)
	other, err := cache.Open(cache.Options{Dir: cache.DBDir(filepath.Join(home, "cache", "Outpost"))})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	a := New(Config{Logger: slog.New(slog.DiscardHandler)})
	defer a.shutdown(nil)
	a.openCache()
	st, _ := (&SystemService{a}).Status()
	codes := map[fault.Code]bool{}
	for _, w := range st.Warnings {
		codes[w.Code] = true
	}
	if !codes[settings.CodeCorrupt] || !codes[cache.CodeLocked] || len(codes) != 2 {
		t.Fatalf("warnings = %+v", st.Warnings)
	}
	if st.DataDir != "" || st.Storage != nil {
		t.Fatalf("a locked store reported as open: %+v", st)
	}
	if _, err := (&TaskService{a}).Compact(); fault.CodeOf(err) != CodeCacheUnavailable {
		t.Fatalf("Compact without a store = %v", err)
	}
}

func TestCompactRunsAsATask(t *testing.T) {
	a, _ := newTestApp(t)
	a.openCache()
	svc := &TaskService{a}
	id, err := svc.Compact()
	if err != nil || id == "" {
		t.Fatalf("Compact = %q, %v", id, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(svc.Active()) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("compact still running: %+v", svc.Active())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := svc.Cancel(id); fault.KindOf(err) != fault.NotFound {
		t.Fatalf("Cancel of a finished task = %v", err)
	}
}
