package hub

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// writeJSON answers v as JSON. API answers are never cached: a session
// holds a token.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"kind":"internal","code":"internal","detail":"internal"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// writeError answers err as a hubapi.ErrorBody with its status. A server
// fault (5xx) is logged in full and answered without its detail, which may
// name files or causes the client has no use for.
func (h *Hub) writeError(w http.ResponseWriter, r *http.Request, err error) {
	h.writeErrorStatus(w, r, hubapi.StatusOf(err), err)
}

func (h *Hub) writeErrorStatus(w http.ResponseWriter, r *http.Request, status int, err error) {
	p := fault.ToPayload(err)
	if status >= 500 {
		h.log.Error("hub: request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
		p.Detail, p.Op = string(p.Code), ""
	}
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		secs := p.Params["retry_after"]
		if secs == "" {
			secs = "5"
		}
		w.Header().Set("Retry-After", secs)
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="outpost-hub"`)
	}
	writeJSON(w, status, hubapi.ErrorBody{Error: p})
}

func requestInvalid(reason string) *fault.Error {
	return fault.New(fault.Invalid, hubapi.CodeRequestInvalid, "hub.request").With("reason", reason)
}

func tooLarge(limit int64) error {
	return fault.New(fault.Invalid, hubapi.CodeRequestTooLarge, "hub.request").With("limit", limit)
}

// hasType reports whether the request's Content-Type is media (parameters
// such as charset aside).
func hasType(r *http.Request, media string) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == media
}

// decodeJSON reads a JSON body of at most hubapi.MaxJSONBody bytes into v:
// one value, no unknown field, nothing after it.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if !hasType(r, "application/json") {
		return requestInvalid("content_type")
	}
	if r.ContentLength > hubapi.MaxJSONBody {
		return tooLarge(hubapi.MaxJSONBody)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, hubapi.MaxJSONBody))
	dec.DisallowUnknownFields()
	classify := func(err error) error {
		var mbe *http.MaxBytesError
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			return tooLarge(hubapi.MaxJSONBody)
		case errors.Is(err, io.EOF):
			return requestInvalid("empty").Wrap(err)
		case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
			return requestInvalid("syntax").Wrap(err)
		case errors.As(err, &typ):
			return requestInvalid("type").With("field", typ.Field).Wrap(err)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return requestInvalid("unknown_field").With("field", field).Wrap(err)
		}
		return requestInvalid("json").Wrap(err)
	}
	if err := dec.Decode(v); err != nil {
		return classify(err)
	}
	var extra json.RawMessage
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil && errors.As(err, new(*http.MaxBytesError)):
		return tooLarge(hubapi.MaxJSONBody)
	}
	return requestInvalid("trailing_data")
}

// clientAddr is the address login limits and logs name: the connection's
// host, or with TrustProxy the last X-Forwarded-For entry.
func (h *Hub) clientAddr(r *http.Request) string {
	if h.opt.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// accessKey is the context key of a request's accessEntry.
type accessKey struct{}

// accessEntry is what the access log learns while a request is served.
type accessEntry struct{ user string }

func setLogUser(r *http.Request, name string) {
	if e, ok := r.Context().Value(accessKey{}).(*accessEntry); ok {
		e.user = name
	}
}

// recordingWriter remembers the status and size of an answer.
type recordingWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rw *recordingWriter) WriteHeader(code int) {
	if rw.status == 0 {
		rw.status = code
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *recordingWriter) Write(b []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	n, err := rw.ResponseWriter.Write(b)
	rw.bytes += int64(n)
	return n, err
}

func (rw *recordingWriter) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// served wraps the mux: security headers, panic recovery into a 500 and one
// structured access-log line per request (method, route pattern, status,
// bytes, duration, user, client; never a token or a password).
func (h *Hub) served(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		entry := &accessEntry{}
		r = r.WithContext(context.WithValue(r.Context(), accessKey{}, entry))
		rw := &recordingWriter{ResponseWriter: w}
		rw.Header().Set("X-Content-Type-Options", "nosniff")
		rw.Header().Set("X-Frame-Options", "DENY")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				err := fault.New(fault.Internal, fault.CodeInternal, "hub.serve").Wrap(fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
				if rw.status == 0 {
					h.writeError(rw, r, err)
				} else {
					h.log.Error("hub: panic after the answer began", "err", err)
				}
			}
			pattern := r.Pattern
			if pattern == "" || pattern == "/" {
				pattern = "(unrouted)"
			}
			h.log.LogAttrs(r.Context(), slog.LevelInfo, "http",
				slog.String("method", r.Method),
				slog.String("pattern", pattern),
				slog.Int("status", cmp.Or(rw.status, http.StatusOK)),
				slog.Int64("bytes", rw.bytes),
				slog.Duration("duration", time.Since(start)),
				slog.String("user", entry.user),
				slog.String("client", h.clientAddr(r)),
			)
		}()
		next.ServeHTTP(rw, r)
	})
}
