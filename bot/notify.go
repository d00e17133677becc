package bot

import (
	"context"

	"github.com/mentorbot/mentorbot"
)

// Notify tells people about changes someone else made, or the programme
// made by itself: each notice becomes a DM, and the reader's Home tab is
// brought up to date.
func (b *Bot) Notify(ctx context.Context, notices []mentorbot.Notice) {
	for _, n := range notices {
		if n.Kind == mentorbot.NoticePairStarted {
			// The pair starts together: one conversation with both.
			people := []string{n.Pair.MentorID, n.Pair.MenteeID}
			if err := b.send.groupDM(ctx, people, pairStartedMessage(n)); err != nil {
				b.log.Error("could not open the pair's conversation", "pair", n.Pair.ID, "err", err)
			}
			for _, id := range people {
				b.refreshHome(ctx, id)
			}
			continue
		}
		b.tell(ctx, n.To, noticeMessage(n))
		b.refreshHome(ctx, n.To)
	}
}
