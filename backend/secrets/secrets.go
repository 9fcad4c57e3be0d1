// Package secrets keeps the hub's session token in the operating system's
// keychain (macOS Keychain, Windows Credential Manager, the Secret Service on
// Linux) and never in a file. Without a keychain the token lives in memory
// for this run only.
package secrets

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/outpost-studio/outpost/backend/fault"
)

// CodeUnavailable: the keychain cannot be reached (no Secret Service on this
// Linux session, a locked keychain that was not unlocked, a timeout). The
// token is kept in memory for this run; the user signs in again next time.
const CodeUnavailable fault.Code = "secrets.keychain_unavailable"

// Service is the keychain's service name for Outpost's hub tokens; each
// item's account is Account(hubURL, user).
const Service = "io.outpost.hub"

// Timeout bounds one keychain call. The Secret Service may show an unlock
// prompt, so it is generous; a keychain that never answers counts as
// unavailable.
const Timeout = 90 * time.Second

// Account names one token: the hub user at one hub.
func Account(hubURL, user string) string { return user + "@" + hubURL }

// Backend is a keychain: go-keyring's functions or a stand-in in tests.
// Get returns keyring.ErrNotFound for an absent item.
type Backend interface {
	Get(service, account string) (string, error)
	Set(service, account, secret string) error
	Delete(service, account string) error
}

// ErrNotFound is what a Backend returns for an absent item.
var ErrNotFound = keyring.ErrNotFound

type osKeychain struct{}

func (osKeychain) Get(s, a string) (string, error) {
	if err := sessionBus(); err != nil {
		return "", err
	}
	return keyring.Get(s, a)
}

func (osKeychain) Set(s, a, v string) error {
	if err := sessionBus(); err != nil {
		return err
	}
	return keyring.Set(s, a, v)
}

func (osKeychain) Delete(s, a string) error {
	if err := sessionBus(); err != nil {
		return err
	}
	return keyring.Delete(s, a)
}

var errNoSessionBus = errors.New("no D-Bus session bus, so no Secret Service")

// sessionBus checks, where the keychain is the Secret Service, that a D-Bus
// session bus exists. Without one, the D-Bus library would run dbus-launch
// and leave a bus daemon behind for a keychain that is not there.
func sessionBus() error {
	switch runtime.GOOS {
	case "darwin", "windows":
		return nil
	}
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	}
	if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
		return nil
	}
	return errNoSessionBus
}

// State says where tokens are kept.
type State string

// States. Unknown until the keychain is first used: Outpost never touches it
// before there is a token to read or keep (a locked keychain would prompt).
const (
	Unknown     State = "unknown"
	OK          State = "ok"
	Unavailable State = "unavailable" // tokens are kept in memory, for this run only
)

// Keychain stores tokens by hub and user.
type Keychain struct {
	backend Backend
	timeout time.Duration

	mu    sync.Mutex
	state State
	mem   map[string]string // the fallback: this run only
}

// New returns the operating system's keychain.
func New() *Keychain { return NewWith(osKeychain{}, Timeout) }

// NewWith returns a keychain over backend, each call bounded by timeout.
func NewWith(backend Backend, timeout time.Duration) *Keychain {
	return &Keychain{backend: backend, timeout: timeout, state: Unknown, mem: map[string]string{}}
}

// State reports where tokens went the last time the keychain was used.
func (k *Keychain) State() State {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.state
}

// Get returns the token of user at hubURL, "" when none is stored. When the
// keychain cannot be reached it returns "" (or the token kept in memory this
// run) and an error of code CodeUnavailable.
func (k *Keychain) Get(hubURL, user string) (string, error) {
	acct := Account(hubURL, user)
	k.mu.Lock()
	tok, inMem := k.mem[acct]
	k.mu.Unlock()
	if inMem {
		return tok, nil
	}
	var v string
	err := k.do(func(b Backend) error {
		var err error
		v, err = b.Get(Service, acct)
		return err
	})
	switch {
	case err == nil:
		k.setState(OK)
		return v, nil
	case errors.Is(err, ErrNotFound):
		k.setState(OK)
		return "", nil
	}
	k.setState(Unavailable)
	return "", unavailable("secrets.Get", err)
}

// Set keeps token for user at hubURL. When the keychain cannot be reached
// the token is kept in memory for this run and Set returns an error of code
// CodeUnavailable: the caller is signed in, but only until the app quits.
func (k *Keychain) Set(hubURL, user, token string) error {
	acct := Account(hubURL, user)
	err := k.do(func(b Backend) error { return b.Set(Service, acct, token) })
	k.mu.Lock()
	defer k.mu.Unlock()
	if err != nil {
		k.state = Unavailable
		k.mem[acct] = token
		return unavailable("secrets.Set", err)
	}
	k.state = OK
	delete(k.mem, acct)
	return nil
}

// Delete forgets the token of user at hubURL, in memory and in the keychain.
// An absent token is not an error.
func (k *Keychain) Delete(hubURL, user string) error {
	acct := Account(hubURL, user)
	k.mu.Lock()
	_, inMem := k.mem[acct]
	delete(k.mem, acct)
	state := k.state
	k.mu.Unlock()
	if inMem && state == Unavailable {
		return nil // it never reached the keychain
	}
	err := k.do(func(b Backend) error { return b.Delete(Service, acct) })
	if err == nil || errors.Is(err, ErrNotFound) {
		k.setState(OK)
		return nil
	}
	k.setState(Unavailable)
	return unavailable("secrets.Delete", err)
}

func (k *Keychain) setState(s State) {
	k.mu.Lock()
	k.state = s
	k.mu.Unlock()
}

var errTimeout = errors.New("the keychain did not answer in time")

// do runs one keychain call, giving up after the timeout (the call itself
// cannot be interrupted and ends on its own).
func (k *Keychain) do(fn func(Backend) error) (err error) {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- errors.New("keychain call panicked")
			}
		}()
		done <- fn(k.backend)
	}()
	t := time.NewTimer(k.timeout)
	defer t.Stop()
	select {
	case err = <-done:
		return err
	case <-t.C:
		return errTimeout
	}
}

func unavailable(op string, err error) *fault.Error {
	return fault.New(fault.Unavailable, CodeUnavailable, op).Wrap(err)
}
