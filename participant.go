package mentorbot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a participant does in the programme.
type Role string

const (
	// RoleMentor teaches: usually the more junior colleague.
	RoleMentor Role = "mentor"
	// RoleMentee learns: usually the more senior colleague.
	RoleMentee Role = "mentee"
)

// State is where a participant stands in the programme. A person is in
// exactly one state; every move between states is stored as a Transition.
type State string

const (
	// StateApplied is a mentor waiting for HR to screen their application.
	StateApplied State = "applied"
	// StateApproved may take part but has not read their role's onboarding:
	// a screened mentor or any mentee.
	StateApproved State = "approved"
	// StateDeclined is a mentor HR did not approve; they may apply again in
	// a later cycle.
	StateDeclined State = "declined"
	// StateTrained has read the onboarding and can be matched.
	StateTrained State = "trained"
	// StateMatched is in an active pair.
	StateMatched State = "matched"
	// StatePaused is away until a date: no matching, no reminders.
	StatePaused State = "paused"
	// StateLeft has left the programme; joining again starts over.
	StateLeft State = "left"
	// StateFinished took part in a cycle that ended; opting in puts them
	// back among those to match, trained already.
	StateFinished State = "finished"
)

// States lists every state in the order a person usually meets them.
var States = []State{StateApplied, StateApproved, StateDeclined, StateTrained, StateMatched, StatePaused, StateFinished, StateLeft}

// Roles lists the roles, mentors first.
var Roles = []Role{RoleMentor, RoleMentee}

// States lists the states a person in the role can be in, in the order of
// States. Mentees are never screened: they join approved, and are never
// applied or declined.
func (r Role) States() []State {
	return slices.DeleteFunc(slices.Clone(States), func(s State) bool {
		return r == RoleMentee && (s == StateApplied || s == StateDeclined)
	})
}

// initialState is where a person starts in a role: mentors are screened
// before anyone is matched with them; mentees need no screening.
func initialState(r Role) State {
	if r == RoleMentor {
		return StateApplied
	}
	return StateApproved
}

// active reports whether a person in this state takes part in the
// programme now: not waiting for, refused by or gone from it.
func (s State) active() bool {
	return s == StateApproved || s == StateTrained || s == StateMatched
}

// JobLevel is how senior someone is, so matching can keep the direction
// reverse: the mentee is more senior than the mentor.
type JobLevel int

// JobLevels lists the levels a person picks from, most junior first.
var JobLevels = []JobLevel{1, 2, 3, 4, 5, 6, 7}

func (l JobLevel) String() string {
	switch l {
	case 1:
		return "Entry level or graduate"
	case 2:
		return "Associate"
	case 3:
		return "Experienced professional"
	case 4:
		return "Senior professional or team lead"
	case 5:
		return "Manager"
	case 6:
		return "Senior manager or director"
	case 7:
		return "Executive"
	}
	return "Level " + strconv.Itoa(int(l))
}

// Level is how well a person knows a topic, from their own point of view.
type Level int

// Levels lists the levels a person picks from, lowest first.
var Levels = []Level{1, 2, 3, 4, 5}

func (l Level) String() string {
	switch l {
	case 1:
		return "New to it"
	case 2:
		return "Know the basics"
	case 3:
		return "Comfortable"
	case 4:
		return "Strong"
	case 5:
		return "Expert"
	}
	return "Level " + strconv.Itoa(int(l))
}

// TopicInterest is a topic a person teaches or wants to learn, with their level in it.
type TopicInterest struct {
	Topic string
	Level Level
}

// Profile is what a person tells the programme about themselves.
type Profile struct {
	Role         Role
	Topics       []TopicInterest
	JobLevel     JobLevel
	Department   string
	ManagerID    string // "" when the person has no manager in the workspace
	TimeZone     string // an IANA name such as Europe/London
	Availability Availability
	Pitch        string // one sentence: what I'm great at, or what I want to learn
	Capacity     int    // for a mentor: how many mentees at once, 1 to MaxCapacity
}

// MaxCapacity is the most mentees a mentor takes at once: beyond three,
// sessions crowd out the mentor's own work.
const MaxCapacity = 3

// TopicNames lists the profile's topics in order.
func (p Profile) TopicNames() []string {
	names := make([]string, len(p.Topics))
	for i, t := range p.Topics {
		names[i] = t.Topic
	}
	return names
}

// Participant is a person who joined the programme.
type Participant struct {
	ID string // the person's chat user ID
	Profile
	State      State
	StateSince time.Time
	// PausedUntil is when a paused participant comes back, and ResumeState
	// the state they come back to.
	PausedUntil time.Time
	ResumeState State
	// ScreenedInCycle is the cycle in which HR last approved or declined
	// this mentor (0 when no cycle was open), so a declined mentor can apply
	// again in the next one.
	ScreenedInCycle int64
	JoinedAt        time.Time
	UpdatedAt       time.Time
}

// TakingPart reports whether the person is in the programme: admitted and
// not gone, a pause included. Only they have goals and an onboarding to
// confirm.
func (p Participant) TakingPart() bool { return p.State.active() || p.State == StatePaused }

// Matchable reports whether matching may pair this person: approved (or
// screened, for a mentor), trained for their role, not paused, not paired.
func (p Participant) Matchable() bool { return p.State == StateTrained }

// Limits on what a person may write, so profiles stay readable in a message
// and fit in Slack's fields.
const (
	MaxTopics          = 5
	MaxTopicLength     = 40
	MaxDepartmentChars = 60
	MinPitchChars      = 10
	MaxPitchChars      = 200
)

// ProfileForm is the join form as a person filled it in: raw text and picks,
// before any of it is trusted.
type ProfileForm struct {
	Role         string
	Topics       []string // picked from the catalogue
	OtherTopics  string   // typed, comma-separated
	JobLevel     string
	Department   string
	ManagerID    string
	TimeZone     string
	Availability string
	Levels       []string // one per topic, in the order ParseBasics returns them
	Pitch        string
	Capacity     string // mentors: mentees at once
}

// Names of the form's fields, used as keys of FieldErrors.
const (
	FieldRole         = "role"
	FieldTopics       = "topics"
	FieldOtherTopics  = "other_topics"
	FieldJobLevel     = "job_level"
	FieldDepartment   = "department"
	FieldManager      = "manager"
	FieldTimeZone     = "timezone"
	FieldAvailability = "availability"
	FieldPitch        = "pitch"
	FieldCapacity     = "capacity"
)

// FieldLevel names the level field of the i-th topic.
func FieldLevel(i int) string { return "level_" + strconv.Itoa(i) }

// ParseBasics checks the first part of the join form (everything but the
// levels and the pitch) for the person with ID self. The profile's topics
// have no levels yet.
func (f ProfileForm) ParseBasics(self string) (Profile, error) {
	var p Profile
	errs := FieldErrors{}

	switch Role(strings.TrimSpace(f.Role)) {
	case RoleMentor:
		p.Role = RoleMentor
	case RoleMentee:
		p.Role = RoleMentee
	default:
		errs.Add(FieldRole, "Choose whether you want to teach or to learn.")
	}

	topics, field, err := parseTopics(f.Topics, f.OtherTopics)
	if err != nil {
		errs.Add(field, ErrorMessage(err))
	}
	for _, t := range topics {
		p.Topics = append(p.Topics, TopicInterest{Topic: t})
	}

	level, err := strconv.Atoi(strings.TrimSpace(f.JobLevel))
	if err != nil || level < int(JobLevels[0]) || level > int(JobLevels[len(JobLevels)-1]) {
		errs.Add(FieldJobLevel, "Choose the level closest to your job today.")
	}
	p.JobLevel = JobLevel(level)

	p.Department = collapseSpaces(f.Department)
	switch n := utf8.RuneCountInString(p.Department); {
	case n < 2:
		errs.Add(FieldDepartment, "Write your department, like Finance or Customer Support.")
	case n > MaxDepartmentChars:
		errs.Add(FieldDepartment, fmt.Sprintf("Keep the department under %d characters.", MaxDepartmentChars))
	}

	p.ManagerID = strings.TrimSpace(f.ManagerID)
	if p.ManagerID != "" && p.ManagerID == self {
		errs.Add(FieldManager, "Pick your manager, not yourself, or leave it empty if you have none here.")
	}

	zone, err := ParseTimeZone(f.TimeZone)
	if err != nil {
		errs.Add(FieldTimeZone, ErrorMessage(err))
	}
	p.TimeZone = zone

	p.Availability, err = ParseAvailability(f.Availability)
	if err != nil {
		errs.Add(FieldAvailability, ErrorMessage(err))
	}
	return p, errs.Err()
}

// Parse checks the whole join form and returns the profile it describes.
func (f ProfileForm) Parse(self string) (Profile, error) {
	p, err := f.ParseBasics(self)
	if err != nil {
		return p, err
	}
	errs := FieldErrors{}
	for i := range p.Topics {
		level := 0
		if i < len(f.Levels) {
			level, _ = strconv.Atoi(strings.TrimSpace(f.Levels[i]))
		}
		if level < int(Levels[0]) || level > int(Levels[len(Levels)-1]) {
			errs.Add(FieldLevel(i), "Choose your level in "+p.Topics[i].Topic+".")
			continue
		}
		p.Topics[i].Level = Level(level)
	}
	if p.Role == RoleMentor {
		n, err := strconv.Atoi(strings.TrimSpace(f.Capacity))
		if err != nil || n < 1 || n > MaxCapacity {
			errs.Add(FieldCapacity, fmt.Sprintf("Choose how many mentees you could take at once, 1 to %d.", MaxCapacity))
		}
		p.Capacity = n
	}
	p.Pitch = collapseSpaces(f.Pitch)
	switch n := utf8.RuneCountInString(p.Pitch); {
	case n < MinPitchChars:
		if p.Role == RoleMentor {
			errs.Add(FieldPitch, "Write one sentence on what you're great at, like \"I automate boring spreadsheet work\".")
		} else {
			errs.Add(FieldPitch, "Write one sentence on what you want to learn, like \"How my team uses AI tools day to day\".")
		}
	case n > MaxPitchChars:
		errs.Add(FieldPitch, fmt.Sprintf("One sentence, please: %d characters at most (this one has %d).", MaxPitchChars, n))
	}
	return p, errs.Err()
}

// parseTopics merges catalogue picks and typed topics, dropping repeats, and
// says which field a problem belongs to.
func parseTopics(picked []string, other string) ([]string, string, error) {
	var topics []string
	seen := map[string]bool{}
	add := func(t string) {
		key := strings.ToLower(t)
		if !seen[key] {
			seen[key] = true
			topics = append(topics, t)
		}
	}
	for _, t := range picked {
		if t = collapseSpaces(t); t != "" {
			add(t)
		}
	}
	for _, t := range strings.FieldsFunc(other, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		t = collapseSpaces(t)
		if t == "" {
			continue
		}
		if n := utf8.RuneCountInString(t); n < 2 || n > MaxTopicLength {
			return nil, FieldOtherTopics, Errorf(EINVALID, "%q: keep each topic between 2 and %d characters, separated by commas.", t, MaxTopicLength)
		}
		add(t)
	}
	switch {
	case len(topics) == 0:
		return nil, FieldTopics, Errorf(EINVALID, "Pick at least one topic, or write your own under Other topics.")
	case len(topics) > MaxTopics:
		field := FieldTopics
		if strings.TrimSpace(other) != "" {
			field = FieldOtherTopics
		}
		return nil, field, Errorf(EINVALID, "That's %d topics; pick your top %d so matching can focus.", len(topics), MaxTopics)
	}
	return topics, "", nil
}

// ParseTimeZone accepts an IANA time zone name, forgiving its capitals
// ("europe/london" is Europe/London), and returns its canonical spelling.
func ParseTimeZone(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", Errorf(EINVALID, "Write your time zone, like Europe/London or America/New_York.")
	}
	for _, candidate := range []string{name, capitalizeZone(name), strings.ToUpper(name)} {
		if candidate == "Local" || strings.ContainsAny(candidate, " \\") || strings.Contains(candidate, "..") {
			continue
		}
		if _, err := time.LoadLocation(candidate); err == nil {
			return candidate, nil
		}
	}
	return "", Errorf(EINVALID, "%q isn't a time zone we know. Use a name like Europe/London, Asia/Singapore or America/New_York.", name)
}

// capitalizeZone writes "america/new_york" as "America/New_York".
func capitalizeZone(name string) string {
	b := []byte(strings.ToLower(name))
	upper := true
	for i, c := range b {
		if upper && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		upper = c == '/' || c == '_' || c == '-'
	}
	return string(b)
}

func collapseSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

// System is the actor of moves the programme makes by itself, such as a
// pause ending on its date.
const System = "mentorbot"

// Transition is one move of a participant between states: who made it and
// when.
type Transition struct {
	ParticipantID string
	Role          Role
	From, To      State // From is "" when the person first joins
	By            string
	CycleID       int64 // the cycle open at the time, 0 when none was
	At            time.Time
	Screening     *Screening // HR's decision on a mentor's application
}
