package hub

import (
	"math"
	"sync"
	"time"
)

// Login limits. Each failed login spends a token from two buckets, the
// account's and the client address's; a login finding either empty is
// refused before any password is checked. A successful login gives its
// tokens back, so only failures count.
const (
	accountPerMinute = 5
	accountBurst     = 10
	addressPerMinute = 20
	addressBurst     = 20
	// maxBuckets bounds each limiter's memory; beyond it, full buckets (the
	// same as no bucket) are dropped.
	maxBuckets = 10_000
)

// limiter is a token bucket per key.
type limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens a second
	burst   float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMinute, burst int) *limiter {
	return &limiter{rate: float64(perMinute) / 60, burst: float64(burst), buckets: map[string]*bucket{}}
}

// refill brings a bucket up to now; the caller holds mu.
func (l *limiter) refill(b *bucket, now time.Time) {
	if d := now.Sub(b.last).Seconds(); d > 0 {
		b.tokens = math.Min(l.burst, b.tokens+d*l.rate)
	}
	b.last = now
}

// take spends one token of key. When there is none it spends nothing and
// says how long until there is one.
func (l *limiter) take(key string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	l.refill(b, now)
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// give returns a token to key.
func (l *limiter) give(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b := l.buckets[key]; b != nil {
		l.refill(b, now)
		b.tokens = math.Min(l.burst, b.tokens+1)
	}
}

// sweep drops full buckets, then, if the map is still at its bound (an
// attack from many addresses), the whole map: forgetting is safer than
// running out of memory. The caller holds mu.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		clear(l.buckets)
	}
}

// loginLimits are the two limiters a login passes.
type loginLimits struct {
	account, address *limiter
}

func newLoginLimits() *loginLimits {
	return &loginLimits{account: newLimiter(accountPerMinute, accountBurst), address: newLimiter(addressPerMinute, addressBurst)}
}

// take spends a token of both buckets, or of neither, returning the longer
// wait when a bucket is empty.
func (ll *loginLimits) take(account, address string, now time.Time) (ok bool, wait time.Duration) {
	okA, waitA := ll.account.take(account, now)
	okB, waitB := ll.address.take(address, now)
	if okA && okB {
		return true, 0
	}
	if okA {
		ll.account.give(account, now)
	}
	if okB {
		ll.address.give(address, now)
	}
	return false, max(waitA, waitB)
}

// give returns the tokens of a successful login.
func (ll *loginLimits) give(account, address string, now time.Time) {
	ll.account.give(account, now)
	ll.address.give(address, now)
}
