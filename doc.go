// Package mentorbot is the domain of a reverse-mentoring programme run inside
// Slack: participants, their roles, topics and availability, and the rules
// that keep the programme honest. It imports the standard library only; the
// Slack edge lives in bot/, the SQL in store/, everything timed in scheduler/.
//
// Files are named for the aggregate they belong to. The file named for an
// aggregate alone says what it is: its values and the rules on them
// (cycle.go). A suffix names what else a file holds: an activity, which is
// what the Programme does with the aggregate (cycle_setup.go, cycle_close.go),
// or a part of it (participant_availability.go).
//
//   - participant: who takes part, their profile and availability; joining,
//     screening, training, pausing, leaving and erasure
//   - pair: a mentor and a mentee; consent to a match, finding a mentor, the
//     don't-pair list
//   - round: matching, HR's draft of pairs and its publishing
//   - cycle: a programme cycle's dates and rules; setting one up, its topics,
//     closing it
//   - slot and session: a pair's regular time, agreeing it, and the sessions
//     planned from it
//   - goal: what each person means to teach or learn in a cycle
//   - feedback: pulses, surveys, risk flags and the HR summary drawn from them
//   - teachin: one-off group sessions a mentor hosts; offering, moving and
//     cancelling one, signing up and the waiting list, its pulse
//   - outbox: every message a person is owed, and its delivery
//   - programme: the service itself, where people stand, the onboarding
//     texts and the export
//
// Beside them: error.go (coded errors), time.go (the clock and time zones)
// and store.go with store_requests.go (the interfaces the store implements).
package mentorbot
