package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/hubclient"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/outbox"
	"github.com/outpost-studio/outpost/backend/submission"
)

// OutboxPollEvery is how often a signed-in app asks the hub what became of
// its submissions while the hub is reachable.
const OutboxPollEvery = time.Minute

// OutboxService signs campaigns off, submits them through the outbox and
// follows them on the hub: state, history and HQ's comments.
type OutboxService struct{ a *App }

// OutboxItem is a submission as the Outbox page shows it.
type OutboxItem struct {
	ID           string         `json:"id"`
	CampaignID   string         `json:"campaignId"`
	CampaignName string         `json:"campaignName"`
	Region       string         `json:"region"`
	Delivery     string         `json:"delivery"` // "queued" | "sending" | "delivered" | "failed"
	Attempts     int            `json:"attempts"`
	Error        *fault.Payload `json:"error,omitempty"` // why the last attempt failed, or the hub's refusal
	HubState     string         `json:"hubState"`        // "" until the hub has said; else a submission state
	History      []OutboxStep   `json:"history"`
	Comments     []OutboxNote   `json:"comments"`
	SubmittedAt  string         `json:"submittedAt"` // RFC 3339: when it was queued
	UpdatedAt    string         `json:"updatedAt"`   // RFC 3339: the latest change known
	Seq          uint64         `json:"seq"`         // grows with every event; the UI keeps the highest per id
	// WithdrawAsked: withdrawn by the office before it reached the hub; it
	// is withdrawn there as soon as it arrives.
	WithdrawAsked bool `json:"withdrawAsked"`
}

// OutboxStep is one step of a submission's life on the hub.
type OutboxStep struct {
	State string `json:"state"`
	At    string `json:"at"` // RFC 3339
	By    string `json:"by"`
}

// OutboxNote is one message of a submission's thread.
type OutboxNote struct {
	ID     int    `json:"id"`
	By     string `json:"by"`
	ByName string `json:"byName"`
	At     string `json:"at"` // RFC 3339
	Text   string `json:"text"`
	Slot   string `json:"slot"`
	Locale string `json:"locale"`
	Action string `json:"action"` // the action it came with, "" for a reply
}

// CampaignChange tells the UI that the hub changed a campaign's status
// (EventCampaign).
type CampaignChange struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	Submission string `json:"submission"`
}

// outboxRun is the app's outbox and its sender.
type outboxRun struct {
	a *App

	mu     sync.Mutex
	ob     *outbox.Outbox // nil without a store
	sender *outbox.Sender
	stop   context.CancelFunc
	done   chan struct{}

	poll sync.Mutex // one poll at a time
	seq  atomic.Uint64
}

// open binds the outbox to the cache's store (openCache).
func (o *outboxRun) open(ob *outbox.Outbox) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ob = ob
	o.sender = outbox.NewSender(ob, sessionHub{o.a.hub}, outbox.WithOnChange(o.changed))
}

// start runs the sender until close.
func (o *outboxRun) start() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.sender == nil || o.stop != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	o.stop, o.done = cancel, make(chan struct{})
	go func(s *outbox.Sender, done chan struct{}) {
		defer close(done)
		s.Run(ctx)
	}(o.sender, o.done)
}

// close stops the sender and waits for it.
func (o *outboxRun) close() {
	o.mu.Lock()
	stop, done := o.stop, o.done
	o.stop, o.done = nil, nil
	o.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}

// kick wakes the sender: something was queued, the hub is back, a session began.
func (o *outboxRun) kick() {
	o.mu.Lock()
	s := o.sender
	o.mu.Unlock()
	if s != nil {
		s.Kick()
	}
}

func (o *outboxRun) box(op string) (*outbox.Outbox, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.ob == nil {
		return nil, fault.New(fault.Unavailable, CodeCacheUnavailable, op)
	}
	return o.ob, nil
}

// changed hears every record the sender or a poll changes: the campaign
// takes the hub's state, and the UI hears of both.
func (o *outboxRun) changed(rec outbox.Record) {
	a := o.a
	state := ""
	switch {
	case rec.WithdrawAsked:
		// Withdrawn here already: its arrival on the hub, still
		// "submitted" for a moment, must not lock the campaign again.
	case rec.Hub != nil && rec.Hub.Head.State != "":
		state = rec.Hub.Head.State
	case rec.Delivery == outbox.Failed:
		// The hub refused it for good: the draft reopens, without its
		// sign-off, so the office can fix it and submit again.
		state = campaign.StatusDraft
	}
	if state != "" {
		if st, err := a.campaignStore(); err == nil {
			before, _ := st.Get(rec.CampaignID)
			c, err := st.SetStatus(rec.CampaignID, rec.ID, state)
			switch {
			case err != nil && !fault.Is(err, campaign.CodeNotFound):
				a.log.Warn("outbox: campaign status", "campaign", rec.CampaignID, "err", err)
			case err == nil && c != nil && (before == nil || before.Status != c.Status):
				if c.Editable() {
					a.previews.forget(c.ID)
				}
				a.emit(EventCampaign, CampaignChange{ID: c.ID, Status: c.Status, Submission: c.Submission})
			}
		}
	}
	a.emit(EventOutbox, o.item(rec))
}

// item is the UI's view of a record, numbered for the event stream.
func (o *outboxRun) item(rec outbox.Record) OutboxItem {
	it := OutboxItem{
		ID: rec.ID, CampaignID: rec.CampaignID, CampaignName: rec.CampaignName,
		Delivery: string(rec.Delivery), Attempts: rec.Attempts, Error: rec.LastError,
		History: []OutboxStep{}, Comments: []OutboxNote{},
		SubmittedAt: stamp(rec.Queued), Seq: o.seq.Add(1), WithdrawAsked: rec.WithdrawAsked,
	}
	updated := rec.Queued
	if rec.Delivered.After(updated) {
		updated = rec.Delivered
	}
	if h := rec.Hub; h != nil {
		it.HubState, it.Region = h.Head.State, h.Head.Region
		if h.Head.Updated.After(updated) {
			updated = h.Head.Updated
		}
		for _, s := range h.History {
			it.History = append(it.History, OutboxStep{State: s.State, At: stamp(s.At), By: s.By})
		}
		for _, c := range h.Thread {
			it.Comments = append(it.Comments, OutboxNote{ID: c.ID, By: c.By, ByName: c.ByName, At: stamp(c.At), Text: c.Text, Slot: c.Slot, Locale: c.Locale, Action: c.Action})
		}
	}
	if it.Region == "" {
		if st, err := o.a.campaignStore(); err == nil {
			if c, err := st.Get(rec.CampaignID); err == nil {
				it.Region = c.Region
			}
		}
	}
	it.UpdatedAt = stamp(updated)
	return it
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// pollNow asks the hub what changed, when there is a session (the sender's
// adapter decides). Errors are logged: the next poll tries again.
func (o *outboxRun) pollNow(ctx context.Context) error {
	ob, err := o.box("app.outboxPoll")
	if err != nil {
		return err
	}
	h := o.a.hub
	c, err := h.session("app.outboxPoll")
	if err != nil {
		return err
	}
	h.mu.Lock()
	url, tok := h.url, h.token
	h.mu.Unlock()
	o.poll.Lock()
	defer o.poll.Unlock()
	ctx, cancel := context.WithTimeout(ctx, hubCallTimeout)
	defer cancel()
	_, err = ob.Poll(ctx, c, url, o.changed)
	if fault.Is(err, hubapi.CodeUnauthenticated) {
		h.failed(err, tok)
	}
	return err
}

// sessionHub is the hub as the sender sees it: the signed-in session of
// the moment. Without one it answers hub.unauthenticated, which parks the
// sender until the next Kick (a sign-in).
type sessionHub struct{ h *hubAccount }

func (s sessionHub) client(op string) (*hubclient.Client, string, error) {
	c, err := s.h.session(op)
	if err != nil {
		return nil, "", fault.New(fault.Permission, hubapi.CodeUnauthenticated, op).Wrap(err)
	}
	s.h.mu.Lock()
	tok := s.h.token
	s.h.mu.Unlock()
	return c, tok, nil
}

// done ends the session when the hub no longer knows its token.
func (s sessionHub) done(err error, tok string) error {
	if fault.Is(err, hubapi.CodeUnauthenticated) {
		s.h.failed(err, tok)
	}
	return err
}

func (s sessionHub) HasBlob(ctx context.Context, sha string) (bool, error) {
	c, tok, err := s.client("app.outboxSend")
	if err != nil {
		return false, err
	}
	ok, err := c.HasBlob(ctx, sha)
	return ok, s.done(err, tok)
}

func (s sessionHub) UploadBlob(ctx context.Context, sha string, size int64, open func() (io.ReadSeeker, error)) error {
	c, tok, err := s.client("app.outboxSend")
	if err != nil {
		return err
	}
	return s.done(c.UploadBlob(ctx, sha, size, open), tok)
}

func (s sessionHub) PutSubmissionBody(ctx context.Context, id string, body []byte) (hubapi.SubmissionRecord, bool, error) {
	c, tok, err := s.client("app.outboxSend")
	if err != nil {
		return hubapi.SubmissionRecord{}, false, err
	}
	rec, created, err := c.PutSubmissionBody(ctx, id, body)
	return rec, created, s.done(err, tok)
}

func (s sessionHub) Submissions(ctx context.Context, since uint64) ([]hubapi.SubmissionHead, error) {
	c, tok, err := s.client("app.outboxPoll")
	if err != nil {
		return nil, err
	}
	hs, err := c.Submissions(ctx, since)
	return hs, s.done(err, tok)
}

func (s sessionHub) Submission(ctx context.Context, id string) (hubapi.SubmissionRecord, error) {
	c, tok, err := s.client("app.outboxPoll")
	if err != nil {
		return hubapi.SubmissionRecord{}, err
	}
	rec, err := c.Submission(ctx, id)
	return rec, s.done(err, tok)
}

func (s sessionHub) Act(ctx context.Context, id, action, comment string) (hubapi.SubmissionRecord, error) {
	c, tok, err := s.client("app.outboxSend")
	if err != nil {
		return hubapi.SubmissionRecord{}, err
	}
	rec, err := c.Act(ctx, id, action, comment)
	return rec, s.done(err, tok)
}

var _ outbox.Hub = sessionHub{}

// SignOff is a local approver signing off the campaign's current revision
// on this computer: they sign in to the hub as themselves (that session is
// never kept), the brand check runs, and the hub witnesses the sign-off
// with a grant the submission carries. It needs the hub.
func (s *OutboxService) SignOff(campaignID, user, password string) (CampaignView, error) {
	const op = "app.SignOff"
	a := s.a
	st, err := a.campaignStore()
	if err != nil {
		return CampaignView{}, err
	}
	c, err := st.Get(campaignID)
	if err != nil {
		return CampaignView{}, err
	}
	if !c.Editable() {
		return CampaignView{}, fault.New(fault.Invalid, campaign.CodeNotEditable, op).With("status", c.Status)
	}
	url := a.settings.Get().HubURL
	if url == "" {
		return CampaignView{}, fault.New(fault.Invalid, CodeHubNotConfigured, op)
	}
	ctx, cancel := context.WithTimeout(a.wailsCtxOr(), hubCallTimeout)
	defer cancel()
	report, err := a.previews.check(ctx, st, c, time.Now().Format(time.DateOnly))
	if err != nil {
		return CampaignView{}, err
	}
	hc, err := hubclient.New(url)
	if err != nil {
		return CampaignView{}, err
	}
	sess, err := hc.Login(ctx, user, password)
	if err != nil {
		return CampaignView{}, err
	}
	hc.SetToken(sess.Token)
	defer func() {
		lctx, lcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer lcancel()
		if err := hc.Logout(lctx); err != nil {
			a.log.Info("sign-off: the approver's session was not closed", "err", err)
		}
	}()
	if err := submission.CanSignOff(sess.User, submission.Checked{
		Region: c.Region, Author: c.AuthorID(), Rev: c.Rev, CheckRev: c.Rev, Errors: report.Errors,
	}); err != nil {
		return CampaignView{}, err
	}
	// The hub compares the grant's author with the submitted campaign's
	// AuthorID (docs/hub-api.md): that is what the grant must name.
	ans, err := hc.SignOffGrant(ctx, hubapi.SignOffRequest{
		CampaignID: c.ID, Region: c.Region, Author: c.AuthorID(), Rev: c.Rev,
		CampaignSHA256: sha256Hex(brandcheck.CampaignJSON(c, nil)),
		Errors:         report.Errors, Receipt: report.Receipt,
	})
	if err != nil {
		return CampaignView{}, err
	}
	c, err = st.RecordSignOff(c.ID, campaign.SignOff{
		By: ans.Claims.By, ByName: ans.Claims.ByName, At: ans.Claims.At, Rev: ans.Claims.Rev, Grant: ans.Grant,
	})
	if err != nil {
		return CampaignView{}, err
	}
	return a.campaignView(st, c)
}

// Submit queues a signed-off campaign without errors for the hub and marks
// it submitted; the sender delivers it when the hub is reachable. It works
// offline: it only writes to this computer.
func (s *OutboxService) Submit(campaignID string) (OutboxItem, error) {
	const op = "app.Submit"
	a := s.a
	st, err := a.campaignStore()
	if err != nil {
		return OutboxItem{}, err
	}
	ob, err := a.out.box(op)
	if err != nil {
		return OutboxItem{}, err
	}
	c, err := st.Get(campaignID)
	if err != nil {
		return OutboxItem{}, err
	}
	if !c.Editable() {
		return OutboxItem{}, fault.New(fault.Invalid, campaign.CodeNotEditable, op).With("status", c.Status)
	}
	if c.SignOff == nil || c.SignOff.Rev != c.Rev {
		return OutboxItem{}, fault.New(fault.Conflict, campaign.CodeNotSignedOff, op)
	}
	sub, blobs, err := a.submission(a.wailsCtxOr(), st, c)
	if err != nil {
		return OutboxItem{}, err
	}
	if err := ob.Enqueue(sub, blobs); err != nil {
		return OutboxItem{}, err
	}
	if _, err := st.MarkSubmitted(c.ID, sub.ID); err != nil {
		// Queued but the campaign did not move: it stays editable, and
		// the queued submission is delivered all the same.
		a.log.Warn("submit: marking the campaign", "campaign", c.ID, "err", err)
		return OutboxItem{}, err
	}
	a.out.kick()
	rec, err := ob.Record(sub.ID)
	if err != nil {
		return OutboxItem{}, err
	}
	it := a.out.item(rec)
	a.emit(EventOutbox, it)
	a.emit(EventCampaign, CampaignChange{ID: c.ID, Status: campaign.StatusSubmitted, Submission: sub.ID})
	return it, nil
}

// submission builds what the hub receives, as the hub re-checks it
// (backend/hub/office_test.go): each locale rendered with pictures as
// "cid:" references, the renditions' bytes, the office's photos shown, and
// the brand check on the date of the signed-off check.
func (a *App) submission(ctx context.Context, st *campaign.Store, c *campaign.Campaign) (hubapi.Submission, map[string][]byte, error) {
	const op = "app.Submit"
	ix, layout, err := st.Layout(c)
	if err != nil {
		return hubapi.Submission{}, nil, err
	}
	ls, err := brandcheck.Prepare(ctx, c, ix, layout, a.previews.renderer, nil)
	if err != nil {
		return hubapi.Submission{}, nil, err
	}
	sub := hubapi.Submission{
		ID: outbox.NewID(), Campaign: *c, Locales: []hubapi.SubmissionLocale{}, Renditions: []hubapi.Rendition{},
		Imports: []library.Local{}, SignOff: hubapi.SignOffGrant{Grant: c.SignOff.Grant}, SubmittedAt: time.Now().UTC(),
	}
	blobs := map[string][]byte{}
	sizes := map[string]int{}
	imported := map[string]bool{}
	lib := a.libraryStore()
	for _, l := range ls {
		sub.Locales = append(sub.Locales, hubapi.SubmissionLocale{Locale: l.Locale, HTML: l.Result.HTML, Text: l.Result.Text})
		for _, p := range l.Pictures {
			if strings.HasPrefix(p.Asset, library.LocalPrefix) && !imported[p.Asset] {
				imported[p.Asset] = true
				if lib == nil {
					return hubapi.Submission{}, nil, errNoStore()
				}
				loc, err := lib.Local(p.Asset)
				if err != nil {
					return hubapi.Submission{}, nil, err
				}
				sub.Imports = append(sub.Imports, *loc)
			}
			k := p.Key()
			if _, done := sizes[k]; done {
				continue
			}
			b, _, err := a.renditions.picture(p)
			if err != nil {
				return hubapi.Submission{}, nil, err
			}
			sha := sha256Hex(b)
			sizes[k] = len(b)
			blobs[sha] = b
			sub.Renditions = append(sub.Renditions, hubapi.Rendition{Key: k, SHA256: sha, Bytes: int64(len(b))})
		}
	}
	today := time.Now().Format(time.DateOnly)
	if c.Check != nil && c.Check.Rev == c.Rev {
		var r brandcheck.Receipt
		if json.Unmarshal(c.Check.Receipt, &r) == nil && r.Today != "" {
			today = r.Today // the check the approver signed off
		}
	}
	report := brandcheck.Check(brandcheck.Input{Campaign: c, Release: ix, Locales: ls, ImageBytes: sizes, Today: today})
	if err := brandcheck.Blocked(report.Findings, op); err != nil {
		return hubapi.Submission{}, nil, err
	}
	if reason := grantMismatch(c.SignOff.Grant, c, report.Receipt); reason != "" {
		return hubapi.Submission{}, nil, fault.New(fault.Conflict, hubapi.CodeSignOffInvalid, op).With("reason", reason)
	}
	sub.Receipt, sub.Findings = report.Receipt, report.Findings
	if sub.Findings == nil {
		sub.Findings = []brandcheck.Finding{}
	}
	return sub, blobs, nil
}

// grantMismatch reads the claims of a grant (the hub alone can verify its
// signature) and names the first that no longer fits the campaign and its
// check, as the hub would refuse it; "" when all fit.
func grantMismatch(grant string, c *campaign.Campaign, r brandcheck.Receipt) string {
	payload, _, ok := strings.Cut(grant, ".")
	b, err := base64.RawURLEncoding.DecodeString(payload)
	var claims hubapi.SignOffClaims
	if !ok || err != nil || json.Unmarshal(b, &claims) != nil {
		return "malformed"
	}
	switch {
	case claims.CampaignID != c.ID:
		return "campaign"
	case claims.Rev != c.Rev:
		return "rev"
	case claims.CampaignSHA256 != sha256Hex(brandcheck.CampaignJSON(c, nil)):
		return "campaign_sha256"
	case claims.FindingsSHA256 != r.FindingsSHA256:
		return "findings_sha256"
	}
	return ""
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Items lists the outbox, newest first.
func (s *OutboxService) Items() ([]OutboxItem, error) {
	ob, err := s.a.out.box("app.OutboxItems")
	if err != nil {
		return nil, err
	}
	recs, err := ob.Records()
	if err != nil {
		return nil, err
	}
	out := make([]OutboxItem, 0, len(recs))
	for _, r := range recs {
		out = append(out, s.a.out.item(r))
	}
	return out, nil
}

// Refresh is the Outbox's "Check now": it asks whether the hub is
// reachable, wakes the sender for anything queued, asks the hub what became
// of the submissions (when it answers and there is a session), then lists
// the outbox. Offline, it lists what this computer knows; the monitor's
// status says why nothing came.
func (s *OutboxService) Refresh() ([]OutboxItem, error) {
	s.a.monitor.Recheck()
	s.a.out.kick()
	ctx, cancel := context.WithTimeout(context.Background(), hubCallTimeout)
	defer cancel()
	if err := s.a.out.pollNow(ctx); err != nil {
		s.a.log.Info("outbox: poll on refresh", "err", err)
	}
	return s.Items()
}

// delivered is a record the hub holds, or why it cannot be acted on yet.
func (s *OutboxService) delivered(op, id string) (*hubclient.Client, string, error) {
	ob, err := s.a.out.box(op)
	if err != nil {
		return nil, "", err
	}
	rec, err := ob.Record(id)
	if err != nil {
		return nil, "", err
	}
	if rec.Delivery != outbox.Delivered {
		// Not on the hub yet: there it does not exist.
		return nil, "", fault.New(fault.NotFound, submission.CodeNotFound, op).With("id", id)
	}
	h := s.a.hub
	c, err := h.session(op)
	if err != nil {
		return nil, "", err
	}
	h.mu.Lock()
	tok := h.token
	h.mu.Unlock()
	return c, tok, nil
}

// after brings the record up to date after an action on the hub.
func (s *OutboxService) after(op, id string) (OutboxItem, error) {
	if err := s.a.out.pollNow(context.Background()); err != nil {
		s.a.log.Info("outbox: poll after an action", "err", err)
	}
	ob, err := s.a.out.box(op)
	if err != nil {
		return OutboxItem{}, err
	}
	rec, err := ob.Record(id)
	if err != nil {
		return OutboxItem{}, err
	}
	return s.a.out.item(rec), nil
}

// Reply adds the office's message to a submission's thread on the hub. It
// needs the hub: offline, it fails with hub.unreachable.
func (s *OutboxService) Reply(submissionID, text string) (OutboxItem, error) {
	const op = "app.OutboxReply"
	c, tok, err := s.delivered(op, submissionID)
	if err != nil {
		return OutboxItem{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), hubCallTimeout)
	defer cancel()
	if _, err := c.Comment(ctx, submissionID, text, "", ""); err != nil {
		return OutboxItem{}, sessionHub{s.a.hub}.done(err, tok)
	}
	return s.after(op, submissionID)
}

// Withdraw takes a submission back before HQ reviewed it. One still on its
// way is withdrawn on this computer at once, offline too (the campaign
// reopens), and on the hub as soon as it arrives there.
func (s *OutboxService) Withdraw(submissionID string) (OutboxItem, error) {
	const op = "app.OutboxWithdraw"
	ob, err := s.a.out.box(op)
	if err != nil {
		return OutboxItem{}, err
	}
	rec, err := ob.AskWithdraw(submissionID)
	switch {
	case err == nil:
		if st, serr := s.a.campaignStore(); serr == nil {
			if c, serr := st.SetStatus(rec.CampaignID, rec.ID, campaign.StatusWithdrawn); serr == nil && c != nil {
				s.a.previews.forget(c.ID)
				s.a.emit(EventCampaign, CampaignChange{ID: c.ID, Status: c.Status, Submission: c.Submission})
			} else if serr != nil && !fault.Is(serr, campaign.CodeNotFound) {
				s.a.log.Warn("outbox: withdraw: campaign status", "campaign", rec.CampaignID, "err", serr)
			}
		}
		s.a.out.kick()
		it := s.a.out.item(rec)
		s.a.emit(EventOutbox, it)
		return it, nil
	case !fault.Is(err, outbox.CodeNotPending):
		return OutboxItem{}, err
	}
	c, tok, err := s.delivered(op, submissionID)
	if err != nil {
		return OutboxItem{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), hubCallTimeout)
	defer cancel()
	if _, err := c.Act(ctx, submissionID, string(submission.Withdraw), ""); err != nil {
		return OutboxItem{}, sessionHub{s.a.hub}.done(err, tok)
	}
	return s.after(op, submissionID)
}

// Retry queues a submission the hub refused again, under the same id.
func (s *OutboxService) Retry(submissionID string) (OutboxItem, error) {
	const op = "app.OutboxRetry"
	ob, err := s.a.out.box(op)
	if err != nil {
		return OutboxItem{}, err
	}
	if err := ob.Retry(submissionID); err != nil {
		return OutboxItem{}, err
	}
	s.a.out.kick()
	rec, err := ob.Record(submissionID)
	if err != nil {
		return OutboxItem{}, err
	}
	it := s.a.out.item(rec)
	s.a.emit(EventOutbox, it)
	return it, nil
}
