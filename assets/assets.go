// Package assets holds the defaults embedded in Outpost: the built-in sample
// library, a signed release of a fictional outdoor brand.
package assets

import (
	"embed"
	"io/fs"
	"strings"
)

//go:generate go run ../backend/cmd/outpost-library sign -key sample/outpost-sample.key -library cairn-sample -name "Cairn Outdoor (sample)" -regions fr,be,ch -version 1 -created 2026-11-01T00:00:00Z -expires 2031-12-31 sample/library

// SampleLibrary is the sample's library id; its key is trusted for it only.
const SampleLibrary = "cairn-sample"

//go:embed all:sample/library
var sample embed.FS

//go:embed sample/outpost-sample.pub
var samplePub string

// Sample returns the sample release's files.
func Sample() fs.FS {
	sub, err := fs.Sub(sample, "sample/library")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return sub
}

// SampleKey is the verifier key that signs the sample library. Its private
// half is in sample/ on purpose: it can sign nothing but the sample.
func SampleKey() string { return strings.TrimSpace(samplePub) }
