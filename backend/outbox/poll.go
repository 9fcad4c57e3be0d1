package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// pollMark is the hub's change number this desktop has seen, per hub: a
// desktop pointed at another hub starts again from 0.
type pollMark struct {
	Hub string `json:"hub"`
	Seq uint64 `json:"seq"`
}

// Poll asks the hub which submissions changed since the last poll (by the
// hub's change number, kept in meta/hub_poll) and stores the state,
// history and thread of those this desktop sent; changed (when not nil)
// hears of each record that changed. hubURL names the hub the mark belongs
// to. Other offices' submissions of the region are skipped.
func (o *Outbox) Poll(ctx context.Context, hub Hub, hubURL string, changed func(Record)) (int, error) {
	const op = "outbox.Poll"
	mark, err := o.pollMark()
	if err != nil {
		return 0, storeFailed(op, err)
	}
	if mark.Hub != hubURL {
		mark = pollMark{Hub: hubURL}
	}
	heads, err := hub.Submissions(ctx, mark.Seq)
	if err != nil {
		return 0, err
	}
	slices.SortFunc(heads, func(a, b hubapi.SubmissionHead) int {
		switch {
		case a.Seq < b.Seq:
			return -1
		case a.Seq > b.Seq:
			return 1
		}
		return 0
	})
	n := 0
	var first error
	for _, h := range heads {
		if h.Seq <= mark.Seq {
			continue
		}
		if _, err := o.Record(h.ID); err != nil {
			mark.Seq = h.Seq // not ours
			continue
		}
		rec, err := hub.Submission(ctx, h.ID)
		if err != nil {
			first = err
			break
		}
		updated, err := o.setHub(h.ID, rec)
		if err != nil {
			first = err
			break
		}
		mark.Seq = h.Seq
		n++
		if changed != nil {
			changed(updated)
		}
	}
	if err := o.putPollMark(mark); err != nil && first == nil {
		first = storeFailed(op, err)
	}
	return n, first
}

// setHub stores what the hub said of a submission.
func (o *Outbox) setHub(id string, hr hubapi.SubmissionRecord) (Record, error) {
	var rec Record
	err := o.update(func(txn *badger.Txn) error {
		var err error
		if rec, err = getRecord(txn, id); err != nil {
			return err
		}
		if rec.Hub != nil && rec.Hub.Head.Seq > hr.Seq {
			return nil // an older answer
		}
		rec.Hub = statusOf(hr)
		return putRecord(txn, rec)
	})
	return rec, storeFailed("outbox.Poll", err)
}

func (o *Outbox) pollMark() (pollMark, error) {
	var m pollMark
	err := o.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(cache.KeyHubPoll)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return it.Value(func(v []byte) error { return json.Unmarshal(v, &m) })
	})
	return m, err
}

func (o *Outbox) putPollMark(m pollMark) error {
	b, _ := json.Marshal(m)
	return o.update(func(txn *badger.Txn) error { return txn.Set(cache.KeyHubPoll, b) })
}
