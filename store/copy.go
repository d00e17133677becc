package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pressly/goose/v3"
)

// CopyReport counts the rows Copy copied, table by table, in the order it
// copied them.
type CopyReport struct {
	Tables []TableRows
}

// TableRows is how many rows of one table were copied.
type TableRows struct {
	Table string
	Rows  int64
}

// Total is the number of rows copied in all.
func (r CopyReport) Total() int64 {
	var total int64
	for _, t := range r.Tables {
		total += t.Rows
	}
	return total
}

// NotEmptyError is Copy's refusal of a target that already holds rows:
// merging two programmes would mix up their IDs.
type NotEmptyError struct{ Table string }

func (e NotEmptyError) Error() string {
	return fmt.Sprintf("the target database already holds rows (in table %s); copy into a new, empty database", e.Table)
}

// copyParameters bounds the placeholders of one INSERT, well inside
// both backends' limits (SQLite's 32,766, PostgreSQL's 65,535).
const copyParameters = 10_000

// copyBatchRows bounds the rows of one INSERT.
const copyBatchRows = 500

// Copy copies every row of every table of from into to, keeping IDs, so
// a programme can move between SQLite and PostgreSQL. Both must be at the
// same migration, and to must be empty. The rows are written in one
// transaction on to, so a failed copy leaves it empty; they are read from
// one snapshot of from. On PostgreSQL each identity column's sequence is
// moved past the highest ID copied, so new rows do not collide with them.
func Copy(ctx context.Context, from, to *DB) (CopyReport, error) {
	if err := sameMigration(ctx, from, to); err != nil {
		return CopyReport{}, err
	}
	source, err := readSchema(ctx, from.db)
	if err != nil {
		return CopyReport{}, fmt.Errorf("read the source's schema: %w", err)
	}
	target, err := readSchema(ctx, to.db)
	if err != nil {
		return CopyReport{}, fmt.Errorf("read the target's schema: %w", err)
	}
	if err := sameTables(source, target); err != nil {
		return CopyReport{}, err
	}
	order, err := copyOrder(target)
	if err != nil {
		return CopyReport{}, err
	}

	// A read-only transaction on SQLite is a deferred one: it holds no
	// write lock, and its first read fixes the snapshot.
	readOpts := &sql.TxOptions{ReadOnly: true}
	if from.dialect == postgresDialect {
		readOpts.Isolation = sql.LevelRepeatableRead
	}
	readTx, err := from.pool.BeginTx(ctx, readOpts)
	if err != nil {
		return CopyReport{}, fmt.Errorf("read the source: %w", err)
	}
	defer readTx.Rollback()
	writeTx, err := to.pool.BeginTx(ctx, nil)
	if err != nil {
		return CopyReport{}, fmt.Errorf("write the target: %w", err)
	}
	defer writeTx.Rollback()
	read := handle{run: readTx, dialect: from.dialect}
	write := handle{run: writeTx, dialect: to.dialect}

	// Checked in the writing transaction, so nothing is written between
	// the check and the copy.
	if err := firstHeld(ctx, write, order); err != nil {
		if _, ok := errors.AsType[NotEmptyError](err); ok {
			return CopyReport{}, err
		}
		return CopyReport{}, fmt.Errorf("read the target: %w", err)
	}
	var report CopyReport
	for _, name := range order {
		n, err := copyTable(ctx, read, write, target[name])
		if err != nil {
			return CopyReport{}, fmt.Errorf("copy table %s: %w", name, err)
		}
		report.Tables = append(report.Tables, TableRows{Table: name, Rows: n})
	}
	if to.dialect == postgresDialect {
		if err := moveSequences(ctx, write, target, order); err != nil {
			return CopyReport{}, err
		}
	}
	if err := writeTx.Commit(); err != nil {
		return CopyReport{}, fmt.Errorf("write the target: %w", err)
	}
	return report, nil
}

// sameMigration refuses two databases at different migrations: their
// tables or columns would not match.
func sameMigration(ctx context.Context, from, to *DB) error {
	fromVersion, err := from.migrationVersion(ctx)
	if err != nil {
		return fmt.Errorf("read the source's migration: %w", err)
	}
	toVersion, err := to.migrationVersion(ctx)
	if err != nil {
		return fmt.Errorf("read the target's migration: %w", err)
	}
	switch {
	case fromVersion < toVersion:
		return fmt.Errorf("the source database is at migration %d, older than the target's %d: start this mentorbot on the source once to bring it up to date, then copy", fromVersion, toVersion)
	case fromVersion > toVersion:
		return fmt.Errorf("the source database is at migration %d, newer than the target's %d: copy with the mentorbot version that wrote the source", fromVersion, toVersion)
	}
	return nil
}

// migrationVersion is the latest migration applied to the database.
func (s *DB) migrationVersion(ctx context.Context) (int64, error) {
	provider, err := migrationsOf(s.pool, s.dialect)
	if err != nil {
		return 0, err
	}
	return provider.GetDBVersion(ctx)
}

// schemaTable is one table as the database describes it.
type schemaTable struct {
	name    string
	columns []schemaColumn
	// parents are the other tables its foreign keys refer to.
	parents []string
}

type schemaColumn struct {
	name string
	// kind is the declared type, in lower case: "integer", "boolean"...
	kind string
	// identity is a PostgreSQL column whose values a sequence draws.
	identity bool
}

// readSchema lists the database's tables, but not the migrations' own
// record, with their columns and the tables they refer to.
func readSchema(ctx context.Context, h handle) (map[string]*schemaTable, error) {
	columns := `SELECT m.name, c.name, lower(c.type), 0 FROM sqlite_schema m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name <> ?
		ORDER BY m.name, c.cid`
	references := `SELECT m.name, f."table" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND m.name <> ?`
	if h.dialect == postgresDialect {
		// A serial column's default draws from its sequence too.
		columns = `SELECT c.table_name, c.column_name, c.data_type,
				c.is_identity = 'YES' OR COALESCE(c.column_default, '') LIKE 'nextval(%'
			FROM information_schema.columns c
			JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> ?
			ORDER BY c.table_name, c.ordinal_position`
		references = `SELECT child.relname, parent.relname FROM pg_constraint k
			JOIN pg_class child ON child.oid = k.conrelid
			JOIN pg_class parent ON parent.oid = k.confrelid
			WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace AND child.relname <> ?`
	}
	tables := map[string]*schemaTable{}
	err := eachRow(ctx, h, func(rows *sql.Rows) error {
		var table string
		var c schemaColumn
		if err := rows.Scan(&table, &c.name, &c.kind, &c.identity); err != nil {
			return err
		}
		if tables[table] == nil {
			tables[table] = &schemaTable{name: table}
		}
		tables[table].columns = append(tables[table].columns, c)
		return nil
	}, columns, goose.DefaultTablename)
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, h, func(rows *sql.Rows) error {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			return err
		}
		if t := tables[child]; t != nil && !slices.Contains(t.parents, parent) {
			t.parents = append(t.parents, parent)
		}
		return nil
	}, references, goose.DefaultTablename)
	return tables, err
}

func eachRow(ctx context.Context, h handle, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := h.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sameTables refuses schemas that differ in their tables or their tables'
// columns, which databases at one migration should not.
func sameTables(source, target map[string]*schemaTable) error {
	names := slices.Sorted(maps.Keys(source))
	for name := range target {
		if source[name] == nil {
			names = append(names, name)
		}
	}
	for _, name := range names {
		s, t := source[name], target[name]
		switch {
		case t == nil:
			return fmt.Errorf("the source has a table %s that the target lacks", name)
		case s == nil:
			return fmt.Errorf("the target has a table %s that the source lacks", name)
		case !slices.Equal(columnNames(s), columnNames(t)):
			return fmt.Errorf("table %s has columns %s in the source but %s in the target",
				name, strings.Join(columnNames(s), ", "), strings.Join(columnNames(t), ", "))
		}
	}
	return nil
}

func columnNames(t *schemaTable) []string {
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = c.name
	}
	slices.Sort(names)
	return names
}

// copyOrder puts every table after the tables it refers to, so each row's
// references are already copied when it is written; otherwise by name.
// A table that refers to itself, or tables that refer to each other in a
// ring, have no such order, and are refused by name.
func copyOrder(tables map[string]*schemaTable) ([]string, error) {
	waiting := map[string]int{} // how many of a table's parents are still to be copied
	children := map[string][]string{}
	for _, t := range tables {
		for _, parent := range t.parents {
			if tables[parent] == nil {
				return nil, fmt.Errorf("table %s refers to %s, which is not in the schema", t.name, parent)
			}
			waiting[t.name]++
			children[parent] = append(children[parent], t.name)
		}
	}
	var ready, order []string
	for name := range tables {
		if waiting[name] == 0 {
			ready = append(ready, name)
		}
	}
	for len(ready) > 0 {
		slices.Sort(ready)
		next := ready[0]
		ready = ready[1:]
		order = append(order, next)
		for _, child := range children[next] {
			if waiting[child]--; waiting[child] == 0 {
				ready = append(ready, child)
			}
		}
	}
	if len(order) < len(tables) {
		var stuck []string
		for name := range tables {
			if waiting[name] > 0 {
				stuck = append(stuck, name)
			}
		}
		slices.Sort(stuck)
		return nil, fmt.Errorf("tables %s refer to themselves or each other in a ring, so they have no order to copy in", strings.Join(stuck, ", "))
	}
	return order, nil
}

// copyTable copies one table's rows in batches and returns how many.
func copyTable(ctx context.Context, read, write handle, t *schemaTable) (int64, error) {
	quoted := make([]string, len(t.columns))
	for i, c := range t.columns {
		quoted[i] = `"` + c.name + `"`
	}
	list := strings.Join(quoted, ", ")
	rows, err := read.QueryContext(ctx, `SELECT `+list+` FROM "`+t.name+`"`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()

	perBatch := max(1, min(copyBatchRows, copyParameters/len(t.columns)))
	insert := func(n int) string {
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.columns)), ", ") + ")"
		return `INSERT INTO "` + t.name + `" (` + list + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	}
	var full *sql.Stmt // the statement of a full batch, prepared once
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	batch := make([]any, 0, perBatch*len(t.columns))
	flush := func() error {
		n := len(batch) / len(t.columns)
		var err error
		if n == perBatch {
			if full == nil {
				if full, err = write.PrepareContext(ctx, insert(n)); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, batch...)
		} else {
			_, err = write.ExecContext(ctx, insert(n), batch...)
		}
		batch = batch[:0]
		return err
	}

	var copied int64
	values := make([]any, len(t.columns))
	pointers := make([]any, len(t.columns))
	for i := range values {
		pointers[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(pointers...); err != nil {
			return copied, err
		}
		for i, c := range t.columns {
			batch = append(batch, convertFor(write.dialect, c.kind, values[i]))
		}
		copied++
		if len(batch) == perBatch*len(t.columns) {
			if err := flush(); err != nil {
				return copied, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return copied, err
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return copied, err
		}
	}
	return copied, nil
}

// convertFor turns a value read from one backend into what the other's
// column takes. The two differ only in truth values: SQLite keeps them as
// the integers 0 and 1, PostgreSQL as booleans.
func convertFor(to dialect, kind string, v any) any {
	switch v := v.(type) {
	case int64:
		if to == postgresDialect && kind == "boolean" {
			return v != 0
		}
	case bool:
		if to == sqliteDialect {
			if v {
				return int64(1)
			}
			return int64(0)
		}
	}
	return v
}

// moveSequences sets each identity column's sequence to draw one past the
// highest value copied: rows written with their IDs given do not move it.
func moveSequences(ctx context.Context, write handle, tables map[string]*schemaTable, order []string) error {
	for _, name := range order {
		for _, c := range tables[name].columns {
			if !c.identity {
				continue
			}
			_, err := write.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX("`+c.name+`"), 0) + 1, false) FROM "`+name+`"`,
				`"`+name+`"`, c.name)
			if err != nil {
				return fmt.Errorf("move the sequence of %s.%s past the copied rows: %w", name, c.name, err)
			}
		}
	}
	return nil
}
