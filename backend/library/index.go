package library

import (
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Index is a release's content ready to browse: assets in a stable order
// with their searchable text folded once, so a search over 10,000 assets is
// a scan of short strings.
type Index struct {
	Record  Record
	Content *Content
	assets  []indexed
	byID    map[string]int
	tags    []TagCount
	shas    map[string]string // path -> SHA-256, from the manifest
}

type indexed struct {
	a    *Asset
	text string // folded title, description, alt, tags, id in every locale
	tags map[string]bool
}

// TagCount is a tag and how many assets carry it.
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// NewIndex prepares a release's content for browsing.
func NewIndex(rec Record, m *Manifest, c *Content) *Index {
	ix := &Index{Record: rec, Content: c, byID: make(map[string]int, len(c.Assets)), shas: make(map[string]string, len(m.Files))}
	for _, f := range m.Files {
		ix.shas[f.Path] = f.SHA256
	}
	tagCounts := map[string]int{}
	ix.assets = make([]indexed, len(c.Assets))
	for i := range c.Assets {
		a := &c.Assets[i]
		var b strings.Builder
		b.WriteString(a.ID)
		for _, l := range [][]string{values(a.Title), values(a.Description), values(a.Alt), a.Tags} {
			for _, s := range l {
				b.WriteByte(' ')
				b.WriteString(s)
			}
		}
		tags := make(map[string]bool, len(a.Tags))
		for _, t := range a.Tags {
			tags[t] = true
			tagCounts[t]++
		}
		ix.assets[i] = indexed{a: a, text: Fold(b.String()), tags: tags}
		ix.byID[a.ID] = i
	}
	for t, n := range tagCounts {
		ix.tags = append(ix.tags, TagCount{t, n})
	}
	sort.Slice(ix.tags, func(i, j int) bool {
		if ix.tags[i].Count != ix.tags[j].Count {
			return ix.tags[i].Count > ix.tags[j].Count
		}
		return ix.tags[i].Tag < ix.tags[j].Tag
	})
	return ix
}

func values(l Localized) []string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = l[k]
	}
	return out
}

// folders hands each call its own transformer: a transform.Chain keeps
// state, so one shared chain races when two searches run at once.
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Fold lowercases s and strips diacritics, so "Été" matches "ete". It is
// safe for concurrent use.
func Fold(s string) string {
	t := folders.Get().(transform.Transformer)
	defer folders.Put(t)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// Expiry states of an asset on a given day.
const (
	ExpiryNone     = ""        // no expiry date
	ExpiryValid    = "valid"   // expires later
	ExpirySoon     = "soon"    // expires within 30 days
	ExpiryExpired  = "expired" // past its last day of use
	expirySoonDays = 30
)

// ExpiryOf says where an asset stands on day now.
func ExpiryOf(a *Asset, now time.Time) string {
	if a.Expires == "" {
		return ExpiryNone
	}
	last, err := time.Parse(time.DateOnly, a.Expires)
	if err != nil {
		return ExpiryNone
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case today.After(last):
		return ExpiryExpired
	case !today.Before(last.AddDate(0, 0, -expirySoonDays)):
		return ExpirySoon
	}
	return ExpiryValid
}

// Query selects assets.
type Query struct {
	Text   string   `json:"text"`   // words that must all appear (folded)
	Tags   []string `json:"tags"`   // all must be present
	Kind   string   `json:"kind"`   // "" or an asset kind
	Region string   `json:"region"` // "" or assets usable in this region
	Expiry string   `json:"expiry"` // "" or one of the Expiry states
	Offset int      `json:"offset"`
	Limit  int      `json:"limit"` // 0 means 60
}

// Result is one page of matching assets.
type Result struct {
	Total  int      `json:"total"`
	Assets []*Asset `json:"-"`
}

// Search returns the page of assets matching q, in library order.
func (ix *Index) Search(q Query, now time.Time) Result {
	words := strings.Fields(Fold(q.Text))
	limit := q.Limit
	if limit <= 0 {
		limit = 60
	}
	var res Result
	for i := range ix.assets {
		e := &ix.assets[i]
		if !ix.match(e, q, words, now) {
			continue
		}
		if res.Total >= q.Offset && len(res.Assets) < limit {
			res.Assets = append(res.Assets, e.a)
		}
		res.Total++
	}
	return res
}

func (ix *Index) match(e *indexed, q Query, words []string, now time.Time) bool {
	if q.Kind != "" && e.a.Kind != q.Kind {
		return false
	}
	if q.Region != "" && len(e.a.Regions) > 0 && !contains(e.a.Regions, q.Region) {
		return false
	}
	for _, t := range q.Tags {
		if !e.tags[t] {
			return false
		}
	}
	if q.Expiry != "" && ExpiryOf(e.a, now) != q.Expiry {
		return false
	}
	for _, w := range words {
		if !strings.Contains(e.text, w) {
			return false
		}
	}
	return true
}

// Asset returns an asset by id.
func (ix *Index) Asset(id string) (*Asset, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return nil, false
	}
	return ix.assets[i].a, true
}

// Tags lists every tag, most used first.
func (ix *Index) Tags() []TagCount { return ix.tags }

// SHA returns the SHA-256 of a file of the release, "" if it is not listed.
func (ix *Index) SHA(path string) string { return ix.shas[path] }
