package bot

import (
	"slices"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// A slot is said in the reader's own calendar: their weekday and hours,
// the senior's hours beside them, dates when no rule names the day, and
// how the reader's hour moves when either side changes its clocks. The
// regular time alone fits a radio option; the rest goes under it.
func TestSlotWordsAreTrueForTheReader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		slot        mentorbot.Slot
		reader      string
		regular     string
		description string
	}{
		{"the senior reads their own time",
			mentorbot.Slot{Weekday: time.Tuesday, Minute: 9 * 60, Length: 45 * time.Minute, Zone: "Europe/London", Cadence: mentorbot.CadenceWeekly, From: day(2027, 3, 16), Until: day(2027, 4, 13)},
			"Europe/London", "every Tuesday, 09:00–09:45", ""},
		{"opposite summers, a week apart",
			mentorbot.Slot{Weekday: time.Tuesday, Minute: 9 * 60, Length: 45 * time.Minute, Zone: "Europe/London", Cadence: mentorbot.CadenceWeekly, From: day(2027, 3, 16), Until: day(2027, 4, 13)},
			"Pacific/Auckland", "every Tuesday, 22:00–22:45 your time",
			"London 09:00–09:45 · clocks change: 21:00 from 30 Mar, 20:00 from 6 Apr"},
		{"a day ahead",
			mentorbot.Slot{Weekday: time.Tuesday, Minute: 10 * 60, Length: time.Hour, Zone: "Pacific/Pago_Pago", Cadence: mentorbot.CadenceFortnightly, From: day(2027, 3, 2), Until: day(2027, 5, 31)},
			"Pacific/Kiritimati", "every other Wednesday, 11:00–12:00 your time", "Pago Pago 10:00–11:00"},
		{"a Saturday that is not always the first",
			mentorbot.Slot{Weekday: time.Friday, Minute: 20 * 60, Length: 90 * time.Minute, Zone: "America/Port-au-Prince", Cadence: mentorbot.CadenceMonthly, From: day(2027, 4, 2), Until: day(2027, 6, 30)},
			"Asia/Kathmandu", "once a month on a Saturday, 05:45–07:15 your time", "Port-au-Prince 20:00–21:30 · first on 3 Apr, 8 May, 5 Jun"},
		{"the first Saturday, until the clocks change",
			mentorbot.Slot{Weekday: time.Friday, Minute: 20 * 60, Length: 90 * time.Minute, Zone: "America/Port-au-Prince", Cadence: mentorbot.CadenceMonthly, From: day(2027, 1, 1), Until: day(2027, 4, 30)},
			"Asia/Kathmandu", "the first Saturday of each month, 06:45–08:15 your time", "Port-au-Prince 20:00–21:30 · clocks change: 05:45 from 3 Apr"},
		{"a clock change that moves the day",
			mentorbot.Slot{Weekday: time.Tuesday, Minute: 30, Length: 30 * time.Minute, Zone: "Europe/London", Cadence: mentorbot.CadenceWeekly, From: day(2027, 3, 23), Until: day(2027, 4, 6)},
			"Africa/Abidjan", "every Tuesday, 00:30–01:00 your time", "London 00:30–01:00 · clocks change: Mon 23:30 from 29 Mar"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			regular, _, _ := slotWords(tc.slot, tc.reader)
			if regular != tc.regular {
				t.Errorf("regular time %q, want %q", regular, tc.regular)
			}
			form := slotModal(mentorbot.Pair{SlotOffer: mentorbot.SlotOffer{Options: []mentorbot.Slot{tc.slot}}}, mentorbot.Participant{Profile: mentorbot.Profile{TimeZone: tc.reader}}, "")
			if problems := fakeslack.CheckModal(form); len(problems) > 0 {
				t.Errorf("Slack would refuse the form: %v", problems)
			}
			if description := slotDescription(tc.slot, tc.reader); description != tc.description {
				t.Errorf("under the option %q, want %q", description, tc.description)
			}
			if got, want := form.Blocks.BlockSet[1].(*slack.InputBlock).Element.(*slack.RadioButtonsBlockElement).Options[0].Description, tc.description; (got == nil) != (want == "") || got != nil && got.Text != want {
				t.Errorf("the form's option carries %+v, want %q", got, want)
			}
		})
	}
}

// Times of one's own add to the offer; the form lists both people's picks
// and as many others as Slack's ten radio buttons leave room for.
func TestTheSlotFormListsBothPicksWithinTenButtons(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		options, mentorPick, menteePick int
		want                            []int
	}{
		{3, 0, 0, []int{0, 1, 2}},
		{9, 0, 0, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}},
		{12, 12, 0, []int{0, 1, 2, 3, 4, 5, 6, 7, 11}},
		{12, 12, 11, []int{0, 1, 2, 3, 4, 5, 6, 10, 11}},
		{12, 2, 2, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}},
	} {
		offer := mentorbot.SlotOffer{Options: make([]mentorbot.Slot, tc.options), MentorPick: tc.mentorPick, MenteePick: tc.menteePick}
		if got := slotChoices(offer); !slices.Equal(got, tc.want) {
			t.Errorf("%d offered, picks %d and %d: the form lists %v, want %v", tc.options, tc.mentorPick, tc.menteePick, got, tc.want)
		}
	}
}
