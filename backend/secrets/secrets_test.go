package secrets

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
)

// memBackend is a working keychain.
type memBackend struct {
	mu    sync.Mutex
	items map[string]string
	calls int
}

func (m *memBackend) Get(s, a string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	v, ok := m.items[s+"|"+a]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (m *memBackend) Set(s, a, v string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	m.items[s+"|"+a] = v
	return nil
}

func (m *memBackend) Delete(s, a string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if _, ok := m.items[s+"|"+a]; !ok {
		return ErrNotFound
	}
	delete(m.items, s+"|"+a)
	return nil
}

// brokenBackend is a keychain that cannot be reached.
type brokenBackend struct{ calls int }

var errNoService = errors.New("org.freedesktop.DBus.Error.ServiceUnknown")

func (b *brokenBackend) Get(string, string) (string, error) { b.calls++; return "", errNoService }
func (b *brokenBackend) Set(string, string, string) error   { b.calls++; return errNoService }
func (b *brokenBackend) Delete(string, string) error        { b.calls++; return errNoService }

// stuckBackend never answers, like a Secret Service waiting on a prompt.
type stuckBackend struct{ release chan struct{} }

func (s stuckBackend) Get(string, string) (string, error) { <-s.release; return "", nil }
func (s stuckBackend) Set(string, string, string) error   { <-s.release; return nil }
func (s stuckBackend) Delete(string, string) error        { <-s.release; return nil }

const hub = "https://hub.example.com"

func TestTheKeychainKeepsOneTokenPerHubAndUser(t *testing.T) {
	b := &memBackend{items: map[string]string{}}
	k := NewWith(b, time.Second)
	if k.State() != Unknown || b.calls != 0 {
		t.Fatalf("a new keychain is touched: state %s, %d calls", k.State(), b.calls)
	}
	if tok, err := k.Get(hub, "designer.fr"); tok != "" || err != nil || k.State() != OK {
		t.Fatalf("Get before Set = %q, %v, %s", tok, err, k.State())
	}
	if err := k.Set(hub, "designer.fr", "tok-1"); err != nil {
		t.Fatal(err)
	}
	if err := k.Set("http://127.0.0.1:8787", "designer.fr", "tok-2"); err != nil {
		t.Fatal(err)
	}
	if got := b.items[Service+"|designer.fr@"+hub]; got != "tok-1" {
		t.Fatalf("stored under the wrong account: %v", b.items)
	}
	if tok, _ := k.Get(hub, "designer.fr"); tok != "tok-1" {
		t.Fatalf("Get = %q", tok)
	}
	if tok, _ := k.Get(hub, "approver.fr"); tok != "" {
		t.Fatalf("another user's token: %q", tok)
	}
	if err := k.Delete(hub, "designer.fr"); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(hub, "designer.fr"); err != nil {
		t.Fatalf("deleting an absent token: %v", err)
	}
	if tok, _ := k.Get(hub, "designer.fr"); tok != "" {
		t.Fatalf("deleted token still there: %q", tok)
	}
	if tok, _ := k.Get("http://127.0.0.1:8787", "designer.fr"); tok != "tok-2" {
		t.Fatalf("the other hub's token went too: %q", tok)
	}
}

func TestWithoutAKeychainTheTokenLivesInMemoryForThisRunOnly(t *testing.T) {
	b := &brokenBackend{}
	k := NewWith(b, time.Second)
	err := k.Set(hub, "designer.fr", "tok-1")
	if fault.CodeOf(err) != CodeUnavailable || fault.KindOf(err) != fault.Unavailable {
		t.Fatalf("Set without a keychain = %v", err)
	}
	if k.State() != Unavailable {
		t.Fatalf("state %s", k.State())
	}
	// Signed in for this run.
	if tok, err := k.Get(hub, "designer.fr"); tok != "tok-1" || err != nil {
		t.Fatalf("Get this run = %q, %v", tok, err)
	}
	if err := k.Delete(hub, "designer.fr"); err != nil {
		t.Fatalf("Delete of an in-memory token: %v", err)
	}
	if tok, err := k.Get(hub, "designer.fr"); tok != "" || fault.CodeOf(err) != CodeUnavailable {
		t.Fatalf("after Delete = %q, %v", tok, err)
	}

	// The next run starts with nothing: the token was never written anywhere.
	next := NewWith(b, time.Second)
	if tok, err := next.Get(hub, "designer.fr"); tok != "" || fault.CodeOf(err) != CodeUnavailable || next.State() != Unavailable {
		t.Fatalf("next run = %q, %v, %s", tok, err, next.State())
	}
}

func TestAKeychainThatNeverAnswersCountsAsUnavailable(t *testing.T) {
	s := stuckBackend{release: make(chan struct{})}
	defer close(s.release)
	k := NewWith(s, 50*time.Millisecond)
	start := time.Now()
	err := k.Set(hub, "designer.fr", "tok")
	if fault.CodeOf(err) != CodeUnavailable || time.Since(start) > 5*time.Second {
		t.Fatalf("Set = %v after %s", err, time.Since(start))
	}
	if tok, _ := k.Get(hub, "designer.fr"); tok != "tok" {
		t.Fatalf("the in-memory fallback lost the token: %q", tok)
	}
}

// TestTheRealKeychain runs against the operating system's keychain when one
// answers (on Linux, a Secret Service such as an unlocked gnome-keyring on
// the session bus, as .ci/e2e.sh starts).
func TestTheRealKeychain(t *testing.T) {
	k := New()
	user := fmt.Sprintf("outpost-test-%d", time.Now().UnixNano())
	const testHub = "http://127.0.0.1:1"
	if err := k.Set(testHub, user, "secret-token"); err != nil {
		if fault.CodeOf(err) == CodeUnavailable {
			t.Skipf("no keychain reachable here (%v); the in-memory fallback is tested above", errors.Unwrap(err))
		}
		t.Fatal(err)
	}
	defer k.Delete(testHub, user)
	// A fresh Keychain reads it back: it is in the OS keychain, not in memory.
	tok, err := New().Get(testHub, user)
	if err != nil || tok != "secret-token" {
		t.Fatalf("Get = %q, %v", tok, err)
	}
	if err := k.Delete(testHub, user); err != nil {
		t.Fatal(err)
	}
	if tok, err := New().Get(testHub, user); tok != "" || err != nil {
		t.Fatalf("after Delete = %q, %v", tok, err)
	}
	if !strings.Contains(Account(testHub, user), testHub) {
		t.Fatal("the account names its hub")
	}
}
