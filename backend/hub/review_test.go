package hub

import (
	"bytes"
	"cmp"
	"fmt"
	"github.com/outpost-studio/outpost/backend/brandcheck"
	"html"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/campaign"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/submission"
)

// browser is a cookie-keeping client of the review pages that does not
// follow redirects, so tests see the 303s.
type browser struct {
	e      *testEnv
	client *http.Client
}

func (e *testEnv) browser() *browser {
	e.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	c := *e.srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{e: e, client: &c}
}

// setToken puts a session token in the review cookie, as a login would.
func (b *browser) setToken(tok string) {
	u, _ := url.Parse(b.e.srv.URL + reviewPath)
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: reviewCookie, Value: tok, Path: reviewPath}})
}

func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.e.srv.URL + reviewPath)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (b *browser) do(hr *http.Request) answer {
	b.e.t.Helper()
	resp, err := b.client.Do(hr)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: body}
}

func (b *browser) get(path string) answer {
	b.e.t.Helper()
	hr, err := http.NewRequest(http.MethodGet, b.e.srv.URL+path, nil)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.do(hr)
}

// post sends a form as a browser does, with this hub as its Origin unless
// header says otherwise.
func (b *browser) post(path string, form url.Values, header map[string]string) answer {
	b.e.t.Helper()
	hr, err := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.e.t.Fatal(err)
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hr.Header.Set("Origin", b.e.srv.URL)
	for k, v := range header {
		if v == "" {
			hr.Header.Del(k)
		} else {
			hr.Header.Set(k, v)
		}
	}
	return b.do(hr)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf is the CSRF token of a page's forms.
func csrfOf(t *testing.T, a answer) string {
	t.Helper()
	m := csrfInput.FindSubmatch(a.body)
	if m == nil {
		t.Fatalf("no CSRF token in %v", a)
	}
	return html.UnescapeString(string(m[1]))
}

// signIn logs in through the login page and returns the list page.
func (b *browser) signIn(user, password string) answer {
	b.e.t.Helper()
	page := b.get("/review/login")
	if page.status != http.StatusOK {
		b.e.t.Fatalf("login page: %v", page)
	}
	a := b.post("/review/login", url.Values{"user": {user}, "password": {password}, "csrf": {csrfOf(b.e.t, page)}}, nil)
	if a.status != http.StatusSeeOther || a.header.Get("Location") != reviewPath {
		b.e.t.Fatalf("login %s: %v", user, a)
	}
	return b.get(reviewPath)
}

// pngOf is a real picture for a rendition key, so frames show pictures.
func pngOf(key string, w, h int) []byte {
	sum := sha256Hex(key)
	c := color.RGBA{0x40 + sum[0]%0x80, 0x60 + sum[1]%0x80, 0x80 + sum[2]%0x60, 0xff}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// checkWithPictures is office.check with PNG renditions instead of text.
func (o *office) checkWithPictures(c *campaign.Campaign) *checked {
	o.t.Helper()
	return o.checkWith(c, nil, func(p campaign.Picture) []byte {
		return pngOf(p.Key(), max(p.Width/2, 60), max(p.Height/2, 40))
	})
}

// reviewFixture is a demo hub with one submission of fr (PNG renditions)
// stored through the API.
type reviewFixture struct {
	e   *testEnv
	tok map[string]string
	o   *office
	id  string
	ck  *checked
}

func newReviewFixture(t *testing.T) *reviewFixture {
	t.Helper()
	e, tok, o := submissionEnv(t)
	// One warning for the page to show: HQ's tone rule allows one "!".
	c, err := o.campaign.SetValue(o.draft("fr").ID, "fr", "preheader", "Nos chaussures, sacs et vestes pour l'hiver ! Vite !")
	if err != nil {
		t.Fatal(err)
	}
	ck := o.checkWithPictures(c)
	if ck.report.Errors != 0 || len(ck.renditions) == 0 {
		t.Fatalf("draft: %d errors, %d renditions", ck.report.Errors, len(ck.renditions))
	}
	e.uploadAll(tok["designer.fr"], ck.blobs)
	grant := e.grant(tok["approver.fr"], ck.signOffRequest())
	id := newSubmissionID()
	if a := e.putSubmission(tok["designer.fr"], id, mustJSON(t, ck.submission(id, grant))); a.status != http.StatusCreated {
		t.Fatalf("PUT: %v", a)
	}
	return &reviewFixture{e: e, tok: tok, o: o, id: id, ck: ck}
}

// reviewerOnPage signs HQ's reviewer in and opens the fixture's
// submission page: the browser, the page's path and its form token.
func (fx *reviewFixture) reviewerOnPage(t *testing.T) (b *browser, path, csrf string) {
	t.Helper()
	b = fx.e.browser()
	b.signIn("reviewer", DemoPassword)
	path = "/review/submissions/" + fx.id
	return b, path, csrfOf(t, b.get(path))
}

func (fx *reviewFixture) state(t *testing.T) string {
	t.Helper()
	a := fx.e.get(hubapi.SubmissionPath(fx.id), fx.tok["reviewer"])
	if a.status != http.StatusOK {
		t.Fatalf("GET submission: %v", a)
	}
	return decodeRecord(t, a).State
}

func wantPage(t *testing.T, a answer, status int, contains ...string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("got %d, want %d: %s", a.status, status, a.body)
	}
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type %q", ct)
	}
	for _, s := range contains {
		if !bytes.Contains(a.body, []byte(s)) {
			t.Fatalf("page lacks %q:\n%s", s, a.body)
		}
	}
}

// TestReviewLogin: the login page signs an HQ reviewer in with the API's
// accounts and sets an HttpOnly, SameSite=Strict session cookie holding an
// API token; wrong passwords, forms without their token and office roles
// are refused, and an office user's token is revoked at once.
func TestReviewLogin(t *testing.T) {
	e, _, _ := submissionEnv(t)

	t.Run("reviewer signs in and out", func(t *testing.T) {
		b := e.browser()
		page := b.get("/review/login")
		wantPage(t, page, http.StatusOK, `action="/review/login"`, `name="password"`)
		if got := page.header.Get("Content-Security-Policy"); got != reviewCSP {
			t.Fatalf("CSP %q", got)
		}
		a := b.post("/review/login", url.Values{"user": {"reviewer"}, "password": {DemoPassword}, "csrf": {csrfOf(t, page)}}, nil)
		if a.status != http.StatusSeeOther {
			t.Fatalf("login: %v", a)
		}
		var set *http.Cookie
		for _, c := range (&http.Response{Header: a.header}).Cookies() {
			if c.Name == reviewCookie {
				set = c
			}
		}
		if set == nil || !set.HttpOnly || set.SameSite != http.SameSiteStrictMode || set.Secure || set.Path != reviewPath || set.Value == "" {
			t.Fatalf("session cookie %+v", set)
		}
		// The cookie holds an API session token of the same store.
		if me := e.get(hubapi.PathMe, set.Value); me.status != http.StatusOK {
			t.Fatalf("the cookie's token on the API: %v", me)
		}
		list := b.get(reviewPath)
		wantPage(t, list, http.StatusOK, "Submissions", "Sign out")
		// Signed in, the login page goes to the list.
		if a := b.get("/review/login"); a.status != http.StatusSeeOther {
			t.Fatalf("login page when signed in: %v", a)
		}
		out := b.post("/review/logout", url.Values{"csrf": {csrfOf(t, list)}}, nil)
		if out.status != http.StatusSeeOther || out.header.Get("Location") != "/review/login" {
			t.Fatalf("logout: %v", out)
		}
		if me := e.get(hubapi.PathMe, set.Value); me.status != http.StatusUnauthorized {
			t.Fatalf("the token after logout: %v", me)
		}
		if a := b.get(reviewPath); a.status != http.StatusSeeOther || a.header.Get("Location") != "/review/login" {
			t.Fatalf("list after logout: %v", a)
		}
	})

	t.Run("wrong password", func(t *testing.T) {
		b := e.browser()
		page := b.get("/review/login")
		a := b.post("/review/login", url.Values{"user": {"reviewer"}, "password": {"not the password"}, "csrf": {csrfOf(t, page)}}, nil)
		wantPage(t, a, http.StatusUnauthorized, "Wrong user name or password.")
		if b.cookie(reviewCookie) != nil {
			t.Fatal("a failed login set a session cookie")
		}
	})

	t.Run("login form without its token", func(t *testing.T) {
		b := e.browser()
		b.get("/review/login")
		for _, csrf := range []string{"", "forged"} {
			a := b.post("/review/login", url.Values{"user": {"reviewer"}, "password": {DemoPassword}, "csrf": {csrf}}, nil)
			wantPage(t, a, http.StatusForbidden, "did not come from this hub")
		}
		// A fresh browser posting straight to the form has no login cookie.
		fresh := e.browser()
		a := fresh.post("/review/login", url.Values{"user": {"reviewer"}, "password": {DemoPassword}, "csrf": {"x"}}, nil)
		wantPage(t, a, http.StatusForbidden)
	})

	t.Run("designer is refused", func(t *testing.T) {
		b := e.browser()
		page := b.get("/review/login")
		a := b.post("/review/login", url.Values{"user": {"designer.fr"}, "password": {DemoPassword}, "csrf": {csrfOf(t, page)}}, nil)
		wantPage(t, a, http.StatusForbidden, "HQ only")
		if b.cookie(reviewCookie) != nil {
			t.Fatal("a designer got a review session cookie")
		}
	})

	t.Run("designer session is refused", func(t *testing.T) {
		b := e.browser()
		b.setToken(e.login("designer.fr", DemoPassword))
		for _, p := range []string{reviewPath, "/review/overview"} {
			wantPage(t, b.get(p), http.StatusForbidden, "HQ only")
		}
	})
}

// TestReviewSubmissionPage: the list shows the submission; its page frames
// each locale's email in a sandbox with the email escaped into srcdoc, its
// pictures pointing at signed /review/blobs/ addresses that serve the
// renditions (and nothing else), and shows the office's changes against
// HQ's defaults.
func TestReviewSubmissionPage(t *testing.T) {
	fx := newReviewFixture(t)
	e := fx.e
	b := e.browser()
	list := b.signIn("reviewer", DemoPassword)
	wantPage(t, list, http.StatusOK, "Winter fr", "/review/submissions/"+fx.id, "Submitted <b>1</b>")
	wantPage(t, b.get("/review/?region=be"), http.StatusOK, "No submissions")
	wantPage(t, b.get("/review/?region=fr&state=approved"), http.StatusOK, "No submissions in this state for fr")
	wantPage(t, b.get("/review/?region=fr&state=submitted"), http.StatusOK, "Winter fr")

	page := b.get("/review/submissions/" + fx.id)
	wantPage(t, page, http.StatusOK, "Winter fr", "designer.fr", "approver.fr",
		`value="approve"`, `value="request_changes"`, "Changes against the template")
	if bytes.Contains(page.body, []byte(`value="schedule"`)) || bytes.Contains(page.body, []byte(`value="mark_sent"`)) {
		t.Fatal("a submitted submission offers schedule or mark sent")
	}
	// Findings in words, as the asset pack's report has them, not codes.
	if len(fx.ck.report.Findings) == 0 {
		t.Fatal("the fixture has no warning to show")
	}
	for _, f := range fx.ck.report.Findings {
		msg, hint := brandcheck.Message(f)
		wantPage(t, page, http.StatusOK, template.HTMLEscapeString(msg), template.HTMLEscapeString(hint))
	}
	if got := page.header.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'; frame-src 'self' about:; form-action 'self'") {
		t.Fatalf("CSP %q", got)
	}

	frames := regexp.MustCompile(`<iframe sandbox="" srcdoc="([^"]*)"`).FindAllSubmatch(page.body, -1)
	if len(frames) != len(fx.ck.locales) {
		t.Fatalf("%d sandboxed frames, want %d", len(frames), len(fx.ck.locales))
	}
	var blobURLs []string
	for i, f := range frames {
		raw := string(f[1])
		if strings.Contains(raw, "<") {
			t.Fatalf("srcdoc holds unescaped markup: %.200s", raw)
		}
		doc := html.UnescapeString(raw)
		want := fx.ck.locales[i].HTML
		if strings.Contains(doc, "cid:") || !strings.Contains(doc, "/review/blobs/") {
			t.Fatalf("pictures not rewritten in %s", fx.ck.locales[i].Locale)
		}
		if got := regexp.MustCompile(`/review/blobs/[^"' )]+`).ReplaceAllString(doc, "X"); got != regexp.MustCompile(`cid:[A-Za-z0-9._,:-]+`).ReplaceAllString(want, "X") {
			t.Fatalf("the framed email differs from the submitted one beyond its pictures")
		}
		for _, m := range regexp.MustCompile(`/review/blobs/[^"' )]+`).FindAllString(doc, -1) {
			blobURLs = append(blobURLs, html.UnescapeString(m))
		}
	}

	t.Run("pictures", func(t *testing.T) {
		anon := e.browser() // frames are sandboxed: no cookie comes with them
		a := anon.get(blobURLs[0])
		if a.status != http.StatusOK || a.header.Get("Content-Type") != "image/png" || !strings.Contains(a.header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("picture: %d %v", a.status, a.header)
		}
		if _, ok := fx.ck.blobs[sha256Hex(string(a.body))]; !ok {
			t.Fatal("the picture is not one of the renditions")
		}
		u, _ := url.Parse(blobURLs[0])
		q := u.Query()
		sha := strings.TrimPrefix(u.Path, "/review/blobs/")
		sign := func(sha, id, by, exp string) string {
			v := url.Values{"sub": {id}, "by": {by}, "exp": {exp}, "sig": {e.hub.review.mac("blob", sha, id, by, exp)}}
			return "/review/blobs/" + sha + "?" + v.Encode()
		}
		tampered := url.Values{"sub": {q.Get("sub")}, "by": {q.Get("by")}, "exp": {q.Get("exp") + "0"}, "sig": {q.Get("sig")}}
		notLister := sha256Hex("a blob no submission lists")
		if err := e.hub.blobs.put(notLister, []byte("a blob no submission lists")); err != nil {
			t.Fatal(err)
		}
		exp := fmt.Sprint(t0.Add(time.Hour).Unix())
		for name, path := range map[string]string{
			"tampered expiry":            "/review/blobs/" + sha + "?" + tampered.Encode(),
			"blob the submission lacks":  sign(notLister, fx.id, "reviewer", exp),
			"signed for an office user":  sign(sha, fx.id, "designer.fr", exp),
			"signed for an unknown sub":  sign(sha, "sub_"+strings.Repeat("a", 26), "reviewer", exp),
			"signed for an unknown user": sign(sha, fx.id, "nobody", exp),
			"expired":                    sign(sha, fx.id, "reviewer", fmt.Sprint(t0.Add(-time.Second).Unix())),
			"no signature":               "/review/blobs/" + sha,
			"API blob route, no token":   hubapi.BlobPath(sha),
		} {
			if a := anon.get(path); a.status != http.StatusNotFound && a.status != http.StatusUnauthorized {
				t.Errorf("%s: %d", name, a.status)
			}
		}
		e.clock.Add(2 * time.Hour)
		defer e.clock.Add(-2 * time.Hour)
		if a := anon.get(blobURLs[0]); a.status != http.StatusNotFound {
			t.Errorf("a picture address past its hour: %d", a.status)
		}
	})

	t.Run("changes against the defaults", func(t *testing.T) {
		for _, s := range []string{"<code>subject</code>", html.EscapeString("Soldes d'hiver"), "<code>offer_end</code>", "2027-01-31"} {
			if !bytes.Contains(page.body, []byte(s)) {
				t.Errorf("the changes table lacks %q", s)
			}
		}
	})

	if os.Getenv("REVIEW_SCREENSHOT") != "" {
		t.Run("screenshot", func(t *testing.T) {
			out := os.Getenv("REVIEW_SCREENSHOT")
			screenshot(t, e, b, "/review/submissions/"+fx.id, out)
			base := strings.TrimSuffix(out, ".png")
			screenshot(t, e, b, "/review/", base+"-list.png")
			screenshot(t, e, b, "/review/overview", base+"-overview.png")
		})
	}
}

// screenshot renders a page in headless Chromium through a proxy that adds
// the browser's session cookie (Chromium's command line cannot set one).
func screenshot(t *testing.T, e *testEnv, b *browser, path, out string) {
	u, _ := url.Parse(e.srv.URL + reviewPath)
	var cookie string
	for _, c := range b.client.Jar.Cookies(u) {
		cookie += c.Name + "=" + c.Value + "; "
	}
	inner := e.hub.Handler()
	srv := &http.Server{Addr: "127.0.0.1:8798", Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("Cookie", cookie)
		inner.ServeHTTP(w, r)
	})}
	go srv.ListenAndServe()
	defer srv.Close()
	time.Sleep(200 * time.Millisecond)
	cmd := exec.Command("chromium", "--headless", "--no-sandbox", "--hide-scrollbars", "--screenshot="+out, "--window-size=1280,"+cmp.Or(os.Getenv("REVIEW_HEIGHT"), "1000"), "http://127.0.0.1:8798"+path)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
}

// TestReviewActions: approve through the page's form with its CSRF token
// moves the submission (the API shows it); the same form without the
// token, with another token or from another origin is refused; requesting
// changes needs a comment; comments join the thread.
func TestReviewActions(t *testing.T) {
	fx := newReviewFixture(t)
	b, path, csrf := fx.reviewerOnPage(t)
	act := path + "/actions"

	for name, c := range map[string]struct {
		form   url.Values
		header map[string]string
	}{
		"no token":      {url.Values{"action": {"approve"}}, nil},
		"wrong token":   {url.Values{"action": {"approve"}, "csrf": {csrf[:len(csrf)-2] + "AA"}}, nil},
		"other session": {url.Values{"action": {"approve"}, "csrf": {fx.e.hub.review.mac("csrf", tokenHash("another token"))}}, nil},
		"other origin":  {url.Values{"action": {"approve"}, "csrf": {csrf}}, map[string]string{"Origin": "https://evil.example"}},
		"other referer": {url.Values{"action": {"approve"}, "csrf": {csrf}}, map[string]string{"Origin": "", "Referer": "https://evil.example/review/"}},
		"null origin":   {url.Values{"action": {"approve"}, "csrf": {csrf}}, map[string]string{"Origin": "null"}},
	} {
		a := b.post(act, c.form, c.header)
		wantPage(t, a, http.StatusForbidden, "did not come from this hub")
		if got := fx.state(t); got != string(submission.Submitted) {
			t.Fatalf("%s: the state moved to %s", name, got)
		}
	}

	// Request changes without a comment: refused, the page shown again.
	a := b.post(act, url.Values{"action": {"request_changes"}, "comment": {"   "}, "csrf": {csrf}}, nil)
	wantPage(t, a, http.StatusBadRequest, "needs a comment")
	if got := fx.state(t); got != string(submission.Submitted) {
		t.Fatalf("request changes without comment moved it to %s", got)
	}
	// An action Next does not allow from here.
	a = b.post(act, url.Values{"action": {"mark_sent"}, "csrf": {csrf}}, nil)
	wantPage(t, a, http.StatusConflict, "no longer applies")

	// Approve, with the page's token and no Origin (Referer only).
	a = b.post(act, url.Values{"action": {"approve"}, "comment": {"Looks good <b>really</b>"}, "csrf": {csrf}},
		map[string]string{"Origin": "", "Referer": fx.e.srv.URL + path})
	if a.status != http.StatusSeeOther || a.header.Get("Location") != path {
		t.Fatalf("approve: %v", a)
	}
	rec := decodeRecord(t, fx.e.get(hubapi.SubmissionPath(fx.id), fx.tok["designer.fr"]))
	if rec.State != string(submission.Approved) || len(rec.History) != 2 || rec.History[1].By != "reviewer" || rec.History[1].Action != "approve" ||
		len(rec.Thread) != 1 || rec.Thread[0].Action != "approve" {
		t.Fatalf("after approve: %+v %+v", rec.History, rec.Thread)
	}
	page := b.get(path)
	wantPage(t, page, http.StatusOK, `value="schedule"`, `value="request_changes"`, "Looks good &lt;b&gt;really&lt;/b&gt;")
	if bytes.Contains(page.body, []byte(`value="approve"`)) {
		t.Fatal("an approved submission offers approve")
	}

	// The forms offer the campaign's editable fields, per locale.
	wantPage(t, page, http.StatusOK, `<option value="">The whole campaign</option>`, `<optgroup label="fr">`, `value="fr/headline"`)
	// A field the submission does not have: refused, nothing moves, the
	// comment is shown again.
	a = b.post(act, url.Values{"action": {"request_changes"}, "comment": {"Shorter."}, "field": {"fr/no_such_slot"}, "csrf": {csrf}}, nil)
	wantPage(t, a, http.StatusBadRequest, "That field is not part of this submission", "Shorter.")
	if got := fx.state(t); got != string(submission.Approved) {
		t.Fatalf("a refused field moved the state to %s", got)
	}

	// Request changes with a comment about a field, then a plain comment.
	a = b.post(act, url.Values{"action": {"request_changes"}, "comment": {"The headline is too long."}, "field": {"fr/headline"}, "csrf": {csrf}}, nil)
	if a.status != http.StatusSeeOther {
		t.Fatalf("request changes: %v", a)
	}
	a = b.post(path+"/comments", url.Values{"text": {"See the brand guide, p. 4."}, "field": {""}, "csrf": {csrf}}, nil)
	if a.status != http.StatusSeeOther {
		t.Fatalf("comment: %v", a)
	}
	wantPage(t, b.post(path+"/comments", url.Values{"text": {" "}, "csrf": {csrf}}, nil), http.StatusBadRequest)
	wantPage(t, b.post(path+"/comments", url.Values{"text": {"Hm"}, "field": {"xx/headline"}, "csrf": {csrf}}, nil), http.StatusBadRequest, "That field is not part")
	rec = decodeRecord(t, fx.e.get(hubapi.SubmissionPath(fx.id), fx.tok["designer.fr"]))
	if rec.State != string(submission.ChangesRequested) || len(rec.Thread) != 3 || rec.Thread[2].Text != "See the brand guide, p. 4." || rec.Thread[2].Role != hubapi.RoleHQReviewer ||
		rec.Thread[2].Slot != "" || rec.Thread[1].Slot != "headline" || rec.Thread[1].Locale != "fr" || rec.Thread[1].Action != "request_changes" {
		t.Fatalf("after changes: %s %+v", rec.State, rec.Thread)
	}
	// No HQ action is left while the office has it.
	wantPage(t, b.get(path), http.StatusOK, "Changes requested")
	if bytes.Contains(b.get(path).body, []byte(`name="action"`)) {
		t.Fatal("HQ is offered an action on a submission that waits for the office")
	}
}

// TestResubmissionReplacesTheEarlier: the office fixes a campaign HQ sent
// back and submits it again under a new id; the hub links the two, and the
// list leaves the earlier one out (it waits for nobody) unless asked.
func TestResubmissionReplacesTheEarlier(t *testing.T) {
	fx := newReviewFixture(t)
	b, path, csrf := fx.reviewerOnPage(t)
	if a := b.post(path+"/actions", url.Values{"action": {"request_changes"}, "comment": {"Another preheader."}, "csrf": {csrf}}, nil); a.status != http.StatusSeeOther {
		t.Fatalf("request changes: %v", a)
	}

	c, err := fx.o.campaign.SetValue(fx.ck.c.ID, "fr", "preheader", "Notre sélection pour randonner cet hiver.")
	if err != nil {
		t.Fatal(err)
	}
	ck := fx.o.checkWithPictures(c)
	fx.e.uploadAll(fx.tok["designer.fr"], ck.blobs)
	grant := fx.e.grant(fx.tok["approver.fr"], ck.signOffRequest())
	again := newSubmissionID()
	if a := fx.e.putSubmission(fx.tok["designer.fr"], again, mustJSON(t, ck.submission(again, grant))); a.status != http.StatusCreated {
		t.Fatalf("PUT again: %v", a)
	}
	newer := decodeRecord(t, fx.e.get(hubapi.SubmissionPath(again), fx.tok["designer.fr"]))
	older := decodeRecord(t, fx.e.get(hubapi.SubmissionPath(fx.id), fx.tok["designer.fr"]))
	if newer.Replaces != fx.id || newer.ReplacedBy != "" || older.ReplacedBy != again || older.State != string(submission.ChangesRequested) {
		t.Fatalf("links: newer replaces %q (by %q), older replaced by %q in %s", newer.Replaces, newer.ReplacedBy, older.ReplacedBy, older.State)
	}
	// The office's poll (since=seq) sees the change on the older one: it
	// changed after the newer one arrived.
	if older.Seq <= newer.Seq {
		t.Fatalf("the older record's change number %d is not above the newer's %d", older.Seq, newer.Seq)
	}

	list := b.get("/review/")
	wantPage(t, list, http.StatusOK, "/review/submissions/"+again, "sent again after changes", "1 earlier submission the offices sent again is not listed")
	if bytes.Contains(list.body, []byte("/review/submissions/"+fx.id)) {
		t.Fatal("the list shows the replaced submission by default")
	}
	wantPage(t, b.get("/review/?earlier=1"), http.StatusOK, "/review/submissions/"+again, "/review/submissions/"+fx.id, "replaced by a newer submission", "Hide them")
	wantPage(t, b.get(path), http.StatusOK, "see the newer submission", `href="/review/submissions/`+again+`"`)
	wantPage(t, b.get("/review/submissions/"+again), http.StatusOK, "in place of", `href="/review/submissions/`+fx.id+`"`)

	// A third submission replaces the second, not the first again.
	c, err = fx.o.campaign.SetValue(c.ID, "fr", "preheader", "Notre sélection pour l'hiver en montagne.")
	if err != nil {
		t.Fatal(err)
	}
	ck = fx.o.checkWithPictures(c)
	third := newSubmissionID()
	if a := fx.e.putSubmission(fx.tok["designer.fr"], third, mustJSON(t, ck.submission(third, fx.e.grant(fx.tok["approver.fr"], ck.signOffRequest())))); a.status != http.StatusCreated {
		t.Fatalf("PUT third: %v", a)
	}
	if r := decodeRecord(t, fx.e.get(hubapi.SubmissionPath(third), fx.tok["reviewer"])); r.Replaces != again {
		t.Fatalf("third replaces %q, want %q", r.Replaces, again)
	}
}

// TestReviewListPages: 50 submissions a page, newest first, with links to
// the newer and older pages; a page past the end shows the last one.
func TestReviewListPages(t *testing.T) {
	fx := newReviewFixture(t)
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 120 {
		id := fmt.Sprintf("sub_page%03d", i)
		row := SubmissionRow{Head: hubapi.SubmissionHead{ID: id, CampaignID: id, CampaignName: fmt.Sprintf("Paged %03d", i), Region: "fr",
			State: string(submission.Submitted), Submitted: start.Add(time.Duration(i) * time.Minute)}}
		if _, _, err := fx.e.hub.store.PutSubmission(row, []byte("{}")); err != nil {
			t.Fatal(err)
		}
	}
	b := fx.e.browser()
	b.signIn("reviewer", DemoPassword)
	count := func(a answer) int { return bytes.Count(a.body, []byte(`<a href="/review/submissions/`)) }

	first := b.get("/review/")
	wantPage(t, first, http.StatusOK, "1–50 of 121", `href="/review/?page=2" rel="next"`, "Winter fr", "Paged 119", "Paged 071")
	if n := count(first); n != 50 || bytes.Contains(first.body, []byte(`rel="prev"`)) || bytes.Contains(first.body, []byte("Paged 070")) {
		t.Fatalf("first page: %d rows", n)
	}
	second := b.get("/review/?page=2")
	wantPage(t, second, http.StatusOK, "51–100 of 121", `rel="prev"`, `href="/review/?page=3" rel="next"`, "Paged 070", "Paged 021")
	last := b.get("/review/?page=3")
	wantPage(t, last, http.StatusOK, "101–121 of 121", "Paged 020", "Paged 000")
	if n := count(last); n != 21 || bytes.Contains(last.body, []byte(`rel="next"`)) {
		t.Fatalf("last page: %d rows", n)
	}
	if beyond := b.get("/review/?page=99"); count(beyond) != 21 || !bytes.Contains(beyond.body, []byte("101–121 of 121")) {
		t.Fatal("a page past the end is not the last page")
	}
	// The filters stay on the pages' links.
	wantPage(t, b.get("/review/?state=submitted&region=fr"), http.StatusOK, `href="/review/?page=2&amp;region=fr&amp;state=submitted"`)
}

// TestTerritoryOverview: per region, submissions, approval rate (approved,
// scheduled or sent of those reviewed) and median time to the first
// approval, on a small known set; the page shows them.
func TestTerritoryOverview(t *testing.T) {
	at := func(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }
	row := func(region, state string, steps ...any) SubmissionRow {
		r := SubmissionRow{Head: hubapi.SubmissionHead{ID: newSubmissionID(), Region: region, State: state, Submitted: t0}}
		r.History = []hubapi.StateChange{{State: "submitted", At: t0}}
		for i := 0; i < len(steps); i += 2 {
			r.History = append(r.History, hubapi.StateChange{Action: steps[i].(string), At: at(steps[i+1].(float64))})
		}
		return r
	}
	rows := []SubmissionRow{
		row("fr", "approved", "approve", 2.0),
		row("fr", "sent", "approve", 4.0, "schedule", 5.0, "mark_sent", 30.0),
		row("fr", "changes_requested", "request_changes", 1.0),
		row("fr", "submitted", "request_changes", 1.0, "resubmit", 3.0),
		row("be", "scheduled", "request_changes", 1.0, "resubmit", 2.0, "approve", 10.0, "schedule", 11.0),
		row("be", "withdrawn", "withdraw", 0.5),
		row("ch", "submitted"),
	}
	// A campaign sent back once and sent again 2 h after it first came: its
	// approval at 6 h counts from the first arrival, not the second.
	first, again := row("ch", "changes_requested", "request_changes", 1.0), row("ch", "approved", "approve", 6.0)
	again.Head.Submitted, again.History[0].At = at(2), at(2)
	first.Head.ReplacedBy, again.Head.Replaces = again.Head.ID, first.Head.ID
	rows = append(rows, first, again)
	got := territory(rows, hubapi.User{Role: hubapi.RoleHQReviewer, Region: hubapi.AllRegions})
	want := []string{
		"be 2 waiting 0 reviewed 1 approved 1 rate 100% median 10 h 0 min",
		"ch 3 waiting 1 reviewed 2 approved 1 rate 50% median 6 h 0 min",
		"fr 4 waiting 1 reviewed 3 approved 2 rate 67% median 3 h 0 min",
		"All regions 9 waiting 2 reviewed 6 approved 4 rate 67% median 5 h 0 min",
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows: %+v", len(got), got)
	}
	for i, s := range got {
		rate := "-"
		if s.HasRate {
			rate = fmt.Sprintf("%.0f%%", s.Rate*100)
		}
		line := fmt.Sprintf("%s %d waiting %d reviewed %d approved %d rate %s median %s", s.Region, s.Submissions, s.Waiting, s.Reviewed, s.Approved, rate, s.Median)
		if line != want[i] {
			t.Errorf("row %d:\n got %s\nwant %s", i, line, want[i])
		}
	}

	// Through the page: one submission approved 90 minutes after it came.
	fx := newReviewFixture(t)
	b := fx.e.browser()
	b.signIn("admin", testPassword)
	fx.e.clock.Add(90 * time.Minute)
	path := "/review/submissions/" + fx.id
	a := b.post(path+"/actions", url.Values{"action": {"approve"}, "csrf": {csrfOf(t, b.get(path))}}, nil)
	if a.status != http.StatusSeeOther {
		t.Fatalf("approve: %v", a)
	}
	page := b.get("/review/overview")
	wantPage(t, page, http.StatusOK, "Territory overview", `<a href="/review/?region=fr">fr</a>`, "100 %", "1 h 30 min")
}

// reviewMatrixRow is a review route and the status each principal gets:
// anonymous, a designer's session, an HQ reviewer's, an HQ admin's.
type reviewMatrixRow struct {
	name    string
	pattern string
	build   func(fx *reviewFixture, b *browser) *http.Request
	want    [4]int
}

func reviewMatrixRows() []reviewMatrixRow {
	const ok, see, forbidden, nf, unauth = 200, 303, 403, 404, 401
	get := func(path func(*reviewFixture) string) func(*reviewFixture, *browser) *http.Request {
		return func(fx *reviewFixture, _ *browser) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, fx.e.srv.URL+path(fx), nil)
			return r
		}
	}
	// post sends a form with a CSRF token of the principal's session (none
	// for anonymous), as its own pages would carry.
	post := func(path func(*reviewFixture) string, form url.Values) func(*reviewFixture, *browser) *http.Request {
		return func(fx *reviewFixture, b *browser) *http.Request {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if c := b.cookie(reviewCookie); c != nil {
				f.Set("csrf", fx.e.hub.review.mac("csrf", tokenHash(c.Value)))
			}
			r, _ := http.NewRequest(http.MethodPost, fx.e.srv.URL+path(fx), strings.NewReader(f.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}
	}
	fixed := func(p string) func(*reviewFixture) string { return func(*reviewFixture) string { return p } }
	sub := func(tail string) func(*reviewFixture) string {
		return func(fx *reviewFixture) string { return "/review/submissions/" + fx.id + tail }
	}
	blob := func(fx *reviewFixture) string {
		return fx.e.hub.blobURL(&hubapi.User{Name: "reviewer"}, fx.id, fx.ck.renditions[0].SHA256)
	}
	return []reviewMatrixRow{
		{"login page", "GET /review/login", get(fixed("/review/login")), [4]int{ok, ok, see, see}},
		{"login without its form token", "POST /review/login", post(fixed("/review/login"), url.Values{"user": {"reviewer"}, "password": {DemoPassword}}), [4]int{forbidden, forbidden, forbidden, forbidden}},
		{"style sheet", "GET /review/style.css", get(fixed("/review/style.css")), [4]int{ok, ok, ok, ok}},
		{"signed picture", "GET /review/blobs/{sha256}", get(blob), [4]int{ok, ok, ok, ok}},
		{"unsigned picture", "GET /review/blobs/{sha256}", get(func(fx *reviewFixture) string { return "/review/blobs/" + fx.ck.renditions[0].SHA256 }), [4]int{nf, nf, nf, nf}},
		{"list", "GET /review/{$}", get(fixed("/review/")), [4]int{see, forbidden, ok, ok}},
		{"overview", "GET /review/overview", get(fixed("/review/overview")), [4]int{see, forbidden, ok, ok}},
		{"submission", "GET /review/submissions/{id}", get(sub("")), [4]int{see, forbidden, ok, ok}},
		{"unknown submission", "GET /review/submissions/{id}", get(fixed("/review/submissions/sub_" + strings.Repeat("a", 26))), [4]int{see, forbidden, nf, nf}},
		{"comment", "POST /review/submissions/{id}/comments", post(sub("/comments"), url.Values{"text": {"Noted."}}), [4]int{unauth, forbidden, see, see}},
		{"request changes", "POST /review/submissions/{id}/actions", post(sub("/actions"), url.Values{"action": {"request_changes"}, "comment": {"Fix it."}}), [4]int{unauth, forbidden, see, conflict}},
		{"logout", "POST /review/logout", post(fixed("/review/logout"), nil), [4]int{unauth, forbidden, see, see}},
	}
}

const conflict = http.StatusConflict

// TestReviewRouteMatrix: every review route × anonymous, an office
// session, HQ's sessions answers as its row says. The rows run in order
// on one hub: the reviewer requests changes, so the admin's same request
// finds nothing left to do (409); logout comes last.
func TestReviewRouteMatrix(t *testing.T) {
	fx := newReviewFixture(t)
	browsers := []*browser{fx.e.browser(), fx.e.browser(), fx.e.browser(), fx.e.browser()}
	browsers[1].setToken(fx.tok["designer.fr"])
	browsers[2].setToken(fx.tok["reviewer"])
	browsers[3].setToken(fx.tok["admin"])
	names := []string{"anonymous", "designer", "hq_reviewer", "hq_admin"}
	for _, row := range reviewMatrixRows() {
		for i, b := range browsers {
			t.Run(row.name+"/"+names[i], func(t *testing.T) {
				r := row.build(fx, b)
				if got := reviewRoutedPattern(t, r.Method, r.URL.RequestURI()); got != row.pattern {
					t.Fatalf("%s %s reaches %q, the row is for %q", r.Method, r.URL, got, row.pattern)
				}
				if r.Method == http.MethodPost {
					r.Header.Set("Origin", fx.e.srv.URL)
				}
				a := b.do(r)
				if a.status != row.want[i] {
					t.Fatalf("%s %s as %s: got %d, want %d\n%.400s", r.Method, r.URL.Path, names[i], a.status, row.want[i], a.body)
				}
				if a.status == http.StatusForbidden && i == 1 && !bytes.Contains(a.body, []byte("HQ only")) && row.pattern != "POST /review/login" {
					t.Fatalf("a designer's 403 is not the HQ-only page: %s", a.body)
				}
			})
		}
	}
}

// TestEveryReviewRouteHasMatrixRows fails when a review route is
// registered without a row in TestReviewRouteMatrix, or a row names no
// route.
func TestEveryReviewRouteHasMatrixRows(t *testing.T) {
	covered := map[string]bool{}
	for _, r := range reviewMatrixRows() {
		covered[r.pattern] = true
	}
	registered := map[string]bool{}
	for _, rt := range reviewRouteTable() {
		registered[rt.pattern] = true
		if !covered[rt.pattern] {
			t.Errorf("review route %q has no row in the review matrix", rt.pattern)
		}
		if !strings.Contains(rt.pattern, " /review/") {
			t.Errorf("review route %q is not under /review/", rt.pattern)
		}
	}
	for p := range covered {
		if !registered[p] {
			t.Errorf("review matrix row for %q, which the hub does not register", p)
		}
	}
}

// reviewRoutedPattern is the pattern of routeTable or reviewRouteTable a
// request reaches.
func reviewRoutedPattern(t *testing.T, method, path string) string {
	t.Helper()
	mux := http.NewServeMux()
	for _, rt := range routeTable() {
		mux.HandleFunc(rt.pattern, func(http.ResponseWriter, *http.Request) {})
	}
	for _, rt := range reviewRouteTable() {
		mux.HandleFunc(rt.pattern, func(http.ResponseWriter, *http.Request) {})
	}
	hr, err := http.NewRequest(method, "http://hub"+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, p := mux.Handler(hr)
	return p
}

// TestReviewErrorsAreHTML: the review pages answer their errors as pages,
// the API's routes keep answering JSON.
func TestReviewErrorsAreHTML(t *testing.T) {
	fx := newReviewFixture(t)
	b := fx.e.browser()
	b.signIn("reviewer", DemoPassword)
	wantPage(t, b.get("/review/submissions/nonsense"), http.StatusNotFound, "no such page")
	wantError(t, fx.e.get(hubapi.SubmissionPath("nonsense"), fx.tok["reviewer"]), http.StatusNotFound, hubapi.CodeNotFound)
	if c := fault.CodeOf(fault.New(fault.Permission, CodeCSRF, "x")); c != "hub.csrf_invalid" {
		t.Fatal(c)
	}
}
