package hub

import (
	"context"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// Account rules.
const (
	MinPassword    = 10   // characters
	maxPassword    = 1024 // bytes: bounds the hashing work a request can ask for
	maxDisplayName = 100  // characters
)

var (
	namePattern   = regexp.MustCompile(`^[a-z0-9._-]{2,64}$`)
	regionPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)
)

// AddUser creates an account. Designers and local approvers belong to one
// region; HQ roles to every region (their region is "*", or empty and set to
// "*"). A refused field gives hubapi.CodeUserInvalid with params field and
// reason; a taken name hubapi.CodeUserExists.
func (h *Hub) AddUser(nu hubapi.NewUser) (hubapi.User, error) {
	const op = "hub.AddUser"
	invalid := func(field, reason string) error {
		return fault.New(fault.Invalid, hubapi.CodeUserInvalid, op).With("field", field).With("reason", reason)
	}
	u := hubapi.User{Name: nu.Name, DisplayName: strings.TrimSpace(nu.DisplayName), Role: nu.Role, Region: nu.Region}
	switch {
	case !namePattern.MatchString(u.Name):
		return hubapi.User{}, invalid("name", "pattern")
	case utf8.RuneCountInString(nu.Password) < MinPassword:
		return hubapi.User{}, invalid("password", "too_short")
	case len(nu.Password) > maxPassword:
		return hubapi.User{}, invalid("password", "too_long")
	case !u.Role.Valid():
		return hubapi.User{}, invalid("role", "unknown")
	case utf8.RuneCountInString(u.DisplayName) > maxDisplayName:
		return hubapi.User{}, invalid("displayName", "too_long")
	case strings.IndexFunc(u.DisplayName, unicode.IsControl) >= 0 || !utf8.ValidString(u.DisplayName):
		return hubapi.User{}, invalid("displayName", "characters")
	}
	if u.DisplayName == "" {
		u.DisplayName = u.Name
	}
	if u.Role.IsHQ() {
		if u.Region != "" && u.Region != hubapi.AllRegions {
			return hubapi.User{}, invalid("region", "hq_is_all_regions")
		}
		u.Region = hubapi.AllRegions
	} else if !regionPattern.MatchString(u.Region) {
		return hubapi.User{}, invalid("region", "one_region")
	}

	if err := h.acquireHashing(context.Background()); err != nil {
		return hubapi.User{}, err
	}
	hash, err := hashPassword(nu.Password, h.argon)
	<-h.hashing
	if err != nil {
		return hubapi.User{}, fault.New(fault.Internal, fault.CodeInternal, op).Wrap(err)
	}
	if err := h.store.CreateUser(UserRecord{User: u, PasswordHash: hash, Created: h.now().UTC()}); err != nil {
		return hubapi.User{}, err
	}
	h.log.Info("hub: user added", "user", u.Name, "role", u.Role, "region", u.Region)
	return u, nil
}

// DisableUser disables an account and revokes all its session tokens. An
// unknown name gives hubapi.CodeNotFound; disabling twice is no error.
func (h *Hub) DisableUser(name string) error {
	const op = "hub.DisableUser"
	if !namePattern.MatchString(name) {
		return fault.New(fault.NotFound, hubapi.CodeNotFound, op).With("user", name)
	}
	if err := h.store.DisableUser(name); err != nil {
		return err
	}
	h.log.Info("hub: user disabled", "user", name)
	return nil
}

// Users lists every account by name.
func (h *Hub) Users() ([]hubapi.User, error) {
	recs, err := h.store.Users()
	if err != nil {
		return nil, err
	}
	out := make([]hubapi.User, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.User)
	}
	return out, nil
}

// acquireHashing waits for a password-hashing slot.
func (h *Hub) acquireHashing(ctx context.Context) error {
	select {
	case h.hashing <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fault.New(fault.Canceled, hubapi.CodeUnavailable, "hub.hash").Wrap(ctx.Err())
	}
}
