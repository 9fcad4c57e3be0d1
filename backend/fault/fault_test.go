package fault

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestErrorCarriesKindCodeOpParamsAndCause(t *testing.T) {
	cause := io.ErrUnexpectedEOF
	err := New(Invalid, "settings.hub_url_invalid", "settings.Validate").With("url", "ftp://x").With("field", "hubUrl").Wrap(cause)

	want := `settings.Validate: settings.hub_url_invalid (field="hubUrl", url="ftp://x"): unexpected EOF`
	if got := err.Error(); got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("errors.Is does not reach the cause")
	}
	wrapped := fmt.Errorf("saving: %w", err)
	if KindOf(wrapped) != Invalid {
		t.Errorf("KindOf through %%w = %v, want invalid", KindOf(wrapped))
	}
	if CodeOf(wrapped) != "settings.hub_url_invalid" {
		t.Errorf("CodeOf through %%w = %q", CodeOf(wrapped))
	}
	if !Is(wrapped, "settings.hub_url_invalid") || Is(wrapped, "other.code") {
		t.Error("Is does not match by code")
	}
}

func TestPlainErrorsAreInternal(t *testing.T) {
	err := errors.New("boom")
	if KindOf(err) != Internal || CodeOf(err) != CodeInternal {
		t.Fatalf("plain error: kind %v code %q", KindOf(err), CodeOf(err))
	}
	p := ToPayload(err)
	if p.Kind != "internal" || p.Code != CodeInternal || p.Detail != "boom" {
		t.Fatalf("payload of plain error = %+v", p)
	}
	if p := ToPayload(nil); p.Code != "" || p.Detail != "" || p.Params != nil {
		t.Fatal("payload of nil is not empty")
	}
}

func TestJSONIsWhatTheFrontendDecodes(t *testing.T) {
	err := fmt.Errorf("outer: %w", New(Conflict, "cache.locked", "cache.Open").With("path", "/data/db"))
	var got map[string]any
	if e := json.Unmarshal([]byte(JSON(err)), &got); e != nil {
		t.Fatalf("JSON() is not JSON: %v", e)
	}
	if got["kind"] != "conflict" || got["code"] != "cache.locked" || got["op"] != "cache.Open" {
		t.Fatalf("JSON() = %v", got)
	}
	params, _ := got["params"].(map[string]any)
	if params["path"] != "/data/db" {
		t.Fatalf("params = %v", got["params"])
	}
	if got["detail"] != "outer: cache.Open: cache.locked (path=\"/data/db\")" {
		t.Fatalf("detail = %q", got["detail"])
	}
}

func TestKindsRoundTripAsText(t *testing.T) {
	for k := Internal; k <= Canceled; k++ {
		b, _ := k.MarshalText()
		var back Kind
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Errorf("kind %d: %q -> %v, %v", k, b, back, err)
		}
	}
	var k Kind
	if err := k.UnmarshalText([]byte("nonsense")); err == nil {
		t.Error("unknown kind name accepted")
	}
	if got := Kind(200).String(); got != "kind(200)" {
		t.Errorf("out-of-range kind = %q", got)
	}
}
