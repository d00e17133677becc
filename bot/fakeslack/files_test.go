package fakeslack_test

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/mentorbot/mentorbot/bot/fakeslack"
)

const invite = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"

func TestUploadedFileIsSharedInTheDM(t *testing.T) {
	srv, b := start(t, nil)
	addPeople(srv)
	ctx := testContext(t)
	ada := srv.Person("U1ADA")

	summary, err := b.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename:       "pair.ics",
		FileSize:       len(invite),
		Reader:         strings.NewReader(invite),
		Title:          "Your mentoring slot",
		Channel:        ada.DMChannel(),
		InitialComment: "Add this to your calendar",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(summary.ID, "F") || len(summary.ID) != len("F000000123") || summary.Title != "Your mentoring slot" {
		t.Errorf("summary = %+v", summary)
	}
	files := ada.Files()
	if len(files) != 1 {
		t.Fatalf("Files() = %+v", files)
	}
	if f := files[0]; f.ID != summary.ID || f.Name != "pair.ics" || f.Title != "Your mentoring slot" || f.Mimetype != "text/calendar" || string(f.Content) != invite {
		t.Errorf("file = %+v", f)
	}
	dms := ada.DMs()
	if len(dms) != 1 || dms[0].Text != "Add this to your calendar" || dms[0].Rendered() != "Add this to your calendar\n📎 pair.ics" {
		t.Errorf("DMs = %+v", dms)
	}
	if tr := srv.Transcript("U1ADA"); len(tr) != 1 || tr[0].Kind != "file" || tr[0].Text != "📎 pair.ics — Add this to your calendar" {
		t.Errorf("transcript = %+v", tr)
	}
	if c := srv.Calls("upload_url"); len(c) != 1 || c[0].Status != http.StatusOK || c[0].Params.Get("length") != strconv.Itoa(len(invite)) || c[0].Params.Get("filename") != "pair.ics" {
		t.Errorf("upload calls = %+v", c)
	}
	// Exports are copies.
	files[0].Content[0] = 'X'
	if string(ada.Files()[0].Content) != invite {
		t.Error("changing an exported file changed the stored one")
	}
	noViolations(t, srv)
}

func TestFileSharedInAGroupWithBlocks(t *testing.T) {
	srv, b := start(t, nil)
	addPeople(srv)
	ctx := testContext(t)

	group, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1ADA", "U2GRACE"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: "goals.csv",
		FileSize: 3,
		Content:  "a,b",
		Channel:  group.ID,
		Blocks:   slack.Blocks{BlockSet: []slack.Block{slack.NewSectionBlock(mrkdwn("Your *goals*"), nil, nil)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"U1ADA", "U2GRACE"} {
		msgs := srv.Person(id).GroupMessages()
		if len(msgs) != 1 || len(msgs[0].Files) != 1 || msgs[0].Files[0].Title != "goals.csv" || msgs[0].Files[0].Mimetype != "text/csv" || msgs[0].Rendered() != "Your *goals*\n📎 goals.csv" {
			t.Errorf("%s sees %+v", id, msgs)
		}
		if tr := srv.Transcript(id); len(tr) != 1 || tr[0].Text != "📎 goals.csv — Your *goals*" {
			t.Errorf("%s transcript = %+v", id, tr)
		}
	}
	noViolations(t, srv)
}

func TestFileUploadErrors(t *testing.T) {
	srv, b := start(t, nil)
	addPeople(srv)
	ctx := testContext(t)

	// reserve starts an upload of n bytes and returns its ID and URL.
	reserve := func(t *testing.T, n int) (string, string) {
		t.Helper()
		u, err := b.api.GetUploadURLExternalContext(ctx, slack.GetUploadURLExternalParameters{FileName: "pair.ics", FileSize: n})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(u.UploadURL, strings.TrimSuffix(srv.APIURL(), "/api/")) {
			t.Fatalf("upload URL %s is not on the fake", u.UploadURL)
		}
		return u.FileID, u.UploadURL
	}
	upload := func(t *testing.T, uploadURL, content string) error {
		t.Helper()
		return b.api.UploadToURL(ctx, slack.UploadToURLParameters{UploadURL: uploadURL, Content: content, Filename: "pair.ics"})
	}
	complete := func(id, channel string) error {
		_, err := b.api.CompleteUploadExternalContext(ctx, slack.CompleteUploadExternalParameters{
			Files: []slack.FileSummary{{ID: id}}, Channel: channel, InitialComment: "hi",
		})
		return err
	}

	for _, tc := range []struct {
		name      string
		run       func(t *testing.T) error
		want      string // Slack error, or "404"
		violation string // "" for none
		dms       int    // Ada's DMs afterwards
	}{
		{
			name: "complete before upload",
			run: func(t *testing.T) error {
				id, _ := reserve(t, 3)
				return complete(id, "DU1ADA")
			},
			want: "file_not_found",
		},
		{
			name: "complete twice",
			run: func(t *testing.T) error {
				id, u := reserve(t, 3)
				if err := upload(t, u, "abc"); err != nil {
					t.Fatal(err)
				}
				if err := complete(id, "DU1ADA"); err != nil {
					t.Fatal(err)
				}
				return complete(id, "DU1ADA")
			},
			want: "already_completed",
			dms:  1,
		},
		{
			name: "unknown channel, then a good one",
			run: func(t *testing.T) error {
				id, u := reserve(t, 3)
				if err := upload(t, u, "abc"); err != nil {
					t.Fatal(err)
				}
				err := complete(id, "GNOWHERE")
				if err := complete(id, "DU1ADA"); err != nil {
					t.Errorf("a failed completion used up the file: %v", err)
				}
				return err
			},
			want: "invalid_channel",
			dms:  1,
		},
		{
			name: "upload to an unknown file",
			run: func(t *testing.T) error {
				_, u := reserve(t, 3)
				return upload(t, u[:strings.LastIndex(u, "/")+1]+"F999999999", "abc")
			},
			want: "404",
		},
		{
			name: "upload of another size",
			run: func(t *testing.T) error {
				id, u := reserve(t, 10)
				if err := upload(t, u, "abc"); err != nil {
					t.Fatal(err)
				}
				return complete(id, "")
			},
			violation: "declared 10 bytes long but 3 bytes came",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.Violations())
			beforeDMs := len(srv.Person("U1ADA").DMs())
			err := tc.run(t)
			var slackErr slack.SlackErrorResponse
			var status slack.StatusCodeError
			switch {
			case tc.want == "":
				if err != nil {
					t.Errorf("err = %v", err)
				}
			case tc.want == "404":
				if !errors.As(err, &status) || status.Code != http.StatusNotFound {
					t.Errorf("err = %#v, want 404", err)
				}
			case !errors.As(err, &slackErr) || slackErr.Err != tc.want:
				t.Errorf("err = %v, want %s", err, tc.want)
			}
			v := srv.Violations()[before:]
			if tc.violation == "" && len(v) > 0 || tc.violation != "" && (len(v) != 1 || !strings.Contains(v[0], tc.violation)) {
				t.Errorf("violations = %q, want %q", v, tc.violation)
			}
			if got := len(srv.Person("U1ADA").DMs()) - beforeDMs; got != tc.dms {
				t.Errorf("%d new DMs, want %d", got, tc.dms)
			}
		})
	}
}

func TestGetUploadURLExternalChecksItsArguments(t *testing.T) {
	srv := fakeslack.New()
	defer srv.Close()
	// slack-go refuses these itself, so post the form by hand.
	for _, tc := range []struct {
		form      url.Values
		err       string
		violation string
	}{
		{url.Values{"length": {"3"}}, "invalid_arguments", "missing required field: filename"},
		{url.Values{"filename": {"a.ics"}}, "invalid_arguments", "missing required field: length"},
		{url.Values{"filename": {"a.ics"}, "length": {"three"}}, "invalid_arguments", "length must be a whole number of bytes"},
		{url.Values{"filename": {"a.ics"}, "length": {"0"}}, "missing_argument", "length is 0"},
	} {
		before := len(srv.Violations())
		tc.form.Set("token", fakeslack.BotToken)
		resp, err := http.PostForm(srv.APIURL()+"files.getUploadURLExternal", tc.form)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		calls := srv.Calls("files.getUploadURLExternal")
		if c := calls[len(calls)-1]; c.Error != tc.err {
			t.Errorf("%v: error %q, want %q", tc.form, c.Error, tc.err)
		}
		if v := srv.Violations()[before:]; len(v) != 1 || !strings.Contains(v[0], tc.violation) {
			t.Errorf("%v: violations = %q, want one containing %q", tc.form, v, tc.violation)
		}
	}
}
