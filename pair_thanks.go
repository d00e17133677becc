package mentorbot

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// A thank-you is one line a person of a pair offers at close-out, to share
// in the celebration channel. Learning seen in public sends a signal, but
// a senior may not wish to be seen depending on a junior: nothing is posted
// unless both say yes to the exact words, shown to both, and either can
// take their yes back until it is posted.

// ThanksState is where a thank-you stands.
type ThanksState string

const (
	ThanksOffered ThanksState = "offered" // written; waiting for both to say yes
	ThanksAgreed  ThanksState = "agreed"  // both said yes; its post is owed
	ThanksPosted  ThanksState = "posted"  // on its way to the channel, or there
	ThanksKept    ThanksState = "kept"    // one of them said no or took their yes back
)

// Limits on a thank-you, and the name of its field.
const (
	MaxThanksChars = 200
	FieldThanks    = "thanks_text"
	// ThanksSpacing keeps posts apart in the channel, so a close-out
	// does not fill it at once.
	ThanksSpacing = 10 * time.Minute
	// maxThanksTries is how often an answer is tried again when the other
	// person's answer lands at the same moment.
	maxThanksTries = 3
)

// Thanks is a thank-you offered by one person of a pair to the other.
type Thanks struct {
	ID       int64
	PairID   int64
	CycleID  int64
	AuthorID string
	Text     string
	// MentorYes and MenteeYes are each person's yes to the exact text.
	MentorYes, MenteeYes bool
	State                ThanksState
	// Version counts saves, so two answers at once cannot undo each other.
	Version   int
	CreatedAt time.Time
	// PostAt is when its post is due, once both said yes.
	PostAt time.Time
}

// SaidYes reports whether the person has said yes to the thank-you.
func (t Thanks) SaidYes(id string, p Pair) bool {
	if id == p.MentorID {
		return t.MentorYes
	}
	return t.MenteeYes
}

// setYes records the person's answer.
func (t *Thanks) setYes(id string, p Pair, yes bool) {
	if id == p.MentorID {
		t.MentorYes = yes
	} else {
		t.MenteeYes = yes
	}
}

// ThanksView is a thank-you with its pair, as one of the two sees it.
type ThanksView struct {
	Thanks  Thanks
	Pair    Pair
	Channel string // where it would be posted
}

// scoreWords find a score in a thank-you: a post names no pulse score.
var scoreWords = regexp.MustCompile(`(?i)\b\d+(\.\d+)?\s*(/|out of)\s*(5|10)\b|\b(pulse|score[sd]?|rated|rating)\b|⭐|★`)

// ParseThanks checks a thank-you's text: one line, short, and about what
// was learnt rather than a score.
func ParseThanks(text string) (string, error) {
	text = strings.TrimSpace(text)
	errs := FieldErrors{}
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		errs.Add(FieldThanks, "Write one line, or close this if you'd rather not.")
	case strings.ContainsAny(text, "\r\n"):
		errs.Add(FieldThanks, "Keep it to one line.")
	case n > MaxThanksChars:
		errs.Add(FieldThanks, fmt.Sprintf("Keep it under %d characters (this has %d).", MaxThanksChars, n))
	case scoreWords.MatchString(text):
		errs.Add(FieldThanks, "Leave scores and ratings out: say what you learnt or what you're grateful for.")
	}
	return text, errs.Err()
}

// thanksPair loads a pair whose person may offer a thank-you: the feature
// is on, the person is one of the pair, and the pair met to the end of a
// closed cycle.
func (pr *Programme) thanksPair(ctx context.Context, id string, pairID int64) (Pair, error) {
	if pr.CelebrateChannel == "" {
		return Pair{}, Errorf(ECONFLICT, "Sharing thank-yous is turned off in this workspace.")
	}
	if _, err := pr.joined(ctx, id); err != nil {
		return Pair{}, err
	}
	p, err := pr.Store.Pair(ctx, pairID)
	if ErrorCode(err) == ENOTFOUND {
		return Pair{}, Errorf(EFORBIDDEN, "That thank-you is between two other people.")
	} else if err != nil {
		return Pair{}, err
	}
	switch {
	case id != p.MentorID && id != p.MenteeID:
		return Pair{}, Errorf(EFORBIDDEN, "That thank-you is between two other people.")
	case Erased(p.Partner(id)):
		return Pair{}, Errorf(ECONFLICT, "Your partner has left the programme and erased their data, so there's nobody to ask.")
	case p.State != PairEnded || p.EndReason != EndedCycleOver:
		return Pair{}, Errorf(ECONFLICT, "Thank-yous are shared at the end of the cycle, once your pairing is over.")
	}
	return p, nil
}

// ThanksDraft returns the pair a person is about to write a thank-you
// for, refusing one they may not write or wrote already.
func (pr *Programme) ThanksDraft(ctx context.Context, id string, pairID int64) (ThanksView, error) {
	p, err := pr.thanksPair(ctx, id, pairID)
	if err != nil {
		return ThanksView{}, err
	}
	all, err := pr.Store.ThanksOf(ctx, pairID)
	if err != nil {
		return ThanksView{}, err
	}
	for _, t := range all {
		if t.AuthorID == id {
			return ThanksView{}, Errorf(ECONFLICT, "You've offered your thank-you already; its message in your DMs shows where it stands.")
		}
	}
	return ThanksView{Pair: p, Channel: pr.CelebrateChannel}, nil
}

// OfferThanks keeps a person's thank-you and owes both of the pair the
// exact post to say yes or no to.
func (pr *Programme) OfferThanks(ctx context.Context, id string, pairID int64, text string) (ThanksView, error) {
	text, err := ParseThanks(text)
	if err != nil {
		return ThanksView{}, err
	}
	v, err := pr.ThanksDraft(ctx, id, pairID)
	if err != nil {
		return v, err
	}
	now := pr.now()
	v.Thanks = Thanks{PairID: pairID, CycleID: v.Pair.CycleID, AuthorID: id, Text: text, State: ThanksOffered, CreatedAt: now}
	c := Change{Thanks: []Thanks{v.Thanks}}
	for _, who := range []string{v.Pair.MenteeID, v.Pair.MentorID} {
		c.Outbox = append(c.Outbox, thanksItem(OutboxThanksAsk, who, v.Thanks, v.Pair, now))
	}
	if err := pr.apply(ctx, c); err != nil {
		return v, fmt.Errorf("offer thanks: %w", err)
	}
	return v, nil
}

// thanksItem is a message about a thank-you. Its note names the author by
// their place in the pair, "mentor" or "mentee", never by ID: a message
// owed to one of the pair then holds nothing of the other to erase.
func thanksItem(kind OutboxKind, to string, t Thanks, p Pair, due time.Time) OutboxItem {
	by := string(RoleMentee)
	if t.AuthorID == p.MentorID {
		by = string(RoleMentor)
	}
	return OutboxItem{
		Key: fmt.Sprintf("thanks/%d/%s/%s/%s", t.PairID, by, kind, to),
		To:  to, Kind: kind, PairID: t.PairID, CycleID: t.CycleID, DueAt: due, Note: by,
	}
}

// thanksOf finds the pair's thank-you a message is about.
func (pr *Programme) thanksOf(ctx context.Context, item OutboxItem, p Pair) (Thanks, error) {
	author := p.MenteeID
	if item.Note == string(RoleMentor) {
		author = p.MentorID
	}
	all, err := pr.Store.ThanksOf(ctx, p.ID)
	if err != nil {
		return Thanks{}, err
	}
	for _, t := range all {
		if t.AuthorID == author {
			return t, nil
		}
	}
	return Thanks{}, Errorf(ENOTFOUND, "That thank-you no longer exists.")
}

// ThanksAnswer is what one of the pair says to a thank-you.
type ThanksAnswer string

const (
	ThanksYes      ThanksAnswer = "yes"      // share it, as shown
	ThanksNo       ThanksAnswer = "no"       // keep it between us
	ThanksWithdraw ThanksAnswer = "withdraw" // take my yes back
)

// AnswerThanks records one of the pair's answer to a thank-you. Both yeses
// owe its post, spaced from the posts before it; a no, or a yes taken back
// before it is posted, keeps it between them and tells the other.
func (pr *Programme) AnswerThanks(ctx context.Context, id string, thanksID int64, answer ThanksAnswer) (ThanksView, error) {
	for try := 1; ; try++ {
		v, saved, err := pr.answerThanks(ctx, id, thanksID, answer)
		if saved || ErrorCode(err) != ECONFLICT || try == maxThanksTries {
			return v, err
		}
	}
}

// answerThanks tries to save an answer once; saved is false when another
// answer changed the thank-you since it was read, and the try may be
// made again.
func (pr *Programme) answerThanks(ctx context.Context, id string, thanksID int64, answer ThanksAnswer) (v ThanksView, saved bool, err error) {
	t, err := pr.Store.Thanks(ctx, thanksID)
	if ErrorCode(err) == ENOTFOUND {
		return v, true, Errorf(EFORBIDDEN, "That thank-you is between two other people.")
	} else if err != nil {
		return v, true, err
	}
	p, err := pr.thanksPair(ctx, id, t.PairID)
	if err != nil {
		return v, true, err
	}
	v = ThanksView{Thanks: t, Pair: p, Channel: pr.CelebrateChannel}
	switch t.State {
	case ThanksKept:
		return v, true, Errorf(ECONFLICT, "This thank-you stays between the two of you: one of you chose not to share it.")
	case ThanksPosted:
		return v, true, Errorf(ECONFLICT, "This thank-you is posted already, so it can't be taken back here. You can ask HR to remove it from the channel.")
	}
	now := pr.now()
	var c Change
	switch answer {
	case ThanksYes:
		t.setYes(id, p, true)
		if t.MentorYes && t.MenteeYes && t.State == ThanksOffered {
			last, err := pr.Store.LastThanksPostAt(ctx)
			if err != nil {
				return v, true, err
			}
			t.State, t.PostAt = ThanksAgreed, later(now, last.Add(ThanksSpacing))
			c.Outbox = append(c.Outbox, thanksItem(OutboxThanksPost, pr.CelebrateChannel, t, p, t.PostAt))
		}
	case ThanksNo, ThanksWithdraw:
		t.setYes(id, p, false)
		t.State = ThanksKept
		c.Outbox = append(c.Outbox, thanksItem(OutboxThanksKept, p.Partner(id), t, p, now))
	default:
		return v, true, Errorf(EINVALID, "That answer isn't one of the choices.")
	}
	c.Thanks = []Thanks{t}
	if err := pr.apply(ctx, c); err != nil {
		return v, ErrorCode(err) != ECONFLICT, err
	}
	t.Version++
	v.Thanks = t
	return v, true, nil
}

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// resolveThanks works out a message about a thank-you as it stands: an
// ask goes while it waits for answers, and a post only once both said yes
// and neither took it back. The post claims the thank-you as posted before
// it goes, so a yes taken back a moment later is refused rather than lost.
func (pr *Programme) resolveThanks(ctx context.Context, d Delivery) (Delivery, string, error) {
	var err error
	if d.Pair, err = pr.Store.Pair(ctx, d.Item.PairID); err != nil {
		return d, "", err
	}
	if Erased(d.Pair.MentorID) || Erased(d.Pair.MenteeID) {
		return d, "one of the pair erased their data", nil
	}
	if d.Thanks, err = pr.thanksOf(ctx, d.Item, d.Pair); ErrorCode(err) == ENOTFOUND {
		return d, "the thank-you was erased", nil
	} else if err != nil {
		return d, "", err
	}
	d.Celebrate = pr.CelebrateChannel
	if d.Item.Kind == OutboxThanksAsk {
		if d.Thanks.State != ThanksOffered {
			return d, "the thank-you was settled before its ask went", nil
		}
		if d.Reader, err = pr.Store.Participant(ctx, d.Item.To); err != nil {
			return d, "", err
		}
		d.Partner, err = pr.partnerOf(ctx, &d.Pair, d.Reader.ID)
		return d, "", err
	}
	switch d.Thanks.State {
	case ThanksPosted:
		return d, "", nil // a try again after Slack failed
	case ThanksAgreed:
	default:
		return d, "one of the pair chose not to share it", nil
	}
	claimed := d.Thanks
	claimed.State = ThanksPosted
	if err := pr.apply(ctx, Change{Thanks: []Thanks{claimed}}); ErrorCode(err) == ECONFLICT {
		// An answer landed meanwhile: the next pass sees it.
		return d, "", err
	} else if err != nil {
		return d, "", err
	}
	claimed.Version++
	d.Thanks = claimed
	return d, "", nil
}
