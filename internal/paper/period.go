package paper

import (
	"fmt"
	"time"
)

// PeriodKind is the span of a feed page.
type PeriodKind string

const (
	PeriodDay   PeriodKind = "date"
	PeriodWeek  PeriodKind = "week"
	PeriodMonth PeriodKind = "month"
)

// Period is a day, an ISO week or a month, [Start, End) in UTC.
type Period struct {
	Kind  PeriodKind
	Start time.Time
	End   time.Time
}

// Earliest and latest dates a period may name: arXiv began in 1991, and a
// feed page far in the future is a typo.
var (
	minPeriod = time.Date(1991, 1, 1, 0, 0, 0, 0, time.UTC)
	maxPeriod = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ParsePeriod reads "2023-10-09" (day), "2023-W41" (ISO week) or "2023-10" (month).
func ParsePeriod(kind PeriodKind, s string) (Period, error) {
	var p Period
	switch kind {
	case PeriodDay:
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return p, fmt.Errorf("%w: date %q: want YYYY-MM-DD", ErrInvalid, s)
		}
		p = DayPeriod(t)
	case PeriodWeek:
		var y, w int
		var rest string
		if n, _ := fmt.Sscanf(s, "%4d-W%2d%s", &y, &w, &rest); n != 2 || len(s) != 8 || w < 1 || w > 53 {
			return p, fmt.Errorf("%w: week %q: want YYYY-Www, for example 2023-W41", ErrInvalid, s)
		}
		start := isoWeekStart(y, w)
		if yy, ww := start.ISOWeek(); yy != y || ww != w {
			return p, fmt.Errorf("%w: week %q: %d has no week %d", ErrInvalid, s, y, w)
		}
		p = Period{Kind: PeriodWeek, Start: start, End: start.AddDate(0, 0, 7)}
	case PeriodMonth:
		t, err := time.Parse("2006-01", s)
		if err != nil {
			return p, fmt.Errorf("%w: month %q: want YYYY-MM", ErrInvalid, s)
		}
		p = MonthPeriod(t)
	default:
		return p, fmt.Errorf("%w: unknown period kind %q", ErrInvalid, kind)
	}
	if p.Start.Before(minPeriod) || !p.Start.Before(maxPeriod) {
		return Period{}, fmt.Errorf("%w: %s %q is outside 1991-2199", ErrInvalid, kind, s)
	}
	return p, nil
}

// DayPeriod is the day containing t.
func DayPeriod(t time.Time) Period {
	d := DayOf(t)
	return Period{Kind: PeriodDay, Start: d, End: d.AddDate(0, 0, 1)}
}

// WeekPeriod is the ISO week containing t.
func WeekPeriod(t time.Time) Period {
	y, w := t.UTC().ISOWeek()
	s := isoWeekStart(y, w)
	return Period{Kind: PeriodWeek, Start: s, End: s.AddDate(0, 0, 7)}
}

// MonthPeriod is the month containing t.
func MonthPeriod(t time.Time) Period {
	t = t.UTC()
	s := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	return Period{Kind: PeriodMonth, Start: s, End: s.AddDate(0, 1, 0)}
}

// isoWeekStart is the Monday of ISO week w of year y.
func isoWeekStart(y, w int) time.Time {
	// January 4th is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
	wd := int(jan4.Weekday()+6) % 7 // Monday = 0
	return jan4.AddDate(0, 0, -wd+(w-1)*7)
}

// String is the period's canonical name: "2023-10-09", "2023-W41", "2023-10".
func (p Period) String() string {
	switch p.Kind {
	case PeriodWeek:
		y, w := p.Start.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case PeriodMonth:
		return p.Start.Format("2006-01")
	}
	return p.Start.Format("2006-01-02")
}

// Prev is the period of the same kind just before p.
func (p Period) Prev() Period { return p.shift(-1) }

// Next is the period of the same kind just after p.
func (p Period) Next() Period { return p.shift(1) }

func (p Period) shift(n int) Period {
	switch p.Kind {
	case PeriodWeek:
		return WeekPeriod(p.Start.AddDate(0, 0, 7*n))
	case PeriodMonth:
		return MonthPeriod(p.Start.AddDate(0, n, 0))
	}
	return DayPeriod(p.Start.AddDate(0, 0, n))
}

// Contains reports whether t falls in p.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start) && t.Before(p.End)
}
