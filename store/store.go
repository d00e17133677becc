// Package store keeps mentorbot's data in SQLite (modernc.org/sqlite, pure
// Go) or PostgreSQL (github.com/jackc/pgx through database/sql), one body
// of code for both. It implements the root package's store interfaces; no
// other package writes SQL. Migrations are embedded and applied on Open.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/mentorbot/mentorbot"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// DB is mentorbot's database.
type DB struct {
	pool *sql.DB
	// db runs the store's queries, rebound to the backend's dialect.
	db      handle
	dialect dialect
	// statements holds each read prepared once (query text to *sql.Stmt):
	// SQLite otherwise parses a query every time it runs, which is much
	// of what a small read costs. The queries are constants, so it stays
	// small.
	statements sync.Map
}

// Open opens the database and brings its schema up to date. dsn is a
// postgres:// or postgresql:// URL for PostgreSQL, or else the path of a
// SQLite file, created if needed.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, err := connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, db.pool, db.dialect); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database %s: %w", redact(dsn), err)
	}
	return db, nil
}

// OpenExisting opens the database as it is, without migrating: for tools
// that work beside a running bot, which may be of another version. A
// SQLite file must exist.
func OpenExisting(ctx context.Context, dsn string) (*DB, error) {
	if !IsPostgres(dsn) {
		if _, err := os.Stat(dsn); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	return connect(ctx, dsn)
}

func connect(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgres(dsn) {
		return connectPostgres(ctx, dsn)
	}
	return connectSQLite(ctx, dsn)
}

func connectSQLite(ctx context.Context, path string) (*DB, error) {
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
	return newDB(db, sqliteDialect), nil
}

func connectPostgres(ctx context.Context, dsn string) (*DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", redact(dsn), err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", redact(dsn), err)
	}
	// The server serves many writers at once; a few connections are
	// plenty for one bot and leave the server's own limit to others.
	db.SetMaxOpenConns(maxPostgresConnections)
	db.SetMaxIdleConns(maxPostgresConnections)
	return newDB(db, postgresDialect), nil
}

func newDB(pool *sql.DB, d dialect) *DB {
	return &DB{pool: pool, db: handle{run: pool, dialect: d}, dialect: d}
}

// redact drops the password from a PostgreSQL URL, for messages and logs.
func redact(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "the PostgreSQL URL"
	}
	return u.Redacted()
}

const (
	// maxConnections bounds the SQLite connections open at once.
	maxConnections = 4
	// maxPostgresConnections bounds the PostgreSQL connections.
	maxPostgresConnections = 8
)

func migrate(ctx context.Context, db *sql.DB, d dialect) error {
	var opts []goose.ProviderOption
	if d == postgresDialect {
		// Replicas started together on a new database would otherwise
		// each apply the first migration, and all but one fail; with the
		// lock the others wait, then find nothing left to apply.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	provider, err := migrationsOf(db, d, opts...)
	if err != nil {
		return err
	}
	_, err = provider.Up(ctx)
	return err
}

// migrationsOf gives the dialect's migrations, to apply to the database
// or to ask which it has.
func migrationsOf(db *sql.DB, d dialect, opts ...goose.ProviderOption) (*goose.Provider, error) {
	folder, gooseDialect := "migrations/sqlite", goose.DialectSQLite3
	if d == postgresDialect {
		folder, gooseDialect = "migrations/postgres", goose.DialectPostgres
	}
	files, err := fs.Sub(migrations, folder)
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(gooseDialect, db, files, opts...)
}

// checkpointTries bounds how often a checkpoint is tried: each try already
// waits up to the busy timeout for readers of older snapshots to finish.
const checkpointTries = 3

// checkpoint copies every page of the write-ahead log into the database
// file and truncates the log to nothing, so no older copy of a page is
// left in it.
func (s *DB) checkpoint(ctx context.Context) error {
	conn, err := s.pool.Conn(ctx)
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
	return s.pool.Close()
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
// SQLite's immediate transaction takes the write lock first, so writers
// run one after another. On PostgreSQL the transaction is SERIALIZABLE for
// the same guarantee, and one the server aborted for a concurrent writer
// (or a deadlock) runs again from the start, a few times. fn must
// therefore change nothing outside the transaction.
func (s *DB) inTx(ctx context.Context, fn func(handle) error) error {
	for try := 1; ; try++ {
		err := s.tryTx(ctx, fn)
		if err == nil || try == serializationTries || !isSerializationFailure(err) {
			return unsaved(err)
		}
		// A short, jittered wait, so the writers that collided do not
		// collide again in step.
		wait := time.Duration(try)*time.Millisecond + rand.N(5*time.Millisecond)
		select {
		case <-ctx.Done():
			return unsaved(errors.Join(err, ctx.Err()))
		case <-time.After(wait):
		}
	}
}

// serializationTries bounds how often a PostgreSQL transaction runs.
const serializationTries = 5

func (s *DB) tryTx(ctx context.Context, fn func(handle) error) error {
	var opts *sql.TxOptions
	if s.dialect == postgresDialect {
		opts = &sql.TxOptions{Isolation: sql.LevelSerializable}
	}
	tx, err := s.pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	if err := fn(handle{run: tx, dialect: s.dialect}); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
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

// isUnavailable reports the answers that mean "not now" rather than
// "never". SQLite's: busy or locked past the busy timeout, or no room left
// on disk. PostgreSQL's: the server cannot be reached or is shutting
// down, has no room or connections left, or kept aborting a transaction
// for concurrent writers.
func isUnavailable(err error) bool {
	if e, ok := errors.AsType[*sqlite.Error](err); ok {
		switch e.Code() & primaryCodeMask {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL:
			return true
		}
		return false
	}
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok {
		return true
	}
	if e, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch {
		case strings.HasPrefix(e.Code, "08"), // connection exception
			strings.HasPrefix(e.Code, "53"),                         // insufficient resources
			e.Code == "57P01", e.Code == "57P02", e.Code == "57P03", // shutting down, cannot connect now
			e.Code == serializationFailure, e.Code == deadlockDetected:
			return true
		}
	}
	return false
}

// PostgreSQL's codes for a transaction aborted so that concurrent ones
// stay serializable.
const (
	serializationFailure = "40001"
	deadlockDetected     = "40P01"
)

func isSerializationFailure(err error) bool {
	e, ok := errors.AsType[*pgconn.PgError](err)
	return ok && (e.Code == serializationFailure || e.Code == deadlockDetected)
}

// isUniqueViolation reports a broken unique constraint or index.
func isUniqueViolation(err error) bool {
	if e, ok := errors.AsType[*sqlite.Error](err); ok {
		return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
	}
	e, ok := errors.AsType[*pgconn.PgError](err)
	return ok && e.Code == "23505"
}

// updateOne runs an UPDATE by ID and fails unless it found its row, so a
// save of a row that is gone is not silently lost.
func updateOne(ctx context.Context, tx handle, query string, args ...any) error {
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
