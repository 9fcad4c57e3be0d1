package hub

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/submission"
)

// maxGrant bounds a grant's text before it is decoded.
const maxGrant = 4 << 10

func newGrantKey() ([]byte, error) {
	k := make([]byte, 32)
	_, err := rand.Read(k)
	return k, err
}

func (h *Hub) grantMAC(payload string) []byte {
	m := hmac.New(sha256.New, h.grantKey)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// grant signs claims: base64url(JSON) "." base64url(HMAC-SHA256).
func (h *Hub) grant(c hubapi.SignOffClaims) (string, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + base64.RawURLEncoding.EncodeToString(h.grantMAC(payload)), nil
}

func errGrant(reason string) error {
	return fault.New(fault.Permission, hubapi.CodeSignOffInvalid, "hub.grant").With("reason", reason)
}

// openGrant checks a grant's MAC and returns its claims.
func (h *Hub) openGrant(g string) (hubapi.SignOffClaims, error) {
	var c hubapi.SignOffClaims
	if g == "" {
		return c, errGrant("absent")
	}
	payload, mac, ok := strings.Cut(g, ".")
	if !ok || len(g) > maxGrant {
		return c, errGrant("malformed")
	}
	sum, err := base64.RawURLEncoding.DecodeString(mac)
	if err != nil || !hmac.Equal(sum, h.grantMAC(payload)) {
		return c, errGrant("signature")
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(b, &c) != nil {
		return c, errGrant("malformed")
	}
	return c, nil
}

// serveSignOff witnesses a local approver's sign-off: the hub applies
// submission.CanSignOff with the caller as the approver, then answers a
// grant only it can make, which the submission carries.
func (h *Hub) serveSignOff(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	var req hubapi.SignOffRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	switch {
	case req.CampaignID == "" || len(req.CampaignID) > 128:
		return requestInvalid("campaignId")
	case !shaPattern.MatchString(req.CampaignSHA256) || req.CampaignSHA256 != req.Receipt.CampaignSHA256:
		return requestInvalid("campaignSha256")
	case !shaPattern.MatchString(req.Receipt.FindingsSHA256):
		return requestInvalid("receipt")
	case req.Author == "":
		return requestInvalid("author")
	}
	err := submission.CanSignOff(*u, submission.Checked{
		Region: req.Region, Author: req.Author, Rev: req.Rev, CheckRev: req.Rev, Errors: req.Errors,
	})
	if err != nil {
		return err
	}
	claims := hubapi.SignOffClaims{
		By: u.Name, ByName: u.DisplayName, At: h.now().UTC(),
		CampaignID: req.CampaignID, Region: req.Region, Author: req.Author, Rev: req.Rev,
		CampaignSHA256: req.CampaignSHA256, FindingsSHA256: req.Receipt.FindingsSHA256,
	}
	g, err := h.grant(claims)
	if err != nil {
		return fault.New(fault.Internal, fault.CodeInternal, "hub.signOff").Wrap(err)
	}
	h.log.Info("hub: sign-off granted", "user", u.Name, "campaign", req.CampaignID, "rev", req.Rev)
	writeJSON(w, http.StatusCreated, hubapi.SignOffAnswer{Grant: g, Claims: claims})
	return nil
}
