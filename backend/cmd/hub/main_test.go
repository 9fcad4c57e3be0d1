package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hub"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
)

// TestServeDemo: `hub serve --demo` on a free port answers /v1/health, signs
// in a demo designer and lists the sample library; it shuts down on cancel
// and seeds again idempotently on the next start.
func TestServeDemo(t *testing.T) {
	dir := t.TempDir()
	for round := range 2 {
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		s, err := setupServe([]string{"--data", dir, "--addr", "127.0.0.1:0", "--demo"}, io.Discard, log)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.run(ctx) }()
		base := "http://" + s.ln.Addr().String()

		resp, err := http.Get(base + hubapi.PathHealth)
		if err != nil {
			t.Fatal(err)
		}
		var health hubapi.Health
		json.NewDecoder(resp.Body).Decode(&health)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || health.Status != "ok" || health.Version != version {
			t.Fatalf("health: %d %+v", resp.StatusCode, health)
		}

		body, _ := json.Marshal(hubapi.Login{User: "designer.fr", Password: hub.DemoPassword})
		resp, err = http.Post(base+hubapi.PathSessions, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var sess hubapi.Session
		json.NewDecoder(resp.Body).Decode(&sess)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated || sess.User.Region != "fr" || sess.Token == "" {
			t.Fatalf("login: %d %+v", resp.StatusCode, sess.User)
		}

		req, _ := http.NewRequest(http.MethodGet, base+hubapi.PathLibraries, nil)
		req.Header.Set("Authorization", "Bearer "+sess.Token)
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var heads []hubapi.LibraryHead
		json.NewDecoder(resp.Body).Decode(&heads)
		resp.Body.Close()
		if len(heads) != 1 || heads[0].Library != "cairn-sample" {
			t.Fatalf("libraries: %+v", heads)
		}

		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("round %d: run: %v", round, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the server did not shut down")
		}
		for _, want := range []string{"hub listening", "addr=127.0.0.1:", "demo accounts ready", "password=outpost-demo", "pattern=\"POST /v1/sessions\""} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("round %d: log lacks %q:\n%s", round, want, logs.String())
			}
		}
		if strings.Contains(logs.String(), sess.Token) {
			t.Fatal("the token reached the log")
		}
	}
}

// TestOfflineCommands: user add (password from stdin or a file, never a
// flag), user disable, release add with a trust file.
func TestOfflineCommands(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	runCmd := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), args, strings.NewReader(stdin), &out, io.Discard, log)
		return out.String(), err
	}

	out, err := runCmd("correct horse battery\n", "user", "add", "--data", dir, "--name", "admin", "--role", "hq_admin")
	if err != nil || !strings.Contains(out, "added admin (hq_admin, region *)") {
		t.Fatalf("user add: %q %v", out, err)
	}
	if _, err := runCmd("correct horse battery\n", "user", "add", "--data", dir, "--name", "admin", "--role", "hq_admin"); !fault.Is(err, hubapi.CodeUserExists) {
		t.Fatalf("user add twice: %v", err)
	}
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("another long password\r\n"), 0o600)
	if _, err := runCmd("", "user", "add", "--data", dir, "--name", "designer.fr", "--role", "designer", "--region", "fr", "--display-name", "Dana", "--password-file", pw); err != nil {
		t.Fatalf("user add --password-file: %v", err)
	}
	if _, err := runCmd("", "user", "add", "--data", dir, "--name", "x.y", "--role", "designer", "--region", "fr", "--password", "on the command line"); err == nil {
		t.Fatal("a --password flag was accepted")
	}
	if _, err := runCmd("short\n", "user", "add", "--data", dir, "--name", "x.y", "--role", "designer", "--region", "fr"); !fault.Is(err, hubapi.CodeUserInvalid) {
		t.Fatalf("short password: %v", err)
	}
	if out, err := runCmd("", "user", "disable", "--data", dir, "--name", "designer.fr"); err != nil || !strings.Contains(out, "disabled designer.fr") {
		t.Fatalf("user disable: %q %v", out, err)
	}
	if _, err := runCmd("", "user", "disable", "--data", dir, "--name", "nobody"); !fault.Is(err, hubapi.CodeNotFound) {
		t.Fatalf("disable unknown: %v", err)
	}

	// A release signed with a fresh key, pinned in a trust file.
	signer, verifier, err := library.GenerateKey("hq-test")
	if err != nil {
		t.Fatal(err)
	}
	rel := t.TempDir()
	os.WriteFile(filepath.Join(rel, library.ContentFile), []byte(`{"locales":["en"]}`), 0o644)
	os.WriteFile(filepath.Join(rel, "readme.txt"), []byte("hello\n"), 0o644)
	m, err := library.BuildManifest(rel, library.ReleaseInfo{Library: "tiny", Name: "Tiny", Regions: []string{"fr"}, Version: 1,
		Created: time.Now().Add(-time.Hour), Expires: time.Now().Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	signed, _ := library.Sign(m, signer)
	os.WriteFile(filepath.Join(rel, library.ManifestFile), signed, 0o644)
	trust := filepath.Join(t.TempDir(), "trust.json")
	tj, _ := json.Marshal(map[string]any{"libraries": []any{map[string]any{"library": "tiny", "keys": []string{verifier}, "threshold": 1}}})
	os.WriteFile(trust, tj, 0o644)

	if _, err := runCmd("", "release", "add", "--data", dir, rel); !fault.Is(err, library.CodeUnknownKey) {
		t.Fatalf("release add without trust: %v", err)
	}
	if out, err := runCmd("", "release", "add", "--data", dir, "--trust", trust, rel); err != nil || !strings.Contains(out, "published tiny version 1: 2 files") {
		t.Fatalf("release add: %q %v", out, err)
	}
	if _, err := runCmd("", "release", "add", "--data", dir, "--trust", trust, rel); err != nil {
		t.Fatalf("release add again: %v", err)
	}
	if _, err := runCmd("", "release", "add", "--data", dir, "--trust", filepath.Join(dir, "missing.json"), rel); err == nil {
		t.Fatal("a missing trust file was accepted")
	}
	if _, err := runCmd("", "frobnicate"); !errors.Is(err, errUsage) {
		t.Fatalf("unknown command: %v", err)
	}
}
