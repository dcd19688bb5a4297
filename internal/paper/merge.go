package paper

import (
	"reflect"
	"slices"
	"time"
)

// Merge decides what to store when incoming meets the stored paper (nil when
// there is none). The rules:
//   - a paper never seen is Added;
//   - an older version never overwrites a newer one: when both versions are
//     known and incoming's is lower, its arXiv metadata is ignored (Unchanged,
//     unless it brings Daily Papers fields the stored paper lacks);
//   - otherwise fields that incoming has replace the stored ones, and fields it
//     lacks (a source without DOI, an arXiv record without HF upvotes) are kept;
//   - version histories are unioned, so no version is ever forgotten;
//   - the result is Updated only when something stored actually changed, so
//     importing the same file twice changes nothing.
func Merge(stored *Paper, incoming Paper) (Paper, Change) {
	if stored == nil {
		incoming.Normalize()
		return incoming, Added
	}
	m := *stored
	m.Versions = slices.Clone(stored.Versions)
	m.Authors = slices.Clone(stored.Authors)
	m.Categories = slices.Clone(stored.Categories)
	m.CodeURLs = slices.Clone(stored.CodeURLs)

	older := incoming.Version > 0 && stored.Version > 0 && incoming.Version < stored.Version
	if !older {
		setS(&m.Title, incoming.Title)
		setS(&m.Abstract, incoming.Abstract)
		setS(&m.Submitter, incoming.Submitter)
		setS(&m.Comments, incoming.Comments)
		setS(&m.JournalRef, incoming.JournalRef)
		setS(&m.DOI, incoming.DOI)
		setS(&m.License, incoming.License)
		if len(incoming.Authors) > 0 {
			m.Authors = slices.Clone(incoming.Authors)
		}
		if len(incoming.Categories) > 0 {
			m.Categories = slices.Clone(incoming.Categories)
		}
		setT(&m.Updated, incoming.Updated)
		setT(&m.ListingDate, incoming.ListingDate)
		if incoming.Version > m.Version {
			m.Version = incoming.Version
		}
	}
	// Facts that do not depend on the version: the v1 date, history, links, HF fields.
	if m.Published.IsZero() || (!incoming.Published.IsZero() && incoming.Published.Before(m.Published)) {
		setT(&m.Published, incoming.Published)
	}
	for _, v := range incoming.Versions {
		if !slices.ContainsFunc(m.Versions, func(s Version) bool { return s.Number == v.Number }) {
			m.Versions = append(m.Versions, v)
		}
	}
	m.CodeURLs = append(m.CodeURLs, incoming.CodeURLs...)
	setS(&m.ProjectPage, incoming.ProjectPage)
	setT(&m.DailyDate, incoming.DailyDate)
	// Imported upvote counts are snapshots: the later count wins.
	if !incoming.SourceUpvotesAt.IsZero() && !incoming.SourceUpvotesAt.Before(m.SourceUpvotesAt) ||
		m.SourceUpvotesAt.IsZero() && incoming.SourceUpvotes > m.SourceUpvotes {
		m.SourceUpvotes = incoming.SourceUpvotes
		setT(&m.SourceUpvotesAt, incoming.SourceUpvotesAt)
	}
	m.Normalize()
	if sameStored(stored, &m) {
		return *stored, Unchanged
	}
	return m, Updated
}

func setS(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func setT(dst *time.Time, v time.Time) {
	if !v.IsZero() {
		*dst = v
	}
}

// sameStored compares the fields a store writes (not the read-only ones).
func sameStored(a, b *Paper) bool {
	x, y := *a, *b
	for _, p := range []*Paper{&x, &y} {
		p.Votes, p.NumComments, p.SubmittedBy, p.Added, p.Seq = 0, 0, "", time.Time{}, 0
		if len(p.Versions) == 0 {
			p.Versions = nil
		}
		if len(p.Authors) == 0 {
			p.Authors = nil
		}
		if len(p.Categories) == 0 {
			p.Categories = nil
		}
		if len(p.CodeURLs) == 0 {
			p.CodeURLs = nil
		}
	}
	return reflect.DeepEqual(x, y)
}
