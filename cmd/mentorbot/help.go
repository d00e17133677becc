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
  mentorbot load    send reminders due at once through a rate-limited fake Slack and count
                    what arrives (-reminders, -rate, -kill-after to SIGKILL the bot mid-way,
                    -graceful to stop it with SIGTERM instead)
  mentorbot backup FILE
                    copy the database (MENTORBOT_DB) to the new file FILE; safe while
                    the bot runs, and needs no tokens
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
