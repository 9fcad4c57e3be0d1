package hubclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// Error codes of submitting.
const (
	CodeUploadSource fault.Code = "hub.upload_source" // {sha256}: the local bytes of an upload could not be read or are not its size
)

// maxRecordBody bounds a SubmissionRecord answer: the submission and its
// life on the hub.
const maxRecordBody = hubapi.MaxSubmissionBody + 4<<20

// RetryAfter returns how long the hub asked the client to wait before the
// request that failed with err is tried again.
func RetryAfter(err error) (time.Duration, bool) {
	var ra retryAfter
	if errors.As(err, &ra) {
		return time.Duration(ra), true
	}
	return 0, false
}

// HasBlob asks whether the hub holds a blob (HEAD /v1/blobs/{sha256}).
func (c *Client) HasBlob(ctx context.Context, sha string) (bool, error) {
	const op = "hubclient.HasBlob"
	if !shaPattern.MatchString(sha) {
		return false, fault.New(fault.Invalid, CodeResponseInvalid, op).With("reason", "blob_name").With("sha256", sha)
	}
	resp, err := c.sendBytes(ctx, op, http.MethodHead, hubapi.BlobPath(sha), nil, "", nil)
	if fault.KindOf(err) == fault.NotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK, nil
}

// UploadStatus asks how much of an upload the hub holds.
func (c *Client) UploadStatus(ctx context.Context, sha string) (hubapi.UploadStatus, error) {
	var st hubapi.UploadStatus
	return st, c.getJSON(ctx, "hubclient.UploadStatus", hubapi.UploadPath(sha), &st)
}

// UploadBlob sends a blob of size bytes to the hub, resuming where the hub
// stopped: it asks the hub's offset (GET /v1/uploads/{sha256}), then PATCHes
// chunks of at most hubapi.MaxUploadChunk from there. A 409 (the hub holds
// another offset) re-reads the offset and goes on. open is called once per
// call and must give the blob's bytes from the start.
//
// It does not retry a transient failure: the caller backs off and calls
// again, and the next call resumes from the bytes the hub kept.
func (c *Client) UploadBlob(ctx context.Context, sha string, size int64, open func() (io.ReadSeeker, error)) error {
	const op = "hubclient.UploadBlob"
	if !shaPattern.MatchString(sha) || size <= 0 || size > hubapi.MaxUpload {
		return fault.New(fault.Invalid, CodeUploadSource, op).With("sha256", sha)
	}
	st, err := c.UploadStatus(ctx, sha)
	if err != nil {
		return err
	}
	if st.Complete {
		return nil
	}
	src, err := open()
	if err != nil {
		return fault.New(fault.Unavailable, CodeUploadSource, op).With("sha256", sha).Wrap(err)
	}
	if cl, ok := src.(io.Closer); ok {
		defer cl.Close()
	}
	buf := make([]byte, min(size, hubapi.MaxUploadChunk))
	conflicts := 0
	offset := st.Received
	for {
		if offset > size || offset < 0 {
			return fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "upload_offset").With("sha256", sha)
		}
		if offset == size {
			// Every byte is there but the hub did not store it: the last
			// answer was lost. Ask again.
			if st, err = c.UploadStatus(ctx, sha); err != nil {
				return err
			}
			if st.Complete {
				return nil
			}
			if st.Received == size {
				return fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "upload_incomplete").With("sha256", sha)
			}
			offset = st.Received
			continue
		}
		n := min(size-offset, int64(len(buf)))
		if _, err := src.Seek(offset, io.SeekStart); err != nil {
			return fault.New(fault.Unavailable, CodeUploadSource, op).With("sha256", sha).Wrap(err)
		}
		if _, err := io.ReadFull(src, buf[:n]); err != nil {
			return fault.New(fault.Unavailable, CodeUploadSource, op).With("sha256", sha).Wrap(err)
		}
		hdr := http.Header{}
		hdr.Set(hubapi.HeaderUploadOffset, strconv.FormatInt(offset, 10))
		hdr.Set(hubapi.HeaderUploadLength, strconv.FormatInt(size, 10))
		resp, err := c.sendBytes(ctx, op, http.MethodPatch, hubapi.UploadPath(sha), buf[:n], "application/offset+octet-stream", hdr)
		if fault.Is(err, hubapi.CodeUploadOffset) {
			// Another attempt (or a body lost on its way back) moved the
			// hub's offset: read it again.
			if conflicts++; conflicts > 3 {
				return err
			}
			if st, err = c.UploadStatus(ctx, sha); err != nil {
				return err
			}
			if st.Complete {
				return nil
			}
			offset = st.Received
			continue
		}
		if err != nil {
			return err
		}
		var got hubapi.UploadStatus
		err = c.decodeLimit(ctx, op, resp, &got, maxErrorBody)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if got.Complete {
			return nil
		}
		if got.Received <= offset {
			conflicts++
			if conflicts > 3 {
				return fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "upload_stuck").With("sha256", sha)
			}
		} else {
			conflicts = 0
		}
		offset = got.Received
	}
}

// PutSubmission sends a submission (PUT /v1/submissions/{id}). See
// PutSubmissionBody.
func (c *Client) PutSubmission(ctx context.Context, s hubapi.Submission) (rec hubapi.SubmissionRecord, created bool, err error) {
	body, err := json.Marshal(s)
	if err != nil {
		return rec, false, fault.New(fault.Internal, fault.CodeInternal, "hubclient.PutSubmission").Wrap(err)
	}
	return c.PutSubmissionBody(ctx, s.ID, body)
}

// PutSubmissionBody sends a submission's JSON body as it is. The id is the
// idempotency key, forever: sending the same bytes again answers the stored
// record (created false), so a caller that does not know whether an
// attempt arrived sends exactly the same bytes again. The request carries
// Idempotency-Key: id and a replayable body, so Go's transport may itself
// resend it on a connection that died before any answer; the hub's
// deduplication makes that harmless.
func (c *Client) PutSubmissionBody(ctx context.Context, id string, body []byte) (rec hubapi.SubmissionRecord, created bool, err error) {
	const op = "hubclient.PutSubmission"
	hdr := http.Header{}
	hdr.Set("Idempotency-Key", id)
	resp, err := c.sendBytes(ctx, op, http.MethodPut, hubapi.SubmissionPath(url.PathEscape(id)), body, "application/json", hdr)
	if err != nil {
		return rec, false, err
	}
	defer resp.Body.Close()
	if err := c.decodeLimit(ctx, op, resp, &rec, maxRecordBody); err != nil {
		return rec, false, err
	}
	if rec.ID != id {
		return rec, false, fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "submission_id")
	}
	return rec, resp.StatusCode == http.StatusCreated, nil
}

// Submissions lists the submissions the user may see that changed after the
// hub's change number since (0 for all).
func (c *Client) Submissions(ctx context.Context, since uint64) ([]hubapi.SubmissionHead, error) {
	const op = "hubclient.Submissions"
	path := hubapi.PathSubmissions
	if since > 0 {
		path += "?since=" + strconv.FormatUint(since, 10)
	}
	var heads []hubapi.SubmissionHead
	if err := c.getJSON(ctx, op, path, &heads); err != nil {
		return nil, err
	}
	return heads, nil
}

// Submission fetches one submission with its state, history and thread.
func (c *Client) Submission(ctx context.Context, id string) (hubapi.SubmissionRecord, error) {
	const op = "hubclient.Submission"
	var rec hubapi.SubmissionRecord
	resp, err := c.sendBytes(ctx, op, http.MethodGet, hubapi.SubmissionPath(url.PathEscape(id)), nil, "", nil)
	if err != nil {
		return rec, err
	}
	defer resp.Body.Close()
	return rec, c.decodeLimit(ctx, op, resp, &rec, maxRecordBody)
}

// Act moves a submission through its states (a submission.Action, with a
// comment where the action needs one).
func (c *Client) Act(ctx context.Context, id, action, comment string) (hubapi.SubmissionRecord, error) {
	const op = "hubclient.Act"
	var rec hubapi.SubmissionRecord
	body, _ := json.Marshal(hubapi.SubmissionAction{Action: action, Comment: comment})
	resp, err := c.sendBytes(ctx, op, http.MethodPost, hubapi.SubmissionPath(url.PathEscape(id))+"/actions", body, "application/json", nil)
	if err != nil {
		return rec, err
	}
	defer resp.Body.Close()
	return rec, c.decodeLimit(ctx, op, resp, &rec, maxRecordBody)
}

// Comment adds a message to a submission's thread, about a slot of a
// locale when they are not "".
func (c *Client) Comment(ctx context.Context, id, text, slot, locale string) (hubapi.Comment, error) {
	const op = "hubclient.Comment"
	var cm hubapi.Comment
	body, _ := json.Marshal(hubapi.NewComment{Text: text, Slot: slot, Locale: locale})
	resp, err := c.sendBytes(ctx, op, http.MethodPost, hubapi.SubmissionPath(url.PathEscape(id))+"/comments", body, "application/json", nil)
	if err != nil {
		return cm, err
	}
	defer resp.Body.Close()
	return cm, c.decode(ctx, op, resp, &cm)
}

// SignOffGrant asks the hub to witness a local approver's sign-off
// (POST /v1/signoffs); the grant goes into the submission as it is.
func (c *Client) SignOffGrant(ctx context.Context, req hubapi.SignOffRequest) (hubapi.SignOffAnswer, error) {
	const op = "hubclient.SignOffGrant"
	var a hubapi.SignOffAnswer
	body, err := json.Marshal(req)
	if err != nil {
		return a, fault.New(fault.Internal, fault.CodeInternal, op).Wrap(err)
	}
	resp, err := c.sendBytes(ctx, op, http.MethodPost, hubapi.PathSignOffs, body, "application/json", nil)
	if err != nil {
		return a, err
	}
	defer resp.Body.Close()
	if err := c.decode(ctx, op, resp, &a); err != nil {
		return a, err
	}
	if a.Grant == "" {
		return a, fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "no_grant")
	}
	return a, nil
}

// decodeLimit is decode with a limit on the body's size.
func (c *Client) decodeLimit(ctx context.Context, op string, resp *http.Response, v any, limit int64) error {
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return c.netError(ctx, op, err)
	}
	if int64(len(b)) > limit {
		return fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "too_large")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fault.New(fault.Corrupt, CodeResponseInvalid, op).With("reason", "json").Wrap(err)
	}
	return nil
}

// sendBytes is send with a body of another content type than JSON.
func (c *Client) sendBytes(ctx context.Context, op, method, path string, body []byte, ctype string, hdr http.Header) (*http.Response, error) {
	if body != nil && ctype != "" {
		hdr = hdr.Clone()
		if hdr == nil {
			hdr = http.Header{}
		}
		hdr.Set("Content-Type", ctype)
	}
	return c.send(ctx, op, method, path, body, hdr)
}
