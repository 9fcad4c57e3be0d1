// Package submission is the life of a campaign once it leaves the office:
// the local sign-off that lets it go, and the states HQ's review moves it
// through. The hub enforces the same rules as the desktop: both call Next.
package submission

import (
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// State is where a submission is.
type State string

const (
	Submitted        State = "submitted"         // delivered to HQ, waiting for review
	Approved         State = "approved"          // HQ agreed
	ChangesRequested State = "changes_requested" // HQ sent it back with comments
	Scheduled        State = "scheduled"         // HQ set it to go out
	Sent             State = "sent"              // it went out: the end
	Withdrawn        State = "withdrawn"         // the office took it back before review: the end
)

// States lists every state in the order of a submission's life.
var States = []State{Submitted, Approved, ChangesRequested, Scheduled, Sent, Withdrawn}

// Action is what someone does to a submission.
type Action string

const (
	Withdraw       Action = "withdraw"        // the office, before HQ reviewed it
	Approve        Action = "approve"         // HQ
	RequestChanges Action = "request_changes" // HQ, with a comment
	Schedule       Action = "schedule"        // HQ, once approved
	MarkSent       Action = "mark_sent"       // HQ, once scheduled
	Resubmit       Action = "resubmit"        // the office, after changes
)

// Actions lists every action.
var Actions = []Action{Withdraw, Approve, RequestChanges, Schedule, MarkSent, Resubmit}

// Codes of refused transitions.
const (
	CodeTransitionInvalid fault.Code = "submission.transition_invalid" // {state, action}
	CodeForbidden         fault.Code = "submission.forbidden"          // {role, action}
	CodeNotFound          fault.Code = "submission.not_found"          // {id}
)

// office and hq are who may act: the office's roles act on their own
// region's submissions only; HQ's on all.
var (
	office = []hubapi.Role{hubapi.RoleDesigner, hubapi.RoleLocalApprover}
	hq     = []hubapi.Role{hubapi.RoleHQReviewer, hubapi.RoleHQAdmin}
)

type transition struct {
	from  State
	act   Action
	to    State
	roles []hubapi.Role
}

// transitions is the whole state machine: no row, no move. Nothing skips a
// step (a submission is approved before it is scheduled, scheduled before
// it is sent) and the ends (sent, withdrawn) have no way out.
var transitions = []transition{
	{Submitted, Withdraw, Withdrawn, office},
	{Submitted, Approve, Approved, hq},
	{Submitted, RequestChanges, ChangesRequested, hq},
	{ChangesRequested, Resubmit, Submitted, office},
	{ChangesRequested, Withdraw, Withdrawn, office},
	{Approved, Schedule, Scheduled, hq},
	{Approved, RequestChanges, ChangesRequested, hq},
	{Scheduled, MarkSent, Sent, hq},
}

// Next is the state an action leads to, when the actor may take it on a
// submission of region in state from. Another region's submission is not
// found (its existence is not revealed); an action the state does not allow
// is a conflict; a role that may not take it is refused.
func Next(from State, act Action, actor hubapi.User, region string) (State, error) {
	const op = "submission.Next"
	if actor.Disabled || !actor.Serves(region) {
		return "", fault.New(fault.NotFound, CodeNotFound, op)
	}
	for _, t := range transitions {
		if t.from != from || t.act != act {
			continue
		}
		for _, r := range t.roles {
			if r == actor.Role {
				return t.to, nil
			}
		}
		return "", fault.New(fault.Permission, CodeForbidden, op).With("role", actor.Role).With("action", act)
	}
	return "", fault.New(fault.Conflict, CodeTransitionInvalid, op).With("state", from).With("action", act)
}

// Final reports whether nothing can happen to a submission any more.
func (s State) Final() bool { return s == Sent || s == Withdrawn }
