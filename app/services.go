package app

import (
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/online"
	"github.com/outpost-studio/outpost/backend/settings"
	"github.com/outpost-studio/outpost/backend/task"
)

// CodeCacheUnavailable is returned by calls that need the local store when it
// could not be opened at startup (the startup warning says why).
const CodeCacheUnavailable fault.Code = "app.cache_unavailable"

// SettingsService reads and saves the user's preferences.
type SettingsService struct{ a *App }

// SaveResult is the saved settings and whether a restart applies them fully.
type SaveResult struct {
	Settings      settings.Settings `json:"settings"`
	RestartNeeded bool              `json:"restartNeeded"` // the data folder changed
}

// Get returns the current settings.
func (s *SettingsService) Get() (settings.Settings, error) { return s.a.settings.Get(), nil }

// Languages lists the UI languages Outpost ships.
func (s *SettingsService) Languages() []string { return settings.Languages }

// Save validates and stores the settings. A new hub URL is probed at once; a
// new data folder is used from the next start.
func (s *SettingsService) Save(in settings.Settings) (SaveResult, error) {
	var before settings.Settings
	saved, err := s.a.settings.Update(func(cur *settings.Settings) {
		before = *cur
		// The hub account is kept by signing in and syncing, not by the form.
		in.HubUser, in.LastSync = cur.HubUser, cur.LastSync
		*cur = in
	})
	if err != nil {
		return SaveResult{Settings: before}, err
	}
	if saved.HubURL != before.HubURL {
		s.a.monitor.SetHub(saved.HubURL)
		s.a.hub.hubChanged()
	}
	res := SaveResult{Settings: saved}
	if dir, err := s.a.resolveDataDir(saved); err == nil {
		s.a.mu.Lock()
		res.RestartNeeded = s.a.dataDir != "" && dir != s.a.dataDir
		s.a.mu.Unlock()
	}
	return res, nil
}

// ChooseDataDir asks the user for a folder; "" when they cancel.
func (s *SettingsService) ChooseDataDir() (string, error) {
	ctx := s.a.wailsCtx()
	if ctx == nil {
		return "", nil
	}
	return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{CanCreateDirectories: true})
}

// SystemService tells the UI what the status bar and banners show.
type SystemService struct{ a *App }

// Status is the shell's state.
type Status struct {
	Version        string          `json:"version"`
	Library        *LibraryInfo    `json:"library"` // nil until a library is synced or opened
	Online         online.Status   `json:"online"`
	SettingsPath   string          `json:"settingsPath"`
	DataDir        string          `json:"dataDir"`        // the folder in use, "" if none could be opened
	DefaultDataDir string          `json:"defaultDataDir"` // used when settings leave it empty
	Storage        *cache.Stats    `json:"storage"`
	Warnings       []fault.Payload `json:"warnings"`
}

// Status returns the shell's state.
func (s *SystemService) Status() (Status, error) {
	a := s.a
	st := Status{
		Version:      a.cfg.Version,
		Library:      a.libraryInfo(),
		Online:       a.monitor.Status(),
		SettingsPath: a.settings.Path(),
		Warnings:     []fault.Payload{},
	}
	if d, err := cache.DefaultDataDir(); err == nil {
		st.DefaultDataDir = d
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	st.DataDir = a.dataDir
	st.Warnings = append(st.Warnings, a.warnings...)
	if a.cache != nil {
		stats := a.cache.Stats()
		st.Storage = &stats
	}
	return st, nil
}

// Recheck probes the hub now.
func (s *SystemService) Recheck() { s.a.monitor.Recheck() }

// TaskService starts, lists and cancels background work.
type TaskService struct{ a *App }

// Compact starts compacting the local store and returns the task id.
func (t *TaskService) Compact() (string, error) {
	t.a.mu.Lock()
	c := t.a.cache
	t.a.mu.Unlock()
	if c == nil {
		return "", fault.New(fault.Unavailable, CodeCacheUnavailable, "app.Compact")
	}
	return t.a.tasks.Start("compact", c.Compact), nil
}

// Cancel stops a running task.
func (t *TaskService) Cancel(id string) error { return t.a.tasks.Cancel(id) }

// Active lists the running tasks.
func (t *TaskService) Active() []task.Update { return t.a.tasks.Active() }
