package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/submission"
)

// submissionIDPattern is "sub_" and 16 random bytes in lowercase base32
// without padding.
var submissionIDPattern = regexp.MustCompile(`^sub_[a-z2-7]{26}$`)

// receiptWindow is how far a receipt's date may be from the hub's day: an
// office may stay offline for weeks, but a check may not be dated ahead.
const (
	receiptPast   = 31 * 24 * time.Hour
	receiptFuture = 36 * time.Hour
)

func sha256Of(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func submissionInvalid(field string) error {
	return fault.New(fault.Invalid, hubapi.CodeSubmissionBroken, "hub.submission").With("field", field)
}

func receiptMismatch(reason string) error {
	return fault.New(fault.Corrupt, hubapi.CodeReceiptMismatch, "hub.submission").With("reason", reason)
}

// readBody reads a JSON body of at most limit bytes as it came.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if !hasType(r, "application/json") {
		return nil, requestInvalid("content_type")
	}
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(limit)
		}
		return nil, fault.New(fault.Transient, hubapi.CodeUnavailable, "hub.request").Wrap(err)
	}
	return b, nil
}

// decodeStrict decodes one JSON value, no unknown field, nothing after it.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return requestInvalid("type").With("field", typ.Field).Wrap(err)
		}
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return requestInvalid("unknown_field").With("field", strings.Trim(field, `"`)).Wrap(err)
		}
		return requestInvalid("syntax").Wrap(err)
	}
	if dec.More() {
		return requestInvalid("trailing_data")
	}
	return nil
}

// record assembles what GET /v1/submissions/{id} answers.
func (h *Hub) record(row SubmissionRow) (hubapi.SubmissionRecord, error) {
	body, err := h.store.SubmissionBody(row.Head.ID)
	if err != nil {
		return hubapi.SubmissionRecord{}, err
	}
	rec := hubapi.SubmissionRecord{SubmissionHead: row.Head, SignOff: row.SignOff, History: row.History, Thread: row.Thread}
	if err := json.Unmarshal(body, &rec.Submission); err != nil {
		return rec, fault.New(fault.Corrupt, hubapi.CodeUnavailable, "hub.submission").With("id", row.Head.ID).Wrap(err)
	}
	if rec.Thread == nil {
		rec.Thread = []hubapi.Comment{}
	}
	return rec, nil
}

// servePutSubmission stores a submission once: its id is its idempotency
// key, forever. See docs/hub-api.md.
func (h *Hub) servePutSubmission(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	const op = "hub.submission"
	id := r.PathValue("id")
	if !submissionIDPattern.MatchString(id) {
		return notFound(op)
	}
	body, err := readBody(w, r, hubapi.MaxSubmissionBody)
	if err != nil {
		return err
	}
	bodySHA := sha256Of(body)
	// Identical PUTs racing each other are checked once: the second waits
	// and finds the first's record.
	unlock := h.subs.lock(id)
	defer unlock()

	row, err := h.store.Submission(id)
	switch {
	case err == nil:
		if row.BodySHA256 != bodySHA || !u.Serves(row.Head.Region) {
			return fault.New(fault.Conflict, hubapi.CodeIDReused, op).With("id", id)
		}
		rec, err := h.record(row)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, rec)
		return nil
	case !fault.Is(err, hubapi.CodeNotFound):
		return err
	}

	var sub hubapi.Submission
	if err := decodeStrict(body, &sub); err != nil {
		return err
	}
	claims, report, err := h.admit(r.Context(), u, id, &sub)
	if err != nil {
		h.log.Warn("hub: submission refused", "user", u.Name, "id", id, "code", fault.CodeOf(err), "err", err)
		return err
	}
	now := h.now().UTC()
	c := &sub.Campaign
	prev, err := h.latestOf(c.ID, c.Region, id)
	if err != nil {
		return err
	}
	row = SubmissionRow{
		Head: hubapi.SubmissionHead{
			ID: id, CampaignID: c.ID, CampaignName: c.Name, Region: c.Region, Library: c.Library,
			Release: c.Release, Template: c.Template, Rev: c.Rev, Author: c.AuthorID(),
			SubmittedBy: u.Name, SignedOffBy: claims.By, State: string(submission.Submitted),
			Warnings: report.Warnings, Submitted: now, Updated: now, Replaces: prev,
		},
		SignOff:    claims,
		History:    []hubapi.StateChange{{State: string(submission.Submitted), At: now, By: u.Name}},
		BodySHA256: bodySHA,
	}
	stored, created, err := h.store.PutSubmission(row, body)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !created {
		if stored.BodySHA256 != bodySHA {
			return fault.New(fault.Conflict, hubapi.CodeIDReused, op).With("id", id)
		}
		status = http.StatusOK
	}
	rec, err := h.record(stored)
	if err != nil {
		return err
	}
	if created {
		h.log.Info("hub: submission received", "user", u.Name, "id", id, "campaign", c.ID, "region", c.Region, "seq", stored.Head.Seq, "replaces", prev)
		if prev != "" {
			if _, err := h.store.UpdateSubmission(prev, func(s *SubmissionRow) error {
				if s.Head.ReplacedBy == "" {
					s.Head.ReplacedBy, s.Head.Updated = id, now
				}
				return nil
			}); err != nil {
				// The new one is stored; the link on the old one is a courtesy.
				h.log.Warn("hub: linking a resubmission", "id", id, "replaces", prev, "err", err)
			}
		}
	}
	writeJSON(w, status, rec)
	return nil
}

// latestOf is the campaign's newest submission in region that no other
// has replaced yet (other than id): the one a new submission replaces.
func (h *Hub) latestOf(campaignID, region, id string) (string, error) {
	rows, err := h.store.Submissions(0)
	if err != nil {
		return "", err
	}
	var latest *hubapi.SubmissionHead
	for i := range rows {
		hd := &rows[i].Head
		if hd.CampaignID != campaignID || hd.Region != region || hd.ID == id || hd.ReplacedBy != "" {
			continue
		}
		if latest == nil || hd.Submitted.After(latest.Submitted) || hd.Submitted.Equal(latest.Submitted) && hd.ID > latest.ID {
			latest = hd
		}
	}
	if latest == nil {
		return "", nil
	}
	return latest.ID, nil
}

// admit decides whether a new submission may be stored: its shape, the
// caller's region, the sign-off grant, the blobs it names, and the hub's own
// brand check, whose receipt must be the submission's.
func (h *Hub) admit(ctx context.Context, u *hubapi.User, id string, sub *hubapi.Submission) (hubapi.SignOffClaims, brandcheck.Report, error) {
	const op = "hub.submission"
	var none brandcheck.Report
	c := &sub.Campaign
	switch {
	case sub.ID != id:
		return hubapi.SignOffClaims{}, none, submissionInvalid("id")
	case c.ID == "" || c.Region == "" || !libraryPattern.MatchString(c.Library) || c.Release == 0:
		return hubapi.SignOffClaims{}, none, submissionInvalid("campaign")
	case len(c.Locales) == 0:
		return hubapi.SignOffClaims{}, none, submissionInvalid("campaign.locales")
	}
	if !u.Serves(c.Region) {
		return hubapi.SignOffClaims{}, none, fault.New(fault.Permission, hubapi.CodeForbidden, op).With("region", c.Region)
	}
	if err := checkLocales(sub); err != nil {
		return hubapi.SignOffClaims{}, none, err
	}

	claims, err := h.openGrant(sub.SignOff.Grant)
	if err != nil {
		return claims, none, err
	}
	campaignSHA := sha256Of(brandcheck.CampaignJSON(c, nil))
	switch {
	case claims.CampaignID != c.ID:
		return claims, none, errGrant("campaign")
	case claims.Region != c.Region:
		return claims, none, errGrant("region")
	case claims.Author != c.AuthorID():
		return claims, none, errGrant("author")
	case claims.Rev != c.Rev:
		return claims, none, errGrant("rev")
	case claims.CampaignSHA256 != campaignSHA:
		return claims, none, errGrant("campaign_sha256")
	case claims.FindingsSHA256 != sub.Receipt.FindingsSHA256:
		return claims, none, errGrant("findings_sha256")
	}

	sizes, err := h.renditionSizes(sub.Renditions)
	if err != nil {
		return claims, none, err
	}

	today, err := time.Parse(time.DateOnly, sub.Receipt.Today)
	if err != nil {
		return claims, none, receiptMismatch("today")
	}
	if now := h.now(); today.Before(now.Add(-receiptPast)) || today.After(now.Add(receiptFuture)) {
		return claims, none, receiptMismatch("today")
	}
	if sub.Receipt.Version != brandcheck.Version {
		return claims, none, receiptMismatch("version")
	}

	report, err := h.recheck(ctx, sub, sizes)
	if err != nil {
		return claims, none, err
	}
	switch got := report.Receipt; {
	case got.RulesSHA256 != sub.Receipt.RulesSHA256:
		return claims, report, receiptMismatch("rules")
	case got.CampaignSHA256 != sub.Receipt.CampaignSHA256:
		return claims, report, receiptMismatch("campaign")
	case got.FindingsSHA256 != sub.Receipt.FindingsSHA256:
		return claims, report, receiptMismatch("findings")
	case sha256Of(brandcheck.FindingsJSON(sub.Findings)) != got.FindingsSHA256:
		return claims, report, receiptMismatch("findings")
	}
	if err := brandcheck.Blocked(report.Findings, op); err != nil {
		return claims, report, err
	}
	return claims, report, nil
}

// checkLocales checks the rendered emails name the campaign's locales,
// each once.
func checkLocales(sub *hubapi.Submission) error {
	seen := map[string]bool{}
	for _, l := range sub.Locales {
		if seen[l.Locale] || !slices.Contains(sub.Campaign.Locales, l.Locale) {
			return submissionInvalid("locales")
		}
		seen[l.Locale] = true
	}
	for _, l := range sub.Campaign.Locales {
		if !seen[l] {
			return submissionInvalid("locales")
		}
	}
	return nil
}

// renditionSizes checks every rendition is a blob the hub holds, of the
// size the submission says, and returns the sizes by picture key.
func (h *Hub) renditionSizes(rs []hubapi.Rendition) (map[string]int, error) {
	sizes := make(map[string]int, len(rs))
	for _, rd := range rs {
		if rd.Key == "" || len(rd.Key) > 512 {
			return nil, submissionInvalid("renditions.key")
		}
		if _, dup := sizes[rd.Key]; dup {
			return nil, submissionInvalid("renditions.key")
		}
		if !shaPattern.MatchString(rd.SHA256) {
			return nil, submissionInvalid("renditions.sha256")
		}
		n, ok := h.blobs.size(rd.SHA256)
		if !ok {
			return nil, fault.New(fault.Conflict, hubapi.CodeBlobMissing, "hub.submission").With("sha256", rd.SHA256)
		}
		if n != rd.Bytes {
			return nil, submissionInvalid("renditions.bytes")
		}
		sizes[rd.Key] = int(n)
	}
	return sizes, nil
}

// recheck runs the brand check as the desktop did: the release the
// campaign is pinned to, as the hub stored and verified it, with the
// office's photos the submission names, each locale rendered with pictures
// as "cid:" references, on the receipt's date.
func (h *Hub) recheck(ctx context.Context, sub *hubapi.Submission, sizes map[string]int) (brandcheck.Report, error) {
	const op = "hub.recheck"
	select {
	case h.checking <- struct{}{}:
		defer func() { <-h.checking }()
	case <-ctx.Done():
		return brandcheck.Report{}, fault.New(fault.Canceled, hubapi.CodeUnavailable, op).Wrap(ctx.Err())
	}
	c := &sub.Campaign
	ix, err := h.releaseIndex(c.Library, c.Release, c.Region)
	if err != nil {
		return brandcheck.Report{}, err
	}
	for _, l := range sub.Imports {
		if !strings.HasPrefix(l.ID, library.LocalPrefix) || !shaPattern.MatchString(l.SHA256) {
			return brandcheck.Report{}, submissionInvalid("imports")
		}
	}
	ix = ix.WithLocals(sub.Imports)
	t, ok := campaign.TemplateOf(ix.Content, c.Template)
	if !ok {
		return brandcheck.Report{}, fault.New(fault.NotFound, campaign.CodeTemplateNotFound, op).With("template", c.Template)
	}
	layout, err := h.readBlob(ix.SHA(t.Layout))
	if err != nil {
		return brandcheck.Report{}, err
	}
	ls, err := brandcheck.Prepare(ctx, c, ix, string(layout), h.renderer, nil)
	if err != nil {
		return brandcheck.Report{}, err
	}
	return brandcheck.Check(brandcheck.Input{
		Campaign: c, Release: ix, Locales: ls, ImageBytes: sizes, Today: sub.Receipt.Today,
	}), nil
}

// releaseIndex builds one stored release's index from its note and blobs,
// verified again with the hub's pinned keys.
func (h *Hub) releaseIndex(lib string, version uint64, region string) (*library.Index, error) {
	const op = "hub.releaseIndex"
	unknown := fault.New(fault.Conflict, hubapi.CodeReleaseUnknown, op).With("library", lib).With("version", version)
	note, err := h.store.Note(lib, version)
	if fault.Is(err, hubapi.CodeNotFound) {
		return nil, unknown
	}
	if err != nil {
		return nil, err
	}
	// The release was verified when it was published; expiry does not
	// matter to a check of a campaign pinned to it.
	mf, err := library.VerifyManifest(note, library.Policy{Trust: h.opt.Trust, Region: region})
	if fault.Is(err, library.CodeWrongRegion) {
		return nil, unknown
	}
	if err != nil {
		return nil, err
	}
	m := &mf.Manifest
	var contentSHA string
	for _, f := range m.Files {
		if f.Path == library.ContentFile {
			contentSHA = f.SHA256
		}
	}
	raw, err := h.readBlob(contentSHA)
	if err != nil {
		return nil, err
	}
	content, err := library.ParseContent(raw, m.Files)
	if err != nil {
		return nil, err
	}
	rec := library.Record{
		Library: m.Library, Name: m.Name, Version: m.Version, Regions: m.Regions, Expires: m.Expires,
		ManifestSHA: mf.ManifestSHA, ContentSHA: contentSHA, Note: note, Signers: mf.Signers,
	}
	return library.NewIndex(rec, m, content), nil
}

// readBlob reads a whole blob the hub must hold.
func (h *Hub) readBlob(sha string) ([]byte, error) {
	f, err := h.blobs.open(sha)
	if err != nil {
		return nil, fault.New(fault.Internal, hubapi.CodeUnavailable, "hub.readBlob").With("sha256", sha).Wrap(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fault.New(fault.Unavailable, hubapi.CodeUnavailable, "hub.readBlob").With("sha256", sha).Wrap(err)
	}
	return b, nil
}

// serveSubmissions lists submission heads the caller may see, by change
// number: the desktop polls with ?since= its last seq.
func (h *Hub) serveSubmissions(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	q := r.URL.Query()
	var since uint64
	if s := q.Get("since"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return requestInvalid("since")
		}
		since = n
	}
	state, region := q.Get("state"), q.Get("region")
	if state != "" && !slices.Contains(submission.States, submission.State(state)) {
		return requestInvalid("state")
	}
	rows, err := h.store.Submissions(since)
	if err != nil {
		return err
	}
	out := []hubapi.SubmissionHead{}
	for _, row := range rows {
		hd := row.Head
		if !u.Serves(hd.Region) || (region != "" && hd.Region != region) || (state != "" && hd.State != state) {
			continue
		}
		out = append(out, hd)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// visible returns a submission the caller may see; another region's is
// not found.
func (h *Hub) visible(id string, u *hubapi.User) (SubmissionRow, error) {
	const op = "hub.submission"
	if !submissionIDPattern.MatchString(id) {
		return SubmissionRow{}, notFound(op)
	}
	row, err := h.store.Submission(id)
	if err != nil {
		return row, err
	}
	if !u.Serves(row.Head.Region) {
		return SubmissionRow{}, notFound(op)
	}
	return row, nil
}

func (h *Hub) serveSubmission(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	row, err := h.visible(r.PathValue("id"), u)
	if err != nil {
		return err
	}
	rec, err := h.record(row)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func validComment(text string) bool {
	n := utf8.RuneCountInString(strings.TrimSpace(text))
	return n > 0 && n <= hubapi.MaxCommentLength && utf8.ValidString(text)
}

// serveAction moves a submission through submission.Next; the move and its
// comment are one change.
func (h *Hub) serveAction(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	var a hubapi.SubmissionAction
	if err := decodeJSON(w, r, &a); err != nil {
		return err
	}
	row, err := h.act(u, r.PathValue("id"), submission.Action(a.Action), a.Comment, "")
	if err != nil {
		return err
	}
	h.log.Info("hub: submission moved", "user", u.Name, "id", row.Head.ID, "action", a.Action, "state", row.Head.State)
	rec, err := h.record(row)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rec)
	return nil
}

// act is the rule of every HQ or office action, from the API or a review
// form: a known action, a valid comment (required to request changes),
// about the whole campaign or one of its fields ("locale/slot", "" for the
// whole), a visible submission, submission.Next checked before and again
// inside the update (another action may have landed).
func (h *Hub) act(u *hubapi.User, id string, act submission.Action, comment, field string) (SubmissionRow, error) {
	const op = "hub.submission.action"
	if !slices.Contains(submission.Actions, act) {
		return SubmissionRow{}, requestInvalid("action")
	}
	if comment != "" && !validComment(comment) {
		return SubmissionRow{}, requestInvalid("comment")
	}
	row, err := h.visible(id, u)
	if err != nil {
		return row, err
	}
	about, err := h.commentField(row, field)
	if err != nil {
		return row, err
	}
	next := func(from string) (submission.State, error) {
		to, err := submission.Next(submission.State(from), act, *u, row.Head.Region)
		if fault.Is(err, submission.CodeNotFound) {
			return "", notFound(op)
		}
		return to, err
	}
	if _, err := next(row.Head.State); err != nil {
		return row, err
	}
	if act == submission.RequestChanges && strings.TrimSpace(comment) == "" {
		return row, fault.New(fault.Invalid, hubapi.CodeCommentRequired, op).With("action", act)
	}
	now := h.now().UTC()
	return h.store.UpdateSubmission(row.Head.ID, func(s *SubmissionRow) error {
		to, err := next(s.Head.State)
		if err != nil {
			return err
		}
		s.Head.State, s.Head.Updated = string(to), now
		s.History = append(s.History, hubapi.StateChange{State: string(to), Action: string(act), At: now, By: u.Name})
		if comment != "" {
			about.Text = comment
			addComment(s, u, now, about, string(act))
		}
		return nil
	})
}

func addComment(s *SubmissionRow, u *hubapi.User, at time.Time, c hubapi.NewComment, action string) hubapi.Comment {
	cm := hubapi.Comment{
		ID: len(s.Thread) + 1, By: u.Name, ByName: u.DisplayName, Role: u.Role, At: at,
		Text: c.Text, Slot: c.Slot, Locale: c.Locale, Action: action,
	}
	s.Thread = append(s.Thread, cm)
	s.Head.Comments = len(s.Thread)
	s.Head.Updated = at
	return cm
}

var slotPattern = regexp.MustCompile(`^[A-Za-z0-9_.:-]{0,64}$`)

// serveComment adds a message to a submission's thread, from the office
// of its region or from HQ.
func (h *Hub) serveComment(w http.ResponseWriter, r *http.Request, u *hubapi.User) error {
	var c hubapi.NewComment
	if err := decodeJSON(w, r, &c); err != nil {
		return err
	}
	switch {
	case !validComment(c.Text):
		return requestInvalid("text")
	case !slotPattern.MatchString(c.Slot):
		return requestInvalid("slot")
	case !slotPattern.MatchString(c.Locale):
		return requestInvalid("locale")
	}
	row, err := h.visible(r.PathValue("id"), u)
	if err != nil {
		return err
	}
	var added hubapi.Comment
	_, err = h.store.UpdateSubmission(row.Head.ID, func(s *SubmissionRow) error {
		added = addComment(s, u, h.now().UTC(), c, "")
		return nil
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, added)
	return nil
}
