package outbox

import (
	"context"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/hubclient"
	"github.com/outpost-studio/outpost/backend/submission"
)

// flakyAct is the real hub client whose withdrawals fail the first times:
// "before" fails without reaching the hub (the network is down), "after"
// withdraws on the hub and loses the answer.
type flakyAct struct {
	*hubclient.Client
	before, after int
	acts          int
}

func (f *flakyAct) Act(ctx context.Context, id, action, comment string) (hubapi.SubmissionRecord, error) {
	f.acts++
	lost := fault.New(fault.Transient, hubclient.CodeUnreachable, "test.Act")
	if f.before > 0 {
		f.before--
		return hubapi.SubmissionRecord{}, lost
	}
	rec, err := f.Client.Act(ctx, id, action, comment)
	if err == nil && f.after > 0 {
		f.after--
		return hubapi.SubmissionRecord{}, lost
	}
	return rec, err
}

// TestWithdrawBeforeDelivery: the office withdraws submissions that have
// not reached the hub; the sender delivers each as it is and withdraws it
// there at once, also when the first withdrawals fail or lose their answer.
// A delivered or refused one is not withdrawn this way.
func TestWithdrawBeforeDelivery(t *testing.T) {
	th := newHub(t)
	s := newSample(t, th)
	c, ob := openOutbox(t, t.TempDir())
	defer c.Close()
	ids := enqueueN(t, ob, s, 3)
	for _, id := range ids[:2] {
		rec, err := ob.AskWithdraw(id)
		if err != nil || !rec.WithdrawAsked || rec.Delivery != Queued {
			t.Fatalf("ask %s: %+v, %v", id, rec, err)
		}
	}
	hub := &flakyAct{Client: th.client(t, th.srv.URL, th.tokens["designer.fr"]), before: 1, after: 1}
	snd := NewSender(ob, hub, WithBackoff(time.Millisecond, 5*time.Millisecond))

	// The first withdrawal fails: the pass stops there, its submission
	// delivered and still to withdraw.
	if _, err := snd.Drain(context.Background()); !fault.Is(err, hubclient.CodeUnreachable) {
		t.Fatalf("first drain: %v", err)
	}
	rec, _ := ob.Record(ids[0])
	if rec.Delivery != Delivered || !rec.WithdrawAsked || rec.LastError == nil {
		t.Fatalf("after a failed withdrawal: %+v", rec)
	}
	if err := snd.DrainRetrying(context.Background()); err != nil {
		t.Fatal(err)
	}
	if hub.acts != 4 { // fail, lost answer, retried after it, the other one
		t.Errorf("%d withdrawals asked of the hub, want 4", hub.acts)
	}
	for i, id := range ids {
		want := string(submission.Withdrawn)
		if i == 2 {
			want = string(submission.Submitted)
		}
		onHub, err := th.reviewer.Submission(context.Background(), id)
		if err != nil || onHub.State != want {
			t.Fatalf("%s on the hub: %s, %v; want %s", id, onHub.State, err, want)
		}
		rec, err := ob.Record(id)
		if err != nil || rec.WithdrawAsked || rec.Delivery != Delivered || rec.Hub == nil || rec.Hub.Head.State != want || rec.LastError != nil {
			t.Fatalf("%s here: %+v, %v", id, rec, err)
		}
	}
	if got := th.count(t); len(got) != 3 {
		t.Fatalf("hub holds %v", got)
	}
	// Delivered: withdrawn on the hub directly, not here.
	if _, err := ob.AskWithdraw(ids[2]); !fault.Is(err, CodeNotPending) {
		t.Fatalf("ask for a delivered one: %v", err)
	}
	if _, err := ob.AskWithdraw("sub_nosuchsubmission0000000000000"); err == nil {
		t.Fatal("ask for an unknown one")
	}
}
