package redistest

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// ServerCPU is the CPU seconds the Redis server behind c has used (every
// primary of a cluster), from INFO cpu: where a benchmark's time goes.
func ServerCPU(ctx context.Context, c redis.UniversalClient) (float64, error) {
	var mu sync.Mutex
	total := 0.0
	read := func(ctx context.Context, n redis.UniversalClient) error {
		info, err := n.Info(ctx, "cpu").Result()
		if err != nil {
			return err
		}
		for _, line := range strings.Split(info, "\n") {
			k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
			if ok && (k == "used_cpu_sys" || k == "used_cpu_user") {
				f, _ := strconv.ParseFloat(v, 64)
				mu.Lock()
				total += f
				mu.Unlock()
			}
		}
		return nil
	}
	err := forEachPrimary(ctx, c, read)
	return total, err
}

// ProcessCPU is the CPU seconds this process has used.
func ProcessCPU() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
