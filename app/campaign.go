package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/render"
)

// CampaignService composes campaigns: the list, the form generated from a
// template, every edit (checked and saved in Go) and the email preview.
type CampaignService struct{ a *App }

// CampaignQuery filters the campaign list.
type CampaignQuery struct {
	Text   string `json:"text"`
	Status string `json:"status"` // "" for all
}

// CampaignSummary is a row of the campaign list.
type CampaignSummary struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Template     string            `json:"template"`
	TemplateName library.Localized `json:"templateName"`
	Status       string            `json:"status"`
	Region       string            `json:"region"`
	Locales      []string          `json:"locales"`
	Release      uint64            `json:"release"`
	Rebase       bool              `json:"rebase"` // a newer library release is available
	Author       string            `json:"author"`
	Updated      string            `json:"updated"` // RFC 3339
	SendAt       string            `json:"sendAt"`
}

// CampaignList is the list with what could not be read.
type CampaignList struct {
	Items   []CampaignSummary `json:"items"`
	Total   int               `json:"total"`   // before filtering
	Damaged []string          `json:"damaged"` // ids whose record is unreadable
}

// CampaignView is a campaign with the form its template generates.
type CampaignView struct {
	ID           string                                  `json:"id"`
	Name         string                                  `json:"name"`
	Library      string                                  `json:"library"`
	Release      uint64                                  `json:"release"`
	Latest       uint64                                  `json:"latest"` // the library's current version
	Template     string                                  `json:"template"`
	TemplateName library.Localized                       `json:"templateName"`
	Region       string                                  `json:"region"`
	RegionName   library.Localized                       `json:"regionName"`
	Locales      []string                                `json:"locales"`
	Audience     string                                  `json:"audience"`
	SendAt       string                                  `json:"sendAt"`
	Status       string                                  `json:"status"`
	Author       string                                  `json:"author"`
	Created      string                                  `json:"created"`
	Updated      string                                  `json:"updated"`
	Rev          uint64                                  `json:"rev"`
	Crops        map[string]map[string]campaign.Crop     `json:"crops"`
	Slots        []SlotView                              `json:"slots"`
	Scopes       []ScopeView                             `json:"scopes"`
	Translation  []LocaleStatus                          `json:"translation"`
	Sender       library.Localized                       `json:"sender"`
	Values       map[string]map[string]campaign.Resolved `json:"values"` // locale → slot → resolved
	// SignOff is the local approver's sign-off of this revision, nil when
	// there is none (or an edit voided it: SignOffVoided).
	SignOff       *SignOffView `json:"signOff"`
	SignOffVoided bool         `json:"signOffVoided"`
	// Submission is the id of the latest submission, "" before the first.
	Submission string `json:"submission"`
	// HQComments are HQ's messages on the latest submission, oldest first;
	// slot and locale say which field a message is about ("" for none).
	HQComments []HQComment `json:"hqComments"`
}

// SignOffView is who signed a campaign off, and when.
type SignOffView struct {
	By     string `json:"by"` // hub user name
	ByName string `json:"byName"`
	At     string `json:"at"` // RFC 3339
}

// HQComment is one of HQ's messages about a submitted campaign.
type HQComment struct {
	ID     int    `json:"id"`
	ByName string `json:"byName"`
	At     string `json:"at"` // RFC 3339
	Text   string `json:"text"`
	Slot   string `json:"slot"`
	Locale string `json:"locale"`
}

// SlotView is one field of the form.
type SlotView struct {
	ID      string            `json:"id"`
	Kind    string            `json:"kind"`
	Lock    string            `json:"lock"`
	Label   library.Localized `json:"label"`
	Help    library.Localized `json:"help"`
	Options []OptionView      `json:"options"`
	Limits  library.Limits    `json:"limits"`
}

// OptionView is one of HQ's choices; for pictures Thumb shows it.
type OptionView struct {
	ID    string            `json:"id"`
	Label library.Localized `json:"label"`
	Value library.Localized `json:"value"`
	Thumb string            `json:"thumb"`
}

// ScopeView is an audience the campaign's region may target.
type ScopeView struct {
	ID          string            `json:"id"`
	Name        library.Localized `json:"name"`
	Description library.Localized `json:"description"`
}

// LocaleStatus says which text slots of a locale still show another
// locale's words.
type LocaleStatus struct {
	Locale       string   `json:"locale"`
	Untranslated []string `json:"untranslated"`
}

// RebasePlan is what moving a campaign to the current release changes.
type RebasePlan struct {
	From    uint64            `json:"from"`
	To      uint64            `json:"to"`
	Changes []campaign.Change `json:"changes"`
}

func errNoStore() error { return fault.New(fault.Unavailable, CodeCacheUnavailable, "app.Campaigns") }

func (a *App) campaignStore() (*campaign.Store, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.campaigns == nil {
		return nil, errNoStore()
	}
	return a.campaigns, nil
}

// List returns the campaigns, most recently edited first.
func (s *CampaignService) List(q CampaignQuery) (CampaignList, error) {
	st, err := s.a.campaignStore()
	if err != nil {
		return CampaignList{}, err
	}
	all, damaged, err := st.All()
	if err != nil {
		return CampaignList{}, err
	}
	latest := map[string]uint64{}
	if ix, _ := s.a.index(); ix != nil {
		latest[ix.Record.Library] = ix.Record.Version
	}
	words := strings.Fields(library.Fold(q.Text))
	out := CampaignList{Items: []CampaignSummary{}, Total: len(all), Damaged: damaged}
	if out.Damaged == nil {
		out.Damaged = []string{}
	}
	for _, c := range all {
		if q.Status != "" && c.Status != q.Status {
			continue
		}
		var tname library.Localized
		if ix, err := st.Release(c); err == nil {
			if t, ok := campaign.TemplateOf(ix.Content, c.Template); ok {
				tname = t.Name
			}
		}
		if len(words) > 0 {
			hay := library.Fold(c.Name + " " + c.Template + " " + strings.Join(values(tname), " "))
			ok := true
			for _, w := range words {
				ok = ok && strings.Contains(hay, w)
			}
			if !ok {
				continue
			}
		}
		out.Items = append(out.Items, CampaignSummary{
			ID: c.ID, Name: c.Name, Template: c.Template, TemplateName: tname, Status: c.Status,
			Region: c.Region, Locales: c.Locales, Release: c.Release, Rebase: latest[c.Library] > c.Release,
			Author: c.Author, Updated: c.Updated.Format(time.RFC3339), SendAt: c.SendAt,
		})
	}
	return out, nil
}

func values(l library.Localized) []string {
	out := make([]string, 0, len(l))
	for _, v := range l {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// Create starts a draft from a template of the current library.
func (s *CampaignService) Create(template, name, region string) (CampaignView, error) {
	st, err := s.a.campaignStore()
	if err != nil {
		return CampaignView{}, err
	}
	ix, err := s.a.index()
	if err != nil {
		return CampaignView{}, err
	}
	c, err := st.Create(ix, campaign.New{
		Template: template, Name: name, Region: region,
		Author: s.a.authorName(), AuthorUser: s.a.hubUserName(),
	})
	if err != nil {
		return CampaignView{}, err
	}
	return s.a.campaignView(st, c)
}

// Get returns a campaign with its form.
func (s *CampaignService) Get(id string) (CampaignView, error) {
	return s.a.campaignDo(func(st *campaign.Store) (*campaign.Campaign, error) { return st.Get(id) })
}

// SetValue sets one slot in one locale ("" clears it) and returns the
// campaign as saved.
func (s *CampaignService) SetValue(id, locale, slot, value string) (CampaignView, error) {
	return s.a.campaignDo(func(st *campaign.Store) (*campaign.Campaign, error) { return st.SetValue(id, locale, slot, value) })
}

// SetAudience chooses the audience ("" clears it).
func (s *CampaignService) SetAudience(id, scope string) (CampaignView, error) {
	return s.a.campaignDo(func(st *campaign.Store) (*campaign.Campaign, error) { return st.SetAudience(id, scope) })
}

// SetSendAt sets the send date and time, "YYYY-MM-DDTHH:MM" ("" clears it).
func (s *CampaignService) SetSendAt(id, at string) (CampaignView, error) {
	return s.a.campaignDo(func(st *campaign.Store) (*campaign.Campaign, error) { return st.SetSendAt(id, at) })
}

// SetCrop overrides an image slot's crop for a preset; nil restores it.
func (s *CampaignService) SetCrop(id, slot, preset string, crop *campaign.Crop) (CampaignView, error) {
	return s.a.campaignDo(func(st *campaign.Store) (*campaign.Campaign, error) { return st.SetCrop(id, slot, preset, crop) })
}

// Rename renames a campaign.
func (s *CampaignService) Rename(id, name string) (CampaignView, error) {
	return s.a.campaignDo(func(st *campaign.Store) (*campaign.Campaign, error) { return st.Rename(id, name) })
}

// Duplicate copies a campaign into a new draft.
func (s *CampaignService) Duplicate(id, name string) (CampaignView, error) {
	return s.a.campaignDo(func(st *campaign.Store) (*campaign.Campaign, error) {
		return st.Duplicate(id, name, s.a.authorName())
	})
}

// Delete removes a campaign for good (the UI confirms first).
func (s *CampaignService) Delete(id string) error {
	st, err := s.a.campaignStore()
	if err != nil {
		return err
	}
	s.a.previews.forget(id)
	return st.Delete(id)
}

// PlanRebase lists what moving the campaign to the current release changes.
func (s *CampaignService) PlanRebase(id string) (RebasePlan, error) {
	st, err := s.a.campaignStore()
	if err != nil {
		return RebasePlan{}, err
	}
	ix, err := s.a.index()
	if err != nil {
		return RebasePlan{}, err
	}
	p, err := st.PlanRebase(id, ix)
	if err != nil {
		return RebasePlan{}, err
	}
	return RebasePlan(*p), nil
}

// Rebase moves the campaign to the current release.
func (s *CampaignService) Rebase(id string) (CampaignView, error) {
	ix, err := s.a.index()
	if err != nil {
		return CampaignView{}, err
	}
	return s.a.campaignDo(func(st *campaign.Store) (*campaign.Campaign, error) {
		c, _, err := st.Rebase(id, ix)
		return c, err
	})
}

func (a *App) campaignDo(fn func(*campaign.Store) (*campaign.Campaign, error)) (CampaignView, error) {
	st, err := a.campaignStore()
	if err != nil {
		return CampaignView{}, err
	}
	c, err := fn(st)
	if err != nil {
		return CampaignView{}, err
	}
	return a.campaignView(st, c)
}

// hubUserName is the signed-in hub user's name, "" when signed out.
func (a *App) hubUserName() string {
	st := a.hub.status()
	if !st.SignedIn {
		return ""
	}
	return st.User.Name
}

// authorName is the name a new campaign is written by: the display name
// from the settings, else the signed-in hub user's name.
func (a *App) authorName() string {
	if n := a.settings.Get().DisplayName; n != "" {
		return n
	}
	return a.hubUserName()
}

// hqComments are HQ's messages on the campaign's latest submission, as the
// last poll brought them.
func (a *App) hqComments(c *campaign.Campaign) []HQComment {
	out := []HQComment{}
	if c.Submission == "" {
		return out
	}
	ob, err := a.out.box("app.Campaign")
	if err != nil {
		return out
	}
	rec, err := ob.Record(c.Submission)
	if err != nil || rec.Hub == nil {
		return out
	}
	for _, m := range rec.Hub.Thread {
		if m.Role != hubapi.RoleHQReviewer && m.Role != hubapi.RoleHQAdmin {
			continue
		}
		out = append(out, HQComment{ID: m.ID, ByName: m.ByName, At: stamp(m.At), Text: m.Text, Slot: m.Slot, Locale: m.Locale})
	}
	return out
}

func (a *App) campaignView(st *campaign.Store, c *campaign.Campaign) (CampaignView, error) {
	ix, err := st.Release(c)
	if err != nil {
		return CampaignView{}, err
	}
	t, ok := campaign.TemplateOf(ix.Content, c.Template)
	if !ok {
		return CampaignView{}, fault.New(fault.NotFound, campaign.CodeTemplateNotFound, "app.Campaign").With("template", c.Template)
	}
	v := CampaignView{
		ID: c.ID, Name: c.Name, Library: c.Library, Release: c.Release, Latest: c.Release,
		Template: c.Template, TemplateName: t.Name, Region: c.Region, Locales: c.Locales,
		Audience: c.Audience, SendAt: c.SendAt, Status: c.Status, Author: c.Author,
		Created: c.Created.Format(time.RFC3339), Updated: c.Updated.Format(time.RFC3339), Rev: c.Rev,
		Crops: c.Crops, Sender: ix.Content.Email.Sender,
		Slots: []SlotView{}, Scopes: []ScopeView{}, Translation: []LocaleStatus{},
		Values:        map[string]map[string]campaign.Resolved{},
		SignOffVoided: c.SignOffVoided, Submission: c.Submission, HQComments: a.hqComments(c),
	}
	if so := c.SignOff; so != nil && so.Rev == c.Rev {
		v.SignOff = &SignOffView{By: so.By, ByName: so.ByName, At: stamp(so.At)}
	}
	if v.Crops == nil {
		v.Crops = map[string]map[string]campaign.Crop{}
	}
	if cur, _ := a.index(); cur != nil && cur.Record.Library == c.Library {
		v.Latest = cur.Record.Version
	}
	if r, ok := campaign.RegionOf(ix.Content, c.Region); ok {
		v.RegionName = r.Name
	}
	for _, sl := range campaign.Slots(t) {
		sv := SlotView{ID: sl.ID, Kind: sl.Kind, Lock: sl.Lock, Label: sl.Label, Help: sl.Help, Limits: sl.Limits, Options: []OptionView{}}
		for _, o := range sl.Options {
			ov := OptionView{ID: o.ID, Label: o.Label, Value: o.Value}
			if sl.Kind == library.SlotImage {
				if as, ok := ix.Asset(o.Value.In("*", ix.Content.Locales[0])); ok {
					ov.Thumb = thumbURL(ix.SHA(as.Path))
				}
			}
			sv.Options = append(sv.Options, ov)
		}
		v.Slots = append(v.Slots, sv)
	}
	for _, sc := range ix.Content.Scopes {
		for _, r := range sc.Regions {
			if r == c.Region {
				v.Scopes = append(v.Scopes, ScopeView{ID: sc.ID, Name: sc.Name, Description: sc.Description})
			}
		}
	}
	for _, l := range c.Locales {
		ls := LocaleStatus{Locale: l, Untranslated: []string{}}
		m := map[string]campaign.Resolved{}
		for _, r := range campaign.Resolve(c, t, l, ix.Content.Locales[0]) {
			m[r.Slot] = r
			if r.Untranslated() {
				ls.Untranslated = append(ls.Untranslated, r.Slot)
			}
		}
		v.Values[l] = m
		v.Translation = append(v.Translation, ls)
	}
	return v, nil
}

// PreviewView is one locale of a campaign rendered: the inbox line, the
// sizes, what was dropped, and where the sandboxed frame loads the email.
type PreviewView struct {
	URL       string           `json:"url"` // /campaign/preview/{id}/{locale}?rev=N; add &scheme=dark|inverted
	Rev       uint64           `json:"rev"`
	Locale    string           `json:"locale"`
	Sender    string           `json:"sender"`
	From      string           `json:"from"`
	Subject   string           `json:"subject"`
	Preheader string           `json:"preheader"`
	Text      string           `json:"text"`
	Bytes     int              `json:"bytes"`
	Clipped   bool             `json:"clipped"`
	Problems  []render.Problem `json:"problems"`
}

// Preview renders one locale of a campaign.
func (s *CampaignService) Preview(id, locale string) (PreviewView, error) {
	st, err := s.a.campaignStore()
	if err != nil {
		return PreviewView{}, err
	}
	c, err := st.Get(id)
	if err != nil {
		return PreviewView{}, err
	}
	p, err := s.a.previews.render(s.a.wailsCtxOr(), st, c, locale)
	if err != nil {
		return PreviewView{}, err
	}
	return p.view, nil
}

func (a *App) wailsCtxOr() context.Context {
	if ctx := a.wailsCtx(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// pictureHost is the address pictures have in a rendered email until the
// preview swaps them for data URLs (and, on submission, for content hashes).
const pictureHost = "https://pictures.outpost.invalid/"

// previews keeps the latest rendering of each campaign locale, so the
// sandboxed frame can load what Preview just measured.
type previews struct {
	renderer *render.Renderer
	mu       sync.Mutex
	m        map[string]*preview // id/locale
	checks   map[string]checked  // each campaign's latest brand check
	// picture renders a picture as the email shows it (renditions.picture).
	picture func(campaign.Picture) ([]byte, string, error)
}

type preview struct {
	view PreviewView
	html string
	pics map[string]campaign.Picture // key → picture
}

func (p *previews) forget(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.checks, id)
	for k := range p.m {
		if strings.HasPrefix(k, id+"/") {
			delete(p.m, k)
		}
	}
}

func (p *previews) render(ctx context.Context, st *campaign.Store, c *campaign.Campaign, locale string) (*preview, error) {
	key := c.ID + "/" + locale
	p.mu.Lock()
	if old := p.m[key]; old != nil && old.view.Rev == c.Rev {
		p.mu.Unlock()
		return old, nil
	}
	p.mu.Unlock()
	ix, layout, err := st.Layout(c)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(c.Locales, locale) {
		return nil, fault.New(fault.Invalid, campaign.CodeLocaleUnknown, "app.Preview").With("locale", locale)
	}
	pics := map[string]campaign.Picture{}
	sizes, err := p.renderer.ImageSizes(layout)
	if err != nil {
		return nil, err
	}
	e, _, err := campaign.Email(c, ix, layout, sizes, locale, func(pic campaign.Picture) string {
		pics[pic.Key()] = pic
		return pictureHost + pic.Key()
	})
	if err != nil {
		return nil, err
	}
	res, err := p.renderer.Render(ctx, e)
	if err != nil {
		return nil, err
	}
	libDefault := ix.Content.Locales[0]
	pv := &preview{html: res.HTML, pics: pics, view: PreviewView{
		URL: "/campaign/preview/" + c.ID + "/" + locale + "?rev=" + strconv.FormatUint(c.Rev, 10), Rev: c.Rev, Locale: locale,
		Sender: ix.Content.Email.Sender.In(locale, libDefault), From: ix.Content.Email.From,
		Subject: e.Fields["subject"].Value, Preheader: e.Fields[campaign.PreheaderSlot].Value,
		Text: res.Text, Bytes: res.Bytes, Clipped: res.Clipped, Problems: res.Problems,
	}}
	if pv.view.Problems == nil {
		pv.view.Problems = []render.Problem{}
	}
	p.mu.Lock()
	p.m[key] = pv
	p.mu.Unlock()
	return pv, nil
}

// previewCSP is the preview frame's own policy: no script, no network, no
// forms; pictures only as data URLs, styles inline; sandboxed even if the
// page is ever opened outside its sandboxed frame.
const previewCSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox"

// servePreview answers /campaign/preview/{id}/{locale}?rev=N&scheme=…
func (a *App) servePreview(w http.ResponseWriter, r *http.Request, rest string) {
	id, locale, ok := strings.Cut(rest, "/")
	st, err := a.campaignStore()
	if !ok || err != nil || r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	c, err := st.Get(id)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	p, err := a.previews.render(r.Context(), st, c, locale)
	if err != nil {
		a.log.Warn("preview", "id", id, "locale", locale, "err", err)
		http.Error(w, string(fault.CodeOf(err)), http.StatusUnprocessableEntity)
		return
	}
	html := p.html
	for key, pic := range p.pics {
		src, err := a.pictureData(pic)
		if err != nil {
			a.log.Warn("preview picture", "asset", pic.Asset, "err", err)
			src = missingPicture
		}
		html = strings.ReplaceAll(html, pictureHost+key, src)
	}
	html = applyScheme(html, r.URL.Query().Get("scheme"))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", previewCSP)
	w.Write([]byte(html))
}

// missingPicture is a grey box shown where a picture cannot be made.
const missingPicture = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnIHZpZXdCb3g9JzAgMCAyIDEnPjxyZWN0IHdpZHRoPScyJyBoZWlnaHQ9JzEnIGZpbGw9JyNkZGQnLz48L3N2Zz4="

// pictureData is a picture's rendition as a data URL.
func (a *App) pictureData(pic campaign.Picture) (string, error) {
	b, mime, err := a.renditions.picture(pic)
	if err != nil {
		return "", err
	}
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b), nil
}

// applyScheme shows the email as a dark-mode inbox would: "dark" turns on
// the email's own prefers-color-scheme: dark rules; "inverted" imitates the
// forced inversion Gmail and Outlook.com apply to emails without them.
func applyScheme(html, scheme string) string {
	switch scheme {
	case "dark":
		html = strings.ReplaceAll(html, "prefers-color-scheme: dark", "min-width: 0px")
		html = strings.ReplaceAll(html, "prefers-color-scheme:dark", "min-width:0px")
		return strings.Replace(html, "<head>", `<head><meta name="color-scheme" content="dark">`, 1)
	case "inverted":
		const inv = `<style>html{filter:invert(1) hue-rotate(180deg);background:#fff}img{filter:invert(1) hue-rotate(180deg)}</style>`
		if i := strings.LastIndex(html, "</head>"); i >= 0 {
			return html[:i] + inv + html[i:]
		}
		return inv + html
	}
	return html
}

// Check runs the brand check on a campaign: every locale rendered as it
// will be submitted (pictures referenced by content, not inlined), against
// the rule pack of the release it is pinned to, as of today.
func (s *CampaignService) Check(id string) (brandcheck.Report, error) {
	st, err := s.a.campaignStore()
	if err != nil {
		return brandcheck.Report{}, err
	}
	c, err := st.Get(id)
	if err != nil {
		return brandcheck.Report{}, err
	}
	return s.a.previews.check(s.a.wailsCtxOr(), st, c, time.Now().Format(time.DateOnly))
}

// check runs (or reuses, for the same revision and day) a campaign's check
// and stores its outcome with the campaign (campaign.Check): the receipt the
// sign-off and the hub rely on lives with the draft, not in this cache.
func (p *previews) check(ctx context.Context, st *campaign.Store, c *campaign.Campaign, today string) (brandcheck.Report, error) {
	key := c.ID + "@" + strconv.FormatUint(c.Rev, 10) + "@" + today
	p.mu.Lock()
	if r, ok := p.checks[c.ID]; ok && r.key == key {
		p.mu.Unlock()
		return r.report, nil
	}
	p.mu.Unlock()
	ix, layout, err := st.Layout(c)
	if err != nil {
		return brandcheck.Report{}, err
	}
	ls, err := brandcheck.Prepare(ctx, c, ix, layout, p.renderer, nil)
	if err != nil {
		return brandcheck.Report{}, err
	}
	r := brandcheck.Check(brandcheck.Input{Campaign: c, Release: ix, Locales: ls, ImageBytes: p.weigh(ls), Today: today})
	receipt, err := json.Marshal(r.Receipt)
	if err != nil {
		return brandcheck.Report{}, fault.New(fault.Internal, fault.CodeInternal, "app.check").Wrap(err)
	}
	if _, err := st.RecordCheck(c.ID, campaign.Check{Rev: c.Rev, Errors: r.Errors, Warnings: r.Warnings, Receipt: receipt}); err != nil {
		return brandcheck.Report{}, err
	}
	p.mu.Lock()
	p.checks[c.ID] = checked{key, r}
	p.mu.Unlock()
	return r, nil
}

// weigh is the bytes of each picture's rendition, by picture key, for the
// email-weight rule. A picture that cannot be rendered is left out: the
// image rules report it.
func (p *previews) weigh(ls []brandcheck.LocaleRender) map[string]int {
	if p.picture == nil {
		return nil
	}
	sizes := map[string]int{}
	for _, l := range ls {
		for _, pic := range l.Pictures {
			k := pic.Key()
			if _, done := sizes[k]; done {
				continue
			}
			if b, _, err := p.picture(pic); err == nil {
				sizes[k] = len(b)
			}
		}
	}
	return sizes
}

type checked struct {
	key    string
	report brandcheck.Report
}
