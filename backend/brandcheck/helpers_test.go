package brandcheck

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/assets"
	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/render"
)

// sample is the built-in sample release, opened once per test process
// into a Badger cache in a temporary folder.
type sample struct {
	ix       *library.Index
	manifest *library.Manifest
	layouts  map[string]string // template id → layout HTML
	renderer *render.Renderer
}

var (
	sampleOnce sync.Once
	sampleVal  *sample
	sampleErr  error
	sampleDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if sampleDir != "" {
		os.RemoveAll(sampleDir)
	}
	os.Exit(code)
}

func loadSample(t testing.TB) *sample {
	t.Helper()
	sampleOnce.Do(func() { sampleVal, sampleErr = openSample() })
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	return sampleVal
}

func openSample() (*sample, error) {
	dir, err := os.MkdirTemp("", "brandcheck-sample-")
	if err != nil {
		return nil, err
	}
	sampleDir = dir
	c, err := cache.Open(cache.Options{Dir: dir})
	if err != nil {
		return nil, err
	}
	// The cache stays open for the process: the index only holds decoded
	// content, and the layouts are read here.
	lib := library.NewStore(c)
	pol := library.Policy{
		Trust: []library.Trust{{Library: assets.SampleLibrary, Keys: []string{assets.SampleKey()}, Threshold: 1}},
		Now:   time.Now(),
	}
	if _, err := lib.Apply(library.FSSource(assets.Sample()), pol, nil); err != nil {
		return nil, err
	}
	ix, err := lib.Open(assets.SampleLibrary)
	if err != nil {
		return nil, err
	}
	m, err := ix.Record.Manifest()
	if err != nil {
		return nil, err
	}
	s := &sample{ix: ix, manifest: m, layouts: map[string]string{}, renderer: render.New()}
	for _, t := range ix.Content.Templates {
		b, err := lib.Blob(ix.SHA(t.Layout))
		if err != nil {
			return nil, err
		}
		s.layouts[t.ID] = string(b)
	}
	return s, nil
}

// fixture is one campaign of testdata/campaigns: a clean one, or a clean
// one ("base") with one mistake and the findings it must produce.
type fixture struct {
	Name            string                               `json:"name"`
	Base            string                               `json:"base,omitempty"`
	Template        string                               `json:"template,omitempty"`
	Region          string                               `json:"region,omitempty"`
	Locales         []string                             `json:"locales,omitempty"`
	Values          map[string]map[string]*string        `json:"values,omitempty"` // null removes a base value
	Audience        *string                              `json:"audience,omitempty"`
	SendAt          *string                              `json:"sendAt,omitempty"`
	Today           string                               `json:"today,omitempty"`
	Crops           map[string]map[string]*campaign.Crop `json:"crops,omitempty"`
	ApprovedImports []string                             `json:"approvedImports,omitempty"`
	Locals          []library.Local                      `json:"locals,omitempty"`     // the office's photos
	AddRules        []library.Rule                       `json:"addRules,omitempty"`   // appended to the pack
	Patch           json.RawMessage                      `json:"patch,omitempty"`      // a JSON merge patch on library.json
	ImageBytes      int                                  `json:"imageBytes,omitempty"` // every rendition's size
	Repeat          *repeat                              `json:"repeat,omitempty"`     // a long value
	Expect          []expect                             `json:"expect"`
}

// repeat sets a slot to text repeated, for values too long to write out.
type repeat struct {
	Locale string `json:"locale"`
	Slot   string `json:"slot"`
	Text   string `json:"text"`
	Times  int    `json:"times"`
}

// expect is one finding a fixture must produce.
type expect struct {
	Rule   string      `json:"rule"`
	Locale string      `json:"locale"`
	Slot   string      `json:"slot"`
	Code   FindingCode `json:"code"`
}

func (e expect) String() string {
	return e.Rule + " " + e.Locale + "/" + e.Slot + " " + string(e.Code)
}

// loadFixtures reads every fixture under testdata/campaigns, bases
// applied, by name.
func loadFixtures(t testing.TB) map[string]*fixture {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "campaigns", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	raw := map[string]*fixture{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var list []*fixture
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&list); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, fx := range list {
			if raw[fx.Name] != nil {
				t.Fatalf("%s: fixture %q twice", f, fx.Name)
			}
			raw[fx.Name] = fx
		}
	}
	out := map[string]*fixture{}
	var resolve func(name string, depth int) *fixture
	resolve = func(name string, depth int) *fixture {
		if out[name] != nil {
			return out[name]
		}
		fx := raw[name]
		if fx == nil || depth > 5 {
			t.Fatalf("fixture %q not found", name)
		}
		if fx.Base != "" {
			fx = overlay(resolve(fx.Base, depth+1), fx)
		}
		out[name] = fx
		return fx
	}
	for name := range raw {
		resolve(name, 0)
	}
	return out
}

// overlay applies a fixture's changes to a copy of its base.
func overlay(base, fx *fixture) *fixture {
	o := *base
	o.Name, o.Base, o.Expect = fx.Name, fx.Base, fx.Expect
	if fx.Template != "" {
		o.Template = fx.Template
	}
	if fx.Region != "" {
		o.Region = fx.Region
	}
	if fx.Locales != nil {
		o.Locales = fx.Locales
	}
	o.Values = map[string]map[string]*string{}
	for l, m := range base.Values {
		o.Values[l] = map[string]*string{}
		for k, v := range m {
			o.Values[l][k] = v
		}
	}
	for l, m := range fx.Values {
		if o.Values[l] == nil {
			o.Values[l] = map[string]*string{}
		}
		for k, v := range m {
			o.Values[l][k] = v
		}
	}
	if fx.Audience != nil {
		o.Audience = fx.Audience
	}
	if fx.SendAt != nil {
		o.SendAt = fx.SendAt
	}
	if fx.Today != "" {
		o.Today = fx.Today
	}
	if fx.Crops != nil {
		o.Crops = fx.Crops
	}
	if fx.ApprovedImports != nil {
		o.ApprovedImports = fx.ApprovedImports
	}
	if fx.Locals != nil {
		o.Locals = fx.Locals
	}
	if fx.AddRules != nil {
		o.AddRules = fx.AddRules
	}
	if fx.Patch != nil {
		o.Patch = fx.Patch
	}
	if fx.ImageBytes != 0 {
		o.ImageBytes = fx.ImageBytes
	}
	if fx.Repeat != nil {
		o.Repeat = fx.Repeat
	}
	return &o
}

// campaignOf builds the campaign a fixture describes, pinned to the sample.
func (fx *fixture) campaign(s *sample) *campaign.Campaign {
	c := &campaign.Campaign{
		ID: "fixture", Name: fx.Name, Library: s.ix.Record.Library, Release: s.ix.Record.Version,
		Template: fx.Template, Region: fx.Region, Status: campaign.StatusDraft,
		Values: map[string]map[string]string{},
	}
	c.Locales = fx.Locales
	if c.Locales == nil {
		if r, ok := campaign.RegionOf(s.ix.Content, fx.Region); ok {
			c.Locales = append([]string(nil), r.Locales...)
		}
	}
	for l, m := range fx.Values {
		for k, v := range m {
			if v == nil {
				continue
			}
			if c.Values[l] == nil {
				c.Values[l] = map[string]string{}
			}
			c.Values[l][k] = *v
		}
	}
	if r := fx.Repeat; r != nil {
		if c.Values[r.Locale] == nil {
			c.Values[r.Locale] = map[string]string{}
		}
		c.Values[r.Locale][r.Slot] = strings.Repeat(r.Text, r.Times)
	}
	if fx.Audience != nil {
		c.Audience = *fx.Audience
	}
	if fx.SendAt != nil {
		c.SendAt = *fx.SendAt
	}
	for slot, m := range fx.Crops {
		for preset, r := range m {
			if r == nil {
				continue
			}
			if c.Crops == nil {
				c.Crops = map[string]map[string]campaign.Crop{}
			}
			if c.Crops[slot] == nil {
				c.Crops[slot] = map[string]campaign.Crop{}
			}
			c.Crops[slot][preset] = *r
		}
	}
	return c
}

// release is the sample release as the fixture sees it: patched, with the
// office's photos.
func (fx *fixture) release(t testing.TB, s *sample) *library.Index {
	t.Helper()
	ix := s.ix
	if len(fx.Patch) > 0 {
		b, err := json.Marshal(ix.Content)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		var patch any
		if err := json.Unmarshal(fx.Patch, &patch); err != nil {
			t.Fatalf("%s: patch: %v", fx.Name, err)
		}
		if b, err = json.Marshal(mergePatch(doc, patch)); err != nil {
			t.Fatal(err)
		}
		var content library.Content
		if err := json.Unmarshal(b, &content); err != nil {
			t.Fatalf("%s: patched content: %v", fx.Name, err)
		}
		ix = library.NewIndex(ix.Record, s.manifest, &content)
	}
	if len(fx.Locals) > 0 {
		ix = ix.WithLocals(fx.Locals)
	}
	return ix
}

// mergePatch applies an RFC 7386 JSON merge patch.
func mergePatch(doc, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	d, ok := doc.(map[string]any)
	if !ok {
		d = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(d, k)
		} else {
			d[k] = mergePatch(d[k], v)
		}
	}
	return d
}

// input prepares a fixture's campaign for Check through the real campaign
// and render path.
func (fx *fixture) input(t testing.TB, s *sample) Input {
	t.Helper()
	ix := fx.release(t, s)
	c := fx.campaign(s)
	var rules *library.RulePack
	if len(fx.AddRules) > 0 {
		p := ix.Content.Rules
		p.Rules = append(append([]library.Rule(nil), p.Rules...), fx.AddRules...)
		rules = &p
	}
	ls, err := Prepare(context.Background(), c, ix, s.layouts[fx.Template], s.renderer, nil)
	if err != nil {
		t.Fatalf("%s: prepare: %v", fx.Name, err)
	}
	in := Input{Campaign: c, Release: ix, Rules: rules, Locales: ls, ApprovedImports: fx.ApprovedImports, Today: fx.Today}
	if fx.ImageBytes > 0 {
		in.ImageBytes = map[string]int{}
		for _, l := range ls {
			for _, p := range l.Pictures {
				in.ImageBytes[p.Key()] = fx.ImageBytes
			}
		}
	}
	return in
}

func got(fs []Finding) []expect {
	out := make([]expect, 0, len(fs))
	for _, f := range fs {
		out = append(out, expect{Rule: f.Rule, Locale: f.Locale, Slot: f.Slot, Code: f.Code})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

func str(s string) *string { return &s }
