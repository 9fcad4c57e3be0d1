package cache

import "encoding/binary"

// Every Badger key Outpost writes is built in this file, and only here.
//
// Layout: readable ASCII prefixes separated by "/", numbers big-endian so that
// they sort, hashes as lowercase hex. A prefix scan of one row of the table
// never meets keys of another row.
//
//	key                              value                         since
//	meta/schema                      uint32 BE: layout version     v1
//	blob/{sha256}                    raw bytes, verified on read   v1 (library)
//	release/{lib}                    the trusted release of a      v1 (library)
//	                                 library: JSON record with its
//	                                 signed manifest; switching it
//	                                 is what applies a release
//	relver/{lib}/{version uint64 BE} a release once trusted: the   v1 (library)
//	                                 same record, kept so drafts
//	                                 pinned to it still open
//	thumb/{sha256}/{side uint16 BE}  JPEG thumbnail of a blob      v1 (library)
//	rend/{srcsha256}/{specsha256}    rendition bytes (JPEG, PNG)   v1 (adapt)
//	draft/{id}                       campaign JSON (draft and on)  v1 (campaign)
//	local/{id}                       a photo the office imported:  v1 (library)
//	                                 JSON record; its bytes are a
//	                                 blob/ row
//	outbox/{seq uint64 BE}           queued submission id          reserved (outbox)
//
// "reserved" rows are planned by later work; they are listed so that no two
// features pick the same prefix. Change a layout only with a new schema
// version and a migration in Open.

// schemaVersion is the layout this build reads and writes.
const schemaVersion uint32 = 1

var keySchema = []byte("meta/schema")

// Prefixes of the key families other packages scan.
var (
	PrefixBlob      = []byte("blob/")
	PrefixRelease   = []byte("release/")
	PrefixThumb     = []byte("thumb/")
	PrefixRendition = []byte("rend/")
	PrefixRelVer    = []byte("relver/")
	PrefixDraft     = []byte("draft/")
	PrefixLocal     = []byte("local/")
)

// KeyBlob is the key of a content-addressed blob (lowercase hex SHA-256).
func KeyBlob(sha256Hex string) []byte { return append(append([]byte{}, PrefixBlob...), sha256Hex...) }

// KeyRelease is the key of a library's trusted release record.
func KeyRelease(library string) []byte {
	return append(append([]byte{}, PrefixRelease...), library...)
}

// KeyThumb is the key of a blob's thumbnail at a maximum side in pixels.
func KeyThumb(sha256Hex string, side int) []byte {
	k := append(append([]byte{}, PrefixThumb...), sha256Hex...)
	return append(k, '/', byte(side>>8), byte(side))
}

// KeyReleaseVersion is the key of one version of a library's releases, kept
// after newer ones replace it.
func KeyReleaseVersion(library string, version uint64) []byte {
	k := append(append([]byte{}, PrefixRelVer...), library...)
	k = append(k, '/')
	return binary.BigEndian.AppendUint64(k, version)
}

// KeyDraft is the key of a campaign.
func KeyDraft(id string) []byte { return append(append([]byte{}, PrefixDraft...), id...) }

// KeyRendition is the key of a rendition: the source blob's SHA-256 and
// adapt.Spec.Hash, both lowercase hex.
func KeyRendition(srcSHA256Hex, specSHA256Hex string) []byte {
	k := append(append([]byte{}, PrefixRendition...), srcSHA256Hex...)
	return append(append(k, '/'), specSHA256Hex...)
}

// KeyLocal is the key of a local photo's record.
func KeyLocal(id string) []byte { return append(append([]byte{}, PrefixLocal...), id...) }
