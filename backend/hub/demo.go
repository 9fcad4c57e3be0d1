package hub

import (
	"context"

	"github.com/outpost-studio/outpost/assets"
	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
	"github.com/outpost-studio/outpost/backend/library"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "outpost-demo"

// DemoTrust pins the built-in sample release's key for the sample library
// only; a demo hub adds it to its Options.Trust.
func DemoTrust() library.Trust {
	return library.Trust{Library: assets.SampleLibrary, Keys: []string{assets.SampleKey()}, Threshold: 1}
}

// DemoUsers are the demo accounts: a designer and a local approver for each
// of the sample's regions, an HQ reviewer and an HQ admin.
func DemoUsers() []hubapi.NewUser {
	var out []hubapi.NewUser
	for _, region := range []string{"fr", "be", "ch"} {
		out = append(out,
			hubapi.NewUser{Name: "designer." + region, DisplayName: "Designer (" + region + ")", Password: DemoPassword, Role: hubapi.RoleDesigner, Region: region},
			hubapi.NewUser{Name: "approver." + region, DisplayName: "Local approver (" + region + ")", Password: DemoPassword, Role: hubapi.RoleLocalApprover, Region: region},
		)
	}
	return append(out,
		hubapi.NewUser{Name: "reviewer", DisplayName: "HQ reviewer", Password: DemoPassword, Role: hubapi.RoleHQReviewer, Region: hubapi.AllRegions},
		hubapi.NewUser{Name: "admin", DisplayName: "HQ admin", Password: DemoPassword, Role: hubapi.RoleHQAdmin, Region: hubapi.AllRegions},
	)
}

// SeedDemo publishes the built-in sample release and creates DemoUsers. It
// is idempotent: the sample already published (or a newer release of it)
// and existing accounts are left as they are. The hub's Trust must include
// DemoTrust.
func (h *Hub) SeedDemo(ctx context.Context) error {
	_, err := h.Publish(ctx, library.FSSource(assets.Sample()))
	if err != nil && !fault.Is(err, library.CodeRollback) {
		return err
	}
	for _, u := range DemoUsers() {
		if _, err := h.AddUser(u); err != nil && !fault.Is(err, hubapi.CodeUserExists) {
			return err
		}
	}
	return nil
}
