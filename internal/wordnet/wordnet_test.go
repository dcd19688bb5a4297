package wordnet

import (
	"slices"
	"testing"
)

func find(rels []Rel, w string) (Rel, bool) {
	for _, r := range rels {
		if r.Word == w {
			return r, true
		}
	}
	return Rel{}, false
}

func TestRelated(t *testing.T) {
	tests := []struct {
		word string
		want string
		kind Kind
	}{
		{"dog", "domestic dog", Synonym},
		{"dog", "canine", Broader},
		{"car", "automobile", Synonym},
		{"Cars", "automobile", Synonym}, // morphy + case
		{"fast", "rapid", Similar},
		{"mice", "rodent", Broader},
		{"picture", "image", Synonym},
		{"big", "large", Synonym},
		{"neural network", "computer architecture", Broader}, // multi-word lemma
	}
	for _, tt := range tests {
		t.Run(tt.word+"->"+tt.want, func(t *testing.T) {
			rels := Related(tt.word)
			r, ok := find(rels, tt.want)
			if !ok {
				t.Fatalf("Related(%q) lacks %q: %v", tt.word, tt.want, rels)
			}
			if r.Kind != tt.kind {
				t.Errorf("kind %v, want %v", r.Kind, tt.kind)
			}
			if r.Weight <= 0 || r.Weight > 1 {
				t.Errorf("weight %v out of (0,1]", r.Weight)
			}
		})
	}
}

func TestRelatedOrderAndSelf(t *testing.T) {
	rels := Related("car")
	if len(rels) == 0 {
		t.Fatal("no relations for car")
	}
	if !slices.IsSortedFunc(rels, func(a, b Rel) int {
		switch {
		case a.Weight > b.Weight:
			return -1
		case a.Weight < b.Weight:
			return 1
		}
		return 0
	}) {
		t.Error("not sorted by weight")
	}
	if _, ok := find(rels, "car"); ok {
		t.Error("word relates to itself")
	}
	if rels[0].Kind != Synonym || rels[0].Weight != 1 {
		t.Errorf("first relation %+v, want a first-sense synonym", rels[0])
	}
}

func TestUnknown(t *testing.T) {
	for _, w := range []string{"", "   ", "transformerxl", "qwertyzz"} {
		if r := Related(w); len(r) != 0 {
			t.Errorf("Related(%q) = %v, want none", w, r)
		}
		if Known(w) {
			t.Errorf("Known(%q)", w)
		}
	}
}

func TestLemmas(t *testing.T) {
	tests := map[string][]string{
		"networks": {"network"},
		"mice":     {"mouse"},
		"network":  {"network"},
		"studies":  {"study"},
	}
	for in, want := range tests {
		if got := Lemmas(in); !slices.Equal(got, want) {
			t.Errorf("Lemmas(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestSynonyms(t *testing.T) {
	if s := Synonyms("picture"); !slices.Contains(s, "image") {
		t.Errorf("Synonyms(picture) = %v", s)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRelated(b *testing.B) {
	get()
	for b.Loop() {
		Related("learning")
	}
}
