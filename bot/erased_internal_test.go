package bot

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/mentorbot/mentorbot"
)

// heldRecords is a request log whose RecordRequest waits until let go,
// keeping what it was given.
type heldRecords struct {
	mentorbot.RequestLog
	entered, release chan struct{}
	users            []string
}

func (h *heldRecords) RecordRequest(_ context.Context, _, userID string, _ []byte, _ time.Time) error {
	close(h.entered)
	<-h.release
	h.users = append(h.users, userID)
	return nil
}

// A request being recorded when its sender erases their data is recorded
// before the erasure is noted, so the erasure that follows deletes it;
// one recorded after is recorded under nobody.
func TestErasureWaitsForRecordsUnderWay(t *testing.T) {
	t.Parallel()
	log := &heldRecords{entered: make(chan struct{}), release: make(chan struct{})}
	b := &Bot{requests: log, clock: mentorbot.NewManualClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), erased: map[string]time.Time{}}
	recorded := make(chan error, 1)
	go func() { recorded <- b.record(context.Background(), "k1", "UADA", []byte(`{"text":"hello"}`)) }()
	<-log.entered

	noting, noted := make(chan struct{}), make(chan struct{})
	go func() {
		close(noting)
		b.rememberErased("UADA")
		close(noted)
	}()
	<-noting
	runtime.Gosched()
	select {
	case <-noted:
		t.Fatal("the erasure was noted while a record naming the person was still being written")
	case <-recorded:
		t.Fatal("the record finished without being let go")
	default:
	}
	close(log.release)
	if err := <-recorded; err != nil {
		t.Fatal(err)
	}
	<-noted

	log.entered = make(chan struct{})
	if err := b.record(context.Background(), "k2", "UADA", nil); err != nil {
		t.Fatal(err)
	}
	if want := []string{"UADA", ""}; len(log.users) != 2 || log.users[0] != want[0] || log.users[1] != want[1] {
		t.Fatalf("recorded under %q, want %q", log.users, want)
	}
}
