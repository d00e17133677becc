package store

import (
	"context"
	"testing"

	"github.com/mentorbot/mentorbot"
)

// TestThanksAreOfferedOnceAndAnsweredAtTheirVersion: each of a pair offers
// one thank-you; an answer saved from a copy read before another answer
// is refused, so two answers at once never undo each other; erasing either
// of the pair erases the pair's thank-yous.
func TestThanksAreOfferedOnceAndAnsweredAtTheirVersion(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		cycle, p := cyclePair(t, db)
		offer := mentorbot.Thanks{PairID: p.ID, CycleID: cycle.ID, AuthorID: "UA", Text: "Thank you for listening.", State: mentorbot.ThanksOffered, CreatedAt: day}
		if err := db.Apply(ctx, mentorbot.Change{Thanks: []mentorbot.Thanks{offer}}); err != nil {
			t.Fatal(err)
		}
		err := db.Apply(ctx, mentorbot.Change{Thanks: []mentorbot.Thanks{offer}})
		wantCode(t, err, mentorbot.ECONFLICT)
		other := offer
		other.AuthorID, other.Text = "UX", "Thank you for the shortcuts."
		if err := db.Apply(ctx, mentorbot.Change{Thanks: []mentorbot.Thanks{other}}); err != nil {
			t.Fatal(err)
		}
		all, err := db.ThanksOf(ctx, p.ID)
		if err != nil || len(all) != 2 || all[0].AuthorID != "UA" || all[0].Version != 0 || !all[0].CreatedAt.Equal(day) {
			t.Fatalf("ThanksOf = %+v, %v", all, err)
		}

		mentorYes, menteeYes := all[0], all[0]
		mentorYes.MentorYes = true
		menteeYes.MenteeYes = true
		if err := db.Apply(ctx, mentorbot.Change{Thanks: []mentorbot.Thanks{mentorYes}}); err != nil {
			t.Fatal(err)
		}
		err = db.Apply(ctx, mentorbot.Change{Thanks: []mentorbot.Thanks{menteeYes}})
		wantCode(t, err, mentorbot.ECONFLICT)
		got, err := db.Thanks(ctx, all[0].ID)
		if err != nil || !got.MentorYes || got.MenteeYes || got.Version != 1 {
			t.Fatalf("after two answers at once = %+v, %v; want the first kept", got, err)
		}
		if last, err := db.LastThanksPostAt(ctx); err != nil || !last.IsZero() {
			t.Fatalf("no post owed, yet the last is %v, %v", last, err)
		}
		got.MenteeYes, got.State, got.PostAt = true, mentorbot.ThanksAgreed, day.Add(mentorbot.ThanksSpacing)
		if err := db.Apply(ctx, mentorbot.Change{Thanks: []mentorbot.Thanks{got}}); err != nil {
			t.Fatal(err)
		}
		if last, err := db.LastThanksPostAt(ctx); err != nil || !last.Equal(got.PostAt) {
			t.Fatalf("the last post owed is %v, %v; want %v", last, err, got.PostAt)
		}

		if err := db.Erase(ctx, "UX", "erased-TOKEN0000000009"); err != nil {
			t.Fatal(err)
		}
		if all, err := db.ThanksOf(ctx, p.ID); err != nil || len(all) != 0 {
			t.Fatalf("thank-yous after an erasure = %+v, %v; want none", all, err)
		}
		_, err = db.Thanks(ctx, got.ID)
		wantCode(t, err, mentorbot.ENOTFOUND)
	})
}

// TestTopicHoldersListEachTopicOfThoseInTheStates: a row per topic, in the
// profile's order, for the people in the states asked for only.
func TestTopicHoldersListEachTopicOfThoseInTheStates(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		applied, trained := sampleParticipant(), sampleParticipant()
		trained.ID, trained.State, trained.Capacity = "U2", mentorbot.StateTrained, 2
		trained.Topics = []mentorbot.TopicInterest{{Topic: "TikTok", Level: 5}, {Topic: "Figma", Level: 4}}
		if err := save(ctx, db, applied, trained); err != nil {
			t.Fatal(err)
		}
		var got []mentorbot.TopicHolder
		err := db.EachTopicHolder(ctx, []mentorbot.State{mentorbot.StateTrained, mentorbot.StateMatched}, func(h mentorbot.TopicHolder) error {
			got = append(got, h)
			return nil
		})
		want := []mentorbot.TopicHolder{
			{ParticipantID: "U2", Role: mentorbot.RoleMentor, State: mentorbot.StateTrained, Capacity: 2, Topic: "TikTok"},
			{ParticipantID: "U2", Role: mentorbot.RoleMentor, State: mentorbot.StateTrained, Capacity: 2, Topic: "Figma"},
		}
		if err != nil || len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Fatalf("EachTopicHolder gave %+v, %v; want %+v", got, err, want)
		}
	})
}
