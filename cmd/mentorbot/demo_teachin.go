package main

import (
	"context"
	"time"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

// playTeachIns is the story of a teach-in: Kim teaches several seniors at
// once, it fills, keeps a waiting list, and a place given up moves the
// first person waiting in.
func (d *demo) playTeachIns(ctx context.Context) error {
	kim, lena, grace, ada, hope := d.slack.Person("U0KIM"), d.slack.Person("U0LENA"), d.slack.Person("U0GRACE"), d.slack.Person("U0ADA"), d.slack.Person("U0HOPE")

	d.step("Kim offers a teach-in with `/mentor teach-in offer`: \"AI assistants for month-end\", Tuesday 24 March at 13:00 her time, an hour, 2 places, in a room or on a call.")
	if err := openForm(ctx, kim, "/mentor teach-in offer", "Offer a teach-in"); err != nil {
		return err
	}
	offer := map[string]string{
		"teachin_topic": "AI assistants at work", "teachin_title": "AI assistants for month-end",
		"teachin_date": "2026-03-24", "teachin_time": "13:00", "teachin_length": "60", "teachin_places": "2",
		"teachin_join":        "Room 3.14, or https://meet.example.com/kim",
		"teachin_description": "Reconciliations, variance notes and the board pack: what an assistant drafts well, and what to check.",
	}
	if err := d.submitSees(ctx, kim, offer, "Teach-in offered"); err != nil {
		return err
	}

	d.step("Lena and Grace want that topic and are free then, so each gets one invitation. Lena signs up from hers; Grace opens `/mentor teach-in` and takes the last place.")
	if _, err := lena.WaitDM(ctx, "A teach-in on a topic you want to learn"); err != nil {
		return err
	}
	if err := clickSees(ctx, d.slack, lena, "teachin_sign_up", "You're in"); err != nil {
		return err
	}
	if _, err := grace.Types(ctx, "/mentor teach-in"); err != nil {
		return err
	}
	if _, err := grace.WaitReply(ctx, "1 place left of 2"); err != nil {
		return err
	}
	if err := clickSees(ctx, d.slack, grace, "teachin_sign_up", "You're in"); err != nil {
		return err
	}

	d.step("Ada wants to learn it too; it's full, so she joins the waiting list. Only Kim sees who signed up; Hope's Home tab shows the counts.")
	if _, err := ada.Types(ctx, "/mentor teach-in"); err != nil {
		return err
	}
	if _, err := ada.WaitReply(ctx, "Full (2 places)"); err != nil {
		return err
	}
	if err := clickSees(ctx, d.slack, ada, "teachin_sign_up", "waiting list"); err != nil {
		return err
	}
	if _, err := kim.OpensHome(ctx); err != nil {
		return err
	}
	if _, err := kim.WaitHome(ctx, "Waiting: <@U0ADA>"); err != nil {
		return err
	}
	if _, err := hope.OpensHome(ctx); err != nil {
		return err
	}
	if _, err := hope.WaitHome(ctx, "2 of 2 places taken, 1 waiting"); err != nil {
		return err
	}

	d.step("Lena has a clash with the month-end close and gives up her place from her Home tab: Ada moves up, and gets the calendar invite.")
	if _, err := lena.OpensHome(ctx); err != nil {
		return err
	}
	if _, err := lena.WaitHome(ctx, "Give up my place"); err != nil {
		return err
	}
	if _, err := lena.Clicks(ctx, "teachin_leave"); err != nil {
		return err
	}
	if err := sawDM(ctx, d.slack, lena, "You've given up your place"); err != nil {
		return err
	}
	if err := sawDM(ctx, d.slack, ada, "A place opened up and it's yours"); err != nil {
		return err
	}

	d.step("An hour before, Kim, Grace and Ada get a reminder with how to join; afterwards Grace and Ada each get a private two-tap pulse.")
	if err := d.moveClock(ctx, time.Date(2026, 3, 24, 11, 0, 0, 0, time.UTC)); err != nil {
		return err
	}
	for _, p := range []*fakeslack.Person{kim, grace, ada} {
		if err := sawDM(ctx, d.slack, p, "Coming up: *AI assistants for month-end*"); err != nil {
			return err
		}
	}
	if err := d.moveClock(ctx, time.Date(2026, 3, 24, 14, 0, 0, 0, time.UTC)); err != nil {
		return err
	}
	for _, answer := range []struct {
		p       *fakeslack.Person
		useful  string
		another string
	}{{grace, "teachin_useful_5", "teachin_recommend_yes"}, {ada, "teachin_useful_4", "teachin_recommend_yes"}} {
		if err := sawDM(ctx, d.slack, answer.p, "How was *AI assistants for month-end*"); err != nil {
			return err
		}
		if err := clickShows(ctx, d.slack, answer.p, answer.useful); err != nil {
			return err
		}
		if err := clickSees(ctx, d.slack, answer.p, answer.another, "Thank you, that's all."); err != nil {
			return err
		}
	}

	sam := d.slack.Person("U0SAM")
	d.step("Sam offers \"Prompts that work\" for the next Tuesday and Lena signs up from her invitation; then a launch lands on that day and Sam cancels it from his Home tab. Lena is told, and it leaves her calendar.")
	if err := openForm(ctx, sam, "/mentor teach-in offer", "Offer a teach-in"); err != nil {
		return err
	}
	offer = map[string]string{
		"teachin_topic": "AI assistants at work", "teachin_title": "Prompts that work",
		"teachin_date": "2026-03-31", "teachin_time": "12:00", "teachin_length": "45", "teachin_places": "8",
		"teachin_join":        "https://meet.example.com/sam",
		"teachin_description": "Five prompts for briefs, summaries and replies, and how to check what comes back.",
	}
	if err := d.submitSees(ctx, sam, offer, "Teach-in offered"); err != nil {
		return err
	}
	if err := sawDM(ctx, d.slack, lena, "*Prompts that work*"); err != nil {
		return err
	}
	// The button in her invitation: her Home tab still shows the last one.
	if _, err := lena.ClicksIn(ctx, "teachin_2", "teachin_sign_up"); err != nil {
		return err
	}
	if err := sawDM(ctx, d.slack, lena, "You're in: *Prompts that work*"); err != nil {
		return err
	}
	if _, err := sam.OpensHome(ctx); err != nil {
		return err
	}
	if _, err := sam.WaitHome(ctx, "Signed up: <@U0LENA>"); err != nil {
		return err
	}
	if _, err := sam.Clicks(ctx, "teachin_cancel"); err != nil {
		return err
	}
	if err := sawDM(ctx, d.slack, sam, "You cancelled *Prompts that work*"); err != nil {
		return err
	}
	if err := sawDM(ctx, d.slack, lena, "*Prompts that work* is cancelled"); err != nil {
		return err
	}
	return nil
}
