package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// Heartbeat records a write at the given time, as proof for the health
// check that the database takes writes.
func (s *DB) Heartbeat(ctx context.Context, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO heartbeat (id, beat_at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at`, formatTime(at))
	if err != nil {
		return fmt.Errorf("write heartbeat: %w", err)
	}
	return nil
}

// PendingOutbox counts the outbox messages not yet sent, dropped or given up on.
func (s *DB) PendingOutbox(ctx context.Context) (int, error) {
	var n int
	// The literal state lets the database count from the partial index outbox_due.
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE state = 'pending'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count pending outbox: %w", err)
	}
	return n, nil
}

// ErrBackupExists is returned by Backup rather than overwrite a file.
var ErrBackupExists = errors.New("the backup file already exists; give a new file name")

// ErrBackupPostgres is returned by Backup of a PostgreSQL database.
var ErrBackupPostgres = errors.New("the database is on a PostgreSQL server; back it up with pg_dump")

// Backup writes a consistent copy of a SQLite database to a new file at
// path, while others go on reading and writing it. The copy is readable by
// its owner only: it holds people's private answers. A PostgreSQL database
// is the server's to copy (pg_dump), so Backup refuses it.
func (s *DB) Backup(ctx context.Context, path string) error {
	if s.dialect == postgresDialect {
		return ErrBackupPostgres
	}
	// Creating the file first refuses an existing one, and sets its mode;
	// VACUUM INTO accepts an empty file.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("back up to %s: %w", path, ErrBackupExists)
	}
	if err != nil {
		return fmt.Errorf("back up: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("back up: %w", err)
	}
	// VACUUM INTO reads one snapshot, so writes during the copy are either
	// wholly in it or not at all.
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return errors.Join(fmt.Errorf("back up to %s: %w", path, err), os.Remove(path))
	}
	return nil
}
