package mentorbot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Goal is what a participant wants to teach or learn in a cycle, and how
// they will know it happened. Goals are the agenda of a pair's sessions and
// what the cycle reviews at its end.
type Goal struct {
	Aim    string
	Signal string // how the person will know the aim was reached
}

// GoalSet is a participant's goals for one cycle.
type GoalSet struct {
	ParticipantID string
	CycleID       int64
	Goals         []Goal
	UpdatedAt     time.Time
}

// Limits on goals: a few short ones are what a pair can act on.
const (
	MaxGoals          = 3
	MinGoalChars      = 10
	MaxGoalChars      = 150
	MinGoalSignalChar = 5
)

// FieldGoalAim and FieldGoalSignal name the i-th goal's two fields.
func FieldGoalAim(i int) string    { return fmt.Sprintf("goal_%d", i) }
func FieldGoalSignal(i int) string { return fmt.Sprintf("goal_%d_signal", i) }

// GoalForm is the goals form as a person filled it in: up to MaxGoals aims
// and signals, empty ones left out.
type GoalForm struct {
	Aims    []string
	Signals []string
}

// Parse checks the form and returns the goals in it.
func (f GoalForm) Parse(role Role) ([]Goal, error) {
	errs := FieldErrors{}
	var goals []Goal
	for i := range MaxGoals {
		aim, signal := collapseSpaces(at(f.Aims, i)), collapseSpaces(at(f.Signals, i))
		if aim == "" && signal == "" {
			continue
		}
		switch n := utf8.RuneCountInString(aim); {
		case n == 0:
			errs.Add(FieldGoalAim(i), "Write the goal this is the signal for, or clear the signal.")
		case n < MinGoalChars:
			errs.Add(FieldGoalAim(i), "Say a bit more: "+goalExample(role)+".")
		case n > MaxGoalChars:
			errs.Add(FieldGoalAim(i), fmt.Sprintf("Keep a goal under %d characters (this one has %d).", MaxGoalChars, n))
		}
		switch n := utf8.RuneCountInString(signal); {
		case n < MinGoalSignalChar:
			errs.Add(FieldGoalSignal(i), "Say how you'll know it happened, like \"I run my own team dashboard without help\".")
		case n > MaxGoalChars:
			errs.Add(FieldGoalSignal(i), fmt.Sprintf("Keep it under %d characters (this one has %d).", MaxGoalChars, n))
		}
		goals = append(goals, Goal{Aim: aim, Signal: signal})
	}
	if len(goals) == 0 {
		errs.Add(FieldGoalAim(0), "Write at least one goal: "+goalExample(role)+".")
	}
	return goals, errs.Err()
}

func goalExample(role Role) string {
	if role == RoleMentor {
		return "what you want to teach, like \"Show my mentee how our customers use TikTok\""
	}
	return "what you want to learn, like \"Use an AI assistant to draft my board updates\""
}

// at returns list[i], or "" past its end.
func at(list []string, i int) string {
	if i < len(list) {
		return strings.TrimSpace(list[i])
	}
	return ""
}
