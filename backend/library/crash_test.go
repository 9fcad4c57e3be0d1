package library

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/task"
)

// crashRelease is a release of many files, so that an apply takes long
// enough for kills to land at many different points.
func crashRelease(t *testing.T, version uint64, signer string) string {
	t.Helper()
	files := baseFiles(nil)
	for i := 0; i < 300; i++ {
		// A real JPEG made unique by bytes after its end marker.
		body := []byte(tinyJPEG(int(version)))
		for j := 0; j < 6000+i; j++ {
			body = append(body, byte(i*31+j*int(version)))
		}
		files[fmt.Sprintf("images/v%d-%03d.jpg", version, i)] = string(body)
	}
	d := release(t, files)
	signDir(t, d, info(version), signer)
	return d
}

// TestKill9DuringApplyLeavesOldOrNewNeverAMix kills a process applying
// release 6 over release 5 at ≥ 50 random moments; after each, the store
// must trust exactly 5 or 6, with every file of that release present and
// hash-checked.
func TestKill9DuringApplyLeavesOldOrNewNeverAMix(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	k := newKeys(t, "hq-a")
	pol := Policy{Trust: []Trust{{Library: "cairn", Keys: k.verifiers("hq-a"), Threshold: 1}}, Region: "fr", Now: now}
	v5 := crashRelease(t, 5, k["hq-a"][0])
	v6 := crashRelease(t, 6, k["hq-a"][0])

	// A store that trusts v5, copied afresh for every round.
	template := t.TempDir()
	func() {
		c, err := cache.Open(cache.Options{Dir: template})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		src, _ := OpenSource(v5)
		defer src.Close()
		if _, err := NewStore(c).Apply(src, pol, nil); err != nil {
			t.Fatal(err)
		}
	}()

	const rounds = 50
	counts := map[uint64]int{}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < rounds; round++ {
		dir := filepath.Join(t.TempDir(), "db")
		copyDir(t, template, dir)
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperApply$")
		cmd.Env = append(os.Environ(), "OUTPOST_APPLY_DB="+dir, "OUTPOST_APPLY_SRC="+v6,
			"OUTPOST_APPLY_KEY="+k["hq-a"][1])
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill after a random number of verified files (0–344: some land
		// before the first write, some after the switch).
		at := rng.IntN(345)
		sc := bufio.NewScanner(out)
		seen := 0
		for seen < at && sc.Scan() {
			seen++
		}
		time.Sleep(time.Duration(rng.IntN(300)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		io.Copy(io.Discard, out)
		cmd.Wait()

		v := checkWhole(t, dir, pol)
		counts[v]++
	}
	t.Logf("after %d kills: %d rounds trusted v5, %d trusted v6, 0 mixed", rounds, counts[5], counts[6])
	if counts[5] == 0 || counts[6] == 0 {
		t.Fatalf("kills did not land on both sides of the switch: %v", counts)
	}
}

// checkWhole reopens the store and checks that the trusted release is
// complete: every listed file's blob is there and matches its hash.
func checkWhole(t *testing.T, dir string, pol Policy) uint64 {
	t.Helper()
	c, err := cache.Open(cache.Options{Dir: dir})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer c.Close()
	st := NewStore(c)
	rec, err := st.Record("cairn")
	if err != nil || rec == nil {
		t.Fatalf("no trusted release after kill: %v", err)
	}
	// Re-verify the stored manifest as on import.
	if _, err := VerifyManifest(rec.Note, Policy{Trust: pol.Trust, Now: now}); err != nil {
		t.Fatalf("stored manifest no longer verifies: %v", err)
	}
	m, err := rec.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		if _, err := st.Blob(f.SHA256); err != nil {
			t.Fatalf("v%d is missing %s after a kill: %v (a mixed state)", rec.Version, f.Path, err)
		}
	}
	if _, err := st.Content(rec); err != nil {
		t.Fatalf("content of v%d: %v", rec.Version, err)
	}
	return rec.Version
}

func TestHelperApply(t *testing.T) {
	dir := os.Getenv("OUTPOST_APPLY_DB")
	if dir == "" {
		t.Skip("helper process only")
	}
	c, err := cache.Open(cache.Options{Dir: dir})
	if err != nil {
		panic(err)
	}
	src, err := OpenSource(os.Getenv("OUTPOST_APPLY_SRC"))
	if err != nil {
		panic(err)
	}
	pol := Policy{Trust: []Trust{{Library: "cairn", Keys: []string{os.Getenv("OUTPOST_APPLY_KEY")}, Threshold: 1}}, Region: "fr", Now: now}
	w := bufio.NewWriter(os.Stdout)
	_, err = NewStore(c).Apply(src, pol, func(p task.Progress) {
		w.WriteString(strconv.FormatInt(p.Done, 10) + "\n")
		w.Flush()
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("applied")
	c.Close()
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}
