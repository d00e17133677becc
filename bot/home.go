package bot

import (
	"context"
	"hash/maphash"
	"sync"

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
	// One refresh at a time per person, reading and publishing under the
	// same lock: two changes close together otherwise publish in either
	// order, and the older view can land last.
	lock := b.homeLocks.of(userID)
	lock.Lock()
	defer lock.Unlock()
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

// homeLocks serialises Home tab refreshes per person; people share a
// stripe, which bounds the locks however many people there are.
type homeLocks struct {
	seed    maphash.Seed
	stripes [64]sync.Mutex
}

func newHomeLocks() *homeLocks { return &homeLocks{seed: maphash.MakeSeed()} }

func (l *homeLocks) of(userID string) *sync.Mutex {
	return &l.stripes[maphash.String(l.seed, userID)%uint64(len(l.stripes))]
}
