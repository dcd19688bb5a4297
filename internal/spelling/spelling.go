// Package spelling maps British spellings of English words to American ones
// before stemming, so that "generalisation" finds "generalization",
// "behaviour" finds "behavior" and "centre" finds "center". Snowball stems
// keep the two apart ("generalis" and "general"), and arXiv is written in
// both: a reader's spelling should not decide what a search finds.
//
// The rules are suffix rewrites with lists of the words they must not touch
// ("promise", "otherwise", "noise", "four"), chosen for the vocabulary of
// scientific abstracts; a word no rule covers is returned as it is.
package spelling

import "strings"

// American returns the American spelling of a lower-case word, or the word.
func American(w string) string {
	if a, ok := whole[w]; ok {
		return a
	}
	if len(w) < 5 || !strings.ContainsAny(w, "sry") {
		return w
	}
	// -isation -> -ization: never anything else.
	if i := strings.Index(w, "isation"); i > 0 {
		return w[:i] + "ization" + w[i+len("isation"):]
	}
	for _, s := range iseSuffixes {
		if base, ok := strings.CutSuffix(w, s); ok {
			return americanIse(w, base, s)
		}
	}
	for _, s := range yseSuffixes { // analyse, catalysed, paralysing
		if base, ok := strings.CutSuffix(w, s); ok && len(base) >= 3 && strings.HasSuffix(base, "l") {
			return base + "yz" + s[2:]
		}
	}
	for _, s := range []string{"our", "ours", "oured", "ouring", "ourer", "ourers", "oural", "ourally", "ourful", "ourable", "ourably", "ourite", "ourites", "ourhood", "ourhoods", "ourless"} {
		if base, ok := strings.CutSuffix(w, s); ok && ourRoots[base] {
			return base + "or" + s[3:]
		}
	}
	for _, s := range [...][2]string{{"re", "er"}, {"res", "ers"}, {"red", "ered"}} { // centre, metres, centred
		if base, ok := strings.CutSuffix(w, s[0]); ok && reRoots[base] {
			return base + s[1]
		}
	}
	return w
}

// iseSuffixes are the endings of -ise verbs and their derivations, longest
// first; "ise" + rest becomes "ize" + rest.
var iseSuffixes = []string{"isers", "ising", "iser", "ised", "ises", "ise"}

var yseSuffixes = []string{"ysers", "ysing", "yser", "ysed", "yse"}

func americanIse(w, base, suffix string) string {
	stem := base + "ise" // the verb: "optimise" for "optimising"
	if len(base) < 3 || notIse[stem] {
		return w
	}
	for _, end := range []string{"w", "o", "a", "u", "c", "v", "ch", "pr"} {
		// otherwise, denoise, praise, cruise, precise, supervise, franchise, comprise
		if strings.HasSuffix(base, end) {
			return w
		}
	}
	return base + "iz" + suffix[2:]
}

// notIse are -ise words that are not the British form of an -ize word.
var notIse = map[string]bool{
	"arise": true, "rise": true, "sunrise": true, "enterprise": true, "surprise": true, "reprise": true,
	"apprise": true, "prise": true, "promise": true, "compromise": true, "premise": true, "demise": true,
	"surmise": true, "advertise": true, "expertise": true, "chastise": true, "treatise": true, "mortise": true,
	"anise": true, "valise": true, "concise": true, "excise": true, "incise": true, "circumcise": true,
	"exercise": true, "merchandise": true, "guise": true, "disguise": true, "wise": true, "mise": true,
	"paradise": true, "precise": true, "imprecise": true,
}

// ourRoots are the words whose British "-our" is American "-or".
var ourRoots = map[string]bool{
	"behavi": true, "misbehavi": true, "neighb": true, "col": true, "discol": true, "multicol": true,
	"fav": true, "unfav": true, "lab": true, "hum": true, "vap": true, "flav": true, "harb": true,
	"rum": true, "hon": true, "dishon": true, "od": true, "vig": true, "rig": true, "tum": true,
	"splend": true, "endeav": true, "savi": true, "arm": true, "cand": true, "clam": true, "ferv": true,
	"glam": true, "parl": true, "ard": true, "sav": true,
}

// reRoots are the words whose British "-re" is American "-er".
var reRoots = map[string]bool{
	"cent": true, "epicent": true, "met": true, "millimet": true, "centimet": true, "kilomet": true,
	"nanomet": true, "micromet": true, "fib": true, "lit": true, "millilit": true, "spect": true,
	"theat": true, "lust": true, "somb": true, "calib": true,
}

// whole are words no suffix rule covers.
var whole = map[string]string{
	"defence": "defense", "defences": "defenses", "offence": "offense", "offences": "offenses",
	"licence": "license", "licences": "licenses", "pretence": "pretense",
	"catalogue": "catalog", "catalogues": "catalogs", "catalogued": "cataloged",
	"programme": "program", "programmes": "programs",
	"grey": "gray", "greyscale": "grayscale", "aluminium": "aluminum", "sulphur": "sulfur",
	"manoeuvre": "maneuver", "manoeuvres": "maneuvers", "oestrogen": "estrogen", "foetal": "fetal",
	"anaemia": "anemia", "haemoglobin": "hemoglobin", "oesophageal": "esophageal", "paediatric": "pediatric",
	"ageing": "aging", "judgement": "judgment", "judgements": "judgments",
	"artefact": "artifact", "artefacts": "artifacts", "modelling": "modeling", "labelling": "labeling",
}
