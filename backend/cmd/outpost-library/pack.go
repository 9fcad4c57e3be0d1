package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/pack"
)

// packMemoryLimit is the pack command's soft memory limit.
const packMemoryLimit = 512 << 20

// packCmd verifies a release as verify does, keeps it in a local store
// (a throwaway one unless -cache names a folder, which then also keeps the
// renditions for the next run) and exports an asset pack from it.
func packCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("pack", flag.ContinueOnError)
	release := fs.String("release", "", "release folder or zip")
	var pubs multi
	fs.Var(&pubs, "pub", "verifier key file (repeat)")
	threshold := fs.Int("threshold", 1, "distinct keys needed")
	region := fs.String("region", "", "the office's region: the release must serve it, assets are checked against it")
	presets := fs.String("presets", "", "comma-separated preset ids (default all)")
	assets := fs.String("assets", "", "comma-separated asset ids (default every image)")
	date := fs.String("date", "", "export date YYYY-MM-DD (expiry is checked against it; default today)")
	out := fs.String("out", "", "the pack to write, a .zip")
	strict := fs.Bool("strict", false, "fail on the first asset that cannot be rendered")
	workers := fs.Int("workers", 0, "sources decoded at a time (default the number of CPUs)")
	cacheDir := fs.String("cache", "", "keep the release and renditions in this folder between runs")
	now := fs.String("now", "", "check the release's expiry at this time (default now)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *release == "" || *out == "" || fs.NArg() != 0 {
		return fmt.Errorf("pack: give -release and -out (and no other arguments)")
	}
	// Each worker holds one decoded photo (up to ~120 MB for 24 MP) and
	// drops it for the next: a soft limit makes the collector return that
	// memory before the heap doubles. GOMEMLIMIT, when set, wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(packMemoryLimit)
	}
	var keys []string
	for _, p := range pubs {
		k, err := readKey(p)
		if err != nil {
			return err
		}
		keys = append(keys, k)
	}
	at := time.Now()
	if *now != "" {
		var err error
		if at, err = parseTime(*now); err != nil {
			return fmt.Errorf("pack: -now: %w", err)
		}
	}
	day := *date
	if day == "" {
		day = time.Now().Format(time.DateOnly)
	}

	dir := *cacheDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "outpost-pack-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	c, err := cache.Open(cache.Options{Dir: dir})
	if err != nil {
		return err
	}
	defer c.Close()
	st := library.NewStore(c)

	src, err := library.OpenSource(*release)
	if err != nil {
		return err
	}
	defer src.Close()
	lib, err := library.PeekLibrary(src)
	if err != nil {
		return err
	}
	pol := library.Policy{Region: *region, Now: at, Trust: []library.Trust{{Library: lib, Keys: keys, Threshold: *threshold}}}
	rec, err := st.Apply(library.WithContext(ctx, src), pol, nil)
	if err != nil {
		return err
	}
	ix, err := st.Open(rec.Library)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %s %q version %d, signed by %s\n", rec.Library, rec.Name, rec.Version, strings.Join(rec.Signers, ", "))

	in := pack.Input{
		Release: ix, Blobs: st, Cache: pack.NewStoreCache(c),
		Presets: splitList(*presets), Region: *region, Date: day, Strict: *strict, Workers: *workers,
	}
	for _, id := range splitList(*assets) {
		in.Items = append(in.Items, pack.Item{Asset: id})
	}
	start := time.Now()
	res, err := pack.Export(ctx, in, *out, nil)
	if err != nil {
		return err
	}
	m := res.Manifest
	fmt.Fprintf(stdout, "wrote %s: %d files from %d assets × %d presets, %d failed, %d bytes, in %s\n",
		res.Path, len(m.Files), assetCount(m), len(m.Presets), len(m.Failed), res.Bytes,
		time.Since(start).Round(time.Millisecond))
	for _, f := range m.Failed {
		fmt.Fprintf(stdout, "failed: %s (%s): %s: %s\n", f.Asset, f.SourcePath, f.Code, f.Message)
	}
	return nil
}

// assetCount is how many assets the pack covers, failed ones included.
func assetCount(m *pack.Manifest) int {
	seen := map[string]bool{}
	for _, f := range m.Files {
		seen[f.Asset] = true
	}
	return len(seen) + len(m.Failed)
}
