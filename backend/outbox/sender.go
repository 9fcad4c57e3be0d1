package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/hubclient"
	"github.com/outpost-studio/outpost/backend/submission"
	"github.com/outpost-studio/outpost/backend/task"
)

// Hub is what the sender needs of the hub; *hubclient.Client is one.
type Hub interface {
	HasBlob(ctx context.Context, sha string) (bool, error)
	UploadBlob(ctx context.Context, sha string, size int64, open func() (io.ReadSeeker, error)) error
	PutSubmissionBody(ctx context.Context, id string, body []byte) (hubapi.SubmissionRecord, bool, error)
	Submissions(ctx context.Context, since uint64) ([]hubapi.SubmissionHead, error)
	Submission(ctx context.Context, id string) (hubapi.SubmissionRecord, error)
	Act(ctx context.Context, id, action, comment string) (hubapi.SubmissionRecord, error)
}

var _ Hub = (*hubclient.Client)(nil)

// Defaults of a Sender's waits.
const (
	DefaultBackoff    = time.Second
	DefaultMaxBackoff = 5 * time.Minute
	// DefaultIdle is how long Run waits, with nothing to send, before it
	// looks at the outbox again (Kick wakes it sooner).
	DefaultIdle = time.Minute
)

// Sender delivers the outbox to the hub, oldest entry first.
type Sender struct {
	ob         *Outbox
	hub        Hub
	backoff    time.Duration
	maxBackoff time.Duration
	idle       time.Duration
	onChange   func(Record)
	fresh      bool // test only: a new id per attempt (the control run)

	kick chan struct{}
	mu   sync.Mutex
	// failures counts transient failures in a row, across entries.
	failures int
	// onHub remembers the renditions the hub said it holds, so that
	// submissions sharing them ask once; a blob_missing answer forgets.
	onHub map[string]bool
}

// SenderOption configures a Sender.
type SenderOption func(*Sender)

// WithBackoff sets the first wait after a transient failure and its
// ceiling; each wait doubles, with jitter, and is at least the hub's
// Retry-After.
func WithBackoff(first, ceiling time.Duration) SenderOption {
	return func(s *Sender) { s.backoff, s.maxBackoff = first, max(ceiling, first) }
}

// WithIdle sets how long Run sleeps with an empty outbox.
func WithIdle(d time.Duration) SenderOption { return func(s *Sender) { s.idle = d } }

// WithOnChange sets a function told of every record the sender changes.
func WithOnChange(fn func(Record)) SenderOption { return func(s *Sender) { s.onChange = fn } }

// NewSender returns a sender of ob's entries to hub.
func NewSender(ob *Outbox, hub Hub, opts ...SenderOption) *Sender {
	s := &Sender{ob: ob, hub: hub, backoff: DefaultBackoff, maxBackoff: DefaultMaxBackoff, idle: DefaultIdle, kick: make(chan struct{}, 1), onHub: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Kick wakes Run: the hub came online, a token was renewed, or something
// was queued.
func (s *Sender) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run delivers the outbox until ctx ends: it drains, waits out a transient
// failure's backoff (or a Kick), and sleeps while the outbox is empty. A
// refused token (401) stops delivery until Kick. It returns ctx's error.
func (s *Sender) Run(ctx context.Context) error {
	for {
		_, err := s.Drain(ctx)
		wait := s.idle
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case fault.Is(err, hubapi.CodeUnauthenticated):
			wait = -1 // until Kick
		case err != nil:
			wait = s.wait(err)
		}
		var timer <-chan time.Time
		t := time.NewTimer(max(wait, 0))
		if wait >= 0 {
			timer = t.C
		}
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-s.kick:
			s.mu.Lock()
			s.failures = 0
			s.mu.Unlock()
		case <-timer:
		}
		t.Stop()
	}
}

// DrainResult is what one pass did.
type DrainResult struct {
	Delivered int // the hub created them
	Deduped   int // the hub already held them (an earlier attempt's answer was lost)
	Failed    int // refused for good
}

// Drain makes one pass over the outbox, oldest first, until it is empty or
// an entry cannot be delivered now. It returns nil when the outbox is
// empty; a transient error (the hub is unreachable, busy, or asked to wait)
// or a refused token when it stopped early. Permanent refusals mark their
// entry failed and the pass goes on.
func (s *Sender) Drain(ctx context.Context) (DrainResult, error) {
	var res DrainResult
	// Withdrawals a stopped run left: delivered, not withdrawn yet.
	recs, err := s.ob.Records()
	if err != nil {
		return res, err
	}
	for _, r := range recs {
		if r.WithdrawAsked && r.Delivery == Delivered {
			if err := s.withdraw(ctx, r.ID); err != nil {
				return res, s.transient(ctx, r.ID, err)
			}
		}
	}
	for {
		pending, err := s.ob.Pending()
		if err != nil {
			return res, err
		}
		if len(pending) == 0 {
			return res, nil
		}
		for _, e := range pending {
			if ctx.Err() != nil {
				return res, fault.New(fault.Canceled, task.CodeCanceled, "outbox.Drain").Wrap(ctx.Err())
			}
			created, err := s.deliver(ctx, e)
			if err == nil {
				if werr := s.withdraw(ctx, e.ID); werr != nil {
					return res, s.transient(ctx, e.ID, werr)
				}
			}
			switch {
			case err == nil && created:
				res.Delivered++
			case err == nil:
				res.Deduped++
			case permanent(err):
				rec, ferr := s.ob.finish(e, nil, err)
				if ferr != nil {
					return res, ferr
				}
				s.changed(rec)
				res.Failed++
			default:
				return res, s.transient(ctx, e.ID, err)
			}
			s.mu.Lock()
			s.failures = 0
			s.mu.Unlock()
		}
	}
}

// transient records a failure worth another attempt later and counts it
// for the backoff; it returns err (or the local database's error).
func (s *Sender) transient(ctx context.Context, id string, err error) error {
	if ctx.Err() != nil || fault.KindOf(err) == fault.Canceled {
		return err
	}
	if serr := s.ob.setError(id, err); serr != nil {
		return serr
	}
	s.mu.Lock()
	s.failures++
	s.mu.Unlock()
	return err
}

// withdraw withdraws a delivered submission the office asked to withdraw
// before it arrived; nothing for any other. A refusal for good (HQ has
// reviewed it meanwhile) is recorded and ends the ask; a transient failure
// is returned, and the next pass tries again.
func (s *Sender) withdraw(ctx context.Context, id string) error {
	rec, err := s.ob.Record(id)
	if err != nil || !rec.WithdrawAsked || rec.Delivery != Delivered {
		return err
	}
	hubRec, err := s.hub.Act(ctx, id, string(submission.Withdraw), "")
	if fault.Is(err, submission.CodeTransitionInvalid) {
		// An earlier attempt may have withdrawn it and lost the answer.
		if cur, gerr := s.hub.Submission(ctx, id); gerr == nil && cur.State == string(submission.Withdrawn) {
			hubRec, err = cur, nil
		}
	}
	switch {
	case err == nil:
		rec, err = s.ob.withdrawn(id, &hubRec, nil)
	case permanent(err):
		rec, err = s.ob.withdrawn(id, nil, err)
	default:
		return err
	}
	if err != nil {
		return err
	}
	s.changed(rec)
	return nil
}

// DrainRetrying drains until the outbox is empty, waiting out transient
// failures with the sender's backoff; it returns at a refused token or
// when ctx ends.
func (s *Sender) DrainRetrying(ctx context.Context) error {
	for {
		_, err := s.Drain(ctx)
		if err == nil || fault.Is(err, hubapi.CodeUnauthenticated) || fault.KindOf(err) == fault.Canceled {
			return err
		}
		t := time.NewTimer(s.wait(err))
		select {
		case <-ctx.Done():
			t.Stop()
			return fault.New(fault.Canceled, task.CodeCanceled, "outbox.Drain").Wrap(ctx.Err())
		case <-t.C:
		}
	}
}

// deliver sends one entry: the renditions the hub lacks, then the
// submission, always the same bytes under the same id.
func (s *Sender) deliver(ctx context.Context, e Entry) (created bool, err error) {
	rec, err := s.ob.attempt(e.ID)
	if err != nil {
		return false, err
	}
	s.changed(rec)
	body, err := s.ob.Body(e.ID)
	if err != nil {
		return false, err
	}
	var sub struct {
		Renditions []hubapi.Rendition `json:"renditions"`
	}
	if err := json.Unmarshal(body, &sub); err != nil {
		return false, fault.New(fault.Corrupt, CodeStoreFailed, "outbox.deliver").With("id", e.ID).Wrap(err)
	}
	if err := s.uploadMissing(ctx, sub.Renditions); err != nil {
		return false, err
	}
	id := e.ID
	if s.fresh {
		id, body = freshBody(body)
	}
	hubRec, created, err := s.hub.PutSubmissionBody(ctx, id, body)
	if fault.Is(err, hubapi.CodeBlobMissing) {
		// A rendition went missing between the check and the PUT: it is
		// sent again on the next attempt.
		s.mu.Lock()
		clear(s.onHub)
		s.mu.Unlock()
		return false, fault.New(fault.Transient, hubapi.CodeBlobMissing, "outbox.deliver").With("sha256", fault.ToPayload(err).Params["sha256"]).Wrap(err)
	}
	if err != nil {
		return false, err
	}
	rec, err = s.ob.finish(e, &hubRec, nil)
	if err != nil {
		return false, err
	}
	s.changed(rec)
	return created, nil
}

func (s *Sender) uploadMissing(ctx context.Context, rs []hubapi.Rendition) error {
	seen := map[string]bool{}
	for _, r := range rs {
		s.mu.Lock()
		known := s.onHub[r.SHA256]
		s.mu.Unlock()
		if seen[r.SHA256] || known {
			continue
		}
		seen[r.SHA256] = true
		ok, err := s.hub.HasBlob(ctx, r.SHA256)
		if err != nil {
			return err
		}
		if !ok {
			err = s.hub.UploadBlob(ctx, r.SHA256, r.Bytes, func() (io.ReadSeeker, error) {
				b, err := s.ob.Blob(r.SHA256)
				if err != nil {
					return nil, err
				}
				return bytes.NewReader(b), nil
			})
			if err != nil {
				return err
			}
		}
		s.mu.Lock()
		s.onHub[r.SHA256] = true
		s.mu.Unlock()
	}
	return nil
}

func (s *Sender) changed(rec Record) {
	if s.onChange != nil {
		s.onChange(rec)
	}
}

// wait is the backoff after the current run of transient failures: the
// first wait doubled per failure, capped, drawn in its upper half, and at
// least the hub's Retry-After (itself capped at the ceiling).
func (s *Sender) wait(err error) time.Duration {
	s.mu.Lock()
	n := max(s.failures, 1)
	s.mu.Unlock()
	d := s.backoff
	for i := 1; i < n && d < s.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.maxBackoff)
	if d > 1 {
		d = d/2 + rand.N(d/2)
	}
	if ra, ok := hubclient.RetryAfter(err); ok {
		d = max(d, min(ra, s.maxBackoff))
	}
	return d
}

// permanent reports whether the hub refused a submission for good: a 4xx
// other than 401 (a new token fixes it), 408, 409 blob missing (upload
// again) and 429 (wait). Network failures, 5xx and answers the client
// could not read are worth another attempt.
func permanent(err error) bool {
	fe, ok := fault.As(err)
	if !ok {
		return false
	}
	switch fe.Code {
	case hubapi.CodeUnauthenticated, hubapi.CodeBlobMissing, hubapi.CodeRateLimited, hubapi.CodeUnavailable,
		hubclient.CodeUnreachable, hubclient.CodeStalled, hubclient.CodeResponseInvalid:
		return false
	case hubapi.CodeBadStatus:
		return fe.Params["status"] != "408" && fe.Kind != fault.Transient && fe.Kind != fault.Internal
	case CodeStoreFailed:
		return false // the local database: not the hub's refusal
	case hubclient.CodeUploadSource:
		// A pinned rendition that is gone does not come back.
		return fault.Is(err, CodeBlobMissing)
	}
	switch fe.Kind {
	case fault.Invalid, fault.NotFound, fault.Permission, fault.Conflict, fault.Corrupt:
		return true
	}
	return false
}

// freshBody is the control run's mistake: the submission under a new id,
// as if each attempt were a new submission.
func freshBody(body []byte) (string, []byte) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return "", body
	}
	id := NewID()
	m["id"], _ = json.Marshal(id)
	b, _ := json.Marshal(m)
	return id, b
}
