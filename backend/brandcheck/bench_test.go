package brandcheck

import (
	"context"
	"fmt"
	"testing"

	"github.com/outpost-studio/outpost/backend/campaign"
)

// The budget is a check after every edit: under 20 ms for a campaign in
// three languages. BenchmarkCheckThreeLocales checks an already rendered
// campaign (the app keeps each locale's latest render);
// BenchmarkPrepareAndCheckThreeLocales also re-renders all three locales
// after an edit of each body, the worst case.
//
//	go test ./backend/brandcheck -run '^$' -bench ThreeLocales -benchmem

func threeLocales(b *testing.B, s *sample) *campaign.Campaign {
	b.Helper()
	fx := loadFixtures(b)["clean promo ch"]
	c := fx.campaign(s)
	c.Locales = []string{"fr", "de", "en"}
	c.Values["en"] = map[string]string{
		"preheader": "Our winter selection.",
		"body":      "Boots, packs and waterproof jackets: [the selection](https://shop.cairn-outdoor.example/en/sale) our teams use themselves.",
	}
	c.Values["fr"]["body"] = "Chaussures, sacs, vestes : [la sélection](https://shop.cairn-outdoor.example/fr/soldes) que nos équipes utilisent."
	c.Values["de"]["body"] = "Schuhe, Rucksäcke, Jacken: [die Auswahl](https://shop.cairn-outdoor.example/de/sale), die unsere Teams selbst nutzen."
	return c
}

func BenchmarkCheckThreeLocales(b *testing.B) {
	s := loadSample(b)
	c := threeLocales(b, s)
	ls, err := Prepare(context.Background(), c, s.ix, s.layouts[c.Template], s.renderer, nil)
	if err != nil {
		b.Fatal(err)
	}
	in := Input{Campaign: c, Release: s.ix, Locales: ls, Today: "2026-11-23"}
	if rep := Check(in); len(rep.Findings) != 0 {
		b.Fatalf("the benchmark campaign should be clean: %+v", rep.Findings)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Check(in)
	}
}

func BenchmarkPrepareAndCheckThreeLocales(b *testing.B) {
	s := loadSample(b)
	c := threeLocales(b, s)
	bodies := map[string]string{}
	for _, l := range c.Locales {
		bodies[l] = c.Values[l]["body"]
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, l := range c.Locales {
			c.Values[l]["body"] = bodies[l] + fmt.Sprint(" ", i)
		}
		ls, err := Prepare(context.Background(), c, s.ix, s.layouts[c.Template], s.renderer, nil)
		if err != nil {
			b.Fatal(err)
		}
		Check(Input{Campaign: c, Release: s.ix, Locales: ls, Today: "2026-11-23"})
	}
}
