// Package settings keeps the user's preferences in one JSON file, written
// atomically, and never fails to start the app over a damaged file.
package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/natefinch/atomic"

	"github.com/outpost-studio/outpost/backend/fault"
)

// Error codes raised by this package.
const (
	CodeHubURLInvalid      fault.Code = "settings.hub_url_invalid"
	CodeHubURLInsecure     fault.Code = "settings.hub_url_insecure"
	CodeDisplayNameInvalid fault.Code = "settings.display_name_invalid"
	CodeDisplayNameTooLong fault.Code = "settings.display_name_too_long"
	CodeLanguageUnknown    fault.Code = "settings.language_unknown"
	CodeDataDirRelative    fault.Code = "settings.data_dir_relative"
	CodeRegionInvalid      fault.Code = "settings.region_invalid"
	CodeHubUserInvalid     fault.Code = "settings.hub_user_invalid"
	CodeCorrupt            fault.Code = "settings.corrupt"
	CodeUnreadable         fault.Code = "settings.unreadable"
	CodeWriteFailed        fault.Code = "settings.write_failed"
	CodeNoConfigDir        fault.Code = "settings.no_config_dir"
)

// FileName is the settings file's name inside the config folder.
const FileName = "settings.json"

// MaxFileSize bounds what Load reads: a settings file is a few hundred bytes.
const MaxFileSize = 64 << 10

// MaxDisplayName is the longest display name, in characters.
const MaxDisplayName = 80

// Languages lists the UI languages Outpost ships. "" follows the system.
var Languages = []string{"en", "fr"}

// Settings are the user's preferences.
type Settings struct {
	HubURL      string `json:"hubUrl"`      // HQ hub, "" when working from the sample library
	DisplayName string `json:"displayName"` // shown on sign-offs and submissions
	Language    string `json:"language"`    // UI language; "" follows the system
	DataDir     string `json:"dataDir"`     // "" uses the default data folder
	Region      string `json:"region"`      // the office's region id, e.g. "fr"; "" until chosen
	// The hub account, kept by signing in and syncing, never by the
	// Settings form: the user name whose token the keychain holds (never
	// the token itself) and when the library was last synced (RFC 3339).
	HubUser  string `json:"hubUser"`
	LastSync string `json:"lastSync"`
}

// MaxHubUser is the longest hub user name, in characters.
const MaxHubUser = 128

// Defaults are the settings of a fresh install.
func Defaults() Settings { return Settings{} }

// Normalize trims what a user types around the values.
func (s Settings) Normalize() Settings {
	s.HubURL = strings.TrimRight(strings.TrimSpace(s.HubURL), "/")
	s.DisplayName = strings.TrimSpace(s.DisplayName)
	s.Language = strings.TrimSpace(s.Language)
	s.DataDir = strings.TrimSpace(s.DataDir)
	s.Region = strings.TrimSpace(s.Region)
	s.HubUser = strings.TrimSpace(s.HubUser)
	if _, err := time.Parse(time.RFC3339, s.LastSync); err != nil {
		s.LastSync = "" // only a date of ours; an odd one is forgotten
	}
	return s
}

// Validate reports the first thing wrong with s, as a *fault.Error whose
// "field" parameter names the setting.
func (s Settings) Validate() error {
	const op = "settings.Validate"
	if s.HubURL != "" {
		u, err := url.Parse(s.HubURL)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return fault.New(fault.Invalid, CodeHubURLInvalid, op).With("field", "hubUrl").With("url", s.HubURL)
		}
		if u.Scheme == "http" && !isLoopback(u.Hostname()) {
			return fault.New(fault.Invalid, CodeHubURLInsecure, op).With("field", "hubUrl").With("url", s.HubURL)
		}
	}
	if n := utf8.RuneCountInString(s.DisplayName); n > MaxDisplayName {
		return fault.New(fault.Invalid, CodeDisplayNameTooLong, op).With("field", "displayName").With("max", MaxDisplayName)
	}
	for _, r := range s.DisplayName {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return fault.New(fault.Invalid, CodeDisplayNameInvalid, op).With("field", "displayName")
		}
	}
	if s.Language != "" && !knownLanguage(s.Language) {
		return fault.New(fault.Invalid, CodeLanguageUnknown, op).With("field", "language").With("language", s.Language)
	}
	if s.Region != "" && !regionPattern.MatchString(s.Region) {
		return fault.New(fault.Invalid, CodeRegionInvalid, op).With("field", "region").With("region", s.Region)
	}
	if utf8.RuneCountInString(s.HubUser) > MaxHubUser || strings.IndexFunc(s.HubUser, func(r rune) bool {
		return unicode.IsControl(r) || r == utf8.RuneError
	}) >= 0 {
		return fault.New(fault.Invalid, CodeHubUserInvalid, op).With("field", "hubUser")
	}
	if s.DataDir != "" && !filepath.IsAbs(s.DataDir) {
		return fault.New(fault.Invalid, CodeDataDirRelative, op).With("field", "dataDir").With("path", s.DataDir)
	}
	return nil
}

var regionPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

func knownLanguage(l string) bool {
	for _, k := range Languages {
		if k == l {
			return true
		}
	}
	return false
}

// isLoopback allows plain http only to a hub on this machine (development).
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// DefaultPath is the settings file under os.UserConfigDir()/Outpost.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fault.New(fault.Unavailable, CodeNoConfigDir, "settings.DefaultPath").Wrap(err)
	}
	return filepath.Join(dir, "Outpost", FileName), nil
}

// Store holds the current settings and writes them to one file.
type Store struct {
	path string

	mu  sync.Mutex
	cur Settings
}

// Open loads the settings at path. A missing file gives the defaults. A
// damaged file (unreadable JSON, invalid values, too large) also gives the
// defaults, with a warning whose code says so; the damaged file is kept beside
// as "settings.json.damaged-<time>" so nothing the user had is lost. Open
// returns an error only when the file exists but cannot be read at all.
func Open(path string) (st *Store, warning error, err error) {
	const op = "settings.Open"
	st = &Store{path: path, cur: Defaults()}
	b, err := readLimited(path, MaxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil, nil
	}
	if err != nil && !errors.Is(err, errTooLarge) {
		return st, nil, fault.New(fault.Unavailable, CodeUnreadable, op).With("path", path).Wrap(err)
	}
	if err == nil {
		var s Settings
		dec := json.NewDecoder(bytes.NewReader(b))
		if err = dec.Decode(&s); err == nil {
			s = s.Normalize()
			if err = s.Validate(); err == nil {
				st.cur = s
				return st, nil, nil
			}
		}
	}
	kept := fmt.Sprintf("%s.damaged-%s", path, time.Now().UTC().Format("20060102T150405Z"))
	w := fault.New(fault.Corrupt, CodeCorrupt, op).With("path", path).Wrap(err)
	if rerr := os.Rename(path, kept); rerr == nil {
		w.With("kept", kept)
	}
	return st, w, nil
}

var errTooLarge = errors.New("file too large")

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", errTooLarge, limit)
	}
	return b, nil
}

// Path is the file the store writes.
func (st *Store) Path() string { return st.path }

// Get returns the current settings.
func (st *Store) Get() Settings {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.cur
}

// Update applies change to the current settings and saves the result as
// Save does, in one step: nothing else saves in between.
func (st *Store) Update(change func(*Settings)) (Settings, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.cur
	change(&s)
	return st.save(s)
}

// Save normalizes and validates s, then replaces the file atomically: after a
// crash the file holds either the old or the new settings, never a mix. On any
// error the current settings stay as they were.
func (st *Store) Save(s Settings) (Settings, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.save(s)
}

func (st *Store) save(s Settings) (Settings, error) {
	const op = "settings.Save"
	s = s.Normalize()
	if err := s.Validate(); err != nil {
		return st.cur, err
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return st.cur, fault.New(fault.Internal, fault.CodeInternal, op).Wrap(err)
	}
	b = append(b, '\n')

	if err := os.MkdirAll(filepath.Dir(st.path), 0o700); err != nil {
		return st.cur, fault.New(fault.Unavailable, CodeWriteFailed, op).With("path", st.path).Wrap(err)
	}
	if err := atomic.WriteFile(st.path, bytes.NewReader(b)); err != nil {
		return st.cur, fault.New(fault.Unavailable, CodeWriteFailed, op).With("path", st.path).Wrap(err)
	}
	st.cur = s
	return s, nil
}
