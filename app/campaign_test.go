package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
)

func newCampaignApp(t *testing.T) (*App, *CampaignService) {
	t.Helper()
	a := newLibraryApp(t)
	a.openLibrary()
	waitIdle(t, a)
	return a, &CampaignService{a}
}

// TestLockEnforcementThroughTheBoundAPI: what the UI calls refuses every
// edit HQ's template forbids, with the code the UI translates, and keeps
// the saved campaign as it was.
func TestLockEnforcementThroughTheBoundAPI(t *testing.T) {
	_, svc := newCampaignApp(t)
	promo, err := svc.Create("promo", "Soldes d’hiver", "be")
	if err != nil {
		t.Fatal(err)
	}
	welcome, err := svc.Create("welcome", "Bienvenue", "fr")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		id, locale, slot, value string
		want                    fault.Code
	}{
		{welcome.ID, "fr", "headline", "Autre titre", campaign.CodeSlotLocked},
		{welcome.ID, "fr", "hero", "misty-pier", campaign.CodeSlotLocked},
		{promo.ID, "fr", "logo", "logo-primary", campaign.CodeSlotLocked},
		{promo.ID, "fr", "season", "black-friday", campaign.CodeOptionInvalid},
		{promo.ID, "en", "cta", "Buy now", campaign.CodeOptionInvalid},
		{promo.ID, "fr", "subject", strings.Repeat("a", 71), campaign.CodeTooLong},
		{promo.ID, "fr", "cta_url", "javascript:alert(1)", campaign.CodeLinkInvalid},
		{promo.ID, "fr", "offer_end", "demain", campaign.CodeDateInvalid},
		{promo.ID, "fr", "pick_1_image", "../../etc/passwd", campaign.CodeImageUnknown},
		{promo.ID, "de", "headline", "Hallo", campaign.CodeLocaleUnknown},
		{promo.ID, "fr", "onload", "x", campaign.CodeSlotUnknown},
		{"no-such-campaign", "fr", "headline", "x", campaign.CodeNotFound},
	}
	for _, tc := range cases {
		_, err := svc.SetValue(tc.id, tc.locale, tc.slot, tc.value)
		if fault.CodeOf(err) != tc.want {
			t.Errorf("SetValue(%s, %s, %.20q) = %v, want %s", tc.locale, tc.slot, tc.value, err, tc.want)
			continue
		}
		// The error crosses to the UI as JSON carrying the code.
		if js := errorJSON(err).(string); !strings.Contains(js, `"code":"`+string(tc.want)+`"`) {
			t.Errorf("error JSON %s lacks its code", js)
		}
	}
	for _, id := range []string{promo.ID, welcome.ID} {
		v, err := svc.Get(id)
		if err != nil || v.Rev != 1 {
			t.Fatalf("after refused edits rev = %d, %v; want 1", v.Rev, err)
		}
	}
	// A valid edit goes through and the view shows it resolved.
	v, err := svc.SetValue(promo.ID, "fr", "headline", "Les soldes sont là")
	if err != nil {
		t.Fatal(err)
	}
	if r := v.Values["en"]["headline"]; r.Source != campaign.SourceFallback || r.Value != "Les soldes sont là" {
		t.Fatalf("en headline = %+v", r)
	}
	var untranslated []string
	for _, ls := range v.Translation {
		if ls.Locale == "en" {
			untranslated = ls.Untranslated
		}
	}
	if len(untranslated) != 1 || untranslated[0] != "headline" {
		t.Fatalf("en untranslated = %v, want [headline]", untranslated)
	}
	if len(v.Scopes) == 0 || v.Slots[1].ID != campaign.PreheaderSlot {
		t.Fatalf("scopes %d, second slot %q", len(v.Scopes), v.Slots[1].ID)
	}
	list, err := svc.List(CampaignQuery{Text: "soldes"})
	if err != nil || len(list.Items) != 1 || list.Items[0].ID != promo.ID || list.Total != 2 {
		t.Fatalf("List(soldes) = %+v, %v", list, err)
	}
}

// TestPreviewIsSandboxedAndScriptFree renders a campaign whose fields carry
// scripts and serves it as the composer's frame loads it.
func TestPreviewIsSandboxedAndScriptFree(t *testing.T) {
	a, svc := newCampaignApp(t)
	c, err := svc.Create("promo", "XSS", "fr")
	if err != nil {
		t.Fatal(err)
	}
	for slot, v := range map[string]string{
		"body":     "Hello <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
		"headline": `<iframe src="https://evil.example"></iframe>`,
		"terms":    "![pixel](https://tracker.example/p.gif)",
	} {
		if _, err := svc.SetValue(c.ID, "fr", slot, v); err != nil {
			t.Fatalf("%s: %v", slot, err)
		}
	}
	p, err := svc.Preview(c.ID, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject == "" || p.Sender != "Cairn Outdoor" || p.Bytes == 0 || p.Text == "" {
		t.Fatalf("preview = %+v", p)
	}
	if len(p.Problems) == 0 {
		t.Fatal("dropped scripts and links were not reported")
	}
	for _, scheme := range []string{"", "dark", "inverted"} {
		srv := httptest.NewServer(a.libraryFiles(http.NotFoundHandler()))
		res, err := http.Get(srv.URL + p.URL + "&scheme=" + scheme)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		srv.Close()
		if res.StatusCode != 200 {
			t.Fatalf("scheme %q: %d %s", scheme, res.StatusCode, body)
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "sandbox") || strings.Contains(csp, "script-src") {
			t.Fatalf("preview CSP %q", csp)
		}
		doc, err := html.Parse(strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		var walk func(*html.Node)
		imgs := 0
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "script", "iframe", "object", "embed":
					t.Fatalf("scheme %q: a <%s> survived", scheme, n.Data)
				case "img":
					imgs++
				}
				for _, at := range n.Attr {
					v := strings.ToLower(strings.TrimSpace(at.Val))
					if strings.HasPrefix(at.Key, "on") || strings.HasPrefix(v, "javascript:") ||
						(at.Key == "src" && !strings.HasPrefix(v, "data:image/")) || strings.Contains(v, "tracker.example") {
						t.Fatalf("scheme %q: unsafe attribute %s=%q", scheme, at.Key, at.Val)
					}
				}
			}
			for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
				walk(ch)
			}
		}
		walk(doc)
		if imgs < 4 {
			t.Fatalf("scheme %q: %d pictures, want logo, hero and two picks", scheme, imgs)
		}
		if scheme == "dark" && strings.Contains(string(body), "prefers-color-scheme: dark") {
			t.Fatal("dark preview left the email's dark rules switched off")
		}
	}
	// Another campaign's or locale's preview is not served by guessing.
	srv := httptest.NewServer(a.libraryFiles(http.NotFoundHandler()))
	defer srv.Close()
	for _, path := range []string{"/campaign/preview/nope/fr", "/campaign/preview/" + c.ID + "/de", "/campaign/preview/" + c.ID} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == 200 {
			t.Fatalf("%s answered 200", path)
		}
	}
}

// TestNewReleaseKeepsDraftsAndSweepKeepsTheirVersion: importing a newer
// library leaves a draft on its version, still editable and previewable.
func TestDraftSurvivesANewerRelease(t *testing.T) {
	a, svc := newCampaignApp(t)
	c, err := svc.Create("newsletter", "Lettre de décembre", "fr")
	if err != nil {
		t.Fatal(err)
	}
	pins, err := a.campaigns.Pins()
	if err != nil || len(pins) != 1 {
		t.Fatalf("pins %v %v", pins, err)
	}
	if _, err := a.store.Sweep(pins...); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Preview(c.ID, "fr"); err != nil {
		t.Fatalf("preview after sweep: %v", err)
	}
	if _, err := svc.PlanRebase(c.ID); fault.CodeOf(err) != campaign.CodeRebaseNothing {
		t.Fatalf("PlanRebase on the current version: %v", err)
	}
}

// TestCheckThroughTheBoundAPI: a restricted word typed into a slot is an
// error finding with its slot; fixed, it goes; the report is deterministic.
func TestCheckThroughTheBoundAPI(t *testing.T) {
	_, svc := newCampaignApp(t)
	c, err := svc.Create("promo", "Check", "fr")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetValue(c.ID, "fr", "headline", "Un sac gratuit pour vous"); err != nil {
		t.Fatal(err)
	}
	r, err := svc.Check(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range r.Findings {
		if f.Rule == "restricted-words-fr" && f.Slot == "headline" && f.Locale == "fr" && f.Severity == "error" {
			found = true
		}
	}
	if !found || r.Ready {
		t.Fatalf("restricted word not found: %+v", r.Findings)
	}
	again, _ := svc.Check(c.ID)
	if again.Receipt != r.Receipt {
		t.Fatalf("receipts differ: %+v vs %+v", again.Receipt, r.Receipt)
	}
	// The receipt is stored with the campaign, for the revision it checked.
	st, err := svc.a.campaignStore()
	if err != nil {
		t.Fatal(err)
	}
	saved, err := st.Get(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var stored brandcheck.Receipt
	if saved.Check == nil || saved.Check.Rev != saved.Rev || saved.Check.Errors != r.Errors ||
		json.Unmarshal(saved.Check.Receipt, &stored) != nil || stored != r.Receipt {
		t.Fatalf("stored check %+v, want rev %d and receipt %+v", saved.Check, saved.Rev, r.Receipt)
	}
	if _, err := svc.SetValue(c.ID, "fr", "headline", "Un sac offert pour vous"); err != nil {
		t.Fatal(err)
	}
	fixed, _ := svc.Check(c.ID)
	for _, f := range fixed.Findings {
		if f.Rule == "restricted-words-fr" {
			t.Fatalf("still reported after the fix: %+v", f)
		}
	}
	if fixed.Receipt.CampaignSHA256 == r.Receipt.CampaignSHA256 {
		t.Fatal("the receipt did not follow the edit")
	}
}

// TestCheckWeighsThePictures: the check is given each picture's rendition
// size, so the email-weight rule can count the images too.
func TestCheckWeighsThePictures(t *testing.T) {
	a, svc := newCampaignApp(t)
	c, err := svc.Create("promo", "Weight", "fr")
	if err != nil {
		t.Fatal(err)
	}
	st, err := a.campaignStore()
	if err != nil {
		t.Fatal(err)
	}
	cp, err := st.Get(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	ix, layout, err := st.Layout(cp)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := brandcheck.Prepare(context.Background(), cp, ix, layout, a.previews.renderer, nil)
	if err != nil {
		t.Fatal(err)
	}
	sizes := a.previews.weigh(ls)
	pics := 0
	for _, l := range ls {
		for _, p := range l.Pictures {
			pics++
			if sizes[p.Key()] <= 0 {
				t.Errorf("picture %s (%s) not weighed", p.Key(), p.Asset)
			}
		}
	}
	if pics == 0 {
		t.Fatal("the promo email shows no pictures")
	}
}
