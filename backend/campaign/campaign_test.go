package campaign

import (
	"strings"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/assets"
	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
)

// sampleStore opens a fresh cache in dir holding the built-in sample release.
func sampleStore(t testing.TB, dir string) (*Store, *library.Index, *cache.Cache) {
	t.Helper()
	c, err := cache.Open(cache.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	lib := library.NewStore(c)
	if rec, _ := lib.Record(assets.SampleLibrary); rec == nil {
		pol := library.Policy{
			Trust: []library.Trust{{Library: assets.SampleLibrary, Keys: []string{assets.SampleKey()}, Threshold: 1}},
			Now:   time.Now(),
		}
		if _, err := lib.Apply(library.FSSource(assets.Sample()), pol, nil); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := lib.Open(assets.SampleLibrary)
	if err != nil {
		t.Fatal(err)
	}
	return NewStore(c, lib), ix, c
}

func newDraft(t testing.TB, s *Store, ix *library.Index, template, region string) *Campaign {
	t.Helper()
	c, err := s.Create(ix, New{Template: template, Name: "Winter sale " + region, Region: region, Author: "Léa"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLocksAreEnforced: every way an edit can break HQ's rules is refused
// with its own code, and the saved campaign is left as it was.
func TestLocksAreEnforced(t *testing.T) {
	s, ix, _ := sampleStore(t, t.TempDir())
	promo := newDraft(t, s, ix, "promo", "ch") // locales fr, de
	welcome := newDraft(t, s, ix, "welcome", "fr")

	cases := []struct {
		name                string
		c                   *Campaign
		locale, slot, value string
		want                fault.Code
	}{
		{"locked text", welcome, "fr", "headline", "Mon titre", CodeSlotLocked},
		{"locked markdown", welcome, "fr", "body", "texte", CodeSlotLocked},
		{"locked subject", welcome, "fr", "subject", "Objet", CodeSlotLocked},
		{"locked logo", promo, "fr", "logo", "misty-pier", CodeSlotLocked},
		{"locked, even cleared", welcome, "fr", "headline", "", CodeSlotLocked},
		{"choice outside HQ's options", promo, "fr", "season", "black-friday", CodeOptionInvalid},
		{"choice given as its text", promo, "fr", "season", "Soldes d'hiver", CodeOptionInvalid},
		{"image choice outside options", promo, "fr", "hero", "misty-pier", CodeOptionInvalid},
		{"unknown slot", promo, "fr", "tracking_pixel", "x", CodeSlotUnknown},
		{"locale the region does not speak", promo, "en", "headline", "Hello", CodeLocaleUnknown},
		{"subject too long", promo, "fr", "subject", strings.Repeat("é", 71), CodeTooLong},
		{"preheader too long", promo, "de", "preheader", strings.Repeat("x", PreheaderLimit+1), CodeTooLong},
		{"markdown over 32 KiB", promo, "fr", "body", strings.Repeat("a", MaxFieldBytes+1), CodeTooLarge},
		{"javascript link", promo, "fr", "cta_url", "javascript:alert(1)", CodeLinkInvalid},
		{"data link", promo, "fr", "pick_1_url", "data:text/html,<script>alert(1)</script>", CodeLinkInvalid},
		{"relative link", promo, "fr", "cta_url", "/fr/soldes", CodeLinkInvalid},
		{"link without host", promo, "fr", "cta_url", "https://", CodeLinkInvalid},
		{"malformed mailto", promo, "fr", "cta_url", "mailto:not an address", CodeLinkInvalid},
		{"link with a quote", promo, "fr", "cta_url", `https://x.example/"onmouseover="alert(1)`, CodeLinkInvalid},
		{"impossible date", promo, "fr", "offer_end", "2026-02-30", CodeDateInvalid},
		{"date in another format", promo, "fr", "offer_end", "30/12/2026", CodeDateInvalid},
		{"image that does not exist", promo, "fr", "pick_1_image", "no-such-asset", CodeImageUnknown},
		{"required text cleared with nothing to fall back to", promo, "fr", "discount", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, err := s.Get(tc.c.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.SetValue(tc.c.ID, tc.locale, tc.slot, tc.value)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("SetValue: %v", err)
				}
				return
			}
			if fault.CodeOf(err) != tc.want {
				t.Fatalf("SetValue(%s, %s, %.30q) = %v, want %s", tc.locale, tc.slot, tc.value, err, tc.want)
			}
			after, _ := s.Get(tc.c.ID)
			if after.Rev != before.Rev {
				t.Fatalf("a refused edit was saved: rev %d → %d", before.Rev, after.Rev)
			}
		})
	}
}

func TestValidEditsAreSavedAndResolved(t *testing.T) {
	s, ix, _ := sampleStore(t, t.TempDir())
	c := newDraft(t, s, ix, "promo", "ch")
	if c.DefaultLocale() != "fr" || len(c.Locales) != 2 || c.Locales[1] != "de" {
		t.Fatalf("locales = %v, want the region's [fr de]", c.Locales)
	}
	edits := []struct{ locale, slot, value string }{
		{"fr", "headline", "Les soldes d’hiver\nsont là"},
		{"fr", "season", "winter"},
		{"fr", "hero", "boats"},
		{"fr", "cta_url", "https://shop.cairn-outdoor.example/fr/soldes?utm_source=email"},
		{"fr", "pick_1_url", "mailto:magasin@cairn-outdoor.example"},
		{"fr", "offer_end", "2026-12-31"},
		{"de", "preheader", "Bis zu 30 % auf Winterjacken"},
	}
	var err error
	for _, e := range edits {
		if c, err = s.SetValue(c.ID, e.locale, e.slot, e.value); err != nil {
			t.Fatalf("%s/%s: %v", e.locale, e.slot, err)
		}
	}
	if c.Rev != 1+uint64(len(edits)) {
		t.Fatalf("rev = %d after %d edits", c.Rev, len(edits))
	}
	if got := c.Values["fr"]["headline"]; got != "Les soldes d’hiver sont là" {
		t.Fatalf("a line break in a text slot: %q", got)
	}
	tpl, _ := TemplateOf(ix.Content, "promo")
	de := map[string]Resolved{}
	for _, r := range Resolve(c, tpl, "de", "fr") {
		de[r.Slot] = r
	}
	if r := de["headline"]; r.Source != SourceFallback || !r.Untranslated() || r.Value != "Les soldes d’hiver sont là" {
		t.Fatalf("de headline = %+v, want the French text marked untranslated", r)
	}
	if r := de["season"]; r.Option != "winter" || r.Text != "Winter-Ausverkauf" || r.Source != SourceFallback || r.Untranslated() {
		t.Fatalf("de season = %+v, want the winter option in German", r)
	}
	if r := de["preheader"]; r.Source != SourceOwn {
		t.Fatalf("de preheader = %+v", r)
	}
	if r := de["subject"]; r.Source != SourceDefault || r.Value == "" {
		t.Fatalf("de subject = %+v, want HQ's German default", r)
	}
	if r := de["logo"]; r.Source != SourceLocked || r.Value != "logo-reversed" {
		t.Fatalf("de logo = %+v", r)
	}
	// Clearing the German preheader makes it fall back to French (there is none): empty.
	if c, err = s.SetValue(c.ID, "de", "preheader", "  "); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Values["de"]["preheader"]; ok {
		t.Fatal("a blank value was stored instead of clearing the slot")
	}
	// Audience and send date.
	if _, err := s.SetAudience(c.ID, "no-such-scope"); fault.CodeOf(err) != CodeAudienceInvalid {
		t.Fatalf("unknown audience: %v", err)
	}
	if _, err := s.SetAudience(c.ID, ""); err != nil {
		t.Fatal(err)
	}
	if c, err = s.SetAudience(c.ID, "club-members"); err != nil || c.Audience != "club-members" {
		t.Fatalf("audience: %v", err)
	}
	if _, err := s.SetSendAt(c.ID, "2026-13-01T09:00"); fault.CodeOf(err) != CodeSendAtInvalid {
		t.Fatalf("bad send date: %v", err)
	}
	if c, err = s.SetSendAt(c.ID, "2026-12-02T09:30"); err != nil || c.SendAt != "2026-12-02T09:30" {
		t.Fatalf("send date: %v", err)
	}
	// Crops: only image slots, known presets, rectangles inside the picture.
	if _, err := s.SetCrop(c.ID, "headline", "email-header", &Crop{0, 0, 1, 1}); fault.CodeOf(err) != CodeCropInvalid {
		t.Fatalf("crop on a text slot: %v", err)
	}
	if _, err := s.SetCrop(c.ID, "pick_1_image", "email-header", &Crop{0.5, 0, 0.6, 1}); fault.CodeOf(err) != CodeCropInvalid {
		t.Fatalf("crop outside the picture: %v", err)
	}
	if c, err = s.SetCrop(c.ID, "pick_1_image", "email-header", &Crop{0.1, 0.2, 0.5, 0.3}); err != nil || c.Crops["pick_1_image"]["email-header"].W != 0.5 {
		t.Fatalf("crop: %v", err)
	}
	if c, err = s.SetCrop(c.ID, "pick_1_image", "email-header", nil); err != nil || len(c.Crops) != 0 {
		t.Fatalf("crop reset: %v %v", c.Crops, err)
	}
	// Choosing another picture drops the crop made for the previous one.
	if _, err = s.SetCrop(c.ID, "pick_1_image", EmailPreset, &Crop{0.1, 0.1, 0.5, 0.25}); err != nil {
		t.Fatal(err)
	}
	if c, err = s.SetValue(c.ID, "fr", "pick_1_image", "misty-pier"); err != nil || len(c.Crops) != 0 {
		t.Fatalf("crop kept after the picture changed: %v %v", c.Crops, err)
	}

	// Reopening the store finds the same campaign.
	got, err := s.Get(c.ID)
	if err != nil || got.Rev != c.Rev || got.Values["fr"]["season"] != "winter" {
		t.Fatalf("Get = %+v, %v", got, err)
	}
}

func TestRequiredSlotKeepsAFallback(t *testing.T) {
	s, ix, _ := sampleStore(t, t.TempDir())
	c := newDraft(t, s, ix, "event", "ch") // fr, de
	// The subject has HQ defaults: clearing it is fine, it falls back to them.
	if _, err := s.SetValue(c.ID, "de", "subject", ""); err != nil {
		t.Fatal(err)
	}
	// The store's address is required and HQ gives none.
	if _, err := s.SetValue(c.ID, "fr", "address", "12 rue des Alpes, Genève"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetValue(c.ID, "de", "address", "Alpenstrasse 12, Genf"); err != nil {
		t.Fatal(err)
	}
	// German may go back to the French address…
	if _, err := s.SetValue(c.ID, "de", "address", ""); err != nil {
		t.Fatalf("clearing de with fr to fall back to: %v", err)
	}
	// …but the last address cannot go.
	if _, err := s.SetValue(c.ID, "fr", "address", ""); fault.CodeOf(err) != CodeSlotRequired {
		t.Fatalf("clearing the only address: %v, want %s", err, CodeSlotRequired)
	}
}

func TestCreateListDuplicateRenameDelete(t *testing.T) {
	s, ix, _ := sampleStore(t, t.TempDir())
	if _, err := s.Create(ix, New{Template: "nope", Name: "x", Region: "fr"}); fault.CodeOf(err) != CodeTemplateNotFound {
		t.Fatalf("unknown template: %v", err)
	}
	if _, err := s.Create(ix, New{Template: "promo", Name: "x", Region: "zz"}); fault.CodeOf(err) != CodeRegionUnknown {
		t.Fatalf("unknown region: %v", err)
	}
	if _, err := s.Create(ix, New{Template: "promo", Name: "   ", Region: "fr"}); fault.CodeOf(err) != CodeNameInvalid {
		t.Fatalf("blank name: %v", err)
	}
	clock := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	a := newDraft(t, s, ix, "promo", "fr")
	b := newDraft(t, s, ix, "event", "fr")
	if _, err := s.SetValue(a.ID, "fr", "headline", "Nouveau titre"); err != nil {
		t.Fatal(err)
	}
	d, err := s.Duplicate(a.ID, "Copie", "Marc")
	if err != nil || d.ID == a.ID || d.Values["fr"]["headline"] != "Nouveau titre" || d.Author != "Marc" || d.Rev != 1 {
		t.Fatalf("Duplicate = %+v, %v", d, err)
	}
	// The copy is independent.
	if _, err := s.SetValue(d.ID, "fr", "headline", "Autre"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(a.ID); got.Values["fr"]["headline"] != "Nouveau titre" {
		t.Fatal("editing the copy changed the original")
	}
	if _, err := s.Rename(b.ID, "  Atelier   chaussures "); err != nil {
		t.Fatal(err)
	}
	all, damaged, err := s.All()
	if err != nil || len(damaged) != 0 || len(all) != 3 {
		t.Fatalf("All = %d campaigns, damaged %v, %v", len(all), damaged, err)
	}
	if all[0].ID != b.ID || all[0].Name != "Atelier chaussures" || all[1].ID != d.ID || all[2].ID != a.ID {
		t.Fatalf("order by last edit: %s %s %s", all[0].Name, all[1].Name, all[2].Name)
	}
	if err := s.Delete(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(a.ID); fault.CodeOf(err) != CodeNotFound {
		t.Fatalf("deleted campaign: %v", err)
	}
	if err := s.Delete(a.ID); fault.CodeOf(err) != CodeNotFound {
		t.Fatalf("deleting twice: %v", err)
	}
	pins, err := s.Pins()
	if err != nil || len(pins) != 1 || pins[0].Version != ix.Record.Version {
		t.Fatalf("Pins = %v, %v", pins, err)
	}
}

// TestCheckIsStoredWithItsRevision: a brand check's outcome is kept with
// the campaign (surviving a reopen of the cache) only for the revision it
// ran on; the next edit, and a duplicate, start without it.
func TestCheckIsStoredWithItsRevision(t *testing.T) {
	dir := t.TempDir()
	s, ix, c := sampleStore(t, dir)
	cp := newDraft(t, s, ix, "promo", "fr")
	chk := Check{Rev: cp.Rev, Errors: 2, Warnings: 1, Receipt: []byte(`{"findingsSha256":"ab"}`)}

	if ok, err := s.RecordCheck(cp.ID, Check{Rev: cp.Rev + 1}); err != nil || ok {
		t.Fatalf("a check of a revision not saved yet: stored %v, %v", ok, err)
	}
	if ok, err := s.RecordCheck(cp.ID, chk); err != nil || !ok {
		t.Fatalf("RecordCheck: stored %v, %v", ok, err)
	}
	if ok, err := s.RecordCheck(cp.ID, chk); err != nil || ok {
		t.Fatalf("the same check again: stored %v, %v", ok, err)
	}
	c.Close()
	s, _, _ = sampleStore(t, dir)
	got, err := s.Get(cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rev != cp.Rev || got.Check == nil || got.Check.Errors != 2 || string(got.Check.Receipt) != string(chk.Receipt) {
		t.Fatalf("after reopening: rev %d, check %+v", got.Rev, got.Check)
	}
	dup, err := s.Duplicate(cp.ID, "Copy", "Léa")
	if err != nil {
		t.Fatal(err)
	}
	if dup.Check != nil {
		t.Fatalf("a duplicate kept the original's check: %+v", dup.Check)
	}
	edited, err := s.SetValue(cp.ID, "fr", "headline", "Nouveau titre")
	if err != nil {
		t.Fatal(err)
	}
	if edited.Check != nil {
		t.Fatalf("an edit kept the check of the previous revision: %+v", edited.Check)
	}
	if ok, err := s.RecordCheck(cp.ID, chk); err != nil || ok {
		t.Fatalf("a check of the previous revision after an edit: stored %v, %v", ok, err)
	}
}

// TestSignOffSubmitAndHQStatus: a sign-off holds for its revision only (an
// edit voids it), only a signed-off campaign is submitted, a submitted one
// is not editable, and HQ's "changes requested" reopens it without the old
// sign-off; reports about another submission change nothing.
func TestSignOffSubmitAndHQStatus(t *testing.T) {
	s, ix, _ := sampleStore(t, t.TempDir())
	c, err := s.Create(ix, New{Template: "promo", Name: "Soldes", Region: "fr", Author: "Léa", AuthorUser: "designer.fr"})
	if err != nil {
		t.Fatal(err)
	}
	if c.AuthorUser != "designer.fr" {
		t.Fatalf("author user %q", c.AuthorUser)
	}
	so := SignOff{By: "approver.fr", ByName: "Luc", At: time.Now().UTC(), Rev: c.Rev, Grant: "g"}
	if _, err := s.MarkSubmitted(c.ID, "sub_1"); fault.CodeOf(err) != CodeNotSignedOff {
		t.Fatalf("submitted without a sign-off: %v", err)
	}
	if _, err := s.RecordSignOff(c.ID, SignOff{Rev: c.Rev + 1}); fault.CodeOf(err) != CodeNotSignedOff {
		t.Fatalf("sign-off of another revision: %v", err)
	}
	if _, err := s.RecordSignOff(c.ID, so); err != nil {
		t.Fatal(err)
	}
	edited, err := s.SetValue(c.ID, "fr", "headline", "Autre titre")
	if err != nil {
		t.Fatal(err)
	}
	if edited.SignOff != nil || !edited.SignOffVoided {
		t.Fatalf("an edit kept the sign-off, or did not say it voided it: %+v, %v", edited.SignOff, edited.SignOffVoided)
	}
	if _, err := s.MarkSubmitted(c.ID, "sub_1"); fault.CodeOf(err) != CodeNotSignedOff {
		t.Fatalf("submitted with a voided sign-off: %v", err)
	}
	so.Rev = edited.Rev
	if _, err := s.RecordSignOff(c.ID, so); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Get(c.ID); again.SignOffVoided {
		t.Fatal("a new sign-off still shows the old one voided")
	}
	sub, err := s.MarkSubmitted(c.ID, "sub_1")
	if err != nil || sub.Status != StatusSubmitted || sub.Submission != "sub_1" || sub.Rev != edited.Rev {
		t.Fatalf("MarkSubmitted: %+v, %v", sub, err)
	}
	if _, err := s.SetValue(c.ID, "fr", "headline", "Encore"); fault.CodeOf(err) != CodeNotEditable {
		t.Fatalf("edit of a submitted campaign: %v", err)
	}
	if got, _ := s.SetStatus(c.ID, "sub_0", StatusApproved); got.Status != StatusSubmitted {
		t.Fatalf("a report about another submission moved it to %s", got.Status)
	}
	if _, err := s.SetStatus(c.ID, "sub_1", "lost"); fault.CodeOf(err) != CodeStatusInvalid {
		t.Fatalf("unknown status: %v", err)
	}
	back, err := s.SetStatus(c.ID, "sub_1", StatusChangesRequested)
	if err != nil || back.Status != StatusChangesRequested || back.SignOff != nil || !back.Editable() {
		t.Fatalf("changes requested: %+v, %v", back, err)
	}
	if _, err := s.SetValue(c.ID, "fr", "headline", "Corrigé"); err != nil {
		t.Fatalf("edit after changes requested: %v", err)
	}
	// A submission the hub refused for good reopens the draft; a withdrawn
	// one stays editable, to be fixed and submitted again.
	cur, _ := s.Get(c.ID)
	if _, err := s.RecordSignOff(c.ID, SignOff{By: "approver.fr", Rev: cur.Rev}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkSubmitted(c.ID, "sub_2"); err != nil {
		t.Fatal(err)
	}
	if d, err := s.SetStatus(c.ID, "sub_2", StatusDraft); err != nil || d.Status != StatusDraft || d.SignOff != nil || !d.Editable() {
		t.Fatalf("refused submission: %+v, %v", d, err)
	}
	if w, _ := s.SetStatus(c.ID, "sub_2", StatusWithdrawn); !w.Editable() {
		t.Fatal("a withdrawn campaign cannot be fixed and submitted again")
	}
}
