package brandcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/render"
)

// Version is the version of the checks. It goes into every receipt: the
// hub compares receipts only between equal versions.
const Version = 1

// CodeInputInvalid is the error Prepare returns without a campaign or a
// release.
const CodeInputInvalid fault.Code = "brandcheck.input_invalid" // {field}

// CodeBlocked refuses what errors block (an export, a sign-off, a
// submission) while the check finds any.
const CodeBlocked fault.Code = "brandcheck.blocked" // {errors}

// Blocked is nil when findings hold no error, else a CodeBlocked error
// counting them, for op.
func Blocked(fs []Finding, op string) error {
	n := 0
	for _, f := range fs {
		if f.Severity == SeverityError {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return fault.New(fault.Conflict, CodeBlocked, op).With("errors", n)
}

// Severities. An error blocks sign-off, submission and export; a warning
// informs.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Pseudo-slots: where a finding points when it is not about one of the
// template's slots.
const (
	SlotFooter      = "footer"      // the country's legal footer
	SlotUnsubscribe = "unsubscribe" // the unsubscribe link
	SlotAudience    = "audience"    // the campaign's audience
	SlotSendAt      = "sendAt"      // the campaign's send date
	SlotLayout      = ""            // the template's own HTML, or the whole email
)

// CheckRule is the rule id of findings about the check's own input (a
// campaign that names no template, a locale not rendered, ...).
const CheckRule = "outpost:check"

// Input is everything a campaign check depends on. The same Input gives
// byte-identical findings.
type Input struct {
	Campaign *campaign.Campaign
	Release  *library.Index // the release the campaign is pinned to
	// Rules replaces the release's rule pack when not nil (tests, a hub
	// checking a draft rule pack). The brand kit stays the release's.
	Rules *library.RulePack
	// Locales are the rendered locales (see Prepare), one per campaign
	// locale, in any order.
	Locales []LocaleRender
	// ImageBytes are the renditions' sizes by picture key
	// (campaign.Picture.Key); nil skips the image-weight limit.
	ImageBytes map[string]int
	// ApprovedImports are local photos (asset ids) a local approver has
	// accepted: they are no longer reported as imports.
	ApprovedImports []string
	// Today is the check date, "YYYY-MM-DD". The check never reads a clock.
	Today string
}

// LocaleRender is one locale of a campaign as the check sees it.
type LocaleRender struct {
	Locale string
	Email  render.Email   // what was rendered
	Result *render.Result // the rendered email
	// Pictures are the pictures Email shows, for the caller's renditions
	// (their keys are ImageBytes's); Check resolves them again from the
	// campaign rather than trusting this list.
	Pictures []campaign.Picture
	// Fragments are the sanitized HTML of each Markdown slot and of the
	// legal footer ("footer"), by slot id: the text and links each slot
	// brings, so findings name their slot.
	Fragments map[string]string
}

// Finding is one thing the check found.
type Finding struct {
	Rule     string            `json:"rule"`     // the rule's id
	Severity string            `json:"severity"` // SeverityError or SeverityWarning
	Locale   string            `json:"locale"`   // "" for the whole campaign
	Slot     string            `json:"slot"`     // a slot id, a pseudo-slot, or "" for the whole email
	Code     FindingCode       `json:"code"`     // the message, an i18n key under "findings"
	Hint     FindingCode       `json:"hint"`     // how to fix it, an i18n key under "findings"
	Params   map[string]string `json:"params"`   // named in both messages
}

// Report is the result of a check.
type Report struct {
	Findings []Finding `json:"findings"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Ready    bool      `json:"ready"` // no errors: the campaign may be signed off
	Receipt  Receipt   `json:"receipt"`
}

// Receipt identifies a check: what ran on what, and what it found. The hub
// re-runs the check on a submission and compares receipts.
type Receipt struct {
	RulesSHA256    string `json:"rulesSha256"`    // the rule pack and palette, canonical JSON
	CampaignSHA256 string `json:"campaignSha256"` // the campaign snapshot, canonical JSON
	FindingsSHA256 string `json:"findingsSha256"` // FindingsJSON
	Today          string `json:"today"`
	Version        int    `json:"version"`
}

// Check runs the rule pack on a campaign. It never fails: a campaign or a
// rule pack that cannot be checked is itself a finding.
func Check(in Input) Report {
	ck := newChecker(in)
	ck.run()
	return report(ck.out, receipt(in, ck.pack))
}

func report(fs []Finding, rec Receipt) Report {
	fs = normalize(fs)
	r := Report{Findings: fs, Receipt: rec}
	for _, f := range fs {
		if f.Severity == SeverityError {
			r.Errors++
		} else {
			r.Warnings++
		}
	}
	r.Ready = r.Errors == 0
	r.Receipt.FindingsSHA256 = sha(FindingsJSON(fs))
	return r
}

// FindingsJSON is findings as the receipt hashes them: JSON, in the order
// given, maps with sorted keys, no HTML escaping.
func FindingsJSON(fs []Finding) []byte {
	if fs == nil {
		fs = []Finding{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(fs); err != nil {
		panic(err) // strings and maps of strings always encode
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// checker is one run of Check.
type checker struct {
	in     Input
	pack   library.RulePack
	c      *campaign.Campaign
	ix     *library.Index
	t      *library.Template
	region *library.Region
	today  time.Time // zero if Today is invalid
	send   time.Time // zero if SendAt is empty or invalid
	fold   *folder
	out    []Finding
}

func newChecker(in Input) *checker {
	ck := &checker{in: in, c: in.Campaign, ix: in.Release, fold: newFolder()}
	if in.Rules != nil {
		ck.pack = *in.Rules
	} else if in.Release != nil && in.Release.Content != nil {
		ck.pack = in.Release.Content.Rules
	}
	return ck
}

// add records a finding; params alternate names and values.
func (ck *checker) add(r *rule, locale, slot string, code FindingCode, params ...string) {
	ck.out = append(ck.out, finding(r.ID, r.Severity, locale, slot, code, params...))
}

func finding(ruleID, severity, locale, slot string, code FindingCode, params ...string) Finding {
	p := make(map[string]string, len(params)/2)
	for i := 0; i+1 < len(params); i += 2 {
		p[params[i]] = params[i+1]
	}
	return Finding{Rule: ruleID, Severity: severity, Locale: locale, Slot: slot, Code: code, Hint: code + "_hint", Params: p}
}

// problem records a finding about the check's input.
func (ck *checker) problem(locale, slot string, code FindingCode, params ...string) {
	ck.out = append(ck.out, finding(CheckRule, SeverityError, locale, slot, code, params...))
}

func (ck *checker) run() {
	rules := compile(ck.pack)
	for _, r := range rules {
		if r.bad != nil {
			ck.out = append(ck.out, *r.bad)
		}
	}
	if !ck.setup() {
		return
	}
	locales := ck.locales()
	for _, r := range rules {
		if r.bad != nil || r.run == nil {
			continue
		}
		ck.guard(r, func() { r.run(ck, r, locales) })
	}
	ck.out = merge(ck.out, ck.c.Locales)
}

// guard runs one rule; a rule that panics on some input is a finding, not
// a crash.
func (ck *checker) guard(r *rule, f func()) {
	defer func() {
		if recover() != nil {
			ck.out = append(ck.out, finding(r.ID, SeverityError, "", "", CodeCheckFailed, "kind", r.Kind))
		}
	}()
	f()
}

// setup checks that the campaign can be checked at all.
func (ck *checker) setup() bool {
	if ck.c == nil {
		ck.problem("", "", CodeCampaignMissing)
		return false
	}
	if ck.ix == nil || ck.ix.Content == nil {
		ck.problem("", "", CodeReleaseMissing)
		return false
	}
	if ck.ix.Record.Library != ck.c.Library || ck.ix.Record.Version != ck.c.Release {
		ck.problem("", "", CodeReleaseMismatch,
			"pinned", fmt.Sprintf("%s@%d", ck.c.Library, ck.c.Release),
			"given", fmt.Sprintf("%s@%d", ck.ix.Record.Library, ck.ix.Record.Version))
	}
	if len(ck.ix.Content.Locales) == 0 {
		ck.problem("", "", CodeReleaseMissing)
		return false
	}
	t, ok := campaign.TemplateOf(ck.ix.Content, ck.c.Template)
	if !ok {
		ck.problem("", "", CodeTemplateUnknown, "template", ck.c.Template)
		return false
	}
	ck.t = t
	if r, ok := campaign.RegionOf(ck.ix.Content, ck.c.Region); ok {
		ck.region = r
	} else {
		ck.problem("", "", CodeRegionUnknown, "region", ck.c.Region)
	}
	if len(ck.c.Locales) == 0 {
		ck.problem("", "", CodeLocalesMissing)
	}
	if d, err := time.Parse(time.DateOnly, ck.in.Today); err == nil {
		ck.today = d
	} else {
		ck.problem("", "", CodeTodayInvalid, "today", ck.in.Today)
	}
	if d, err := time.Parse("2006-01-02T15:04", ck.c.SendAt); err == nil {
		ck.send = d
	}
	return true
}

// day is the day the campaign's assets must still be valid on: the send
// date when it is ahead, else the check date.
func (ck *checker) day() time.Time {
	d := ck.today
	if !ck.send.IsZero() {
		s := time.Date(ck.send.Year(), ck.send.Month(), ck.send.Day(), 0, 0, 0, 0, time.UTC)
		if d.IsZero() || s.After(d) {
			d = s
		}
	}
	return d
}

func (ck *checker) libDefault() string { return ck.ix.Content.Locales[0] }

// normalize sorts findings (severity, locale, slot, rule, code, params)
// and drops duplicates.
func normalize(fs []Finding) []Finding {
	keys := make([]string, len(fs))
	for i, f := range fs {
		if f.Params == nil {
			fs[i].Params = map[string]string{}
		}
		keys[i] = paramsKey(f.Params)
	}
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := &fs[idx[a]], &fs[idx[b]]
		if x.Severity != y.Severity {
			return severityRank(x.Severity) < severityRank(y.Severity)
		}
		if x.Locale != y.Locale {
			return x.Locale < y.Locale
		}
		if x.Slot != y.Slot {
			return x.Slot < y.Slot
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		if x.Code != y.Code {
			return x.Code < y.Code
		}
		return keys[idx[a]] < keys[idx[b]]
	})
	out := make([]Finding, 0, len(fs))
	for n, i := range idx {
		if n > 0 {
			j := idx[n-1]
			p, f := &fs[j], &fs[i]
			if p.Severity == f.Severity && p.Locale == f.Locale && p.Slot == f.Slot && p.Rule == f.Rule && p.Code == f.Code && keys[j] == keys[i] {
				continue
			}
		}
		out = append(out, fs[i])
	}
	return out
}

func severityRank(s string) int {
	if s == SeverityError {
		return 0
	}
	return 1
}

func paramsKey(p map[string]string) string {
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(p[k])
		b.WriteByte(0)
	}
	return b.String()
}

// merge replaces a finding made identically in every locale of a
// campaign with several locales by one finding for the whole campaign
// (locale ""), for the codes whose fix does not depend on the language:
// a picture, a link or a colour used everywhere is fixed once.
func merge(fs []Finding, locales []string) []Finding {
	if len(locales) < 2 {
		return fs
	}
	type key struct{ rule, sev, slot, code, params string }
	seen := map[key]map[string]bool{}
	for _, f := range fs {
		if !mergeable[f.Code] || f.Locale == "" {
			continue
		}
		k := key{f.Rule, f.Severity, f.Slot, string(f.Code), paramsKey(f.Params)}
		if seen[k] == nil {
			seen[k] = map[string]bool{}
		}
		seen[k][f.Locale] = true
	}
	everywhere := func(k key) bool {
		for _, l := range locales {
			if !seen[k][l] {
				return false
			}
		}
		return true
	}
	out := fs[:0:0]
	for _, f := range fs {
		if mergeable[f.Code] && f.Locale != "" {
			k := key{f.Rule, f.Severity, f.Slot, string(f.Code), paramsKey(f.Params)}
			if everywhere(k) {
				f.Locale = ""
			}
		}
		out = append(out, f)
	}
	return out // duplicates go in normalize
}

// locales lists the campaign's locales once each, in the campaign's order.
func (ck *checker) locales() []*localeView {
	var out []*localeView
	seen := map[string]bool{}
	byLocale := map[string]*LocaleRender{}
	for i := range ck.in.Locales {
		lr := &ck.in.Locales[i]
		if _, dup := byLocale[lr.Locale]; !dup {
			byLocale[lr.Locale] = lr
		}
	}
	for _, l := range ck.c.Locales {
		if seen[l] {
			continue
		}
		seen[l] = true
		lr := byLocale[l]
		if lr == nil || lr.Result == nil {
			ck.problem(l, "", CodeLocaleNotRendered, "locale", l)
			lr = nil
		}
		out = append(out, ck.view(l, lr))
	}
	return out
}
