// Command outpost is the Outpost desktop app.
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"

	"github.com/outpost-studio/outpost/app"
	"github.com/outpost-studio/outpost/assets"
	"github.com/outpost-studio/outpost/backend/library"
)

// version is set at build time: -ldflags "-X main.version=..."
var version = "dev"

//go:embed all:frontend/dist
var frontend embed.FS

func main() {
	dist, err := fs.Sub(frontend, "frontend/dist")
	if err == nil {
		err = app.Run(app.Config{
			Version: version,
			Assets:  dist,
			Sample: app.Sample{
				Files: assets.Sample(),
				Trust: library.Trust{Library: assets.SampleLibrary, Keys: []string{assets.SampleKey()}, Threshold: 1},
			},
		})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "outpost:", err)
		os.Exit(1)
	}
}
