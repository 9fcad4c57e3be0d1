package hub

import "encoding/binary"

// Every Badger key the hub writes is built in this file, and only here.
//
// Layout: readable ASCII prefixes separated by "/", numbers big-endian so that
// they sort, hashes as lowercase hex. A prefix scan of one row of the table
// never meets keys of another row ("user/" is not a prefix of "usertoken/").
// Blob bytes are files under <dir>/blobs, not keys.
//
//	key                                 value                              since
//	meta/schema                         uint32 BE: layout version          v1
//	user/{name}                         JSON userRecord: the account and   v1
//	                                    its argon2id hash (PHC string)
//	token/{sha256 hex of the token}     JSON tokenRecord: user, created,   v1
//	                                    expires; the token itself is
//	                                    never stored
//	usertoken/{name}/{sha256 hex}       empty: the tokens of a user, so    v1
//	                                    disabling it revokes them all
//	rel/{lib}/{version uint64 BE}       JSON releaseHead: the LibraryHead  v1
//	                                    the API lists, signers, when it
//	                                    was published; the last key of a
//	                                    library is its latest release
//	note/{lib}/{version uint64 BE}      release.note as verified           v1
//	blobregion/{sha256}/{region}        empty: a stored release serving    v1
//	                                    region lists this blob
//	meta/signoffkey                     32 random bytes: the HMAC-SHA256   v1
//	                                    key of sign-off grants, made once
//	meta/subseq                         uint64 BE: the last submission     v1
//	                                    change number handed out
//	sub/{id}                            JSON SubmissionRow: head, state,   v1
//	                                    history, thread, body hash
//	subbody/{id}                        the PUT body as received; kept     v1
//	                                    forever, like the id
//	subseq/{seq uint64 BE}              the id of the submission whose     v1
//	                                    last change had that number; the
//	                                    previous one is deleted, so a
//	                                    scan from a seq lists each
//	                                    changed submission once
//
// Library ids and user names are validated before they become keys and hold
// no "/". Change a layout only with a new schema version and a migration
// (backend/cache stamps meta/schema and refuses a newer one).

// schemaVersion is the layout this build reads and writes.
const schemaVersion uint32 = 1

// Prefixes of the key families the store scans.
var (
	prefixUser       = []byte("user/")
	prefixToken      = []byte("token/")
	prefixUserToken  = []byte("usertoken/")
	prefixRelease    = []byte("rel/")
	prefixNote       = []byte("note/")
	prefixBlobRegion = []byte("blobregion/")
	prefixSub        = []byte("sub/")
	prefixSubBody    = []byte("subbody/")
	prefixSubSeq     = []byte("subseq/")
)

var (
	keySignOffKey = []byte("meta/signoffkey")
	keySubSeqLast = []byte("meta/subseq")
)

func join(prefix []byte, parts ...string) []byte {
	k := append([]byte{}, prefix...)
	for i, p := range parts {
		if i > 0 {
			k = append(k, '/')
		}
		k = append(k, p...)
	}
	return k
}

func keyUser(name string) []byte { return join(prefixUser, name) }

func keyToken(hash string) []byte { return join(prefixToken, hash) }

func keyUserToken(name, hash string) []byte { return join(prefixUserToken, name, hash) }

// keyUserTokens is the prefix of every token of a user.
func keyUserTokens(name string) []byte { return join(prefixUserToken, name, "") }

func keyRelease(lib string, version uint64) []byte {
	return binary.BigEndian.AppendUint64(join(prefixRelease, lib, ""), version)
}

// keyReleases is the prefix of every release of a library.
func keyReleases(lib string) []byte { return join(prefixRelease, lib, "") }

func keyNote(lib string, version uint64) []byte {
	return binary.BigEndian.AppendUint64(join(prefixNote, lib, ""), version)
}

func keyBlobRegion(sha, region string) []byte { return join(prefixBlobRegion, sha, region) }

// keyBlobRegions is the prefix of every region index entry of a blob.
func keyBlobRegions(sha string) []byte { return join(prefixBlobRegion, sha, "") }

// userTokenHash is the token hash at the end of a usertoken/ key.
func userTokenHash(key []byte, name string) string {
	return string(key[len(keyUserTokens(name)):])
}

func keySub(id string) []byte { return join(prefixSub, id) }

func keySubBody(id string) []byte { return join(prefixSubBody, id) }

func keySubSeq(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte{}, prefixSubSeq...), seq)
}
