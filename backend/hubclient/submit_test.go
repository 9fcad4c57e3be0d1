package hubclient

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/hubclient/internal/testrel"
)

func opener(b []byte) func() (io.ReadSeeker, error) {
	return func() (io.ReadSeeker, error) { return bytes.NewReader(b), nil }
}

func shaOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestUploadBlobResumesWhereTheHubStopped: a 20 MiB blob goes in chunks of
// at most 8 MiB; a chunk refused midway leaves the first on the hub, and
// the next call sends only what is missing.
func TestUploadBlobResumesWhereTheHubStopped(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	blob := testrel.Random(20<<20, 5)
	sha := shaOf(blob)
	if ok, err := e.client.HasBlob(ctx, sha); err != nil || ok {
		t.Fatalf("HasBlob before = %v, %v", ok, err)
	}
	var patches []int64
	e.proxy.setRule(func(r *http.Request, n int) action {
		if r.Method == http.MethodPatch {
			patches = append(patches, r.ContentLength)
			if len(patches) == 2 {
				return action{status: http.StatusServiceUnavailable, retryAfter: "7"}
			}
		}
		return action{}
	})
	err := e.client.UploadBlob(ctx, sha, int64(len(blob)), opener(blob))
	if fault.KindOf(err) != fault.Transient {
		t.Fatalf("first upload: %v", err)
	}
	if d, ok := RetryAfter(err); !ok || d != 7*time.Second {
		t.Fatalf("RetryAfter = %v, %v", d, ok)
	}
	st, err := e.client.UploadStatus(ctx, sha)
	if err != nil || st.Received != hubapi.MaxUploadChunk || st.Complete {
		t.Fatalf("status after a refused chunk: %+v, %v", st, err)
	}
	if err := e.client.UploadBlob(ctx, sha, int64(len(blob)), opener(blob)); err != nil {
		t.Fatalf("resume: %v", err)
	}
	want := []int64{8 << 20, 8 << 20, 8 << 20, 4 << 20}
	if len(patches) != len(want) {
		t.Fatalf("PATCH bodies %v, want %v", patches, want)
	}
	for i := range want {
		if patches[i] != want[i] {
			t.Fatalf("PATCH bodies %v, want %v", patches, want)
		}
	}
	if ok, err := e.client.HasBlob(ctx, sha); err != nil || !ok {
		t.Fatalf("HasBlob after = %v, %v", ok, err)
	}
	// Already there: one GET, no PATCH.
	patches = nil
	if err := e.client.UploadBlob(ctx, sha, int64(len(blob)), opener(blob)); err != nil || len(patches) != 0 {
		t.Fatalf("again: %v, %d PATCHes", err, len(patches))
	}
}

// TestUploadBlobAfterALostAnswerReadsTheOffsetAgain: the hub stored a
// chunk but its answer was cut: the next call asks the offset and goes on.
func TestUploadBlobAfterALostAnswerReadsTheOffsetAgain(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	blob := testrel.Random(10<<20, 6)
	sha := shaOf(blob)
	patches := 0
	e.proxy.setRule(func(r *http.Request, n int) action {
		if r.Method == http.MethodPatch {
			if patches++; patches == 1 {
				return action{dropAfter: 1}
			}
		}
		return action{}
	})
	if err := e.client.UploadBlob(ctx, sha, int64(len(blob)), opener(blob)); fault.KindOf(err) != fault.Transient {
		t.Fatalf("first: %v", err)
	}
	if err := e.client.UploadBlob(ctx, sha, int64(len(blob)), opener(blob)); err != nil {
		t.Fatalf("resume: %v", err)
	}
	if ok, _ := e.client.HasBlob(ctx, sha); !ok {
		t.Fatal("not stored")
	}
	// The first chunk was stored and is not sent again: 8 MiB, then 2.
	if patches != 2 {
		t.Fatalf("%d PATCHes, want 2", patches)
	}
}

func TestUploadBlobOfWrongBytesIsRefused(t *testing.T) {
	e := newEnv(t)
	blob := []byte(strings.Repeat("x", 1000))
	err := e.client.UploadBlob(context.Background(), shaOf([]byte("other")), int64(len(blob)), opener(blob))
	if !fault.Is(err, hubapi.CodeUploadCorrupt) {
		t.Fatalf("upload: %v", err)
	}
}

func TestHasBlobWithoutATokenIsUnauthenticated(t *testing.T) {
	e := newEnv(t)
	e.client.SetToken("")
	if _, err := e.client.HasBlob(context.Background(), shaOf([]byte("x"))); !fault.Is(err, hubapi.CodeUnauthenticated) {
		t.Fatalf("HasBlob: %v", err)
	}
}
