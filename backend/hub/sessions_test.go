package hub

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/outpost-studio/outpost/backend/hubapi"
)

// TestLoginFailuresAllLookTheSame: a wrong password, an unknown user and a
// disabled user get byte-identical 401 hub.login_failed answers.
func TestLoginFailuresAllLookTheSame(t *testing.T) {
	e := newEnv(t)
	e.addUser("designer.fr", hubapi.RoleDesigner, "fr")
	e.addUser("gone.fr", hubapi.RoleDesigner, "fr")
	if err := e.hub.DisableUser("gone.fr"); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, c := range []struct{ name, user, password string }{
		{"wrong password", "designer.fr", "not the password"},
		{"unknown user", "nobody.fr", testPassword},
		{"disabled user", "gone.fr", testPassword},
		{"malformed name", "Robert'); DROP", testPassword},
	} {
		a := e.loginAnswer(c.user, c.password)
		wantError(t, a, http.StatusUnauthorized, hubapi.CodeLoginFailed)
		if len(a.err().Params) != 0 {
			t.Errorf("%s: params %v say too much", c.name, a.err().Params)
		}
		bodies = append(bodies, string(a.body))
	}
	for _, b := range bodies[1:] {
		if b != bodies[0] {
			t.Errorf("login failures differ:\n%s\n%s", bodies[0], b)
		}
	}
	// The right password still works.
	e.login("designer.fr", testPassword)
}

// TestLoginRateLimits: failures per account and per address run out into
// 429 hub.rate_limited with Retry-After, before any password is checked, and
// come back with time.
func TestLoginRateLimits(t *testing.T) {
	t.Run("account", func(t *testing.T) {
		e := newEnv(t)
		e.addUser("designer.fr", hubapi.RoleDesigner, "fr")
		for i := range accountBurst {
			wantError(t, e.loginAnswer("designer.fr", "wrong password "+strconv.Itoa(i)), http.StatusUnauthorized, hubapi.CodeLoginFailed)
		}
		a := e.loginAnswer("designer.fr", testPassword) // right, but the account is out of tokens
		wantError(t, a, http.StatusTooManyRequests, hubapi.CodeRateLimited)
		ra, err := strconv.Atoi(a.header.Get("Retry-After"))
		if err != nil || ra < 1 || ra > 60/accountPerMinute {
			t.Fatalf("Retry-After %q", a.header.Get("Retry-After"))
		}
		if a.err().Params["retry_after"] != strconv.Itoa(ra) {
			t.Fatalf("param retry_after %q, header %d", a.err().Params["retry_after"], ra)
		}
		// Other accounts from the same address are not held back.
		e.login("admin", testPassword)
		e.clock.Add(time.Duration(ra) * time.Second)
		e.login("designer.fr", testPassword)
	})

	t.Run("address", func(t *testing.T) {
		e := newEnv(t)
		for i := range addressBurst {
			wantError(t, e.loginAnswer(fmt.Sprintf("someone%d", i), "wrong password"), http.StatusUnauthorized, hubapi.CodeLoginFailed)
		}
		a := e.loginAnswer("admin", testPassword)
		wantError(t, a, http.StatusTooManyRequests, hubapi.CodeRateLimited)
		if a.header.Get("Retry-After") != "3" { // 20 a minute: one every 3 s
			t.Fatalf("Retry-After %q", a.header.Get("Retry-After"))
		}
		e.clock.Add(3 * time.Second)
		e.login("admin", testPassword)
	})
}

// TestTokensExpireAndAreRevoked: a token lasts TokenTTL, logout revokes it,
// disabling the user revokes every token of it.
func TestTokensExpireAndAreRevoked(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.TokenTTL = time.Hour })
	e.addUser("designer.fr", hubapi.RoleDesigner, "fr")

	t.Run("expiry", func(t *testing.T) {
		a := e.loginAnswer("designer.fr", testPassword)
		var s hubapi.Session
		json.Unmarshal(a.body, &s)
		if want := t0.Add(time.Hour); !s.Expires.Equal(want) {
			t.Fatalf("expires %v, want %v", s.Expires, want)
		}
		if a := e.get(hubapi.PathMe, s.Token); a.status != http.StatusOK {
			t.Fatalf("fresh token: %v", a)
		}
		e.clock.Add(time.Hour - time.Second)
		if a := e.get(hubapi.PathMe, s.Token); a.status != http.StatusOK {
			t.Fatalf("token a second before expiry: %v", a)
		}
		e.clock.Add(time.Second)
		wantError(t, e.get(hubapi.PathMe, s.Token), http.StatusUnauthorized, hubapi.CodeUnauthenticated)
		if _, err := e.hub.store.Token(tokenHash(s.Token)); err == nil {
			t.Error("an expired token is still stored")
		}
	})

	t.Run("logout", func(t *testing.T) {
		tok := e.login("designer.fr", testPassword)
		other := e.login("designer.fr", testPassword)
		if a := e.do(req{method: http.MethodDelete, path: hubapi.PathSessionCurrent, token: tok}); a.status != http.StatusNoContent {
			t.Fatalf("logout: %v", a)
		}
		wantError(t, e.get(hubapi.PathMe, tok), http.StatusUnauthorized, hubapi.CodeUnauthenticated)
		wantError(t, e.do(req{method: http.MethodDelete, path: hubapi.PathSessionCurrent, token: tok}), http.StatusUnauthorized, hubapi.CodeUnauthenticated)
		if a := e.get(hubapi.PathMe, other); a.status != http.StatusOK {
			t.Fatalf("logout revoked another session: %v", a)
		}
	})

	t.Run("disable", func(t *testing.T) {
		toks := []string{e.login("designer.fr", testPassword), e.login("designer.fr", testPassword)}
		admin := e.login("admin", testPassword)
		if a := e.do(req{method: http.MethodPost, path: "/v1/users/designer.fr/disable", token: admin}); a.status != http.StatusNoContent {
			t.Fatalf("disable: %v", a)
		}
		for _, tok := range toks {
			wantError(t, e.get(hubapi.PathMe, tok), http.StatusUnauthorized, hubapi.CodeUnauthenticated)
			if _, err := e.hub.store.Token(tokenHash(tok)); err == nil {
				t.Error("a disabled user's token is still stored")
			}
		}
		wantError(t, e.loginAnswer("designer.fr", testPassword), http.StatusUnauthorized, hubapi.CodeLoginFailed)
		a := e.get(hubapi.PathUsers, admin)
		if !strings.Contains(string(a.body), `"name":"designer.fr","displayName":"designer.fr","role":"designer","region":"fr","disabled":true`) {
			t.Fatalf("users after disable: %v", a)
		}
	})

	t.Run("garbage tokens", func(t *testing.T) {
		for _, h := range []string{"", "Bearer", "Bearer x", "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+testPassword)),
			"Bearer " + strings.Repeat("A", tokenTextLen), "Bearer " + strings.Repeat("!", tokenTextLen)} {
			a := e.do(req{method: http.MethodGet, path: hubapi.PathMe, header: map[string]string{"Authorization": h}})
			wantError(t, a, http.StatusUnauthorized, hubapi.CodeUnauthenticated)
			if a.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		}
	})
}

// TestTokensAreNotStoredInClear: the database holds the token's SHA-256,
// never its text or its bytes. The hash is found in the write-ahead log,
// so the scan does read the records.
func TestTokensAreNotStoredInClear(t *testing.T) {
	e := newEnv(t)
	var toks []string
	for range 3 {
		toks = append(toks, e.login("admin", testPassword))
	}
	var files [][]byte
	err := filepath.WalkDir(e.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files = append(files, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	all := bytes.Join(files, nil)
	for _, tok := range toks {
		raw, _ := base64.RawURLEncoding.DecodeString(tok)
		if bytes.Contains(all, []byte(tok)) || bytes.Contains(all, raw) {
			t.Fatal("a token is stored in clear")
		}
		if !bytes.Contains(all, []byte(tokenHash(tok))) {
			t.Fatal("the token's hash is not found either: the scan reads nothing")
		}
	}
	if logs := e.logs.String(); strings.Contains(logs, toks[0]) || strings.Contains(logs, testPassword) {
		t.Fatal("a token or a password reached the log")
	}
}

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := hashPassword("correct horse battery", defaultArgon)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if !checkPassword(h, "correct horse battery") || checkPassword(h, "correct horse batterx") {
		t.Fatal("checkPassword does not tell passwords apart")
	}
	h2, _ := hashPassword("correct horse battery", defaultArgon)
	if h == h2 {
		t.Fatal("no salt")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=19456,t=2,p=1$$"} {
		if checkPassword(bad, "x") {
			t.Fatalf("malformed hash %q matched", bad)
		}
	}
}
