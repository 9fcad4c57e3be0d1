package settings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
)

func TestMissingFileGivesDefaultsWithoutWarning(t *testing.T) {
	st, warning, err := Open(filepath.Join(t.TempDir(), "Outpost", FileName))
	if err != nil || warning != nil {
		t.Fatalf("Open = %v, %v", warning, err)
	}
	if st.Get() != Defaults() {
		t.Fatalf("Get = %+v, want defaults", st.Get())
	}
}

func TestSaveThenReopenKeepsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Outpost", FileName)
	st, _, _ := Open(path)
	in := Settings{HubURL: "  https://hub.example.com/ ", DisplayName: " Léa Martin ", Language: "fr", DataDir: filepath.Join(t.TempDir(), "data")}
	saved, err := st.Save(in)
	if err != nil {
		t.Fatal(err)
	}
	if saved.HubURL != "https://hub.example.com" || saved.DisplayName != "Léa Martin" {
		t.Fatalf("Save did not normalize: %+v", saved)
	}
	again, warning, err := Open(path)
	if err != nil || warning != nil {
		t.Fatalf("reopen: %v, %v", warning, err)
	}
	if again.Get() != saved {
		t.Fatalf("reopened %+v, saved %+v", again.Get(), saved)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("save left extra files: %v", entries)
	}
	if info, _ := os.Stat(path); info.Mode().Perm()&0o077 != 0 {
		t.Errorf("settings file mode %v is readable by others", info.Mode().Perm())
	}
}

func TestInvalidSettingsAreRefusedAndNothingChanges(t *testing.T) {
	good := Settings{HubURL: "https://hub.example.com", DisplayName: "Ana", Language: "en"}
	tests := []struct {
		name  string
		edit  func(*Settings)
		code  fault.Code
		field string
	}{
		{"ftp hub", func(s *Settings) { s.HubURL = "ftp://hub.example.com" }, CodeHubURLInvalid, "hubUrl"},
		{"hub without host", func(s *Settings) { s.HubURL = "https://" }, CodeHubURLInvalid, "hubUrl"},
		{"hub not a URL", func(s *Settings) { s.HubURL = "hub example" }, CodeHubURLInvalid, "hubUrl"},
		{"hub with password", func(s *Settings) { s.HubURL = "https://u:p@hub.example.com" }, CodeHubURLInvalid, "hubUrl"},
		{"plain http to a remote hub", func(s *Settings) { s.HubURL = "http://hub.example.com" }, CodeHubURLInsecure, "hubUrl"},
		{"name with control character", func(s *Settings) { s.DisplayName = "Ana\x07" }, CodeDisplayNameInvalid, "displayName"},
		{"name too long", func(s *Settings) { s.DisplayName = strings.Repeat("é", MaxDisplayName+1) }, CodeDisplayNameTooLong, "displayName"},
		{"unknown language", func(s *Settings) { s.Language = "tlh" }, CodeLanguageUnknown, "language"},
		{"relative data folder", func(s *Settings) { s.DataDir = "data/outpost" }, CodeDataDirRelative, "dataDir"},
		{"hub user with control character", func(s *Settings) { s.HubUser = "ana\n" + "x" }, CodeHubUserInvalid, "hubUser"},
		{"hub user too long", func(s *Settings) { s.HubUser = strings.Repeat("a", MaxHubUser+1) }, CodeHubUserInvalid, "hubUser"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), FileName)
			st, _, _ := Open(path)
			if _, err := st.Save(good); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(path)

			bad := good
			tt.edit(&bad)
			got, err := st.Save(bad)
			e, ok := fault.As(err)
			if !ok || e.Code != tt.code || e.Kind != fault.Invalid || e.Params["field"] != tt.field {
				t.Fatalf("Save(%+v) error = %v, want code %s on field %s", bad, err, tt.code, tt.field)
			}
			if got != good || st.Get() != good {
				t.Fatalf("after a refused save: returned %+v, current %+v, want %+v", got, st.Get(), good)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Fatal("a refused save changed the file")
			}
		})
	}
}

func TestAcceptedHubURLs(t *testing.T) {
	for _, u := range []string{"", "https://hub.example.com", "https://hub.example.com:8443/outpost", "http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787"} {
		if err := (Settings{HubURL: u}).Validate(); err != nil {
			t.Errorf("%q refused: %v", u, err)
		}
	}
}

func TestDamagedFileGivesDefaultsAWarningAndIsKept(t *testing.T) {
	tests := []struct {
		name    string
		content []byte
	}{
		{"truncated JSON", []byte(`{"hubUrl": "https://hub.exa`)},
		{"not JSON", []byte("\x00\x01binary garbage")},
		{"wrong types", []byte(`{"hubUrl": 42}`)},
		{"invalid value", []byte(`{"language": "tlh"}`)},
		{"empty file", []byte{}},
		{"too large", append([]byte(`{"displayName":"`), bytes.Repeat([]byte("a"), MaxFileSize)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			st, warning, err := Open(path)
			if err != nil {
				t.Fatalf("Open failed instead of warning: %v", err)
			}
			e, ok := fault.As(warning)
			if !ok || e.Code != CodeCorrupt || e.Kind != fault.Corrupt {
				t.Fatalf("warning = %v, want %s", warning, CodeCorrupt)
			}
			if st.Get() != Defaults() {
				t.Fatalf("settings = %+v, want defaults", st.Get())
			}
			kept := e.Params["kept"]
			if kept == "" || filepath.Dir(kept) != dir {
				t.Fatalf("warning does not say where the damaged file was kept: %v", e.Params)
			}
			if b, err := os.ReadFile(kept); err != nil || !bytes.Equal(b, tt.content) {
				t.Fatalf("kept file lost the original bytes: %v", err)
			}
			// The user can carry on: saving works and the next start is clean.
			if _, err := st.Save(Settings{Language: "en"}); err != nil {
				t.Fatal(err)
			}
			if _, warning, _ := Open(path); warning != nil {
				t.Fatalf("warning after a good save: %v", warning)
			}
		})
	}
}

func TestUnknownFieldsFromANewerVersionAreNotDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	os.WriteFile(path, []byte(`{"hubUrl":"https://hub.example.com","futureOption":true}`), 0o600)
	st, warning, err := Open(path)
	if err != nil || warning != nil || st.Get().HubURL != "https://hub.example.com" {
		t.Fatalf("Open = %+v, %v, %v", st.Get(), warning, err)
	}
}

func TestUnreadablePathIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.Mkdir(path, 0o700); err != nil { // a folder where the file should be
		t.Fatal(err)
	}
	st, _, err := Open(path)
	if fault.CodeOf(err) != CodeUnreadable {
		t.Fatalf("err = %v, want %s", err, CodeUnreadable)
	}
	if st == nil || st.Get() != Defaults() {
		t.Fatal("Open must still return a usable store with defaults")
	}
}

func TestWriteFailureKeepsCurrentSettings(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "not-a-folder")
	os.WriteFile(blocker, []byte("x"), 0o600)
	st, _, _ := Open(filepath.Join(blocker, FileName)) // its parent is a file
	_, err := st.Save(Settings{DisplayName: "Ana"})
	if fault.CodeOf(err) != CodeWriteFailed || fault.KindOf(err) != fault.Unavailable {
		t.Fatalf("err = %v, want %s", err, CodeWriteFailed)
	}
	if st.Get() != Defaults() {
		t.Fatalf("failed save changed the settings: %+v", st.Get())
	}
}

// TestKilledDuringSavesLeavesOldOrNewNeverAMix kills a process that saves
// settings in a loop, at random moments, and checks that the file always
// holds one complete version.
func TestKilledDuringSavesLeavesOldOrNewNeverAMix(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	path := filepath.Join(t.TempDir(), FileName)
	for round := 0; round < 12; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=TestHelperSaveLoop")
		cmd.Env = append(os.Environ(), "OUTPOST_SETTINGS_HELPER="+path)
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 1)
		stdout.Read(buf) // the helper has saved at least once
		time.Sleep(time.Duration(1+round*3) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		st, warning, err := Open(path)
		if err != nil || warning != nil {
			t.Fatalf("round %d: after kill -9: %v, %v", round, warning, err)
		}
		if name := st.Get().DisplayName; !strings.HasPrefix(name, "Designer ") {
			t.Fatalf("round %d: display name %q is not one the helper wrote", round, name)
		}
	}
}

func TestHelperSaveLoop(t *testing.T) {
	path := os.Getenv("OUTPOST_SETTINGS_HELPER")
	if path == "" {
		t.Skip("helper process only")
	}
	st, _, _ := Open(path)
	for i := 0; ; i++ {
		if _, err := st.Save(Settings{DisplayName: fmt.Sprintf("Designer %d", i), HubURL: "https://hub.example.com/" + strings.Repeat("x", i%500)}); err != nil {
			panic(err)
		}
		if i == 0 {
			os.Stdout.Write([]byte("s"))
		}
	}
}

func TestSavedFileIsReadableJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	st, _, _ := Open(path)
	st.Save(Settings{HubURL: "https://hub.example.com", Language: "fr"})
	var m map[string]any
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["hubUrl"] != "https://hub.example.com" || m["language"] != "fr" {
		t.Fatalf("file = %s", b)
	}
}

func TestUpdateChangesOneFieldAndKeepsTheRest(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	st, _, _ := Open(path)
	st.Save(Settings{HubURL: "https://hub.example.com", Language: "fr"})
	when := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC).Format(time.RFC3339)
	got, err := st.Update(func(s *Settings) { s.HubUser, s.LastSync = "designer.fr", when })
	if err != nil || got.HubUser != "designer.fr" || got.LastSync != when || got.Language != "fr" {
		t.Fatalf("Update = %+v, %v", got, err)
	}
	if _, err := st.Update(func(s *Settings) { s.HubUser = "bad\x00" }); fault.CodeOf(err) != CodeHubUserInvalid {
		t.Fatalf("invalid Update = %v", err)
	}
	again, _, _ := Open(path)
	if again.Get() != got {
		t.Fatalf("reopened %+v, want %+v", again.Get(), got)
	}
	if b, _ := os.ReadFile(path); strings.Contains(strings.ToLower(string(b)), "token") {
		t.Fatalf("the settings file mentions a token: %s", b)
	}
}

func TestAnOddLastSyncDateIsForgottenNotDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	os.WriteFile(path, []byte(`{"hubUrl":"https://hub.example.com","lastSync":"yesterday"}`), 0o600)
	st, warning, err := Open(path)
	if err != nil || warning != nil || st.Get().LastSync != "" || st.Get().HubURL != "https://hub.example.com" {
		t.Fatalf("Open = %+v, %v, %v", st.Get(), warning, err)
	}
}
