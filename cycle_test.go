package mentorbot

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// cycleToday is the date the cycle tests run on: Monday 2 March 2026.
var cycleToday = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func testDate(t testing.TB, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func validCycleForm() CycleForm {
	return CycleForm{
		Name:          "  Spring   2026 ",
		StartsOn:      "2026-03-02",
		EndsOn:        "2026-08-31",
		Cadence:       "fortnightly",
		SessionLength: "60",
		GroundRules:   "  What's said in a session stays in the pair.\n",
		Topics:        "Figma\nNotion, TikTok; AI assistants",
	}
}

// topicList writes n distinct topics one per line.
func topicList(n int) string {
	topics := make([]string, n)
	for i := range topics {
		topics[i] = fmt.Sprintf("Topic %d", i+1)
	}
	return strings.Join(topics, "\n")
}

func TestCycleFormParse(t *testing.T) {
	c, err := validCycleForm().Parse(cycleToday, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Spring 2026" {
		t.Errorf("Name = %q, want the spaces collapsed to %q", c.Name, "Spring 2026")
	}
	if !c.StartsOn.Equal(cycleToday) || !c.EndsOn.Equal(testDate(t, "2026-08-31")) {
		t.Errorf("dates %v to %v, want 2026-03-02 to 2026-08-31", c.StartsOn, c.EndsOn)
	}
	if c.Cadence != CadenceFortnightly || c.SessionLength != time.Hour {
		t.Errorf("meets %q for %v, want fortnightly for 1h", c.Cadence, c.SessionLength)
	}
	if c.GroundRules != "What's said in a session stays in the pair." {
		t.Errorf("GroundRules = %q, want them trimmed", c.GroundRules)
	}
	if want := []string{"Figma", "Notion", "TikTok", "AI assistants"}; !slices.Equal(c.Topics, want) {
		t.Errorf("Topics = %q, want %q", c.Topics, want)
	}
}

// TestCycleFormAccepts covers the limits a cycle may sit right on.
func TestCycleFormAccepts(t *testing.T) {
	tests := []struct {
		name string
		edit func(*CycleForm)
	}{
		{"starts today", func(f *CycleForm) {}},
		{"starts a year from today", func(f *CycleForm) { f.StartsOn, f.EndsOn = "2027-03-02", "2027-06-01" }},
		{"weekly ends two weeks after the start", func(f *CycleForm) { f.Cadence, f.EndsOn = "weekly", "2026-03-16" }},
		{"fortnightly ends four weeks after the start", func(f *CycleForm) { f.Cadence, f.EndsOn = "fortnightly", "2026-03-30" }},
		{"monthly ends two months after the start", func(f *CycleForm) { f.Cadence, f.EndsOn = "monthly", "2026-05-02" }},
		{"last day a year after the start, less a day", func(f *CycleForm) { f.EndsOn = "2027-03-01" }},
		{"cadence and dates padded with spaces", func(f *CycleForm) {
			f.Cadence, f.StartsOn, f.EndsOn, f.SessionLength = " weekly ", " 2026-03-02 ", "2026-04-01 ", " 45 "
		}},
		{"name of 3 characters once spaces collapse", func(f *CycleForm) { f.Name = " Q   2 " }},
		{"name of 60 accented characters", func(f *CycleForm) { f.Name = strings.Repeat("é", MaxCycleNameChars) }},
		{"shortest session", func(f *CycleForm) { f.SessionLength = "15" }},
		{"longest session", func(f *CycleForm) { f.SessionLength = "180" }},
		{"shortest ground rules", func(f *CycleForm) { f.GroundRules = strings.Repeat("r", MinGroundRulesChars) }},
		{"longest ground rules", func(f *CycleForm) { f.GroundRules = strings.Repeat("ü", MaxGroundRulesChars) }},
		{"40 topics", func(f *CycleForm) { f.Topics = topicList(MaxCatalogueTopics) }},
		{"40 topics and repeats of them", func(f *CycleForm) { f.Topics = topicList(MaxCatalogueTopics) + "\n" + strings.ToUpper(topicList(5)) }},
		{"topic of 40 characters", func(f *CycleForm) { f.Topics = strings.Repeat("t", MaxTopicLength) }},
		{"topic of 2 characters", func(f *CycleForm) { f.Topics = "AI" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validCycleForm()
			tt.edit(&f)
			if _, err := f.Parse(cycleToday, nil); err != nil {
				t.Fatalf("Parse(%+v): %v", f, err)
			}
		})
	}
}

// TestCycleFormFieldErrors checks that each problem is reported on the field
// that has it, and on no other.
func TestCycleFormFieldErrors(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*CycleForm)
		field string
		says  string
	}{
		{"no name", func(f *CycleForm) { f.Name = "  " }, FieldCycleName, "3 to 60 characters"},
		{"short name", func(f *CycleForm) { f.Name = " Q2 " }, FieldCycleName, "3 to 60 characters"},
		{"long name", func(f *CycleForm) { f.Name = strings.Repeat("n", MaxCycleNameChars+1) }, FieldCycleName, "3 to 60 characters"},

		{"no start", func(f *CycleForm) { f.StartsOn = "" }, FieldStartsOn, "day the cycle starts"},
		{"start not a date", func(f *CycleForm) { f.StartsOn = "02/03/2026" }, FieldStartsOn, "day the cycle starts"},
		{"start not a day of the month", func(f *CycleForm) { f.StartsOn = "2026-02-30" }, FieldStartsOn, "day the cycle starts"},
		{"new cycle starts yesterday", func(f *CycleForm) { f.StartsOn = "2026-03-01" }, FieldStartsOn, "can't start in the past"},
		{"start more than a year ahead", func(f *CycleForm) { f.StartsOn, f.EndsOn = "2027-03-03", "2027-06-01" }, FieldStartsOn, "within the next year"},

		{"no end", func(f *CycleForm) { f.EndsOn = "" }, FieldEndsOn, "cycle's last day"},
		{"end not a date", func(f *CycleForm) { f.EndsOn = "31 Aug" }, FieldEndsOn, "cycle's last day"},
		{"ends today", func(f *CycleForm) { f.EndsOn = "2026-03-02" }, FieldEndsOn, "after today"},
		{"ends yesterday", func(f *CycleForm) { f.EndsOn = "2026-03-01" }, FieldEndsOn, "after today"},
		{"weekly ends a day too soon", func(f *CycleForm) { f.Cadence, f.EndsOn = "weekly", "2026-03-15" },
			FieldEndsOn, "at least 3 sessions: meeting every week, end on Mon 16 Mar 2026 or later"},
		{"fortnightly ends a day too soon", func(f *CycleForm) { f.Cadence, f.EndsOn = "fortnightly", "2026-03-29" },
			FieldEndsOn, "at least 3 sessions: meeting every two weeks, end on Mon 30 Mar 2026 or later"},
		{"monthly ends a day too soon", func(f *CycleForm) { f.Cadence, f.EndsOn = "monthly", "2026-05-01" },
			FieldEndsOn, "at least 3 sessions: meeting every month, end on Sat 2 May 2026 or later"},
		{"ends before it starts", func(f *CycleForm) { f.StartsOn, f.EndsOn = "2026-06-01", "2026-05-01" }, FieldEndsOn, "after the first day"},
		{"lasts a year and a day", func(f *CycleForm) { f.EndsOn = "2027-03-02" }, FieldEndsOn, "a year at most"},

		{"no cadence", func(f *CycleForm) { f.Cadence = "" }, FieldCadence, "how often pairs meet"},
		{"unknown cadence", func(f *CycleForm) { f.Cadence = "daily" }, FieldCadence, "how often pairs meet"},

		{"no session length", func(f *CycleForm) { f.SessionLength = "" }, FieldSessionLength, "how long a session lasts"},
		{"session length not a number", func(f *CycleForm) { f.SessionLength = "an hour" }, FieldSessionLength, "how long a session lasts"},
		{"session too short", func(f *CycleForm) { f.SessionLength = "14" }, FieldSessionLength, "how long a session lasts"},
		{"session too long", func(f *CycleForm) { f.SessionLength = "181" }, FieldSessionLength, "how long a session lasts"},

		{"no ground rules", func(f *CycleForm) { f.GroundRules = " \n " }, FieldGroundRules, "ground rules every pair agrees to"},
		{"short ground rules", func(f *CycleForm) { f.GroundRules = strings.Repeat("r", MinGroundRulesChars-1) }, FieldGroundRules, "ground rules every pair agrees to"},
		{"long ground rules", func(f *CycleForm) { f.GroundRules = strings.Repeat("r", MaxGroundRulesChars+1) }, FieldGroundRules, "under 2500 characters (these have 2501)"},

		{"no topics", func(f *CycleForm) { f.Topics = "" }, FieldCatalogue, "at least one topic"},
		{"only separators and bullets", func(f *CycleForm) { f.Topics = "\n•\n - ,;* " }, FieldCatalogue, "at least one topic"},
		{"too many topics", func(f *CycleForm) { f.Topics = topicList(MaxCatalogueTopics + 1) }, FieldCatalogue, "That's 41 topics; keep the list to 40"},
		{"topic too long", func(f *CycleForm) { f.Topics = "Figma\n" + strings.Repeat("t", MaxTopicLength+1) }, FieldCatalogue, "between 2 and 40 characters"},
		{"topic too short", func(f *CycleForm) { f.Topics = "Figma\n- X" }, FieldCatalogue, `"X": keep each topic between 2 and 40`},

		{"unknown department rule", func(f *CycleForm) { f.CrossDepartment = "mixed" }, FieldCrossDept, "how departments count"},
		{"weight above 5", func(f *CycleForm) { f.WeightOverlap = "6" }, FieldWeightOverlap, "from 0 to 5"},
		{"weight not a number", func(f *CycleForm) { f.WeightDepartment = "lots" }, FieldWeightDept, "from 0 to 5"},
		{"nothing counts", func(f *CycleForm) { f.WeightTopics, f.WeightOverlap, f.WeightDepartment = "0", "0", "0" }, FieldWeightTopics, "at least one thing count"},
		{"answer days not offered", func(f *CycleForm) { f.AnswerDays = "4" }, FieldAnswerDays, "how many days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validCycleForm()
			tt.edit(&f)
			_, err := f.Parse(cycleToday, nil)
			fields := ErrorFields(err)
			if ErrorCode(err) != EINVALID || !strings.Contains(fields[tt.field], tt.says) {
				t.Fatalf("Parse: err %v, want field %q saying %q", err, tt.field, tt.says)
			}
			if len(fields) != 1 {
				t.Fatalf("Parse: fields %v, want a message on %q only", fields, tt.field)
			}
		})
	}
}

// TestCycleFormPastStart checks that only a cycle already saved with a
// start in the past may keep it.
func TestCycleFormPastStart(t *testing.T) {
	saved := &Cycle{ID: 7, StartsOn: testDate(t, "2026-02-02"), EndsOn: testDate(t, "2026-07-31")}
	tests := []struct {
		name  string
		start string
		saved *Cycle
		ok    bool
	}{
		{"new cycle starting in the past", "2026-02-02", nil, false},
		{"edited cycle keeping its past start", "2026-02-02", saved, true},
		{"edited cycle moving to another past start", "2026-02-09", saved, false},
		{"edited cycle moving its start to today", "2026-03-02", saved, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validCycleForm()
			f.StartsOn = tt.start
			c, err := f.Parse(cycleToday, tt.saved)
			switch {
			case tt.ok && err != nil:
				t.Fatalf("Parse: %v, want the start %s accepted", err, tt.start)
			case tt.ok && !c.StartsOn.Equal(testDate(t, tt.start)):
				t.Fatalf("StartsOn = %v, want %s", c.StartsOn, tt.start)
			case !tt.ok && !strings.Contains(ErrorFields(err)[FieldStartsOn], "can't start in the past"):
				t.Fatalf("Parse: err %v, want the past start refused on %q", err, FieldStartsOn)
			}
		})
	}
}

// TestCycleFormUsesTodaysDate checks that the time of day, and the zone
// today is given in, make no difference: only the calendar date counts.
func TestCycleFormUsesTodaysDate(t *testing.T) {
	f := validCycleForm()
	tokyo := time.FixedZone("JST", 9*60*60)
	for _, today := range []time.Time{
		time.Date(2026, 3, 2, 23, 59, 0, 0, time.UTC),
		time.Date(2026, 3, 2, 8, 0, 0, 0, tokyo),
	} {
		if _, err := f.Parse(today, nil); err != nil {
			t.Errorf("Parse on %v: %v, want a start on 2026-03-02 accepted", today, err)
		}
	}
	if _, err := f.Parse(time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), nil); ErrorFields(err)[FieldStartsOn] == "" {
		t.Errorf("Parse on 2026-03-03: %v, want a start on 2026-03-02 refused", err)
	}
}

func TestParseCatalogue(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"one per line", "Figma\nNotion\nCanva", []string{"Figma", "Notion", "Canva"}},
		{"commas and semicolons", "Figma, Notion;Canva", []string{"Figma", "Notion", "Canva"}},
		{"repeats dropped whatever their case", "Figma\nfigma\nFIGMA, Notion, notion", []string{"Figma", "Notion"}},
		{"bullets stripped", "• Figma\n- Notion\n* Canva\n•Slack", []string{"Figma", "Notion", "Canva", "Slack"}},
		{"a repeat behind a bullet is still a repeat", "Figma\n• figma\n-   FIGMA", []string{"Figma"}},
		{"blank lines and spaces skipped", "\n\n  Data   visualisation  \n\r\n , ;", []string{"Data visualisation"}},
		{"dashes inside a topic kept", "No-code tools\nT-shirt design", []string{"No-code tools", "T-shirt design"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCatalogue(tt.in)
			if err != nil {
				t.Fatalf("parseCatalogue(%q): %v", tt.in, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("parseCatalogue(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCadenceAfter(t *testing.T) {
	tests := []struct {
		cadence Cadence
		from    string
		n       int
		want    string
	}{
		{CadenceWeekly, "2026-03-02", 2, "2026-03-16"},
		{CadenceFortnightly, "2026-03-02", 2, "2026-03-30"},
		{CadenceMonthly, "2026-03-02", 2, "2026-05-02"},
		// A month shorter than the start day meets on its last day.
		{CadenceMonthly, "2026-01-31", 1, "2026-02-28"},
		{CadenceMonthly, "2026-12-31", 2, "2027-02-28"},
		{CadenceMonthly, "2028-01-30", 1, "2028-02-29"},
		{CadenceMonthly, "2026-01-31", 2, "2026-03-31"},
	}
	for _, tt := range tests {
		if got := tt.cadence.After(testDate(t, tt.from), tt.n); !got.Equal(testDate(t, tt.want)) {
			t.Errorf("%s.After(%s, %d) = %s, want %s", tt.cadence, tt.from, tt.n, got.Format(time.DateOnly), tt.want)
		}
	}
}

func TestDayAndFormatDate(t *testing.T) {
	late := time.Date(2026, 3, 16, 23, 30, 0, 0, time.FixedZone("PST", -8*60*60))
	d := Day(late)
	if !d.Equal(testDate(t, "2026-03-16")) || d.Location() != time.UTC {
		t.Fatalf("Day(%v) = %v, want 2026-03-16 at midnight UTC", late, d)
	}
	if got, want := FormatDate(d), "Mon 16 Mar 2026"; got != want {
		t.Fatalf("FormatDate = %q, want %q", got, want)
	}
}

func sameCycleSettings(a, b Cycle) bool {
	return a.Name == b.Name && a.StartsOn.Equal(b.StartsOn) && a.EndsOn.Equal(b.EndsOn) &&
		a.Cadence == b.Cadence && a.SessionLength == b.SessionLength &&
		a.GroundRules == b.GroundRules && slices.Equal(a.Topics, b.Topics) && a.Matching == b.Matching
}

// TestCycleFormRoundTrip checks that the form an admin edits a cycle with
// gives back the same settings, also once the cycle has started.
func TestCycleFormRoundTrip(t *testing.T) {
	defaults := Cycle{
		Name:          "Spring 2026",
		StartsOn:      cycleToday,
		EndsOn:        cycleToday.AddDate(0, 6, -1),
		Cadence:       CadenceFortnightly,
		SessionLength: SessionLengths[2],
		GroundRules:   DefaultOnboarding().GroundRules,
		Topics:        DefaultTopics,
		Matching:      DefaultMatchSettings,
	}
	typed, err := CycleForm{
		Name: "Autumn  cohort", StartsOn: "2026-03-09", EndsOn: "2026-04-06", Cadence: "weekly", SessionLength: "45",
		GroundRules:     "Keep what is said in the pair, and protect the slot.",
		Topics:          "• Figma\n- Notion, tiktok; TikTok\n\n* Spreadsheets and automation",
		CrossDepartment: "required", WeightTopics: "5", WeightOverlap: "0", WeightDepartment: "1", AnswerDays: "7",
	}.Parse(cycleToday, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]Cycle{"the defaults": defaults, "a typed cycle": typed} {
		for _, today := range []time.Time{cycleToday, cycleToday.AddDate(0, 0, 20)} {
			t.Run(name+" on "+today.Format(time.DateOnly), func(t *testing.T) {
				got, err := c.Form().Parse(today, &c)
				if err != nil {
					t.Fatalf("Parse(%+v): %v", c.Form(), err)
				}
				if !sameCycleSettings(got, c) {
					t.Fatalf("round trip gave %+v, want %+v", got, c)
				}
			})
		}
	}
}

// FuzzCycleForm checks that whatever lands in the cycle form is either
// refused with a message on its fields, or gives a cycle that keeps every
// rule and survives a round trip through its edit form.
func FuzzCycleForm(f *testing.F) {
	v := validCycleForm()
	f.Add(v.Name, v.StartsOn, v.EndsOn, v.Cadence, v.SessionLength, v.GroundRules, v.Topics, "", "", "", "", "")
	f.Add("Q2", "2026-03-01", "2026-03-15", "weekly", "14", "Be kind.", "• Figma\n- figma\n* X", "required", "5", "0", "1", "7")
	f.Add("Autumn", "2026-12-31", "2027-03-02", "monthly", "180", strings.Repeat("rule ", 10), "a;b,c\nd", "any", "0", "0", "0", "3")
	f.Add(" ", "2027-03-03", "2026-01-01", "daily", "-5", "", "", "sometimes", "6", "-1", "x", "4")
	f.Add("Clocks change", "2026-03-29", "2026-10-25", "weekly", "45", v.GroundRules, v.Topics, "preferred", " 3 ", "2", "1", " 1 ")
	f.Add("Leap day", "2027-02-29", "2028-02-29", "fortnightly", "60", v.GroundRules, v.Topics, "", "", "", "", "")
	f.Add("Ünïcödé 🌱 cohort", "2026-03-02", "2027-03-02", "weekly", "99999999999999999999", v.GroundRules, "Émoji 🎉\nカタカナ", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, name, start, end, cadence, minutes, rules, topics, crossDepartment, weightTopics, weightOverlap, weightDepartment, answerDays string) {
		form := CycleForm{Name: name, StartsOn: start, EndsOn: end, Cadence: cadence, SessionLength: minutes, GroundRules: rules, Topics: topics,
			CrossDepartment: crossDepartment, WeightTopics: weightTopics, WeightOverlap: weightOverlap, WeightDepartment: weightDepartment, AnswerDays: answerDays}
		c, err := form.Parse(cycleToday, nil)
		if err != nil {
			refusedOn(t, err, FieldCycleName, FieldStartsOn, FieldEndsOn, FieldCadence, FieldSessionLength, FieldGroundRules, FieldCatalogue,
				FieldCrossDept, FieldWeightTopics, FieldWeightOverlap, FieldWeightDept, FieldAnswerDays)
			return
		}
		m := c.Matching
		if !slices.Contains(CrossDepartments, m.CrossDepartment) || !slices.Contains(AnswerDayChoices, m.AnswerDays) ||
			!slices.Contains(Weights, m.WeightTopics) || !slices.Contains(Weights, m.WeightOverlap) || !slices.Contains(Weights, m.WeightDepartment) ||
			m.WeightTopics+m.WeightOverlap+m.WeightDepartment == 0 {
			t.Fatalf("accepted the matching settings %+v", m)
		}
		if n := utf8.RuneCountInString(c.Name); n < 3 || n > MaxCycleNameChars || c.Name != strings.TrimSpace(c.Name) {
			t.Fatalf("accepted the name %q", c.Name)
		}
		if !slices.Contains(Cadences, c.Cadence) || c.SessionLength < 15*time.Minute || c.SessionLength > 180*time.Minute {
			t.Fatalf("accepted meeting %q for %v", c.Cadence, c.SessionLength)
		}
		switch {
		case c.StartsOn.Before(cycleToday) || c.StartsOn.After(cycleToday.AddDate(1, 0, 0)):
			t.Fatalf("accepted a start on %v", c.StartsOn)
		case !c.EndsOn.After(c.StartsOn) || !c.EndsOn.After(cycleToday):
			t.Fatalf("accepted %v to %v", c.StartsOn, c.EndsOn)
		case c.EndsOn.Before(c.Cadence.After(c.StartsOn, minCycleSessions-1)):
			t.Fatalf("accepted %v to %v meeting %s: no room for %d sessions", c.StartsOn, c.EndsOn, c.Cadence, minCycleSessions)
		case c.EndsOn.After(c.StartsOn.AddDate(1, 0, 0)):
			t.Fatalf("accepted %v to %v: longer than a year", c.StartsOn, c.EndsOn)
		}
		if n := utf8.RuneCountInString(c.GroundRules); n < MinGroundRulesChars || n > MaxGroundRulesChars {
			t.Fatalf("accepted ground rules of %d characters", n)
		}
		if len(c.Topics) == 0 || len(c.Topics) > MaxCatalogueTopics {
			t.Fatalf("accepted %d topics", len(c.Topics))
		}
		seen := map[string]bool{}
		for _, tp := range c.Topics {
			if n := utf8.RuneCountInString(tp); n < 2 || n > MaxTopicLength || strings.ContainsAny(tp, ",;\n") || seen[strings.ToLower(tp)] {
				t.Fatalf("accepted the topic %q in %q", tp, c.Topics)
			}
			seen[strings.ToLower(tp)] = true
		}
		again, err := c.Form().Parse(cycleToday, &c)
		if err != nil {
			t.Fatalf("the edit form of %+v does not parse: %v", c, err)
		}
		if !sameCycleSettings(again, c) {
			t.Fatalf("round trip changed %+v into %+v", c, again)
		}
	})
}
