package campaign

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
)

// Releases opens the library versions campaigns are pinned to.
type Releases interface {
	OpenVersion(library string, version uint64) (*library.Index, error)
	Blob(sha256 string) ([]byte, error)
	LocalGeneration() uint64 // changes when local photos do
}

// Store keeps campaigns in the local cache, one key each. Every edit is one
// synced Badger transaction: once a call returns, the edit survives a crash.
type Store struct {
	c   *cache.Cache
	rel Releases
	now func() time.Time

	mu      sync.Mutex
	indexes map[indexKey]*library.Index // parsed releases with local photos
	layouts map[string]string           // template layouts, by SHA-256
}

type indexKey struct {
	pin   library.Pin
	local uint64 // library.Store.LocalGeneration
}

// NewStore keeps campaigns in c and checks them against the releases in rel.
func NewStore(c *cache.Cache, rel Releases) *Store {
	return &Store{c: c, rel: rel, now: func() time.Time { return time.Now().UTC() }, indexes: map[indexKey]*library.Index{}, layouts: map[string]string{}}
}

// Release returns the library version a campaign is pinned to.
func (s *Store) Release(c *Campaign) (*library.Index, error) {
	pin := indexKey{library.Pin{Library: c.Library, Version: c.Release}, s.rel.LocalGeneration()}
	s.mu.Lock()
	ix := s.indexes[pin]
	s.mu.Unlock()
	if ix != nil {
		return ix, nil
	}
	ix, err := s.rel.OpenVersion(c.Library, c.Release)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	for k := range s.indexes {
		if k.local != pin.local {
			delete(s.indexes, k) // built before local photos changed
		}
	}
	s.indexes[pin] = ix
	s.mu.Unlock()
	return ix, nil
}

// Layout returns the HTML layout of a campaign's template in its pinned
// release.
func (s *Store) Layout(c *Campaign) (*library.Index, string, error) {
	ix, err := s.Release(c)
	if err != nil {
		return nil, "", err
	}
	t, ok := TemplateOf(ix.Content, c.Template)
	if !ok {
		return nil, "", fault.New(fault.NotFound, CodeTemplateNotFound, "campaign.Layout").With("template", c.Template)
	}
	sha := ix.SHA(t.Layout)
	s.mu.Lock()
	layout, ok := s.layouts[sha]
	s.mu.Unlock()
	if ok {
		return ix, layout, nil
	}
	b, err := s.rel.Blob(sha)
	if err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	s.layouts[sha] = string(b)
	s.mu.Unlock()
	return ix, string(b), nil
}

// New describes a campaign to create.
type New struct {
	Template string `json:"template"`
	Name     string `json:"name"`
	Region   string `json:"region"`
	Author   string `json:"author"`
	// AuthorUser is the signed-in hub user, "" when signed out.
	AuthorUser string `json:"authorUser"`
}

// Create starts a draft from a template of the release ix, pinned to it.
func (s *Store) Create(ix *library.Index, n New) (*Campaign, error) {
	const op = "campaign.Create"
	t, ok := TemplateOf(ix.Content, n.Template)
	if !ok {
		return nil, fault.New(fault.NotFound, CodeTemplateNotFound, op).With("template", n.Template)
	}
	if t.Kind != library.TemplateEmail {
		return nil, fault.New(fault.Invalid, CodeTemplateKind, op).With("template", n.Template).With("kind", t.Kind)
	}
	r, ok := RegionOf(ix.Content, n.Region)
	if !ok {
		return nil, fault.New(fault.Invalid, CodeRegionUnknown, op).With("region", n.Region)
	}
	name, err := checkName(n.Name)
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := &Campaign{
		ID: newID(), Name: name, Library: ix.Record.Library, Release: ix.Record.Version,
		Template: t.ID, Region: r.ID, Locales: append([]string(nil), r.Locales...),
		Status: StatusDraft, Values: map[string]map[string]string{},
		Author: n.Author, AuthorUser: n.AuthorUser, Created: now, Updated: now, Rev: 1,
	}
	if err := s.put(c); err != nil {
		return nil, err
	}
	return c, nil
}

func checkName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" || utf8.RuneCountInString(name) > MaxNameLength {
		return "", fault.New(fault.Invalid, CodeNameInvalid, "campaign.Name").With("max", MaxNameLength)
	}
	return name, nil
}

// Get returns a campaign.
func (s *Store) Get(id string) (*Campaign, error) {
	var c *Campaign
	err := s.c.DB().View(func(txn *badger.Txn) error {
		var err error
		c, err = get(txn, id)
		return err
	})
	return c, err
}

func get(txn *badger.Txn, id string) (*Campaign, error) {
	const op = "campaign.Get"
	item, err := txn.Get(cache.KeyDraft(id))
	if errors.Is(err, badger.ErrKeyNotFound) || (err == nil && id == "") {
		return nil, fault.New(fault.NotFound, CodeNotFound, op).With("id", id)
	}
	if err != nil {
		return nil, fault.New(fault.Corrupt, CodeStoreCorrupt, op).With("id", id).Wrap(err)
	}
	c := new(Campaign)
	if err := item.Value(func(v []byte) error { return json.Unmarshal(v, c) }); err != nil {
		return nil, fault.New(fault.Corrupt, CodeStoreCorrupt, op).With("id", id).Wrap(err)
	}
	return c, nil
}

// put writes c.
func (s *Store) put(c *Campaign) error {
	v, err := json.Marshal(c)
	if err != nil {
		return fault.New(fault.Internal, CodeStoreFailed, "campaign.put").Wrap(err)
	}
	err = s.c.DB().Update(func(txn *badger.Txn) error { return txn.Set(cache.KeyDraft(c.ID), v) })
	if err != nil {
		return fault.New(fault.Unavailable, CodeStoreFailed, "campaign.put").Wrap(err)
	}
	return nil
}

// edit applies fn to a copy of the campaign inside one transaction, then
// saves it with the next revision. Nothing is saved when fn fails.
func (s *Store) edit(id string, fn func(c *Campaign, p Pinned) error) (*Campaign, error) {
	var out *Campaign
	err := s.c.DB().Update(func(txn *badger.Txn) error {
		c, err := get(txn, id)
		if err != nil {
			return err
		}
		if !c.Editable() {
			return fault.New(fault.Invalid, CodeNotEditable, "campaign.Edit").With("status", c.Status)
		}
		ix, err := s.Release(c)
		if err != nil {
			return err
		}
		next := c.clone()
		if err := fn(next, PinnedOf(ix)); err != nil {
			return err
		}
		next.Rev = c.Rev + 1
		next.Updated = s.now()
		next.Check = nil         // it checked the previous revision
		if next.SignOff != nil { // an edit voids the sign-off, visibly
			next.SignOff, next.SignOffVoided = nil, true
		}
		v, err := json.Marshal(next)
		if err != nil {
			return fault.New(fault.Internal, CodeStoreFailed, "campaign.Edit").Wrap(err)
		}
		if err := txn.Set(cache.KeyDraft(id), v); err != nil {
			return fault.New(fault.Unavailable, CodeStoreFailed, "campaign.Edit").Wrap(err)
		}
		out = next
		return nil
	})
	if err != nil {
		if _, ok := fault.As(err); !ok {
			return nil, fault.New(fault.Unavailable, CodeStoreFailed, "campaign.Edit").With("id", id).Wrap(err)
		}
		return nil, err
	}
	return out, nil
}

// SetValue sets one slot in one locale; "" clears it.
func (s *Store) SetValue(id, locale, slot, value string) (*Campaign, error) {
	return s.edit(id, func(c *Campaign, p Pinned) error { return setValue(c, p, locale, slot, value) })
}

// SetAudience chooses the scope the campaign targets; "" clears it.
func (s *Store) SetAudience(id, scope string) (*Campaign, error) {
	return s.edit(id, func(c *Campaign, p Pinned) error {
		if err := checkAudience(c, p, scope); err != nil {
			return err
		}
		c.Audience = scope
		return nil
	})
}

// SetSendAt sets the send date and time ("YYYY-MM-DDTHH:MM", local); "" clears it.
func (s *Store) SetSendAt(id, at string) (*Campaign, error) {
	return s.edit(id, func(c *Campaign, p Pinned) error {
		if err := checkSendAt(at); err != nil {
			return err
		}
		c.SendAt = at
		return nil
	})
}

// SetCrop overrides the crop of an image slot for one preset; nil restores
// the crop around the asset's focal point.
func (s *Store) SetCrop(id, slot, preset string, r *Crop) (*Campaign, error) {
	return s.edit(id, func(c *Campaign, p Pinned) error {
		if err := checkCrop(c, p, slot, preset, r); err != nil {
			return err
		}
		if r == nil {
			delete(c.Crops[slot], preset)
			if len(c.Crops[slot]) == 0 {
				delete(c.Crops, slot)
			}
			return nil
		}
		if c.Crops == nil {
			c.Crops = map[string]map[string]Crop{}
		}
		if c.Crops[slot] == nil {
			c.Crops[slot] = map[string]Crop{}
		}
		c.Crops[slot][preset] = *r
		return nil
	})
}

// Rename gives the campaign a new name.
func (s *Store) Rename(id, name string) (*Campaign, error) {
	name, err := checkName(name)
	if err != nil {
		return nil, err
	}
	return s.edit(id, func(c *Campaign, _ Pinned) error { c.Name = name; return nil })
}

// Duplicate copies a campaign, whatever its status, into a new draft.
func (s *Store) Duplicate(id, name, author string) (*Campaign, error) {
	src, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	if name, err = checkName(name); err != nil {
		return nil, err
	}
	c := src.clone()
	now := s.now()
	c.ID, c.Name, c.Status, c.Author, c.Created, c.Updated, c.Rev = newID(), name, StatusDraft, author, now, now, 1
	c.Check, c.SignOff, c.SignOffVoided, c.Submission = nil, nil, false, ""
	if err := s.put(c); err != nil {
		return nil, err
	}
	return c, nil
}

// RecordCheck stores a brand check's outcome with the campaign it ran on,
// without counting as an edit. A check of an older revision (an edit landed
// while it ran) is not stored and answers false; so is a campaign already
// holding the same check.
func (s *Store) RecordCheck(id string, chk Check) (bool, error) {
	stored := false
	_, err := s.update(id, "campaign.RecordCheck", func(c *Campaign) error {
		if c.Rev != chk.Rev || (c.Check != nil && c.Check.Errors == chk.Errors &&
			c.Check.Warnings == chk.Warnings && bytes.Equal(c.Check.Receipt, chk.Receipt)) {
			return errUnchanged
		}
		c.Check, stored = &chk, true
		return nil
	})
	return stored && err == nil, err
}

// RecordSignOff keeps a sign-off of the campaign's current revision.
func (s *Store) RecordSignOff(id string, so SignOff) (*Campaign, error) {
	return s.update(id, "campaign.RecordSignOff", func(c *Campaign) error {
		if !c.Editable() {
			return fault.New(fault.Invalid, CodeNotEditable, "campaign.RecordSignOff").With("status", c.Status)
		}
		if so.Rev != c.Rev {
			return fault.New(fault.Conflict, CodeNotSignedOff, "campaign.RecordSignOff").With("rev", c.Rev)
		}
		c.SignOff, c.SignOffVoided = &so, false
		return nil
	})
}

// MarkSubmitted moves a signed-off campaign to submitted under the id of
// its submission. It is no longer editable until HQ sends it back.
func (s *Store) MarkSubmitted(id, submission string) (*Campaign, error) {
	return s.update(id, "campaign.MarkSubmitted", func(c *Campaign) error {
		if !c.Editable() {
			return fault.New(fault.Invalid, CodeNotEditable, "campaign.MarkSubmitted").With("status", c.Status)
		}
		if c.SignOff == nil || c.SignOff.Rev != c.Rev {
			return fault.New(fault.Conflict, CodeNotSignedOff, "campaign.MarkSubmitted")
		}
		c.Status, c.Submission = StatusSubmitted, submission
		return nil
	})
}

// SetStatus takes HQ's state of the campaign's submission as the hub
// reports it; "changes_requested" reopens it for editing, without the old
// sign-off, and so does "draft" (the hub refused the submission for good).
// A report about an older submission changes nothing.
func (s *Store) SetStatus(id, submission, status string) (*Campaign, error) {
	return s.update(id, "campaign.SetStatus", func(c *Campaign) error {
		if c.Submission != submission || c.Status == status {
			return errUnchanged
		}
		switch status {
		case StatusSubmitted, StatusApproved, StatusScheduled, StatusSent, StatusWithdrawn:
		case StatusChangesRequested, StatusDraft:
			c.SignOff = nil
		default:
			return fault.New(fault.Invalid, CodeStatusInvalid, "campaign.SetStatus").With("status", status)
		}
		c.Status = status
		return nil
	})
}

// errUnchanged ends an update that has nothing to write.
var errUnchanged = errors.New("unchanged")

// update applies fn to the stored campaign in one transaction, without
// counting an edit (Rev and Updated stay).
func (s *Store) update(id, op string, fn func(c *Campaign) error) (*Campaign, error) {
	var out *Campaign
	err := s.c.DB().Update(func(txn *badger.Txn) error {
		c, err := get(txn, id)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			out = c
			return err
		}
		v, err := json.Marshal(c)
		if err != nil {
			return fault.New(fault.Internal, CodeStoreFailed, op).Wrap(err)
		}
		out = c
		return txn.Set(cache.KeyDraft(id), v)
	})
	if errors.Is(err, errUnchanged) {
		return out, nil
	}
	if err != nil {
		if _, ok := fault.As(err); !ok {
			return nil, fault.New(fault.Unavailable, CodeStoreFailed, op).With("id", id).Wrap(err)
		}
		return nil, err
	}
	return out, nil
}

// Delete removes a campaign for good.
func (s *Store) Delete(id string) error {
	err := s.c.DB().Update(func(txn *badger.Txn) error {
		if _, err := get(txn, id); err != nil {
			return err
		}
		return txn.Delete(cache.KeyDraft(id))
	})
	if _, ok := fault.As(err); err != nil && !ok {
		return fault.New(fault.Unavailable, CodeStoreFailed, "campaign.Delete").Wrap(err)
	}
	return err
}

// All returns every campaign, most recently edited first. A campaign whose
// record cannot be read is skipped and reported in damaged, not hidden.
func (s *Store) All() (list []*Campaign, damaged []string, err error) {
	err = s.c.DB().View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: cache.PrefixDraft, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			c := new(Campaign)
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, c) }); err != nil {
				damaged = append(damaged, string(it.Item().Key()[len(cache.PrefixDraft):]))
				continue
			}
			list = append(list, c)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fault.New(fault.Corrupt, CodeStoreCorrupt, "campaign.All").Wrap(err)
	}
	sort.SliceStable(list, func(i, j int) bool {
		if !list[i].Updated.Equal(list[j].Updated) {
			return list[i].Updated.After(list[j].Updated)
		}
		return list[i].ID < list[j].ID
	})
	return list, damaged, nil
}

// Pins lists the library versions campaigns are pinned to, for Sweep.
func (s *Store) Pins() ([]library.Pin, error) {
	all, _, err := s.All()
	if err != nil {
		return nil, err
	}
	seen := map[library.Pin]bool{}
	var out []library.Pin
	for _, c := range all {
		p := library.Pin{Library: c.Library, Version: c.Release}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out, nil
}
