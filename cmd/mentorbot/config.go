package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kelseyhightower/envconfig"

	"github.com/mentorbot/mentorbot"
	"github.com/mentorbot/mentorbot/calendar"
	"github.com/mentorbot/mentorbot/scheduler"
)

// Config is everything mentorbot reads from the environment.
type Config struct {
	BotToken  string   `envconfig:"SLACK_BOT_TOKEN" desc:"bot token (xoxb-...), from OAuth & Permissions; required for run"`
	AppToken  string   `envconfig:"SLACK_APP_TOKEN" desc:"app-level token with connections:write (xapp-...), from Basic Information; required for run"`
	APIURL    string   `envconfig:"SLACK_API_URL" default:"https://slack.com/api/" desc:"Slack Web API base URL (GovSlack, or a local test server)"`
	DB        string   `envconfig:"MENTORBOT_DB" default:"mentorbot.db" desc:"SQLite database file, or a postgres:// URL"`
	Admins    []string `envconfig:"MENTORBOT_ADMINS" desc:"comma-separated Slack user IDs of programme admins"`
	HRChannel string   `envconfig:"MENTORBOT_HR_CHANNEL" desc:"channel ID for programme summaries; empty turns summaries off"`
	// CelebrateChannel is where thank-yous both people of a pair agreed
	// to share are posted.
	CelebrateChannel string        `envconfig:"MENTORBOT_CELEBRATE_CHANNEL" desc:"public channel ID for thank-yous both people of a pair agreed to share; empty turns them off"`
	TimeZone         string        `envconfig:"MENTORBOT_TIMEZONE" default:"UTC" desc:"the programme's time zone (IANA name) for timed jobs"`
	LogLevel         string        `envconfig:"MENTORBOT_LOG_LEVEL" default:"info" desc:"debug, info, warn or error"`
	Shutdown         time.Duration `envconfig:"MENTORBOT_SHUTDOWN_TIMEOUT" default:"10s" desc:"how long a stop waits for work already started"`
	Tick             time.Duration `envconfig:"MENTORBOT_TICK" default:"1m" desc:"how often the scheduler looks for due work, such as reminders and pauses ending"`
	// ReminderLeads are how long before each session both people are nudged.
	ReminderLeads []time.Duration `envconfig:"MENTORBOT_REMINDER_LEADS" default:"24h,1h" desc:"how long before each session both people get a reminder, comma-separated"`
	SummaryCron   string          `envconfig:"MENTORBOT_SUMMARY_CRON" default:"0 9 * * MON" desc:"when the HR channel gets the programme summary, as a cron spec in MENTORBOT_TIMEZONE; empty turns it off"`
	PostRate      float64         `envconfig:"MENTORBOT_POST_RATE" default:"5" desc:"messages a second the bot posts across the workspace (Slack allows about one a second per conversation)"`
	OutboxLease   time.Duration   `envconfig:"MENTORBOT_OUTBOX_LEASE" default:"5m" desc:"how long a replica holds the messages it claimed; another sends them once it runs out, so after a crash they wait this long"`
	HTTPAddr      string          `envconfig:"MENTORBOT_HTTP_ADDR" desc:"host:port where run serves /healthz and Prometheus /metrics, like :9090; empty turns them off"`
	// Onboarding is read by check, so a broken file stops start-up.
	OnboardingFile string `envconfig:"MENTORBOT_ONBOARDING" desc:"a file of onboarding texts and default ground rules to use instead of the built-in ones (see onboarding.txt)"`
	onboarding     mentorbot.Onboarding

	CalendarKind      string `envconfig:"MENTORBOT_CALENDAR" default:"ics" desc:"where sessions go: ics (an invite file in the DM), google (Google Workspace) or microsoft (Microsoft 365)"`
	GoogleCredentials string `envconfig:"MENTORBOT_GOOGLE_CREDENTIALS" desc:"path to a service-account JSON key with domain-wide delegation for the Calendar scopes; required for google"`
	GoogleAPIURL      string `envconfig:"MENTORBOT_GOOGLE_API_URL" default:"https://www.googleapis.com/calendar/v3/" desc:"Google Calendar API base URL"`
	MSTenant          string `envconfig:"MENTORBOT_MS_TENANT" desc:"the Microsoft Entra tenant ID; required for microsoft"`
	MSClientID        string `envconfig:"MENTORBOT_MS_CLIENT_ID" desc:"the app registration's client ID, with Calendars.ReadWrite consented; required for microsoft"`
	MSClientSecret    string `envconfig:"MENTORBOT_MS_CLIENT_SECRET" desc:"the app registration's client secret; required for microsoft"`
	MSGraphURL        string `envconfig:"MENTORBOT_MS_GRAPH_URL" default:"https://graph.microsoft.com/v1.0/" desc:"Microsoft Graph base URL"`
	MSLoginURL        string `envconfig:"MENTORBOT_MS_LOGIN_URL" default:"https://login.microsoftonline.com/" desc:"Microsoft token endpoint base"`
	// calendar is the calendar service, once openCalendar checked it; nil
	// for ics.
	calendar mentorbot.Calendar
	// unpaced lifts the bot's pacing, for the demo's fake Slack only.
	unpaced bool
}

var (
	userIDPattern    = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)
	channelIDPattern = regexp.MustCompile(`^[CG][A-Z0-9]{2,}$`)
)

// loadConfig reads and checks the environment. Every error names the
// variable and says what is wrong, in one line.
func loadConfig() (Config, error) {
	var c Config
	if err := envconfig.Process("", &c); err != nil {
		if pe, ok := errors.AsType[*envconfig.ParseError](err); ok {
			return c, fmt.Errorf("%s: %q is not %s", pe.KeyName, pe.Value, describeType(pe.TypeName))
		}
		return c, err
	}
	return c, c.check()
}

func describeType(typeName string) string {
	switch typeName {
	case "time.Duration":
		return "a duration; write it like 30s, 1m or 1h30m"
	case "[]time.Duration":
		return "a list of durations; write it like 24h,1h"
	case "float64":
		return "a number"
	}
	return "a " + typeName
}

func (c *Config) check() error {
	u, err := url.Parse(c.APIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("SLACK_API_URL: %q is not a URL; leave it unset for https://slack.com/api/", c.APIURL)
	}
	// The Slack client appends method names to this URL.
	if !strings.HasSuffix(c.APIURL, "/") {
		c.APIURL += "/"
	}
	if strings.TrimSpace(c.DB) == "" {
		return errors.New("MENTORBOT_DB: is empty; unset it for mentorbot.db, or give a file path or a postgres:// URL")
	}
	for i, id := range c.Admins {
		id = strings.TrimSpace(id)
		if !userIDPattern.MatchString(id) {
			return fmt.Errorf("MENTORBOT_ADMINS: %q is not a Slack user ID (like U012AB3CD); copy it from the person's profile, More, Copy member ID", id)
		}
		c.Admins[i] = id
	}
	if c.HRChannel != "" && !channelIDPattern.MatchString(c.HRChannel) {
		return fmt.Errorf("MENTORBOT_HR_CHANNEL: %q is not a channel ID (like C012AB3CD); copy it from the channel's details, at the bottom of About", c.HRChannel)
	}
	if c.CelebrateChannel != "" && !channelIDPattern.MatchString(c.CelebrateChannel) {
		return fmt.Errorf("MENTORBOT_CELEBRATE_CHANNEL: %q is not a channel ID (like C012AB3CD); copy it from the channel's details, at the bottom of About", c.CelebrateChannel)
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "Local" {
		return fmt.Errorf("MENTORBOT_TIMEZONE: %q is not a time zone; use an IANA name like Europe/London", c.TimeZone)
	}
	if c.Shutdown < time.Second || c.Shutdown > 5*time.Minute {
		return fmt.Errorf("MENTORBOT_SHUTDOWN_TIMEOUT: %s is out of range; use between 1s and 5m", c.Shutdown)
	}
	if c.SummaryCron != "" {
		if err := scheduler.CheckSpec(c.SummaryCron); err != nil {
			return fmt.Errorf("MENTORBOT_SUMMARY_CRON: %q is not a cron spec (%v); use five fields, like \"0 9 * * MON\" for Mondays at 09:00", c.SummaryCron, err)
		}
	}
	if c.Tick < time.Second || c.Tick > time.Hour {
		return fmt.Errorf("MENTORBOT_TICK: %s is out of range; use between 1s and 1h", c.Tick)
	}
	if err := checkLeads(c.ReminderLeads); err != nil {
		return err
	}
	if c.PostRate < 0.1 || c.PostRate > 500 {
		return fmt.Errorf("MENTORBOT_POST_RATE: %g is out of range; use between 0.1 and 500 messages a second", c.PostRate)
	}
	// A claim's messages must all go out within its lease at the bot's
	// pace, with room for retries, or another replica sends them too.
	shortest := max(5*time.Second, time.Duration(2*float64(scheduler.OutboxPage)/c.PostRate*float64(time.Second)).Round(time.Second))
	if c.OutboxLease < shortest || c.OutboxLease > time.Hour {
		return fmt.Errorf("MENTORBOT_OUTBOX_LEASE: %s is out of range; use between %s (twice what a claim of %d messages takes at MENTORBOT_POST_RATE=%g) and 1h", c.OutboxLease, shortest, scheduler.OutboxPage, c.PostRate)
	}
	if _, err := c.slogLevel(); err != nil {
		return err
	}
	if c.HTTPAddr != "" {
		_, port, err := net.SplitHostPort(c.HTTPAddr)
		if _, perr := strconv.ParseUint(port, 10, 16); err != nil || perr != nil {
			return fmt.Errorf("MENTORBOT_HTTP_ADDR: %q is not host:port; write it like :9090 or 127.0.0.1:9090", c.HTTPAddr)
		}
	}
	switch c.CalendarKind {
	case calendar.KindICS, calendar.KindGoogle, calendar.KindMicrosoft:
	default:
		return fmt.Errorf("MENTORBOT_CALENDAR: %q is not a calendar; use ics, google or microsoft", c.CalendarKind)
	}
	c.onboarding = mentorbot.DefaultOnboarding()
	if c.OnboardingFile != "" {
		text, err := os.ReadFile(c.OnboardingFile)
		if err != nil {
			return fmt.Errorf("MENTORBOT_ONBOARDING: %w", err)
		}
		if c.onboarding, err = mentorbot.ParseOnboarding(string(text)); err != nil {
			return fmt.Errorf("MENTORBOT_ONBOARDING: %s: %w", c.OnboardingFile, err)
		}
	}
	return nil
}

// openCalendar reaches the calendar service with a real token request, so
// refused credentials stop start-up with a line naming the variable.
func (c *Config) openCalendar(ctx context.Context) error {
	cal, err := calendar.Open(ctx, calendar.Config{
		Kind: c.CalendarKind, GoogleCredentials: c.GoogleCredentials, GoogleAPIURL: c.GoogleAPIURL,
		MSTenant: c.MSTenant, MSClientID: c.MSClientID, MSClientSecret: c.MSClientSecret,
		MSGraphURL: c.MSGraphURL, MSLoginURL: c.MSLoginURL,
	})
	c.calendar = cal
	return err
}

// maxLeads bounds reminders per session: more would nag.
const maxLeads = 4

func checkLeads(leads []time.Duration) error {
	if len(leads) == 0 || len(leads) > maxLeads {
		return fmt.Errorf("MENTORBOT_REMINDER_LEADS: give 1 to %d lead times, like 24h,1h", maxLeads)
	}
	for i, lead := range leads {
		if lead < 5*time.Minute || lead > 7*24*time.Hour {
			return fmt.Errorf("MENTORBOT_REMINDER_LEADS: %s is out of range; use between 5m and 168h (a week)", lead)
		}
		if slices.Contains(leads[:i], lead) {
			return fmt.Errorf("MENTORBOT_REMINDER_LEADS: %s is given twice", lead)
		}
	}
	return nil
}

// requireTokens checks what only a real connection to Slack needs.
func (c Config) requireTokens() error {
	switch {
	case c.BotToken == "":
		return errors.New("SLACK_BOT_TOKEN: is not set; copy the Bot User OAuth Token (xoxb-...) from your app's OAuth & Permissions page")
	case strings.HasPrefix(c.BotToken, "xapp-"):
		return errors.New("SLACK_BOT_TOKEN: holds an app-level token (xapp-...); it needs the bot token (xoxb-...), and the xapp- token goes in SLACK_APP_TOKEN")
	case !strings.HasPrefix(c.BotToken, "xoxb-"):
		return errors.New("SLACK_BOT_TOKEN: is not a bot token; it starts with xoxb- (user tokens, xoxp-, won't do)")
	case c.AppToken == "":
		return errors.New("SLACK_APP_TOKEN: is not set; create an app-level token with the connections:write scope on your app's Basic Information page (xapp-...)")
	case strings.HasPrefix(c.AppToken, "xoxb-"):
		return errors.New("SLACK_APP_TOKEN: holds a bot token (xoxb-...); it needs the app-level token (xapp-...), and the xoxb- token goes in SLACK_BOT_TOKEN")
	case !strings.HasPrefix(c.AppToken, "xapp-"):
		return errors.New("SLACK_APP_TOKEN: is not an app-level token; it starts with xapp-")
	}
	return nil
}

func (c Config) slogLevel() (slog.Level, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("MENTORBOT_LOG_LEVEL: %q is not a level; use debug, info, warn or error", c.LogLevel)
	}
	return level, nil
}

func (c Config) location() *time.Location {
	loc, _ := time.LoadLocation(c.TimeZone) // checked in check
	return loc
}

// printVariables writes the configuration table for help.
func printVariables(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  VARIABLE\tDEFAULT\tMEANING")
	err := envconfig.Usagef("", &Config{}, tw, `{{range .}}  {{usage_key .}}	{{or (usage_default .) "-"}}	{{usage_description .}}
{{end}}`)
	if err != nil {
		return err
	}
	return tw.Flush()
}
