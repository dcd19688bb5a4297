// Temporary: query plans and timings for the feed queries (not committed).
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/paperboy/paperboy/internal/sqlite"
)

func main() {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	db := st.ReadDB()
	if len(os.Args) > 5 {
		for _, stmt := range os.Args[5:] {
			if _, err := st.DB().ExecContext(ctx, stmt); err != nil {
				log.Fatal(err)
			}
		}
	}
	cols := `pk, id, version, versions, title, abstract, authors, categories, submitter, comments,
	journal_ref, doi, license, published, updated, listing_date, daily_date, code_urls, project_page,
	source_upvotes, source_upvotes_at, votes, num_comments, submitted_by, added_at, seq`
	day, d2, month := os.Args[2], os.Args[3], os.Args[4]
	trend := `((upvotes + 1) / pow(max(0, (julianday('2026-11-25T00:00:00Z') - julianday(coalesce(day, month || '-01'))) * 24) + 2, 1.8))`
	qs := []struct {
		name string
		q    string
		args []any
	}{
		{"count day", `SELECT count(*) FROM papers WHERE day >= ? AND day < ?`, []any{day, d2}},
		{"day upvotes", `SELECT ` + cols + ` FROM papers WHERE day >= ? AND day < ? ORDER BY upvotes DESC, day DESC, id DESC LIMIT 30 OFFSET 0`, []any{day, d2}},
		{"day upvotes ids only", `SELECT id FROM papers WHERE day >= ? AND day < ? ORDER BY upvotes DESC, day DESC, id DESC LIMIT 30 OFFSET 0`, []any{day, d2}},
		{"day newest", `SELECT ` + cols + ` FROM papers WHERE day >= ? AND day < ? ORDER BY day DESC, coalesce(published, day) DESC, id DESC LIMIT 30 OFFSET 0`, []any{day, d2}},
		{"count month", `SELECT count(*) FROM papers WHERE month = ?`, []any{month}},
		{"month upvotes", `SELECT ` + cols + ` FROM papers WHERE month = ? ORDER BY upvotes DESC, day DESC, id DESC LIMIT 30 OFFSET 0`, []any{month}},
		{"month upvotes ids", `SELECT id FROM papers WHERE month = ? ORDER BY upvotes DESC, day DESC, id DESC LIMIT 30 OFFSET 0`, []any{month}},
		{"month newest", `SELECT ` + cols + ` FROM papers WHERE month = ? ORDER BY day DESC, coalesce(published, day) DESC, id DESC LIMIT 30 OFFSET 0`, []any{month}},
		{"month trending", `SELECT ` + cols + ` FROM papers WHERE month = ? ORDER BY ` + trend + ` DESC, upvotes DESC, id DESC LIMIT 30 OFFSET 0`, []any{month}},
		{"day= upvotes pk", `SELECT pk FROM papers WHERE day = ? ORDER BY upvotes DESC, day DESC, id DESC LIMIT 30 OFFSET 0`, []any{day}},
		{"day= newest pk", `SELECT pk FROM papers WHERE day = ? ORDER BY day DESC, coalesce(published, day) DESC, id DESC LIMIT 30 OFFSET 0`, []any{day}},
		{"week upvotes pk", `SELECT pk FROM papers WHERE day >= ? AND day < ? ORDER BY upvotes DESC, day DESC, id DESC LIMIT 30 OFFSET 0`, []any{"2026-06-08", "2026-06-15"}},
		{"week newest pk", `SELECT pk FROM papers WHERE day >= ? AND day < ? ORDER BY day DESC, coalesce(published, day) DESC, id DESC LIMIT 30 OFFSET 0`, []any{"2026-06-08", "2026-06-15"}},
		{"week trending pk", `SELECT pk FROM papers WHERE day >= ? AND day < ? ORDER BY ` + trend + ` DESC, upvotes DESC, id DESC LIMIT 30 OFFSET 0`, []any{"2026-06-08", "2026-06-15"}},
		{"month upvotes pk", `SELECT pk FROM papers WHERE month = ? ORDER BY upvotes DESC, day DESC, id DESC LIMIT 30 OFFSET 0`, []any{month}},
		{"month newest pk", `SELECT pk FROM papers WHERE month = ? ORDER BY day DESC, coalesce(published, day) DESC, id DESC LIMIT 30 OFFSET 0`, []any{month}},
		{"month trending pk", `SELECT pk FROM papers WHERE month = ? ORDER BY ` + trend + ` DESC, upvotes DESC, id DESC LIMIT 30 OFFSET 0`, []any{month}},
		{"30 rows by pk", `SELECT ` + cols + ` FROM papers WHERE pk IN (1000,1001,1002,1003,1004,1005,1006,1007,1008,1009,1010,1011,1012,1013,1014,1015,1016,1017,1018,1019,1020,1021,1022,1023,1024,1025,1026,1027,1028,1029)`, nil},
		{"month trending topk", `SELECT id FROM papers WHERE pk IN (SELECT p2.pk FROM (SELECT DISTINCT day FROM papers WHERE month = ?1) d, papers p2 WHERE p2.pk IN (SELECT pk FROM papers p3 WHERE p3.day = d.day ORDER BY upvotes DESC, id DESC LIMIT 30)) ORDER BY ` + trend + ` DESC, upvotes DESC, id DESC LIMIT 30`, []any{month}},
		{"max day", `SELECT max(day) FROM papers`, nil},
	}
	for _, q := range qs {
		rows, err := db.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q.q, q.args...)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("== %s\n", q.name)
		for rows.Next() {
			var id, parent, nu int
			var detail string
			rows.Scan(&id, &parent, &nu, &detail)
			fmt.Printf("   %s\n", detail)
		}
		rows.Close()
		best := time.Hour
		for range 5 {
			start := time.Now()
			rows, err := db.QueryContext(ctx, q.q, q.args...)
			if err != nil {
				log.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			best = min(best, time.Since(start))
		}
		fmt.Printf("   best of 5: %s\n", best)
	}
}
