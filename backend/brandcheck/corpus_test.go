package brandcheck

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/outpost-studio/outpost/backend/library"
)

// TestCorpus runs every fixture campaign through the real campaign and
// render path: each seeded mistake is found with the right rule, locale,
// slot and code, and nothing else is; the clean campaigns have no finding
// at all, warnings included.
func TestCorpus(t *testing.T) {
	s := loadSample(t)
	fixtures := loadFixtures(t)
	names := make([]string, 0, len(fixtures))
	for n := range fixtures {
		names = append(names, n)
	}
	sort.Strings(names)
	clean, negative, seeded := 0, 0, 0
	kinds := map[string]int{} // seeded campaigns per rule kind
	for _, name := range names {
		fx := fixtures[name]
		t.Run(name, func(t *testing.T) {
			rep := Check(fx.input(t, s))
			want := append([]expect{}, fx.Expect...)
			sort.Slice(want, func(i, j int) bool { return want[i].String() < want[j].String() })
			if g := got(rep.Findings); !slices.Equal(g, want) {
				var b strings.Builder
				for _, f := range rep.Findings {
					fmt.Fprintf(&b, "\n  %s %s %s/%s %s %v", f.Severity, f.Rule, f.Locale, f.Slot, f.Code, f.Params)
				}
				t.Errorf("findings:%s\nwant: %v", b.String(), want)
			}
			for _, f := range rep.Findings {
				if msg, hint := Message(f); strings.Contains(msg+hint, "{") {
					t.Errorf("%s: a message names a param the finding lacks: %s %s", f.Code, msg, hint)
				}
			}
			if rep.Ready != (rep.Errors == 0) || rep.Errors+rep.Warnings != len(rep.Findings) {
				t.Errorf("counts: %+v", rep)
			}
		})
		switch {
		case strings.HasPrefix(name, "clean "):
			clean++
		case len(fx.Expect) == 0:
			negative++ // close to a mistake, but none
		default:
			seeded++
			seen := map[string]bool{}
			for _, e := range fx.Expect {
				if k := ruleKind(s, fx, e.Rule); !seen[k] {
					seen[k] = true
					kinds[k]++
				}
			}
		}
	}
	t.Logf("%d clean campaigns, %d near misses, %d campaigns with a seeded mistake; by rule kind: %v", clean, negative, seeded, kinds)
	for _, r := range append(append([]library.Rule(nil), s.ix.Content.Rules.Rules...), builtins...) {
		if kinds[r.Kind] < 2 {
			t.Errorf("rule kind %s has %d seeded campaigns; the corpus wants several", r.Kind, kinds[r.Kind])
		}
	}
}

// ruleKind names the kind of a rule id, for the corpus summary.
func ruleKind(s *sample, fx *fixture, id string) string {
	for _, r := range append(append(s.ix.Content.Rules.Rules, fx.AddRules...), builtins...) {
		if r.ID == id {
			return r.Kind
		}
	}
	return id
}
