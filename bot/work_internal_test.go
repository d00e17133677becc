package bot

import "testing"

func TestIdleIsClosedOnlyWhileNothingIsHandled(t *testing.T) {
	t.Parallel()
	w := newWorkCount()
	closed := func(c <-chan struct{}) bool {
		select {
		case <-c:
			return true
		default:
			return false
		}
	}
	if !closed(w.idle()) {
		t.Fatal("a bot that received nothing is not idle")
	}
	w.add()
	w.add()
	busy := w.idle()
	if closed(busy) {
		t.Fatal("idle while two requests are handled")
	}
	w.done()
	if closed(busy) || closed(w.idle()) {
		t.Fatal("idle while one request is still handled")
	}
	w.done()
	if !closed(busy) || !closed(w.idle()) {
		t.Fatal("not idle once every request is done")
	}
	w.add()
	if closed(w.idle()) {
		t.Fatal("idle again as soon as a new request came")
	}
	w.done()
}
