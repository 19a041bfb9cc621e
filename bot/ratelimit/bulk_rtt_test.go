package ratelimit_test

import (
	"testing"
	"time"

	"nashra/bot/ratelimit"
	"nashra/subscribers/redistest"
)

// While paid sending carries the wave, a bulk take does not first ask for
// a free slot it was just told is not open yet: only the other
// instances' takes can move it, and only later. One sender's turns are
// taken one at a time, so every round trip saved there is throughput at
// 1,000 messages a second.
func TestPaidBulkSkipsAFreeSlotNotYetOpen(t *testing.T) {
	t.Parallel()
	r := redistest.New(t)
	asks := r.Count(redistest.NamesKey("tg:rate:global"))
	lim := ratelimit.New(r.Client, r.Prefix, 10, 0).WithPaid(ratelimit.Paid{Rate: 200, PerDay: 100_000})
	free, paid := takeBulkFor(t, lim, time.Second)
	// How many paid slots a loaded machine gets through in a second
	// varies; what matters is that many were taken while the free slot
	// was not open.
	if free < 8 || free > 12 || paid < 50 || paid > 200 {
		t.Errorf("in 1 s at 10/s free and 200/s in all: %d free, %d paid; want about 10, and paid slots up to 190", free, paid)
	}
	// Each free slot costs the ask that took it and, at most, one that
	// found it not yet open; paid slots cost none.
	if n := asks.Load(); n > int64(2*free+2) {
		t.Errorf("%d asks of the free rate for %d free and %d paid slots; want at most %d", n, free, paid, 2*free+2)
	}
}
