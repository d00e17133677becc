package mentorbot

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// PulseQuestion is one of the one-click questions asked after a session.
type PulseQuestion string

const (
	PulseUseful  PulseQuestion = "useful"  // how useful the session was
	PulseComfort PulseQuestion = "comfort" // how comfortable the person felt to speak openly
)

// PulseQuestions lists the questions in the order the message asks them.
var PulseQuestions = []PulseQuestion{PulseUseful, PulseComfort}

// Text is the question as its reader sees it.
func (q PulseQuestion) Text() string {
	if q == PulseComfort {
		return "How comfortable did you feel speaking openly?"
	}
	return "How useful was the session for you?"
}

// PulseScores are the answers to a question, 1 (not at all) to 5 (very).
var PulseScores = []int{1, 2, 3, 4, 5}

// Pulse limits and timing: a short note, and one follow-up two days on for
// a pulse nobody answered, never more.
const (
	MaxPulseNoteChars  = 500
	PulseFollowUpDelay = 48 * time.Hour
	FieldPulseNote     = "pulse_note"
)

// Pulse is one person's private answers about one session. Their partner
// never sees it; HR sees only figures drawn from MinAnswers answers or more.
type Pulse struct {
	PairID        int64
	Occurrence    time.Time
	ParticipantID string
	Role          Role
	CycleID       int64
	// Useful and Comfort are 1–5, or 0 while unanswered.
	Useful, Comfort int
	// Note is a private note to self, shown back to its writer at the
	// goal review and to nobody else.
	Note       string
	AnsweredAt time.Time
}

// Score returns the answer to a question, 0 when unanswered.
func (p Pulse) Score(q PulseQuestion) int {
	if q == PulseComfort {
		return p.Comfort
	}
	return p.Useful
}

// Answered reports whether any question has an answer.
func (p Pulse) Answered() bool { return p.Useful > 0 || p.Comfort > 0 }

// PulseView is a person's pulse about a session, with the session and pair.
type PulseView struct {
	Pair    Pair
	Session Session
	Pulse   Pulse
}

// pulseItems owes both people a pulse now that one of them said the
// session happened, and one follow-up each in case it goes unanswered.
func pulseItems(s Session, p Pair, now time.Time) []OutboxItem {
	var items []OutboxItem
	for _, who := range []string{p.MenteeID, p.MentorID} {
		items = append(items,
			sessionItem(OutboxPulse, who, s, 0, now),
			sessionItem(OutboxPulseFollowUp, who, s, 0, now.Add(PulseFollowUpDelay)))
	}
	return items
}

// pulseFor loads what the person has answered about a session that
// happened, or a new pulse to fill in; it refuses a session that is not
// theirs, has not happened, or they said did not.
func (pr *Programme) pulseFor(ctx context.Context, id string, pairID int64, occurrence time.Time) (PulseView, error) {
	v, err := pr.Session(ctx, id, pairID, occurrence)
	if err != nil {
		return PulseView{}, err
	}
	p, s := v.Pair, v.Session
	switch {
	case s.State == SessionSkipped:
		return PulseView{}, Errorf(ECONFLICT, "That session was called off, so there's nothing to rate.")
	case s.StartsAt.After(pr.now()):
		return PulseView{}, Errorf(ECONFLICT, "That session hasn't happened yet. You'll be asked after it.")
	case s.HeldOf(id, p) == HeldNo:
		return PulseView{}, Errorf(ECONFLICT, "You said that session didn't happen, so there's nothing to rate. If it did, answer \"Yes\" on the did-it-happen message first.")
	}
	pulse, err := pr.Store.Pulse(ctx, pairID, occurrence, id)
	if ErrorCode(err) == ENOTFOUND {
		role := RoleMentee
		if id == p.MentorID {
			role = RoleMentor
		}
		pulse, err = Pulse{PairID: pairID, Occurrence: occurrence, ParticipantID: id, Role: role, CycleID: p.CycleID}, nil
	}
	return PulseView{Pair: p, Session: s, Pulse: pulse}, err
}

// AnswerPulse records one answer of the person's pulse about a session.
// Answers may change; each click saves only its own question, so two
// quick clicks never undo each other.
func (pr *Programme) AnswerPulse(ctx context.Context, id string, pairID int64, occurrence time.Time, q PulseQuestion, score int) (PulseView, error) {
	if !slices.Contains(PulseQuestions, q) || !slices.Contains(PulseScores, score) {
		return PulseView{}, Errorf(EINVALID, "That answer isn't one of the choices.")
	}
	v, err := pr.pulseFor(ctx, id, pairID, occurrence)
	if err != nil {
		return v, err
	}
	answer := PulseAnswer{Pulse: v.Pulse, Question: q}
	answer.Pulse.AnsweredAt = pr.now()
	if q == PulseComfort {
		answer.Pulse.Comfort = score
	} else {
		answer.Pulse.Useful = score
	}
	if err := pr.apply(ctx, Change{PulseAnswers: []PulseAnswer{answer}}); err != nil {
		return v, fmt.Errorf("save pulse: %w", err)
	}
	return pr.pulseFor(ctx, id, pairID, occurrence)
}

// PulseDraft returns the person's pulse about a session, to edit its note.
func (pr *Programme) PulseDraft(ctx context.Context, id string, pairID int64, occurrence time.Time) (PulseView, error) {
	return pr.pulseFor(ctx, id, pairID, occurrence)
}

// SavePulseNote keeps the person's private note about a session.
func (pr *Programme) SavePulseNote(ctx context.Context, id string, pairID int64, occurrence time.Time, note string) (PulseView, error) {
	note, err := optionalNote(FieldPulseNote, note, MaxPulseNoteChars)
	if err != nil {
		return PulseView{}, err
	}
	v, err := pr.pulseFor(ctx, id, pairID, occurrence)
	if err != nil {
		return v, err
	}
	answer := PulseAnswer{Pulse: v.Pulse, NoteOnly: true}
	answer.Pulse.Note = note
	if err := pr.apply(ctx, Change{PulseAnswers: []PulseAnswer{answer}}); err != nil {
		return v, fmt.Errorf("save note: %w", err)
	}
	v.Pulse.Note = note
	return v, nil
}

// PulseAnswer is one save of a pulse: the score of Question, or with
// NoteOnly the note alone, leaving the other answers as they are.
type PulseAnswer struct {
	Pulse    Pulse
	Question PulseQuestion
	NoteOnly bool
}
