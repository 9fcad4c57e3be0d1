package brandcheck

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/library"
)

// Canonical JSON, for the receipt's hashes: object keys sorted, no
// insignificant white space, no HTML escaping, numbers in their shortest
// form (2.0 is 2), and lists whose order means nothing sorted (the rules of
// a pack, a rule's locales, the palette).

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func receipt(in Input, pack library.RulePack) Receipt {
	return Receipt{
		RulesSHA256:    sha(RulesJSON(pack, in.Release)),
		CampaignSHA256: sha(CampaignJSON(in.Campaign, in.ApprovedImports)),
		Today:          in.Today,
		Version:        Version,
	}
}

// RulesJSON is the canonical JSON of a rule pack and of the brand kit's
// palette the palette rule reads.
func RulesJSON(pack library.RulePack, ix *library.Index) []byte {
	rules := make([]json.RawMessage, 0, len(pack.Rules))
	for _, r := range pack.Rules {
		locales := append([]string(nil), r.Locales...)
		sort.Strings(locales)
		var params any
		if p := bytes.TrimSpace(r.Params); len(p) > 0 {
			var v any
			dec := json.NewDecoder(bytes.NewReader(p))
			dec.UseNumber()
			if err := dec.Decode(&v); err == nil {
				params = v
			} else {
				params = string(p) // not JSON: hashed as it is
			}
		}
		rules = append(rules, canonical(map[string]any{
			"id": r.ID, "kind": r.Kind, "severity": r.Severity, "locales": locales, "params": params,
		}))
	}
	sort.Slice(rules, func(i, j int) bool { return bytes.Compare(rules[i], rules[j]) < 0 })
	palette := []string{}
	if ix != nil && ix.Content != nil {
		for _, c := range ix.Content.Brand.Palette {
			palette = append(palette, normColour(c.Hex)+" "+c.ID)
		}
	}
	sort.Strings(palette)
	return canonical(map[string]any{"version": pack.Version, "rules": rules, "palette": palette})
}

// CampaignJSON is the canonical JSON of what a check reads of a campaign:
// its release, template, region, locales (in order: the first is the
// default), values (empty ones dropped: they mean "not set"), audience,
// send date and crops, and the imports approved for it.
func CampaignJSON(c *campaign.Campaign, approved []string) []byte {
	if c == nil {
		return []byte("null")
	}
	values := map[string]map[string]string{}
	for l, m := range c.Values {
		for k, v := range m {
			if v == "" {
				continue
			}
			if values[l] == nil {
				values[l] = map[string]string{}
			}
			values[l][k] = v
		}
	}
	crops := map[string]map[string]campaign.Crop{}
	for s, m := range c.Crops {
		for p, r := range m {
			if crops[s] == nil {
				crops[s] = map[string]campaign.Crop{}
			}
			crops[s][p] = r
		}
	}
	imports := append([]string{}, approved...)
	sort.Strings(imports)
	locales := append([]string{}, c.Locales...)
	return canonical(map[string]any{
		"library": c.Library, "release": c.Release, "template": c.Template, "region": c.Region,
		"locales": locales, "values": values, "audience": c.Audience, "sendAt": c.SendAt,
		"crops": crops, "approvedImports": imports,
	})
}

// canonical encodes v as canonical JSON.
func canonical(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte("null")
	}
	var tree any
	dec := json.NewDecoder(&b)
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return []byte("null")
	}
	var out bytes.Buffer
	write(&out, tree)
	return out.Bytes()
}

func write(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			write(b, x[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			write(b, e)
		}
		b.WriteByte(']')
	case string:
		writeString(b, x)
	case json.Number:
		b.WriteString(number(x))
	case bool:
		b.WriteString(strconv.FormatBool(x))
	default:
		b.WriteString("null")
	}
}

func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // the encoder's newline
}

func number(n json.Number) string {
	s := string(n)
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.FormatInt(i, 10)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f == float64(int64(f)) && !strings.ContainsAny(strconv.FormatFloat(f, 'g', -1, 64), "e") {
			return strconv.FormatInt(int64(f), 10)
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return s
}
