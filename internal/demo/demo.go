// Package demo ships the real papers that `paperboy demo` serves: the
// Hugging Face Daily Papers lists of 580 days (2024-05 to 2026-08, with their
// early upvote counts) and two arXiv listings (cs/math/physics of 2023-09-21;
// math and stat of May 2025), 14,098 papers in all, gzip-compressed inside the
// binary so that the demo needs nothing but the binary.
package demo

import (
	"embed"
	"io"
	"io/fs"
	"path"
)

//go:embed data/*.jsonl.gz
var data embed.FS

// File is one bundled data file (gzip-compressed JSON lines in the arXiv
// metadata snapshot's field names).
type File struct {
	Name string
	open func() (fs.File, error)
}

// Open returns the compressed file; importers detect gzip themselves.
func (f File) Open() (io.ReadCloser, error) { return f.open() }

// Files lists the bundled files, the Daily Papers lists first.
func Files() []File {
	names := []string{"hf-daily-papers.jsonl.gz", "arxiv-listing-2023-09-21.jsonl.gz", "arxiv-math-2025-05.jsonl.gz"}
	out := make([]File, len(names))
	for i, n := range names {
		p := path.Join("data", n)
		out[i] = File{Name: n, open: func() (fs.File, error) { return data.Open(p) }}
	}
	return out
}
