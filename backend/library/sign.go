package library

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/outpost-studio/outpost/backend/fault"
)

// GenerateKey makes an Ed25519 key pair for HQ: the signer key (keep it
// offline) and the verifier key that desktops pin.
func GenerateKey(name string) (signer, verifier string, err error) {
	signer, verifier, err = note.GenerateKey(rand.Reader, name)
	if err != nil {
		return "", "", fault.New(fault.Invalid, CodeKeyInvalid, "library.GenerateKey").With("key", name).Wrap(err)
	}
	return signer, verifier, nil
}

// ReleaseInfo is what HQ says about a release when signing it.
type ReleaseInfo struct {
	Library string
	Name    string
	Regions []string
	Version uint64
	Created time.Time
	Expires time.Time
}

// BuildManifest lists every file under dir except release.note, by path,
// size and SHA-256, and checks the result as a desktop would.
func BuildManifest(dir string, info ReleaseInfo) (*Manifest, error) {
	const op = "library.BuildManifest"
	m := &Manifest{
		Format:  FormatVersion,
		Library: info.Library,
		Name:    info.Name,
		Regions: info.Regions,
		Version: info.Version,
		Created: info.Created.UTC(),
		Expires: info.Expires.UTC(),
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() || rel == ManifestFile {
			return nil
		}
		if !d.Type().IsRegular() {
			return fault.New(fault.Invalid, CodeUnsafePath, op).With("path", rel).With("reason", "not_a_regular_file")
		}
		if err := CheckPath(rel); err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := checkImage(rel, b); err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m.Files = append(m.Files, File{Path: rel, Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:])})
		return nil
	})
	if err != nil {
		if _, ok := fault.As(err); ok {
			return nil, err
		}
		return nil, fault.New(fault.Unavailable, CodeNotARelease, op).With("path", dir).Wrap(err)
	}
	sortedFiles(m.Files)
	if err := checkManifest(m); err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(filepath.Join(dir, ContentFile))
	if err != nil {
		return nil, fault.New(fault.Invalid, CodeContentInvalid, op).With("reason", "missing").With("where", ContentFile).Wrap(err)
	}
	if _, err := ParseContent(raw, m.Files); err != nil {
		return nil, err
	}
	return m, nil
}

// Sign encodes the manifest as indented JSON and signs it with every signer
// key given.
func Sign(m *Manifest, signerKeys ...string) ([]byte, error) {
	const op = "library.Sign"
	if len(signerKeys) == 0 {
		return nil, fault.New(fault.Invalid, CodeSignFailed, op).With("reason", "no_key")
	}
	text, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fault.New(fault.Internal, CodeSignFailed, op).Wrap(err)
	}
	return signText(string(text)+"\n", signerKeys...)
}

// signText signs a manifest text as it is.
func signText(text string, signerKeys ...string) ([]byte, error) {
	const op = "library.Sign"
	signers := make([]note.Signer, 0, len(signerKeys))
	for _, k := range signerKeys {
		s, err := note.NewSigner(strings.TrimSpace(k))
		if err != nil {
			return nil, fault.New(fault.Invalid, CodeKeyInvalid, op).Wrap(err)
		}
		signers = append(signers, s)
	}
	out, err := note.Sign(&note.Note{Text: text}, signers...)
	if err != nil {
		return nil, fault.New(fault.Invalid, CodeSignFailed, op).Wrap(err)
	}
	return out, nil
}

// zipEpoch is the fixed time stamped on every zip entry, so that the same
// release always zips to the same bytes.
var zipEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteZip writes the release in dir, with its signed manifest, as a zip:
// release.note first, then the listed files in manifest order, fixed times
// and modes, so the same release gives a byte-identical zip.
func WriteZip(w io.Writer, dir string, m *Manifest, signed []byte) error {
	const op = "library.WriteZip"
	zw := zip.NewWriter(w)
	add := func(name string, r io.Reader) error {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipEpoch}
		h.SetMode(0o644)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = io.Copy(fw, r)
		return err
	}
	if err := add(ManifestFile, bytes.NewReader(signed)); err != nil {
		return fault.New(fault.Unavailable, CodeSignFailed, op).Wrap(err)
	}
	for _, f := range m.Files {
		fh, err := os.Open(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			return fault.New(fault.Unavailable, CodeFileMissing, op).With("path", f.Path).Wrap(err)
		}
		err = add(f.Path, fh)
		fh.Close()
		if err != nil {
			return fault.New(fault.Unavailable, CodeSignFailed, op).Wrap(err)
		}
	}
	if err := zw.Close(); err != nil {
		return fault.New(fault.Unavailable, CodeSignFailed, op).Wrap(err)
	}
	return nil
}
