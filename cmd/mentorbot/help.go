package main

import (
	"fmt"
	"io"
)

func printHelp(w io.Writer) error {
	fmt.Fprint(w, `mentorbot runs a reverse-mentoring programme inside Slack.

Usage:
  mentorbot run     connect to Slack over Socket Mode and serve (needs the tokens below)
  mentorbot demo    play a whole cycle with simulated people against a built-in fake Slack on a
                    simulated clock; no workspace, no tokens (-people, -seed, -out, -only, -v)
  mentorbot load    measure the bot as its own process against a fake Slack: reminders due
                    at once (-reminders, -rate, -kill-after to SIGKILL it mid-way, -graceful
                    to SIGTERM it), ack latency (-people, -commands), memory
                    (-participants) or start to ready (-startup); load -h lists every setting
  mentorbot backup FILE
                    copy the SQLite database (MENTORBOT_DB) to the new file FILE; safe
                    while the bot runs, and needs no tokens (PostgreSQL: use pg_dump)
  mentorbot copy-db FROM TO
                    copy the whole programme from the database FROM into the new, empty
                    database TO, each a SQLite file or a postgres:// URL as MENTORBOT_DB
                    takes them, to move from SQLite to PostgreSQL or back; stop the bot first
  mentorbot help    show this help

Configuration (environment variables):
`)
	if err := printVariables(w); err != nil {
		return err
	}
	_, err := fmt.Fprint(w, `
Create the Slack app from manifest.yml, then see README.md for the set-up.
`)
	return err
}
