package mentorbot

import (
	"context"
	"time"
)

// NoticeKind says what a notice tells its reader.
type NoticeKind string

const (
	NoticeApproved       NoticeKind = "approved"        // HR approved your application to mentor
	NoticeDeclined       NoticeKind = "declined"        // HR declined it, this cycle
	NoticeResumed        NoticeKind = "resumed"         // your pause ended on its date
	NoticePartnerPaused  NoticeKind = "partner_paused"  // your partner is away until a date
	NoticePartnerResumed NoticeKind = "partner_resumed" // your partner is back
	NoticePartnerLeft    NoticeKind = "partner_left"    // your partner left; the pair ended
	NoticeProposed       NoticeKind = "proposed"        // meet your match: accept or decline
	NoticeMatchOff       NoticeKind = "match_off"       // your proposed match can't go ahead
	NoticeAnswerLapsed   NoticeKind = "answer_lapsed"   // you didn't answer in time
	NoticePairStarted    NoticeKind = "pair_started"    // both accepted: to the pair, together
	NoticeRequested      NoticeKind = "requested"       // a mentee asks you to mentor them
	NoticeRequestOff     NoticeKind = "request_off"     // the mentor you asked can't take you on
	NoticeRequestDropped NoticeKind = "request_dropped" // the mentee who asked you no longer needs to
	NoticePairEnded      NoticeKind = "pair_ended"      // the programme ended your pair, kindly
)

// Notice is something a person must be told because of a change someone
// else made, or the programme made by itself. The Slack edge writes it.
type Notice struct {
	To       string
	TimeZone string // the reader's, for dates
	Kind     NoticeKind
	Partner  string       // for partner notices: the partner's ID
	Until    time.Time    // for a pause: when the paused person is back; for a proposal: the deadline
	Note     string       // for a screening decision: HR's note, may be empty; for a new pair: the ground rules
	Pair     *Pair        // for match notices: the pair
	About    *Participant // for an introduction: the partner, whose topics and sentence it shows
}

// Notifier delivers notices to people.
type Notifier interface {
	Notify(ctx context.Context, notices []Notice)
}
