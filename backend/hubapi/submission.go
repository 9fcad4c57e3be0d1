package hubapi

import (
	"time"

	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
)

// Paths of submissions (docs/hub-api.md, "Submissions"). {sha256} and {id}
// are path values.
const (
	PathUpload             = "/v1/uploads/{sha256}"
	PathSignOffs           = "/v1/signoffs"
	PathSubmissions        = "/v1/submissions"
	PathSubmission         = "/v1/submissions/{id}"
	PathSubmissionActions  = "/v1/submissions/{id}/actions"
	PathSubmissionComments = "/v1/submissions/{id}/comments"
)

// UploadPath is the resumable upload of one blob.
func UploadPath(sha string) string { return "/v1/uploads/" + sha }

// SubmissionPath is one submission.
func SubmissionPath(id string) string { return "/v1/submissions/" + id }

// Headers of a resumable upload (PATCH /v1/uploads/{sha256}).
const (
	HeaderUploadOffset = "Upload-Offset" // where the body goes: the bytes the hub holds
	HeaderUploadLength = "Upload-Length" // the blob's whole size
)

// Limits of submissions.
const (
	MaxUploadChunk    = 8 << 20  // one PATCH body
	MaxUpload         = 48 << 20 // a whole uploaded blob
	MaxSubmissionBody = 16 << 20 // a PUT /v1/submissions/{id} body
	MaxCommentLength  = 4000     // characters of a comment
)

// Error codes of submissions both sides speak.
const (
	CodeUploadOffset     fault.Code = "hub.upload_offset"             // {offset}: the hub holds another number of bytes; resume there
	CodeUploadCorrupt    fault.Code = "hub.upload_corrupt"            // {sha256}: the uploaded bytes do not hash to the name; the upload was dropped
	CodeIDReused         fault.Code = "submission.id_reused"          // {id}: the id was used for another body
	CodeBlobMissing      fault.Code = "submission.blob_missing"       // {sha256}: upload the blob first
	CodeReceiptMismatch  fault.Code = "submission.receipt_mismatch"   // {reason}: the hub's check differs from the receipt
	CodeSignOffInvalid   fault.Code = "submission.signoff_invalid"    // {reason}: the sign-off grant is absent, forged or of another revision
	CodeReleaseUnknown   fault.Code = "submission.release_unknown"    // {library, version}: the hub lacks the release the campaign is pinned to
	CodeCommentRequired  fault.Code = "submission.comment_required"   // {action}: this action needs a comment
	CodeSubmissionBroken fault.Code = "submission.submission_invalid" // {field}: the submission is malformed
)

// UploadStatus answers GET and PATCH /v1/uploads/{sha256}.
type UploadStatus struct {
	Received int64 `json:"received"` // bytes the hub holds of the upload
	Complete bool  `json:"complete"` // the blob is stored: nothing left to send
}

// SignOffRequest is the body of POST /v1/signoffs: a local approver asks
// the hub to witness its sign-off of one revision of a campaign.
type SignOffRequest struct {
	CampaignID     string             `json:"campaignId"`
	Region         string             `json:"region"`
	Author         string             `json:"author"` // hub user name of who wrote the campaign
	Rev            uint64             `json:"rev"`
	CampaignSHA256 string             `json:"campaignSha256"` // SHA-256 of brandcheck.CampaignJSON(campaign, nil)
	Errors         int                `json:"errors"`         // the check's error count
	Receipt        brandcheck.Receipt `json:"receipt"`
}

// SignOffGrant is the hub's witness of a sign-off: Claims as base64url
// JSON, ".", base64url HMAC-SHA256 of that text with the hub's secret.
// Only the hub can make one; the desktop passes it on as it is.
type SignOffGrant struct {
	Grant string `json:"grant"`
}

// SignOffClaims is what a grant says.
type SignOffClaims struct {
	By             string    `json:"by"`
	ByName         string    `json:"byName"`
	At             time.Time `json:"at"`
	CampaignID     string    `json:"campaignId"`
	Region         string    `json:"region"`
	Author         string    `json:"author"`
	Rev            uint64    `json:"rev"`
	CampaignSHA256 string    `json:"campaignSha256"`
	FindingsSHA256 string    `json:"findingsSha256"`
}

// SignOffAnswer is the answer of POST /v1/signoffs.
type SignOffAnswer struct {
	Grant  string        `json:"grant"`
	Claims SignOffClaims `json:"claims"`
}

// Submission is the body of PUT /v1/submissions/{id}: a campaign as it
// leaves the office.
type Submission struct {
	ID          string               `json:"id"` // "sub_" + 26 lowercase base32 characters
	Campaign    campaign.Campaign    `json:"campaign"`
	Locales     []SubmissionLocale   `json:"locales"`
	Renditions  []Rendition          `json:"renditions"`
	Imports     []library.Local      `json:"imports"` // the office's photos the campaign shows
	Receipt     brandcheck.Receipt   `json:"receipt"`
	Findings    []brandcheck.Finding `json:"findings"`
	SignOff     SignOffGrant         `json:"signOff"`
	SubmittedAt time.Time            `json:"submittedAt"`
}

// SubmissionLocale is one locale's email as the office rendered it.
type SubmissionLocale struct {
	Locale string `json:"locale"`
	HTML   string `json:"html"`
	Text   string `json:"text"`
}

// Rendition is a picture of the email as sent: its campaign.Picture key and
// the blob (uploaded first) of its bytes.
type Rendition struct {
	Key    string `json:"key"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// SubmissionHead is a submission as GET /v1/submissions lists it.
type SubmissionHead struct {
	ID           string    `json:"id"`
	CampaignID   string    `json:"campaignId"`
	CampaignName string    `json:"campaignName"`
	Region       string    `json:"region"`
	Library      string    `json:"library"`
	Release      uint64    `json:"release"`
	Template     string    `json:"template"`
	Rev          uint64    `json:"rev"`
	Author       string    `json:"author"`
	SubmittedBy  string    `json:"submittedBy"`
	SignedOffBy  string    `json:"signedOffBy"`
	State        string    `json:"state"` // a submission.State
	Warnings     int       `json:"warnings"`
	Submitted    time.Time `json:"submitted"`
	Updated      time.Time `json:"updated"`
	Seq          uint64    `json:"seq"` // the hub's change counter when it last changed
	Comments     int       `json:"comments"`
	// Replaces is the campaign's earlier submission this one was sent in
	// place of (after HQ asked for changes, or after a withdrawal);
	// ReplacedBy, on that earlier one, names this one. The hub links them
	// when the new one arrives.
	Replaces   string `json:"replaces,omitempty"`
	ReplacedBy string `json:"replacedBy,omitempty"`
}

// SubmissionRecord is one submission with its life on the hub.
type SubmissionRecord struct {
	SubmissionHead
	SignOff    SignOffClaims `json:"signOff"`
	History    []StateChange `json:"history"`
	Thread     []Comment     `json:"thread"`
	Submission Submission    `json:"submission"`
}

// StateChange is one step of a submission's history.
type StateChange struct {
	State  string    `json:"state"`
	Action string    `json:"action"` // "" for the first
	At     time.Time `json:"at"`
	By     string    `json:"by"`
}

// Comment is one message of a submission's thread.
type Comment struct {
	ID     int       `json:"id"` // 1, 2, ... within the submission
	By     string    `json:"by"`
	ByName string    `json:"byName"`
	Role   Role      `json:"role"`
	At     time.Time `json:"at"`
	Text   string    `json:"text"`
	Slot   string    `json:"slot,omitempty"`
	Locale string    `json:"locale,omitempty"`
	Action string    `json:"action,omitempty"` // the action it came with, if any
}

// SubmissionAction is the body of POST /v1/submissions/{id}/actions.
type SubmissionAction struct {
	Action  string `json:"action"` // a submission.Action
	Comment string `json:"comment"`
}

// NewComment is the body of POST /v1/submissions/{id}/comments.
type NewComment struct {
	Text   string `json:"text"`
	Slot   string `json:"slot"`
	Locale string `json:"locale"`
}
