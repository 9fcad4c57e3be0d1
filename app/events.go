package app

import (
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/outpost-studio/outpost/backend/online"
	"github.com/outpost-studio/outpost/backend/task"
)

// Event names the UI subscribes to (frontend/src/api/events.ts).
const (
	EventTask   = "outpost:task"   // payload: task.Update
	EventOnline = "outpost:online" // payload: online.Status
	EventHub    = "outpost:hub"    // payload: HubStatus (hub.go)
	// EventOutbox: an OutboxItem (outbox.go) on every change of a
	// submission: queued, an attempt, delivered or refused, the hub's
	// state, history or thread; its seq grows.
	EventOutbox = "outpost:outbox"
	// EventCampaign: a CampaignChange (outbox.go) when submitting or the
	// hub changed a campaign's status (changes_requested reopens it).
	EventCampaign = "outpost:campaign"
)

func (a *App) emit(name string, payload any) {
	if ctx := a.wailsCtx(); ctx != nil {
		runtime.EventsEmit(ctx, name, payload)
	}
}

func (a *App) emitTask(u task.Update) { a.emit(EventTask, u) }
func (a *App) emitOnline(s online.Status) {
	a.emit(EventOnline, s)
	a.hub.onlineChanged(s)
}
