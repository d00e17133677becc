package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// The simulated people are made from these. Their topics are ones the
// named cast never picks, so matching pairs them among themselves and the
// named story plays as written.
var (
	crowdFirstNames = []string{"Aisha", "Amara", "Bilal", "Bram", "Carmen", "Chen", "Dara", "Diego", "Elif", "Esther",
		"Farah", "Femi", "Gustav", "Hana", "Ines", "Jonas", "Kofi", "Leila", "Mateo", "Nadia",
		"Oskar", "Priya", "Quinn", "Rosa", "Tariq", "Uma", "Viktor", "Wen", "Yusuf", "Zoe"}
	crowdLastNames = []string{"Abara", "Berg", "Byrne", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
		"Jensen", "Kowalski", "Lindgren", "Lopes", "Mensah", "Moreau", "Nakamura", "Novak", "Okoye", "Petrov",
		"Quint", "Rossi", "Schmidt", "Tanaka", "Urban", "Varga", "Weiss", "Xu", "Yilmaz", "Zamora"}
	crowdZones = []string{"Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Berlin", "Europe/Paris",
		"Europe/Madrid", "Europe/Stockholm", "Africa/Lagos"}
	crowdDepartments = []string{"Sales", "Operations", "Legal", "Engineering", "Marketing", "Finance", "Customer Support", "Product"}
	crowdTopics      = []string{"Collaboration tools", "Mobile apps", "Cybersecurity habits", "Remote and hybrid work",
		"How younger colleagues work", "Customer trends", "Personal branding online"}
	// Any two of these share a day and some hours, whatever the zones
	// above, so the matching is never short of time in common.
	crowdAvailability = []string{"Tue-Thu 10:00-16:00", "Mon-Wed 11:00-17:00", "Wed-Fri 09:30-15:30", "Tue/Thu 12:00-17:00"}
)

// crowdPerson is a simulated person and what they write in the forms.
type crowdPerson struct {
	demoPerson
	mentor          bool
	basics, more    map[string]string
	goal, signal    string
	useful, comfort int // what they answer in pulses
}

// crowd is the simulated people, made from a seed so the same seed plays
// the same demo.
type crowd struct {
	members []*crowdPerson
	byID    map[string]*crowdPerson
	paired  []string // who accepted a match, mentee then mentor
	// atRisk is the pair that stops meeting, so HR sees it flagged.
	atRisk int64
}

func newCrowd(seed uint64, size int) *crowd {
	rng := rand.New(rand.NewPCG(seed, seed))
	c := &crowd{byID: map[string]*crowdPerson{}}
	firsts, lasts := rng.Perm(len(crowdFirstNames)), rng.Perm(len(crowdLastNames))
	for i := range size {
		// Every first name once before any comes again, and never the
		// same full name twice (the lists are as long as each other).
		n := len(crowdFirstNames)
		first, last := crowdFirstNames[firsts[i%n]], crowdLastNames[lasts[(i%n+i/n)%n]]
		department := crowdDepartments[rng.IntN(len(crowdDepartments))]
		p := &crowdPerson{
			demoPerson: demoPerson{User: fakeslack.User{
				ID:       fmt.Sprintf("U1%03d", i+1),
				Name:     strings.ToLower(first + "." + last),
				RealName: first + " " + last,
				TZ:       crowdZones[rng.IntN(len(crowdZones))],
			}},
			mentor:  i%2 == 0,
			useful:  3 + rng.IntN(3),
			comfort: 3 + rng.IntN(3),
		}
		topics := pick(rng, crowdTopics, 2)
		if p.mentor {
			topics = pick(rng, crowdTopics, 3)
		}
		p.basics = map[string]string{
			"topics": strings.Join(topics, ","), "department": department, "timezone": p.TZ,
			"availability": crowdAvailability[rng.IntN(len(crowdAvailability))],
		}
		p.more = map[string]string{}
		if p.mentor {
			p.about = fmt.Sprintf("simulated, %s associate; wants to teach", strings.ToLower(department))
			p.basics["role"], p.basics["job_level"] = "mentor", fmt.Sprint(1+rng.IntN(3))
			p.more["pitch"] = fmt.Sprintf("Colleagues ask me first about %s.", strings.ToLower(topics[0]))
			p.goal, p.signal = "Show my mentee how I use "+strings.ToLower(topics[0]), "My mentee tries it on a real task"
		} else {
			p.about = fmt.Sprintf("simulated, head of %s; wants to learn", strings.ToLower(department))
			p.basics["role"], p.basics["job_level"] = "mentee", fmt.Sprint(5+rng.IntN(3))
			p.more["pitch"] = fmt.Sprintf("What %s could change for my team.", strings.ToLower(topics[0]))
			p.goal, p.signal = "Get comfortable with "+strings.ToLower(topics[0]), "I use it in a real piece of work"
		}
		for j := range topics {
			level := 1 + rng.IntN(2)
			if p.mentor {
				level = 4 + rng.IntN(2)
			}
			p.more[mentorbot.FieldLevel(j)] = fmt.Sprint(level)
		}
		c.members = append(c.members, p)
		c.byID[p.ID] = p
	}
	return c
}

// pick returns n of the topics, in the catalogue's order, as the join
// form lists them.
func pick(rng *rand.Rand, topics []string, n int) []string {
	var picked []string
	for _, i := range rng.Perm(len(topics))[:n] {
		picked = append(picked, topics[i])
	}
	slices.SortFunc(picked, func(a, b string) int {
		return slices.Index(mentorbot.DefaultTopics, a) - slices.Index(mentorbot.DefaultTopics, b)
	})
	return picked
}

func (c *crowd) people() []demoPerson {
	var out []demoPerson
	for _, p := range c.members {
		out = append(out, p.demoPerson)
	}
	return out
}

func (c *crowd) mentors() []*crowdPerson {
	return slices.DeleteFunc(slices.Clone(c.members), func(p *crowdPerson) bool { return !p.mentor })
}

// playCrowdJoins has the simulated people join, one after another as
// people do, Hope approve their mentors, and all of them read their
// onboarding and set a goal.
func (d *demo) playCrowdJoins(ctx context.Context) error {
	if len(d.crowd.members) == 0 {
		return nil
	}
	hope := d.slack.Person("U0HOPE")
	d.step("%d more people join, %d to teach and %d to learn. Hope approves the mentors from her Home tab; all read their onboarding and set a goal.",
		len(d.crowd.members), len(d.crowd.mentors()), len(d.crowd.members)-len(d.crowd.mentors()))
	for _, c := range d.crowd.members {
		p := d.slack.Person(c.ID)
		if err := openForm(ctx, p, "/mentor join", "Join mentorbot"); err != nil {
			return err
		}
		if err := d.submitBoth(ctx, p, c.basics, c.more); err != nil {
			return err
		}
		if err := sawDM(ctx, d.slack, p, "Welcome to reverse mentoring"); err != nil {
			return err
		}
	}
	if _, err := hope.OpensHome(ctx); err != nil {
		return err
	}
	for _, c := range d.crowd.mentors() {
		if _, err := hope.WaitHome(ctx, "<@"+c.ID+">"); err != nil {
			return err
		}
		if err := clickOpens(ctx, hope, "applicant_"+c.ID, "screen_review", "Screen a mentor"); err != nil {
			return err
		}
		if err := d.submitSees(ctx, hope, map[string]string{"checks": "patience,example,listening", "decision": "approve"}, "Decision saved"); err != nil {
			return err
		}
		if err := sawDM(ctx, d.slack, d.slack.Person(c.ID), "You're approved to mentor"); err != nil {
			return err
		}
	}
	for _, c := range d.crowd.members {
		p, onboarding := d.slack.Person(c.ID), "How to learn well"
		if c.mentor {
			onboarding = "How to mentor well"
		}
		if err := openForm(ctx, p, "/mentor training", onboarding); err != nil {
			return err
		}
		if err := d.submitSees(ctx, p, nil, "Thank you"); err != nil {
			return err
		}
		if err := openForm(ctx, p, "/mentor goals", "Your goals"); err != nil {
			return err
		}
		if err := d.submitSees(ctx, p, map[string]string{"goal_0": c.goal, "goal_0_signal": c.signal}, "Goals saved"); err != nil {
			return err
		}
	}
	return nil
}

// crowdPairs are the pairs of simulated people in the state, oldest first.
func (d *demo) crowdPairs(ctx context.Context, state mentorbot.PairState) ([]mentorbot.Pair, error) {
	pairs, err := d.app.DB.PairsIn(ctx, state)
	return slices.DeleteFunc(pairs, func(p mentorbot.Pair) bool { return d.crowd.byID[p.MentorID] == nil }), err
}

// playCrowdAccepts has each simulated pair accept their match, mentee
// first, and confirm the time mentorbot offers them; the last pair is the
// one that will stop meeting.
func (d *demo) playCrowdAccepts(ctx context.Context) error {
	pairs, err := d.crowdPairs(ctx, mentorbot.PairProposed)
	if err != nil || len(pairs) == 0 {
		return err
	}
	d.step("The %d pairs of the other people accept their match too, and confirm the time mentorbot offers them.", len(pairs))
	for _, pair := range pairs {
		mentee, mentor := d.slack.Person(pair.MenteeID), d.slack.Person(pair.MentorID)
		for _, answer := range []struct {
			p    *fakeslack.Person
			sees string
		}{{mentee, "You accepted the match with"}, {mentor, "You accepted, and so did"}} {
			if err := sawDM(ctx, d.slack, answer.p, "Meet your match"); err != nil {
				return err
			}
			if err := clickSees(ctx, d.slack, answer.p, "pair_accept", answer.sees); err != nil {
				return err
			}
		}
		d.crowd.paired = append(d.crowd.paired, pair.MenteeID, pair.MentorID)
		for _, p := range []*fakeslack.Person{mentee, mentor} {
			if err := sawDM(ctx, d.slack, p, "When will you and"); err != nil {
				return err
			}
			if err := d.slack.WaitUntil(ctx, func() bool { return len(p.GroupMessages()) == 1 }); err != nil {
				return err
			}
		}
		if err := clickSees(ctx, d.slack, mentee, "slot_confirm", "You picked a time."); err != nil {
			return err
		}
		if err := clickSees(ctx, d.slack, mentor, "slot_confirm", "Agreed with"); err != nil {
			return err
		}
		for _, p := range []*fakeslack.Person{mentee, mentor} {
			// The invite comes as a file with that message.
			if err := sawDM(ctx, d.slack, p, "are booked"); err != nil {
				return err
			}
		}
	}
	d.crowd.atRisk = pairs[len(pairs)-1].ID
	return nil
}

// playCrowdWeeks plays the fortnight after: the simulated pairs meet
// again, one pair stops meeting, the hourly risk check flags it to Hope
// and she nudges them.
func (d *demo) playCrowdWeeks(ctx context.Context) error {
	pairs, err := d.crowdPairs(ctx, mentorbot.PairActive)
	if err != nil || len(pairs) == 0 {
		return err
	}
	until := secondChecksDue(pairs)
	var atRisk mentorbot.Pair
	for _, p := range pairs {
		if p.ID == d.crowd.atRisk {
			atRisk = p
		}
	}
	mentee, mentor := d.crowd.byID[atRisk.MenteeID], d.crowd.byID[atRisk.MentorID]
	d.step("Two weeks pass. The other pairs meet, twice, and answer their pulses; %s and %s say neither of their sessions happened.", mentor.RealName, mentee.RealName)
	if err := d.moveClock(ctx, until); err != nil {
		return err
	}

	d.step("The hourly risk check flags that pair to Hope, privately, with what she can do. She nudges them; they hear only a friendly reminder.")
	d.app.Scheduler.FlagRisks(ctx)
	hope := d.slack.Person("U0HOPE")
	if err := sawDM(ctx, d.slack, hope, fmt.Sprintf("<@%s> (mentor) and <@%s> (mentee) may need a hand", mentor.ID, mentee.ID)); err != nil {
		return err
	}
	if err := clickSees(ctx, d.slack, hope, "risk_nudge", "nudged the pair"); err != nil {
		return err
	}
	for _, id := range []string{mentee.ID, mentor.ID} {
		if err := sawDM(ctx, d.slack, d.slack.Person(id), "It's been a little while since you and"); err != nil {
			return err
		}
	}
	return nil
}

// secondChecksDue is when the last of the pairs is asked whether its second
// session happened: the end of the fortnight the crowd plays.
func secondChecksDue(pairs []mentorbot.Pair) time.Time {
	var last time.Time
	for _, p := range pairs {
		if second, ok := p.Slot.Session(1); ok {
			if check := second.Add(p.Slot.Length + mentorbot.CheckDelay); check.After(last) {
				last = check
			}
		}
	}
	return last
}

// crowdAnswers has each simulated pair say whether their sessions
// happened, and rate the ones that did. The pair at risk says they didn't.
func (d *demo) crowdAnswers(ctx context.Context) error {
	pairs, err := d.crowdPairs(ctx, mentorbot.PairActive)
	if err != nil {
		return err
	}
	for _, pair := range pairs {
		mentee, mentor := d.slack.Person(pair.MenteeID), d.slack.Person(pair.MentorID)
		answer := "session_held_yes"
		if pair.ID == d.crowd.atRisk {
			answer = "session_held_no"
		}
		for newDMsSaying(d.slack, mentee, "Did your session with") > dmsSaying(d.slack, mentee, "Thanks: you said your session with") {
			pulses := []int{newDMsSaying(d.slack, mentee, "How was your session with"), newDMsSaying(d.slack, mentor, "How was your session with")}
			for _, p := range []*fakeslack.Person{mentee, mentor} {
				if err := clickSees(ctx, d.slack, p, answer, "Thanks: you said your session with"); err != nil {
					return err
				}
				if answer != "session_held_yes" {
					continue
				}
				// The first yes owes both of them a pulse.
				if err := d.slack.WaitUntil(ctx, func() bool {
					return newDMsSaying(d.slack, mentee, "How was your session with") > pulses[0] &&
						newDMsSaying(d.slack, mentor, "How was your session with") > pulses[1]
				}); err != nil {
					return err
				}
			}
			if answer != "session_held_yes" {
				continue
			}
			for _, p := range []*fakeslack.Person{mentee, mentor} {
				c := d.crowd.byID[p.ID()]
				if err := clickShows(ctx, d.slack, p, fmt.Sprintf("pulse_useful_%d", c.useful)); err != nil {
					return err
				}
				if err := clickSees(ctx, d.slack, p, fmt.Sprintf("pulse_comfort_%d", c.comfort), "Thank you, that's all."); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
