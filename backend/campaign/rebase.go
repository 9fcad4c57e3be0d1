package campaign

import (
	"sort"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/library"
)

// What a rebase onto a newer release changes.
const (
	ChangeSlotAdded      = "slot_added"      // the template has a new slot
	ChangeSlotRemoved    = "slot_removed"    // a slot is gone, with its values
	ChangeDefaultChanged = "default_changed" // HQ's value changed where the office kept it
	ChangeValueDropped   = "value_dropped"   // a value no longer fits; Code says why
	ChangeAssetChanged   = "asset_changed"   // a picture in use has a new file
	ChangeAudienceClear  = "audience_cleared"
	ChangeCropDropped    = "crop_dropped"
)

// Change is one difference a rebase brings.
type Change struct {
	Kind   string     `json:"kind"`
	Slot   string     `json:"slot,omitempty"`
	Locale string     `json:"locale,omitempty"`
	Value  string     `json:"value,omitempty"` // the value dropped, or the asset id
	Code   fault.Code `json:"code,omitempty"`  // why a value was dropped
}

// Plan is what rebasing a campaign onto a release would do.
type Plan struct {
	From    uint64   `json:"from"`
	To      uint64   `json:"to"`
	Changes []Change `json:"changes"`
}

// PlanRebase lists what rebasing the campaign onto ix would change,
// without changing anything.
func (s *Store) PlanRebase(id string, ix *library.Index) (*Plan, error) {
	c, err := s.Get(id)
	if err != nil {
		return nil, err
	}
	_, plan, err := s.rebased(c, ix)
	return plan, err
}

// Rebase pins the campaign to ix, dropping what no longer fits, and returns
// the campaign and what changed.
func (s *Store) Rebase(id string, ix *library.Index) (*Campaign, *Plan, error) {
	var plan *Plan
	c, err := s.edit(id, func(c *Campaign, _ Pinned) error {
		next, p, err := s.rebased(c, ix)
		if err != nil {
			return err
		}
		*c, plan = *next, p
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return c, plan, nil
}

// rebased computes the campaign pinned to ix and the plan.
func (s *Store) rebased(c *Campaign, ix *library.Index) (*Campaign, *Plan, error) {
	const op = "campaign.Rebase"
	if ix.Record.Library != c.Library || ix.Record.Version <= c.Release {
		return nil, nil, fault.New(fault.Invalid, CodeRebaseNothing, op).With("version", c.Release)
	}
	oldIx, err := s.Release(c)
	if err != nil && !fault.Is(err, library.CodeVersionGone) {
		return nil, nil, err
	}
	nt, ok := TemplateOf(ix.Content, c.Template)
	if !ok {
		return nil, nil, fault.New(fault.NotFound, CodeTemplateNotFound, op).With("template", c.Template)
	}
	next := c.clone()
	next.Release = ix.Record.Version
	next.Values = map[string]map[string]string{}
	plan := &Plan{From: c.Release, To: ix.Record.Version}
	p := PinnedOf(ix)

	var ot *library.Template
	if oldIx != nil {
		ot, _ = TemplateOf(oldIx.Content, c.Template)
	}
	if ot != nil {
		oldSlots := map[string]library.Slot{}
		for _, sl := range Slots(ot) {
			oldSlots[sl.ID] = sl
		}
		for _, sl := range Slots(nt) {
			old, had := oldSlots[sl.ID]
			if !had {
				plan.Changes = append(plan.Changes, Change{Kind: ChangeSlotAdded, Slot: sl.ID})
				continue
			}
			for _, l := range c.Locales {
				own := c.Values[l][sl.ID] != ""
				if !own && old.Default.In(l, oldIx.Content.Locales[0]) != sl.Default.In(l, ix.Content.Locales[0]) {
					plan.Changes = append(plan.Changes, Change{Kind: ChangeDefaultChanged, Slot: sl.ID, Locale: l})
				}
			}
		}
		for _, sl := range Slots(ot) {
			if _, ok := SlotOf(nt, sl.ID); !ok {
				plan.Changes = append(plan.Changes, Change{Kind: ChangeSlotRemoved, Slot: sl.ID})
			}
		}
	}
	// Every value the office set, checked again against the new release.
	for _, l := range c.Locales {
		slots := make([]string, 0, len(c.Values[l]))
		for id := range c.Values[l] {
			slots = append(slots, id)
		}
		sort.Strings(slots)
		for _, id := range slots {
			v := c.Values[l][id]
			if err := setValue(next, p, l, id, v); err != nil {
				if fault.CodeOf(err) == CodeSlotUnknown && ot != nil {
					continue // reported as slot_removed
				}
				plan.Changes = append(plan.Changes, Change{Kind: ChangeValueDropped, Slot: id, Locale: l, Value: v, Code: fault.CodeOf(err)})
			}
		}
	}
	next.Crops = c.clone().Crops // re-setting values above is not a change of picture
	// Pictures in use whose file changed.
	if oldIx != nil {
		seen := map[string]bool{}
		for _, l := range c.Locales {
			for _, r := range Resolve(next, nt, l, ix.Content.Locales[0]) {
				if r.Kind != library.SlotImage || seen[r.Value] {
					continue
				}
				seen[r.Value] = true
				oa, ok1 := oldIx.Asset(r.Value)
				na, ok2 := ix.Asset(r.Value)
				if ok1 && ok2 && oldIx.SHA(oa.Path) != ix.SHA(na.Path) {
					plan.Changes = append(plan.Changes, Change{Kind: ChangeAssetChanged, Slot: r.Slot, Value: r.Value})
				}
			}
		}
	}
	if err := checkAudience(next, p, next.Audience); err != nil {
		plan.Changes = append(plan.Changes, Change{Kind: ChangeAudienceClear, Value: next.Audience})
		next.Audience = ""
	}
	for slot, m := range next.Crops {
		for preset := range m {
			if checkCrop(next, p, slot, preset, nil) != nil {
				plan.Changes = append(plan.Changes, Change{Kind: ChangeCropDropped, Slot: slot, Value: preset})
				delete(m, preset)
			}
		}
		if len(m) == 0 {
			delete(next.Crops, slot)
		}
	}
	sort.SliceStable(plan.Changes, func(i, j int) bool {
		a, b := plan.Changes[i], plan.Changes[j]
		if a.Slot != b.Slot {
			return a.Slot < b.Slot
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Locale != b.Locale {
			return a.Locale < b.Locale
		}
		return a.Value < b.Value
	})
	if plan.Changes == nil {
		plan.Changes = []Change{}
	}
	return next, plan, nil
}
