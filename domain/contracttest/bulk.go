package contracttest

import (
	"context"
	"testing"

	"github.com/viaa/ppp/domain"
)

// BulkHarness is an implementation of domain.BulkService with what the
// suite needs around it. The workers that run jobs are storage's alone
// and proved there (storage/bulk_test.go).
type BulkHarness interface {
	Staff
	// Service returns the implementation under test.
	Service() domain.BulkService
	// Users stores n Platform users a job may be about, named first-name
	// space last-name, and returns their ids in ascending order.
	Users(t *testing.T, n int) []int64
}

// RunBulkService runs the bulk jobs' suite (issue 17) on harnesses made
// by newHarness.
func RunBulkService(t *testing.T, newHarness func(t *testing.T) BulkHarness) {
	type env struct {
		h              BulkHarness
		svc            domain.BulkService
		laura, maris   context.Context // security officers
		ilze           context.Context // a reviewer
		lauraOp, ilzeO *domain.Operator
	}
	run := func(name string, f func(t *testing.T, e *env)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			e := &env{h: h, svc: h.Service()}
			e.lauraOp = h.Operator(t, "laura.berzina", "Laura Bērziņa", "laura.berzina@viaa.gov.lv", domain.RoleSecurity)
			maris := h.Operator(t, "maris.kalnins", "Māris Kalniņš", "maris.kalnins@viaa.gov.lv", domain.RoleSecurity)
			e.ilzeO = h.Operator(t, "ilze.liepina", "Ilze Liepiņa", "ilze.liepina@viaa.gov.lv", domain.RoleReviewer)
			e.laura, e.maris, e.ilze = As(t, e.lauraOp, "s-laura"), As(t, maris, "s-maris"), As(t, e.ilzeO, "s-ilze")
			f(t, e)
		})
	}
	deny := func(ids []int64) domain.BulkRequest {
		return domain.BulkRequest{Kind: domain.BulkDeny, Ground: domain.GroundRulesBroken, Reason: "  Ziņojums 17  ",
			Selection: domain.BulkSelection{Source: domain.BulkFromPlatformUsers, IDs: ids}}
	}

	// ¶32: a preview lists the exact count and the first items in order,
	// nothing else; the requester starts it, a SECOND security officer
	// approves it; the requester cannot.
	run("Deny_PreviewThenFourEyes", func(t *testing.T, e *env) {
		users := e.h.Users(t, 3)
		j, err := e.svc.PrepareBulk(e.laura, deny(append([]int64{users[2], users[0], users[1], users[0]}, 987654321)))
		must(t, "prepare", err)
		if j.State != domain.BulkPreview || j.Total != 3 || len(j.First) != 3 || j.First[0].TargetID != users[0] ||
			j.First[0].Label == "" || j.First[0].State != domain.BulkItemPending || j.Reason != "Ziņojums 17" || j.RequestedBy != e.lauraOp.ID {
			t.Fatalf("preview: %+v", j)
		}
		wantErr(t, "another starts it", e.svc.StepBulk(e.maris, j.ID, j.Version, domain.BulkStart, ""), domain.EFORBIDDEN, "bulk.not_yours")
		wantErr(t, "approve a preview", e.svc.StepBulk(e.maris, j.ID, j.Version, domain.BulkApprove, ""), domain.ECONFLICT, "bulk.state")
		must(t, "start", e.svc.StepBulk(e.laura, j.ID, j.Version, domain.BulkStart, ""))
		j, err = e.svc.FindBulk(e.laura, j.ID)
		must(t, "find", err)
		if j.State != domain.BulkPendingApproval {
			t.Fatalf("started bulk denial: %s, want pending_approval", j.State)
		}
		wantErr(t, "own approval", e.svc.StepBulk(e.laura, j.ID, j.Version, domain.BulkApprove, ""), domain.EFORBIDDEN, "bulk.own_job")
		wantErr(t, "stale version", e.svc.StepBulk(e.maris, j.ID, j.Version-1, domain.BulkApprove, ""), domain.ECONFLICT, "bulk.changed")
		must(t, "second officer approves", e.svc.StepBulk(e.maris, j.ID, j.Version, domain.BulkApprove, ""))
		j, err = e.svc.FindBulk(e.maris, j.ID)
		must(t, "find", err)
		if j.State != domain.BulkRunning || j.Approver == "" {
			t.Errorf("approved: %s, approver %q", j.State, j.Approver)
		}
		list, err := e.svc.ListBulk(e.maris, 10)
		must(t, "list", err)
		if len(list) != 1 || list[0].ID != j.ID {
			t.Errorf("list: %d jobs", len(list))
		}
		_, err = e.svc.FindBulk(e.ilze, j.ID)
		wantErr(t, "a reviewer reads a bulk denial", err, domain.EFORBIDDEN, "bulk.not_role")
		items, err := e.svc.BulkItems(e.laura, j.ID, 1, 10)
		must(t, "items", err)
		if len(items) != 2 || items[0].Seq != 2 {
			t.Errorf("items after the first: %d, first %+v", len(items), items)
		}
	})

	// ¶32: a refusal needs a reason and skips every item; nothing runs.
	run("Deny_Refused_SkipsAll", func(t *testing.T, e *env) {
		j, err := e.svc.PrepareBulk(e.laura, deny(e.h.Users(t, 2)))
		must(t, "prepare", err)
		must(t, "start", e.svc.StepBulk(e.laura, j.ID, 0, domain.BulkStart, ""))
		wantErr(t, "refuse without a reason", e.svc.StepBulk(e.maris, j.ID, 0, domain.BulkRefuse, "  "), domain.EINVALID, "bulk.reason_required")
		must(t, "refuse", e.svc.StepBulk(e.maris, j.ID, 0, domain.BulkRefuse, "Nepietiek pierādījumu"))
		j, err = e.svc.FindBulk(e.laura, j.ID)
		must(t, "find", err)
		if j.State != domain.BulkCancelled || j.Skipped != 2 || j.First[0].ErrorKey != "bulk.skipped_refuse" {
			t.Errorf("refused: %s, skipped %d, %+v", j.State, j.Skipped, j.First[0])
		}
	})

	// Issue 17: what a request must hold, and who may ask.
	run("Prepare_Refusals", func(t *testing.T, e *env) {
		users := e.h.Users(t, 1)
		_, err := e.svc.PrepareBulk(e.ilze, deny(users))
		wantErr(t, "a reviewer denies", err, domain.EFORBIDDEN, "bulk.not_role")
		r := deny(nil)
		_, err = e.svc.PrepareBulk(e.laura, r)
		wantErr(t, "nothing marked", err, domain.EINVALID, "bulk.nothing")
		r = deny(users)
		r.Reason = " "
		_, err = e.svc.PrepareBulk(e.laura, r)
		wantErr(t, "no reason", err, domain.EINVALID, "bulk.reason_required")
		_, err = e.svc.PrepareBulk(e.laura, deny([]int64{987654321}))
		wantErr(t, "nobody", err, domain.EINVALID, "bulk.empty")
		mail := domain.BulkRequest{Kind: domain.BulkMail, Template: "nav.tāda", Reason: "Paziņojums",
			Selection: domain.BulkSelection{Source: domain.BulkFromPlatformUsers, IDs: users}}
		_, err = e.svc.PrepareBulk(e.ilze, mail)
		wantErr(t, "unknown template", err, domain.EINVALID, "bulk.bad_template")
		lift := domain.BulkRequest{Kind: domain.BulkLift, Reason: "x", Selection: domain.BulkSelection{Source: domain.BulkFromPlatformUsers, IDs: users}}
		_, err = e.svc.PrepareBulk(e.laura, lift)
		wantErr(t, "a lift of people", err, domain.EINVALID, "bulk.bad_kind")
		mail.Template = domain.BulkTemplates[0]
		j, err := e.svc.PrepareBulk(e.ilze, mail)
		must(t, "a reviewer's mail", err)
		must(t, "start the mail", e.svc.StepBulk(e.ilze, j.ID, 0, domain.BulkStart, ""))
		j, err = e.svc.FindBulk(e.ilze, j.ID)
		must(t, "find", err)
		if j.State != domain.BulkRunning {
			t.Errorf("a started mail is %s, want running (no second officer)", j.State)
		}
		must(t, "cancel", e.svc.StepBulk(e.laura, j.ID, 0, domain.BulkCancel, ""))
		wantErr(t, "cancel twice", e.svc.StepBulk(e.laura, j.ID, 0, domain.BulkCancel, ""), domain.ECONFLICT, "bulk.state")
		_, err = e.svc.FindBulk(e.ilze, 987654321)
		wantErr(t, "no such job", err, domain.ENOTFOUND, "bulk.not_found")
	})
}
