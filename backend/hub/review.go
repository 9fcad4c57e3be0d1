package hub

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/submission"
)

// HQ's review pages: server-rendered HTML under /review/, signed in with a
// cookie that holds an API session token (the same store, the same login
// code path and rate limits), for hq_reviewer and hq_admin only.

// CodeCSRF refuses a review form that lacks its session's token, or that
// was posted from another site; params: reason (token, origin).
const CodeCSRF fault.Code = "hub.csrf_invalid"

// Names of the review pages' cookies and form fields.
const (
	reviewCookie      = "outpost_review"       // the session token
	reviewLoginCookie = "outpost_review_login" // a random value the login form's token is bound to
	reviewCSRFField   = "csrf"
	reviewPath        = "/review/"
)

// reviewCSP is the policy of every review page: nothing but the hub's own
// pictures and style sheet, frames only from srcdoc (which inherit it, so an
// email cannot load anything from elsewhere), forms only to the hub.
const reviewCSP = "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"frame-src 'self' about:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// blobURLTTL is how long a picture address of a submission page works.
// Sandboxed frames send no SameSite cookie, so the address carries its own
// signed permission: the reviewer, the submission and an expiry.
const blobURLTTL = time.Hour

//go:embed review/*.html review/style.css
var reviewFiles embed.FS

// reviewPages are the parsed templates, the style sheet and the key of the
// pages' CSRF tokens and picture addresses.
type reviewPages struct {
	pages  map[string]*template.Template
	css    []byte
	cssTag string
	key    []byte
}

// newReviewPages parses the embedded templates. key is derived from the
// hub's grant key, so review MACs never collide with sign-off grants.
func newReviewPages(grantKey []byte) (*reviewPages, error) {
	m := hmac.New(sha256.New, grantKey)
	m.Write([]byte("outpost review pages v1"))
	rp := &reviewPages{pages: map[string]*template.Template{}, key: m.Sum(nil)}
	funcs := template.FuncMap{
		"when":        func(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04 UTC") },
		"stateLabel":  stateLabel,
		"actionLabel": actionLabel,
		"percent":     func(f float64) string { return fmt.Sprintf("%.0f %%", f*100) },
		"fieldSelect": func(id string, d submissionData) fieldSelectView { return fieldSelectView{id, d} },
		// A finding in the words the asset pack's report uses.
		"findingMessage": func(f brandcheck.Finding) string { m, _ := brandcheck.Message(f); return m },
		"findingHint":    func(f brandcheck.Finding) string { _, h := brandcheck.Message(f); return h },
	}
	for _, name := range []string{"login", "list", "submission", "overview", "error"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(reviewFiles, "review/layout.html", "review/"+name+".html")
		if err != nil {
			return nil, err
		}
		rp.pages[name] = t
	}
	css, err := fs.ReadFile(reviewFiles, "review/style.css")
	if err != nil {
		return nil, err
	}
	rp.css, rp.cssTag = css, `"`+sha256Of(css)[:16]+`"`
	return rp, nil
}

func (rp *reviewPages) mac(parts ...string) string {
	m := hmac.New(sha256.New, rp.key)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func stateLabel(s string) string {
	return map[string]string{
		"submitted": "Submitted", "approved": "Approved", "changes_requested": "Changes requested",
		"scheduled": "Scheduled", "sent": "Sent", "withdrawn": "Withdrawn",
	}[s]
}

func actionLabel(a string) string {
	return map[string]string{
		"withdraw": "Withdraw", "approve": "Approve", "request_changes": "Request changes",
		"schedule": "Schedule", "mark_sent": "Mark sent", "resubmit": "Resubmit",
	}[a]
}

// reviewAccess is who may open a review route.
type reviewAccess int

const (
	reviewAnyone reviewAccess = iota // the login page, the style sheet, signed picture addresses
	reviewHQ                         // a review session of hq_reviewer or hq_admin; POSTs carry its CSRF token
)

// reviewer is the signed-in user of a review page.
type reviewer struct {
	user hubapi.User
	csrf string // the token every form of this session carries
}

// reviewRoute is one row of the review pages' table.
type reviewRoute struct {
	pattern string
	access  reviewAccess
	serve   func(h *Hub, w http.ResponseWriter, r *http.Request, rv *reviewer) error
}

// reviewRouteTable is every route of the review pages; newHandler registers
// exactly these beside routeTable, and review_test.go walks the same table.
func reviewRouteTable() []reviewRoute {
	return []reviewRoute{
		{"GET /review/login", reviewAnyone, (*Hub).serveReviewLoginPage},
		{"POST /review/login", reviewAnyone, (*Hub).serveReviewLogin},
		{"GET /review/style.css", reviewAnyone, (*Hub).serveReviewCSS},
		{"GET /review/blobs/{sha256}", reviewAnyone, (*Hub).serveReviewBlob},
		{"POST /review/logout", reviewHQ, (*Hub).serveReviewLogout},
		{"GET /review/{$}", reviewHQ, (*Hub).serveReviewList},
		{"GET /review/overview", reviewHQ, (*Hub).serveReviewOverview},
		{"GET /review/submissions/{id}", reviewHQ, (*Hub).serveReviewSubmission},
		{"POST /review/submissions/{id}/actions", reviewHQ, (*Hub).serveReviewAction},
		{"POST /review/submissions/{id}/comments", reviewHQ, (*Hub).serveReviewComment},
	}
}

// reviewGuard authenticates the cookie of reviewHQ routes, refuses other
// roles with the "HQ only" page, checks the CSRF token and origin of every
// POST, then serves; an error becomes an HTML error page.
func (h *Hub) reviewGuard(rt reviewRoute) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		var rv *reviewer
		if rt.access == reviewHQ {
			u, tok, err := h.reviewSession(r)
			if err != nil {
				if r.Method == http.MethodGet && fault.Is(err, hubapi.CodeUnauthenticated) {
					http.Redirect(w, r, reviewPath+"login", http.StatusSeeOther)
					return
				}
				h.reviewError(w, r, nil, err)
				return
			}
			setLogUser(r, u.Name)
			rv = &reviewer{user: u, csrf: h.review.mac("csrf", tokenHash(tok))}
			if !u.Role.IsHQ() {
				h.reviewError(w, r, rv, fault.New(fault.Permission, hubapi.CodeForbidden, "hub.review").With("role", u.Role))
				return
			}
			if r.Method == http.MethodPost {
				if err := h.checkForm(w, r, rv.csrf); err != nil {
					h.reviewError(w, r, rv, err)
					return
				}
			}
		}
		if err := rt.serve(h, w, r, rv); err != nil {
			h.reviewError(w, r, rv, err)
		}
	})
}

func setPageHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", reviewCSP)
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Cache-Control", "no-store")
}

// reviewSession is the user of the request's review cookie, authenticated
// by the API's own code path (authenticate reads a bearer token).
func (h *Hub) reviewSession(r *http.Request) (hubapi.User, string, error) {
	c, err := r.Cookie(reviewCookie)
	if err != nil || c.Value == "" {
		return hubapi.User{}, "", errUnauthenticated("hub.review")
	}
	probe := r.Clone(r.Context())
	probe.Header.Set("Authorization", "Bearer "+c.Value)
	u, err := h.authenticate(probe)
	return u, c.Value, err
}

// checkForm parses a POSTed form (at most 64 KiB) and checks it came from
// the hub's own pages: Origin, else Referer, names this host when present,
// and the form's CSRF token is want.
func (h *Hub) checkForm(w http.ResponseWriter, r *http.Request, want string) error {
	if !sameOrigin(r) {
		return fault.New(fault.Permission, CodeCSRF, "hub.review").With("reason", "origin")
	}
	r.Body = http.MaxBytesReader(w, r.Body, hubapi.MaxJSONBody)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(hubapi.MaxJSONBody)
		}
		return requestInvalid("form").Wrap(err)
	}
	if got := r.PostForm.Get(reviewCSRFField); want == "" || !hmac.Equal([]byte(got), []byte(want)) {
		return fault.New(fault.Permission, CodeCSRF, "hub.review").With("reason", "token")
	}
	return nil
}

// sameOrigin reports whether a request's Origin (else its Referer), when
// it has one, is this host. A "null" origin (a sandboxed frame) is not.
func sameOrigin(r *http.Request) bool {
	src := r.Header.Get("Origin")
	if src == "" {
		src = r.Header.Get("Referer")
	}
	if src == "" {
		return true
	}
	u, err := url.Parse(src)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// page is what the layout template needs besides a page's own data.
type page struct {
	Title  string
	Nav    string // "list", "overview" or ""
	User   *hubapi.User
	CSRF   string
	Notice string // an error shown above the page
	Data   any
}

func (h *Hub) render(w http.ResponseWriter, status int, name string, p page) {
	var buf bytes.Buffer
	if err := h.review.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		h.log.Error("hub: rendering a review page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func pageOf(rv *reviewer, title, nav string, data any) page {
	p := page{Title: title, Nav: nav, Data: data}
	if rv != nil {
		p.User, p.CSRF = &rv.user, rv.csrf
	}
	return p
}

// reviewMessage is the English sentence of an error a review page shows.
func reviewMessage(err error) string {
	switch fault.CodeOf(err) {
	case hubapi.CodeForbidden:
		return "HQ only: these pages are for HQ reviewers and HQ admins. Offices follow their submissions in Outpost."
	case hubapi.CodeUnauthenticated:
		return "Your session has ended. Sign in again."
	case CodeCSRF:
		return "This form has expired or did not come from this hub's pages. Reload the page and try again."
	case hubapi.CodeNotFound:
		return "There is no such page or submission."
	case hubapi.CodeCommentRequired:
		return "Requesting changes needs a comment that tells the office what to change."
	case submission.CodeTransitionInvalid:
		return "The submission has moved on since this page was loaded: that action no longer applies. Reload the page."
	case submission.CodeForbidden:
		return "Your role may not take that action."
	case hubapi.CodeRequestInvalid:
		if e, ok := fault.As(err); ok && e.Params["reason"] == "field" {
			return "That field is not part of this submission. Choose one from the list, or the whole campaign."
		}
		return "The form was incomplete or too long (comments hold at most 4,000 characters)."
	case hubapi.CodeRequestTooLarge:
		return "The form was too large."
	case hubapi.CodeRateLimited:
		return "Too many sign-in attempts. Wait a moment and try again."
	case hubapi.CodeLoginFailed:
		return "Wrong user name or password."
	}
	return "Something went wrong on the hub. Try again; if it persists, tell the hub's administrator."
}

// reviewError answers an error as an HTML page with its status.
func (h *Hub) reviewError(w http.ResponseWriter, r *http.Request, rv *reviewer, err error) {
	status := hubapi.StatusOf(err)
	if status >= 500 {
		h.log.Error("hub: review page failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	}
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", cmp.Or(fault.ToPayload(err).Params["retry_after"], "5"))
	}
	title := "Error"
	if fault.CodeOf(err) == hubapi.CodeForbidden {
		title = "HQ only"
	}
	h.render(w, status, "error", pageOf(rv, title, "", struct {
		Message string
		Code    fault.Code
		Status  int
	}{reviewMessage(err), fault.CodeOf(err), status}))
}

// setCookie sets a review cookie: HttpOnly, SameSite=Strict, Secure over
// TLS, for /review/ only; maxAge < 0 deletes it.
func setCookie(w http.ResponseWriter, r *http.Request, name, value string, expires time.Time, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: reviewPath, Expires: expires, MaxAge: maxAge,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
}

// loginData is the login form.
type loginData struct {
	User string
	CSRF string
}

// serveReviewLoginPage shows the login form; its CSRF token is bound to a
// random cookie (there is no session yet). A signed-in HQ user goes to the
// list.
func (h *Hub) serveReviewLoginPage(w http.ResponseWriter, r *http.Request, _ *reviewer) error {
	if u, _, err := h.reviewSession(r); err == nil && u.Role.IsHQ() {
		http.Redirect(w, r, reviewPath, http.StatusSeeOther)
		return nil
	}
	h.loginForm(w, r, http.StatusOK, "", "")
	return nil
}

func (h *Hub) loginForm(w http.ResponseWriter, r *http.Request, status int, user, notice string) {
	b := make([]byte, 16)
	rand.Read(b)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	setCookie(w, r, reviewLoginCookie, nonce, time.Time{}, 0)
	p := pageOf(nil, "Sign in", "", loginData{User: user, CSRF: h.review.mac("login", nonce)})
	p.Notice = notice
	h.render(w, status, "login", p)
}

// serveReviewLogin signs in through the API's login (same passwords, same
// rate limits) and keeps the session token in a cookie. Other roles than
// HQ's get the "HQ only" page and their new token is revoked.
func (h *Hub) serveReviewLogin(w http.ResponseWriter, r *http.Request, _ *reviewer) error {
	nonce := ""
	if c, err := r.Cookie(reviewLoginCookie); err == nil {
		nonce = c.Value
	}
	want := ""
	if nonce != "" {
		want = h.review.mac("login", nonce)
	}
	if err := h.checkForm(w, r, want); err != nil {
		if fault.Is(err, CodeCSRF) {
			h.loginForm(w, r, http.StatusForbidden, "", reviewMessage(err))
			return nil
		}
		return err
	}
	name := r.PostForm.Get("user")
	s, err := h.login(r.Context(), hubapi.Login{User: name, Password: r.PostForm.Get("password")}, h.clientAddr(r))
	switch {
	case fault.Is(err, hubapi.CodeLoginFailed):
		h.loginForm(w, r, http.StatusUnauthorized, name, reviewMessage(err))
		return nil
	case fault.Is(err, hubapi.CodeRateLimited):
		w.Header().Set("Retry-After", cmp.Or(fault.ToPayload(err).Params["retry_after"], "5"))
		h.loginForm(w, r, http.StatusTooManyRequests, name, reviewMessage(err))
		return nil
	case err != nil:
		return err
	}
	setLogUser(r, s.User.Name)
	if !s.User.Role.IsHQ() {
		if err := h.store.DeleteToken(tokenHash(s.Token)); err != nil {
			h.log.Warn("hub: revoking a refused review session", "user", s.User.Name, "err", err)
		}
		return fault.New(fault.Permission, hubapi.CodeForbidden, "hub.review").With("role", s.User.Role)
	}
	setCookie(w, r, reviewLoginCookie, "", time.Time{}, -1)
	setCookie(w, r, reviewCookie, s.Token, s.Expires, 0)
	http.Redirect(w, r, reviewPath, http.StatusSeeOther)
	return nil
}

// serveReviewLogout revokes the session's token and forgets the cookie.
func (h *Hub) serveReviewLogout(w http.ResponseWriter, r *http.Request, _ *reviewer) error {
	if c, err := r.Cookie(reviewCookie); err == nil {
		if err := h.store.DeleteToken(tokenHash(c.Value)); err != nil {
			return err
		}
	}
	setCookie(w, r, reviewCookie, "", time.Time{}, -1)
	http.Redirect(w, r, reviewPath+"login", http.StatusSeeOther)
	return nil
}

func (h *Hub) serveReviewCSS(w http.ResponseWriter, r *http.Request, _ *reviewer) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", h.review.cssTag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.review.css))
	return nil
}

// stateCount is one state's tab of the list.
type stateCount struct {
	State, Label, Href string
	N                  int
	Active             bool
}

type listData struct {
	Rows          []hubapi.SubmissionHead
	Regions       []string
	Region, State string
	States        []stateCount
	All           stateCount
	Earlier       bool   // replaced submissions listed too
	Replaced      int    // how many replaced ones the list leaves out, or shows
	Toggle        string // the list with Earlier switched
	// Paging: rows First..Last (1-based) of Total; Newer and Older are the
	// neighbouring pages' addresses, "" at either end.
	First, Last, Total int
	Newer, Older       string
}

// reviewPageSize is how many submissions a list page shows.
const reviewPageSize = 50

// serveReviewList lists every submission, newest first, narrowed by
// ?region= and ?state=, with the count of each state in the region. A
// submission the office replaced (sent again after changes or a
// withdrawal) is left out unless ?earlier=1: it waits for nobody.
func (h *Hub) serveReviewList(w http.ResponseWriter, r *http.Request, rv *reviewer) error {
	q := r.URL.Query()
	region, state := q.Get("region"), q.Get("state")
	if state != "" && !slices.Contains(submission.States, submission.State(state)) {
		state = ""
	}
	rows, err := h.store.Submissions(0)
	if err != nil {
		return err
	}
	d := listData{Region: region, State: state, Earlier: q.Get("earlier") == "1"}
	counts := map[string]int{}
	for _, row := range rows {
		hd := row.Head
		if !rv.user.Serves(hd.Region) {
			continue
		}
		if !slices.Contains(d.Regions, hd.Region) {
			d.Regions = append(d.Regions, hd.Region)
		}
		if region != "" && hd.Region != region {
			continue
		}
		if hd.ReplacedBy != "" {
			d.Replaced++
			if !d.Earlier {
				continue
			}
		}
		counts[hd.State]++
		d.All.N++
		if state == "" || hd.State == state {
			d.Rows = append(d.Rows, hd)
		}
	}
	slices.Sort(d.Regions)
	slices.SortFunc(d.Rows, func(a, b hubapi.SubmissionHead) int {
		return cmp.Or(b.Submitted.Compare(a.Submitted), strings.Compare(a.ID, b.ID))
	})
	link := func(state string, earlier bool, page int) string {
		v := url.Values{}
		if region != "" {
			v.Set("region", region)
		}
		if state != "" {
			v.Set("state", state)
		}
		if earlier {
			v.Set("earlier", "1")
		}
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		if len(v) == 0 {
			return reviewPath
		}
		return reviewPath + "?" + v.Encode()
	}
	href := func(state string) string { return link(state, d.Earlier, 1) }
	d.Toggle = link(state, !d.Earlier, 1)
	d.Total = len(d.Rows)
	pages := max(1, (d.Total+reviewPageSize-1)/reviewPageSize)
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	page = min(page, pages)
	if page > 1 {
		d.Newer = link(state, d.Earlier, page-1)
	}
	if page < pages {
		d.Older = link(state, d.Earlier, page+1)
	}
	from := (page - 1) * reviewPageSize
	d.Rows = d.Rows[from:min(from+reviewPageSize, d.Total)]
	d.First, d.Last = from+1, from+len(d.Rows)
	d.All = stateCount{Label: "All", Href: href(""), N: d.All.N, Active: state == ""}
	for _, s := range submission.States {
		d.States = append(d.States, stateCount{State: string(s), Label: stateLabel(string(s)), Href: href(string(s)), N: counts[string(s)], Active: state == string(s)})
	}
	h.render(w, http.StatusOK, "list", pageOf(rv, "Submissions", "list", d))
	return nil
}

// regionStats is one row of the territory overview.
type regionStats struct {
	Region      string
	Submissions int
	Waiting     int // submitted, not reviewed yet
	Reviewed    int // approved, changes requested, scheduled or sent
	Approved    int // approved, scheduled or sent
	Rate        float64
	HasRate     bool
	Median      string // time from arrival to the first approval; "" when none was approved
	approvals   []time.Duration
}

// territory computes the overview: per region, submissions, the approval
// rate (approved, scheduled or sent, of those HQ reviewed: approved, changes
// requested, scheduled or sent) and the median time from arrival to the
// first approval (for a resubmission, from the first submission of its
// chain); the last row is every region together.
func territory(rows []SubmissionRow, u hubapi.User) []regionStats {
	by := map[string]*regionStats{}
	all := &regionStats{Region: "All regions"}
	heads := make(map[string]*hubapi.SubmissionHead, len(rows))
	for i := range rows {
		heads[rows[i].Head.ID] = &rows[i].Head
	}
	// firstArrival is when the office first sent the campaign: a
	// resubmission's time to approval counts from its chain's first
	// submission, changes requested included.
	firstArrival := func(hd *hubapi.SubmissionHead) time.Time {
		first := hd.Submitted
		for range len(rows) { // a chain is at most every row: no loop can trap it
			prev, ok := heads[hd.Replaces]
			if !ok {
				break
			}
			hd = prev
			if hd.Submitted.Before(first) {
				first = hd.Submitted
			}
		}
		return first
	}
	for _, row := range rows {
		hd := row.Head
		if !u.Serves(hd.Region) {
			continue
		}
		s := by[hd.Region]
		if s == nil {
			s = &regionStats{Region: hd.Region}
			by[hd.Region] = s
		}
		for _, st := range []*regionStats{s, all} {
			st.Submissions++
			switch submission.State(hd.State) {
			case submission.Submitted:
				st.Waiting++
			case submission.Approved, submission.Scheduled, submission.Sent:
				st.Reviewed++
				st.Approved++
			case submission.ChangesRequested:
				st.Reviewed++
			}
		}
		for _, c := range row.History {
			if c.Action == string(submission.Approve) {
				d := c.At.Sub(firstArrival(&hd))
				s.approvals = append(s.approvals, d)
				all.approvals = append(all.approvals, d)
				break
			}
		}
	}
	out := make([]regionStats, 0, len(by)+1)
	for _, s := range by {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b regionStats) int { return strings.Compare(a.Region, b.Region) })
	out = append(out, *all)
	for i := range out {
		s := &out[i]
		if s.Reviewed > 0 {
			s.Rate, s.HasRate = float64(s.Approved)/float64(s.Reviewed), true
		}
		if m, ok := median(s.approvals); ok {
			s.Median = humanDuration(m)
		}
	}
	return out
}

func median(ds []time.Duration) (time.Duration, bool) {
	if len(ds) == 0 {
		return 0, false
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2], true
	}
	return (ds[n/2-1] + ds[n/2]) / 2, true
}

// humanDuration is a duration as people read it: "3 d 4 h", "2 h 5 min",
// "7 min", "< 1 min".
func humanDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0:
		return fmt.Sprintf("%d d %d h", days, hours)
	case hours > 0:
		return fmt.Sprintf("%d h %d min", hours, mins)
	case mins > 0:
		return fmt.Sprintf("%d min", mins)
	}
	return "< 1 min"
}

func (h *Hub) serveReviewOverview(w http.ResponseWriter, _ *http.Request, rv *reviewer) error {
	rows, err := h.store.Submissions(0)
	if err != nil {
		return err
	}
	h.render(w, http.StatusOK, "overview", pageOf(rv, "Territory overview", "overview", territory(rows, rv.user)))
	return nil
}

// emailView is one locale's email as the page frames it.
type emailView struct {
	Locale string
	HTML   string // pictures rewritten to /review/blobs/ addresses; escaped into srcdoc by the template
	Text   string
}

// changeRow is one slot of one locale the office set otherwise than HQ's
// default.
type changeRow struct {
	Locale, Slot, Kind, Default, Value, Source string
}

type submissionData struct {
	Rec       hubapi.SubmissionRecord
	Emails    []emailView
	Changes   []changeRow
	Unchanged int    // slots left at HQ's values
	NoDiff    string // why the changes cannot be shown, if they cannot
	Fields    []fieldGroup
	Actions   []string
	Comment   string // the comment of a refused form, shown again
	Field     string // the field of a refused form, chosen again
}

// fieldGroup is one locale's fields a comment can be about: the office
// sees such a comment beside that field when the draft reopens.
type fieldGroup struct {
	Locale string
	Fields []fieldOption
}

type fieldOption struct {
	Value string // "locale/slot", the form's value
	Slot  string
	Label string // the template's English label
}

// fieldSelectView is what the "field-select" template shows: one form's
// list, with the refused form's choice selected.
type fieldSelectView struct {
	ID   string
	Data submissionData
}

// cidPattern finds the "cid:<picture key>" addresses of a submitted email.
var cidPattern = regexp.MustCompile(`cid:([A-Za-z0-9._,:-]+)`)

// blobURL is a signed picture address of one submission for one reviewer.
func (h *Hub) blobURL(u *hubapi.User, id, sha string) string {
	exp := strconv.FormatInt(h.now().Add(blobURLTTL).Unix(), 10)
	v := url.Values{"sub": {id}, "by": {u.Name}, "exp": {exp}, "sig": {h.review.mac("blob", sha, id, u.Name, exp)}}
	return reviewPath + "blobs/" + sha + "?" + v.Encode()
}

// rewritePictures turns "cid:" references into the submission's blob
// addresses; a key the renditions do not list is left as it is (and shows
// nothing).
func rewritePictures(html string, urls map[string]string) string {
	return cidPattern.ReplaceAllStringFunc(html, func(m string) string {
		if u, ok := urls[m[len("cid:"):]]; ok {
			return u
		}
		return m
	})
}

// submissionView assembles the submission page of a visible row.
func (h *Hub) submissionView(rv *reviewer, row SubmissionRow) (submissionData, error) {
	rec, err := h.record(row)
	if err != nil {
		return submissionData{}, err
	}
	d := submissionData{Rec: rec}
	sub := &rec.Submission
	urls := map[string]string{}
	for _, rd := range sub.Renditions {
		// html/template escapes srcdoc as an attribute: "&" becomes "&amp;"
		// and is read back as "&" inside the frame.
		urls[rd.Key] = h.blobURL(&rv.user, row.Head.ID, rd.SHA256)
	}
	for _, l := range sub.Locales {
		d.Emails = append(d.Emails, emailView{Locale: l.Locale, HTML: rewritePictures(l.HTML, urls), Text: l.Text})
	}
	d.Changes, d.Fields, d.Unchanged, d.NoDiff = h.changes(sub)
	for _, a := range []submission.Action{submission.Approve, submission.RequestChanges, submission.Schedule, submission.MarkSent} {
		if _, err := submission.Next(submission.State(row.Head.State), a, rv.user, row.Head.Region); err == nil {
			d.Actions = append(d.Actions, string(a))
		}
	}
	return d, nil
}

// changes compares each locale's slots with HQ's defaults of the pinned
// release's template: what campaign.Resolve gives the campaign against what
// it gives the same campaign with no values of its own.
func (h *Hub) changes(sub *hubapi.Submission) (rows []changeRow, fields []fieldGroup, unchanged int, why string) {
	c := &sub.Campaign
	ix, err := h.releaseIndex(c.Library, c.Release, c.Region)
	if err != nil {
		h.log.Warn("hub: review diff without its release", "id", sub.ID, "err", err)
		return nil, nil, 0, fmt.Sprintf("The release %s v%d is not on the hub: the changes cannot be compared.", c.Library, c.Release)
	}
	ix = ix.WithLocals(sub.Imports)
	t, ok := campaign.TemplateOf(ix.Content, c.Template)
	if !ok || len(ix.Content.Locales) == 0 {
		return nil, nil, 0, fmt.Sprintf("The template %q is not in %s v%d: the changes cannot be compared.", c.Template, c.Library, c.Release)
	}
	libDefault := ix.Content.Locales[0]
	labels := map[string]string{}
	for _, sl := range t.Slots {
		labels[sl.ID] = sl.Label.In("en", libDefault)
	}
	bare := *c
	bare.Values = nil
	shown := func(r campaign.Resolved) string {
		if r.Option != "" && r.Text != "" {
			return r.Text + " (" + r.Option + ")"
		}
		return r.Value
	}
	for _, l := range c.Locales {
		hq := campaign.Resolve(&bare, t, l, libDefault)
		g := fieldGroup{Locale: l}
		for i, r := range campaign.Resolve(c, t, l, libDefault) {
			if r.Lock != library.LockLocked {
				g.Fields = append(g.Fields, fieldOption{Value: l + "/" + r.Slot, Slot: r.Slot, Label: cmp.Or(labels[r.Slot], r.Slot)})
			}
			if r.Value == hq[i].Value {
				unchanged++
				continue
			}
			src := "set in " + l
			if r.Source == campaign.SourceFallback {
				src = "from " + c.DefaultLocale()
			}
			rows = append(rows, changeRow{Locale: l, Slot: r.Slot, Kind: r.Kind, Default: shown(hq[i]), Value: shown(r), Source: src})
		}
		fields = append(fields, g)
	}
	return rows, fields, unchanged, ""
}

func (h *Hub) serveReviewSubmission(w http.ResponseWriter, r *http.Request, rv *reviewer) error {
	return h.submissionPage(w, r, rv, http.StatusOK, "", "", "")
}

// submissionPage renders a submission, with notice above it when a form
// was refused (comment and field, the refused form's, shown again).
func (h *Hub) submissionPage(w http.ResponseWriter, r *http.Request, rv *reviewer, status int, notice, comment, field string) error {
	row, err := h.visible(r.PathValue("id"), &rv.user)
	if err != nil {
		return err
	}
	d, err := h.submissionView(rv, row)
	if err != nil {
		return err
	}
	d.Comment, d.Field = comment, field
	p := pageOf(rv, row.Head.CampaignName, "list", d)
	p.Notice = notice
	h.render(w, status, "submission", p)
	return nil
}

// serveReviewAction takes an HQ action through submission.Next, as POST
// /v1/submissions/{id}/actions does, then shows the submission again.
func (h *Hub) serveReviewAction(w http.ResponseWriter, r *http.Request, rv *reviewer) error {
	id := r.PathValue("id")
	act, comment, field := submission.Action(r.PostForm.Get("action")), r.PostForm.Get("comment"), r.PostForm.Get("field")
	if strings.TrimSpace(comment) == "" {
		comment = "" // an empty textarea: no comment
	}
	row, err := h.act(&rv.user, id, act, comment, field)
	if err != nil {
		if fault.Is(err, hubapi.CodeNotFound) {
			return err
		}
		return h.submissionPage(w, r, rv, hubapi.StatusOf(err), reviewMessage(err), comment, field)
	}
	h.log.Info("hub: submission moved", "user", rv.user.Name, "id", id, "action", act, "state", row.Head.State, "via", "review")
	http.Redirect(w, r, reviewPath+"submissions/"+id, http.StatusSeeOther)
	return nil
}

// commentField reads a form's "field": empty for the whole campaign, or
// "locale/slot", one of the fields the submission page offers.
func (h *Hub) commentField(row SubmissionRow, field string) (hubapi.NewComment, error) {
	if field == "" {
		return hubapi.NewComment{}, nil
	}
	rec, err := h.record(row)
	if err != nil {
		return hubapi.NewComment{}, err
	}
	_, groups, _, _ := h.changes(&rec.Submission)
	for _, g := range groups {
		for _, f := range g.Fields {
			if f.Value == field {
				return hubapi.NewComment{Locale: g.Locale, Slot: f.Slot}, nil
			}
		}
	}
	return hubapi.NewComment{}, requestInvalid("field")
}

// serveReviewComment adds HQ's message to a submission's thread.
func (h *Hub) serveReviewComment(w http.ResponseWriter, r *http.Request, rv *reviewer) error {
	id, text, field := r.PathValue("id"), r.PostForm.Get("text"), r.PostForm.Get("field")
	row, err := h.visible(id, &rv.user)
	if err != nil {
		return err
	}
	about, err := h.commentField(row, field)
	if err == nil && !validComment(text) {
		err = requestInvalid("text")
	}
	if err != nil {
		return h.submissionPage(w, r, rv, http.StatusBadRequest, reviewMessage(err), text, field)
	}
	about.Text = text
	if _, err := h.store.UpdateSubmission(row.Head.ID, func(s *SubmissionRow) error {
		addComment(s, &rv.user, h.now().UTC(), about, "")
		return nil
	}); err != nil {
		return err
	}
	http.Redirect(w, r, reviewPath+"submissions/"+id+"#thread", http.StatusSeeOther)
	return nil
}

// serveReviewBlob answers a picture of a submission. Sandboxed frames send
// no SameSite cookie, so the address is its permission: signed by the hub
// for one reviewer and one submission, for blobURLTTL. The reviewer must
// still be an enabled HQ user who sees the submission, and the submission
// must list the blob among its renditions.
func (h *Hub) serveReviewBlob(w http.ResponseWriter, r *http.Request, _ *reviewer) error {
	const op = "hub.review.blob"
	sha, q := r.PathValue("sha256"), r.URL.Query()
	id, by, exp := q.Get("sub"), q.Get("by"), q.Get("exp")
	n, err := strconv.ParseInt(exp, 10, 64)
	if !shaPattern.MatchString(sha) || err != nil || !h.now().Before(time.Unix(n, 0)) ||
		!hmac.Equal([]byte(q.Get("sig")), []byte(h.review.mac("blob", sha, id, by, exp))) {
		return notFound(op)
	}
	rec, err := h.store.User(by)
	if err != nil || rec.Disabled || !rec.Role.IsHQ() {
		return notFound(op)
	}
	row, err := h.visible(id, &rec.User)
	if err != nil {
		return notFound(op)
	}
	body, err := h.store.SubmissionBody(row.Head.ID)
	if err != nil {
		return err
	}
	var sub struct {
		Renditions []hubapi.Rendition `json:"renditions"`
	}
	if err := json.Unmarshal(body, &sub); err != nil {
		return fault.New(fault.Corrupt, hubapi.CodeUnavailable, op).With("id", id).Wrap(err)
	}
	if !slices.ContainsFunc(sub.Renditions, func(rd hubapi.Rendition) bool { return rd.SHA256 == sha }) {
		return notFound(op)
	}
	f, err := h.blobs.open(sha)
	if err != nil {
		return fault.New(fault.Internal, hubapi.CodeUnavailable, op).With("sha256", sha).Wrap(err)
	}
	defer f.Close()
	head := make([]byte, 512)
	k, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fault.New(fault.Unavailable, hubapi.CodeUnavailable, op).Wrap(err)
	}
	// Only pictures, and none of them a page: an SVG opened on its own runs
	// in a sandbox without scripts.
	w.Header().Set("Content-Type", pictureType(head[:k]))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	http.ServeContent(w, r, "", time.Time{}, f)
	return nil
}

// pictureType is the media type a rendition is served as: a picture type
// sniffed from its first bytes, else application/octet-stream.
func pictureType(head []byte) string {
	switch t := http.DetectContentType(head); t {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return t
	}
	if s := bytes.TrimSpace(head); bytes.HasPrefix(s, []byte("<svg")) || (bytes.HasPrefix(s, []byte("<?xml")) && bytes.Contains(s, []byte("<svg"))) {
		return "image/svg+xml"
	}
	return "application/octet-stream"
}
