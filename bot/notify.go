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
		b.tell(ctx, n.To, noticeMessage(n))
		b.refreshHome(ctx, n.To)
	}
}
