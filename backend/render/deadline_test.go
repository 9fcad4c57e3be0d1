package render

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/library"
)

// pathological are Markdown inputs of MaxFieldBytes that make goldmark work
// hard: quadratic delimiter and bracket matching, deep nesting.
func pathological() map[string]string {
	fill := func(unit string) string {
		s := strings.Repeat(unit, MaxFieldBytes/len(unit)+1)
		return s[:MaxFieldBytes]
	}
	return map[string]string{
		"emphasis":       fill("*a **a "),
		"mixed emphasis": fill("**_a*_"),
		"open links":     fill("[a]("),
		"open brackets":  fill("["),
		"image brackets": fill("![["),
		"nested quotes":  fill("> "),
		"nested lists":   fill("- "),
		"raw html":       fill("<a "),
		"backticks":      fill("`a``"),
		"references":     fill("[a]: b\n[a] "),
	}
}

// TestPathologicalMarkdownNeverHangs: each input renders within a second,
// as a result or as render.too_complex with a visible placeholder.
func TestPathologicalMarkdownNeverHangs(t *testing.T) {
	r := New()
	for name, src := range pathological() {
		t.Run(name, func(t *testing.T) {
			e := Email{Layout: `<div>{{m}}</div>`, Locale: "en", Fields: map[string]Field{"m": {Kind: library.SlotMarkdown, Value: src}}}
			start := time.Now()
			res, err := r.Render(context.Background(), e)
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if took > time.Second {
				t.Errorf("took %v", took)
			}
			if hasProblem(res.Problems, "m", string(CodeTooComplex)) && !strings.Contains(res.HTML, "Too complex to preview") {
				t.Errorf("too complex, but no placeholder")
			}
			t.Logf("%v, problems %v", took, codes(res.Problems))
		})
	}
}

// TestSlowConversionReportsTooComplexThenFinishesOnItsOwn: past the
// deadline the render reports render.too_complex at once; the conversion
// runs to its end in the background, and the next render has its result.
func TestSlowConversionReportsTooComplexThenFinishesOnItsOwn(t *testing.T) {
	r := New()
	r.timeout = time.Millisecond
	src := pathological()["open links"][:8<<10] // some 10 ms of work: well past 1 ms
	e := Email{Layout: `<div>{{m}}</div>`, Locale: "en", Fields: map[string]Field{"m": {Kind: library.SlotMarkdown, Value: src}}}
	res, err := r.Render(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(res.Problems); len(got) != 1 || got[0] != "m:render.too_complex" {
		t.Fatalf("problems %v", got)
	}
	if !strings.Contains(res.HTML, "Too complex to preview") || !strings.Contains(res.Text, "Too complex to preview") {
		t.Errorf("no visible placeholder")
	}
	deadline := time.Now().Add(time.Minute) // the race detector and a busy machine are slow
	for {
		if _, ok := r.memo.get(src); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the conversion never finished")
		}
		time.Sleep(10 * time.Millisecond)
	}
	res, err = r.Render(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 0 || strings.Contains(res.HTML, "Too complex") {
		t.Errorf("second render: problems %v", codes(res.Problems))
	}
}

// TestCompleteWaitsPastTheDeadline: a render under Complete (the brand
// check's, the hub's) waits for a slow field to its end, whatever the
// deadline, so its HTML does not depend on the machine's load; a done ctx
// still ends it.
func TestCompleteWaitsPastTheDeadline(t *testing.T) {
	r := New()
	r.timeout = time.Nanosecond
	src := pathological()["open links"][:8<<10]
	e := Email{Layout: `<div>{{m}}</div>`, Locale: "en", Fields: map[string]Field{"m": {Kind: library.SlotMarkdown, Value: src}}}
	res, err := r.Render(Complete(context.Background()), e)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 0 || strings.Contains(res.HTML, "Too complex") {
		t.Fatalf("complete render: problems %v", codes(res.Problems))
	}
	// The same render without Complete, of text not converted yet, gives up.
	e.Fields["m"] = Field{Kind: library.SlotMarkdown, Value: src + " more"}
	if res, err = r.Render(context.Background(), e); err != nil || len(res.Problems) != 1 {
		t.Fatalf("render with the deadline: %v, %v", err, res)
	}
	ctx, cancel := context.WithCancel(Complete(context.Background()))
	cancel()
	e.Fields["m"] = Field{Kind: library.SlotMarkdown, Value: src + " again"}
	if _, err := r.Render(ctx, e); err == nil {
		t.Fatal("a cancelled complete render returned")
	}
}

// TestFieldsShareOneDeadline: five slow fields cost one deadline, not five.
// Their conversions are held in flight (as a conversion of the same text
// started by an earlier render would be), so the test burns no CPU.
func TestFieldsShareOneDeadline(t *testing.T) {
	r := New()
	r.timeout = 100 * time.Millisecond
	fields := map[string]Field{}
	var layout strings.Builder
	var held []*conversion
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		src := "slow " + name
		c := &conversion{done: make(chan struct{})}
		r.conv[src] = c
		held = append(held, c)
		fields[name] = Field{Kind: library.SlotMarkdown, Value: src}
		layout.WriteString("<div>{{" + name + "}}</div>")
	}
	defer func() {
		for _, c := range held {
			close(c.done)
		}
	}()
	fields["quick"] = Field{Kind: library.SlotMarkdown, Value: "*quick*"}
	layout.WriteString("<div>{{quick}}</div>")
	start := time.Now()
	res, err := r.Render(context.Background(), Email{Layout: layout.String(), Locale: "en", Fields: fields})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if took < r.timeout || took > 4*r.timeout {
		t.Errorf("took %v for five fields and a %v deadline", took, r.timeout)
	}
	want := "a:render.too_complex,b:render.too_complex,c:render.too_complex,d:render.too_complex,e:render.too_complex"
	if got := strings.Join(codes(res.Problems), ","); got != want {
		t.Errorf("problems %s", got)
	}
	if !strings.Contains(res.HTML, "<em>quick</em>") || strings.Count(res.HTML, "Too complex to preview") != 5 {
		t.Errorf("quick field missing or placeholders wrong")
	}
}

// TestDeepNestingIsTooComplex: thousands of nested quotes are refused after
// parsing, before they reach the sanitizer and the CSS inliner.
func TestDeepNestingIsTooComplex(t *testing.T) {
	r := New()
	r.timeout = 5 * time.Second
	_, probs, err := r.Markdown(context.Background(), strings.Repeat("> ", 1000)+"x")
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != 1 || probs[0].Code != CodeTooComplex {
		t.Errorf("problems %v", probs)
	}
	_, probs, _ = r.Markdown(context.Background(), strings.Repeat("> ", 10)+"x")
	if len(probs) != 0 {
		t.Errorf("ten levels refused: %v", probs)
	}
}

func TestCanceledWhileWaitingForMarkdown(t *testing.T) {
	r := New()
	r.timeout = 5 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	e := Email{Layout: `<div>{{m}}</div>`, Locale: "en", Fields: map[string]Field{
		"m": {Kind: library.SlotMarkdown, Value: pathological()["open links"][1:]}}}
	start := time.Now()
	_, err := r.Render(ctx, e)
	if err == nil || !strings.Contains(err.Error(), string(CodeCanceled)) {
		t.Errorf("err %v", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("cancel took %v", time.Since(start))
	}
}
