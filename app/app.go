// Package app is the desktop shell: the only package that imports Wails. It
// wires the backend packages together and binds thin services to the UI.
package app

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/online"
	"github.com/outpost-studio/outpost/backend/outbox"
	"github.com/outpost-studio/outpost/backend/render"
	"github.com/outpost-studio/outpost/backend/secrets"
	"github.com/outpost-studio/outpost/backend/settings"
	"github.com/outpost-studio/outpost/backend/task"
)

// Config is what main hands to the shell.
type Config struct {
	Version string // set at build time with -ldflags -X
	Assets  fs.FS  // the built frontend (frontend/dist)
	Sample  Sample // the built-in sample library
	Logger  *slog.Logger
}

// uniqueID names Outpost for Wails' single-instance lock.
const uniqueID = "io.outpost.desktop.8d3c1f52"

// App holds the backend parts for the lifetime of the window.
type App struct {
	cfg Config
	log *slog.Logger

	settings *settings.Store
	monitor  *online.Monitor
	tasks    *task.Runner
	hub      *hubAccount
	out      outboxRun // the outbox and its sender

	mu         sync.Mutex
	ctx        context.Context // Wails' context, set by startup
	cache      *cache.Cache
	store      *library.Store // releases in the cache
	campaigns  *campaign.Store
	previews   previews
	lastPack   *PackSummary // the last pack written this session
	renditions renditions
	lib        *library.Index // the library the UI browses, nil if none
	sample     Sample
	dataDir    string          // the folder the open cache lives in
	warnings   []fault.Payload // problems found at startup, shown as banners
}

// New prepares the app. It reads the settings but opens nothing that Wails'
// single-instance lock must guard: that happens in startup.
func New(cfg Config) *App {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	a := &App{cfg: cfg, log: cfg.Logger, sample: cfg.Sample}
	a.previews = previews{renderer: render.New(), m: map[string]*preview{}, checks: map[string]checked{}}
	a.renditions = renditions{a: a}
	a.previews.picture = a.renditions.picture
	path, err := settings.DefaultPath()
	if err != nil {
		a.warn(err)
		path = settings.FileName
	}
	st, warning, err := settings.Open(path)
	if err != nil {
		a.warn(err)
	}
	if warning != nil {
		a.warn(warning)
	}
	a.settings = st
	a.tasks = task.NewRunner(a.emitTask)
	a.monitor = online.NewMonitor(30*time.Second, 5*time.Second, a.emitOnline)
	a.hub = newHubAccount(a, secrets.New())
	a.out.a = a
	return a
}

func (a *App) warn(err error) {
	a.log.Warn("startup", "err", err)
	a.mu.Lock()
	a.warnings = append(a.warnings, fault.ToPayload(err))
	a.mu.Unlock()
}

// Run opens the window and blocks until it is closed.
func Run(cfg Config) error {
	// A desktop app shares the machine: a soft memory limit keeps the
	// pack export (40 large photos decoded two at a time) near 500 MB
	// instead of letting the heap double between collections.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
	}
	a := New(cfg)
	return wails.Run(a.options())
}

func (a *App) options() *options.App {
	return &options.App{
		Title:     "Outpost",
		Width:     1280,
		Height:    820,
		MinWidth:  960,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets:     a.cfg.Assets,
			Middleware: a.libraryFiles,
		},
		BackgroundColour: &options.RGBA{R: 247, G: 247, B: 245, A: 255},
		// Photos dropped on the library are imported (frontend OnFileDrop
		// with --wails-drop-target: drop); a file dropped elsewhere does
		// not open in the window.
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		OnStartup:   a.startup,
		OnShutdown:  a.shutdown,
		Bind: []any{
			&SettingsService{a},
			&SystemService{a},
			&TaskService{a},
			&LibraryService{a},
			&CampaignService{a},
			&PackService{a},
			&HubService{a},
			&OutboxService{a},
		},
		ErrorFormatter: errorJSON,
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               uniqueID,
			OnSecondInstanceLaunch: a.secondInstance,
		},
		Linux:   &linux.Options{ProgramName: "Outpost"},
		Windows: &windows.Options{Theme: windows.SystemDefault},
		Mac: &mac.Options{
			About: &mac.AboutInfo{Title: "Outpost", Message: "Distributed marketing, offline first. " + a.cfg.Version},
		},
	}
}

// errorJSON is Wails' ErrorFormatter. Since Wails v2.13 a failed call rejects
// its promise with an Error whose message is whatever this returns; an object
// would arrive as "[object Object]", so the structured error travels as a
// JSON string that frontend/src/api/errors.ts decodes.
func errorJSON(err error) any { return fault.JSON(err) }

func (a *App) startup(ctx context.Context) {
	a.mu.Lock()
	a.ctx = ctx
	a.mu.Unlock()
	a.openCache()
	a.openLibrary()
	a.monitor.Start(a.settings.Get().HubURL)
	a.hub.start()
	a.out.start()
}

// openCache opens the database in the chosen data folder. Failure is not
// fatal: the shell still opens and says what is wrong.
func (a *App) openCache() {
	dir, err := a.resolveDataDir(a.settings.Get())
	if err != nil {
		a.warn(err)
		return
	}
	c, err := cache.Open(cache.Options{Dir: cache.DBDir(dir), Logger: a.log})
	if err != nil {
		a.warn(err)
		return
	}
	a.mu.Lock()
	a.cache, a.dataDir, a.store = c, dir, library.NewStore(c)
	a.campaigns = campaign.NewStore(c, a.store)
	a.mu.Unlock()
	a.out.open(outbox.New(c))
	a.log.Info("cache open", "dir", c.Dir())
}

func (a *App) resolveDataDir(s settings.Settings) (string, error) {
	if s.DataDir != "" {
		return s.DataDir, nil
	}
	return cache.DefaultDataDir()
}

func (a *App) shutdown(context.Context) {
	a.hub.close()
	a.out.close()
	a.tasks.Close()
	a.monitor.Stop()
	a.mu.Lock()
	c := a.cache
	a.cache, a.store, a.lib, a.campaigns = nil, nil, nil, nil
	a.mu.Unlock()
	if c != nil {
		if err := c.Close(); err != nil {
			a.log.Error("closing cache", "err", err)
		}
	}
}

func (a *App) secondInstance(options.SecondInstanceData) {
	ctx := a.wailsCtx()
	if ctx == nil {
		return
	}
	runtime.WindowUnminimise(ctx)
	runtime.Show(ctx)
}

func (a *App) wailsCtx() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ctx
}
