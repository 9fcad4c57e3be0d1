// Package task runs long backend work (sync, export, compaction) in the
// background, reports its progress through a callback and lets the user
// cancel it.
package task

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
)

// CodeCanceled is the code of work stopped by Cancel.
const CodeCanceled fault.Code = "task.canceled"

// CodeUnknown is the code for a task id that is not running.
const CodeUnknown fault.Code = "task.unknown"

// Units in which Progress counts.
const (
	UnitSteps = "steps"
	UnitBytes = "bytes"
	UnitFiles = "files"
)

// Progress is what running work reports: how far it is in its current phase.
// Total 0 means the amount is not known yet.
type Progress struct {
	Phase string `json:"phase"` // an i18n key suffix, e.g. "flatten", "download"
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
	Unit  string `json:"unit"`
	// Files and FilesTotal count files beside a byte amount (a sync shows
	// "120 MB of 480 MB · 31 of 1,000 files"); both 0 when not used.
	Files      int64 `json:"files,omitempty"`
	FilesTotal int64 `json:"filesTotal,omitempty"`
}

// Reporter receives progress from work. It must not block.
type Reporter func(Progress)

// State of a task.
type State string

// States a task moves through: running, then exactly one of the others.
const (
	Running  State = "running"
	Done     State = "done"
	Failed   State = "failed"
	Canceled State = "canceled"
)

// Update is one event about a task, as the UI receives it.
type Update struct {
	ID       string         `json:"id"`
	Kind     string         `json:"kind"` // what runs, e.g. "compact", "sync", "export"
	State    State          `json:"state"`
	Progress Progress       `json:"progress"`
	Error    *fault.Payload `json:"error,omitempty"`
	Seq      uint64         `json:"seq"` // orders updates of one task
}

// Func is the work: it honours ctx and reports through report.
type Func func(ctx context.Context, report Reporter) error

// Runner runs tasks and sends every Update to its sink.
type Runner struct {
	sink     func(Update)
	minEvery time.Duration // throttle for progress updates

	mu    sync.Mutex
	tasks map[string]*running
	wg    sync.WaitGroup
	ids   atomic.Uint64
	base  context.Context
	stop  context.CancelFunc
}

type running struct {
	n      uint64 // start order
	cancel context.CancelFunc
	last   Update
	sentAt time.Time
	seq    uint64
}

// NewRunner returns a runner that sends updates to sink. Progress updates of
// one task are sent at most every 50 ms; state changes always are.
func NewRunner(sink func(Update)) *Runner {
	ctx, stop := context.WithCancel(context.Background())
	return &Runner{sink: sink, minEvery: 50 * time.Millisecond, tasks: make(map[string]*running), base: ctx, stop: stop}
}

// Start runs fn in the background and returns its id.
func (r *Runner) Start(kind string, fn Func) string {
	n := r.ids.Add(1)
	id := fmt.Sprintf("%s-%d", kind, n)
	ctx, cancel := context.WithCancel(r.base)
	t := &running{n: n, cancel: cancel, last: Update{ID: id, Kind: kind, State: Running}}
	r.mu.Lock()
	r.tasks[id] = t
	r.mu.Unlock()
	r.send(id, func(u *Update) {}, true)

	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer cancel()
		err := fn(ctx, func(p Progress) {
			r.send(id, func(u *Update) { u.Progress = p }, false)
		})
		r.send(id, func(u *Update) {
			switch {
			case err == nil:
				u.State = Done
			case errors.Is(err, context.Canceled) || fault.KindOf(err) == fault.Canceled:
				u.State = Canceled
			default:
				u.State = Failed
				p := fault.ToPayload(err)
				u.Error = &p
			}
		}, true)
		r.mu.Lock()
		delete(r.tasks, id)
		r.mu.Unlock()
	}()
	return id
}

func (r *Runner) send(id string, change func(*Update), force bool) {
	r.mu.Lock()
	t, ok := r.tasks[id]
	if !ok {
		r.mu.Unlock()
		return
	}
	change(&t.last)
	now := time.Now()
	if !force && now.Sub(t.sentAt) < r.minEvery && t.last.Progress.Done != t.last.Progress.Total {
		r.mu.Unlock()
		return
	}
	t.sentAt = now
	t.seq++
	t.last.Seq = t.seq
	u := t.last
	r.mu.Unlock()
	r.sink(u)
}

// Cancel asks a running task to stop. It fails with CodeUnknown when no task
// has this id (it may have finished already).
func (r *Runner) Cancel(id string) error {
	r.mu.Lock()
	t, ok := r.tasks[id]
	r.mu.Unlock()
	if !ok {
		return fault.New(fault.NotFound, CodeUnknown, "task.Cancel").With("id", id)
	}
	t.cancel()
	return nil
}

// Active lists the running tasks' latest updates, oldest first.
func (r *Runner) Active() []Update {
	r.mu.Lock()
	defer r.mu.Unlock()
	ts := make([]*running, 0, len(r.tasks))
	for _, t := range r.tasks {
		ts = append(ts, t)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].n < ts[j].n })
	out := make([]Update, len(ts))
	for i, t := range ts {
		out[i] = t.last
	}
	return out
}

// Close cancels every task and waits for them to end.
func (r *Runner) Close() {
	r.stop()
	r.wg.Wait()
}
