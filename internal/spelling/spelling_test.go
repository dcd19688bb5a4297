package spelling

import "testing"

func TestAmerican(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// British -> American
		{"generalisation", "generalization"}, {"regularisations", "regularizations"}, {"organisational", "organizational"},
		{"optimise", "optimize"}, {"optimiser", "optimizer"}, {"optimisers", "optimizers"}, {"minimising", "minimizing"},
		{"generalises", "generalizes"}, {"recognised", "recognized"}, {"standardise", "standardize"},
		{"tokenise", "tokenize"}, {"customise", "customize"}, {"summarising", "summarizing"},
		{"analyse", "analyze"}, {"analysed", "analyzed"}, {"catalysing", "catalyzing"}, {"paralyse", "paralyze"},
		{"behaviour", "behavior"}, {"behavioural", "behavioral"}, {"colours", "colors"}, {"coloured", "colored"},
		{"neighbourhood", "neighborhood"}, {"neighbouring", "neighboring"}, {"favourable", "favorable"}, {"labour", "labor"},
		{"tumour", "tumor"}, {"centre", "center"}, {"centred", "centered"}, {"metres", "meters"}, {"fibre", "fiber"},
		{"defence", "defense"}, {"licence", "license"}, {"grey", "gray"}, {"ageing", "aging"}, {"programme", "program"},
		{"catalogue", "catalog"}, {"judgement", "judgment"}, {"artefacts", "artifacts"},
		// words that only look British, left alone
		{"supervised", "supervised"}, {"unsupervised", "unsupervised"}, {"otherwise", "otherwise"}, {"pairwise", "pairwise"},
		{"denoising", "denoising"}, {"noise", "noise"}, {"raise", "raise"}, {"praised", "praised"}, {"promise", "promise"},
		{"promising", "promising"}, {"premises", "premises"}, {"compromise", "compromise"}, {"surprising", "surprising"},
		{"comprising", "comprising"}, {"comprises", "comprises"}, {"enterprise", "enterprise"}, {"arise", "arise"},
		{"arising", "arising"}, {"rise", "rise"}, {"uprising", "uprising"}, {"sunrise", "sunrise"}, {"precise", "precise"},
		{"precisely", "precisely"}, {"concise", "concise"}, {"exercise", "exercise"}, {"exercises", "exercises"},
		{"expertise", "expertise"}, {"advertise", "advertise"}, {"revised", "revised"}, {"devise", "devise"},
		{"advised", "advised"}, {"cruise", "cruise"}, {"disguised", "disguised"}, {"franchise", "franchise"},
		{"paradise", "paradise"}, {"treatise", "treatise"}, {"wise", "wise"}, {"analyses", "analyses"},
		{"analysis", "analysis"}, {"hour", "hour"}, {"four", "four"}, {"contour", "contour"}, {"detour", "detour"},
		{"your", "your"}, {"flour", "flour"}, {"tours", "tours"}, {"theatre", "theater"}, {"entre", "entre"},
		{"diameter", "diameter"}, {"parametre", "parametre"}, {"size", "size"}, {"generalization", "generalization"},
		{"", ""}, {"is", "is"}, {"modelling", "modeling"},
	} {
		if got := American(tc.in); got != tc.want {
			t.Errorf("American(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func BenchmarkAmerican(b *testing.B) {
	words := []string{"the", "generalisation", "transformer", "supervised", "behaviour", "model", "centre", "optimise"}
	for i := 0; b.Loop(); i++ {
		American(words[i%len(words)])
	}
}
