package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// dialect is the SQL a backend speaks. Queries are written once, in the
// words both accept, with ? placeholders; the few places where the two
// really differ ask the dialect for their fragment.
type dialect int

const (
	sqliteDialect dialect = iota
	postgresDialect
)

// IsPostgres reports whether a data source (MENTORBOT_DB) names a
// PostgreSQL server, by URL, rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// rebind turns SQLite's placeholders into PostgreSQL's: ? becomes $n,
// numbered one past the highest so far as SQLite numbers it, and ?N
// becomes $N. Quoted text is left as it is.
func (d dialect) rebind(query string) string {
	if d != postgresDialect || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	highest := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch c {
		case '\'', '"':
			end := strings.IndexByte(query[i+1:], c)
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+2])
			i += end + 1
		case '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			n := highest + 1
			if j > i+1 {
				n, _ = strconv.Atoi(query[i+1 : j])
			}
			highest = max(highest, n)
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// bytesContain is the condition that the blob column holds needle, one
// placeholder.
func (d dialect) bytesContain(column string) string {
	if d == postgresDialect {
		return `position(? IN ` + column + `) > 0`
	}
	return `instr(` + column + `, ?) > 0`
}

// hasPrefix is the condition that the text column starts with a literal
// prefix, in a form the backend can answer from an index.
func (d dialect) hasPrefix(column, prefix string) string {
	if d == postgresDialect {
		return `starts_with(` + column + `, '` + prefix + `')`
	}
	// GLOB, unlike LIKE, is case-sensitive and so can use the index.
	return column + ` GLOB '` + prefix + `*'`
}

// liveReplica is the condition that the replica named in the column holds
// its presence lock, so runs. On SQLite every name reads as live: the
// process gone ends its claims and leases when the next one starts, and
// their age says the rest.
func (d dialect) liveReplica(column string) string {
	if d == postgresDialect {
		return `CAST(hashtext(` + column + `) AS oid) IN (SELECT objid FROM pg_locks
			WHERE locktype = 'advisory' AND granted AND objsubid = 2
				AND classid = CAST(CAST(` + strconv.Itoa(int(presenceSpace)) + ` AS integer) AS oid)
				AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))`
	}
	return `1`
}

// runner is what *sql.DB and *sql.Tx have in common.
type runner interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// handle is a database or a transaction that speaks its dialect: every
// query the store runs goes through one, so every query is rebound.
type handle struct {
	run     runner
	dialect dialect
}

func (h handle) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return h.run.ExecContext(ctx, h.dialect.rebind(query), args...)
}

func (h handle) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return h.run.QueryContext(ctx, h.dialect.rebind(query), args...)
}

func (h handle) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return h.run.QueryRowContext(ctx, h.dialect.rebind(query), args...)
}

func (h handle) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return h.run.PrepareContext(ctx, h.dialect.rebind(query))
}
