// Package sqlite is Paperboy's embedded storage: one SQLite file in WAL mode,
// with a single-connection writer and a pool of read-only readers, schema
// migrations embedded in the binary and applied at Open. All of Paperboy's
// SQL for SQLite lives in this package.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/paperboy/paperboy/internal/paper"
	_ "modernc.org/sqlite" // the pure-Go driver: no cgo, FTS5 built in (see README)
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store implements paper.Store (and the community and search stores) on SQLite.
type Store struct {
	path   string
	writer *sql.DB // one connection: SQLite has one writer, and queuing in Go beats SQLITE_BUSY
	reader *sql.DB // query_only connections for concurrent reads under WAL
	// Now is the clock; tests may replace it.
	Now      func() time.Time
	counts   countCache
	trending orderCache
}

var _ paper.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path and migrates it.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("open database: %q: give a file path (WAL needs a file)", path)
	}
	// Pragmas go in the DSN so that every pooled connection gets them.
	dsn := func(extra string) string {
		q := url.Values{}
		for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)", "foreign_keys(1)", "cache_size(-65536)", "temp_store(MEMORY)"} {
			q.Add("_pragma", p)
		}
		if extra != "" {
			q.Add("_pragma", extra)
		}
		q.Set("_txlock", "immediate")
		return "file:" + path + "?" + q.Encode()
	}
	w, err := sql.Open("sqlite", dsn(""))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	s := &Store{path: path, writer: w, Now: time.Now}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn("query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.reader = r
	return s, nil
}

// Close closes both pools.
func (s *Store) Close() error {
	err := s.reader.Close()
	if e := s.writer.Close(); err == nil {
		err = e
	}
	return err
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// DB is the writer (one connection; transactions begin IMMEDIATE).
func (s *Store) DB() *sql.DB { return s.writer }

// ReadDB is the read-only pool.
func (s *Store) ReadDB() *sql.DB { return s.reader }

// Tx runs fn in a write transaction, committing when fn returns nil.
func (s *Store) Tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// migrate applies the embedded migrations not yet applied, in name order, each
// in its own transaction. Several processes may start at once: the IMMEDIATE
// transaction serialises them, and each re-checks inside it.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	slices.Sort(names)
	for _, name := range names {
		body, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		base := strings.TrimPrefix(name, "migrations/")
		err = s.Tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, base).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, base, fmtTime(s.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate %s: %w", base, err)
		}
	}
	return nil
}

const (
	timeLayout = "2006-01-02T15:04:05Z"
	dayLayout  = "2006-01-02"
)

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// nullTime stores a zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return fmtTime(t)
}

func nullDay(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(dayLayout)
}

func parseTime(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	for _, layout := range []string{timeLayout, time.RFC3339Nano, dayLayout} {
		if t, err := time.Parse(layout, s.String); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
