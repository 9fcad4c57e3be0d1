package render

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// The budget is a re-render after a keystroke: under 5 ms at the 95th
// percentile for the whole pipeline. Each iteration types one more character
// into the body, so its Markdown is converted afresh while the other fields
// come from the memo, as in the app. For 500 samples:
//
//	go test ./backend/render -run '^$' -bench Render -benchtime 500x

// BenchmarkRenderPromo renders one locale of the promo template.
func BenchmarkRenderPromo(b *testing.B) {
	s := loadSample(b)
	r := New()
	e := s.email(b, "promo", "fr")
	body := e.Fields["body"]
	percentiles(b, func(i int) {
		f := body
		f.Value = body.Value + fmt.Sprint(" ", i)
		e.Fields["body"] = f
		if _, err := r.Render(context.Background(), e); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkRenderCampaign3Locales renders fr, en and de of the promo
// template, each with its body edited: the worst case, as only the edited
// locale needs re-rendering.
func BenchmarkRenderCampaign3Locales(b *testing.B) {
	s := loadSample(b)
	r := New()
	var emails []Email
	for _, loc := range locales {
		emails = append(emails, s.email(b, "promo", loc))
	}
	percentiles(b, func(i int) {
		for _, e := range emails {
			f := e.Fields["body"]
			f.Value += fmt.Sprint(" ", i)
			fields := make(map[string]Field, len(e.Fields))
			for k, v := range e.Fields {
				fields[k] = v
			}
			fields["body"] = f
			e.Fields = fields
			if _, err := r.Render(context.Background(), e); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRenderPromoCold renders with a new Renderer each time: no cached
// layout, no memo. The first preview of a template.
func BenchmarkRenderPromoCold(b *testing.B) {
	s := loadSample(b)
	e := s.email(b, "promo", "fr")
	percentiles(b, func(int) {
		if _, err := New().Render(context.Background(), e); err != nil {
			b.Fatal(err)
		}
	})
}

// percentiles times each iteration and reports the 50th and 95th
// percentiles next to the mean.
func percentiles(b *testing.B, run func(i int)) {
	b.Helper()
	run(-1) // warm the caches of the Renderer: the app renders continually
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		run(i)
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(times)
	at := func(p float64) float64 {
		k := int(float64(len(times)-1) * p)
		return float64(times[k].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}
