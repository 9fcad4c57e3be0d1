package submission

import (
	"encoding/json"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// SignOff is a local approver's agreement that one revision of a campaign
// may leave the office: who, when, and the brand check it relied on.
type SignOff struct {
	By      string          `json:"by"`     // the approver's hub user name
	ByName  string          `json:"byName"` // as shown to people
	At      time.Time       `json:"at"`
	Rev     uint64          `json:"rev"`     // the campaign revision signed off
	Receipt json.RawMessage `json:"receipt"` // that revision's brand-check receipt
}

// Codes of a refused sign-off.
const (
	CodeSignOffRole   fault.Code = "submission.signoff_role"   // {role}: only a local approver signs off
	CodeSignOffRegion fault.Code = "submission.signoff_region" // {region}: of another region
	CodeSignOffOwn    fault.Code = "submission.signoff_own"    // the approver wrote the campaign
	CodeSignOffErrors fault.Code = "submission.signoff_errors" // {errors}: the check still finds errors
	CodeSignOffStale  fault.Code = "submission.signoff_stale"  // the check is not of the current revision
)

// Checked is what a sign-off needs to know of a campaign.
type Checked struct {
	Region   string
	Author   string // the hub user name of who wrote it
	Rev      uint64 // the current revision
	CheckRev uint64 // the revision its stored brand check ran on
	Errors   int    // that check's errors
}

// CanSignOff says whether approver may sign off the campaign: a local
// approver of its region who did not write it (separation of duties), on a
// revision whose brand check is current and finds no error.
func CanSignOff(approver hubapi.User, c Checked) error {
	const op = "submission.SignOff"
	switch {
	case approver.Disabled || approver.Role != hubapi.RoleLocalApprover:
		return fault.New(fault.Permission, CodeSignOffRole, op).With("role", approver.Role)
	case approver.Region != c.Region:
		return fault.New(fault.Permission, CodeSignOffRegion, op).With("region", c.Region)
	case approver.Name == c.Author:
		return fault.New(fault.Permission, CodeSignOffOwn, op)
	case c.CheckRev != c.Rev:
		return fault.New(fault.Conflict, CodeSignOffStale, op)
	case c.Errors > 0:
		return fault.New(fault.Conflict, CodeSignOffErrors, op).With("errors", c.Errors)
	}
	return nil
}

// Valid reports whether a sign-off still holds for revision rev: any later
// edit voids it.
func (s *SignOff) Valid(rev uint64) bool { return s != nil && s.Rev == rev }
