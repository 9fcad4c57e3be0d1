package hub

import (
	"time"

	"github.com/outpost-studio/outpost/backend/hubapi"
)

// Store keeps the hub's metadata: users, token hashes, releases and the
// region index of blobs. The blob bytes are files beside it (blobStore).
// Badger is the embedded implementation (openBadger); a PostgreSQL one can
// slot in behind the same methods. Every method is safe for concurrent use.
//
// Errors are *fault.Error: hubapi.CodeNotFound for a missing object,
// hubapi.CodeUserExists for a taken name, library.CodeRollback when a release
// of that library with the same or a higher version is stored, and
// hubapi.CodeUnavailable when storage fails.
type Store interface {
	// CreateUser stores a new account.
	CreateUser(u UserRecord) error
	// User returns one account.
	User(name string) (UserRecord, error)
	// Users lists every account by name.
	Users() ([]UserRecord, error)
	// DisableUser marks an account disabled and deletes all its tokens in
	// one transaction. Disabling a disabled account changes nothing.
	DisableUser(name string) error

	// PutToken stores a session token's hash.
	PutToken(t TokenRecord) error
	// Token returns a token by the hex SHA-256 of its text.
	Token(hash string) (TokenRecord, error)
	// DeleteToken forgets a token; a missing one is not an error.
	DeleteToken(hash string) error
	// DeleteExpiredTokens forgets a user's tokens that expired at now.
	DeleteExpiredTokens(user string, now time.Time) error

	// AddRelease records a verified release, its signed manifest and the
	// region index of its blobs. The release is visible only once
	// everything is written.
	AddRelease(r ReleaseRecord) error
	// Latest returns a library's newest release (without its note); ok is
	// false when the library has none.
	Latest(library string) (rec ReleaseRecord, ok bool, err error)
	// Libraries returns the newest release of every library, by library id.
	Libraries() ([]ReleaseRecord, error)
	// Releases returns every stored release, by library id then version.
	Releases() ([]ReleaseRecord, error)
	// Note returns the signed manifest of one release.
	Note(library string, version uint64) ([]byte, error)
	// BlobServes reports whether a stored release serving region lists the
	// blob; region hubapi.AllRegions asks whether any stored release does.
	BlobServes(sha, region string) (bool, error)

	// SignOffKey returns the HMAC key of sign-off grants, made from gen
	// and stored the first time it is asked for.
	SignOffKey(gen func() ([]byte, error)) ([]byte, error)

	// PutSubmission stores a new submission, its PUT body and its first
	// change number in one transaction. When the id is taken it stores
	// nothing and returns the stored row with created false: the caller
	// compares body hashes. Ids are kept forever.
	PutSubmission(row SubmissionRow, body []byte) (stored SubmissionRow, created bool, err error)
	// Submission returns one submission's row.
	Submission(id string) (SubmissionRow, error)
	// SubmissionBody returns the PUT body of one submission.
	SubmissionBody(id string) ([]byte, error)
	// UpdateSubmission applies fn to a submission's row and gives it the
	// next change number, in one transaction (fn may run again when
	// another change raced it; an error from fn stores nothing).
	UpdateSubmission(id string, fn func(*SubmissionRow) error) (SubmissionRow, error)
	// Submissions lists the submissions whose last change number is above
	// since, by change number.
	Submissions(since uint64) ([]SubmissionRow, error)

	Close() error
}

// UserRecord is an account as stored: the API's User and its password hash.
type UserRecord struct {
	hubapi.User
	PasswordHash string    `json:"passwordHash"` // argon2id, PHC string format
	Created      time.Time `json:"created"`
}

// TokenRecord is a session token as stored: its hash, never its text.
type TokenRecord struct {
	Hash    string    `json:"-"` // hex SHA-256 of the token text; the key
	User    string    `json:"user"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// ReleaseRecord is a stored release.
type ReleaseRecord struct {
	Head      hubapi.LibraryHead `json:"head"`
	Signers   []string           `json:"signers"`
	Published time.Time          `json:"published"`
	Note      []byte             `json:"-"` // release.note; set for AddRelease only
	Blobs     []string           `json:"-"` // SHA-256 of every file; set for AddRelease only
}

// SubmissionRow is a submission as stored: what the API shows of it
// besides its body, and the SHA-256 of that body, which dedup compares.
type SubmissionRow struct {
	Head       hubapi.SubmissionHead `json:"head"`
	SignOff    hubapi.SignOffClaims  `json:"signOff"`
	History    []hubapi.StateChange  `json:"history"`
	Thread     []hubapi.Comment      `json:"thread"`
	BodySHA256 string                `json:"bodySha256"`
}
