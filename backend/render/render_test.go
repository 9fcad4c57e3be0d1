package render

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
)

var templates = []string{"event", "newsletter", "promo", "welcome"}
var locales = []string{"fr", "en", "de"}

// TestSampleTemplatesMatchGolden renders the four sample templates in three
// locales and compares HTML, text and problems with testdata/golden
// (refresh with go test ./backend/render -update).
func TestSampleTemplatesMatchGolden(t *testing.T) {
	s := loadSample(t)
	r := testRenderer()
	for _, id := range templates {
		for _, loc := range locales {
			t.Run(id+"."+loc, func(t *testing.T) {
				res, err := r.Render(context.Background(), s.email(t, id, loc))
				if err != nil {
					t.Fatal(err)
				}
				probs, _ := json.MarshalIndent(res.Problems, "", "  ")
				golden(t, id+"."+loc+".html", res.HTML)
				golden(t, id+"."+loc+".txt", res.Text)
				golden(t, id+"."+loc+".problems.json", string(probs)+"\n")
				if res.Bytes != len(res.HTML) || res.Clipped {
					t.Errorf("Bytes %d, Clipped %v for %d bytes of HTML", res.Bytes, res.Clipped, len(res.HTML))
				}
			})
		}
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./backend/render -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; first difference near:\n got: %q\nwant: %q",
			name, around(got, string(want)), around(string(want), got))
	}
}

func around(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo, hi := max(0, i-60), min(len(a), i+60)
	return a[lo:hi]
}

// TestRenderIsDeterministic renders the same email with fresh renderers and
// a warm one; the bytes must not differ.
func TestRenderIsDeterministic(t *testing.T) {
	s := loadSample(t)
	e := s.email(t, "newsletter", "fr")
	warm := testRenderer()
	first, err := warm.Render(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		r := warm
		if i%2 == 0 {
			r = testRenderer()
		}
		res, err := r.Render(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		if res.HTML != first.HTML || res.Text != first.Text {
			t.Fatalf("render %d differs from the first", i)
		}
	}
}

// TestSampleRenderFillsEveryPlaceholder checks the sample renders with no
// problem, no placeholder left and the values where the layout puts them.
func TestSampleRenderFillsEveryPlaceholder(t *testing.T) {
	s := loadSample(t)
	r := testRenderer()
	for _, id := range templates {
		for _, loc := range locales {
			e := s.email(t, id, loc)
			res, err := r.Render(context.Background(), e)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) > 0 {
				t.Errorf("%s.%s: problems %v", id, loc, codes(res.Problems))
			}
			if strings.Contains(res.HTML, "{{") || strings.Contains(res.Text, "{{") {
				t.Errorf("%s.%s: a placeholder is left", id, loc)
			}
			if !strings.Contains(res.HTML, `href="https://cairn-outdoor.example/u/7f3a9c?l=`+loc+`&amp;c=2026-12"`) {
				t.Errorf("%s.%s: no unsubscribe link", id, loc)
			}
			subject := e.Fields["subject"].Value
			if !strings.Contains(res.HTML, "<title>"+html.EscapeString(subject)+"</title>") {
				t.Errorf("%s.%s: subject not in <title>", id, loc)
			}
		}
	}
}

func TestDatesAreWrittenForTheLocale(t *testing.T) {
	for _, tc := range []struct{ locale, want string }{
		{"fr", "5 décembre 2026"},
		{"fr-CH", "5 décembre 2026"},
		{"en", "5 December 2026"},
		{"en-GB", "5 December 2026"},
		{"en-US", "December 5, 2026"},
		{"de", "5. Dezember 2026"},
		{"de-CH", "5. Dezember 2026"},
		{"it", "5 dicembre 2026"},
		{"xx-invalid-tag!", "5 December 2026"},
	} {
		e := Email{
			Layout: `<p>{{d}}</p>`,
			Locale: tc.locale,
			Fields: map[string]Field{"d": {Kind: library.SlotDate, Value: "2026-12-05"}},
		}
		res, err := testRenderer().Render(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res.HTML, "<p>"+tc.want+"</p>") {
			t.Errorf("%s: want %q in %s", tc.locale, tc.want, res.HTML)
		}
	}
}

func TestInvalidDateIsShownAsTypedAndReported(t *testing.T) {
	e := Email{
		Layout: `<p>{{d}}</p>`,
		Locale: "fr",
		Fields: map[string]Field{"d": {Kind: library.SlotDate, Value: "5/12/2026 <b>"}},
	}
	res, err := testRenderer().Render(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.HTML, "<p>5/12/2026 &lt;b&gt;</p>") {
		t.Errorf("want the typed date, escaped: %s", res.HTML)
	}
	if len(res.Problems) != 1 || res.Problems[0].Code != CodeDateInvalid || res.Problems[0].Params["value"] != "5/12/2026 <b>" {
		t.Errorf("problems %+v", res.Problems)
	}
}

func TestPlaceholderContexts(t *testing.T) {
	layout := `<!DOCTYPE html><html><head><title>{{subject}}</title></head><body>
<p class="t">{{name}}</p>
<a href="{{url}}" title="{{name}}">{{url}}</a>
<img src="{{pic}}" alt="{{pic}}" width="300" height="100">
<div data-note="{{name}}">{{md}}</div>
<p>{{ spaced }} {{not a placeholder}} {{.Field}} {{template "x"}}</p>
<a href="https://shop.example/{{name}}">deep</a>
</body></html>`
	e := Email{
		Layout: layout,
		Locale: "en",
		Fields: map[string]Field{
			"subject": {Kind: library.SlotText, Value: `Sale & "more" <now>`},
			"name":    {Kind: library.SlotText, Value: "Tom & \"Jerry\"\nsecond line"},
			"url":     {Kind: library.SlotLink, Value: "https://shop.example/a?b=1&c=2"},
			"pic":     {Kind: library.SlotImage, Image: &Image{URL: "cid:pic@x", Alt: `A "lake" <at> dawn`, Width: 600, Height: 200}},
			"md":      {Kind: library.SlotMarkdown, Value: "Hello **world**"},
			"spaced":  {Kind: library.SlotText, Value: "ok"},
		},
	}
	res, err := testRenderer().Render(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<title>Sale &amp; &#34;more&#34; &lt;now&gt;</title>`,
		`Tom &amp; &#34;Jerry&#34;<br>second line</p>`, // a value's break, not the parser's <br/>
		`href="https://shop.example/a?b=1&amp;c=2"`,
		`title="Tom &amp; &#34;Jerry&#34; second line"`,
		`>https://shop.example/a?b=1&amp;c=2</a>`,
		`src="cid:pic@x"`,
		`alt="A &#34;lake&#34; &lt;at&gt; dawn"`,
		`data-note="Tom &amp; &#34;Jerry&#34; second line"`,
		`<p>Hello <strong>world</strong></p>`,
		`<p>ok {{not a placeholder}} {{.Field}} {{template &#34;x&#34;}}</p>`,   // literal text stays literal
		`href="https://shop.example/Tom%20&amp;%20%22Jerry%22%20second%20line"`, // html/template normalizes a path
	} {
		if !strings.Contains(res.HTML, want) {
			t.Errorf("want %s in\n%s", want, res.HTML)
		}
	}
	if len(res.Problems) != 0 {
		t.Errorf("problems %v", codes(res.Problems))
	}
}

func TestUnknownPlaceholderIsEmptyAndReported(t *testing.T) {
	e := Email{Layout: `<p>[{{nope}}]</p><a href="{{nolink}}">x</a><img src="{{noimg}}" width="40" height="20">`, Locale: "en"}
	res, err := testRenderer().Render(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.HTML, "<p>[]</p>") {
		t.Errorf("unknown placeholder not empty: %s", res.HTML)
	}
	if !strings.Contains(res.HTML, `data-outpost-missing=""`) || !strings.Contains(res.HTML, "width: 40px") {
		t.Errorf("unknown image src should show the box: %s", res.HTML)
	}
	want := []string{"noimg:render.placeholder_unknown", "nolink:render.placeholder_unknown", "nope:render.placeholder_unknown"}
	if got := codes(res.Problems); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("problems %v, want %v", got, want)
	}
}

func TestMissingImageShowsABoxOfTheDeclaredSize(t *testing.T) {
	s := loadSample(t)
	e := s.email(t, "promo", "fr")
	f := e.Fields["pick_1_image"]
	f.Image = &Image{Alt: "Ponton", Width: 2560, Height: 1600, Missing: true}
	e.Fields["pick_1_image"] = f
	res, err := testRenderer().Render(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	var boxes []*html.Node
	each(parse(t, res.HTML), func(n *html.Node) {
		if _, ok := nodeAttr(n, "data-outpost-missing"); ok {
			boxes = append(boxes, n)
		}
	})
	if len(boxes) != 1 {
		t.Fatalf("%d missing-image boxes, want 1", len(boxes))
	}
	style, _ := nodeAttr(boxes[0], "style")
	if !strings.Contains(style, "width: 256px") || !strings.Contains(style, "height: 256px") ||
		boxes[0].FirstChild == nil || boxes[0].FirstChild.Data != "Missing image" {
		t.Errorf("box %q %v", style, boxes[0].FirstChild)
	}
	if got := codes(res.Problems); len(got) != 1 || got[0] != "pick_1_image:render.image_missing" {
		t.Errorf("problems %v", got)
	}
	if strings.Contains(res.Text, "Missing image") {
		t.Errorf("the box is in the plain text")
	}
}

func nodeAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func TestLinkSlotsAcceptOnlyWebAndMailLinks(t *testing.T) {
	for _, tc := range []struct {
		url, href, scheme string
	}{
		{"https://shop.cairn-outdoor.example/fr", "https://shop.cairn-outdoor.example/fr", ""},
		{"http://cairn-outdoor.example", "http://cairn-outdoor.example", ""},
		{"mailto:annecy@cairn-outdoor.example", "mailto:annecy@cairn-outdoor.example", ""},
		{"  https://cairn-outdoor.example/x  ", "https://cairn-outdoor.example/x", ""},
		{"javascript:alert(1)", "#", "javascript"},
		{"JaVaScRiPt:alert(1)", "#", "javascript"},
		{"java\tscript:alert(1)", "#", "javascript"},
		{"&#106;avascript:alert(1)", "#", "javascript"},
		{"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "#", "data"},
		{"vbscript:msgbox(1)", "#", "vbscript"},
		{"ftp://files.example/x", "#", "ftp"},
		{"tel:+33450000000", "#", "tel"},
		{"//evil.example/x", "#", ""},
		{"shop.cairn-outdoor.example", "#", ""},
		{"https://", "#", "https"},
	} {
		e := Email{Layout: `<a href="{{u}}">x</a>`, Locale: "en", Fields: map[string]Field{"u": {Kind: library.SlotLink, Value: tc.url}}}
		res, err := testRenderer().Render(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		var href string
		each(parse(t, res.HTML), func(n *html.Node) {
			if n.Data == "a" {
				href, _ = nodeAttr(n, "href")
			}
		})
		if href != tc.href {
			t.Errorf("%q: href %q, want %q", tc.url, href, tc.href)
		}
		if tc.href == "#" {
			if len(res.Problems) != 1 || res.Problems[0].Code != CodeUnsafeLinkDropped || res.Problems[0].Params["scheme"] != tc.scheme {
				t.Errorf("%q: problems %+v", tc.url, res.Problems)
			}
		} else if len(res.Problems) != 0 {
			t.Errorf("%q: problems %+v", tc.url, res.Problems)
		}
	}
}

// TestConditionalCommentsSurvive: Outlook's markup must reach the output,
// through html/template and the CSS inliner, with the values inside them
// filled and escaped.
func TestConditionalCommentsSurvive(t *testing.T) {
	s := loadSample(t)
	for _, id := range templates {
		e := s.email(t, id, "fr")
		res, err := testRenderer().Render(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		layoutCC := strings.Count(e.Layout, "<!--[if mso]>")
		if got := strings.Count(res.HTML, "<!--[if mso]>"); got != layoutCC || got == 0 {
			t.Errorf("%s: %d <!--[if mso]> in the output, %d in the layout", id, got, layoutCC)
		}
		if got, want := strings.Count(res.HTML, "<![endif]-->"), strings.Count(e.Layout, "<![endif]-->"); got != want {
			t.Errorf("%s: %d <![endif]--> in the output, want %d", id, got, want)
		}
		if strings.Count(res.HTML, "<!--[if !mso]><!-->") != strings.Count(e.Layout, "<!--[if !mso]><!-->") ||
			strings.Count(res.HTML, "<!--<![endif]-->") != strings.Count(e.Layout, "<!--<![endif]-->") {
			t.Errorf("%s: revealed conditional comments lost", id)
		}
		if !strings.Contains(res.HTML, "<o:PixelsPerInch>96</o:PixelsPerInch>") {
			t.Errorf("%s: Office settings lost or recased", id)
		}
		if strings.Contains(res.HTML, "<!-- band") || strings.Contains(res.HTML, "Placeholders are slot ids") {
			t.Errorf("%s: ordinary comments kept", id)
		}
	}
	// A value inside a conditional comment is escaped and cannot close it.
	e := Email{
		Layout: `<td><!--[if mso]><v:roundrect href="{{u}}"><center>{{t}}</center></v:roundrect><![endif]--></td>`,
		Locale: "en",
		Fields: map[string]Field{
			"u": {Kind: library.SlotLink, Value: `https://x.example/?q="--><script>alert(1)</script>`},
			"t": {Kind: library.SlotText, Value: `--><script>alert(1)</script><!--`},
		},
	}
	res, err := testRenderer().Render(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.HTML, "<script") || strings.Count(res.HTML, "-->") != 1 ||
		!strings.Contains(res.HTML, `<center>--&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--</center>`) {
		t.Errorf("a value escaped its conditional comment: %s", res.HTML)
	}
}

func TestStylesheetIsInlinedAndResponsiveRulesStay(t *testing.T) {
	s := loadSample(t)
	res, err := testRenderer().Render(context.Background(), s.email(t, "promo", "fr"))
	if err != nil {
		t.Fatal(err)
	}
	doc := parse(t, res.HTML)
	var styles []string
	each(doc, func(n *html.Node) {
		if n.Data == "style" && n.FirstChild != nil {
			styles = append(styles, n.FirstChild.Data)
		}
	})
	if len(styles) != 1 {
		t.Fatalf("%d <style> blocks outside comments, want 1", len(styles))
	}
	for _, want := range []string{"@media screen and (max-width: 620px)", "@media (prefers-color-scheme: dark)",
		"[data-ogsc] .container", "[data-ogsc] h1.headline"} {
		if !strings.Contains(styles[0], want) {
			t.Errorf("kept stylesheet lacks %s", want)
		}
	}
	if strings.Contains(styles[0], ".offer {") || strings.Contains(styles[0], "\nbody {") {
		t.Errorf("inlinable rules left in <style>: %s", styles[0])
	}
	each(doc, func(n *html.Node) {
		cls, _ := nodeAttr(n, "class")
		st, _ := nodeAttr(n, "style")
		switch {
		case n.Data == "h1" && cls == "headline":
			if !strings.Contains(st, "color: #1F4E79") || !strings.Contains(st, "font-size: 28px") {
				t.Errorf("h1.headline style %q", st)
			}
		case n.Data == "p" && n.Parent != nil && hasClass(n.Parent, "content"):
			if !strings.Contains(st, "margin: 0 0 16px 0") {
				t.Errorf("Markdown paragraph in .content not styled: %q", st)
			}
		case n.Data == "a" && n.Parent != nil && n.Parent.Data == "p" && hasClass(n.Parent.Parent, "footer"):
			if !strings.Contains(st, "color: #8C8577") {
				t.Errorf("footer link not styled: %q", st)
			}
		}
	})
}

func hasClass(n *html.Node, c string) bool {
	if n == nil {
		return false
	}
	v, _ := nodeAttr(n, "class")
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}

func TestPlainTextAlternative(t *testing.T) {
	s := loadSample(t)
	e := s.email(t, "newsletter", "en")
	res, err := testRenderer().Render(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	txt := res.Text
	pre := e.Fields["preheader"].Value
	if strings.Contains(txt, pre) {
		t.Errorf("preheader in the plain text")
	}
	for _, want := range []string{
		"New season, new trails",
		"**three loops we have tested**"[2:28], // bold without asterisks
		"privacy (https://cairn-outdoor.example/be-en/privacy)",
		"Unsubscribe (https://cairn-outdoor.example/u/7f3a9c?l=en&c=2026-12)",
		"Shop the selection (https://shop.cairn-outdoor.example/en/hiking)",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("plain text lacks %q:\n%s", want, txt)
		}
	}
	for _, bad := range []string{"{", "font-family", "<", "&amp;", "mso", "\n\n\n"} {
		if strings.Contains(txt, bad) {
			t.Errorf("plain text has %q:\n%s", bad, txt)
		}
	}
	if strings.Count(txt, "Shop the selection") != 1 {
		t.Errorf("the Outlook button is duplicated in the plain text")
	}
}

func TestClippedForAHugeEmail(t *testing.T) {
	var layout strings.Builder
	layout.WriteString("<html><head><style>p { color: #2B3035; }</style></head><body>")
	fields := map[string]Field{}
	para := strings.Repeat("Des sentiers, des sommets et des lacs. ", 30) + "\n\n"
	for i := 0; i < 5; i++ {
		id := "f" + string(rune('a'+i))
		layout.WriteString("<div>{{" + id + "}}</div>")
		v := strings.Repeat(para, MaxFieldBytes/len(para))
		fields[id] = Field{Kind: library.SlotMarkdown, Value: v}
		if len(v) > MaxFieldBytes {
			t.Fatal("field over the cap")
		}
	}
	layout.WriteString("</body></html>")
	res, err := testRenderer().Render(context.Background(), Email{Layout: layout.String(), Locale: "fr", Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 0 {
		t.Fatalf("problems %v", codes(res.Problems))
	}
	if !res.Clipped || res.Bytes <= GmailClipBytes || res.Bytes != len(res.HTML) {
		t.Errorf("Bytes %d, Clipped %v", res.Bytes, res.Clipped)
	}
}

func TestFieldOverTheCapIsNotRendered(t *testing.T) {
	big := strings.Repeat("a", MaxFieldBytes+1)
	e := Email{Layout: `<div>{{m}}</div><p>{{t}}</p><p>{{ok}}</p>`, Locale: "en", Fields: map[string]Field{
		"m":  {Kind: library.SlotMarkdown, Value: big},
		"t":  {Kind: library.SlotText, Value: big},
		"ok": {Kind: library.SlotText, Value: strings.Repeat("b", MaxFieldBytes)},
	}}
	res, err := testRenderer().Render(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.HTML, "aaaa") || strings.Count(res.HTML, "Too large to render") != 2 {
		t.Errorf("oversized field rendered, or no placeholder")
	}
	if !strings.Contains(res.HTML, strings.Repeat("b", MaxFieldBytes)) {
		t.Errorf("a field at the cap was not rendered")
	}
	want := "m:render.field_too_large,t:render.field_too_large"
	if got := strings.Join(codes(res.Problems), ","); got != want {
		t.Errorf("problems %s, want %s", got, want)
	}
	if res.Problems[0].Params["max"] != "32768" {
		t.Errorf("params %v", res.Problems[0].Params)
	}
}

func TestBrokenLayoutIsAnError(t *testing.T) {
	for _, layout := range []string{
		`<p><script>var x = "{{t}}`,  // ends inside a script's string
		`<style>p { content: "{{t}}`, // ends inside a CSS string
	} {
		_, err := testRenderer().Render(context.Background(), Email{Layout: layout, Locale: "en"})
		if !fault.Is(err, CodeLayoutInvalid) || fault.KindOf(err) != fault.Invalid {
			t.Errorf("%q: %v", layout, err)
		}
	}
}

func TestCanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := testRenderer().Render(ctx, Email{Layout: "<p>x</p>"})
	if !fault.Is(err, CodeCanceled) || fault.KindOf(err) != fault.Canceled {
		t.Errorf("err %v", err)
	}
	_, _, err = New().Markdown(ctx, "x")
	if !fault.Is(err, CodeCanceled) {
		t.Errorf("Markdown err %v", err)
	}
}

func TestProblemsAreSortedAndUnique(t *testing.T) {
	e := Email{
		Layout: `<a href="{{b}}">{{b}}</a><a href="{{b}}">x</a><p>{{a}}</p><p>{{c}}</p>`,
		Locale: "en",
		Fields: map[string]Field{
			"a": {Kind: library.SlotMarkdown, Value: "[x](javascript:a) <b>raw</b> ![t](https://t.example/p.gif)"},
			"b": {Kind: library.SlotLink, Value: "javascript:alert(1)"},
		},
	}
	res, err := testRenderer().Render(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	want := "a:render.image_dropped,a:render.raw_html_dropped,a:render.unsafe_link_dropped,b:render.unsafe_link_dropped,c:render.placeholder_unknown"
	if got := strings.Join(codes(res.Problems), ","); got != want {
		t.Errorf("problems\n got %s\nwant %s", got, want)
	}
	b, _ := json.Marshal(res.Problems[0])
	if !bytes.Contains(b, []byte(`"code":"render.image_dropped","slot":"a","params":{"url":"https://t.example/p.gif"}`)) {
		t.Errorf("JSON %s", b)
	}
}

// TestConcurrentRendersShareOneRenderer renders a campaign's locales from
// several goroutines at once, as the app does when a draft opens; run with
// -race.
func TestConcurrentRendersShareOneRenderer(t *testing.T) {
	s := loadSample(t)
	r := testRenderer()
	r.timeout = time.Minute // the race detector slows goldmark down
	want := map[string]string{}
	for _, loc := range locales {
		fresh := testRenderer()
		fresh.timeout = time.Minute
		res, err := fresh.Render(context.Background(), s.email(t, "newsletter", loc))
		if err != nil {
			t.Fatal(err)
		}
		want[loc] = res.HTML
	}
	errs := make(chan error, 12)
	for i := 0; i < 12; i++ {
		go func(loc string) {
			res, err := r.Render(context.Background(), s.email(t, "newsletter", loc))
			if err == nil && res.HTML != want[loc] {
				err = fault.New(fault.Internal, "test.differs", loc)
			}
			errs <- err
		}(locales[i%len(locales)])
	}
	for i := 0; i < 12; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestInliningIsComplete: the layout is inlined once and each Markdown
// fragment by itself; inlining the finished email again, with the whole
// stylesheet, must change nothing. A rule the fragments missed would show.
func TestInliningIsComplete(t *testing.T) {
	s := loadSample(t)
	r := testRenderer()
	for _, id := range templates {
		for _, loc := range locales {
			e := s.email(t, id, loc)
			res, err := r.Render(context.Background(), e)
			if err != nil {
				t.Fatal(err)
			}
			_, css, err := takeStyles(e.Layout)
			if err != nil {
				t.Fatal(err)
			}
			inline, _, _, err := splitCSS(css)
			if err != nil {
				t.Fatal(err)
			}
			again, err := inlineCSS(strings.Replace(res.HTML, "</head>", "<style>"+inline+"</style></head>", 1))
			if err != nil {
				t.Fatal(err)
			}
			same, err := inlineCSS(res.HTML)
			if err != nil {
				t.Fatal(err)
			}
			if again != same {
				t.Errorf("%s.%s: inlining again changes the email near %q", id, loc, around(again, same))
			}
		}
	}
}

// TestInlinerKeepsConditionalCommentsByteForByte: the HTML parser behind
// the inliner decodes references in comments and does not encode them
// again; the conditional comments are set aside so that Outlook still reads
// "&lt;" as text.
func TestInlinerKeepsConditionalCommentsByteForByte(t *testing.T) {
	cc := `<!--[if mso]><v:roundrect href="https://x.example/?a=1&amp;b=2"><center title="&quot;q&quot;">5 &lt; 6 &amp; 7</center></v:roundrect><![endif]-->`
	rev := `<!--[if !mso]><!--><a href="https://x.example/">x</a><!--<![endif]-->`
	doc := `<html><head><style>a { color: #1F4E79; }</style></head><body><table><tr><td>` + cc + rev + `</td></tr></table></body></html>`
	out, err := inlineCSS(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, cc) {
		t.Errorf("conditional comment altered:\n%s", out)
	}
	if !strings.Contains(out, `<!--[if !mso]><!--><a href="https://x.example/" style="color: #1F4E79;">x</a><!--<![endif]-->`) {
		t.Errorf("revealed comment lost, or its link not styled:\n%s", out)
	}
}

func TestFooterGetsTheUnsubscribeLink(t *testing.T) {
	layout := `<div class="footer">{{footer}}</div><a href="{{unsubscribe}}">prefs</a>`
	for _, tc := range []struct {
		unsub, href, problems string
	}{
		{"https://x.example/u/1?a=(b)&c=d e", "https://x.example/u/1?a=%28b%29&c=d%20e", ""},
		{"javascript:alert(1)", "", "unsubscribe:render.unsafe_link_dropped"},
		{"", "", ""},
	} {
		e := Email{Layout: layout, Locale: "fr", Footer: "**SAS**\n\n[Se désinscrire]({{unsubscribe}}) · {{ unsubscribe }}", Unsubscribe: tc.unsub}
		res, err := testRenderer().Render(context.Background(), e)
		if err != nil {
			t.Fatal(err)
		}
		var hrefs []string
		each(parse(t, res.HTML), func(n *html.Node) {
			if n.Data == "a" && n.Parent != nil && n.Parent.Data == "p" {
				h, _ := nodeAttr(n, "href")
				hrefs = append(hrefs, h)
			}
		})
		if tc.href != "" && (len(hrefs) != 2 || hrefs[0] != tc.href || hrefs[1] != tc.href) {
			t.Errorf("%q: footer links %q, want two of %q", tc.unsub, hrefs, tc.href)
		}
		if tc.href == "" && len(hrefs) != 0 {
			t.Errorf("%q: footer links %q, want none", tc.unsub, hrefs)
		}
		if !strings.Contains(res.HTML, "Se désinscrire") || strings.Contains(res.HTML, "{{") ||
			strings.Contains(res.HTML, "&lt;") || strings.Contains(res.HTML, "(#)") {
			t.Errorf("%q: footer text %s", tc.unsub, res.HTML)
		}
		if got := strings.Join(codes(res.Problems), ","); got != tc.problems {
			t.Errorf("%q: problems %q, want %q", tc.unsub, got, tc.problems)
		}
	}
}
