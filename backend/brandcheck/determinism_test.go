package brandcheck

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/outpost-studio/outpost/backend/library"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/corpus.json")

const goldenCorpus = "testdata/golden/corpus.json"

// corpusJSON checks every fixture and writes the reports, by fixture name,
// with each finding's English words (for reading the golden file).
func corpusJSON(t testing.TB) []byte {
	t.Helper()
	s := loadSample(t)
	fixtures := loadFixtures(t)
	names := make([]string, 0, len(fixtures))
	for n := range fixtures {
		names = append(names, n)
	}
	sort.Strings(names)
	type entry struct {
		Name   string   `json:"name"`
		Report Report   `json:"report"`
		Words  []string `json:"words"`
	}
	out := make([]entry, 0, len(names))
	for _, n := range names {
		rep := Check(fixtures[n].input(t, s))
		words := []string{}
		for _, p := range ToPack(rep.Findings) {
			words = append(words, p.Message)
		}
		out = append(out, entry{n, rep, words})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCorpusGolden keeps every finding of the corpus, receipts included,
// in a reviewed file: any change to what the check says shows in a diff.
// Refresh with -update.
func TestCorpusGolden(t *testing.T) {
	b := corpusJSON(t)
	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenCorpus), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenCorpus, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenCorpus)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("the corpus's findings differ from %s; review with -update and git diff", goldenCorpus)
	}
}

const childEnv = "OUTPOST_BRANDCHECK_CHILD"

// TestCorpusChild is run by TestSameFindingsInOtherProcesses: it prints
// the corpus's findings.
func TestCorpusChild(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("run by TestSameFindingsInOtherProcesses")
	}
	os.Stdout.Write(corpusJSON(t))
}

// TestSameFindingsInOtherProcesses checks the corpus in two fresh
// processes (other map seeds, another sample cache): the bytes are the
// same as here.
func TestSameFindingsInOtherProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	here := corpusJSON(t)
	for i := 0; i < 2; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCorpusChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"=1", fmt.Sprintf("GOMAXPROCS=%d", i+1))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, stderr.String())
		}
		out = bytes.TrimSuffix(out, []byte("PASS\n"))
		if !bytes.Equal(out, here) {
			t.Fatalf("child %d: findings differ (%s here, %s there)\n%s", i, digest(here), digest(out), firstDifference(here, out))
		}
	}
}

// firstDifference shows the lines around the first line where a and b
// differ, to say what changed.
func firstDifference(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	i := 0
	for i < len(la) && i < len(lb) && la[i] == lb[i] {
		i++
	}
	from := max(0, i-4)
	part := func(l []string) string { return strings.Join(l[min(from, len(l)):min(i+8, len(l))], "\n") }
	return fmt.Sprintf("from line %d, here:\n%s\nthere:\n%s", from+1, part(la), part(lb))
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:8])
}

// TestShuffledInputsSameFindings feeds each fixture with its inputs in
// other orders: campaign values and crops inserted in another order, the
// rendered locales and approved imports shuffled, the rule pack's rules
// and the palette reordered. The findings' bytes and the receipt do not
// change.
func TestShuffledInputsSameFindings(t *testing.T) {
	s := loadSample(t)
	fixtures := loadFixtures(t)
	rng := rand.New(rand.NewPCG(7, 11))
	for name, fx := range fixtures {
		in := fx.input(t, s)
		want := Check(in)
		wantJSON := FindingsJSON(want.Findings)
		for round := 0; round < 3; round++ {
			sh := shuffled(t, rng, in)
			got := Check(sh)
			if g := FindingsJSON(got.Findings); !bytes.Equal(g, wantJSON) {
				t.Fatalf("%s, round %d: findings differ:\n%s\n%s", name, round, g, wantJSON)
			}
			if got.Receipt != want.Receipt {
				t.Fatalf("%s, round %d: receipt differs: %+v vs %+v", name, round, got.Receipt, want.Receipt)
			}
		}
	}
}

// shuffled copies in with every order that means nothing changed.
func shuffled(t testing.TB, rng *rand.Rand, in Input) Input {
	t.Helper()
	out := in
	c := *in.Campaign
	c.Values = map[string]map[string]string{}
	locs := keys(in.Campaign.Values)
	rng.Shuffle(len(locs), func(i, j int) { locs[i], locs[j] = locs[j], locs[i] })
	for _, l := range locs {
		m := map[string]string{}
		ks := keys(in.Campaign.Values[l])
		rng.Shuffle(len(ks), func(i, j int) { ks[i], ks[j] = ks[j], ks[i] })
		for _, k := range ks {
			m[k] = in.Campaign.Values[l][k]
		}
		c.Values[l] = m
	}
	out.Campaign = &c
	out.Locales = append([]LocaleRender(nil), in.Locales...)
	rng.Shuffle(len(out.Locales), func(i, j int) { out.Locales[i], out.Locales[j] = out.Locales[j], out.Locales[i] })
	out.ApprovedImports = append([]string(nil), in.ApprovedImports...)
	rng.Shuffle(len(out.ApprovedImports), func(i, j int) {
		out.ApprovedImports[i], out.ApprovedImports[j] = out.ApprovedImports[j], out.ApprovedImports[i]
	})
	pack := in.Release.Content.Rules
	if in.Rules != nil {
		pack = *in.Rules
	}
	pack.Rules = append([]library.Rule(nil), pack.Rules...)
	rng.Shuffle(len(pack.Rules), func(i, j int) { pack.Rules[i], pack.Rules[j] = pack.Rules[j], pack.Rules[i] })
	out.Rules = &pack
	content := *in.Release.Content
	content.Brand.Palette = append([]library.Colour(nil), content.Brand.Palette...)
	rng.Shuffle(len(content.Brand.Palette), func(i, j int) {
		content.Brand.Palette[i], content.Brand.Palette[j] = content.Brand.Palette[j], content.Brand.Palette[i]
	})
	content.Scopes = append([]library.Scope(nil), content.Scopes...)
	rng.Shuffle(len(content.Scopes), func(i, j int) { content.Scopes[i], content.Scopes[j] = content.Scopes[j], content.Scopes[i] })
	rel := *in.Release
	rel.Content = &content
	out.Release = &rel
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
