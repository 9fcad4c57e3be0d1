package outbox

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/hub"
	"github.com/outpost-studio/outpost/backend/hubclient"
	"github.com/outpost-studio/outpost/backend/secrets"
	"github.com/outpost-studio/outpost/backend/settings"
)

// TestKillDesktopHelper is the Go side of .ci/kill-desktop.sh, which kills
// the real desktop mid-drain; it skips unless the script runs it. It works
// on the desktop's own files, found as the app finds them (XDG_CONFIG_HOME,
// XDG_CACHE_HOME) and its keychain (the session bus), with a real hub at
// OUTPOST_KILL_HUB. OUTPOST_KILL_DESKTOP says what to do:
//
//   - signin: designer.fr signs in as HubService.Login does: the token in
//     the keychain, the hub and the user in settings.json.
//   - seed: OUTPOST_KILL_N submissions of the sample signed off by
//     approver.fr, queued in the desktop's outbox; their ids are appended to
//     the file OUTPOST_KILL_IDS. OUTPOST_KILL_CONTROL=lost also lists an id
//     it never queues; =extra also queues one it does not list. Either must
//     make the check fail.
//   - check: every listed id on the hub exactly once, nothing else there,
//     the outbox empty and each listed record delivered. It prints one line,
//     "kill-check: …", and fails on any difference. With OUTPOST_KILL_TIMES,
//     a file of the moments (Unix ms) each killed run was gone, it also
//     counts the submissions the hub created before a kill and the desktop
//     recorded as delivered after it: sent again by a later run, and
//     deduplicated by the hub (the kill fell between the hub's write and
//     the desktop's).
func TestKillDesktopHelper(t *testing.T) {
	mode := os.Getenv("OUTPOST_KILL_DESKTOP")
	if mode == "" {
		t.Skip("run by .ci/kill-desktop.sh")
	}
	url := os.Getenv("OUTPOST_KILL_HUB")
	if url == "" {
		t.Fatal("OUTPOST_KILL_HUB is not set")
	}
	switch mode {
	case "signin":
		killSignIn(t, url)
	case "seed":
		n, err := strconv.Atoi(os.Getenv("OUTPOST_KILL_N"))
		if err != nil || n <= 0 {
			t.Fatalf("OUTPOST_KILL_N: %v", err)
		}
		killSeed(t, url, n, os.Getenv("OUTPOST_KILL_IDS"), os.Getenv("OUTPOST_KILL_CONTROL"))
	case "check":
		killCheck(t, url, os.Getenv("OUTPOST_KILL_IDS"), os.Getenv("OUTPOST_KILL_TIMES"))
	default:
		t.Fatalf("OUTPOST_KILL_DESKTOP=%q", mode)
	}
}

func login(t *testing.T, url, user string) string {
	t.Helper()
	s, err := newClient(t, url, "").Login(context.Background(), user, hub.DemoPassword)
	if err != nil {
		t.Fatalf("%s signs in: %v", user, err)
	}
	return s.Token
}

func killSignIn(t *testing.T, url string) {
	const user = "designer.fr"
	tok := login(t, url, user)
	keys := secrets.New()
	if err := keys.Set(url, user, tok); err != nil || keys.State() != secrets.OK {
		t.Fatalf("keychain: %v (%s)", err, keys.State())
	}
	if got, err := secrets.New().Get(url, user); err != nil || got != tok {
		t.Fatalf("keychain read back: %v (same token: %v)", err, got == tok)
	}
	path, err := settings.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	st, warning, err := settings.Open(path)
	if err != nil || warning != nil {
		t.Fatalf("settings: %v, %v", err, warning)
	}
	if _, err := st.Update(func(s *settings.Settings) { s.HubURL, s.HubUser, s.Region = url, user, "fr" }); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s signed in to %s: token in the keychain as %s, settings in %s", user, url, secrets.Account(url, user), path)
}

// desktopOutbox opens the desktop's cache as the app does (openCache).
func desktopOutbox(t *testing.T) (*cache.Cache, *Outbox) {
	t.Helper()
	dir, err := cache.DefaultDataDir()
	if err != nil {
		t.Fatal(err)
	}
	c, err := cache.Open(cache.Options{Dir: cache.DBDir(dir)})
	if err != nil {
		t.Fatalf("the desktop's cache: %v", err)
	}
	return c, New(c)
}

func killSeed(t *testing.T, url string, n int, idsFile, control string) {
	s := newSampleOn(t, url, login(t, url, "approver.fr"), time.Now())
	c, ob := desktopOutbox(t)
	defer c.Close()
	ids := enqueueN(t, ob, s, n)
	switch control {
	case "":
	case "lost":
		ids = append(ids, NewID())
	case "extra":
		enqueueN(t, ob, s, 1)
	default:
		t.Fatalf("OUTPOST_KILL_CONTROL=%q", control)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(idsFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		fmt.Fprintln(f, id)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("queued %d submissions (control %q)", n, control)
}

// lines reads a file's non-empty lines; "" reads none.
func lines(t *testing.T, path string) []string {
	t.Helper()
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func killCheck(t *testing.T, url, idsFile, timesFile string) {
	ids := lines(t, idsFile)
	if len(ids) == 0 {
		t.Fatal("no seeded ids")
	}
	var kills []time.Time
	for _, l := range lines(t, timesFile) {
		ms, err := strconv.ParseInt(l, 10, 64)
		if err != nil {
			t.Fatalf("%s: %v", timesFile, err)
		}
		kills = append(kills, time.UnixMilli(ms))
	}

	heads, err := newClient(t, url, login(t, url, "reviewer"), hubclient.WithStallTimeout(10*time.Second)).Submissions(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	onHub := map[string]int{}
	for _, h := range heads {
		onHub[h.ID]++
	}
	seeded := map[string]bool{}
	repeated := 0
	var unique []string
	for _, id := range ids {
		if seeded[id] {
			repeated++ // the list itself is wrong
			continue
		}
		seeded[id] = true
		unique = append(unique, id)
	}
	lost, dups := tally(onHub, unique)
	unknown := 0
	for id := range onHub {
		if !seeded[id] {
			unknown++
		}
	}

	c, ob := desktopOutbox(t)
	defer c.Close()
	pending, err := ob.Pending()
	if err != nil {
		t.Fatal(err)
	}
	undelivered, retried, resent := 0, 0, 0
	for id := range seeded {
		rec, err := ob.Record(id)
		if err != nil || rec.Delivery != Delivered || rec.Hub == nil {
			undelivered++
			continue
		}
		if rec.Attempts > 1 {
			retried++
		}
		for _, k := range kills {
			if rec.Hub.Head.Submitted.Before(k) && rec.Delivered.After(k) {
				resent++
				break
			}
		}
	}
	fmt.Printf("kill-check: seeded %d, hub records %d, lost %d, duplicates %d, unknown %d, outbox pending %d, not delivered locally %d; "+
		"%d delivered on a second attempt or later, %d of them on the hub before a kill and recorded by a later run\n",
		len(seeded), len(heads), lost, dups, unknown, len(pending), undelivered, retried, resent)
	if lost != 0 || dups != 0 || unknown != 0 || repeated != 0 || len(pending) != 0 || undelivered != 0 {
		t.Fatal("not exactly once")
	}
}
