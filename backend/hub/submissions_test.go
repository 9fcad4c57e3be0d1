package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/outpost-studio/outpost/backend/brandcheck"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
	"github.com/outpost-studio/outpost/backend/submission"
)

// submissionEnv is a demo hub, its accounts signed in, and an office.
func submissionEnv(t *testing.T) (*testEnv, map[string]string, *office) {
	t.Helper()
	e := newEnv(t)
	if err := e.hub.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e, e.demoTokens(), newOffice(t)
}

func (e *testEnv) list(token, query string) []hubapi.SubmissionHead {
	e.t.Helper()
	a := e.get(hubapi.PathSubmissions+query, token)
	if a.status != http.StatusOK {
		e.t.Fatalf("list%s: %v", query, a)
	}
	var out []hubapi.SubmissionHead
	if err := json.Unmarshal(a.body, &out); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// TestSubmissionDedupForever: a clean campaign checked on the desktop,
// signed off and submitted is stored once; the same id and body again
// answers the stored record (200), however often and however concurrently;
// another body under that id is refused with submission.id_reused.
func TestSubmissionDedupForever(t *testing.T) {
	e, tok, o := submissionEnv(t)
	r := e.ready(o, "fr", tok)
	id, body := r.body(t)

	// Eight identical PUTs at once: exactly one creates.
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = e.putSubmission(tok["designer.fr"], id, body).status
		}()
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Fatalf("statuses %v", statuses)
		}
	}
	if created != 1 {
		t.Fatalf("%d PUTs created the submission: %v", created, statuses)
	}
	first := decodeRecord(t, e.get(hubapi.SubmissionPath(id), tok["designer.fr"]))
	if first.State != string(submission.Submitted) || first.SignedOffBy != "approver.fr" || first.SubmittedBy != "designer.fr" ||
		len(first.History) != 1 || first.Submission.ID != id || first.SignOff.Rev != r.ck.c.Rev {
		t.Fatalf("record %+v", first)
	}

	// Later, after changes, by the approver too: still the stored one.
	if a := e.do(req{method: http.MethodPost, path: hubapi.SubmissionPath(id) + "/comments", token: tok["reviewer"], ctype: "application/json",
		body: jsonBody(hubapi.NewComment{Text: "Looks good"})}); a.status != http.StatusCreated {
		t.Fatalf("comment: %v", a)
	}
	a := e.putSubmission(tok["approver.fr"], id, body)
	if a.status != http.StatusOK {
		t.Fatalf("again: %v", a)
	}
	if again := decodeRecord(t, a); again.Seq <= first.Seq || len(again.Thread) != 1 {
		t.Fatalf("again: %+v", again.SubmissionHead)
	}

	// Another body under the same id.
	other := r.ck.submission(id, r.grant)
	other.SubmittedAt = other.SubmittedAt.Add(1)
	wantError(t, e.putSubmission(tok["designer.fr"], id, mustJSON(t, other)), http.StatusConflict, hubapi.CodeIDReused)

	if got := e.list(tok["reviewer"], ""); len(got) != 1 || got[0].ID != id {
		t.Fatalf("listed %+v", got)
	}

	// Forever: across a restart of the hub, too.
	e.srv.Close()
	if err := e.hub.Close(); err != nil {
		t.Fatal(err)
	}
	h, err := Open(e.dir, e.hub.opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	e.hub = h
	e.srv = httptest.NewServer(h.Handler())
	if a := e.putSubmission(tok["designer.fr"], id, body); a.status != http.StatusOK {
		t.Fatalf("after a restart: %v", a)
	}
}

// TestStoreCreatesOnce: racing PutSubmission calls on one id (no hub lock
// in front) store one row; the losers get it back.
func TestStoreCreatesOnce(t *testing.T) {
	e := newEnv(t)
	id := newSubmissionID()
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			row := SubmissionRow{Head: hubapi.SubmissionHead{ID: id, Region: "fr"}, BodySHA256: fmt.Sprint(i)}
			_, ok, err := e.hub.store.PutSubmission(row, []byte("{}"))
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				created++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	rows, err := e.hub.store.Submissions(0)
	if err != nil || created != 1 || len(rows) != 1 {
		t.Fatalf("created %d, rows %d, %v", created, len(rows), err)
	}
}

// TestSubmissionRefusals: what the hub refuses, with the reason.
func TestSubmissionRefusals(t *testing.T) {
	e, tok, o := submissionEnv(t)
	r := e.ready(o, "fr", tok)
	designer, approver := tok["designer.fr"], tok["approver.fr"]

	put := func(s hubapi.Submission) answer {
		s.ID = newSubmissionID()
		return e.putSubmission(designer, s.ID, mustJSON(t, s))
	}
	reason := func(t *testing.T, a answer, status int, code fault.Code, why string) {
		t.Helper()
		wantError(t, a, status, code)
		if got := a.err().Params["reason"]; why != "" && got != why {
			t.Fatalf("reason %q, want %q (%v)", got, why, a)
		}
	}

	t.Run("absent grant", func(t *testing.T) {
		reason(t, put(r.ck.submission("", "")), 403, hubapi.CodeSignOffInvalid, "absent")
	})
	t.Run("forged grant", func(t *testing.T) {
		payload, mac, _ := strings.Cut(r.grant, ".")
		forged := payload + "." + strings.Repeat("A", len(mac))
		reason(t, put(r.ck.submission("", forged)), 403, hubapi.CodeSignOffInvalid, "signature")
	})
	t.Run("a grant for another revision", func(t *testing.T) {
		s := r.ck.submission("", r.grant)
		s.Campaign.Rev++
		reason(t, put(s), 403, hubapi.CodeSignOffInvalid, "rev")
	})
	t.Run("a campaign edited after the sign-off", func(t *testing.T) {
		s := r.ck.submission("", r.grant)
		s.Campaign.Values = map[string]map[string]string{"fr": {"season": "summer"}}
		reason(t, put(s), 403, hubapi.CodeSignOffInvalid, "campaign_sha256")
	})
	t.Run("a designer cannot sign off", func(t *testing.T) {
		wantError(t, e.signOff(designer, r.ck.signOffRequest()), 403, hubapi.CodeForbidden)
	})
	t.Run("the author cannot sign off", func(t *testing.T) {
		req := r.ck.signOffRequest()
		req.Author = "approver.fr"
		wantError(t, e.signOff(approver, req), 403, submission.CodeSignOffOwn)
	})
	t.Run("no sign-off of a check with errors", func(t *testing.T) {
		req := r.ck.signOffRequest()
		req.Errors = 2
		wantError(t, e.signOff(approver, req), 409, submission.CodeSignOffErrors)
	})
	t.Run("an approver of another region", func(t *testing.T) {
		wantError(t, e.signOff(tok["approver.be"], r.ck.signOffRequest()), 403, submission.CodeSignOffRegion)
	})
	t.Run("missing blob", func(t *testing.T) {
		s := r.ck.submission("", r.grant)
		s.Renditions = append(s.Renditions, hubapi.Rendition{Key: "extra", SHA256: sha256Hex("never uploaded"), Bytes: 14})
		a := put(s)
		wantError(t, a, 409, hubapi.CodeBlobMissing)
		if a.err().Params["sha256"] != sha256Hex("never uploaded") {
			t.Fatalf("params %v", a.err().Params)
		}
	})
	t.Run("a tampered finding", func(t *testing.T) {
		ck := *r.ck
		ck.report.Findings = append(ck.report.Findings, brandcheck.Finding{Rule: "tone", Severity: "warning", Locale: "fr", Code: "x", Hint: "y", Params: map[string]string{}})
		ck.report.Receipt.FindingsSHA256 = sha256Hex(string(brandcheck.FindingsJSON(ck.report.Findings)))
		g := e.grant(approver, ck.signOffRequest()) // the approver saw the desktop's findings
		reason(t, put(ck.submission("", g)), 422, hubapi.CodeReceiptMismatch, "findings")
	})
	t.Run("findings that are not the receipt's", func(t *testing.T) {
		s := r.ck.submission("", r.grant)
		s.Findings = append(s.Findings, brandcheck.Finding{Rule: "x", Severity: "warning"})
		reason(t, put(s), 422, hubapi.CodeReceiptMismatch, "findings")
	})
	t.Run("a rule param changed on the desktop", func(t *testing.T) {
		pack := o.ix.Content.Rules
		pack.Rules = append([]library.Rule(nil), pack.Rules...)
		for i := range pack.Rules {
			if pack.Rules[i].ID == "tone-calm" { // loosened on the desktop
				pack.Rules[i].Params = json.RawMessage(`{"max_exclamations": 3, "max_caps_words": 2, "max_emoji": 2}`)
			}
		}
		ck := o.check(r.ck.c, &pack)
		g := e.grant(approver, ck.signOffRequest())
		reason(t, put(ck.submission("", g)), 422, hubapi.CodeReceiptMismatch, "rules")
	})
	t.Run("a receipt of another campaign", func(t *testing.T) {
		s := r.ck.submission("", r.grant)
		s.Receipt.CampaignSHA256 = sha256Hex("another")
		reason(t, put(s), 422, hubapi.CodeReceiptMismatch, "campaign")
	})
	t.Run("a receipt dated ahead", func(t *testing.T) {
		s := r.ck.submission("", r.grant)
		s.Receipt.Today = "2027-03-01"
		reason(t, put(s), 422, hubapi.CodeReceiptMismatch, "today")
	})
	t.Run("errors the desktop did not admit", func(t *testing.T) {
		c, err := o.campaign.SetValue(o.draft("fr").ID, "fr", "subject", "Un sac gratuit pour vous")
		if err != nil {
			t.Fatal(err)
		}
		ck := o.check(c, nil)
		if ck.report.Errors == 0 {
			t.Fatal("the restricted word is not an error")
		}
		e.uploadAll(designer, ck.blobs)
		req := ck.signOffRequest()
		req.Errors = 0 // the desktop lies
		wantError(t, put(ck.submission("", e.grant(approver, req))), 409, brandcheck.CodeBlocked)
	})
	t.Run("another region's campaign", func(t *testing.T) {
		s := r.ck.submission(newSubmissionID(), r.grant)
		wantError(t, e.putSubmission(tok["designer.be"], s.ID, mustJSON(t, s)), 403, hubapi.CodeForbidden)
	})
	t.Run("a malformed id", func(t *testing.T) {
		wantError(t, e.putSubmission(designer, "sub_NOTVALID", []byte("{}")), 404, hubapi.CodeNotFound)
	})
	if got := e.list(tok["reviewer"], ""); len(got) != 0 {
		t.Fatalf("refused submissions were stored: %+v", got)
	}
}

// TestResumableUpload: two PATCHes make a blob; a wrong offset is 409 with
// the hub's offset; bytes that do not hash to the name are dropped (422).
func TestResumableUpload(t *testing.T) {
	e := newEnv(t)
	e.addUser("d.fr", hubapi.RoleDesigner, "fr")
	e.addUser("r.hq", hubapi.RoleHQReviewer, "")
	tok := e.login("d.fr", testPassword)
	data := []byte(strings.Repeat("0123456789abcdef", 4096))
	sha := sha256Hex(string(data))
	n := int64(len(data))
	status := func() hubapi.UploadStatus {
		a := e.get(hubapi.UploadPath(sha), tok)
		var st hubapi.UploadStatus
		if a.status != 200 || json.Unmarshal(a.body, &st) != nil {
			t.Fatalf("status: %v", a)
		}
		return st
	}
	if st := status(); st.Received != 0 || st.Complete {
		t.Fatalf("before: %+v", st)
	}
	if a := e.do(req{method: http.MethodHead, path: hubapi.BlobPath(sha), token: tok}); a.status != 404 {
		t.Fatalf("HEAD before: %v", a)
	}
	if a := e.patch(tok, sha, 0, n, data[:10000]); a.status != 200 {
		t.Fatalf("first: %v", a)
	}
	a := e.patch(tok, sha, 5000, n, data[5000:])
	wantError(t, a, 409, hubapi.CodeUploadOffset)
	if a.err().Params["offset"] != "10000" {
		t.Fatalf("offset %v", a.err().Params)
	}
	if st := status(); st.Received != 10000 {
		t.Fatalf("between: %+v", st)
	}
	if a := e.patch(tok, sha, 10000, n, data[10000:]); a.status != 200 {
		t.Fatalf("second: %v", a)
	}
	if st := status(); !st.Complete || st.Received != n {
		t.Fatalf("after: %+v", st)
	}
	a = e.do(req{method: http.MethodHead, path: hubapi.BlobPath(sha), token: tok})
	if a.status != 200 || a.header.Get("Content-Length") != fmt.Sprint(n) {
		t.Fatalf("HEAD after: %v %v", a, a.header)
	}
	// HEAD is not GET: a rendition is in no release, so GET still says no.
	if a := e.get(hubapi.BlobPath(sha), tok); a.status != 404 {
		t.Fatalf("GET of a rendition: %v", a)
	}

	t.Run("wrong hash", func(t *testing.T) {
		wrong := sha256Hex("something else")
		wantError(t, e.patch(tok, wrong, 0, 100, data[:100]), 422, hubapi.CodeUploadCorrupt)
		a := e.get(hubapi.UploadPath(wrong), tok)
		if !strings.Contains(string(a.body), `"received":0`) {
			t.Fatalf("the corrupt upload was kept: %v", a)
		}
	})
	t.Run("limits", func(t *testing.T) {
		wantError(t, e.patch(tok, sha256Hex("big"), 0, hubapi.MaxUpload+1, data[:10]), 413, hubapi.CodeRequestTooLarge)
		wantError(t, e.patch(tok, sha256Hex("past"), 0, 5, data[:10]), 400, hubapi.CodeRequestInvalid)
		wantError(t, e.patch(e.login("r.hq", testPassword), sha, 0, n, data), 403, hubapi.CodeForbidden)
	})
}

// TestTransitionMatrixOverHTTP walks every state × action × role, on a
// submission of the actor's region (fr) and of another (be), through POST
// /v1/submissions/{id}/actions, against the moves HQ's process allows.
// Each cell gets its own submission in its starting state.
func TestTransitionMatrixOverHTTP(t *testing.T) {
	e, tok, o := submissionEnv(t)
	bodies := map[string][]byte{}
	for _, region := range []string{"fr", "be"} {
		r := e.ready(o, region, tok)
		id, body := r.body(t)
		if a := e.putSubmission(tok["designer."+region], id, body); a.status != http.StatusCreated {
			t.Fatalf("PUT %s: %v", region, a)
		}
		bodies[region] = body
	}
	// seed stores a submission in a given state (the moves into it are
	// what the matrix tests).
	seed := func(region string, state submission.State) string {
		id := newSubmissionID()
		row := SubmissionRow{Head: hubapi.SubmissionHead{ID: id, Region: region, State: string(state)}, BodySHA256: "seeded"}
		if _, _, err := e.hub.store.PutSubmission(row, bodies[region]); err != nil {
			t.Fatal(err)
		}
		return id
	}
	allowed := map[[2]string]string{
		{"submitted", "withdraw"}:         "withdrawn",
		{"submitted", "approve"}:          "approved",
		{"submitted", "request_changes"}:  "changes_requested",
		{"changes_requested", "resubmit"}: "submitted",
		{"changes_requested", "withdraw"}: "withdrawn",
		{"approved", "schedule"}:          "scheduled",
		{"approved", "request_changes"}:   "changes_requested",
		{"scheduled", "mark_sent"}:        "sent",
	}
	officeActs := map[string]bool{"withdraw": true, "resubmit": true}
	actors := map[hubapi.Role]string{
		hubapi.RoleDesigner: "designer.fr", hubapi.RoleLocalApprover: "approver.fr",
		hubapi.RoleHQReviewer: "reviewer", hubapi.RoleHQAdmin: "admin",
	}
	cells := 0
	for _, from := range submission.States {
		for _, act := range submission.Actions {
			for _, role := range hubapi.Roles {
				for _, region := range []string{"fr", "be"} {
					cells++
					name := fmt.Sprintf("%s/%s/%s/%s", from, act, role, region)
					id := seed(region, from)
					a := e.do(req{method: http.MethodPost, path: hubapi.SubmissionPath(id) + "/actions", token: tok[actors[role]],
						ctype: "application/json", body: jsonBody(hubapi.SubmissionAction{Action: string(act), Comment: "Please shorten the subject"})})
					to, ok := allowed[[2]string{string(from), string(act)}]
					mayAct := officeActs[string(act)] != role.IsHQ()
					var status int
					var code fault.Code
					switch {
					case region == "be" && !role.IsHQ():
						status, code = 404, hubapi.CodeNotFound
					case !ok:
						status, code = 409, submission.CodeTransitionInvalid
					case !mayAct:
						status, code = 403, submission.CodeForbidden
					}
					if code != "" {
						if a.status != status || a.err().Code != code {
							t.Errorf("%s: got %v, want %d %s", name, a, status, code)
						}
						continue
					}
					if a.status != 200 {
						t.Errorf("%s: got %v, want 200 %s", name, a, to)
						continue
					}
					rec := decodeRecord(t, a)
					last := rec.History[len(rec.History)-1]
					if rec.State != to || last.State != to || last.Action != string(act) || last.By != actors[role] ||
						len(rec.Thread) != 1 || rec.Thread[0].Action != string(act) {
						t.Errorf("%s: record %+v, history %+v", name, rec.SubmissionHead, rec.History)
					}
				}
			}
		}
	}
	if cells != len(submission.States)*len(submission.Actions)*len(hubapi.Roles)*2 {
		t.Fatalf("walked %d cells", cells)
	}

	t.Run("request_changes needs a comment", func(t *testing.T) {
		id := seed("fr", submission.Submitted)
		a := e.do(req{method: http.MethodPost, path: hubapi.SubmissionPath(id) + "/actions", token: tok["reviewer"],
			ctype: "application/json", body: jsonBody(hubapi.SubmissionAction{Action: "request_changes"})})
		wantError(t, a, 400, hubapi.CodeCommentRequired)
	})
	t.Run("since lists each change once, in order", func(t *testing.T) {
		all := e.list(tok["reviewer"], "")
		last := all[len(all)-1].Seq
		id := seed("fr", submission.Submitted)
		e.do(req{method: http.MethodPost, path: hubapi.SubmissionPath(id) + "/comments", token: tok["designer.fr"],
			ctype: "application/json", body: jsonBody(hubapi.NewComment{Text: "Fixed the subject", Slot: "subject", Locale: "fr"})})
		got := e.list(tok["designer.fr"], fmt.Sprintf("?since=%d", last))
		if len(got) != 1 || got[0].ID != id || got[0].Comments != 1 || got[0].Seq <= last {
			t.Fatalf("since %d: %+v", last, got)
		}
		if got := e.list(tok["designer.be"], fmt.Sprintf("?since=%d", last)); len(got) != 0 {
			t.Fatalf("another region's change listed: %+v", got)
		}
		for _, h := range e.list(tok["approver.fr"], "?state=withdrawn") {
			if h.State != "withdrawn" || h.Region != "fr" {
				t.Fatalf("filtered list: %+v", h)
			}
		}
	})
}
