// Package outbox keeps the submissions that leave the office until the hub
// holds each exactly once: written with their outbox entry in one synced
// Badger transaction, delivered by a Sender, their fate on the hub polled back.
package outbox

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// Error codes of the outbox.
const (
	CodeIDInvalid   fault.Code = "outbox.id_invalid"   // {id}: not a submission id
	CodeIDReused    fault.Code = "outbox.id_reused"    // {id}: the id is queued with another body
	CodeBlobMissing fault.Code = "outbox.blob_missing" // {sha256}: a rendition's bytes were not given, or are not its hash or size
	CodeTooLarge    fault.Code = "outbox.too_large"    // {limit}: the submission is larger than the hub accepts
	CodeStoreFailed fault.Code = "outbox.store_failed" // the local database failed
	CodeNotFound    fault.Code = "outbox.not_found"    // {id}: no such submission
	CodeNotFailed   fault.Code = "outbox.not_failed"   // {id}: only a refused submission can be sent again
	CodeNotPending  fault.Code = "outbox.not_pending"  // {id}: only a submission still on its way can be withdrawn here
)

// Delivery is where a submission is on its way to the hub.
type Delivery string

const (
	Queued    Delivery = "queued"    // written, not tried yet
	Sending   Delivery = "sending"   // tried at least once, not delivered yet
	Delivered Delivery = "delivered" // the hub holds it
	Failed    Delivery = "failed"    // the hub refused it for good (LastError says why)
)

// Record is a submission as the Outbox page shows it.
type Record struct {
	ID           string         `json:"id"`
	CampaignID   string         `json:"campaignId"`
	CampaignName string         `json:"campaignName"`
	Rev          uint64         `json:"rev"`
	Seq          uint64         `json:"seq"` // its outbox entry; 0 once delivered or failed
	Delivery     Delivery       `json:"delivery"`
	Attempts     int            `json:"attempts"`
	LastError    *fault.Payload `json:"lastError,omitempty"`
	Queued       time.Time      `json:"queued"`
	Delivered    time.Time      `json:"delivered,omitzero"`
	Hub          *HubStatus     `json:"hub,omitempty"` // nil until the hub answered
	// WithdrawAsked: the office withdrew it before it reached the hub; the
	// sender withdraws it there as soon as the hub holds it (it may already
	// have, unknown to this computer), then clears this.
	WithdrawAsked bool `json:"withdrawAsked,omitempty"`
}

// HubStatus is what the hub last said of a submission.
type HubStatus struct {
	Head    hubapi.SubmissionHead `json:"head"`
	History []hubapi.StateChange  `json:"history"`
	Thread  []hubapi.Comment      `json:"thread"`
}

// Outbox is the submissions of one cache. It is safe for concurrent use.
type Outbox struct {
	db  *badger.DB
	now func() time.Time
}

// Option configures an Outbox.
type Option func(*Outbox)

// WithClock sets the clock of records' times.
func WithClock(now func() time.Time) Option { return func(o *Outbox) { o.now = now } }

// New returns the outbox kept in c.
func New(c *cache.Cache, opts ...Option) *Outbox {
	o := &Outbox{db: c.DB(), now: time.Now}
	for _, opt := range opts {
		opt(o)
	}
	return o
}

var idPattern = regexp.MustCompile(`^sub_[a-z2-7]{26}$`)

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewID returns a permanent submission id: "sub_" and 16 random bytes in
// lowercase base32.
func NewID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return "sub_" + string(bytes.ToLower([]byte(idEncoding.EncodeToString(b))))
}

// ValidID reports whether id is a submission id.
func ValidID(id string) bool { return idPattern.MatchString(id) }

func storeFailed(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := fault.As(err); ok {
		return err
	}
	return fault.New(fault.Unavailable, CodeStoreFailed, op).Wrap(err)
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Enqueue writes a submission and its outbox entry in one transaction,
// synced before it returns, with the bytes of every rendition it names
// (blobs, by SHA-256), which stay pinned until it is delivered. Enqueuing
// the same id with the same submission again does nothing; with another,
// it fails with CodeIDReused.
func (o *Outbox) Enqueue(sub hubapi.Submission, blobs map[string][]byte) error {
	const op = "outbox.Enqueue"
	if !ValidID(sub.ID) {
		return fault.New(fault.Invalid, CodeIDInvalid, op).With("id", sub.ID)
	}
	body, err := json.Marshal(sub)
	if err != nil {
		return fault.New(fault.Internal, fault.CodeInternal, op).Wrap(err)
	}
	if len(body) > hubapi.MaxSubmissionBody {
		return fault.New(fault.Invalid, CodeTooLarge, op).With("limit", hubapi.MaxSubmissionBody)
	}
	for _, r := range sub.Renditions {
		if b, ok := blobs[r.SHA256]; ok && (int64(len(b)) != r.Bytes || sha256Hex(b) != r.SHA256) {
			return fault.New(fault.Invalid, CodeBlobMissing, op).With("sha256", r.SHA256)
		}
	}
	rec := Record{
		ID: sub.ID, CampaignID: sub.Campaign.ID, CampaignName: sub.Campaign.Name, Rev: sub.Campaign.Rev,
		Delivery: Queued, Queued: o.now().UTC(),
	}
	err = o.update(func(txn *badger.Txn) error {
		old, err := txn.Get(cache.KeySubBody(sub.ID))
		switch {
		case err == nil:
			same := false
			if err := old.Value(func(v []byte) error { same = bytes.Equal(v, body); return nil }); err != nil {
				return err
			}
			if !same {
				return fault.New(fault.Conflict, CodeIDReused, op).With("id", sub.ID)
			}
			return errAlready
		case !errors.Is(err, badger.ErrKeyNotFound):
			return err
		}
		for _, r := range sub.Renditions {
			if b, ok := blobs[r.SHA256]; ok {
				if err := txn.Set(cache.KeySubBlob(r.SHA256), b); err != nil {
					return err
				}
			} else if _, err := txn.Get(cache.KeySubBlob(r.SHA256)); errors.Is(err, badger.ErrKeyNotFound) {
				return fault.New(fault.Invalid, CodeBlobMissing, op).With("sha256", r.SHA256)
			} else if err != nil {
				return err
			}
			if err := txn.Set(cache.KeySubRef(r.SHA256, sub.ID), nil); err != nil {
				return err
			}
		}
		seq, err := nextSeq(txn)
		if err != nil {
			return err
		}
		rec.Seq = seq
		if err := putRecord(txn, rec); err != nil {
			return err
		}
		if err := txn.Set(cache.KeySubBody(sub.ID), body); err != nil {
			return err
		}
		return txn.Set(cache.KeyOutbox(seq), []byte(sub.ID))
	})
	if errors.Is(err, errAlready) {
		return nil
	}
	if err != nil {
		return storeFailed(op, err)
	}
	return nil
}

var errAlready = errors.New("outbox: already queued")

// nextSeq takes the next outbox seq. Reading the counter puts it in the
// transaction's read set: two enqueues at once conflict and one retries.
func nextSeq(txn *badger.Txn) (uint64, error) {
	var seq uint64
	it, err := txn.Get(cache.KeyOutboxSeq)
	switch {
	case err == nil:
		if err := it.Value(func(v []byte) error {
			if len(v) != 8 {
				return errors.New("outbox: bad seq counter")
			}
			seq = binary.BigEndian.Uint64(v)
			return nil
		}); err != nil {
			return 0, err
		}
	case !errors.Is(err, badger.ErrKeyNotFound):
		return 0, err
	}
	seq++
	return seq, txn.Set(cache.KeyOutboxSeq, binary.BigEndian.AppendUint64(nil, seq))
}

// update runs fn in a read-write transaction, again when it conflicts with
// another. The cache syncs every commit (cache.Open sets SyncWrites).
func (o *Outbox) update(fn func(txn *badger.Txn) error) error {
	for range 10 {
		err := o.db.Update(fn)
		if !errors.Is(err, badger.ErrConflict) {
			return err
		}
	}
	return o.db.Update(fn)
}

func putRecord(txn *badger.Txn, rec Record) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return txn.Set(cache.KeySub(rec.ID), b)
}

func getRecord(txn *badger.Txn, id string) (Record, error) {
	var rec Record
	it, err := txn.Get(cache.KeySub(id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return rec, fault.New(fault.NotFound, CodeNotFound, "outbox.Record").With("id", id)
	}
	if err != nil {
		return rec, err
	}
	err = it.Value(func(v []byte) error { return json.Unmarshal(v, &rec) })
	return rec, err
}

// Record returns one submission's record.
func (o *Outbox) Record(id string) (Record, error) {
	var rec Record
	err := o.db.View(func(txn *badger.Txn) error {
		var err error
		rec, err = getRecord(txn, id)
		return err
	})
	if err != nil {
		return rec, storeFailed("outbox.Record", err)
	}
	return rec, nil
}

// Records returns every submission's record, newest queued first.
func (o *Outbox) Records() ([]Record, error) {
	var out []Record
	err := o.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: cache.PrefixSub, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var rec Record
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &rec) }); err != nil {
				return err
			}
			out = append(out, rec)
		}
		return nil
	})
	if err != nil {
		return nil, storeFailed("outbox.Records", err)
	}
	sortNewest(out)
	return out, nil
}

// Entry is one outbox row.
type Entry struct {
	Seq uint64
	ID  string
}

// Pending lists the outbox, oldest first.
func (o *Outbox) Pending() ([]Entry, error) {
	var out []Entry
	err := o.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: cache.PrefixOutbox, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			seq, ok := cache.OutboxSeq(it.Item().Key())
			if !ok {
				continue
			}
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			out = append(out, Entry{Seq: seq, ID: string(v)})
		}
		return nil
	})
	if err != nil {
		return nil, storeFailed("outbox.Pending", err)
	}
	return out, nil
}

// Body returns the JSON bytes a submission is sent as.
func (o *Outbox) Body(id string) ([]byte, error) {
	var b []byte
	err := o.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(cache.KeySubBody(id))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fault.New(fault.NotFound, CodeNotFound, "outbox.Body").With("id", id)
		}
		if err != nil {
			return err
		}
		b, err = it.ValueCopy(nil)
		return err
	})
	if err != nil {
		return nil, storeFailed("outbox.Body", err)
	}
	return b, nil
}

// Blob returns a pinned rendition's bytes.
func (o *Outbox) Blob(sha string) ([]byte, error) {
	var b []byte
	err := o.db.View(func(txn *badger.Txn) error {
		it, err := txn.Get(cache.KeySubBlob(sha))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fault.New(fault.NotFound, CodeBlobMissing, "outbox.Blob").With("sha256", sha)
		}
		if err != nil {
			return err
		}
		b, err = it.ValueCopy(nil)
		return err
	})
	if err != nil {
		return nil, storeFailed("outbox.Blob", err)
	}
	return b, nil
}

// Retry queues a refused submission again, under the same id and body.
func (o *Outbox) Retry(id string) error {
	const op = "outbox.Retry"
	err := o.update(func(txn *badger.Txn) error {
		rec, err := getRecord(txn, id)
		if err != nil {
			return err
		}
		if rec.Delivery != Failed {
			return fault.New(fault.Conflict, CodeNotFailed, op).With("id", id)
		}
		seq, err := nextSeq(txn)
		if err != nil {
			return err
		}
		rec.Seq, rec.Delivery = seq, Queued
		if err := putRecord(txn, rec); err != nil {
			return err
		}
		return txn.Set(cache.KeyOutbox(seq), []byte(id))
	})
	return storeFailed(op, err)
}

// AskWithdraw records that the office withdraws a submission still on its
// way: the sender delivers it as it is (the hub may hold it already) and
// withdraws it at once. A delivered one is withdrawn on the hub directly,
// and a refused one was never there: both answer outbox.not_pending.
func (o *Outbox) AskWithdraw(id string) (Record, error) {
	const op = "outbox.AskWithdraw"
	var rec Record
	err := o.update(func(txn *badger.Txn) error {
		var err error
		if rec, err = getRecord(txn, id); err != nil {
			return err
		}
		if rec.Delivery != Queued && rec.Delivery != Sending {
			return fault.New(fault.Conflict, CodeNotPending, op).With("id", id)
		}
		rec.WithdrawAsked = true
		return putRecord(txn, rec)
	})
	return rec, storeFailed(op, err)
}

// withdrawn ends an asked withdrawal: the hub's record after it, or why the
// hub refused it for good.
func (o *Outbox) withdrawn(id string, hub *hubapi.SubmissionRecord, refusal error) (Record, error) {
	var rec Record
	err := o.update(func(txn *badger.Txn) error {
		var err error
		if rec, err = getRecord(txn, id); err != nil {
			return err
		}
		rec.WithdrawAsked = false
		if hub != nil {
			rec.Hub, rec.LastError = statusOf(*hub), nil // a failed try said why; it is over
		} else {
			p := fault.ToPayload(refusal)
			rec.LastError = &p
		}
		return putRecord(txn, rec)
	})
	return rec, storeFailed("outbox.withdraw", err)
}

// attempt records that an attempt at delivering id starts.
func (o *Outbox) attempt(id string) (Record, error) {
	var rec Record
	err := o.update(func(txn *badger.Txn) error {
		var err error
		if rec, err = getRecord(txn, id); err != nil {
			return err
		}
		rec.Attempts++
		if rec.Delivery == Queued {
			rec.Delivery = Sending
		}
		return putRecord(txn, rec)
	})
	return rec, storeFailed("outbox.attempt", err)
}

// setError records why an attempt failed; the entry stays queued.
func (o *Outbox) setError(id string, cause error) error {
	p := fault.ToPayload(cause)
	err := o.update(func(txn *badger.Txn) error {
		rec, err := getRecord(txn, id)
		if err != nil {
			return err
		}
		rec.LastError = &p
		return putRecord(txn, rec)
	})
	return storeFailed("outbox.setError", err)
}

// finish ends an entry: delivered with the hub's record, or failed with the
// hub's refusal. The outbox row goes in the same transaction; a delivered
// submission's renditions are unpinned when no other submission names them.
func (o *Outbox) finish(e Entry, hub *hubapi.SubmissionRecord, refusal error) (Record, error) {
	var rec Record
	err := o.update(func(txn *badger.Txn) error {
		var err error
		if rec, err = getRecord(txn, e.ID); err != nil {
			return err
		}
		rec.Seq = 0
		if hub != nil {
			rec.Delivery, rec.Delivered, rec.LastError = Delivered, o.now().UTC(), nil
			rec.Hub = statusOf(*hub)
			if err := o.unpin(txn, e.ID); err != nil {
				return err
			}
		} else {
			p := fault.ToPayload(refusal)
			rec.Delivery, rec.LastError = Failed, &p
			rec.WithdrawAsked = false // never on the hub: nothing to withdraw there
		}
		if err := putRecord(txn, rec); err != nil {
			return err
		}
		return txn.Delete(cache.KeyOutbox(e.Seq))
	})
	return rec, storeFailed("outbox.finish", err)
}

// unpin drops id's pins and the renditions nobody pins any more. Reading
// each blob's key puts it in the read set, so an Enqueue pinning it at the
// same time makes one of the two retry.
func (o *Outbox) unpin(txn *badger.Txn, id string) error {
	var sub struct {
		Renditions []hubapi.Rendition `json:"renditions"`
	}
	it, err := txn.Get(cache.KeySubBody(id))
	if err != nil {
		return err
	}
	if err := it.Value(func(v []byte) error { return json.Unmarshal(v, &sub) }); err != nil {
		return err
	}
	for _, r := range sub.Renditions {
		if err := txn.Delete(cache.KeySubRef(r.SHA256, id)); err != nil {
			return err
		}
		if _, err := txn.Get(cache.KeySubBlob(r.SHA256)); err != nil {
			continue
		}
		pinned := false
		iter := txn.NewIterator(badger.IteratorOptions{Prefix: cache.KeySubRefs(r.SHA256)})
		for iter.Rewind(); iter.Valid(); iter.Next() {
			if !bytes.Equal(iter.Item().Key(), cache.KeySubRef(r.SHA256, id)) {
				pinned = true
				break
			}
		}
		iter.Close()
		if !pinned {
			if err := txn.Delete(cache.KeySubBlob(r.SHA256)); err != nil {
				return err
			}
		}
	}
	return nil
}

// sortNewest orders records by queued time, newest first, then by id.
func sortNewest(rs []Record) {
	slices.SortStableFunc(rs, func(a, b Record) int {
		if c := b.Queued.Compare(a.Queued); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

func statusOf(r hubapi.SubmissionRecord) *HubStatus {
	return &HubStatus{Head: r.SubmissionHead, History: r.History, Thread: r.Thread}
}
