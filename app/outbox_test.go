package app

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hub"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/outbox"
	"github.com/outpost-studio/outpost/backend/submission"
)

// switchedHub is a real demo hub on a fixed loopback address that can be
// taken down (its listener closed) and brought up again at the same URL.
type switchedHub struct {
	t    *testing.T
	h    *hub.Hub
	addr string
	URL  string

	mu  sync.Mutex
	srv *http.Server
}

func newSwitchedHub(t *testing.T) *switchedHub {
	t.Helper()
	h := openDemoHub(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &switchedHub{t: t, h: h, addr: ln.Addr().String(), URL: "http://" + ln.Addr().String()}
	s.serve(ln)
	t.Cleanup(func() {
		s.down()
		h.Close()
	})
	return s
}

func (s *switchedHub) serve(ln net.Listener) {
	srv := &http.Server{Handler: s.h.Handler()}
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(ln)
}

func (s *switchedHub) down() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

func (s *switchedHub) up() {
	s.t.Helper()
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	s.serve(ln)
}

// waitFor polls cond until it holds or 20 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// outboxApp is a signed-in designer.fr on an app whose hub checker and
// sender run (as startup starts them), polling the hub quickly.
func outboxApp(t *testing.T, url string) (*App, *CampaignService, *OutboxService) {
	t.Helper()
	a := newHubApp(t, url, &fakeKeychain{items: map[string]string{}})
	a.hub.pollEvery = 100 * time.Millisecond
	a.hub.start()
	a.out.start()
	hs := &HubService{a}
	if _, err := hs.Login("designer.fr", hub.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := hs.Sync(); err != nil {
		t.Fatal(err)
	}
	waitIdle(t, a)
	if _, err := a.index(); err != nil {
		t.Fatal(err)
	}
	return a, &CampaignService{a}, &OutboxService{a}
}

// cleanPromo is a promo campaign in fr the brand check finds no error in.
func cleanPromo(t *testing.T, svc *CampaignService, name string) CampaignView {
	t.Helper()
	c, err := svc.Create("promo", name, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetAudience(c.ID, c.Scopes[0].ID); err != nil {
		t.Fatal(err)
	}
	v, err := svc.SetValue(c.ID, "fr", "offer_end", time.Now().AddDate(0, 1, 0).Format(time.DateOnly))
	if err != nil {
		t.Fatal(err)
	}
	r, err := svc.Check(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors != 0 {
		t.Fatalf("the promo is not clean: %+v", r.Findings)
	}
	return v
}

func TestSignOffSubmitOfflineAndHQReview(t *testing.T) {
	sh := newSwitchedHub(t)
	a, svc, out := outboxApp(t, sh.URL)
	ctx := context.Background()

	v := cleanPromo(t, svc, "Winter sale")
	if v.Author != "designer.fr" {
		t.Fatalf("author = %q", v.Author)
	}
	if _, err := out.SignOff(v.ID, "designer.fr", hub.DemoPassword); fault.CodeOf(err) != submission.CodeSignOffRole {
		t.Fatalf("designer signs off: %v", err)
	}
	if _, err := out.SignOff(v.ID, "approver.fr", "wrong"); fault.CodeOf(err) != hubapi.CodeLoginFailed {
		t.Fatalf("wrong password: %v", err)
	}
	v, err := out.SignOff(v.ID, "approver.fr", hub.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	if v.SignOff == nil || v.SignOff.By != "approver.fr" || v.SignOffVoided {
		t.Fatalf("after sign-off: %+v %v", v.SignOff, v.SignOffVoided)
	}
	// An edit voids it, visibly; signing off again restores it.
	if v, err = svc.SetValue(v.ID, "fr", "preheader", "Notre sélection pour l'hiver."); err != nil {
		t.Fatal(err)
	}
	if v.SignOff != nil || !v.SignOffVoided {
		t.Fatalf("after an edit: %+v %v", v.SignOff, v.SignOffVoided)
	}
	if _, err := out.Submit(v.ID); fault.CodeOf(err) != campaign.CodeNotSignedOff {
		t.Fatalf("submit a voided sign-off: %v", err)
	}
	if v, err = out.SignOff(v.ID, "approver.fr", hub.DemoPassword); err != nil || v.SignOff == nil || v.SignOffVoided {
		t.Fatalf("signing off again: %v %+v", err, v.SignOff)
	}

	// The hub goes down: submitting only queues.
	sh.down()
	start := time.Now()
	it, err := out.Submit(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("submit (offline) took %v", time.Since(start))
	if it.Delivery != "queued" && it.Delivery != "sending" || it.CampaignID != v.ID || it.Region != "fr" || it.HubState != "" {
		t.Fatalf("queued item: %+v", it)
	}
	first := it.ID
	if v, _ = svc.Get(v.ID); v.Status != campaign.StatusSubmitted || v.Submission != first {
		t.Fatalf("campaign after submit: %s %s", v.Status, v.Submission)
	}
	if _, err := svc.SetValue(v.ID, "fr", "preheader", "x"); fault.CodeOf(err) != campaign.CodeNotEditable {
		t.Fatalf("editing a submitted campaign: %v", err)
	}
	time.Sleep(300 * time.Millisecond) // the sender tries and fails
	items, _ := out.Items()
	if len(items) != 1 || items[0].Delivery == "delivered" {
		t.Fatalf("items while down: %+v", items)
	}
	if _, err := out.Reply(first, "hello"); fault.CodeOf(err) != submission.CodeNotFound {
		t.Fatalf("reply before delivery: %v", err)
	}

	// The hub comes back at the same address: delivered exactly once.
	sh.up()
	a.monitor.Recheck()
	waitFor(t, "delivery", func() bool {
		items, _ := out.Items()
		return len(items) == 1 && items[0].Delivery == "delivered" && items[0].HubState == "submitted"
	})
	reviewer := hubclientFor(t, sh.URL, "")
	sess, err := reviewer.Login(ctx, "reviewer", hub.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	reviewer.SetToken(sess.Token)
	heads, err := reviewer.Submissions(ctx, 0)
	if err != nil || len(heads) != 1 || heads[0].ID != first {
		t.Fatalf("hub holds %+v, %v", heads, err)
	}

	// HQ asks for changes with a comment on a slot.
	if _, err := reviewer.Act(ctx, first, string(submission.RequestChanges), "The subject is too long."); err != nil {
		t.Fatal(err)
	}
	if _, err := reviewer.Comment(ctx, first, "Shorter, please.", "subject", "fr"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "changes requested", func() bool {
		v, _ = svc.Get(v.ID)
		return v.Status == campaign.StatusChangesRequested && len(v.HQComments) == 2
	})
	if c := v.HQComments[1]; c.Slot != "subject" || c.Locale != "fr" || c.ByName != "HQ reviewer" || c.Text != "Shorter, please." {
		t.Fatalf("HQ comment: %+v", c)
	}
	if v.SignOff != nil {
		t.Fatalf("sign-off kept after changes requested: %+v", v.SignOff)
	}
	items, _ = out.Items()
	if items[0].HubState != "changes_requested" || len(items[0].Comments) != 2 || len(items[0].History) != 2 {
		t.Fatalf("item after changes: %+v", items[0])
	}
	if it, err = out.Reply(first, "Done, shorter now."); err != nil || len(it.Comments) != 3 || it.Comments[2].By != "designer.fr" {
		t.Fatalf("reply: %v %+v", err, it.Comments)
	}

	// Fixed, signed off and resubmitted: a new submission.
	if v, err = svc.SetValue(v.ID, "fr", "subject", "Soldes d'hiver"); err != nil {
		t.Fatal(err)
	}
	if r, err := svc.Check(v.ID); err != nil || r.Errors != 0 {
		t.Fatalf("check after the fix: %v %+v", err, r.Findings)
	}
	if _, err := out.SignOff(v.ID, "approver.fr", hub.DemoPassword); err != nil {
		t.Fatal(err)
	}
	it, err = out.Submit(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if it.ID == first {
		t.Fatal("the resubmission reused the submission id")
	}
	second := it.ID
	waitFor(t, "the second delivery", func() bool {
		items, _ := out.Items()
		return len(items) == 2 && items[0].ID == second && items[0].Delivery == "delivered"
	})
	if heads, err = reviewer.Submissions(ctx, 0); err != nil || len(heads) != 2 {
		t.Fatalf("hub holds %d submissions, %v", len(heads), err)
	}
	if _, err := reviewer.Act(ctx, second, string(submission.Approve), ""); err != nil {
		t.Fatal(err)
	}
	// The Outbox's Refresh asks the hub there and then.
	if items, err := out.Refresh(); err != nil || len(items) != 2 || items[0].ID != second || items[0].HubState != "approved" {
		t.Fatalf("refresh after approval: %v %+v", err, items)
	}
	waitFor(t, "approved", func() bool {
		v, _ = svc.Get(v.ID)
		return v.Status == campaign.StatusApproved && v.Submission == second && len(v.HQComments) == 0
	})
}

func TestSubmitRefusesWithoutSignOffOrWithErrors(t *testing.T) {
	_, url := demoHub(t)
	a, svc, out := outboxApp(t, url)
	c, err := svc.Create("promo", "Unfinished", "fr")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Submit(c.ID); fault.CodeOf(err) != campaign.CodeNotSignedOff {
		t.Fatalf("submit without sign-off: %v", err)
	}
	// A fresh draft has errors: no approver may sign it off.
	if _, err := out.SignOff(c.ID, "approver.fr", hub.DemoPassword); fault.CodeOf(err) != submission.CodeSignOffErrors {
		t.Fatalf("sign off a draft with errors: %v", err)
	}
	// A sign-off recorded past the check (as a stale or tampered desktop
	// might hold one): Submit runs the check again and refuses the errors.
	st, _ := a.campaignStore()
	if _, err := st.RecordSignOff(c.ID, campaign.SignOff{By: "approver.fr", Rev: c.Rev, At: time.Now(), Grant: "x.y"}); err != nil {
		t.Fatal(err)
	}
	if _, err := out.Submit(c.ID); fault.CodeOf(err) != brandcheck.CodeBlocked {
		t.Fatalf("submit with errors: %v", err)
	}
	if v, _ := svc.Get(c.ID); v.Status != campaign.StatusDraft {
		t.Fatalf("status after a refused submit: %s", v.Status)
	}
	if items, err := out.Items(); err != nil || len(items) != 0 {
		t.Fatalf("items: %+v %v", items, err)
	}
}

func TestWithdrawBeforeReview(t *testing.T) {
	_, url := demoHub(t)
	_, svc, out := outboxApp(t, url)
	v := cleanPromo(t, svc, "Withdrawn")
	if _, err := out.SignOff(v.ID, "approver.fr", hub.DemoPassword); err != nil {
		t.Fatal(err)
	}
	it, err := out.Submit(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Retry(it.ID); fault.CodeOf(err) != outbox.CodeNotFailed {
		t.Fatalf("retry of a queued submission: %v", err)
	}
	waitFor(t, "delivery", func() bool {
		items, _ := out.Items()
		return len(items) == 1 && items[0].Delivery == "delivered"
	})
	it, err = out.Withdraw(it.ID)
	if err != nil || it.HubState != "withdrawn" || len(it.History) != 2 {
		t.Fatalf("withdraw: %v %+v", err, it)
	}
	if v, _ = svc.Get(v.ID); v.Status != campaign.StatusWithdrawn {
		t.Fatalf("campaign after withdraw: %s", v.Status)
	}
	if _, err := out.Withdraw(it.ID); fault.CodeOf(err) != submission.CodeTransitionInvalid {
		t.Fatalf("withdrawing twice: %v", err)
	}
}

// TestWithdrawWhileQueued: withdrawn while the hub is down, the campaign
// reopens at once and stays open when the submission reaches the hub,
// where it is withdrawn on arrival.
func TestWithdrawWhileQueued(t *testing.T) {
	sh := newSwitchedHub(t)
	a, svc, out := outboxApp(t, sh.URL)
	v := cleanPromo(t, svc, "Sent by mistake")
	if _, err := out.SignOff(v.ID, "approver.fr", hub.DemoPassword); err != nil {
		t.Fatal(err)
	}
	sh.down()
	it, err := out.Submit(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	it, err = out.Withdraw(it.ID)
	if err != nil || !it.WithdrawAsked || it.Delivery == "delivered" {
		t.Fatalf("withdraw while queued: %v %+v", err, it)
	}
	if v, _ = svc.Get(v.ID); v.Status != campaign.StatusWithdrawn || v.Submission != it.ID {
		t.Fatalf("campaign after withdraw: %s %s", v.Status, v.Submission)
	}
	// Open again: the designer edits it while it waits to reach the hub.
	if _, err := svc.SetValue(v.ID, "fr", "preheader", "Notre sélection pour la montagne."); err != nil {
		t.Fatalf("edit after withdraw: %v", err)
	}

	sh.up()
	a.monitor.Recheck()
	waitFor(t, "withdrawn on the hub", func() bool {
		items, _ := out.Items()
		return len(items) == 1 && items[0].Delivery == "delivered" && items[0].HubState == "withdrawn" && !items[0].WithdrawAsked
	})
	if v, _ = svc.Get(v.ID); v.Status != campaign.StatusWithdrawn {
		t.Fatalf("campaign after the hub withdrew it: %s", v.Status)
	}
	if _, err := out.Withdraw(it.ID); fault.CodeOf(err) != submission.CodeTransitionInvalid {
		t.Fatalf("withdrawing twice: %v", err)
	}
}
