package submission

import (
	"fmt"
	"testing"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// TestTransitionMatrix walks every state × action × role, on a submission
// of the actor's region and of another, against the table a reviewer can
// read: the moves HQ's process allows, and nothing else.
func TestTransitionMatrix(t *testing.T) {
	type key struct {
		from State
		act  Action
	}
	allowed := map[key]State{
		{Submitted, Withdraw}:        Withdrawn,
		{Submitted, Approve}:         Approved,
		{Submitted, RequestChanges}:  ChangesRequested,
		{ChangesRequested, Resubmit}: Submitted,
		{ChangesRequested, Withdraw}: Withdrawn,
		{Approved, Schedule}:         Scheduled,
		{Approved, RequestChanges}:   ChangesRequested,
		{Scheduled, MarkSent}:        Sent,
	}
	officeActs := map[Action]bool{Withdraw: true, Resubmit: true}
	users := map[hubapi.Role]hubapi.User{}
	for _, r := range hubapi.Roles {
		u := hubapi.User{Name: string(r), Role: r, Region: "fr"}
		if r.IsHQ() {
			u.Region = hubapi.AllRegions
		}
		users[r] = u
	}
	cells := 0
	for _, from := range States {
		for _, act := range Actions {
			for _, role := range hubapi.Roles {
				for _, region := range []string{"fr", "be"} {
					cells++
					name := fmt.Sprintf("%s/%s/%s/%s", from, act, role, region)
					got, err := Next(from, act, users[role], region)
					to, ok := allowed[key{from, act}]
					mayAct := officeActs[act] != role.IsHQ()
					var want fault.Code
					switch {
					case region == "be" && !role.IsHQ():
						want = CodeNotFound
					case !ok:
						want = CodeTransitionInvalid
					case !mayAct:
						want = CodeForbidden
					}
					if want == "" {
						if err != nil || got != to {
							t.Errorf("%s: got %q, %v; want %q", name, got, err, to)
						}
						continue
					}
					if fault.CodeOf(err) != want || got != "" {
						t.Errorf("%s: got %q, %v; want %s", name, got, err, want)
					}
				}
			}
		}
	}
	if cells != len(States)*len(Actions)*len(hubapi.Roles)*2 {
		t.Fatalf("walked %d cells", cells)
	}
	for _, s := range []State{Sent, Withdrawn} {
		if !s.Final() {
			t.Errorf("%s is not final", s)
		}
	}
}

func TestDisabledUserCannotAct(t *testing.T) {
	u := hubapi.User{Name: "hq", Role: hubapi.RoleHQAdmin, Region: hubapi.AllRegions, Disabled: true}
	if _, err := Next(Submitted, Approve, u, "fr"); fault.CodeOf(err) != CodeNotFound {
		t.Fatalf("disabled admin approved: %v", err)
	}
}

func TestSignOffRules(t *testing.T) {
	approver := hubapi.User{Name: "approver.fr", Role: hubapi.RoleLocalApprover, Region: "fr"}
	clean := Checked{Region: "fr", Author: "designer.fr", Rev: 7, CheckRev: 7}
	cases := []struct {
		name string
		u    hubapi.User
		c    Checked
		want fault.Code
	}{
		{"a local approver of the region, on a clean current check", approver, clean, ""},
		{"a designer", hubapi.User{Name: "d", Role: hubapi.RoleDesigner, Region: "fr"}, clean, CodeSignOffRole},
		{"an HQ reviewer", hubapi.User{Name: "r", Role: hubapi.RoleHQReviewer, Region: hubapi.AllRegions}, clean, CodeSignOffRole},
		{"a disabled approver", hubapi.User{Name: "a", Role: hubapi.RoleLocalApprover, Region: "fr", Disabled: true}, clean, CodeSignOffRole},
		{"an approver of another region", hubapi.User{Name: "approver.be", Role: hubapi.RoleLocalApprover, Region: "be"}, clean, CodeSignOffRegion},
		{"the campaign's own author", approver, Checked{Region: "fr", Author: "approver.fr", Rev: 7, CheckRev: 7}, CodeSignOffOwn},
		{"a check of an older revision", approver, Checked{Region: "fr", Author: "designer.fr", Rev: 8, CheckRev: 7}, CodeSignOffStale},
		{"errors left", approver, Checked{Region: "fr", Author: "designer.fr", Rev: 7, CheckRev: 7, Errors: 1}, CodeSignOffErrors},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := CanSignOff(tc.u, tc.c); fault.CodeOf(err) != tc.want && !(tc.want == "" && err == nil) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	s := &SignOff{By: "approver.fr", Rev: 7}
	if !s.Valid(7) || s.Valid(8) || (*SignOff)(nil).Valid(7) {
		t.Fatal("a sign-off holds for its revision only")
	}
}
