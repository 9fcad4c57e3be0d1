package library

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/outpost-studio/outpost/backend/fault"
)

// Error codes raised while opening and verifying a release. Each names one
// way a release can be refused; the UI has words for every one.
const (
	CodeNotARelease       fault.Code = "library.not_a_release"
	CodeZipInvalid        fault.Code = "library.zip_invalid"
	CodeManifestMissing   fault.Code = "library.manifest_missing"
	CodeManifestTooLarge  fault.Code = "library.manifest_too_large"
	CodeUnsigned          fault.Code = "library.unsigned"
	CodeNoteMalformed     fault.Code = "library.note_malformed"
	CodeUnknownKey        fault.Code = "library.unknown_key"
	CodeSignatureInvalid  fault.Code = "library.signature_invalid"
	CodeTooFewSignatures  fault.Code = "library.too_few_signatures"
	CodeManifestInvalid   fault.Code = "library.manifest_invalid"
	CodeUntrustedLibrary  fault.Code = "library.untrusted_library"
	CodeRollback          fault.Code = "library.rollback"
	CodeEquivocation      fault.Code = "library.equivocation"
	CodeExpired           fault.Code = "library.expired"
	CodeWrongRegion       fault.Code = "library.wrong_region"
	CodeUnsafePath        fault.Code = "library.unsafe_path"
	CodeDuplicatePath     fault.Code = "library.duplicate_path"
	CodeFileMissing       fault.Code = "library.file_missing"
	CodeFileUnreadable    fault.Code = "library.file_unreadable"
	CodeFileSize          fault.Code = "library.file_size"
	CodeFileHash          fault.Code = "library.file_hash"
	CodeContentInvalid    fault.Code = "library.content_invalid"
	CodeReleaseTooLarge   fault.Code = "library.release_too_large"
	CodeKeyInvalid        fault.Code = "library.key_invalid"
	CodeSignFailed        fault.Code = "library.sign_failed"
	CodeNotFound          fault.Code = "library.not_found"
	CodeStoreCorrupt      fault.Code = "library.store_corrupt"
	CodeStoreWriteFailed  fault.Code = "library.store_write_failed"
	CodeBlobCorrupt       fault.Code = "library.blob_corrupt"
	CodeNoCurrentRelease  fault.Code = "library.no_release"
	CodeVersionGone       fault.Code = "library.version_gone"
	CodeAssetNotFound     fault.Code = "library.asset_not_found"
	CodeImportInterrupted fault.Code = "library.import_canceled"
	CodeImageInvalid      fault.Code = "library.image_invalid"
)

// Trust pins the keys allowed to sign one library, and how many of them
// must sign a release.
type Trust struct {
	Library   string   // library id
	Keys      []string // verifier keys, "name+hash+base64"
	Threshold int      // distinct pinned keys needed; at least 1
}

// Trusted is what the desktop already trusts of a library.
type Trusted struct {
	Version     uint64
	ManifestSHA string // SHA-256 of the manifest text
}

// Policy is everything verification depends on besides the release.
type Policy struct {
	Trust  []Trust
	Region string // the desktop's region; "" skips the region check
	// Current returns what is already trusted of a library, nil if nothing.
	Current func(library string) (*Trusted, error)
	Now     time.Time
}

// Manifested is a release whose manifest passed verification.
type Manifested struct {
	Manifest    Manifest
	Note        []byte   // release.note as received
	ManifestSHA string   // SHA-256 of the manifest text
	Signers     []string // names of the pinned keys that signed
	Unchanged   bool     // the same manifest as the trusted one
}

var libraryIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// VerifyManifest checks the signed manifest against the policy: signatures,
// format, paths, version, expiry and region. It reads nothing else.
func VerifyManifest(signed []byte, pol Policy) (*Manifested, error) {
	const op = "library.VerifyManifest"
	if len(signed) > MaxManifestBytes {
		return nil, fault.New(fault.Corrupt, CodeManifestTooLarge, op).With("max", MaxManifestBytes)
	}
	if !bytes.Contains(signed, []byte("\n\n— ")) {
		return nil, fault.New(fault.Corrupt, CodeUnsigned, op)
	}

	verifiers, owners, err := pinned(pol.Trust)
	if err != nil {
		return nil, err
	}
	n, err := note.Open(signed, verifiers)
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			return nil, fault.New(fault.Permission, CodeUnknownKey, op).With("keys", sigNames(unverified.Note.UnverifiedSigs)).Wrap(err)
		case errors.As(err, &invalid):
			return nil, fault.New(fault.Corrupt, CodeSignatureInvalid, op).With("key", invalid.Name).Wrap(err)
		default:
			return nil, fault.New(fault.Corrupt, CodeNoteMalformed, op).Wrap(err)
		}
	}

	var m Manifest
	dec := json.NewDecoder(strings.NewReader(n.Text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fault.New(fault.Corrupt, CodeManifestInvalid, op).With("reason", "json").Wrap(err)
	}
	if dec.More() {
		return nil, fault.New(fault.Corrupt, CodeManifestInvalid, op).With("reason", "trailing_data")
	}

	// Only keys pinned for this library count, each public key once.
	trust, ok := trustFor(pol.Trust, m.Library)
	if !ok {
		return nil, fault.New(fault.Permission, CodeUntrustedLibrary, op).With("library", printable(m.Library))
	}
	counted := map[string]bool{}
	var signers []string
	for _, s := range n.Sigs {
		o := owners[sigID(s.Name, s.Hash)]
		if o.library != m.Library || counted[o.pub] {
			continue
		}
		counted[o.pub] = true
		signers = append(signers, s.Name)
	}
	need := max(trust.Threshold, 1)
	if len(signers) == 0 {
		return nil, fault.New(fault.Permission, CodeUnknownKey, op).With("keys", sigNames(n.Sigs))
	}
	if len(signers) < need {
		return nil, fault.New(fault.Permission, CodeTooFewSignatures, op).With("have", len(signers)).With("need", need)
	}

	if err := checkManifest(&m); err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(n.Text))
	out := &Manifested{Manifest: m, Note: signed, ManifestSHA: hex.EncodeToString(sum[:]), Signers: signers}

	var cur *Trusted
	if pol.Current != nil {
		if cur, err = pol.Current(m.Library); err != nil {
			return nil, err
		}
	}
	if cur != nil {
		switch {
		case m.Version < cur.Version:
			return nil, fault.New(fault.Conflict, CodeRollback, op).With("version", m.Version).With("trusted", cur.Version)
		case m.Version == cur.Version && out.ManifestSHA != cur.ManifestSHA:
			return nil, fault.New(fault.Corrupt, CodeEquivocation, op).With("version", m.Version)
		case m.Version == cur.Version:
			out.Unchanged = true
		}
	}
	if !out.Unchanged && !pol.Now.IsZero() && !pol.Now.Before(m.Expires) {
		return nil, fault.New(fault.Invalid, CodeExpired, op).With("expires", m.Expires.UTC().Format(time.RFC3339))
	}
	if pol.Region != "" && !contains(m.Regions, pol.Region) {
		return nil, fault.New(fault.Permission, CodeWrongRegion, op).With("region", pol.Region).With("regions", strings.Join(m.Regions, ", "))
	}
	return out, nil
}

type keyOwner struct {
	library string
	pub     string // the public key, to count each key once whatever its name
}

func sigID(name string, hash uint32) string { return fmt.Sprintf("%s+%08x", name, hash) }

// pinned builds the verifiers of every trusted key and records which library
// each belongs to.
func pinned(trust []Trust) (note.Verifiers, map[string]keyOwner, error) {
	var list []note.Verifier
	owners := map[string]keyOwner{}
	for _, t := range trust {
		for _, k := range t.Keys {
			v, err := note.NewVerifier(k)
			if err != nil {
				return nil, nil, fault.New(fault.Invalid, CodeKeyInvalid, "library.pinned").With("key", printable(k)).Wrap(err)
			}
			id := sigID(v.Name(), v.KeyHash())
			if _, dup := owners[id]; dup {
				continue
			}
			list = append(list, v)
			// "name+hash+keydata": keydata is base64 and may hold '+'.
			owners[id] = keyOwner{library: t.Library, pub: strings.SplitN(k, "+", 3)[2]}
		}
	}
	return note.VerifierList(list...), owners, nil
}

func trustFor(trust []Trust, lib string) (Trust, bool) {
	for _, t := range trust {
		if t.Library == lib {
			return t, true
		}
	}
	return Trust{}, false
}

func sigNames(sigs []note.Signature) string {
	names := make([]string, 0, len(sigs))
	for _, s := range sigs {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// checkManifest enforces the format's rules on a decoded manifest.
func checkManifest(m *Manifest) error {
	const op = "library.checkManifest"
	invalid := func(reason string) error {
		return fault.New(fault.Corrupt, CodeManifestInvalid, op).With("reason", reason)
	}
	switch {
	case m.Format != FormatVersion:
		return invalid("format")
	case !libraryIDPattern.MatchString(m.Library):
		return invalid("library_id")
	case m.Version == 0:
		return invalid("version")
	case len(m.Regions) == 0:
		return invalid("regions")
	case m.Expires.IsZero() || !m.Expires.After(m.Created):
		return invalid("expires")
	case len(m.Files) == 0 || len(m.Files) > MaxFiles:
		return invalid("files")
	}
	seen := make(map[string]bool, len(m.Files))
	var total int64
	hasContent := false
	for i, f := range m.Files {
		if err := CheckPath(f.Path); err != nil {
			return err
		}
		if f.Path == ManifestFile {
			return invalid("lists_manifest")
		}
		if seen[foldPath(f.Path)] {
			return fault.New(fault.Corrupt, CodeDuplicatePath, op).With("path", f.Path)
		}
		seen[foldPath(f.Path)] = true
		if i > 0 && m.Files[i-1].Path >= f.Path {
			return invalid("unsorted")
		}
		if f.Size < 0 || f.Size > MaxFileBytes {
			return fault.New(fault.Corrupt, CodeReleaseTooLarge, op).With("path", f.Path).With("max", MaxFileBytes)
		}
		if !shaPattern.MatchString(f.SHA256) {
			return invalid("sha256")
		}
		total += f.Size
		if f.Path == ContentFile {
			hasContent = true
		}
	}
	if total > MaxReleaseBytes {
		return fault.New(fault.Corrupt, CodeReleaseTooLarge, op).With("max", MaxReleaseBytes)
	}
	if !hasContent {
		return invalid("no_content")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Release is a fully verified release: its manifest and content.
type Release struct {
	Manifested
	Content    Content
	ContentRaw []byte // library.json as signed
}

// Verify reads and checks a whole release from src: the manifest under pol,
// then every listed file by size and hash, one at a time, then library.json's
// references. Each verified file is handed to each (nil to only verify)
// before the next is read, so memory stays bounded. On any error Verify stops
// and returns no release: whatever each stored is unreferenced.
func Verify(src Source, pol Policy, each func(i, n int, f File, b []byte) error) (*Release, error) {
	const op = "library.Verify"
	signed, err := readAtMost(src, ManifestFile, MaxManifestBytes, func() error {
		return fault.New(fault.Corrupt, CodeManifestTooLarge, op).With("max", MaxManifestBytes)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fault.New(fault.Corrupt, CodeManifestMissing, op).Wrap(err)
	}
	if err != nil {
		if _, ok := fault.As(err); ok {
			return nil, err
		}
		return nil, fault.New(fault.Corrupt, CodeManifestMissing, op).Wrap(err)
	}
	mf, err := VerifyManifest(signed, pol)
	if err != nil {
		return nil, err
	}
	rel := &Release{Manifested: *mf}
	for i, f := range mf.Manifest.Files {
		b, err := readListed(src, f)
		if err != nil {
			return nil, err
		}
		if f.Path == ContentFile {
			rel.ContentRaw = b
		}
		if each != nil {
			if err := each(i, len(mf.Manifest.Files), f, b); err != nil {
				return nil, err
			}
		}
	}
	c, err := ParseContent(rel.ContentRaw, mf.Manifest.Files)
	if err != nil {
		return nil, err
	}
	rel.Content = *c
	return rel, nil
}

// ParseContent decodes library.json and checks that every path it mentions
// is listed and every id is unique.
func ParseContent(b []byte, files []File) (*Content, error) {
	const op = "library.ParseContent"
	invalid := func(reason, where string) error {
		return fault.New(fault.Corrupt, CodeContentInvalid, op).With("reason", reason).With("where", printable(where))
	}
	if len(b) > MaxContentBytes {
		return nil, invalid("too_large", ContentFile)
	}
	var c Content
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fault.New(fault.Corrupt, CodeContentInvalid, op).With("reason", "json").With("where", ContentFile).Wrap(err)
	}
	if len(c.Locales) == 0 {
		return nil, invalid("locales", ContentFile)
	}
	listed := make(map[string]bool, len(files))
	for _, f := range files {
		listed[f.Path] = true
	}
	needPath := func(p, where string) error {
		if p == "" || !listed[p] {
			return invalid("unlisted_path", where+": "+p)
		}
		return nil
	}
	ids := func(kind string, list []string) error {
		seen := map[string]bool{}
		for _, id := range list {
			if id == "" || seen[id] {
				return invalid("duplicate_id", kind+": "+id)
			}
			seen[id] = true
		}
		return nil
	}
	var assetIDs, tplIDs []string
	for _, a := range c.Assets {
		assetIDs = append(assetIDs, a.ID)
		if err := needPath(a.Path, "asset "+a.ID); err != nil {
			return nil, err
		}
		if a.Focal != nil && (a.Focal.X < 0 || a.Focal.X > 1 || a.Focal.Y < 0 || a.Focal.Y > 1) {
			return nil, invalid("focal_point", "asset "+a.ID)
		}
		if a.Expires != "" {
			if _, err := time.Parse(time.DateOnly, a.Expires); err != nil {
				return nil, invalid("expires", "asset "+a.ID)
			}
		}
	}
	for _, t := range c.Templates {
		tplIDs = append(tplIDs, t.ID)
		if err := needPath(t.Layout, "template "+t.ID); err != nil {
			return nil, err
		}
		if t.Preview != "" {
			if err := needPath(t.Preview, "template "+t.ID); err != nil {
				return nil, err
			}
		}
		var slotIDs []string
		for _, s := range t.Slots {
			slotIDs = append(slotIDs, s.ID)
			if !validSlot(s) {
				return nil, invalid("slot", "template "+t.ID+" slot "+s.ID)
			}
		}
		if err := ids("slot", slotIDs); err != nil {
			return nil, err
		}
	}
	for _, l := range c.Brand.Logos {
		if err := needPath(l.Path, "logo "+l.ID); err != nil {
			return nil, err
		}
	}
	for _, f := range c.Brand.Fonts {
		for _, ff := range f.Files {
			if err := needPath(ff.Path, "font "+f.Family); err != nil {
				return nil, err
			}
		}
	}
	if err := ids("asset", assetIDs); err != nil {
		return nil, err
	}
	if err := ids("template", tplIDs); err != nil {
		return nil, err
	}
	return &c, nil
}

func validSlot(s Slot) bool {
	switch s.Kind {
	case SlotText, SlotMarkdown, SlotImage, SlotLink, SlotDate, SlotChoice:
	default:
		return false
	}
	switch s.Lock {
	case LockLocked, LockEditable:
	case LockChoice:
		return len(s.Options) > 0
	default:
		return false
	}
	return true
}

// sortedFiles returns files sorted by path, as the manifest requires.
func sortedFiles(files []File) []File {
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

// PeekLibrary reads the library id a release claims, without trusting it:
// tools use it to pick the keys to verify the release with.
func PeekLibrary(src Source) (string, error) {
	const op = "library.PeekLibrary"
	signed, err := readAtMost(src, ManifestFile, MaxManifestBytes, func() error {
		return fault.New(fault.Corrupt, CodeManifestTooLarge, op).With("max", MaxManifestBytes)
	})
	if err != nil {
		if _, ok := fault.As(err); ok {
			return "", err
		}
		return "", fault.New(fault.Corrupt, CodeManifestMissing, op).Wrap(err)
	}
	text := signed
	if i := bytes.LastIndex(signed, []byte("\n\n— ")); i >= 0 {
		text = signed[:i+1]
	}
	var m struct {
		Library string `json:"library"`
	}
	if err := json.Unmarshal(text, &m); err != nil || m.Library == "" {
		return "", fault.New(fault.Corrupt, CodeManifestInvalid, op).With("reason", "json").Wrap(err)
	}
	return m.Library, nil
}
