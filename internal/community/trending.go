package community

import (
	"math"
	"time"
)

// Gravity is the exponent of age in the trending score. 1.8 is Hacker
// News's published value: a day-old paper needs about (26/2)^1.8 ≈ 100 times
// the votes of a brand-new one to rank level with it.
const Gravity = 1.8

// TrendingScore is how hot a paper is now, in the spirit of Hacker News:
//
//	score = (upvotes + 1) / (age_hours + 2)^Gravity
//
// upvotes are all the paper's upvotes (imported Hugging Face upvotes plus
// Paperboy votes: paper.Paper.Upvotes). age_hours runs from the start (00:00
// UTC) of the paper's feed day (paper.Paper.Day: the day it was featured or
// submitted to Paperboy, else its first-version date) to now, and is never
// negative. The +1 lets papers with no votes yet rank by freshness; the +2
// keeps a just-featured paper from dividing by zero.
//
// The SQLite store orders feeds sorted by paper.SortTrending with the same
// expression (internal/sqlite trendingExpr); TestTrendingMatchesStore checks
// that the two agree.
func TrendingScore(upvotes int, day, now time.Time) float64 {
	age := max(0, now.Sub(day).Hours())
	return float64(upvotes+1) / math.Pow(age+2, Gravity)
}
