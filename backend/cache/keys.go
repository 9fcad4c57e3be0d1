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
//	outbox/{seq uint64 BE}           id of a submission waiting    v1 (outbox)
//	                                 for delivery; drained oldest
//	                                 first, deleted in the txn
//	                                 that marks it delivered or
//	                                 failed
//	sub/{id}                         a submission's delivery       v1 (outbox)
//	                                 record: JSON, queued/sending/
//	                                 delivered/failed, attempts,
//	                                 last error, the hub's state,
//	                                 history and thread
//	subbody/{id}                     the submission's JSON body,   v1 (outbox)
//	                                 exactly the bytes every
//	                                 attempt sends (the hub dedups
//	                                 on id + body hash); never
//	                                 rewritten
//	subblob/{sha256}                 rendition bytes a submission  v1 (outbox)
//	                                 names, pinned until every
//	                                 submission naming it is
//	                                 delivered
//	subref/{sha256}/{id}             empty: the submission id pins v1 (outbox)
//	                                 subblob/{sha256}
//	meta/outbox_seq                  uint64 BE: last outbox seq    v1 (outbox)
//	meta/hub_poll                    JSON {hub, seq}: the hub's    v1 (outbox)
//	                                 change number last polled
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
	PrefixOutbox    = []byte("outbox/")
	PrefixSub       = []byte("sub/")
	PrefixSubBody   = []byte("subbody/")
	PrefixSubBlob   = []byte("subblob/")
	PrefixSubRef    = []byte("subref/")
)

// Single keys of the outbox.
var (
	KeyOutboxSeq = []byte("meta/outbox_seq")
	KeyHubPoll   = []byte("meta/hub_poll")
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

// KeyOutbox is the key of an outbox entry.
func KeyOutbox(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte{}, PrefixOutbox...), seq)
}

// OutboxSeq reads the seq of an outbox entry's key.
func OutboxSeq(key []byte) (uint64, bool) {
	if len(key) != len(PrefixOutbox)+8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(key[len(PrefixOutbox):]), true
}

// KeySub is the key of a submission's delivery record.
func KeySub(id string) []byte { return append(append([]byte{}, PrefixSub...), id...) }

// KeySubBody is the key of a submission's JSON body.
func KeySubBody(id string) []byte { return append(append([]byte{}, PrefixSubBody...), id...) }

// KeySubBlob is the key of a pinned rendition (lowercase hex SHA-256).
func KeySubBlob(sha256Hex string) []byte {
	return append(append([]byte{}, PrefixSubBlob...), sha256Hex...)
}

// KeySubRefs is the prefix of the submissions pinning a rendition.
func KeySubRefs(sha256Hex string) []byte {
	return append(append(append([]byte{}, PrefixSubRef...), sha256Hex...), '/')
}

// KeySubRef is the key of one submission's pin of a rendition.
func KeySubRef(sha256Hex, id string) []byte { return append(KeySubRefs(sha256Hex), id...) }
