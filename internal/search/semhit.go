package search

import "github.com/paperboy/paperboy/internal/semantic"

// SemHit is one semantic result.
type SemHit = semantic.Hit

// *semantic.Engine is the Semantic engine Paperboy runs.
var _ Semantic = (*semantic.Engine)(nil)
