package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/mentorbot/mentorbot/store"
)

// backupCommand copies the live database to a new file; the bot may go on
// running meanwhile.
func backupCommand(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return usageError{errors.New("backup: give the one file to write the copy to, like mentorbot backup mentorbot-backup.db")}
	}
	cfg, err := loadConfig()
	if err != nil {
		return usageError{err}
	}
	// A server's database is the server's to copy, consistently and with
	// its roles and settings.
	if store.IsPostgres(cfg.DB) {
		return errors.New("backup: MENTORBOT_DB is a PostgreSQL database; back it up with pg_dump, not mentorbot backup")
	}
	db, err := store.OpenExisting(ctx, cfg.DB)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("MENTORBOT_DB: %s does not exist, so there is nothing to back up", cfg.DB)
	}
	if err != nil {
		return fmt.Errorf("MENTORBOT_DB: %w", err)
	}
	defer db.Close()
	if err := db.Backup(ctx, args[0]); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "backed up %s to %s\n", cfg.DB, args[0])
	return err
}
