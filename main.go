// Command outpost is the Outpost desktop app.
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"

	"github.com/outpost-studio/outpost/app"
)

// version is set at build time: -ldflags "-X main.version=..."
var version = "dev"

//go:embed all:frontend/dist
var dist embed.FS

func main() {
	assets, err := fs.Sub(dist, "frontend/dist")
	if err == nil {
		err = app.Run(app.Config{Version: version, Assets: assets})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "outpost:", err)
		os.Exit(1)
	}
}
