package bot

import (
	"fmt"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot"
)

// thanksOfferBlock invites a person at close-out to offer a thank-you.
func thanksOfferBlock(d mentorbot.Delivery) slack.Block {
	text := fmt.Sprintf("*Say thank you out loud?* If you'd like, write one line to share in <#%s>. Nothing is posted unless you and %s both say yes to the exact words, and either of you can take it back until it's posted.",
		d.Celebrate, mention(d.Partner.ID))
	return paragraphWithButton("thanks", text, carrying(button(actionOpenThanks, "Write a thank-you"), pairValue(d.Pair.ID)))
}

func thanksModal(v mentorbot.ThanksView) slack.ModalViewRequest {
	partner := v.Pair.MentorID
	if partner == v.Thanks.AuthorID || partner == "" {
		partner = v.Pair.MenteeID
	}
	return modal(callbackThanks, "A thank-you", "Offer it", pairValue(v.Pair.ID),
		paragraph(fmt.Sprintf("One line to share in <#%s>: what you learnt, or what you're grateful for.", v.Channel)),
		textInput(mentorbot.FieldThanks, "Your thank-you", "", "Thank you for showing me how to…", mentorbot.MaxThanksChars, false),
		note("You and your partner each see it exactly as it would be posted. It goes only if you both say yes, and either of you can take it back until then. Scores and ratings stay out: they're private."),
	)
}

func thanksOfferedText(v mentorbot.ThanksView, author string) string {
	return fmt.Sprintf("Thank you. You and %s each have it in your DMs exactly as it would be posted in <#%s>. It goes only if you both say yes.",
		mention(v.Pair.Partner(author)), v.Channel)
}

// thanksPostBlocks are the post exactly as the channel gets it, and as
// both of the pair are shown it before they answer.
func thanksPostBlocks(t mentorbot.Thanks, p mentorbot.Pair) []slack.Block {
	return []slack.Block{
		paragraph(fmt.Sprintf("🎉 *A thank-you from %s to %s*\n%s", mention(t.AuthorID), mention(p.Partner(t.AuthorID)), quoted(t.Text))),
		note("Shared because both of them chose to. In reverse mentoring, colleagues early in their careers teach senior ones, and both learn."),
	}
}

func thanksPostMessage(t mentorbot.Thanks, p mentorbot.Pair) message {
	return message{text: fmt.Sprintf("A thank-you from %s to %s", mention(t.AuthorID), mention(p.Partner(t.AuthorID))), blocks: thanksPostBlocks(t, p)}
}

// thanksAskMessage shows the reader the exact post and where it stands
// for them. A senior asked about a junior's thanks reads "no" first and as
// plainly as "yes": being seen learning from a junior is their choice.
func thanksAskMessage(v mentorbot.ThanksView, reader string) message {
	t, p := v.Thanks, v.Pair
	partner := mention(p.Partner(reader))
	value := thanksValue(t.ID)
	yes := carrying(button(actionThanksYes, "Yes, share it"), value)
	no := carrying(button(actionThanksNo, "No, keep it between us"), value)
	withdraw := carrying(button(actionThanksWithdraw, "Take my yes back"), value)

	var intro string
	var actions []*slack.ButtonBlockElement
	switch {
	case t.State == mentorbot.ThanksKept:
		intro = fmt.Sprintf("This thank-you stays between you and %s; it won't be posted.", partner)
	case t.State == mentorbot.ThanksPosted:
		intro = fmt.Sprintf("Posted in <#%s>. Thank you both.", v.Channel)
	case t.State == mentorbot.ThanksAgreed:
		intro = fmt.Sprintf("You both said yes: it goes to <#%s> shortly (thank-yous are spaced out, so each has its moment). You can still take your yes back until then.", v.Channel)
		actions = []*slack.ButtonBlockElement{withdraw}
	case t.SaidYes(reader, p):
		intro = fmt.Sprintf("You said yes. It goes once %s says yes too, and you can take your yes back until it's posted.", partner)
		actions = []*slack.ButtonBlockElement{withdraw}
	case reader == t.AuthorID:
		intro = fmt.Sprintf("Here is your thank-you exactly as it would be posted in <#%s>. It goes only if you and %s both say yes.", v.Channel, partner)
		actions = []*slack.ButtonBlockElement{yes, no}
	case reader == p.MenteeID:
		intro = fmt.Sprintf("%s would like to thank you in <#%s>, and it goes only if you say yes. Saying no is just as fine: nobody is told why, it stays between you two, and the thanks is yours either way. Here it is exactly as it would be posted:",
			partner, v.Channel)
		actions = []*slack.ButtonBlockElement{no, yes}
	default:
		intro = fmt.Sprintf("%s would like to thank you in <#%s>. Here it is exactly as it would be posted; it goes only if you both say yes. No is just as fine.", partner, v.Channel)
		actions = []*slack.ButtonBlockElement{yes, no}
	}
	blocks := []slack.Block{paragraph(intro)}
	blocks = append(blocks, thanksPostBlocks(t, p)...)
	if len(actions) > 0 {
		blocks = append(blocks, buttons("thanks_answer", actions...))
	}
	return message{text: "A thank-you to share, only if you both say yes", blocks: blocks}
}

// thanksKeptText tells the other of the pair it stays private, without
// saying who chose so.
func thanksKeptText(partner string) string {
	return fmt.Sprintf("The thank-you between you and %s won't be posted: it stays between you two. The thanks is still meant, and thank you both for the time you gave each other.", mention(partner))
}
