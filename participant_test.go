package mentorbot

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func validForm() ProfileForm {
	return ProfileForm{
		Role:         "mentor",
		Topics:       []string{"Social media", "No-code tools"},
		OtherTopics:  "TikTok for brands",
		JobLevel:     "2",
		Department:   " Customer   Support ",
		ManagerID:    "UBOSS",
		TimeZone:     "europe/london",
		Availability: "Tue 10-12",
		Levels:       []string{"4", "3", "5"},
		Pitch:        "I make short videos that people actually watch.",
		Capacity:     "2",
	}
}

func TestProfileFormParse(t *testing.T) {
	p, err := validForm().Parse("UME")
	if err != nil {
		t.Fatal(err)
	}
	if p.Role != RoleMentor || p.Capacity != 2 || p.JobLevel != 2 || p.Department != "Customer Support" || p.TimeZone != "Europe/London" || p.ManagerID != "UBOSS" {
		t.Fatalf("unexpected profile %+v", p)
	}
	want := []TopicInterest{{"Social media", 4}, {"No-code tools", 3}, {"TikTok for brands", 5}}
	if len(p.Topics) != len(want) {
		t.Fatalf("topics %v, want %v", p.Topics, want)
	}
	for i := range want {
		if p.Topics[i] != want[i] {
			t.Fatalf("topics %v, want %v", p.Topics, want)
		}
	}
}

func TestProfileFormFieldErrors(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*ProfileForm)
		field string
		says  string
	}{
		{"no role", func(f *ProfileForm) { f.Role = "" }, FieldRole, "teach or to learn"},
		{"a mentor taking no mentees", func(f *ProfileForm) { f.Capacity = "0" }, FieldCapacity, "1 to 3"},
		{"a mentor taking four", func(f *ProfileForm) { f.Capacity = "4" }, FieldCapacity, "1 to 3"},
		{"no topics", func(f *ProfileForm) { f.Topics, f.OtherTopics = nil, "" }, FieldTopics, "at least one topic"},
		{"too many topics", func(f *ProfileForm) { f.OtherTopics = "a1, b2, c3, d4" }, FieldOtherTopics, "top 5"},
		{"topic too long", func(f *ProfileForm) { f.OtherTopics = strings.Repeat("x", 41) }, FieldOtherTopics, "between 2 and 40"},
		{"repeated topic counts once", func(f *ProfileForm) { f.OtherTopics = "social MEDIA"; f.Pitch = "" }, FieldPitch, "great at"},
		{"no job level", func(f *ProfileForm) { f.JobLevel = "" }, FieldJobLevel, "level closest"},
		{"job level out of range", func(f *ProfileForm) { f.JobLevel = "9" }, FieldJobLevel, "level closest"},
		{"no department", func(f *ProfileForm) { f.Department = " " }, FieldDepartment, "Write your department"},
		{"long department", func(f *ProfileForm) { f.Department = strings.Repeat("d", 61) }, FieldDepartment, "under 60"},
		{"own manager", func(f *ProfileForm) { f.ManagerID = "UME" }, FieldManager, "not yourself"},
		{"no time zone", func(f *ProfileForm) { f.TimeZone = "" }, FieldTimeZone, "Write your time zone"},
		{"bad time zone", func(f *ProfileForm) { f.TimeZone = "Mars/Olympus" }, FieldTimeZone, "isn't a time zone"},
		{"bad availability", func(f *ProfileForm) { f.Availability = "whenever" }, FieldAvailability, "isn't a day"},
		{"missing level", func(f *ProfileForm) { f.Levels = []string{"4", ""} }, FieldLevel(1), "level in No-code tools"},
		{"short pitch for a mentee", func(f *ProfileForm) { f.Role = "mentee"; f.Pitch = "AI" }, FieldPitch, "want to learn"},
		{"long pitch", func(f *ProfileForm) { f.Pitch = strings.Repeat("word ", 50) }, FieldPitch, "200 characters at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validForm()
			tt.edit(&f)
			_, err := f.Parse("UME")
			fields := ErrorFields(err)
			if ErrorCode(err) != EINVALID || !strings.Contains(fields[tt.field], tt.says) {
				t.Fatalf("Parse: err %v, want field %q saying %q", err, tt.field, tt.says)
			}
		})
	}
}

func TestParseTimeZone(t *testing.T) {
	for in, want := range map[string]string{
		"Europe/London":      "Europe/London",
		" america/new_york ": "America/New_York",
		"utc":                "UTC",
	} {
		got, err := ParseTimeZone(in)
		if err != nil || got != want {
			t.Errorf("ParseTimeZone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"Local", "../etc/passwd", "Europe/Londn", "GMT+25"} {
		if _, err := ParseTimeZone(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseTimeZone(%q) accepted", bad)
		}
	}
}

// refusedField fails the test unless err refuses a form the way a person
// can act on: invalid input, with a message next to at least one field.
func refusedField(t *testing.T, err error) {
	t.Helper()
	fields := ErrorFields(err)
	if ErrorCode(err) != EINVALID || len(fields) == 0 {
		t.Fatalf("refused without field messages: %v", err)
	}
	for field, msg := range fields {
		if msg == "" {
			t.Fatalf("field %s refused with an empty message", field)
		}
	}
}

// refusedOn fails the test unless err refuses a form the way refusedField
// wants, with messages only on the form's own fields.
func refusedOn(t *testing.T, err error, formFields ...string) {
	t.Helper()
	refusedField(t, err)
	for field := range ErrorFields(err) {
		if !slices.Contains(formFields, field) {
			t.Fatalf("refused on %q, which is not one of the form's fields %v: %v", field, formFields, err)
		}
	}
}

// FuzzProfileForm checks that whatever lands in the join form's text fields
// is either refused with a message on the form's fields or gives a valid
// profile.
func FuzzProfileForm(f *testing.F) {
	f.Add("mentor", "Social media", "TikTok, Figma", "2", "Support", "europe/london", "Tue 10-12", "3", "I make videos people watch.", "2")
	f.Add("mentee", "", "a,b;c\nd", "7", " ", "Local", "Mon 9", "x", "", "")
	f.Add("mentor", "Figma", "", " 1 ", "Customer   Support", "America/Santiago", "Sun 00:00-02:00", "5", "I automate boring spreadsheet work.", "99999999999999999999")
	f.Add("mentee", "AI assistants", "Émoji 🎉; カタカナ", "4", "Finanzen & Controlling", "Australia/Lord_Howe", "Mon-Fri 9-11am", "1", "How my team uses AI tools day to day", "0")
	f.Add("mentor", "Canva", strings.Repeat("topic,", 10), "-1", strings.Repeat("d", MaxDepartmentChars+1), "../etc/passwd", "every day", "6", strings.Repeat("é", MaxPitchChars+1), "-3")
	f.Fuzz(func(t *testing.T, role, picked, other, jobLevel, department, zone, availability, level, pitch, capacity string) {
		form := ProfileForm{Role: role, Topics: []string{picked}, OtherTopics: other, JobLevel: jobLevel,
			Department: department, TimeZone: zone, Availability: availability, Pitch: pitch, Capacity: capacity,
			Levels: []string{level, level, level, level, level}}
		p, err := form.Parse("UME")
		if err != nil {
			fields := []string{FieldRole, FieldTopics, FieldOtherTopics, FieldJobLevel, FieldDepartment, FieldManager,
				FieldTimeZone, FieldAvailability, FieldPitch, FieldCapacity}
			for i := range MaxTopics {
				fields = append(fields, FieldLevel(i))
			}
			refusedOn(t, err, fields...)
			return
		}
		if len(p.Topics) == 0 || len(p.Topics) > MaxTopics || len(p.Availability) == 0 || p.TimeZone == "" {
			t.Fatalf("accepted an incomplete profile: %+v", p)
		}
		if _, err := time.LoadLocation(p.TimeZone); err != nil {
			t.Fatalf("accepted the time zone %q: %v", p.TimeZone, err)
		}
		for _, tp := range p.Topics {
			if tp.Level < 1 || tp.Level > 5 {
				t.Fatalf("accepted level %d", tp.Level)
			}
		}
		if n := utf8.RuneCountInString(p.Department); n < 2 || n > MaxDepartmentChars || p.Department != collapseSpaces(p.Department) {
			t.Fatalf("accepted the department %q", p.Department)
		}
		if n := utf8.RuneCountInString(p.Pitch); n < MinPitchChars || n > MaxPitchChars || p.Pitch != collapseSpaces(p.Pitch) {
			t.Fatalf("accepted the pitch %q", p.Pitch)
		}
		if p.Role == RoleMentor && (p.Capacity < 1 || p.Capacity > MaxCapacity) {
			t.Fatalf("accepted a mentor for %d mentees", p.Capacity)
		}
	})
}

func TestRoleStates(t *testing.T) {
	tests := []struct {
		role  Role
		never []State
	}{
		{RoleMentor, nil},
		// Mentees are never screened.
		{RoleMentee, []State{StateApplied, StateDeclined}},
	}
	for _, tt := range tests {
		got := tt.role.States()
		want := slices.DeleteFunc(slices.Clone(States), func(s State) bool { return slices.Contains(tt.never, s) })
		if !slices.Equal(got, want) {
			t.Errorf("%s states %v, want %v", tt.role, got, want)
		}
		if !slices.Contains(got, initialState(tt.role)) {
			t.Errorf("%s starts in %s, which is not one of its states", tt.role, initialState(tt.role))
		}
	}
}
