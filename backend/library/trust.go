package library

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"

	"github.com/outpost-studio/outpost/backend/fault"
)

// CodeTrustFileInvalid is raised when trust.json cannot be used.
const CodeTrustFileInvalid fault.Code = "library.trust_file_invalid"

// TrustFileName is the file, beside the settings, that pins HQ's keys.
const TrustFileName = "trust.json"

// trustFile is trust.json: the libraries a desktop accepts and their keys,
// deployed by HQ's IT or, later, received from the hub.
//
//	{"libraries": [{"library": "cairn-outdoor", "keys": ["hq-2026+1a2b3c4d+AV…"], "threshold": 1}]}
type trustFile struct {
	Libraries []struct {
		Library   string   `json:"library"`
		Keys      []string `json:"keys"`
		Threshold int      `json:"threshold"`
	} `json:"libraries"`
}

// LoadTrustFile reads the pinned keys at path. A missing file pins nothing.
func LoadTrustFile(path string) ([]Trust, error) {
	const op = "library.LoadTrustFile"
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fault.New(fault.Unavailable, CodeTrustFileInvalid, op).With("path", path).Wrap(err)
	}
	var tf trustFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tf); err != nil {
		return nil, fault.New(fault.Invalid, CodeTrustFileInvalid, op).With("path", path).Wrap(err)
	}
	var out []Trust
	for _, l := range tf.Libraries {
		t := Trust{Library: l.Library, Keys: l.Keys, Threshold: max(l.Threshold, 1)}
		if !libraryIDPattern.MatchString(t.Library) || len(t.Keys) == 0 {
			return nil, fault.New(fault.Invalid, CodeTrustFileInvalid, op).With("path", path).With("library", printable(l.Library))
		}
		if _, _, err := pinned([]Trust{t}); err != nil {
			return nil, fault.New(fault.Invalid, CodeTrustFileInvalid, op).With("path", path).With("library", t.Library).Wrap(err)
		}
		out = append(out, t)
	}
	return out, nil
}
