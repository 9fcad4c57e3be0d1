// Package campaign keeps a regional office's campaigns: a template pinned to a
// library release, slot values per locale, an audience and a send date. HQ's
// locks are enforced here, on every edit, whatever the UI shows.
package campaign

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
)

// Error codes raised by this package.
const (
	CodeNotFound         fault.Code = "campaign.not_found"          // {id}
	CodeNotEditable      fault.Code = "campaign.not_editable"       // {status}
	CodeTemplateNotFound fault.Code = "campaign.template_not_found" // {template}
	CodeTemplateKind     fault.Code = "campaign.template_kind"      // {template, kind}
	CodeRegionUnknown    fault.Code = "campaign.region_unknown"     // {region}
	CodeNameInvalid      fault.Code = "campaign.name_invalid"       // {max}
	CodeLocaleUnknown    fault.Code = "campaign.locale_unknown"     // {locale}
	CodeSlotUnknown      fault.Code = "campaign.slot_unknown"       // {slot}
	CodeSlotLocked       fault.Code = "campaign.slot_locked"        // {slot}
	CodeSlotLocale       fault.Code = "campaign.slot_locale"        // {slot, locale}
	CodeSlotRequired     fault.Code = "campaign.slot_required"      // {slot}
	CodeOptionInvalid    fault.Code = "campaign.option_invalid"     // {slot, value}
	CodeTooLong          fault.Code = "campaign.too_long"           // {slot, length, max}
	CodeTooLarge         fault.Code = "campaign.too_large"          // {slot, bytes, max}
	CodeLinkInvalid      fault.Code = "campaign.link_invalid"       // {slot, value}
	CodeDateInvalid      fault.Code = "campaign.date_invalid"       // {slot, value}
	CodeImageUnknown     fault.Code = "campaign.image_unknown"      // {slot, asset}
	CodeImageTooSmall    fault.Code = "campaign.image_too_small"    // {slot, asset, width, height, minWidth, minHeight}
	CodeImageRegion      fault.Code = "campaign.image_region"       // {slot, asset, region}
	CodeAudienceInvalid  fault.Code = "campaign.audience_invalid"   // {audience, region}
	CodeSendAtInvalid    fault.Code = "campaign.send_at_invalid"    // {value}
	CodeCropInvalid      fault.Code = "campaign.crop_invalid"       // {slot, preset}
	CodeRebaseNothing    fault.Code = "campaign.rebase_nothing"     // {version}
	CodeStoreFailed      fault.Code = "campaign.store_failed"
	CodeStoreCorrupt     fault.Code = "campaign.store_corrupt" // {id}
)

// Statuses. The composer edits drafts and campaigns HQ sent back; a
// submitted campaign waits for HQ (backend/submission names HQ's states:
// the campaign takes them as the hub reports them).
const (
	StatusDraft            = "draft"
	StatusChangesRequested = "changes_requested"
	StatusSubmitted        = "submitted"
	StatusApproved         = "approved"
	StatusScheduled        = "scheduled"
	StatusSent             = "sent"
	StatusWithdrawn        = "withdrawn"
)

// CodeNotSignedOff refuses to submit a campaign without a sign-off of its
// current revision.
const CodeNotSignedOff fault.Code = "campaign.not_signed_off"

// CodeStatusInvalid is a status report the campaign cannot take.
const CodeStatusInvalid fault.Code = "campaign.status_invalid" // {status}

// Limits on what a campaign holds.
const (
	MaxNameLength  = 120      // characters
	MaxFieldBytes  = 32 << 10 // any one value; Markdown past this is not rendered
	MaxLinkLength  = 2048     // bytes
	PreheaderSlot  = "preheader"
	PreheaderLimit = 150 // characters: inboxes show 40 to 140
)

// Campaign is one campaign of a regional office.
type Campaign struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Library  string `json:"library"`
	Release  uint64 `json:"release"` // the library version the template is pinned to
	Template string `json:"template"`
	Region   string `json:"region"`
	// Locales are the region's languages when the campaign was created; the
	// first is the default that other locales fall back to.
	Locales  []string `json:"locales"`
	Audience string   `json:"audience"` // a scope id of the region, "" until chosen
	SendAt   string   `json:"sendAt"`   // "YYYY-MM-DDTHH:MM", the office's local time, "" until chosen
	Status   string   `json:"status"`
	// Values holds what the office typed or chose: locale → slot id → value.
	// A slot absent from a locale falls back (see Resolve).
	Values map[string]map[string]string `json:"values"`
	// Crops are manual crop overrides: slot id → preset id → rectangle.
	Crops   map[string]map[string]Crop `json:"crops,omitempty"`
	Author  string                     `json:"author"`
	Created time.Time                  `json:"created"`
	Updated time.Time                  `json:"updated"`
	// Rev counts saved edits; the UI shows the latest it has seen.
	Rev uint64 `json:"rev"`
	// Check is the brand check of this revision, stored with the campaign
	// (RecordCheck); every edit clears it.
	Check *Check `json:"check,omitempty"`
	// AuthorUser is the hub user name of who started it ("" when started
	// signed out): a local approver may not sign off their own campaign.
	AuthorUser string `json:"authorUser,omitempty"`
	// SignOff is a local approver's sign-off of one revision; every edit
	// clears it.
	SignOff *SignOff `json:"signOff,omitempty"`
	// SignOffVoided says an edit voided a sign-off (the composer shows it)
	// until the next sign-off.
	SignOffVoided bool `json:"signOffVoided,omitempty"`
	// Submission is the id of its latest submission, "" before the first.
	Submission string `json:"submission,omitempty"`
}

// AuthorID is who wrote the campaign as sign-off rules compare it: the hub
// user name, or the display name of a campaign started signed out.
func (c *Campaign) AuthorID() string {
	if c.AuthorUser != "" {
		return c.AuthorUser
	}
	return c.Author
}

// SignOff is a local approver's agreement, as the hub witnessed it: Grant
// is the hub's token, passed on with the submission as it is.
type SignOff struct {
	By     string    `json:"by"` // hub user name
	ByName string    `json:"byName"`
	At     time.Time `json:"at"`
	Rev    uint64    `json:"rev"`
	Grant  string    `json:"grant"`
}

// Check is the outcome of a brand check as a campaign keeps it: the
// revision it ran on, its counts and its receipt (backend/brandcheck's
// Receipt, kept as that package wrote it: the hub compares it byte for
// byte with its own).
type Check struct {
	Rev      uint64          `json:"rev"`
	Errors   int             `json:"errors"`
	Warnings int             `json:"warnings"`
	Receipt  json.RawMessage `json:"receipt"`
}

// Crop is a rectangle in fractions of the source image.
type Crop struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Editable reports whether the office may still change the campaign.
func (c *Campaign) Editable() bool {
	return c.Status == StatusDraft || c.Status == StatusChangesRequested || c.Status == StatusWithdrawn
}

// DefaultLocale is the locale other locales fall back to.
func (c *Campaign) DefaultLocale() string {
	if len(c.Locales) == 0 {
		return ""
	}
	return c.Locales[0]
}

// clone returns a deep copy, so an edit that fails leaves c as it was.
func (c *Campaign) clone() *Campaign {
	d := *c
	d.Locales = append([]string(nil), c.Locales...)
	d.Values = make(map[string]map[string]string, len(c.Values))
	for l, m := range c.Values {
		mm := make(map[string]string, len(m))
		for k, v := range m {
			mm[k] = v
		}
		d.Values[l] = mm
	}
	if c.Crops != nil {
		d.Crops = make(map[string]map[string]Crop, len(c.Crops))
		for s, m := range c.Crops {
			mm := make(map[string]Crop, len(m))
			for k, v := range m {
				mm[k] = v
			}
			d.Crops[s] = mm
		}
	}
	return &d
}

func newID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// Slots are the template's slots plus the preheader Outpost fills when the
// template does not declare it.
func Slots(t *library.Template) []library.Slot {
	out := append([]library.Slot(nil), t.Slots...)
	for _, s := range t.Slots {
		if s.ID == PreheaderSlot {
			return out
		}
	}
	pre := library.Slot{
		ID: PreheaderSlot, Kind: library.SlotText, Lock: library.LockEditable,
		Label: library.Localized{"en": "Preheader", "fr": "Texte d’aperçu", "de": "Vorschautext"},
		Help: library.Localized{
			"en": "The line inboxes show after the subject.",
			"fr": "La ligne que les messageries affichent après l’objet.",
			"de": "Die Zeile, die Posteingänge nach dem Betreff zeigen.",
		},
		Limits: library.Limits{MaxLength: PreheaderLimit},
	}
	// After the subject, where the inbox shows it.
	for i, s := range out {
		if s.ID == "subject" {
			return append(out[:i+1], append([]library.Slot{pre}, out[i+1:]...)...)
		}
	}
	return append([]library.Slot{pre}, out...)
}

// SlotOf finds a slot of t by id, the implicit preheader included.
func SlotOf(t *library.Template, id string) (library.Slot, bool) {
	for _, s := range Slots(t) {
		if s.ID == id {
			return s, true
		}
	}
	return library.Slot{}, false
}

// TemplateOf finds a template in a release's content.
func TemplateOf(c *library.Content, id string) (*library.Template, bool) {
	for i := range c.Templates {
		if c.Templates[i].ID == id {
			return &c.Templates[i], true
		}
	}
	return nil, false
}

// RegionOf finds a region in a release's content.
func RegionOf(c *library.Content, id string) (*library.Region, bool) {
	for i := range c.Regions {
		if c.Regions[i].ID == id {
			return &c.Regions[i], true
		}
	}
	return nil, false
}
