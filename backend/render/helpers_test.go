package render

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/outpost-studio/outpost/backend/library"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const sampleDir = "../../assets/sample/library"

// sample is the built-in sample library, read as the app reads library.json.
type sample struct {
	content library.Content
	layouts map[string]string // template id → layout HTML
}

func loadSample(t testing.TB) *sample {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sampleDir, library.ContentFile))
	if err != nil {
		t.Fatal(err)
	}
	s := &sample{layouts: map[string]string{}}
	if err := json.Unmarshal(b, &s.content); err != nil {
		t.Fatal(err)
	}
	for _, tp := range s.content.Templates {
		if tp.Kind != library.TemplateEmail {
			continue
		}
		b, err := os.ReadFile(filepath.Join(sampleDir, filepath.FromSlash(tp.Layout)))
		if err != nil {
			t.Fatal(err)
		}
		s.layouts[tp.ID] = string(b)
	}
	return s
}

func (s *sample) template(t testing.TB, id string) library.Template {
	t.Helper()
	for _, tp := range s.content.Templates {
		if tp.ID == id {
			return tp
		}
	}
	t.Fatalf("no template %q in the sample library", id)
	return library.Template{}
}

func localized(l library.Localized, locale string) (string, bool) {
	if v, ok := l[locale]; ok {
		return v, true
	}
	v, ok := l["*"]
	return v, ok
}

// Values the sample library leaves to the regional office, per locale.
var typed = map[string]map[string]string{
	"fr": {
		"preheader":         "Trois boucles testées par l'équipe, et nos conseils pour bien choisir vos chaussures.",
		"address":           "12 rue des Alpes, 74000 Annecy",
		"store_name":        "Cairn Outdoor Annecy",
		"editor_note":       "**Le mot du magasin** : l'atelier de ressemelage rouvre le *samedi 5 décembre*. Passez nous voir !",
		"event_date":        "2026-12-05",
		"offer_end":         "2026-12-05",
		"first_outing_date": "2027-01-09",
	},
	"en": {
		"preheader":         "Three loops our team has tested, and our tips for choosing your boots.",
		"address":           "rue de la Montagne 48, 1000 Brussels",
		"store_name":        "Cairn Outdoor Brussels",
		"editor_note":       "",
		"event_date":        "2026-12-05",
		"offer_end":         "2026-12-05",
		"first_outing_date": "2027-01-09",
	},
	"de": {
		"preheader":         "Drei vom Team getestete Rundwege und unsere Tipps zur Schuhwahl.",
		"address":           "Avenue de la Gare 10, 1003 Lausanne",
		"store_name":        "Cairn Outdoor Lausanne",
		"editor_note":       "**Ein Wort der Filiale:** Die Sohlenwerkstatt ist ab *Samstag, 5. Dezember* wieder offen.",
		"event_date":        "2026-12-05",
		"offer_end":         "2026-12-05",
		"first_outing_date": "2027-01-09",
	},
}

// footerCountry is the country whose legal footer each test locale uses.
var footerCountry = map[string]string{"fr": "FR", "en": "BE", "de": "CH"}

// email builds the email of template id in locale from the sample library's
// defaults, first options and the values above.
func (s *sample) email(t testing.TB, id, locale string) Email {
	t.Helper()
	tp := s.template(t, id)
	e := Email{
		Layout:      s.layouts[id],
		Locale:      locale,
		Fields:      map[string]Field{"preheader": {Kind: library.SlotText, Value: typed[locale]["preheader"]}},
		Unsubscribe: "https://cairn-outdoor.example/u/7f3a9c?l=" + locale + "&c=2026-12",
	}
	for _, f := range s.content.Footers {
		if f.Country == footerCountry[locale] {
			e.Footer = f.Text[locale]
		}
	}
	for _, sl := range tp.Slots {
		v, ok := localized(sl.Default, locale)
		if sl.Lock == library.LockChoice && len(sl.Options) > 0 {
			v, ok = localized(sl.Options[0].Value, locale)
		}
		if !ok {
			v, ok = typed[locale][sl.ID]
		}
		if !ok {
			t.Fatalf("%s: no value for slot %q in %s", id, sl.ID, locale)
		}
		f := Field{Kind: sl.Kind, Value: v}
		if sl.Kind == library.SlotChoice {
			f.Kind = library.SlotChoice
		}
		if sl.Kind == library.SlotImage {
			f.Image = s.image(t, v, locale)
		}
		e.Fields[sl.ID] = f
	}
	return e
}

// image is the rendition of an asset or a logo at a deterministic URL.
func (s *sample) image(t testing.TB, id, locale string) *Image {
	t.Helper()
	for _, a := range s.content.Assets {
		if a.ID == id {
			alt, _ := localized(a.Alt, locale)
			return &Image{URL: "https://cdn.cairn-outdoor.example/r/" + id + "-1200.jpg", Alt: alt, Width: a.Width, Height: a.Height}
		}
	}
	for _, l := range s.content.Brand.Logos {
		if l.ID == id {
			return &Image{URL: "cid:" + id + "@cairn-outdoor.example", Alt: s.content.Brand.Name, Width: 280, Height: 90}
		}
	}
	t.Fatalf("no asset or logo %q", id)
	return nil
}

// parse parses a rendered email.
func parse(t testing.TB, doc string) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// each calls fn on every element under n.
func each(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		each(c, fn)
	}
}

func codes(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Slot+":"+string(p.Code))
	}
	return out
}

func hasProblem(ps []Problem, slot string, code string) bool {
	for _, p := range ps {
		if p.Slot == slot && string(p.Code) == code {
			return true
		}
	}
	return false
}

// testRenderer is a Renderer whose Markdown deadline a busy machine cannot
// reach: tests that compare output must not see render.too_complex.
func testRenderer() *Renderer {
	r := New()
	r.timeout = time.Minute
	return r
}
