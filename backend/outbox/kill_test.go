package outbox

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestKillMidDrainDeliversEachExactlyOnce runs the outbox in a separate
// process (internal/drainer) and SIGKILLs it at random moments while it
// drains, then starts it again, until the outbox is empty: the hub holds
// every submission exactly once. 50 kills; OUTPOST_OUTBOX_KILLS=1 makes it
// 200.
func TestKillMidDrainDeliversEachExactlyOnce(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	kills := 50
	if envInt("OUTPOST_OUTBOX_KILLS") {
		kills = 200
	}
	bin := filepath.Join(t.TempDir(), "drainer")
	build := exec.Command("go", "build", "-o", bin, "./internal/drainer")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build drainer: %v\n%s", err, out)
	}
	th := newHub(t)
	s := newSample(t, th)
	dir := t.TempDir()
	var ids []string
	enqueue := func(n int) {
		c, ob := openOutbox(t, dir)
		ids = append(ids, enqueueN(t, ob, s, n)...)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	enqueue(4 * kills)

	rng := rand.New(rand.NewPCG(7, 7))
	start := time.Now()
	killed, runs, midDrain := 0, 0, 0
	onHubBefore := 0
	for {
		runs++
		var out bytes.Buffer
		cmd := exec.Command(bin, "-db", dir, "-hub", th.srv.URL, "-token", th.tokens["designer.fr"])
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		if killed < kills {
			select {
			case err = <-done:
			case <-time.After(time.Duration(10+rng.IntN(150)) * time.Millisecond):
				cmd.Process.Kill() // SIGKILL
				<-done
				killed++
				// A kill is mid-drain when the run delivered some and left some.
				if n := len(th.count(t)); n > onHubBefore && n < len(ids) {
					midDrain++
					onHubBefore = n
				}
				continue
			}
		} else {
			select {
			case err = <-done:
			case <-time.After(2 * time.Minute):
				cmd.Process.Kill()
				t.Fatalf("the last drain did not end:\n%s", out.String())
			}
		}
		if err != nil {
			t.Fatalf("drainer: %v\n%s", err, out.String())
		}
		if killed >= kills {
			break
		}
		// Drained before enough kills: more work.
		enqueue(2 * kills)
	}
	elapsed := time.Since(start)

	c, ob := openOutbox(t, dir)
	defer c.Close()
	if p, err := ob.Pending(); err != nil || len(p) != 0 {
		t.Fatalf("outbox after the last run: %d, %v", len(p), err)
	}
	onHub := th.count(t)
	lost, dups := tally(onHub, ids)
	for _, id := range ids {
		if rec, err := ob.Record(id); err != nil || rec.Delivery != Delivered {
			t.Errorf("%s: %+v, %v", id, rec, err)
		}
	}
	extra := len(onHub) - len(ids)
	t.Logf("%d submissions, %d runs, %d SIGKILLs (%d after some deliveries, before the last) in %v: hub records %d, lost %d, duplicates %d, unknown %d",
		len(ids), runs, killed, midDrain, elapsed.Round(time.Millisecond), len(onHub), lost, dups, extra)
	if lost != 0 || dups != 0 || extra != 0 {
		t.Fatal("not exactly once")
	}
}
