package task

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
)

type recorder struct {
	mu  sync.Mutex
	all []Update
	end chan Update
}

func newRecorder() *recorder { return &recorder{end: make(chan Update, 16)} }

func (r *recorder) sink(u Update) {
	r.mu.Lock()
	r.all = append(r.all, u)
	r.mu.Unlock()
	if u.State != Running {
		r.end <- u
	}
}

func (r *recorder) wait(t *testing.T) Update {
	t.Helper()
	select {
	case u := <-r.end:
		return u
	case <-time.After(10 * time.Second):
		t.Fatal("task did not end")
		return Update{}
	}
}

func TestATaskReportsRunningProgressAndDone(t *testing.T) {
	rec := newRecorder()
	r := NewRunner(rec.sink)
	defer r.Close()
	id := r.Start("export", func(ctx context.Context, report Reporter) error {
		for i := int64(0); i <= 4; i++ {
			report(Progress{Phase: "render", Done: i, Total: 4, Unit: UnitFiles})
		}
		return nil
	})
	end := rec.wait(t)
	if end.ID != id || end.State != Done || end.Kind != "export" {
		t.Fatalf("end = %+v", end)
	}
	if end.Progress.Done != 4 || end.Progress.Total != 4 {
		t.Fatalf("last progress not delivered before done: %+v", end.Progress)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.all[0].State != Running || rec.all[0].Seq != 1 {
		t.Fatalf("first update = %+v", rec.all[0])
	}
	for i := 1; i < len(rec.all); i++ {
		if rec.all[i].Seq <= rec.all[i-1].Seq {
			t.Fatalf("seq not increasing: %+v", rec.all)
		}
	}
}

func TestProgressIsThrottledButTheLastStepAlwaysArrives(t *testing.T) {
	rec := newRecorder()
	r := NewRunner(rec.sink)
	defer r.Close()
	r.Start("sync", func(ctx context.Context, report Reporter) error {
		for i := int64(1); i <= 10000; i++ {
			report(Progress{Phase: "download", Done: i, Total: 10000, Unit: UnitBytes})
		}
		return nil
	})
	rec.wait(t)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.all) > 100 {
		t.Fatalf("%d updates for a fast task; the UI would drown", len(rec.all))
	}
	sawLast := false
	for _, u := range rec.all {
		if u.State == Running && u.Progress.Done == 10000 {
			sawLast = true
		}
	}
	if !sawLast {
		t.Fatal("the final progress step was dropped by the throttle")
	}
}

func TestAFailureCarriesTheErrorPayload(t *testing.T) {
	rec := newRecorder()
	r := NewRunner(rec.sink)
	defer r.Close()
	r.Start("export", func(context.Context, Reporter) error {
		return fault.New(fault.Unavailable, "export.disk_full", "export.Write").With("path", "/tmp/x.zip")
	})
	end := rec.wait(t)
	if end.State != Failed || end.Error == nil || end.Error.Code != "export.disk_full" || end.Error.Params["path"] != "/tmp/x.zip" {
		t.Fatalf("end = %+v", end)
	}
}

func TestCancelStopsATask(t *testing.T) {
	rec := newRecorder()
	r := NewRunner(rec.sink)
	defer r.Close()
	started := make(chan struct{})
	id := r.Start("sync", func(ctx context.Context, _ Reporter) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	})
	<-started
	if got := r.Active(); len(got) != 1 || got[0].ID != id {
		t.Fatalf("Active = %+v", got)
	}
	if err := r.Cancel(id); err != nil {
		t.Fatal(err)
	}
	if end := rec.wait(t); end.State != Canceled || end.Error != nil {
		t.Fatalf("end = %+v", end)
	}
	if got := r.Active(); len(got) != 0 {
		t.Fatalf("finished task still active: %+v", got)
	}
	if err := r.Cancel(id); fault.CodeOf(err) != CodeUnknown {
		t.Fatalf("Cancel of a finished task = %v", err)
	}
}

func TestCloseCancelsAndWaits(t *testing.T) {
	rec := newRecorder()
	r := NewRunner(rec.sink)
	var stopped bool
	r.Start("sync", func(ctx context.Context, _ Reporter) error {
		<-ctx.Done()
		time.Sleep(10 * time.Millisecond)
		stopped = true
		return errors.Join(ctx.Err())
	})
	r.Close()
	if !stopped {
		t.Fatal("Close returned before the task ended")
	}
	if end := rec.wait(t); end.State != Canceled {
		t.Fatalf("end = %+v", end)
	}
}

func TestActiveListsTasksInStartOrder(t *testing.T) {
	r := NewRunner(func(Update) {})
	block := make(chan struct{})
	var ids []string
	for i := 0; i < 12; i++ {
		ids = append(ids, r.Start("export", func(ctx context.Context, _ Reporter) error { <-block; return nil }))
	}
	got := r.Active()
	for i := range ids {
		if got[i].ID != ids[i] {
			t.Fatalf("Active()[%d] = %s, want %s", i, got[i].ID, ids[i])
		}
	}
	close(block)
	r.Close()
}
