package brandcheck

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/pack"
)

// TestCheckPackReportsAssetFindings: an asset pack's pictures are checked
// for expiry on the export day, the office's region and unapproved local
// photos, by the same rules as campaigns.
func TestCheckPackReportsAssetFindings(t *testing.T) {
	s := loadSample(t)
	local := library.Local{ID: "local-00000000000000aa", SHA256: strings.Repeat("a", 64), Name: "vitrine.jpg", Width: 2000, Height: 1500}
	ix := s.ix.WithLocals([]library.Local{local})
	fs := CheckPack(PackInput{
		Release: ix, Region: "fr", Date: "2026-12-20",
		Assets: []string{"bridge-cables-tidal-bay", "woven-facade-monochrome", "misty-pier", local.ID, "nope"},
	})
	want := []expect{
		{Rule: "asset-expiry", Code: CodeAssetExpired},
		{Rule: "outpost:image-import", Code: CodeImageImport},
		{Rule: "outpost:image-region", Code: CodeImageRegion},
		{Rule: "outpost:required-slots", Code: CodeImageUnknown},
	}
	if g := got(fs); !slices.Equal(g, want) {
		t.Fatalf("got %v, want %v", g, want)
	}
	approved := CheckPack(PackInput{Release: ix, Region: "fr", Date: "2026-11-23", Assets: []string{local.ID, "misty-pier"}, ApprovedImports: []string{local.ID}})
	if len(approved) != 0 {
		t.Fatalf("an approved import and a valid picture: %v", approved)
	}
}

// TestToPackKeepsEveryField: the pack's manifest and report list the
// check's findings with their English words.
func TestToPackKeepsEveryField(t *testing.T) {
	s := loadSample(t)
	fx := loadFixtures(t)["link_domains: the button links over http"]
	rep := Check(fx.input(t, s))
	pf := ToPack(rep.Findings)
	if len(pf) != 1 {
		t.Fatalf("%+v", pf)
	}
	want := pack.Finding{RuleID: "link-allow-list", Severity: pack.SeverityError, Code: "brandcheck.link_not_https",
		Params: map[string]string{"url": "http://shop.cairn-outdoor.example/fr/soldes"}, Locale: "fr", Slot: "cta_url",
		Message: "fr, cta_url: “http://shop.cairn-outdoor.example/fr/soldes” isn't a secure (https) link. Use the page's https:// address."}
	g := pf[0]
	if g.RuleID != want.RuleID || g.Severity != want.Severity || g.Code != want.Code || g.Locale != want.Locale ||
		g.Slot != want.Slot || g.Message != want.Message || g.Params["url"] != want.Params["url"] || len(g.Params) != 1 {
		t.Fatalf("got %+v\nwant %+v", g, want)
	}
}

// TestReceiptNamesWhatWasChecked: the receipt changes with the campaign,
// the rules and the date, and not with how the rule pack is written.
func TestReceiptNamesWhatWasChecked(t *testing.T) {
	s := loadSample(t)
	fx := loadFixtures(t)["clean promo fr"]
	in := fx.input(t, s)
	base := Check(in).Receipt
	if base.Version != Version || base.Today != "2026-11-23" || len(base.RulesSHA256) != 64 {
		t.Fatalf("%+v", base)
	}

	c := *in.Campaign
	c.Values = map[string]map[string]string{"fr": {"headline": "Autre titre"}}
	other := in
	other.Campaign = &c
	if r := Check(other).Receipt; r.CampaignSHA256 == base.CampaignSHA256 || r.RulesSHA256 != base.RulesSHA256 {
		t.Errorf("a changed value: %+v", r)
	}

	// Same rules, written differently: 2.0 for 2, keys in another order.
	pack := s.ix.Content.Rules
	pack.Rules = slices.Clone(pack.Rules)
	for i, r := range pack.Rules {
		if r.ID == "image-sharpness" {
			pack.Rules[i].Params = []byte(` { "min_density" : 2.0 } `)
		}
	}
	respelt := in
	respelt.Rules = &pack
	if r := Check(respelt).Receipt; r != base {
		t.Errorf("the same rules written differently: %+v vs %+v", r, base)
	}
	pack.Rules = append(pack.Rules, library.Rule{ID: "x", Kind: KindTone, Severity: SeverityWarning})
	if r := Check(respelt).Receipt; r.RulesSHA256 == base.RulesSHA256 {
		t.Error("a rule more: same rules hash")
	}

	later := in
	later.Today = "2026-11-24"
	if r := Check(later).Receipt; r.Today == base.Today || r.CampaignSHA256 != base.CampaignSHA256 {
		t.Errorf("another day: %+v", r)
	}
}

// TestCheckWithoutInput: a missing campaign, release or render is a
// finding, never a panic.
func TestCheckWithoutInput(t *testing.T) {
	s := loadSample(t)
	if r := Check(Input{}); r.Ready || len(r.Findings) != 1 || r.Findings[0].Code != CodeCampaignMissing {
		t.Errorf("no campaign: %+v", r)
	}
	fx := loadFixtures(t)["clean promo ch"]
	in := fx.input(t, s)
	in.Locales = in.Locales[:1] // de not rendered
	r := Check(in)
	if r.Ready || !slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Code == CodeLocaleNotRendered && f.Locale == "de" }) {
		t.Errorf("a locale not rendered: %+v", r.Findings)
	}
	if _, err := Prepare(context.Background(), nil, s.ix, "", nil, nil); !fault.Is(err, CodeInputInvalid) {
		t.Errorf("Prepare without a campaign: %v", err)
	}
}
