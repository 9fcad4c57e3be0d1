// Package hubapi is the wire contract between the hub (backend/hub) and the
// desktop (backend/hubclient): paths, roles, the JSON types and the error
// codes both sides speak. docs/hub-api.md is its prose.
package hubapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
)

// Paths of API version 1. {lib}, {sha256} and {name} are path values.
const (
	PathHealth         = "/v1/health"
	PathSessions       = "/v1/sessions"
	PathSessionCurrent = "/v1/sessions/current"
	PathMe             = "/v1/me"
	PathLibraries      = "/v1/libraries"
	PathReleaseNote    = "/v1/libraries/{lib}/release.note"
	PathBlob           = "/v1/blobs/{sha256}"
	PathReleases       = "/v1/releases"
	PathUsers          = "/v1/users"
	PathUserDisable    = "/v1/users/{name}/disable"
)

// ReleaseNotePath is the release.note path of one library.
func ReleaseNotePath(lib string) string { return "/v1/libraries/" + lib + "/release.note" }

// BlobPath is the path of one blob.
func BlobPath(sha string) string { return "/v1/blobs/" + sha }

// Role is what a user may do; designers and local approvers are bound to one
// region, HQ roles to all of them (AllRegions).
type Role string

const (
	RoleDesigner      Role = "designer"
	RoleLocalApprover Role = "local_approver"
	RoleHQReviewer    Role = "hq_reviewer"
	RoleHQAdmin       Role = "hq_admin"
)

// Roles lists every role, in the order the UI and the tests walk them.
var Roles = []Role{RoleDesigner, RoleLocalApprover, RoleHQReviewer, RoleHQAdmin}

// AllRegions is the region of HQ roles.
const AllRegions = "*"

// IsHQ reports whether a role belongs to HQ (all regions).
func (r Role) IsHQ() bool { return r == RoleHQReviewer || r == RoleHQAdmin }

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// User is a hub account as the API shows it (never its password hash).
type User struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	Role        Role   `json:"role"`
	Region      string `json:"region"` // AllRegions for HQ roles
	Disabled    bool   `json:"disabled"`
}

// Serves reports whether the user may see objects of a region.
func (u User) Serves(region string) bool {
	return u.Region == AllRegions || (region != "" && u.Region == region)
}

// Login is the body of POST /v1/sessions.
type Login struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

// Session is a login's answer: an opaque bearer token and whose it is.
type Session struct {
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
	User    User      `json:"user"`
}

// NewUser is the body of POST /v1/users.
type NewUser struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
	Password    string `json:"password"`
	Role        Role   `json:"role"`
	Region      string `json:"region"`
}

// LibraryHead describes one release as the hub lists it.
type LibraryHead struct {
	Library        string    `json:"library"`
	Name           string    `json:"name"`
	Version        uint64    `json:"version"`
	ManifestSHA256 string    `json:"manifestSha256"`
	Created        time.Time `json:"created"`
	Expires        time.Time `json:"expires"`
	Regions        []string  `json:"regions"`
	Files          int       `json:"files"`
	Bytes          int64     `json:"bytes"`
}

// Health is the body of GET /v1/health.
type Health struct {
	Status  string `json:"status"`
	Version string `json:"version"`
}

// Limits on request bodies.
const (
	MaxJSONBody = 64 << 10
)

// Error codes both sides use. Codes of one side only live in its package.
const (
	CodeUnauthenticated fault.Code = "hub.unauthenticated"   // no, expired or revoked token
	CodeForbidden       fault.Code = "hub.forbidden"         // the role may not do this
	CodeNotFound        fault.Code = "hub.not_found"         // no such object (or another region's)
	CodeRateLimited     fault.Code = "hub.rate_limited"      // too many logins; params: retry_after
	CodeRequestInvalid  fault.Code = "hub.request_invalid"   // params: reason
	CodeRequestTooLarge fault.Code = "hub.request_too_large" // params: limit
	CodeLoginFailed     fault.Code = "hub.login_failed"      // wrong user or password (never says which)
	CodeUserExists      fault.Code = "hub.user_exists"       // params: user
	CodeUserInvalid     fault.Code = "hub.user_invalid"      // params: field
	CodeUnavailable     fault.Code = "hub.unavailable"       // the hub's storage failed
)

// ErrorBody is every non-2xx answer's body.
type ErrorBody struct {
	Error fault.Payload `json:"error"`
}

// Status is the HTTP status of an error kind.
func Status(k fault.Kind) int {
	switch k {
	case fault.Invalid:
		return http.StatusBadRequest
	case fault.NotFound:
		return http.StatusNotFound
	case fault.Permission:
		return http.StatusForbidden
	case fault.Conflict:
		return http.StatusConflict
	case fault.Corrupt:
		return http.StatusUnprocessableEntity
	case fault.Transient, fault.Unavailable:
		return http.StatusServiceUnavailable
	case fault.Canceled:
		return 499
	}
	return http.StatusInternalServerError
}

// StatusOf is the HTTP status of an error, with the codes whose status is
// not their kind's: 401, 413 and 429.
func StatusOf(err error) int {
	switch fault.CodeOf(err) {
	case CodeUnauthenticated, CodeLoginFailed:
		return http.StatusUnauthorized
	case CodeRequestTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeRateLimited:
		return http.StatusTooManyRequests
	}
	return Status(fault.KindOf(err))
}

// DecodeError turns a non-2xx answer's body back into a *fault.Error. A body
// that is not an ErrorBody becomes a hub.bad_status error naming the status.
func DecodeError(status int, body []byte) *fault.Error {
	var eb ErrorBody
	if err := json.Unmarshal(body, &eb); err == nil && eb.Error.Code != "" {
		var k fault.Kind
		if k.UnmarshalText([]byte(eb.Error.Kind)) != nil {
			k = kindOfStatus(status)
		}
		e := fault.New(k, eb.Error.Code, "hub")
		for key, v := range eb.Error.Params {
			e = e.With(key, v)
		}
		return e
	}
	return fault.New(kindOfStatus(status), CodeBadStatus, "hub").With("status", fmt.Sprint(status))
}

// CodeBadStatus is an answer without an error body (a proxy, a crash).
const CodeBadStatus fault.Code = "hub.bad_status"

func kindOfStatus(status int) fault.Kind {
	switch {
	case status == http.StatusUnauthorized:
		return fault.Permission
	case status == http.StatusTooManyRequests, status == http.StatusBadGateway,
		status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
		return fault.Transient
	case status == http.StatusNotFound:
		return fault.NotFound
	case status == http.StatusForbidden:
		return fault.Permission
	case status >= 500:
		return fault.Transient
	}
	return fault.Invalid
}
