package outbox

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/submission"
)

func TestNewIDIsAPermanentSubmissionID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewID()
		if !ValidID(id) || len(id) != 30 || seen[id] {
			t.Fatalf("id %q", id)
		}
		seen[id] = true
	}
}

func TestEnqueueIsDurableIdempotentAndPinsRenditions(t *testing.T) {
	th := newHub(t)
	s := newSample(t, th)
	dir := t.TempDir()
	c, ob := openOutbox(t, dir)
	sub := s.make(1)
	if err := ob.Enqueue(sub, s.blobs); err != nil {
		t.Fatal(err)
	}
	// Again with the same body: nothing happens.
	if err := ob.Enqueue(sub, s.blobs); err != nil {
		t.Fatalf("same submission again: %v", err)
	}
	other := sub
	other.SubmittedAt = other.SubmittedAt.Add(time.Second)
	if err := ob.Enqueue(other, s.blobs); !fault.Is(err, CodeIDReused) {
		t.Fatalf("another body under the id: %v", err)
	}
	if err := ob.Enqueue(s.make(2), nil); err != nil {
		t.Fatalf("renditions already pinned: %v", err)
	}
	bad := map[string][]byte{}
	for sha := range s.blobs {
		bad[sha] = []byte("not these bytes")
	}
	if err := ob.Enqueue(s.make(3), bad); !fault.Is(err, CodeBlobMissing) {
		t.Fatalf("wrong bytes: %v", err)
	}
	noID := s.make(4)
	noID.ID = "sub_NOPE"
	if err := ob.Enqueue(noID, s.blobs); !fault.Is(err, CodeIDInvalid) {
		t.Fatalf("bad id: %v", err)
	}
	// Closed and opened again (a new process): both are queued, in order.
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, ob = openOutbox(t, dir)
	defer c.Close()
	p, err := ob.Pending()
	if err != nil || len(p) != 2 || p[0].ID != sub.ID || p[0].Seq >= p[1].Seq {
		t.Fatalf("pending %+v, %v", p, err)
	}
	rec, err := ob.Record(sub.ID)
	if err != nil || rec.Delivery != Queued || rec.Seq != p[0].Seq || rec.CampaignID != sub.Campaign.ID {
		t.Fatalf("record %+v, %v", rec, err)
	}
	for sha, b := range s.blobs {
		got, err := ob.Blob(sha)
		if err != nil || string(got) != string(b) {
			t.Fatalf("pinned %s: %v", sha, err)
		}
	}
}

func TestEnqueueSendDeliveredOnceThenPollBringsHQsAnswer(t *testing.T) {
	th := newHub(t)
	s := newSample(t, th)
	c, ob := openOutbox(t, t.TempDir())
	defer c.Close()
	sub := s.make(1)
	if err := ob.Enqueue(sub, s.blobs); err != nil {
		t.Fatal(err)
	}
	var changes []Delivery
	hc := th.client(t, th.srv.URL, th.tokens["designer.fr"])
	snd := NewSender(ob, hc, WithBackoff(time.Millisecond, 10*time.Millisecond), WithOnChange(func(r Record) { changes = append(changes, r.Delivery) }))
	res, err := snd.Drain(context.Background())
	if err != nil || res.Delivered != 1 {
		t.Fatalf("drain %+v, %v", res, err)
	}
	if got := th.count(t); len(got) != 1 || got[sub.ID] != 1 {
		t.Fatalf("hub holds %v", got)
	}
	rec, err := ob.Record(sub.ID)
	if err != nil || rec.Delivery != Delivered || rec.Attempts != 1 || rec.Seq != 0 || rec.Hub == nil || rec.Hub.Head.State != string(submission.Submitted) {
		t.Fatalf("record %+v, %v", rec, err)
	}
	if len(changes) != 2 || changes[0] != Sending || changes[1] != Delivered {
		t.Fatalf("changes %v", changes)
	}
	if p, _ := ob.Pending(); len(p) != 0 {
		t.Fatalf("outbox not empty: %v", p)
	}
	// Delivered: the renditions are no longer pinned.
	for sha := range s.blobs {
		if _, err := ob.Blob(sha); !fault.Is(err, CodeBlobMissing) {
			t.Fatalf("still pinned %s: %v", sha, err)
		}
	}
	// Sent again by mistake (a record restored from a backup): deduplicated.
	if err := ob.Retry(sub.ID); !fault.Is(err, CodeNotFailed) {
		t.Fatalf("retry of a delivered one: %v", err)
	}

	// HQ asks for changes; a poll brings the state and the comment back.
	if _, err := th.reviewer.Act(context.Background(), sub.ID, string(submission.RequestChanges), "Le titre est trop long."); err != nil {
		t.Fatal(err)
	}
	var polled []Record
	n, err := ob.Poll(context.Background(), hc, th.srv.URL, func(r Record) { polled = append(polled, r) })
	if err != nil || n != 1 || len(polled) != 1 {
		t.Fatalf("poll %d, %v", n, err)
	}
	rec, _ = ob.Record(sub.ID)
	if rec.Hub.Head.State != string(submission.ChangesRequested) || len(rec.Hub.History) != 2 || len(rec.Hub.Thread) != 1 || rec.Hub.Thread[0].Text != "Le titre est trop long." {
		t.Fatalf("after the poll: %+v", rec.Hub)
	}
	// Nothing new: the next poll changes nothing.
	if n, err := ob.Poll(context.Background(), hc, th.srv.URL, nil); err != nil || n != 0 {
		t.Fatalf("second poll %d, %v", n, err)
	}
	// The designer replies.
	if _, err := hc.Comment(context.Background(), sub.ID, "Corrigé.", "subject", "fr"); err != nil {
		t.Fatal(err)
	}
	if n, err := ob.Poll(context.Background(), hc, th.srv.URL, nil); err != nil || n != 1 {
		t.Fatalf("third poll %d, %v", n, err)
	}
	if rec, _ = ob.Record(sub.ID); len(rec.Hub.Thread) != 2 {
		t.Fatalf("thread %+v", rec.Hub.Thread)
	}
}

func TestRefusalMarksFailedAndTheDrainGoesOn(t *testing.T) {
	th := newHub(t)
	s := newSample(t, th)
	c, ob := openOutbox(t, t.TempDir())
	defer c.Close()
	forged := s.make(1)
	forged.SignOff.Grant = "forged.grant"
	good := s.make(2)
	for _, sub := range []hubapi.Submission{forged, good} {
		if err := ob.Enqueue(sub, s.blobs); err != nil {
			t.Fatal(err)
		}
	}
	// The office withdrew the forged one before it left: refused, it never
	// reaches the hub, so there is nothing left to withdraw.
	if _, err := ob.AskWithdraw(forged.ID); err != nil {
		t.Fatal(err)
	}
	hc := th.client(t, th.srv.URL, th.tokens["designer.fr"])
	res, err := NewSender(ob, hc).Drain(context.Background())
	if err != nil || res.Failed != 1 || res.Delivered != 1 {
		t.Fatalf("drain %+v, %v", res, err)
	}
	rec, _ := ob.Record(forged.ID)
	if rec.Delivery != Failed || rec.LastError == nil || rec.LastError.Code != hubapi.CodeSignOffInvalid || rec.WithdrawAsked {
		t.Fatalf("forged: %+v", rec)
	}
	// The forged one's renditions stay pinned for a retry; retried, it is
	// refused again.
	if err := ob.Retry(forged.ID); err != nil {
		t.Fatal(err)
	}
	if res, err := NewSender(ob, hc).Drain(context.Background()); err != nil || res.Failed != 1 {
		t.Fatalf("retry drain %+v, %v", res, err)
	}
	if rec, _ := ob.Record(forged.ID); rec.Attempts != 2 || rec.Delivery != Failed {
		t.Fatalf("after the retry: %+v", rec)
	}
}

func TestUnauthenticatedStopsTheDrainAndKeepsTheEntry(t *testing.T) {
	th := newHub(t)
	s := newSample(t, th)
	c, ob := openOutbox(t, t.TempDir())
	defer c.Close()
	ids := enqueueN(t, ob, s, 2)
	hc := th.client(t, th.srv.URL, "expired-token")
	snd := NewSender(ob, hc, WithBackoff(time.Millisecond, time.Millisecond))
	_, err := snd.Drain(context.Background())
	if !fault.Is(err, hubapi.CodeUnauthenticated) {
		t.Fatalf("drain: %v", err)
	}
	if p, _ := ob.Pending(); len(p) != 2 {
		t.Fatalf("pending %v", p)
	}
	rec, _ := ob.Record(ids[0])
	if rec.Delivery != Sending || rec.LastError == nil || rec.LastError.Code != hubapi.CodeUnauthenticated {
		t.Fatalf("record %+v", rec)
	}
	// Run waits for a Kick after a 401; a new token and a Kick deliver.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- snd.Run(ctx) }()
	time.Sleep(50 * time.Millisecond)
	if p, _ := ob.Pending(); len(p) != 2 {
		t.Fatalf("delivered without a token: %v", p)
	}
	hc.SetToken(th.tokens["designer.fr"])
	snd.Kick()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if p, _ := ob.Pending(); len(p) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not delivered after the kick")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("run: %v", err)
	}
	if got := th.count(t); len(got) != 2 {
		t.Fatalf("hub holds %v", got)
	}
}

func TestSenderHonoursRetryAfter(t *testing.T) {
	th := newHub(t)
	s := newSample(t, th)
	c, ob := openOutbox(t, t.TempDir())
	defer c.Close()
	enqueueN(t, ob, s, 1)
	px := newFaultProxy(t, th.srv.URL, 1, 1) // every request: 503 with Retry-After: 1
	px.weights = [nFaults]int{status503: 1}
	hc := th.client(t, px.URL(), th.tokens["designer.fr"])
	snd := NewSender(ob, hc, WithBackoff(time.Millisecond, 10*time.Second))
	_, err := snd.Drain(context.Background())
	if err == nil || fault.KindOf(err) != fault.Transient {
		t.Fatalf("drain: %v", err)
	}
	if w := snd.wait(err); w < time.Second {
		t.Fatalf("waits %v after Retry-After: 1", w)
	}
	// Run's first drain meets the 503 again and waits it out; meanwhile
	// the hub comes back.
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() {
		time.Sleep(300 * time.Millisecond)
		px.mu.Lock()
		px.rate = 0
		px.mu.Unlock()
	}()
	done := make(chan error, 1)
	go func() { done <- snd.Run(ctx) }()
	for {
		if p, _ := ob.Pending(); len(p) == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("not delivered")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if el := time.Since(start); el < time.Second {
		t.Fatalf("delivered %v after a Retry-After: 1", el)
	}
	cancel()
	<-done
}

// badgerCount counts the keys of a prefix.
func badgerCount(t testing.TB, c *cache.Cache, prefix []byte) int {
	n := 0
	err := c.DB().View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func envInt(name string) bool { return os.Getenv(name) == "1" }
