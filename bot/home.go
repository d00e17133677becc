package bot

import (
	"context"

	"github.com/slack-go/slack/slackevents"

	"github.com/mentorbot/mentorbot"
)

// homeOpened publishes the person's Home tab each time they open it, so it
// always shows where they stand now.
func (b *Bot) homeOpened(_ context.Context, inner slackevents.EventsAPIInnerEvent) reply {
	evt, ok := inner.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok || evt.Tab != "home" {
		return reply{}
	}
	return reply{after: func(ctx context.Context) { b.refreshHome(ctx, evt.User) }}
}

// refreshHome publishes the person's Home tab as things stand: their
// status, next step, goals, pair and profile, and for admins the programme.
func (b *Bot) refreshHome(ctx context.Context, userID string) {
	status, err := b.programme.Status(ctx, userID)
	if err != nil {
		b.log.Error("could not load the person's status for the Home tab", "user", userID, "err", err)
		return
	}
	var overview *mentorbot.Overview
	if status.Admin {
		o, err := b.programme.Overview(ctx, userID)
		if err != nil {
			b.log.Error("could not load the programme overview for the Home tab", "user", userID, "err", err)
			return
		}
		overview = &o
	}
	if err := b.send.publishHome(ctx, userID, homeView(homeBlocks(status, overview)...)); err != nil {
		b.log.Error("could not publish the Home tab", "user", userID, "err", err)
	}
}
