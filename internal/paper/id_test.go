package paper

import (
	"errors"
	"testing"
)

func TestParseID(t *testing.T) {
	for _, test := range []struct {
		in      string
		id      string
		version int
		bad     bool
	}{
		{in: "2310.06110", id: "2310.06110"},
		{in: "2310.06110v3", id: "2310.06110", version: 3},
		{in: " arXiv:2310.06110v2 ", id: "2310.06110", version: 2},
		{in: "https://arxiv.org/abs/2310.06110v2", id: "2310.06110", version: 2},
		{in: "http://arxiv.org/pdf/2310.06110v1.pdf", id: "2310.06110", version: 1},
		{in: "https://huggingface.co/papers/2405.15738", id: "2405.15738"},
		{in: "0704.0001", id: "0704.0001"},
		{in: "1412.9999v12", id: "1412.9999", version: 12},
		{in: "hep-th/9901001", id: "hep-th/9901001"},
		{in: "hep-th/9901001v1", id: "hep-th/9901001", version: 1},
		{in: "math.GT/0309136", id: "math/0309136"},
		{in: "http://arxiv.org/abs/math.GT/0309136v1", id: "math/0309136", version: 1},
		{in: "oai:arXiv.org:cond-mat/0102536", id: "cond-mat/0102536"},
		{in: "HEP-TH/9901001", id: "hep-th/9901001"},
		{in: "", bad: true},
		{in: "2310.0611", id: "", bad: true},      // four digits after 2015
		{in: "1401.12345", id: "", bad: true},     // five digits before 2015
		{in: "2313.06110", id: "", bad: true},     // month 13
		{in: "0612.0001", id: "", bad: true},      // before new-style ids began
		{in: "hep-th/9913001", id: "", bad: true}, // month 13
		{in: "hello world", bad: true},
		{in: "2310.06110vx", bad: true},
		{in: "<script>", bad: true},
	} {
		id, v, err := ParseID(test.in)
		if test.bad {
			if err == nil || !errors.Is(err, ErrInvalid) {
				t.Errorf("ParseID(%q) = %q, %d, %v; want ErrInvalid", test.in, id, v, err)
			}
			continue
		}
		if err != nil || id != test.id || v != test.version {
			t.Errorf("ParseID(%q) = %q, %d, %v; want %q, %d", test.in, id, v, err, test.id, test.version)
		}
	}
}

func TestIDMonth(t *testing.T) {
	for in, want := range map[string]string{
		"2505.01234":     "2025-05",
		"0704.0001":      "2007-04",
		"hep-th/9901001": "1999-01",
		"math/0309136":   "2003-09",
		"junk":           "0001-01",
	} {
		if got := IDMonth(in).Format("2006-01"); got != want {
			t.Errorf("IDMonth(%q) = %s, want %s", in, got, want)
		}
	}
}
