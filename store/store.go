// Package store keeps mentorbot's data in SQLite (modernc.org/sqlite, pure
// Go). It implements the root package's store interfaces; no other package
// writes SQL. Migrations are embedded and applied on Open.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/mentorbot/mentorbot"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is mentorbot's database.
type DB struct {
	db *sql.DB
	// statements holds each read prepared once (query text to *sql.Stmt):
	// SQLite otherwise parses a query every time it runs, which is much
	// of what a small read costs. The queries are constants, so it stays
	// small.
	statements sync.Map
}

// Open opens (creating if needed) the database file at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	db, err := connect(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, db.db); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database %s: %w", path, err)
	}
	return db, nil
}

// OpenExisting opens the database file at path as it is, without
// migrating: for tools that work beside a running bot, which may be of
// another version. The file must exist.
func OpenExisting(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return connect(ctx, path)
}

func connect(ctx context.Context, path string) (*DB, error) {
	// WAL lets readers go on while one writer writes; the busy timeout makes
	// a second writer wait instead of failing; immediate transactions take
	// the write lock up front so two writers never deadlock upgrading.
	// A page cache of 1 MB per connection: the operating system caches
	// the file too, and the bot's memory stays within its budget.
	// secure_delete zeroes what a delete or an update frees, so erased
	// words do not linger in free pages.
	q := url.Values{}
	for _, pragma := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(5000)", "synchronous(NORMAL)", "cache_size(-1024)", "secure_delete(1)"} {
		q.Add("_pragma", pragma)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// Each SQLite connection keeps its own page cache; a handful serve
	// the bot's requests, as one writer at a time is all SQLite allows,
	// and a burst of people no longer opens a connection, and a cache,
	// for each of them.
	db.SetMaxOpenConns(maxConnections)
	return &DB{db: db}, nil
}

// maxConnections bounds the connections open at once.
const maxConnections = 4

func migrate(ctx context.Context, db *sql.DB) error {
	files, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	provider, err := goose.NewProvider(goose.DialectSQLite3, db, files)
	if err != nil {
		return err
	}
	_, err = provider.Up(ctx)
	return err
}

// checkpointTries bounds how often a checkpoint is tried: each try already
// waits up to the busy timeout for readers of older snapshots to finish.
const checkpointTries = 3

// checkpoint copies every page of the write-ahead log into the database
// file and truncates the log to nothing, so no older copy of a page is
// left in it.
func (s *DB) checkpoint(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	defer conn.Close()
	for try := 1; ; try++ {
		// busy is 1 when a reader or writer kept it from finishing; log and
		// done count the log's pages and those copied back, -1 without a log.
		var busy, log, done int
		if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &log, &done); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if busy == 0 && log == done {
			return nil
		}
		if try == checkpointTries {
			return fmt.Errorf("checkpoint: still in use after %d tries: %d of %d log pages copied back", try, done, log)
		}
	}
}

// Close closes the database.
func (s *DB) Close() error {
	s.statements.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	return s.db.Close()
}

// prepared returns the query prepared, preparing it the first time.
func (s *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.statements.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if first, raced := s.statements.LoadOrStore(query, st); raced {
		st.Close()
		return first.(*sql.Stmt), nil
	}
	return st, nil
}

// timeLayout is fixed-width so stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}

// parseNullTime reads NULL as the zero time.
func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

// nullString stores "" as NULL.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// nullID stores an ID of 0, which names nothing, as NULL.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// inTx runs fn in a transaction and commits it, or rolls back if fn fails.
func (s *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return unsaved(err)
	}
	if err := fn(tx); err != nil {
		return unsaved(errors.Join(err, tx.Rollback()))
	}
	return unsaved(tx.Commit())
}

// What a person reads when the database cannot be used just now.
const (
	unsavedMessage  = "We couldn't save that just now, so nothing was changed. Please try again in a minute."
	unreadMessage   = "We couldn't look that up just now. Please try again in a minute."
	primaryCodeMask = 0xff // an extended result code's low byte is its primary code
)

// unsaved marks a write that failed because the database is busy, locked
// by another process, full, or did not answer within the caller's time as
// EUNAVAILABLE: a transaction changes all or nothing, so trying again later
// is safe. The cause stays in the error for the log.
func unsaved(err error) error {
	if err != nil && (isUnavailable(err) || errors.Is(err, context.DeadlineExceeded)) {
		return errors.Join(mentorbot.Errorf(mentorbot.EUNAVAILABLE, unsavedMessage), err)
	}
	return err
}

// unread is unsaved for reads.
func unread(err error) error {
	if err != nil && isUnavailable(err) {
		return errors.Join(mentorbot.Errorf(mentorbot.EUNAVAILABLE, unreadMessage), err)
	}
	return err
}

// isUnavailable reports SQLite's answers that mean "not now" rather than
// "never": busy or locked past the busy timeout, or no room left on disk.
func isUnavailable(err error) bool {
	e, ok := errors.AsType[*sqlite.Error](err)
	if !ok {
		return false
	}
	switch e.Code() & primaryCodeMask {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL:
		return true
	}
	return false
}

// updateOne runs an UPDATE by ID and fails unless it found its row, so a
// save of a row that is gone is not silently lost.
func updateOne(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err == nil && n != 1 {
		err = fmt.Errorf("updated %d rows, want 1", n)
	}
	return err
}

// each runs a query and calls scan for every row it returns.
func (s *DB) each(ctx context.Context, scan func(*sql.Rows) error, query string, args ...any) error {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return unread(err)
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return unread(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return unread(rows.Err())
}

var (
	_ mentorbot.Store      = (*DB)(nil)
	_ mentorbot.RequestLog = (*DB)(nil)
)
