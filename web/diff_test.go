package web

import (
	"slices"
	"testing"
)

func TestWordDiff(t *testing.T) {
	tests := []struct {
		name, from, to string
		want           []wordOp
	}{
		{"same", "un deux trois", "un  deux\ntrois", []wordOp{{opSame, "un deux trois"}}},
		{"a word replaced", "la Corée du Nord", "la Corée du Sud",
			[]wordOp{{opSame, "la Corée du"}, {opDeleted, "Nord"}, {opInserted, "Sud"}}},
		{"words added at the end", "Il pleut.", "Il pleut. Puis il neige.",
			[]wordOp{{opSame, "Il pleut."}, {opInserted, "Puis il neige."}}},
		{"a sentence removed", "A. B. C.", "A. C.",
			[]wordOp{{opSame, "A."}, {opDeleted, "B."}, {opSame, "C."}}},
		{"from nothing", "", "nouveau texte", []wordOp{{opInserted, "nouveau texte"}}},
		{"to nothing", "ancien texte", "", []wordOp{{opDeleted, "ancien texte"}}},
		{"both empty", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wordDiff(tt.from, tt.to); !slices.Equal(got, tt.want) {
				t.Errorf("wordDiff(%q, %q) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}
