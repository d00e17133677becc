package mentorbot

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Quality is something a role brings to a pair: a good reverse mentor's
// HR checks before approving one, since being young is not the same as
// being able to teach; a good mentee's the onboarding asks for.
type Quality struct {
	ID    string
	Name  string // what the onboarding and the surveys call it
	Label string // how HR sees it in an applicant
}

// ScreeningChecks lists the qualities HR looks for in a mentor: the
// mentor's qualities, so what HR screens for is what the surveys ask about.
var ScreeningChecks = MentorQualities

// Names of the screening form's fields.
const (
	FieldDecision      = "decision"
	FieldChecks        = "checks"
	FieldScreeningNote = "screening_note"
)

// MaxScreeningNoteChars keeps HR's note to an applicant short and kind.
const MaxScreeningNoteChars = 500

// Screening is what HR recorded when deciding on a mentor's application.
type Screening struct {
	Checks []string // the qualities HR confirmed, from ScreeningChecks
	Note   string   // written to the applicant; may be empty
}

// ScreeningForm is HR's decision on an application as they filled it in.
type ScreeningForm struct {
	Decision string // "approve" or "decline"
	Checks   []string
	Note     string
}

// Decision is HR's checked decision on an application.
type Decision struct {
	Approve bool
	Screening
}

// Parse checks the form.
func (f ScreeningForm) Parse() (Decision, error) {
	var d Decision
	errs := FieldErrors{}
	switch strings.TrimSpace(f.Decision) {
	case "approve":
		d.Approve = true
	case "decline":
	default:
		errs.Add(FieldDecision, "Choose whether to approve or decline this application.")
	}
	for _, id := range f.Checks {
		known := false
		for _, q := range ScreeningChecks {
			known = known || q.ID == id
		}
		if !known {
			errs.Add(FieldChecks, "Tick only the qualities in the list.")
		}
	}
	if d.Approve && len(f.Checks) == 0 {
		errs.Add(FieldChecks, "Tick the qualities you've seen in this applicant; approve once you've confirmed at least one.")
	}
	d.Checks = f.Checks
	d.Note = strings.TrimSpace(f.Note)
	if n := utf8.RuneCountInString(d.Note); n > MaxScreeningNoteChars {
		errs.Add(FieldScreeningNote, fmt.Sprintf("Keep the note under %d characters (this one has %d).", MaxScreeningNoteChars, n))
	}
	return d, errs.Err()
}

// ScreeningQueue lists the mentors waiting for screening, longest waiting
// first.
func (pr *Programme) ScreeningQueue(ctx context.Context, actor string) ([]Participant, error) {
	if err := pr.RequireAdmin(actor, "screen mentors"); err != nil {
		return nil, err
	}
	applicants, err := pr.Store.ParticipantsIn(ctx, StateApplied)
	if err != nil {
		return nil, fmt.Errorf("load applicants: %w", err)
	}
	return applicants, nil
}

// Applicant returns a mentor's application for an admin to screen.
func (pr *Programme) Applicant(ctx context.Context, actor, id string) (Participant, error) {
	if err := pr.RequireAdmin(actor, "screen mentors"); err != nil {
		return Participant{}, err
	}
	p, err := pr.Store.Participant(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return p, Errorf(ENOTFOUND, "That application no longer exists: the person may have left the programme.")
	}
	if err != nil {
		return p, fmt.Errorf("load applicant: %w", err)
	}
	if p.State != StateApplied {
		return p, Errorf(ECONFLICT, "This application has already been screened: they are %s now.", p.State)
	}
	return p, nil
}

// Screen records an admin's decision on a mentor's application; the
// applicant is told, with the admin's note.
func (pr *Programme) Screen(ctx context.Context, actor, id string, d Decision) error {
	p, err := pr.Applicant(ctx, actor, id)
	if err != nil {
		return err
	}
	cycle, err := pr.openCycle(ctx)
	if err != nil {
		return err
	}
	to, kind := StateDeclined, OutboxDeclined
	if d.Approve {
		to, kind = StateApproved, OutboxApproved
	}
	t := pr.move(&p, to, actor, cycle)
	screening := d.Screening
	t.Screening = &screening
	p.ScreenedInCycle = cycleID(cycle)
	told := noticeItem(kind, id, 0, pr.now())
	told.Note = d.Note
	if err := pr.apply(ctx, Change{Moves: []Transition{t}, Participants: []Participant{p}, Outbox: []OutboxItem{told}}); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return Errorf(ECONFLICT, "Someone else screened this application a moment ago.")
		}
		return fmt.Errorf("save screening: %w", err)
	}
	return nil
}
