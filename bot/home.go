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
	return reply{after: func(ctx context.Context) {
		p, err := b.programme.Participant(ctx, evt.User)
		switch mentorbot.ErrorCode(err) {
		case "":
			b.publishHome(ctx, evt.User, &p)
		case mentorbot.ENOTFOUND:
			b.publishHome(ctx, evt.User, nil)
		default:
			b.log.Error("could not load the participant for the Home tab", "user", evt.User, "err", err)
		}
	}}
}

func (b *Bot) publishHome(ctx context.Context, userID string, p *mentorbot.Participant) {
	if err := b.send.publishHome(ctx, userID, homeView(homeBlocks(p)...)); err != nil {
		b.log.Error("could not publish the Home tab", "user", userID, "err", err)
	}
}
