package web

import (
	"fmt"
	"net/url"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
)

// Calendar is a month grid, Monday first, with each day that has papers
// linked to its page and each row linked to its ISO week.
type Calendar struct {
	Title      string // "October 2023"
	URL        string // the month's page
	Prev, Next Link   // the neighbouring months' pages
	Weeks      []CalendarWeek
}

// CalendarWeek is one row of the grid.
type CalendarWeek struct {
	Label   string // "41"
	Title   string // "Week 41, 2023"
	URL     string
	Current bool // the period shown is this week
	Days    [7]CalendarDay
}

// CalendarDay is one cell; days of the neighbouring months are blank.
type CalendarDay struct {
	Date    time.Time
	Day     int // 0 for a blank cell
	Count   int
	URL     string // set when the day has papers
	Label   string // "12 papers on Oct 9, 2023", for screen readers and tooltips
	Current bool   // the day lies in the period shown
	Today   bool
}

func buildCalendar(month time.Time, per paper.Period, counts map[string]int, now time.Time, q url.Values) Calendar {
	mp := paper.MonthPeriod(month)
	c := Calendar{
		Title: mp.Start.Format("January 2006"),
		URL:   withQuery(periodPath(mp), q),
		Prev:  Link{Label: "Previous month", URL: withQuery(periodPath(mp.Prev()), q), Title: mp.Prev().Start.Format("January 2006")},
		Next:  Link{Label: "Next month", URL: withQuery(periodPath(mp.Next()), q), Title: mp.Next().Start.Format("January 2006")},
	}
	today := paper.DayOf(now)
	for ws := paper.WeekPeriod(mp.Start).Start; ws.Before(mp.End); ws = ws.AddDate(0, 0, 7) {
		wp := paper.WeekPeriod(ws)
		y, n := ws.ISOWeek()
		wk := CalendarWeek{
			Label:   fmt.Sprint(n),
			Title:   fmt.Sprintf("Week %d, %d", n, y),
			URL:     withQuery(periodPath(wp), q),
			Current: per.Kind == periodWeek && per.Start.Equal(wp.Start),
		}
		for i := range 7 {
			d := ws.AddDate(0, 0, i)
			if !mp.Contains(d) {
				continue
			}
			n := counts[d.Format("2006-01-02")]
			cd := CalendarDay{Date: d, Day: d.Day(), Count: n, Current: per.Contains(d), Today: d.Equal(today)}
			if n > 0 {
				cd.URL = withQuery(periodPath(paper.DayPeriod(d)), q)
				cd.Label = plural(n, "paper") + " on " + d.Format(dateLayout)
			} else {
				cd.Label = "No papers on " + d.Format(dateLayout)
			}
			wk.Days[i] = cd
		}
		c.Weeks = append(c.Weeks, wk)
	}
	return c
}
