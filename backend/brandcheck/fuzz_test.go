package brandcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/library"
)

// FuzzCheck feeds random campaigns and rule packs through the real
// render path and the check: there is always a report, never a panic
// (nor a rule that panicked and was caught), and the same input gives the
// same bytes. The seeds in testdata/fuzz/FuzzCheck run with plain go test.
//
// values holds one "locale|slot|value" per line (\n in a value is "\\n");
// target picks a rule of the sample pack whose params become params (or
// none); kind, severity and params also make one more rule.
func FuzzCheck(f *testing.F) {
	f.Add("promo", "fr", "fr", "fr|headline|Tout est GRATUIT !!!\nfr|cta_url|http://bit.ly/x", "club-members", "2026-12-01T10:00", "2026-11-23",
		3, []byte(`{"pattern":"(?i)soldes"}`), "tone", "warning", 0.1, 0.1, 0.5, 0.5)
	f.Add("event", "ch", "fr,de", "de|title|Titel\nfr|event_date|2026-13-01", "", "", "bad", -1, []byte(`null`), "length", "error", 0.0, 0.0, 1.0, 1.0)
	s := loadSample(f)
	f.Fuzz(func(t *testing.T, template, region, locales, values, audience, sendAt, today string,
		target int, params []byte, kind, severity string, cx, cy, cw, ch float64) {
		c := &campaign.Campaign{
			ID: "fuzz", Library: s.ix.Record.Library, Release: s.ix.Record.Version, Template: template, Region: region,
			Audience: audience, SendAt: sendAt, Status: campaign.StatusDraft, Values: map[string]map[string]string{},
		}
		if locales != "" {
			c.Locales = strings.Split(locales, ",")
		}
		for _, line := range strings.Split(values, "\n") {
			parts := strings.SplitN(line, "|", 3)
			if len(parts) != 3 {
				continue
			}
			if c.Values[parts[0]] == nil {
				c.Values[parts[0]] = map[string]string{}
			}
			c.Values[parts[0]][parts[1]] = strings.ReplaceAll(parts[2], `\n`, "\n")
		}
		c.Crops = map[string]map[string]campaign.Crop{}
		for _, slot := range []string{"hero", "pick_1_image", "feature_image"} {
			c.Crops[slot] = map[string]campaign.Crop{campaign.EmailPreset: {X: cx, Y: cy, W: cw, H: ch}}
		}
		pack := s.ix.Content.Rules
		pack.Rules = append([]library.Rule(nil), pack.Rules...)
		if target >= 0 && target < len(pack.Rules) {
			pack.Rules[target].Params = json.RawMessage(params)
		}
		pack.Rules = append(pack.Rules, library.Rule{ID: "fuzz", Kind: kind, Severity: severity, Params: json.RawMessage(params)})

		in := Input{Campaign: c, Release: s.ix, Rules: &pack, Today: today, ImageBytes: map[string]int{}}
		if t, ok := campaign.TemplateOf(s.ix.Content, template); ok {
			if ls, err := Prepare(context.Background(), c, s.ix, s.layouts[t.ID], s.renderer, nil); err == nil {
				in.Locales = ls
			}
		}
		rep := Check(in)
		if rep.Findings == nil || rep.Errors+rep.Warnings != len(rep.Findings) || rep.Ready != (rep.Errors == 0) {
			t.Fatalf("inconsistent report: %+v", rep)
		}
		for _, f := range rep.Findings {
			if f.Code == CodeCheckFailed {
				t.Fatalf("rule %s panicked", f.Rule)
			}
			if f.Severity != SeverityError && f.Severity != SeverityWarning {
				t.Fatalf("severity %q", f.Severity)
			}
			if _, ok := english[f.Code]; !ok {
				t.Fatalf("code %s has no words", f.Code)
			}
		}
		again := Check(in)
		if !bytes.Equal(FindingsJSON(rep.Findings), FindingsJSON(again.Findings)) || rep.Receipt != again.Receipt {
			t.Fatal("two runs differ")
		}
	})
}
