package sshload

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/ssh"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/storage"
)

// benchActor is who creates the bench's operators, in the audit log.
var benchActor = domain.Actor{Name: "ppp bench", RemoteAddr: "ppp bench"}

// createOperators creates, through storage as `ppp operator add` does, n
// reviewers with a key each for the sessions, and one more reviewer, the
// claimer, whose claims the live-update measurement watches. tag makes
// the names of this run unique, so the bench can run again on the same
// database.
func createOperators(ctx context.Context, db *storage.DB, tag string, n int) ([]account, *domain.Operator, error) {
	ctx = domain.WithActor(ctx, benchActor)
	svc := storage.NewOperatorService(db)
	accounts := make([]account, n)
	for i := range accounts {
		op := &domain.Operator{
			Name:     fmt.Sprintf("bench-%s-%03d", tag, i+1),
			FullName: fmt.Sprintf("Bench %s %03d", tag, i+1),
			Roles:    []domain.Role{domain.RoleReviewer},
		}
		signer, err := addOperator(ctx, svc, op)
		if err != nil {
			return nil, nil, err
		}
		accounts[i] = account{user: op.Name, signer: signer, marker: op.FullName}
	}
	// A short full name, so that the queue's holder column shows it whole.
	claimer := &domain.Operator{
		Name:     fmt.Sprintf("bench-%s-claimer", tag),
		FullName: "Holder " + tag,
		Roles:    []domain.Role{domain.RoleReviewer},
	}
	if _, err := addOperator(ctx, svc, claimer); err != nil {
		return nil, nil, err
	}
	return accounts, claimer, nil
}

// addOperator creates op with no password and a fresh ed25519 key, and
// returns the key.
func addOperator(ctx context.Context, svc *storage.OperatorService, op *domain.Operator) (ssh.Signer, error) {
	signer, err := newSigner()
	if err != nil {
		return nil, err
	}
	if err := svc.CreateOperator(ctx, op, ""); err != nil {
		return nil, fmt.Errorf("create bench operator %s: %w", op.Name, err)
	}
	if _, err := svc.AddOperatorKey(ctx, op.Name, string(ssh.MarshalAuthorizedKey(signer.PublicKey()))); err != nil {
		return nil, fmt.Errorf("add the key of bench operator %s: %w", op.Name, err)
	}
	return signer, nil
}

// newSigner returns a fresh ed25519 key.
func newSigner() (ssh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate a key: %w", err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, fmt.Errorf("generate a key: %w", err)
	}
	return signer, nil
}
