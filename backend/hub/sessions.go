package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// tokenBytes is the entropy of a session token; its text is base64url
// without padding.
const tokenBytes = 32

var tokenTextLen = base64.RawURLEncoding.EncodedLen(tokenBytes)

// newToken returns a fresh token's text and the hash the store keeps.
func newToken() (text, hash string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	text = base64.RawURLEncoding.EncodeToString(b)
	return text, tokenHash(text), nil
}

// tokenHash is the hex SHA-256 of a token's text: what the store keys it by.
// A stolen database yields no usable token.
func tokenHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

func errUnauthenticated(op string) error {
	return fault.New(fault.Permission, hubapi.CodeUnauthenticated, op)
}

// login checks a user's password and opens a session. Unknown users, wrong
// passwords and disabled users give the same hubapi.CodeLoginFailed after
// the same hashing work; too many failures for the account or from the
// client address give hubapi.CodeRateLimited before any password is checked.
func (h *Hub) login(ctx context.Context, l hubapi.Login, client string) (hubapi.Session, error) {
	const op = "hub.login"
	account := l.User
	if len(account) > 64 {
		account = account[:64]
	}
	if ok, wait := h.limits.take(account, client, h.now()); !ok {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		h.log.Warn("hub: login rate-limited", "client", client)
		return hubapi.Session{}, fault.New(fault.Transient, hubapi.CodeRateLimited, op).With("retry_after", secs)
	}

	var rec UserRecord
	found := false
	if namePattern.MatchString(l.User) {
		var err error
		rec, err = h.store.User(l.User)
		switch {
		case err == nil:
			found = true
		case !fault.Is(err, hubapi.CodeNotFound):
			return hubapi.Session{}, err
		}
	}
	hash := h.dummy
	if found {
		hash = rec.PasswordHash
	}
	password := l.Password
	if len(password) > maxPassword {
		password = password[:maxPassword] // same work; it cannot match anyway
	}
	if err := h.acquireHashing(ctx); err != nil {
		return hubapi.Session{}, err
	}
	match := checkPassword(hash, password)
	<-h.hashing
	if !found || !match || rec.Disabled || len(l.Password) > maxPassword {
		h.log.Warn("hub: login failed", "client", client)
		return hubapi.Session{}, fault.New(fault.Permission, hubapi.CodeLoginFailed, op)
	}

	now := h.now()
	h.limits.give(account, client, now)
	if err := h.store.DeleteExpiredTokens(rec.Name, now); err != nil {
		h.log.Warn("hub: pruning expired tokens", "user", rec.Name, "err", err)
	}
	text, th, err := newToken()
	if err != nil {
		return hubapi.Session{}, fault.New(fault.Internal, fault.CodeInternal, op).Wrap(err)
	}
	expires := now.Add(h.opt.TokenTTL).UTC().Truncate(time.Second)
	if err := h.store.PutToken(TokenRecord{Hash: th, User: rec.Name, Created: now.UTC(), Expires: expires}); err != nil {
		return hubapi.Session{}, err
	}
	h.log.Info("hub: signed in", "user", rec.Name, "client", client)
	return hubapi.Session{Token: text, Expires: expires, User: rec.User}, nil
}

// bearer is the token text of a request, "" when there is none.
func bearer(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	tok = strings.TrimSpace(tok)
	if len(tok) != tokenTextLen {
		return ""
	}
	if _, err := base64.RawURLEncoding.DecodeString(tok); err != nil {
		return ""
	}
	return tok
}

// authenticate returns the user of a request's token: a missing, unknown,
// expired or revoked token, or a disabled or deleted user, gives
// hubapi.CodeUnauthenticated.
func (h *Hub) authenticate(r *http.Request) (hubapi.User, error) {
	const op = "hub.authenticate"
	tok := bearer(r)
	if tok == "" {
		return hubapi.User{}, errUnauthenticated(op)
	}
	t, err := h.store.Token(tokenHash(tok))
	if fault.Is(err, hubapi.CodeNotFound) {
		return hubapi.User{}, errUnauthenticated(op)
	}
	if err != nil {
		return hubapi.User{}, err
	}
	if !h.now().Before(t.Expires) {
		if err := h.store.DeleteToken(t.Hash); err != nil {
			h.log.Warn("hub: deleting an expired token", "err", err)
		}
		return hubapi.User{}, errUnauthenticated(op)
	}
	rec, err := h.store.User(t.User)
	if fault.Is(err, hubapi.CodeNotFound) {
		return hubapi.User{}, errUnauthenticated(op)
	}
	if err != nil {
		return hubapi.User{}, err
	}
	if rec.Disabled {
		return hubapi.User{}, errUnauthenticated(op)
	}
	return rec.User, nil
}

// logout revokes the request's token.
func (h *Hub) logout(r *http.Request) error {
	return h.store.DeleteToken(tokenHash(bearer(r)))
}
