package hub

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/outpost-studio/outpost/assets"
	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/render"
)

// office is a desktop's side of a submission: its cache holding the
// sample release, its campaigns, and the check as the desktop runs it.
type office struct {
	t        *testing.T
	campaign *campaign.Store
	ix       *library.Index
	renderer *render.Renderer
}

func newOffice(t *testing.T) *office {
	t.Helper()
	c, err := cache.Open(cache.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	lib := library.NewStore(c)
	pol := library.Policy{Trust: []library.Trust{DemoTrust()}, Now: t0}
	if _, err := lib.Apply(library.FSSource(assets.Sample()), pol, nil); err != nil {
		t.Fatal(err)
	}
	ix, err := lib.Open(assets.SampleLibrary)
	if err != nil {
		t.Fatal(err)
	}
	return &office{t: t, campaign: campaign.NewStore(c, lib), ix: ix, renderer: render.New()}
}

// testToday is the check date of test receipts: the hub's t0.
const testToday = "2027-01-10"

// draft creates a campaign the check finds clean: promo in fr, newsletter
// in be, written by the region's demo designer.
func (o *office) draft(region string) *campaign.Campaign {
	o.t.Helper()
	type spec struct {
		template, audience string
		values             map[string]map[string]string
	}
	specs := map[string]spec{
		"fr": {"promo", "club-members", map[string]map[string]string{"fr": {
			"subject":   "Soldes d'hiver : l'équipement rando à prix doux",
			"preheader": "Chaussures, sacs et vestes : notre sélection pour l'hiver.",
			"season":    "winter", "hero": "forest-path", "offer_end": "2027-01-31",
		}}},
		"be": {"newsletter", "newsletter-subscribers", map[string]map[string]string{
			"fr": {"cta": "routes", "preheader": "Trois boucles testées par nos équipes."},
			"en": {"preheader": "Three loops our teams have tried."},
		}},
	}
	sp := specs[region]
	c, err := o.campaign.Create(o.ix, campaign.New{Template: sp.template, Name: "Winter " + region, Region: region, Author: "designer." + region})
	if err != nil {
		o.t.Fatal(err)
	}
	for locale, vs := range sp.values {
		for slot, v := range vs {
			if c, err = o.campaign.SetValue(c.ID, locale, slot, v); err != nil {
				o.t.Fatalf("SetValue %s %s: %v", locale, slot, err)
			}
		}
	}
	if c, err = o.campaign.SetAudience(c.ID, sp.audience); err != nil {
		o.t.Fatal(err)
	}
	if c, err = o.campaign.SetSendAt(c.ID, "2027-01-20T10:00"); err != nil {
		o.t.Fatal(err)
	}
	return c
}

// checked is a campaign checked as the desktop does, ready to submit.
type checked struct {
	c          *campaign.Campaign
	report     brandcheck.Report
	locales    []hubapi.SubmissionLocale
	renditions []hubapi.Rendition
	blobs      map[string][]byte // rendition bytes by SHA-256
}

// renditionBytes stands for a picture's rendition: distinct bytes per key.
func renditionBytes(key string) []byte {
	return bytes.Repeat([]byte("rendition "+key+"\n"), 40)
}

// check runs the brand check as the desktop does (pictures as "cid:"
// references, each rendition weighed); rules replaces the rule pack when
// not nil.
func (o *office) check(c *campaign.Campaign, rules *library.RulePack) *checked {
	o.t.Helper()
	return o.checkWith(c, rules, func(p campaign.Picture) []byte { return renditionBytes(p.Key()) })
}

// checkWith is check with renditions made by render.
func (o *office) checkWith(c *campaign.Campaign, rules *library.RulePack, render func(campaign.Picture) []byte) *checked {
	o.t.Helper()
	ix, layout, err := o.campaign.Layout(c)
	if err != nil {
		o.t.Fatal(err)
	}
	ls, err := brandcheck.Prepare(context.Background(), c, ix, layout, o.renderer, nil)
	if err != nil {
		o.t.Fatal(err)
	}
	ck := &checked{c: c, blobs: map[string][]byte{}}
	sizes := map[string]int{}
	for _, l := range ls {
		ck.locales = append(ck.locales, hubapi.SubmissionLocale{Locale: l.Locale, HTML: l.Result.HTML, Text: l.Result.Text})
		for _, p := range l.Pictures {
			k := p.Key()
			if _, done := sizes[k]; done {
				continue
			}
			b := render(p)
			sha := sha256Hex(string(b))
			sizes[k] = len(b)
			ck.blobs[sha] = b
			ck.renditions = append(ck.renditions, hubapi.Rendition{Key: k, SHA256: sha, Bytes: int64(len(b))})
		}
	}
	ck.report = brandcheck.Check(brandcheck.Input{Campaign: c, Release: ix, Rules: rules, Locales: ls, ImageBytes: sizes, Today: testToday})
	return ck
}

// signOffRequest is what the approver's desktop asks the hub to witness.
func (ck *checked) signOffRequest() hubapi.SignOffRequest {
	return hubapi.SignOffRequest{
		CampaignID: ck.c.ID, Region: ck.c.Region, Author: ck.c.Author, Rev: ck.c.Rev,
		CampaignSHA256: sha256Hex(string(brandcheck.CampaignJSON(ck.c, nil))),
		Errors:         ck.report.Errors, Receipt: ck.report.Receipt,
	}
}

// signOff asks the hub for a grant as an approver.
func (e *testEnv) signOff(token string, r hubapi.SignOffRequest) answer {
	e.t.Helper()
	return e.do(req{method: http.MethodPost, path: hubapi.PathSignOffs, token: token, ctype: "application/json", body: jsonBody(r)})
}

func (e *testEnv) grant(token string, r hubapi.SignOffRequest) string {
	e.t.Helper()
	a := e.signOff(token, r)
	if a.status != http.StatusCreated {
		e.t.Fatalf("sign-off: %v", a)
	}
	var g hubapi.SignOffAnswer
	if err := json.Unmarshal(a.body, &g); err != nil {
		e.t.Fatal(err)
	}
	return g.Grant
}

// newSubmissionID is a fresh permanent id, as the desktop makes them.
func newSubmissionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "sub_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// submission is the body the desktop sends.
func (ck *checked) submission(id, grant string) hubapi.Submission {
	return hubapi.Submission{
		ID: id, Campaign: *ck.c, Locales: ck.locales, Renditions: ck.renditions, Imports: []library.Local{},
		Receipt: ck.report.Receipt, Findings: ck.report.Findings, SignOff: hubapi.SignOffGrant{Grant: grant},
		SubmittedAt: t0,
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// uploadAll sends every rendition in one PATCH each.
func (e *testEnv) uploadAll(token string, blobs map[string][]byte) {
	e.t.Helper()
	for sha, b := range blobs {
		if a := e.patch(token, sha, 0, int64(len(b)), b); a.status != http.StatusOK {
			e.t.Fatalf("upload %s: %v", sha, a)
		}
	}
}

func (e *testEnv) patch(token, sha string, offset, length int64, b []byte) answer {
	e.t.Helper()
	return e.do(req{method: http.MethodPatch, path: hubapi.UploadPath(sha), token: token, ctype: "application/offset+octet-stream",
		body: bytes.NewReader(b), header: map[string]string{
			hubapi.HeaderUploadOffset: strconv.FormatInt(offset, 10),
			hubapi.HeaderUploadLength: strconv.FormatInt(length, 10),
		}})
}

func (e *testEnv) putSubmission(token, id string, body []byte) answer {
	e.t.Helper()
	return e.do(req{method: http.MethodPut, path: hubapi.SubmissionPath(id), token: token, ctype: "application/json", body: bytes.NewReader(body)})
}

// ready is a clean campaign of a region checked, its renditions uploaded
// and signed off by the region's demo approver: what the outbox sends.
type ready struct {
	ck    *checked
	grant string
}

func (e *testEnv) ready(o *office, region string, tokens map[string]string) ready {
	e.t.Helper()
	ck := o.check(o.draft(region), nil)
	if ck.report.Errors != 0 {
		e.t.Fatalf("the %s draft is not clean: %+v", region, ck.report.Findings)
	}
	e.uploadAll(tokens["designer."+region], ck.blobs)
	return ready{ck: ck, grant: e.grant(tokens["approver."+region], ck.signOffRequest())}
}

// body is a new submission of it under a fresh id.
func (r ready) body(t testing.TB) (string, []byte) {
	id := newSubmissionID()
	return id, mustJSON(t, r.ck.submission(id, r.grant))
}

// demoTokens signs in every demo account.
func (e *testEnv) demoTokens() map[string]string {
	e.t.Helper()
	out := map[string]string{}
	for _, u := range DemoUsers() {
		if u.Name == "admin" {
			out[u.Name] = e.login(u.Name, testPassword)
			continue
		}
		out[u.Name] = e.login(u.Name, DemoPassword)
	}
	return out
}

func decodeRecord(t testing.TB, a answer) hubapi.SubmissionRecord {
	t.Helper()
	var rec hubapi.SubmissionRecord
	if err := json.Unmarshal(a.body, &rec); err != nil {
		t.Fatalf("%v: %v", err, a)
	}
	return rec
}
