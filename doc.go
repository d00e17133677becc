// Package mentorbot is the domain of a reverse-mentoring programme run inside
// Slack: participants, their roles, topics and availability, and the rules
// that keep the programme honest. It imports the standard library only; the
// Slack edge lives in bot/, the SQL in store/, everything timed in scheduler/.
package mentorbot
