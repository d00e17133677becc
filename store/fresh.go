package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// CreatePostgres creates the database the postgres:// URL names, on the
// server the URL names, unless it exists already, and reports whether it
// did: for a run that wants a database of its own, as `mentorbot load`
// does. It connects to the server's maintenance database, postgres, so
// the URL's role must be allowed to create databases.
func CreatePostgres(ctx context.Context, dsn string) (created bool, err error) {
	name, err := databaseName(dsn)
	if err != nil {
		return false, err
	}
	err = onMaintenance(ctx, dsn, func(admin *sql.DB) error {
		var exists bool
		if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return nil
		}
		if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
			return err
		}
		created = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("create database %s: %w", redact(dsn), err)
	}
	return created, nil
}

// DropPostgres drops the database the postgres:// URL names, ending any
// connection still open to it.
func DropPostgres(ctx context.Context, dsn string) error {
	name, err := databaseName(dsn)
	if err != nil {
		return err
	}
	err = onMaintenance(ctx, dsn, func(admin *sql.DB) error {
		_, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("drop database %s: %w", redact(dsn), err)
	}
	return nil
}

// databaseName is the database a postgres:// URL names, refusing the
// server's own: a run that creates and drops its database must not drop
// that one.
func databaseName(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || !IsPostgres(dsn) {
		return "", fmt.Errorf("%s is not a postgres:// URL", redact(dsn))
	}
	name := strings.TrimPrefix(u.Path, "/")
	switch name {
	case "":
		return "", fmt.Errorf("%s names no database; add it after the server, like postgres://host/mentorbot_load", redact(dsn))
	case maintenanceDatabase, "template0", "template1":
		return "", fmt.Errorf("%s names the server's own database %s; name a database of your own", redact(dsn), name)
	}
	return name, nil
}

// maintenanceDatabase is the database every PostgreSQL server has, to
// connect to when the one wanted does not exist yet.
const maintenanceDatabase = "postgres"

func onMaintenance(ctx context.Context, dsn string, do func(*sql.DB) error) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return err
	}
	u.Path = "/" + maintenanceDatabase
	admin, err := sql.Open("pgx", u.String())
	if err != nil {
		return err
	}
	defer admin.Close()
	return do(admin)
}

// CheckEmpty refuses a database that holds rows in any table, the
// migrations' own record aside: NotEmptyError names the first one. A
// database with no tables at all is empty.
func (s *DB) CheckEmpty(ctx context.Context) error {
	tables, err := readSchema(ctx, s.db)
	if err != nil {
		return fmt.Errorf("read the schema: %w", err)
	}
	return firstHeld(ctx, s.db, slices.Sorted(maps.Keys(tables)))
}

// firstHeld returns NotEmptyError for the first of the tables that holds
// a row, or nil when none does.
func firstHeld(ctx context.Context, h handle, tables []string) error {
	for _, name := range tables {
		var one int
		err := h.QueryRowContext(ctx, `SELECT 1 FROM "`+name+`" LIMIT 1`).Scan(&one)
		if err == nil {
			return NotEmptyError{Table: name}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read table %s: %w", name, err)
		}
	}
	return nil
}
