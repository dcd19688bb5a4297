package arxiv

import (
	"slices"
	"testing"
)

func TestSplitAuthors(t *testing.T) {
	for _, test := range []struct {
		in   string
		want []string
	}{
		{"Shanyi Zhou, Ning Yan, Zhijun Li", []string{"Shanyi Zhou", "Ning Yan", "Zhijun Li"}},
		// Real author strings from /work/shared/data.
		{"Runming Li (1), Harrison Grodin (1), Robert Harper (1) ((1) Carnegie Mellon University)",
			[]string{"Runming Li", "Harrison Grodin", "Robert Harper"}},
		{"G. Kälbermann (Soil and Water dept.(Emeritus), Faculty of Agriculture, Rehovot, Israel)",
			[]string{"G. Kälbermann"}},
		{"Beidi Zhao, Wenlong Deng, Zi Han (Henry)Li, Chen Zhou", []string{"Beidi Zhao", "Wenlong Deng", "Zi Han Li", "Chen Zhou"}},
		{"ZiDong Wang, Zeyu Lu, Wanli Ouyang, and Lei Bai", []string{"ZiDong Wang", "Zeyu Lu", "Wanli Ouyang", "Lei Bai"}},
		{"Roberto Magalhaes Jr, Rafael Orsi", []string{"Roberto Magalhaes Jr", "Rafael Orsi"}},
		{"Francisco C. Caramello Jr., Francisco A. Neubauer", []string{"Francisco C. Caramello Jr.", "Francisco A. Neubauer"}},
		{"Satyajayant Misra, Henry M. Cathey, Jr., Roopa Vishwanathan", []string{"Satyajayant Misra", "Henry M. Cathey Jr.", "Roopa Vishwanathan"}},
		{"Shijie Lian, Ziyi Zhang, Laurence Tianruo Yang and, Mengyu Ren", []string{"Shijie Lian", "Ziyi Zhang", "Laurence Tianruo Yang", "Mengyu Ren"}},
		{"Mohammad Amaan Sayeed,", []string{"Mohammad Amaan Sayeed"}},
		{"A. Smith and B. Jones", []string{"A. Smith", "B. Jones"}},
		{"Alexander Anand, Sandra Andersen", []string{"Alexander Anand", "Sandra Andersen"}},
		{"H1 Collaboration", []string{"H1 Collaboration"}},
		{"J. Doe, et al.", []string{"J. Doe"}},
		{"A. B (unclosed affiliation, X", []string{"A. B"}},
		{"", nil},
	} {
		if got := SplitAuthors(test.in); !slices.Equal(got, test.want) {
			t.Errorf("SplitAuthors(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}
