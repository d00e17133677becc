package main

import (
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

func TestTheCrowdsFortnightEndsWithTheLastSecondCheck(t *testing.T) {
	// Every pair meets on Thursdays, every other week from Thu 19 Mar.
	from := time.Date(2026, 3, 19, 0, 0, 0, 0, time.UTC)
	slot := func(minute int, length time.Duration) *mentorbot.Slot {
		return &mentorbot.Slot{Weekday: time.Thursday, Minute: minute, Length: length, Zone: "UTC", Cadence: mentorbot.CadenceFortnightly,
			From: from, Until: from.AddDate(0, 3, 0)}
	}
	for _, tc := range []struct {
		name  string
		slots []*mentorbot.Slot
		want  time.Time
	}{
		{"one pair", []*mentorbot.Slot{slot(9*60, 45*time.Minute)},
			time.Date(2026, 4, 2, 10, 45, 0, 0, time.UTC)},
		// A later start can still end first: the fortnight lasts until the
		// check of the session that ends last.
		{"a long early session and a short later one", []*mentorbot.Slot{
			slot(12*60, 90*time.Minute), slot(12*60+30, 30*time.Minute)},
			time.Date(2026, 4, 2, 14, 30, 0, 0, time.UTC)},
		{"the later pair listed first", []*mentorbot.Slot{
			slot(13*60, 45*time.Minute), slot(12*60, 45*time.Minute)},
			time.Date(2026, 4, 2, 14, 45, 0, 0, time.UTC)},
		{"the later pair listed last", []*mentorbot.Slot{
			slot(12*60, 45*time.Minute), slot(13*60, 45*time.Minute)},
			time.Date(2026, 4, 2, 14, 45, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pairs []mentorbot.Pair
			for _, s := range tc.slots {
				pairs = append(pairs, mentorbot.Pair{Slot: s})
			}
			if got := secondChecksDue(pairs); !got.Equal(tc.want) {
				t.Errorf("the fortnight ends at %s, want %s", got, tc.want)
			}
		})
	}
}
