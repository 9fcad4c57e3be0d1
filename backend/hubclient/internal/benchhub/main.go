// Command benchhub serves the sync benchmarks' releases from a real hub on
// loopback, so bench-sync.sh can time the desktop's sync and plain curl
// against the same server. It prints KEY=value lines, then READY, and serves
// until its standard input closes.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/outpost-studio/outpost/backend/hub"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/hubclient"
	"github.com/outpost-studio/outpost/backend/hubclient/internal/testrel"
	"github.com/outpost-studio/outpost/backend/library"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchhub:", err)
		os.Exit(1)
	}
}

func run() error {
	dir := flag.String("dir", "", "work folder (releases, hub data); required")
	flag.Parse()
	if *dir == "" {
		return fmt.Errorf("-dir is required")
	}
	ctx := context.Background()
	key, err := testrel.NewKey("hq-bench")
	if err != nil {
		return err
	}
	smallKey, err := testrel.NewKey("hq-bench-small")
	if err != nil {
		return err
	}
	big, small, err := testrel.BenchReleases(filepath.Join(*dir, "releases"), key, smallKey)
	if err != nil {
		return err
	}
	h, err := hub.Open(filepath.Join(*dir, "hub"), hub.Options{
		Trust: testrel.BenchTrust(key.Verifier, smallKey.Verifier),
		Now:   func() time.Time { return testrel.Now },
	})
	if err != nil {
		return err
	}
	defer h.Close()
	for _, r := range []*testrel.Release{big, small} {
		src, err := library.OpenSource(r.Dir)
		if err != nil {
			return err
		}
		_, err = h.Publish(ctx, src)
		src.Close()
		if err != nil {
			return err
		}
	}
	const user, password = "bench", "benchmark password"
	if _, err := h.AddUser(hubapi.NewUser{Name: user, Password: password, Role: hubapi.RoleDesigner, Region: "fr"}); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String()
	c, err := hubclient.New(url)
	if err != nil {
		return err
	}
	s, err := c.Login(ctx, user, password)
	if err != nil {
		return err
	}
	var shas strings.Builder
	for _, f := range big.Manifest.Files {
		fmt.Fprintln(&shas, f.SHA256)
	}
	blobs := filepath.Join(*dir, "blobs.txt")
	if err := os.WriteFile(blobs, []byte(shas.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("URL=%s\nTOKEN=%s\nPUB=%s\nPUB_SMALL=%s\nBLOBS=%s\nBYTES=%d\nFILES=%d\nREADY\n",
		url, s.Token, key.Verifier, smallKey.Verifier, blobs, big.Bytes, len(big.Manifest.Files))
	// Serve until the script closes our standard input.
	buf := make([]byte, 1)
	for {
		if _, err := os.Stdin.Read(buf); err != nil {
			return nil
		}
	}
}
