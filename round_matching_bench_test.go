package mentorbot_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

// BenchmarkDraftRound is /mentor match as HR runs it on a large programme:
// 1,000 mentees and 5,000 mentors loaded from SQLite, matched, and the draft
// written back with its 1,000 pairs and everyone left out.
func BenchmarkDraftRound(b *testing.B) {
	pr, db, _ := programme(b)
	ctx := context.Background()
	openCycle(b, pr, "Spring 2026")
	r := rand.New(rand.NewPCG(7, 1))
	topics := mentorbot.DefaultTopics
	zones := []string{"Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Tokyo"}
	var c mentorbot.Change
	for i := range 6000 {
		role, id := mentorbot.RoleMentor, fmt.Sprintf("UMENTOR%04d", i)
		if i < 1000 {
			role, id = mentorbot.RoleMentee, fmt.Sprintf("UMENTEE%04d", i)
		}
		p := mentorbot.Participant{ID: id, State: mentorbot.StateTrained, JoinedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
		p.Role, p.Department, p.TimeZone, p.Pitch, p.Capacity = role, fmt.Sprintf("Dept %d", r.IntN(12)), zones[r.IntN(len(zones))], "A sentence about me.", 1+r.IntN(2)
		p.JobLevel = mentorbot.JobLevel(1 + r.IntN(3))
		if role == mentorbot.RoleMentee {
			p.JobLevel += 3
		}
		for _, t := range r.Perm(len(topics))[:1+r.IntN(5)] {
			p.Topics = append(p.Topics, mentorbot.TopicInterest{Topic: topics[t], Level: mentorbot.Level(1 + r.IntN(5))})
		}
		for d := range 5 {
			if r.IntN(2) == 0 {
				start := (8 + r.IntN(8)) * 60
				p.Availability = append(p.Availability, mentorbot.Window{Day: time.Weekday(1 + d), Start: start, End: start + 60*(1+r.IntN(3))})
			}
		}
		if len(p.Availability) == 0 {
			p.Availability = mentorbot.Availability{{Day: time.Tuesday, Start: 600, End: 720}}
		}
		p.StateSince, p.UpdatedAt = p.JoinedAt, p.JoinedAt
		c.Participants = append(c.Participants, p)
	}
	if err := db.Apply(ctx, c); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var round mentorbot.Round
	for b.Loop() {
		var err error
		if round, err = pr.DraftRound(ctx, admin); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(round.Pairs)), "pairs")
}
