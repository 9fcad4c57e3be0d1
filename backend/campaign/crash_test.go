package campaign

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const crashEnv = "OUTPOST_CAMPAIGN_CRASH_DIR"

// TestCrashEditor is the child of TestKill9LosesNoAcknowledgedEdit: it edits
// one draft as fast as it can and prints "ack N" once edit N has returned.
func TestCrashEditor(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("run by TestKill9LosesNoAcknowledgedEdit")
	}
	s, _, _ := sampleStore(t, dir)
	id := os.Getenv(crashEnv + "_ID")
	start, _ := strconv.Atoi(os.Getenv(crashEnv + "_FROM"))
	out := bufio.NewWriter(os.Stdout)
	for n := start; ; n++ {
		// Alternate locales and slots so edits touch several maps.
		locale, slot := "fr", "headline"
		if n%3 == 1 {
			locale, slot = "de", "body"
		}
		if _, err := s.SetValue(id, locale, slot, fmt.Sprintf("edit %d", n)); err != nil {
			fmt.Fprintln(out, "error", err)
			out.Flush()
			os.Exit(3)
		}
		fmt.Fprintln(out, "ack", n)
		out.Flush()
	}
}

// TestKill9LosesNoAcknowledgedEdit kills an editing process ≥ 50 times at
// random moments; after every kill the draft must hold every edit the
// process had acknowledged (the newest per slot), and open cleanly.
func TestKill9LosesNoAcknowledgedEdit(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	var id string
	func() {
		s, ix, c := sampleStore(t, dir)
		id = newDraft(t, s, ix, "promo", "ch").ID
		c.Close()
	}()
	rounds := 50
	next := 0
	lastAck := -1
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashEditor$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+dir, crashEnv+"_ID="+id, crashEnv+"_FROM="+strconv.Itoa(next))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill after a random number of acknowledged edits (sometimes 0:
		// while the store is still opening) plus a random delay.
		want := rand.IntN(40)
		sc := bufio.NewScanner(stdout)
		acked := 0
		for acked < want && sc.Scan() {
			line := sc.Text()
			if n, ok := strings.CutPrefix(line, "ack "); ok {
				lastAck, _ = strconv.Atoi(n)
				acked++
			} else if strings.HasPrefix(line, "error") {
				t.Fatalf("round %d: child: %s", round, line)
			}
		}
		time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		// Edits acknowledged after we stopped counting count too.
		for sc.Scan() {
			if n, ok := strings.CutPrefix(sc.Text(), "ack "); ok {
				lastAck, _ = strconv.Atoi(n)
			}
		}
		_ = cmd.Wait()
		next = lastAck + 1

		// Reopen: every acknowledged edit is there.
		func() {
			s, _, c := sampleStore(t, dir)
			defer c.Close()
			got, err := s.Get(id)
			if err != nil {
				t.Fatalf("round %d: the draft is gone: %v", round, err)
			}
			if lastAck < 0 {
				return
			}
			check := func(locale, slot string, mod int) {
				// The newest acknowledged edit of this slot, or a newer one
				// that landed just before the kill.
				newest := -1
				for n := lastAck; n >= 0; n-- {
					if (n%3 == 1) == (mod == 1) {
						newest = n
						break
					}
				}
				if newest < 0 {
					return
				}
				v := got.Values[locale][slot]
				var n int
				if _, err := fmt.Sscanf(v, "edit %d", &n); err != nil || n < newest {
					t.Fatalf("round %d: %s/%s = %q, but edit %d was acknowledged", round, locale, slot, v, newest)
				}
			}
			check("fr", "headline", 0)
			check("de", "body", 1)
		}()
	}
	if lastAck < rounds {
		t.Fatalf("only %d edits acknowledged over %d rounds: the test did not exercise saving", lastAck+1, rounds)
	}
	t.Logf("%d kills, %d edits acknowledged, none lost", rounds, lastAck+1)
}
