package bot

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// Each chat's updates are handled in order by a goroutine of its own,
// started when the chat has something to handle and gone when it has not;
// a chat waiting out a 429 or flooding the bot holds up only itself.
const (
	// chatBacklog is how many updates may wait behind the one a chat's
	// goroutine is handling. At about one reply a second per chat, more
	// than this is a reader typing faster than they can be answered: the
	// excess is dropped and the reader told once to slow down.
	chatBacklog = 4
	// maxPending bounds the updates held in memory across all chats
	// (queued or being handled); the poller waits for room beyond it.
	maxPending = 4096
	// chatIdle is how long a chat's record outlives its last update; the
	// slow-down notice is given once per chat within it.
	chatIdle = 30 * time.Second
)

// errStopping: the dispatcher takes no more updates.
var errStopping = errors.New("bot is stopping")

// job is one update to handle; done reports whether it was handled (or
// deliberately dropped) rather than left for the next run.
type job struct {
	upd  *models.Update
	done func(handled bool)
}

// dispatcher hands updates to their chats' goroutines.
type dispatcher struct {
	b *Bot
	// ctx is the handlers' context. It outlives the polling context so
	// that handlers in flight at SIGTERM can finish; it is cancelled when
	// the drain timeout runs out.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	chats    map[int64]*chatQueue
	pending  int
	stopping bool
	room     chan struct{} // closed and replaced when pending drops
	swept    time.Time
}

type chatQueue struct {
	jobs    []job
	running bool           // a goroutine serves the chat
	owed    bool           // a slow-down notice is to be sent
	told    bool           // the notice was given (or is owed) in this record's life
	flood   *models.Update // the update the notice answers
	idle    time.Time      // when the chat last ran out of work
}

func newDispatcher(b *Bot) *dispatcher {
	ctx, cancel := context.WithCancel(context.Background())
	return &dispatcher{b: b, ctx: ctx, cancel: cancel, chats: map[int64]*chatQueue{}, room: make(chan struct{})}
}

// submit queues j for its chat. A chat already holding chatBacklog
// updates gets j dropped (reported handled) and owes a slow-down notice.
// While maxPending updates are held, submit waits for room or ctx.
func (d *dispatcher) submit(ctx context.Context, j job) error {
	chat := chatOf(j.upd)
	for {
		d.mu.Lock()
		if d.stopping {
			d.mu.Unlock()
			return errStopping
		}
		q := d.chats[chat]
		if q == nil {
			q = &chatQueue{}
			d.chats[chat] = q
		}
		if len(q.jobs) >= chatBacklog {
			if !q.told {
				q.told, q.owed, q.flood = true, true, j.upd
			}
			d.mu.Unlock()
			d.b.log.Debug("update dropped: the chat sends faster than it can be answered", "chat_id", chat, "update_id", j.upd.ID)
			j.done(true)
			return nil
		}
		if d.pending >= maxPending {
			room := d.room
			d.mu.Unlock()
			select {
			case <-room:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		q.jobs = append(q.jobs, j)
		d.pending++
		if !q.running {
			q.running = true
			d.wg.Add(1)
			go d.serve(chat, q)
		}
		d.sweepLocked()
		d.mu.Unlock()
		return nil
	}
}

// serve handles a chat's updates in order until it has none.
func (d *dispatcher) serve(chat int64, q *chatQueue) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		if d.stopping {
			// Not begun: left for the next run (the poller's inbox, or
			// Telegram retrying the webhook).
			rest := q.jobs
			q.jobs, q.running = nil, false
			d.freeLocked(len(rest))
			d.mu.Unlock()
			for _, j := range rest {
				j.done(false)
			}
			return
		}
		if q.owed {
			q.owed = false
			upd := q.flood
			d.mu.Unlock()
			d.b.slowDown(d.ctx, chat, upd)
			continue
		}
		if len(q.jobs) == 0 {
			q.running, q.idle = false, time.Now()
			d.mu.Unlock()
			return
		}
		j := q.jobs[0]
		q.jobs = q.jobs[1:]
		d.mu.Unlock()
		j.done(d.b.handle(d.ctx, j.upd))
		d.mu.Lock()
		d.freeLocked(1)
		d.mu.Unlock()
	}
}

func (d *dispatcher) freeLocked(n int) {
	if n == 0 {
		return
	}
	d.pending -= n
	close(d.room)
	d.room = make(chan struct{})
}

// sweepLocked forgets chats idle for chatIdle, at most once per chatIdle,
// so the map holds only chats heard from lately.
func (d *dispatcher) sweepLocked() {
	now := time.Now()
	if now.Sub(d.swept) < chatIdle {
		return
	}
	d.swept = now
	for chat, q := range d.chats {
		if !q.running && len(q.jobs) == 0 && now.Sub(q.idle) > chatIdle {
			delete(d.chats, chat)
		}
	}
}

// stop takes no more updates, leaves the ones not begun for the next run,
// and waits for the handlers in flight; after timeout they are cancelled.
func (d *dispatcher) stop(timeout time.Duration) {
	d.mu.Lock()
	d.stopping = true
	close(d.room)
	d.room = make(chan struct{})
	d.mu.Unlock()
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
		d.b.log.Warn("shutdown: handlers still running after the drain timeout; cancelling them")
		d.cancel()
		<-done
	}
	d.cancel()
}
