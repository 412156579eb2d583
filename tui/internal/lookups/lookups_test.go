package lookups

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/viaa/ppp/domain"
	"github.com/viaa/ppp/tui/internal/fakes"
)

func TestDefence_RecordView_KeysByHashOfNormalisedCode(t *testing.T) {
	def := fakes.NewDefence()
	ctx := domain.WithActor(context.Background(), domain.Actor{OperatorID: 1})
	code, err := domain.NormalizePersonalCode("32345678901")
	if err != nil {
		t.Skip("the sample code does not validate:", err)
	}
	RecordView(ctx, def, " "+code+" ")
	RecordView(ctx, def, "")
	RecordView(ctx, nil, code)
	sum := sha256.Sum256([]byte(code))
	if len(def.Views) != 1 || def.Views[0] != hex.EncodeToString(sum[:]) {
		t.Fatalf("views = %v", def.Views)
	}
	RecordReveal(ctx, def)
	RecordReveal(ctx, nil)
	if def.Reveals != 1 {
		t.Fatalf("reveals = %d", def.Reveals)
	}
}
