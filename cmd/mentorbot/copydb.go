package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mentorbot/mentorbot/store"
)

const copyDBUsage = "copy-db: give the database to copy and the empty one to copy it into, as MENTORBOT_DB names them, like mentorbot copy-db mentorbot.db postgres://mentorbot@db.example.com/mentorbot"

// copyDBCommand copies the whole programme from one database into a new,
// empty one, to move it between SQLite and PostgreSQL. The bot should be
// stopped, so that nothing it writes meanwhile is left behind.
func copyDBCommand(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 2 || strings.HasPrefix(args[0], "-") || strings.HasPrefix(args[1], "-") {
		return usageError{errors.New(copyDBUsage)}
	}
	fromDSN, toDSN := args[0], args[1]
	if sameDatabase(fromDSN, toDSN) {
		return usageError{errors.New("copy-db: FROM and TO are the same database; copy into a new, empty one")}
	}
	from, err := store.OpenExisting(ctx, fromDSN)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("copy-db: %s does not exist, so there is nothing to copy", fromDSN)
	}
	if err != nil {
		return fmt.Errorf("copy-db: FROM: %s", oneLine(err))
	}
	defer from.Close()
	// Open brings the target's schema to this version's, which Copy then
	// asks of the source too.
	to, err := store.Open(ctx, toDSN)
	if err != nil {
		return fmt.Errorf("copy-db: TO: %s", oneLine(err))
	}
	defer to.Close()
	report, err := store.Copy(ctx, from, to)
	if err != nil {
		return fmt.Errorf("copy-db: nothing was copied: %s", oneLine(err))
	}
	// Names to the left, counts to the right, the total under them.
	nameWidth := len("total")
	for _, t := range report.Tables {
		nameWidth = max(nameWidth, len(t.Table))
	}
	countWidth := len(strconv.FormatInt(report.Total(), 10))
	var out strings.Builder
	for _, t := range report.Tables {
		fmt.Fprintf(&out, "%-*s  %*d\n", nameWidth, t.Table, countWidth, t.Rows)
	}
	fmt.Fprintf(&out, "%-*s  %*d rows copied; point MENTORBOT_DB at the new database and start the bot\n", nameWidth, "total", countWidth, report.Total())
	_, err = io.WriteString(stdout, out.String())
	return err
}

// sameDatabase reports whether two data sources name one database: the
// same server and database name, or the same file however it is spelled.
func sameDatabase(a, b string) bool {
	if store.IsPostgres(a) != store.IsPostgres(b) {
		return false
	}
	if store.IsPostgres(a) {
		ua, errA := url.Parse(a)
		ub, errB := url.Parse(b)
		if errA != nil || errB != nil {
			return a == b
		}
		return strings.EqualFold(ua.Host, ub.Host) && strings.TrimPrefix(ua.Path, "/") == strings.TrimPrefix(ub.Path, "/")
	}
	if infoA, err := os.Stat(a); err == nil {
		if infoB, err := os.Stat(b); err == nil {
			return os.SameFile(infoA, infoB)
		}
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}

// oneLine folds a message over several lines, as pgx gives one line to
// each address it tried, into the one line the command prints.
func oneLine(err error) string {
	var b strings.Builder
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case b.Len() == 0:
		case strings.HasSuffix(b.String(), ":"):
			b.WriteString(" ")
		default:
			b.WriteString("; ")
		}
		b.WriteString(line)
	}
	return b.String()
}
