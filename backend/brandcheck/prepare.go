package brandcheck

import (
	"context"
	"regexp"
	"strings"

	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/render"
)

// Prepare renders every locale of a campaign as Check reads it, so the
// desktop, the hub and the tests share one path. layout is the template's
// HTML (campaign.Store.Layout); url gives each picture's address in the
// email, nil for "cid:<picture key>", which needs nothing but the
// campaign and is what receipts compared between machines should use.
// It renders whole (render.Complete): a slow Markdown field is waited
// for, never replaced by the preview's "too complex" placeholder, so the
// findings do not depend on how busy the machine is.
// The error is the renderer's (a broken layout, a done ctx) or
// campaign.Email's (a template the release lacks).
func Prepare(ctx context.Context, c *campaign.Campaign, ix *library.Index, layout string, r *render.Renderer, url func(campaign.Picture) string) ([]LocaleRender, error) {
	if c == nil || ix == nil || ix.Content == nil {
		return nil, fault.New(fault.Invalid, CodeInputInvalid, "brandcheck.Prepare").With("field", "campaign")
	}
	if r == nil {
		r = render.New()
	}
	// Whole renders: the findings must not depend on the machine's load.
	ctx = render.Complete(ctx)
	if url == nil {
		url = func(p campaign.Picture) string { return "cid:" + p.Key() }
	}
	sizes, err := r.ImageSizes(layout)
	if err != nil {
		return nil, err
	}
	out := make([]LocaleRender, 0, len(c.Locales))
	seen := map[string]bool{}
	for _, locale := range c.Locales {
		if seen[locale] {
			continue
		}
		seen[locale] = true
		e, pics, err := campaign.Email(c, ix, layout, sizes, locale, url)
		if err != nil {
			return nil, err
		}
		res, err := r.Render(ctx, e)
		if err != nil {
			return nil, err
		}
		frags := map[string]string{}
		for slot, f := range e.Fields {
			if f.Kind != library.SlotMarkdown || len(f.Value) > render.MaxFieldBytes {
				continue
			}
			h, _, err := r.Markdown(ctx, f.Value)
			if err != nil {
				return nil, err
			}
			frags[slot] = string(h)
		}
		if e.Footer != "" && len(e.Footer) <= render.MaxFieldBytes {
			// As the renderer fills it: the unsubscribe link in place.
			src := unsubscribePlaceholder.ReplaceAllLiteralString(e.Footer, strings.TrimSpace(e.Unsubscribe))
			h, _, err := r.Markdown(ctx, src)
			if err != nil {
				return nil, err
			}
			frags[SlotFooter] = string(h)
		}
		out = append(out, LocaleRender{Locale: locale, Email: e, Result: res, Pictures: pics, Fragments: frags})
	}
	return out, nil
}

var unsubscribePlaceholder = regexp.MustCompile(`\{\{\s*unsubscribe\s*\}\}`)
