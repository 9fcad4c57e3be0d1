package campaign

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/assets"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
)

// sampleV2 writes the sample library as version 2 after edit changed its
// content, signed with the sample key, and returns the folder.
func sampleV2(t *testing.T, edit func(c map[string]any)) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(assets.Sample(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == library.ManifestFile {
			return err
		}
		b, err := fs.ReadFile(assets.Sample(), p)
		if err != nil {
			return err
		}
		if p == library.ContentFile {
			var c map[string]any
			if err := json.Unmarshal(b, &c); err != nil {
				return err
			}
			edit(c)
			if b, err = json.Marshal(c); err != nil {
				return err
			}
		}
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		return os.WriteFile(full, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile("../../assets/sample/outpost-sample.key")
	if err != nil {
		t.Fatal(err)
	}
	m, err := library.BuildManifest(dir, library.ReleaseInfo{
		Library: assets.SampleLibrary, Name: "Cairn Outdoor (sample)", Regions: []string{"fr", "be", "ch"},
		Version: 2, Created: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Expires: time.Date(2031, 12, 31, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	note, err := library.Sign(m, strings.TrimSpace(string(key)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, library.ManifestFile), note, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func templateMap(c map[string]any, id string) map[string]any {
	for _, t := range c["templates"].([]any) {
		if t := t.(map[string]any); t["id"] == id {
			return t
		}
	}
	panic("no template " + id)
}

// TestRebaseKeepsThePinUntilAskedAndListsChanges: a newer release leaves the
// draft on its version; the plan lists what changes; the rebase drops only
// what no longer fits.
func TestRebaseKeepsThePinUntilAskedAndListsChanges(t *testing.T) {
	dir := t.TempDir()
	s, ix1, c := sampleStore(t, dir)
	draft := newDraft(t, s, ix1, "promo", "be") // fr, en
	edits := []struct{ locale, slot, value string }{
		{"fr", "season", "winter"},
		{"fr", "pick_2_title", "Bâtons de marche"},
		{"en", "headline", "Winter is here"},
		{"fr", "pick_1_image", "misty-pier"},
	}
	for _, e := range edits {
		if _, err := s.SetValue(draft.ID, e.locale, e.slot, e.value); err != nil {
			t.Fatalf("%s: %v", e.slot, err)
		}
	}
	if _, err := s.SetCrop(draft.ID, "pick_1_image", "email-header", &Crop{0, 0, 0.5, 0.5}); err != nil {
		t.Fatal(err)
	}
	// v2: the season "winter" and the slot pick_2_title are gone, the
	// headline is limited to 10 characters, a new slot appears, and the
	// German subject default changes.
	v2 := sampleV2(t, func(c map[string]any) {
		tpl := templateMap(c, "promo")
		var slots []any
		for _, s := range tpl["slots"].([]any) {
			s := s.(map[string]any)
			switch s["id"] {
			case "pick_2_title":
				continue
			case "season":
				var opts []any
				for _, o := range s["options"].([]any) {
					if o.(map[string]any)["id"] != "winter" {
						opts = append(opts, o)
					}
				}
				s["options"] = opts
			case "headline":
				s["limits"].(map[string]any)["maxLength"] = 10
			case "subject":
				s["default"].(map[string]any)["en"] = "A new English subject"
			}
			slots = append(slots, s)
		}
		slots = append(slots, map[string]any{"id": "sign_off", "kind": "text", "lock": "editable", "label": map[string]any{"en": "Sign-off"}, "limits": map[string]any{}})
		tpl["slots"] = slots
	})
	lib := library.NewStore(c)
	pol := library.Policy{Trust: []library.Trust{{Library: assets.SampleLibrary, Keys: []string{assets.SampleKey()}, Threshold: 1}}, Now: time.Now()}
	src, err := library.OpenSource(v2)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := lib.Apply(src, pol, nil); err != nil {
		t.Fatal(err)
	}
	pins, _ := s.Pins()
	if _, err := lib.Sweep(pins...); err != nil {
		t.Fatal(err)
	}
	ix2, err := lib.Open(assets.SampleLibrary)
	if err != nil || ix2.Record.Version != 2 {
		t.Fatalf("v2: %v", err)
	}

	// The draft keeps its pin and stays editable against v1's rules.
	got, _ := s.Get(draft.ID)
	if got.Release != 1 {
		t.Fatalf("a newer release moved the draft to %d", got.Release)
	}
	if _, err := s.SetValue(draft.ID, "fr", "pick_2_title", "Bâtons"); err != nil {
		t.Fatalf("editing a v1 slot of a v1 draft after v2 arrived: %v", err)
	}

	plan, err := s.PlanRebase(draft.ID, ix2)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"season/value_dropped/fr/campaign.option_invalid": true,
		"headline/value_dropped/en/campaign.too_long":     true,
		"pick_2_title/slot_removed//":                     true,
		"sign_off/slot_added//":                           true,
		"subject/default_changed/en/":                     true,
	}
	got2 := map[string]bool{}
	for _, ch := range plan.Changes {
		got2[ch.Slot+"/"+ch.Kind+"/"+ch.Locale+"/"+string(ch.Code)] = true
	}
	for k := range want {
		if !got2[k] {
			t.Errorf("plan misses %s; plan: %+v", k, plan.Changes)
		}
	}
	if len(got2) != len(want) {
		t.Errorf("plan has %d changes, want %d: %+v", len(got2), len(want), plan.Changes)
	}
	if plan.From != 1 || plan.To != 2 {
		t.Fatalf("plan %d → %d", plan.From, plan.To)
	}
	// Planning changed nothing.
	if again, _ := s.Get(draft.ID); again.Release != 1 || again.Values["fr"]["season"] != "winter" {
		t.Fatal("PlanRebase changed the draft")
	}

	rebased, applied, err := s.Rebase(draft.ID, ix2)
	if err != nil {
		t.Fatal(err)
	}
	if rebased.Release != 2 || len(applied.Changes) != len(plan.Changes) {
		t.Fatalf("Rebase: release %d, %d changes", rebased.Release, len(applied.Changes))
	}
	if _, ok := rebased.Values["fr"]["season"]; ok {
		t.Error("the removed season option survived")
	}
	if _, ok := rebased.Values["fr"]["pick_2_title"]; ok {
		t.Error("the removed slot's value survived")
	}
	if rebased.Values["fr"]["pick_1_image"] != "misty-pier" || rebased.Crops["pick_1_image"]["email-header"].W != 0.5 {
		t.Error("a value that still fits was dropped")
	}
	if _, _, err := s.Rebase(draft.ID, ix2); fault.CodeOf(err) != CodeRebaseNothing {
		t.Fatalf("rebasing onto the same version: %v", err)
	}
	// Nothing pins v1 now: Sweep forgets it.
	pins, _ = s.Pins()
	if _, err := lib.Sweep(pins...); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.OpenVersion(assets.SampleLibrary, 1); fault.CodeOf(err) != library.CodeVersionGone {
		t.Fatalf("v1 after the last pin moved: %v", err)
	}
}
