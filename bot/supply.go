package bot

import (
	"context"

	"github.com/slack-go/slack"
)

// Admins see, for every topic, who wants it and who can teach it: on the
// Home tab the topics where demand outruns supply, and the whole view
// behind its button.
const actionOpenSupply = "supply_open"

func (b *Bot) prepareSupply(ctx context.Context, userID, _ string) (slack.ModalViewRequest, error) {
	supply, err := b.programme.Supply(ctx, userID)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	return supplyModal(supply), nil
}
