// Command outpost-library makes HQ's signing keys, signs a folder into a
// content-library release and verifies releases, as desktops will.
//
//	outpost-library keygen -name hq-2026 -out keys/
//	outpost-library sign -key keys/hq-2026.key -library cairn-outdoor -name "Cairn Outdoor" \
//	    -regions fr,be,ch -version 8 -expires 2027-06-01 [-zip out.zip] DIR
//	outpost-library verify -pub keys/hq-2026.pub [-pub …] [-threshold 2] [-region fr] DIR|ZIP
//	outpost-library pack -release DIR|ZIP -pub keys/hq-2026.pub -region fr -presets social-square,email-header \
//	    [-assets id1,id2] -date 2026-11-22 -out pack.zip
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/natefinch/atomic"

	"github.com/outpost-studio/outpost/backend/library"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "outpost-library:", err)
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `usage:
  outpost-library keygen -name NAME -out DIR
  outpost-library sign -key FILE [-key FILE…] -library ID -name NAME -regions R1,R2 -version N -expires YYYY-MM-DD [-created RFC3339] [-zip OUT.zip] DIR
  outpost-library verify -pub FILE [-pub FILE…] [-threshold K] [-region R] [-now RFC3339] DIR|ZIP
  outpost-library pack -release DIR|ZIP -pub FILE [-pub FILE…] [-threshold K] -region R [-presets P1,P2] [-assets ID1,ID2]
      -date YYYY-MM-DD -out PACK.zip [-strict] [-workers N] [-cache DIR] [-now RFC3339]`)
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return fmt.Errorf("no command")
	}
	switch args[0] {
	case "keygen":
		return keygen(args[1:], stdout)
	case "sign":
		return sign(args[1:], stdout)
	case "verify":
		return verify(args[1:], stdout)
	case "pack":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		return packCmd(ctx, args[1:], stdout)
	case "-h", "help", "--help":
		usage(stdout)
		return nil
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func keygen(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	name := fs.String("name", "", "key name, e.g. hq-2026")
	out := fs.String("out", ".", "folder for NAME.key (secret) and NAME.pub")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *name == "" {
		return fmt.Errorf("keygen: -name is required")
	}
	skey, vkey, err := library.GenerateKey(*name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return err
	}
	keyPath := filepath.Join(*out, *name+".key")
	if _, err := os.Stat(keyPath); err == nil {
		return fmt.Errorf("keygen: %s exists; not overwriting a key", keyPath)
	}
	if err := os.WriteFile(keyPath, []byte(skey+"\n"), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, *name+".pub"), []byte(vkey+"\n"), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "secret key: %s (keep it offline)\nverifier key: %s\n", keyPath, vkey)
	return nil
}

func readKey(p string) (string, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

func sign(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	var keys multi
	fs.Var(&keys, "key", "signer key file (repeat for k-of-n)")
	lib := fs.String("library", "", "library id")
	name := fs.String("name", "", "library name")
	regions := fs.String("regions", "", "comma-separated region ids")
	version := fs.Uint64("version", 0, "release version (strictly increasing)")
	expires := fs.String("expires", "", "expiry date YYYY-MM-DD or RFC 3339")
	created := fs.String("created", "", "creation time, RFC 3339 (default now; fix it for reproducible releases)")
	zipOut := fs.String("zip", "", "also write the release as this zip")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("sign: give exactly one release folder")
	}
	dir := fs.Arg(0)
	exp, err := parseTime(*expires)
	if err != nil {
		return fmt.Errorf("sign: -expires: %w", err)
	}
	cre := time.Now().UTC().Truncate(time.Second)
	if *created != "" {
		if cre, err = parseTime(*created); err != nil {
			return fmt.Errorf("sign: -created: %w", err)
		}
	}
	m, err := library.BuildManifest(dir, library.ReleaseInfo{
		Library: *lib, Name: *name, Regions: splitList(*regions), Version: *version, Created: cre, Expires: exp,
	})
	if err != nil {
		return err
	}
	var skeys []string
	for _, k := range keys {
		s, err := readKey(k)
		if err != nil {
			return err
		}
		skeys = append(skeys, s)
	}
	signed, err := library.Sign(m, skeys...)
	if err != nil {
		return err
	}
	if err := atomic.WriteFile(filepath.Join(dir, library.ManifestFile), bytes.NewReader(signed)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "signed %s version %d: %d files\n", m.Library, m.Version, len(m.Files))
	if *zipOut != "" {
		var buf bytes.Buffer
		if err := library.WriteZip(&buf, dir, m, signed); err != nil {
			return err
		}
		if err := atomic.WriteFile(*zipOut, &buf); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *zipOut)
	}
	return nil
}

func verify(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	var pubs multi
	fs.Var(&pubs, "pub", "verifier key file (repeat)")
	threshold := fs.Int("threshold", 1, "distinct keys needed")
	region := fs.String("region", "", "accept only releases for this region")
	now := fs.String("now", "", "check expiry at this time (default now)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("verify: give exactly one release folder or zip")
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
			return fmt.Errorf("verify: -now: %w", err)
		}
	}
	src, err := library.OpenSource(fs.Arg(0))
	if err != nil {
		return err
	}
	defer src.Close()
	// The keys given are trusted for the library the manifest names;
	// verification then checks that they really signed it.
	lib, err := library.PeekLibrary(src)
	if err != nil {
		return err
	}
	pol := library.Policy{Region: *region, Now: at, Trust: []library.Trust{{Library: lib, Keys: keys, Threshold: *threshold}}}
	rel, err := library.Verify(src, pol, nil)
	if err != nil {
		return err
	}
	m := rel.Manifest
	fmt.Fprintf(stdout, "ok: %s %q version %d for %s, %d files, signed by %s, expires %s\n",
		m.Library, m.Name, m.Version, strings.Join(m.Regions, ","), len(m.Files), strings.Join(rel.Signers, ", "), m.Expires.Format(time.DateOnly))
	return nil
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.RFC3339, s)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
