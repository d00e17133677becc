package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

func TestTeachInsAndTheirPlacesRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		cycle, err := db.SaveCycle(ctx, sampleCycle())
		if err != nil {
			t.Fatal(err)
		}
		start := day.AddDate(0, 0, 8).Add(10 * time.Hour)
		want := mentorbot.TeachIn{CycleID: cycle.ID, HostID: "UA", Topic: "TikTok", Title: "Reels", StartsAt: start, EndsAt: start.Add(time.Hour),
			TimeZone: "Europe/London", Places: 3, JoinHow: "https://meet.example.com/x", Description: "Film and post.", State: mentorbot.TeachInOpen, CreatedAt: day}
		offer := mentorbot.Change{TeachIns: []mentorbot.TeachIn{want},
			Outbox: []mentorbot.OutboxItem{{Key: "teachin/new/calendar/UA", To: "UA", Kind: mentorbot.OutboxTeachInCalendar, DueAt: day, NewTeachIn: 1}}}
		if err := db.Apply(ctx, offer); err != nil {
			t.Fatal(err)
		}
		want.ID, want.Version = offer.TeachIns[0].ID, 1
		if got, err := db.TeachIn(ctx, want.ID); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("stored %+v, %v\nwant %+v", got, err, want)
		}
		if offer.Outbox[0].TeachInID != want.ID {
			t.Errorf("the message names teach-in %d, want %d", offer.Outbox[0].TeachInID, want.ID)
		}
		owed, err := db.DueOutbox(ctx, day, mentorbot.OutboxCursor{}, 10)
		if err != nil || len(owed) != 1 || owed[0].TeachInID != want.ID {
			t.Fatalf("owed %+v, %v", owed, err)
		}

		place := mentorbot.TeachInPlace{TeachInID: want.ID, ParticipantID: "UX", State: mentorbot.PlaceTaken, QueuedAt: day}
		if err := db.Apply(ctx, mentorbot.Change{TeachIns: []mentorbot.TeachIn{want}, TeachInPlaces: []mentorbot.TeachInPlace{place}}); err != nil {
			t.Fatal(err)
		}
		// A copy loaded before that change is stale: its sign-up loses.
		stale := mentorbot.TeachInPlace{TeachInID: want.ID, ParticipantID: "UY", State: mentorbot.PlaceTaken, QueuedAt: day}
		err = db.Apply(ctx, mentorbot.Change{TeachIns: []mentorbot.TeachIn{want}, TeachInPlaces: []mentorbot.TeachInPlace{stale}})
		if mentorbot.ErrorCode(err) != mentorbot.ECONFLICT {
			t.Fatalf("a stale save: %v, want a conflict", err)
		}
		place.Useful, place.Recommend, place.AnsweredAt = 5, mentorbot.RecommendNo, day.Add(time.Hour)
		want.Version = 2
		if err := db.Apply(ctx, mentorbot.Change{TeachIns: []mentorbot.TeachIn{want}, TeachInPlaces: []mentorbot.TeachInPlace{place}}); err != nil {
			t.Fatal(err)
		}
		places, err := db.TeachInPlaces(ctx, want.ID)
		if err != nil || !reflect.DeepEqual(places, []mentorbot.TeachInPlace{place}) {
			t.Fatalf("places %+v, %v", places, err)
		}
		if list, err := db.TeachInsFrom(ctx, start); err != nil || len(list) != 0 {
			t.Errorf("teach-ins after it starts: %+v, %v", list, err)
		}
		if list, err := db.TeachInsFrom(ctx, day); err != nil || len(list) != 1 || list[0].Version != 3 {
			t.Errorf("teach-ins from the start: %+v, %v", list, err)
		}
	})
}
