package brandcheck

import (
	"strings"
	"time"

	"github.com/outpost-studio/outpost/backend/library"
)

type audienceParams struct {
	Required *bool `json:"required"` // no audience chosen is a finding; default true
}

// runAudience: an audience is chosen, and it is one of the scopes the
// campaign's region may target.
func runAudience(ck *checker, r *rule, _ []*localeView) {
	p := r.params.(*audienceParams)
	id := strings.TrimSpace(ck.c.Audience)
	if id == "" {
		if on(p.Required) {
			ck.add(r, "", SlotAudience, CodeAudienceMissing)
		}
		return
	}
	for _, s := range ck.ix.Content.Scopes {
		if s.ID != id {
			continue
		}
		if !contains(s.Regions, ck.c.Region) {
			ck.add(r, "", SlotAudience, CodeAudienceRegion, "audience", id, "region", ck.c.Region)
		}
		return
	}
	ck.add(r, "", SlotAudience, CodeAudienceUnknown, "audience", id)
}

type windowParams struct {
	Days []int  `json:"days"` // ISO weekdays: 1 Monday … 7 Sunday (0 is also Sunday); empty: every day
	From string `json:"from"` // "HH:MM", local time; "" with To "": any hour
	To   string `json:"to"`   // "HH:MM", exclusive; before From: the window spans midnight

	from, to int // minutes
	days     map[time.Weekday]bool
}

func checkWindow(p any) (string, bool) {
	wp := p.(*windowParams)
	if len(wp.Days) > 0 {
		wp.days = map[time.Weekday]bool{}
		for _, d := range wp.Days {
			if d < 0 || d > 7 {
				return "days", true
			}
			wp.days[time.Weekday(d%7)] = true
		}
	}
	wp.from, wp.to = -1, -1
	if wp.From == "" && wp.To == "" {
		return "", false
	}
	var ok bool
	if wp.from, ok = minutes(wp.From); !ok {
		return "from", true
	}
	if wp.to, ok = minutes(wp.To); !ok || wp.to == wp.from {
		return "to", true
	}
	return "", false
}

func minutes(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

var isoDay = [...]string{"7", "1", "2", "3", "4", "5", "6"}

// runWindow: a send date is chosen, it is not before the check date, and
// it falls on an allowed day and within the allowed hours (the office's
// local time, as the campaign stores it).
func runWindow(ck *checker, r *rule, ls []*localeView) {
	p := r.params.(*windowParams)
	ck.datesAfterSend(r, ls)
	at := strings.TrimSpace(ck.c.SendAt)
	switch {
	case at == "":
		ck.add(r, "", SlotSendAt, CodeSendAtMissing)
		return
	case ck.send.IsZero():
		ck.add(r, "", SlotSendAt, CodeSendAtInvalid, "sendAt", at)
		return
	}
	s := ck.send
	if !ck.today.IsZero() && time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, time.UTC).Before(ck.today) {
		ck.add(r, "", SlotSendAt, CodeSendAtPast, "sendAt", at, "today", ck.in.Today)
	}
	if p.days != nil && !p.days[s.Weekday()] {
		ck.add(r, "", SlotSendAt, CodeSendAtDay, "sendAt", at, "day", isoDay[s.Weekday()])
	}
	if p.from >= 0 {
		m := s.Hour()*60 + s.Minute()
		in := m >= p.from && m < p.to
		if p.to < p.from {
			in = m >= p.from || m < p.to
		}
		if !in {
			ck.add(r, "", SlotSendAt, CodeSendAtHours, "sendAt", at, "from", p.From, "to", p.To)
		}
	}
}

// datesAfterSend reports date slots (an event, the end of an offer) that
// fall before the email goes out: the send date, or today when none is
// chosen or it is already past.
func (ck *checker) datesAfterSend(r *rule, ls []*localeView) {
	day := ck.day()
	if day.IsZero() {
		return
	}
	for _, v := range ls {
		if !r.applies(v.locale) {
			continue
		}
		for _, res := range v.resolved {
			if res.Kind != library.SlotDate {
				continue
			}
			d, err := time.Parse(time.DateOnly, strings.TrimSpace(res.Text))
			if err != nil {
				continue // the renderer reports it
			}
			if d.Before(day) {
				ck.add(r, v.locale, res.Slot, CodeDateBeforeSend, "date", res.Text, "sendDate", day.Format(time.DateOnly))
			}
		}
	}
}
