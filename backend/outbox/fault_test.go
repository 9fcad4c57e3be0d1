package outbox

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/hubclient"
)

// faultyRun queues n submissions of one checked sample and drains them
// through the fault-injecting proxy; it returns how many the hub lost and
// how many records it holds beyond one per submission.
func faultyRun(t *testing.T, n int, fresh bool) (lost, dups int) {
	th := newHub(t)
	s := newSample(t, th)
	c, ob := openOutbox(t, t.TempDir())
	defer c.Close()
	start := time.Now()
	ids := enqueueN(t, ob, s, n)
	queued := time.Since(start)

	px := newFaultProxy(t, th.srv.URL, uint64(n), 0.3)
	tr := &countingTransport{rt: &http.Transport{ResponseHeaderTimeout: time.Second, MaxIdleConnsPerHost: 4}}
	t.Cleanup(tr.rt.(*http.Transport).CloseIdleConnections)
	hc := th.client(t, px.URL(), th.tokens["designer.fr"], hubclient.WithTransport(tr))
	snd := NewSender(ob, hc, WithBackoff(time.Millisecond, 20*time.Millisecond))
	snd.fresh = fresh
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start = time.Now()
	if err := snd.DrainRetrying(ctx); err != nil {
		t.Fatal(err)
	}
	drained := time.Since(start)

	onHub := th.count(t)
	total := 0
	for _, k := range onHub {
		total += k
	}
	for _, id := range ids {
		rec, err := ob.Record(id)
		if err != nil || rec.Delivery != Delivered {
			t.Errorf("%s: %+v, %v", id, rec, err)
		}
		if !fresh && onHub[id] != 1 {
			lost++
		}
	}
	if p, _ := ob.Pending(); len(p) != 0 {
		t.Errorf("outbox not empty: %d", len(p))
	}
	dups = total - n
	attempts := 0
	for _, id := range ids {
		rec, _ := ob.Record(id)
		attempts += rec.Attempts
	}
	// Go's transport replays a PUT carrying an Idempotency-Key by itself when
	// a reused connection dies before an answer: those arrive at the proxy
	// without a sender attempt of their own, and the hub must absorb them too.
	replays := px.arrived.Load() - tr.puts.Load()
	t.Logf("n=%d fresh=%v: queued in %v, drained in %v; attempts %d, submission PUTs sent %d, at the proxy %d (transport replays %d), reached the hub %d; faults %v; hub records %d, lost %d, duplicates %d",
		n, fresh, queued.Round(time.Millisecond), drained.Round(time.Millisecond), attempts, tr.puts.Load(), px.arrived.Load(), replays, px.puts.Load(), px.summary(), total, lost, dups)
	if replays < 0 {
		t.Errorf("fewer PUTs at the proxy (%d) than the client sent (%d)", px.arrived.Load(), tr.puts.Load())
	}
	return lost, dups
}

// TestFaultyNetworkDeliversEachExactlyOnce: resets before and after the hub
// processed a request, 500s, 503s with Retry-After and stalls past the
// client's timeouts on 30% of requests: every submission is on the hub
// exactly once. OUTPOST_OUTBOX_1000=1 runs 1,000 instead of 100.
func TestFaultyNetworkDeliversEachExactlyOnce(t *testing.T) {
	n := 100
	if envInt("OUTPOST_OUTBOX_1000") {
		n = 1000
	}
	lost, dups := faultyRun(t, n, false)
	if lost != 0 || dups != 0 {
		t.Fatalf("lost %d, duplicates %d", lost, dups)
	}
}

// TestControlRunWithFreshIDsDuplicates is the same run with the mistake
// the outbox avoids, a fresh id (and so idempotency key) per attempt: the
// hub must hold duplicates, or the test above proves nothing.
func TestControlRunWithFreshIDsDuplicates(t *testing.T) {
	n := 100
	if envInt("OUTPOST_OUTBOX_1000") {
		n = 1000
	}
	_, dups := faultyRun(t, n, true)
	if dups == 0 {
		t.Fatal("the control run shows no duplicate: the fault injection does not reach the hub's answers")
	}
}
