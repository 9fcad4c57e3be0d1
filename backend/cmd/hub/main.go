// Command hub is HQ's server (docs/hub-api.md) and its offline tools.
//
//	hub serve --data DIR [--addr 127.0.0.1:8787] [--trust trust.json] [--demo] [--max-release BYTES] [--trust-proxy]
//	hub user add --data DIR --name NAME --role ROLE [--region R] [--display-name D] [--password-file FILE]
//	hub user disable --data DIR --name NAME
//	hub release add --data DIR [--trust trust.json] RELEASE.zip|FOLDER
//
// Flags come before the release path. The password of `user add` is the
// first line of --password-file or of the standard input, never a flag:
// flags end up in shell histories and process lists. The offline commands
// need the server stopped (it holds the data folder).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/outpost-studio/outpost/backend/hub"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
)

// version is set with -ldflags "-X main.version=…".
var version = "dev"

// errUsage marks a command line that could not be understood.
var errUsage = errors.New("usage")

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, log)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "hub:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "hub:", err)
		os.Exit(1)
	}
}

const usageText = `usage:
  hub serve --data DIR [--addr 127.0.0.1:8787] [--trust trust.json] [--demo] [--max-release BYTES] [--trust-proxy]
  hub user add --data DIR --name NAME --role designer|local_approver|hq_reviewer|hq_admin [--region R]
               [--display-name D] [--password-file FILE]   (otherwise the password is read from stdin)
  hub user disable --data DIR --name NAME
  hub release add --data DIR [--trust trust.json] RELEASE.zip|FOLDER
  hub version`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, log *slog.Logger) error {
	cmd := strings.Join(args[:min(2, len(args))], " ")
	switch {
	case len(args) >= 1 && args[0] == "serve":
		s, err := setupServe(args[1:], stderr, log)
		if err != nil {
			return err
		}
		return s.run(ctx)
	case cmd == "user add":
		return userAdd(args[2:], stdin, stdout, stderr, log)
	case cmd == "user disable":
		return userDisable(args[2:], stdout, stderr, log)
	case cmd == "release add":
		return releaseAdd(ctx, args[2:], stdout, stderr, log)
	case len(args) == 1 && args[0] == "version":
		fmt.Fprintln(stdout, version)
		return nil
	case len(args) == 1 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help"):
		fmt.Fprintln(stdout, usageText)
		return nil
	}
	fmt.Fprintln(stderr, usageText)
	return fmt.Errorf("unknown command %q: %w", cmd, errUsage)
}

// newFlags is a flag set that reports to stderr and returns its errors.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// loadTrust reads a trust file named on the command line; unlike
// library.LoadTrustFile, a missing file is an error here.
func loadTrust(path string) ([]library.Trust, error) {
	if path == "" {
		return nil, nil
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("--trust: %w", err)
	}
	return library.LoadTrustFile(path)
}

// server is a hub listening, not yet serving.
type server struct {
	hub  *hub.Hub
	http *http.Server
	ln   net.Listener
	log  *slog.Logger
}

// setupServe opens the hub, seeds the demo when asked and listens; run
// serves. Tests call it with --addr 127.0.0.1:0.
func setupServe(args []string, stderr io.Writer, log *slog.Logger) (*server, error) {
	fs := newFlags("serve", stderr)
	data := fs.String("data", "", "data folder (required)")
	addr := fs.String("addr", "127.0.0.1:8787", "listen address")
	trustFile := fs.String("trust", "", "trust.json pinning the keys releases are verified with")
	demo := fs.Bool("demo", false, "publish the built-in sample release and create the demo accounts")
	maxRelease := fs.Int64("max-release", hub.DefaultMaxRelease, "largest release upload, in bytes")
	trustProxy := fs.Bool("trust-proxy", false, "take client addresses from X-Forwarded-For (only behind a reverse proxy that sets it)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *data == "" || fs.NArg() != 0 {
		fs.Usage()
		return nil, fmt.Errorf("serve: --data is required and takes no arguments: %w", errUsage)
	}
	trust, err := loadTrust(*trustFile)
	if err != nil {
		return nil, err
	}
	if *demo {
		trust = append(trust, hub.DemoTrust())
	}
	if len(trust) == 0 {
		log.Warn("no keys pinned (--trust): no release can be published")
	}
	h, err := hub.Open(*data, hub.Options{Trust: trust, Log: log, MaxRelease: *maxRelease, Version: version, TrustProxy: *trustProxy})
	if err != nil {
		return nil, err
	}
	if *demo {
		if err := h.SeedDemo(context.Background()); err != nil {
			h.Close()
			return nil, err
		}
		var names []string
		for _, u := range hub.DemoUsers() {
			names = append(names, u.Name)
		}
		log.Info("demo accounts ready", "users", strings.Join(names, ", "), "password", hub.DemoPassword)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		h.Close()
		return nil, err
	}
	if ip, ok := ln.Addr().(*net.TCPAddr); ok && !ip.IP.IsLoopback() {
		log.Warn("serving plain HTTP beyond this machine: put a TLS reverse proxy in front", "addr", ln.Addr().String())
	}
	srv := &http.Server{
		Handler:           h.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Minute, // a 2 GiB release over a slow office line
		WriteTimeout:      30 * time.Minute, // a large blob to a slow desktop
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("hub listening", "addr", ln.Addr().String(), "version", version, "data", *data)
	return &server{hub: h, http: srv, ln: ln, log: log}, nil
}

// run serves until ctx ends (SIGINT, SIGTERM), then lets requests in flight
// finish for up to 30 s and closes the hub.
func (s *server) run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		s.log.Info("hub shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = s.http.Shutdown(sctx)
		cancel()
		if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if cerr := s.hub.Close(); err == nil {
		err = cerr
	}
	return err
}

func userAdd(args []string, stdin io.Reader, stdout, stderr io.Writer, log *slog.Logger) error {
	fs := newFlags("user add", stderr)
	data := fs.String("data", "", "data folder (required)")
	name := fs.String("name", "", "account name, [a-z0-9._-]{2,64}")
	role := fs.String("role", "", "designer, local_approver, hq_reviewer or hq_admin")
	region := fs.String("region", "", "the region of a designer or local approver")
	display := fs.String("display-name", "", "the name people see")
	pwFile := fs.String("password-file", "", "read the password from this file's first line (default: stdin)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || *name == "" || *role == "" || fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("user add: --data, --name and --role are required: %w", errUsage)
	}
	var in io.Reader = stdin
	if *pwFile != "" {
		f, err := os.Open(*pwFile)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	} else if f, ok := stdin.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(stderr, "password (shown as typed; pipe it or use --password-file to hide it): ")
		}
	}
	password, err := firstLine(in)
	if err != nil {
		return fmt.Errorf("user add: reading the password: %w", err)
	}
	h, err := hub.Open(*data, hub.Options{Log: log})
	if err != nil {
		return err
	}
	defer h.Close()
	u, err := h.AddUser(hubapi.NewUser{Name: *name, DisplayName: *display, Password: password, Role: hubapi.Role(*role), Region: *region})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s (%s, region %s)\n", u.Name, u.Role, u.Region)
	return nil
}

// firstLine reads one line, without its line ending.
func firstLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("empty password")
	}
	return line, nil
}

func userDisable(args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	fs := newFlags("user disable", stderr)
	data := fs.String("data", "", "data folder (required)")
	name := fs.String("name", "", "account name")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || *name == "" || fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("user disable: --data and --name are required: %w", errUsage)
	}
	h, err := hub.Open(*data, hub.Options{Log: log})
	if err != nil {
		return err
	}
	defer h.Close()
	if err := h.DisableUser(*name); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "disabled %s and revoked its sessions\n", *name)
	return nil
}

func releaseAdd(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	fs := newFlags("release add", stderr)
	data := fs.String("data", "", "data folder (required)")
	trustFile := fs.String("trust", "", "trust.json pinning the keys the release is verified with")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("release add: --data and one release zip or folder are required: %w", errUsage)
	}
	trust, err := loadTrust(*trustFile)
	if err != nil {
		return err
	}
	src, err := library.OpenSource(fs.Arg(0))
	if err != nil {
		return err
	}
	defer src.Close()
	h, err := hub.Open(*data, hub.Options{Trust: trust, Log: log})
	if err != nil {
		return err
	}
	defer h.Close()
	head, err := h.Publish(ctx, src)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "published %s version %d: %d files, %d bytes, regions %s\n",
		head.Library, head.Version, head.Files, head.Bytes, strings.Join(head.Regions, ", "))
	return nil
}
