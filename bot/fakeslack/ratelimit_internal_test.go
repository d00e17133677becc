package fakeslack

import (
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	b := newBucket(Rate{Every: time.Second, Burst: 3})
	for i, step := range []struct {
		at   time.Duration // since start
		wait time.Duration // 0: the call goes and takes a token
	}{
		{0, 0},
		{0, 0},
		{0, 0},
		{0, time.Second}, // the burst is spent
		{500 * time.Millisecond, 500 * time.Millisecond},
		{time.Second, 0}, // one token freed
		{time.Second, time.Second},
		{10 * time.Second, 0}, // idle: the whole burst again
		{10 * time.Second, 0},
		{10 * time.Second, 0},
		{10 * time.Second, time.Second},
	} {
		now := start.Add(step.at)
		wait := b.wait(now)
		if wait != step.wait {
			t.Errorf("step %d at %v: wait %v, want %v", i, step.at, wait, step.wait)
		}
		if wait == 0 {
			b.take(now)
		}
	}
	if newBucket(Rate{}) != nil {
		t.Error("the zero Rate should limit nothing")
	}
}
