package brandcheck

import (
	"time"

	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/pack"
)

// PackInput is what an asset pack's check depends on.
type PackInput struct {
	Release *library.Index
	Rules   *library.RulePack // nil: the release's
	// Assets are the ids of the assets the pack holds.
	Assets []string
	// Region is the office's region id; "" skips the region check.
	Region string
	// Date is the export day, "YYYY-MM-DD": assets past their last day of
	// use on it are reported.
	Date            string
	ApprovedImports []string
}

// CheckPack runs the rules that apply to pictures on their own (expiry,
// usage region, local imports) on an asset pack's assets, plus the rule
// pack's own findings (unknown kinds, invalid params). Findings name the
// asset in their params; their slot and locale are "". The order is
// stable, as for Check.
func CheckPack(in PackInput) []Finding {
	var out []Finding
	var rules library.RulePack
	if in.Rules != nil {
		rules = *in.Rules
	} else if in.Release != nil && in.Release.Content != nil {
		rules = in.Release.Content.Rules
	}
	compiled := compile(rules)
	for _, r := range compiled {
		if r.bad != nil {
			out = append(out, *r.bad)
		}
	}
	if in.Release == nil || in.Release.Content == nil {
		out = append(out, finding(CheckRule, SeverityError, "", "", CodeReleaseMissing))
		return normalize(out)
	}
	day, dayErr := time.Parse(time.DateOnly, in.Date)
	if dayErr != nil {
		out = append(out, finding(CheckRule, SeverityError, "", "", CodeTodayInvalid, "today", in.Date))
	}
	approved := map[string]bool{}
	for _, id := range in.ApprovedImports {
		approved[id] = true
	}
	for _, r := range compiled {
		if r.bad != nil {
			continue
		}
		for _, id := range in.Assets {
			a, ok := in.Release.Asset(id)
			if !ok {
				if r.Kind == KindRequiredSlots {
					out = append(out, finding(r.ID, r.Severity, "", "", CodeImageUnknown, "asset", id))
				}
				continue
			}
			switch r.Kind {
			case KindAssetExpiry:
				if last, err := time.Parse(time.DateOnly, a.Expires); err == nil && dayErr == nil && day.After(last) {
					out = append(out, finding(r.ID, r.Severity, "", "", CodeAssetExpired, "asset", a.ID, "expires", a.Expires, "date", in.Date))
				}
			case KindImageRegion:
				if in.Region != "" && len(a.Regions) > 0 && !contains(a.Regions, in.Region) {
					out = append(out, finding(r.ID, r.Severity, "", "", CodeImageRegion, "asset", a.ID, "region", in.Region))
				}
			case KindImageImport:
				if a.Local != nil && !approved[a.ID] {
					out = append(out, finding(r.ID, r.Severity, "", "", CodeImageImport, "asset", a.ID, "name", a.Local.Name))
				}
			}
		}
	}
	return normalize(out)
}

// ToPack converts findings for an asset pack's manifest and report, with
// their English words.
func ToPack(fs []Finding) []pack.Finding {
	out := make([]pack.Finding, 0, len(fs))
	for _, f := range fs {
		msg, hint := Message(f)
		if w := where(f); w != "" {
			msg = w + ": " + msg
		}
		if hint != "" {
			msg += " " + hint
		}
		params := make(map[string]string, len(f.Params))
		for k, v := range f.Params {
			params[k] = v
		}
		out = append(out, pack.Finding{RuleID: f.Rule, Severity: f.Severity, Code: string(f.Code), Params: params,
			Locale: f.Locale, Slot: f.Slot, Message: msg})
	}
	return out
}
