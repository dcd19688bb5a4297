package search

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/paperboy/paperboy/internal/paper"
)

// Judgement is one line of a relevance file: a query and the ids of the
// papers that answer it. Split is optional ("tune", "test"): results are
// also reported per split, so settings tuned on one half can be checked on
// the other. Style is optional too (how the query is phrased, e.g.
// "avoid" for descriptions that avoid the paper's own terms): results are
// reported per style, which shows where meaning helps.
type Judgement struct {
	Query    string   `json:"query"`
	Relevant []string `json:"relevant"`
	Split    string   `json:"split,omitempty"`
	Style    string   `json:"style,omitempty"`
}

// Metrics at cut-off 10, averaged over queries.
type Metrics struct {
	Queries int
	MRR     float64 // mean reciprocal rank of the first relevant paper (0 when not in the top 10)
	Recall  float64 // share of relevant papers in the top 10
	NDCG    float64 // binary-gain nDCG@10
}

// Table holds metrics per mode, overall, per split and per style.
type Table struct {
	Modes  []Mode
	Groups []string // "" is all queries, then the splits, then the styles
	Cells  map[string]map[Mode]Metrics
}

// EvalCutoff is the rank cut-off of the metrics.
const EvalCutoff = 10

// ReadJudgements reads JSON lines; a bad line is an error naming it.
func ReadJudgements(r io.Reader) ([]Judgement, error) {
	var out []Judgement
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		b := strings.TrimSpace(sc.Text())
		if b == "" || strings.HasPrefix(b, "#") {
			continue
		}
		var j Judgement
		if err := json.Unmarshal([]byte(b), &j); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if strings.TrimSpace(j.Query) == "" {
			return nil, fmt.Errorf("line %d: empty query", line)
		}
		if len(j.Relevant) == 0 {
			return nil, fmt.Errorf("line %d: no relevant papers", line)
		}
		for i, id := range j.Relevant {
			norm, _, err := paper.ParseID(id)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			j.Relevant[i] = norm
		}
		out = append(out, j)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no queries")
	}
	return out, nil
}

// Evaluate runs every query of r in each mode the service has (semantic and
// hybrid need a semantic engine) and scores the top 10.
func Evaluate(ctx context.Context, svc *Service, r io.Reader) (Table, error) {
	js, err := ReadJudgements(r)
	if err != nil {
		return Table{}, err
	}
	return EvaluateJudgements(ctx, svc, js)
}

// EvaluateJudgements is Evaluate over parsed judgements.
func EvaluateJudgements(ctx context.Context, svc *Service, js []Judgement) (Table, error) {
	modes := []Mode{ModeKeyword}
	if svc.HasSemantic() {
		modes = []Mode{ModeKeyword, ModeSemantic, ModeHybrid}
	}
	t := Table{Modes: modes, Groups: []string{""}, Cells: map[string]map[Mode]Metrics{}}
	for _, j := range js {
		if j.Split != "" && !slices.Contains(t.Groups, j.Split) {
			t.Groups = append(t.Groups, j.Split)
		}
	}
	for _, j := range js {
		if j.Style != "" && !slices.Contains(t.Groups, styleGroup(j.Style)) {
			t.Groups = append(t.Groups, styleGroup(j.Style))
		}
	}
	sums := map[string]map[Mode]*Metrics{}
	for _, sp := range t.Groups {
		sums[sp] = map[Mode]*Metrics{}
		for _, m := range modes {
			sums[sp][m] = &Metrics{}
		}
	}
	for _, j := range js {
		for _, m := range modes {
			res, err := svc.Search(ctx, Query{Text: j.Query, Mode: m, Limit: EvalCutoff})
			if err != nil {
				return t, fmt.Errorf("query %q (%s): %w", j.Query, m, err)
			}
			ids := make([]string, len(res.Hits))
			for i, h := range res.Hits {
				ids[i] = h.Paper.ID
			}
			mt := score(ids, j.Relevant)
			groups := []string{""}
			if j.Split != "" {
				groups = append(groups, j.Split)
			}
			if j.Style != "" {
				groups = append(groups, styleGroup(j.Style))
			}
			for _, sp := range groups {
				s := sums[sp][m]
				s.Queries++
				s.MRR += mt.MRR
				s.Recall += mt.Recall
				s.NDCG += mt.NDCG
			}
		}
	}
	for sp, bym := range sums {
		t.Cells[sp] = map[Mode]Metrics{}
		for m, s := range bym {
			if s.Queries > 0 {
				n := float64(s.Queries)
				t.Cells[sp][m] = Metrics{Queries: s.Queries, MRR: s.MRR / n, Recall: s.Recall / n, NDCG: s.NDCG / n}
			}
		}
	}
	return t, nil
}

// styleGroup names a style's rows, apart from the splits.
func styleGroup(style string) string { return "style " + style }

// score computes the metrics of one ranked list.
func score(ranked, relevant []string) Metrics {
	rel := map[string]bool{}
	for _, id := range relevant {
		rel[id] = true
	}
	var m Metrics
	found := 0
	dcg := 0.0
	for i, id := range ranked {
		if i == EvalCutoff {
			break
		}
		if rel[id] {
			if found == 0 {
				m.MRR = 1 / float64(i+1)
			}
			found++
			dcg += 1 / math.Log2(float64(i+2))
		}
	}
	ideal := 0.0
	for i := range min(len(rel), EvalCutoff) {
		ideal += 1 / math.Log2(float64(i+2))
	}
	m.Recall = float64(found) / float64(len(rel))
	if ideal > 0 {
		m.NDCG = dcg / ideal
	}
	return m
}

// Print writes the table: one block per group (all, splits, styles), modes side by side.
func (t Table) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "queries\tmetric\t")
	for _, m := range t.Modes {
		fmt.Fprintf(tw, "%s\t", m)
	}
	fmt.Fprintln(tw)
	for _, sp := range t.Groups {
		name := "all"
		if sp != "" {
			name = sp
		}
		cells := t.Cells[sp]
		n := 0
		for _, c := range cells {
			n = c.Queries
		}
		for i, metric := range []string{"MRR@10", "Recall@10", "nDCG@10"} {
			label := ""
			if i == 0 {
				label = fmt.Sprintf("%s (%d)", name, n)
			}
			fmt.Fprintf(tw, "%s\t%s\t", label, metric)
			for _, m := range t.Modes {
				c := cells[m]
				v := [...]float64{c.MRR, c.Recall, c.NDCG}[i]
				fmt.Fprintf(tw, "%.3f\t", v)
			}
			fmt.Fprintln(tw)
		}
	}
	return tw.Flush()
}
