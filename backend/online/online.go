// Package online watches whether the HQ hub can be reached, so the app can
// say "offline" and hold network work until it can.
package online

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// HealthPath is the hub's liveness endpoint, relative to the hub URL.
const HealthPath = "/v1/health"

// State of the link to the hub.
type State string

// States. NoHub means no hub is configured: Outpost works from its local
// library and never tries the network.
const (
	NoHub    State = "no_hub"
	Checking State = "checking"
	Online   State = "online"
	Offline  State = "offline"
)

// Status is the latest finding.
type Status struct {
	State     State  `json:"state"`
	HubURL    string `json:"hubUrl"`
	CheckedAt string `json:"checkedAt"` // RFC 3339, UTC; "" before the first check
	Reason    string `json:"reason,omitempty"`
	// Seq grows with every change of status. Events can reach the UI out
	// of order (Wails' dev server sends each from its own goroutine), so
	// the UI keeps the status with the highest Seq.
	Seq uint64 `json:"seq"`
}

// Monitor probes the hub now and then and reports every change of state.
type Monitor struct {
	client   *http.Client
	every    time.Duration
	onChange func(Status)

	mu      sync.Mutex
	status  Status
	hub     string
	pending bool   // status changed by SetHub and not yet reported
	seq     uint64 // of the latest status
	kick    chan struct{}

	reported Status // last status sent to onChange; the loop's own
	stop     context.CancelFunc
	done     chan struct{}
}

// NewMonitor returns a stopped monitor. onChange is called from the monitor's
// goroutine whenever the state or hub changes.
func NewMonitor(every, timeout time.Duration, onChange func(Status)) *Monitor {
	return &Monitor{
		client:   &http.Client{Timeout: timeout},
		every:    every,
		onChange: onChange,
		status:   Status{State: NoHub},
		kick:     make(chan struct{}, 1),
	}
}

// Start begins probing hubURL ("" for none).
func (m *Monitor) Start(hubURL string) {
	ctx, cancel := context.WithCancel(context.Background())
	m.mu.Lock()
	m.stop, m.done = cancel, make(chan struct{})
	m.mu.Unlock()
	m.SetHub(hubURL)
	go m.loop(ctx)
}

// SetHub switches to another hub and checks it at once. Status reports
// Checking at once; onChange hears of it from the monitor's goroutine, which
// sends every report, so reports arrive in the order things happened.
func (m *Monitor) SetHub(hubURL string) {
	st := Status{State: NoHub, HubURL: hubURL}
	if hubURL != "" {
		st.State = Checking
	}
	m.mu.Lock()
	m.hub = hubURL
	m.seq++
	st.Seq = m.seq
	m.status = st
	m.pending = true
	m.mu.Unlock()
	m.Recheck()
}

// Recheck asks for a probe now.
func (m *Monitor) Recheck() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// Status returns the latest finding.
func (m *Monitor) Status() Status {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.status
}

// Stop ends probing and waits for the loop to return.
func (m *Monitor) Stop() {
	m.mu.Lock()
	stop, done := m.stop, m.done
	m.mu.Unlock()
	if stop != nil {
		stop()
		<-done
	}
}

func (m *Monitor) loop(ctx context.Context) {
	defer close(m.done)
	t := time.NewTicker(m.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-m.kick:
		}
		m.probe(ctx)
	}
}

func (m *Monitor) probe(ctx context.Context) {
	m.mu.Lock()
	hub, pending, st := m.hub, m.pending, m.status
	m.pending = false
	m.mu.Unlock()
	if pending {
		m.report(st)
	}
	next := Status{State: NoHub, HubURL: hub, CheckedAt: time.Now().UTC().Format(time.RFC3339)}
	if hub != "" {
		next.State, next.Reason = check(ctx, m.client, hub)
	}
	m.mu.Lock()
	if m.hub != hub { // settings changed during the probe; the next one counts
		m.mu.Unlock()
		return
	}
	m.seq++
	next.Seq = m.seq
	m.status = next
	m.mu.Unlock()
	m.report(next)
}

// report sends a status that differs from the last one sent. Only the
// loop's goroutine calls it.
func (m *Monitor) report(st Status) {
	last := m.reported
	if st.State == last.State && st.HubURL == last.HubURL && st.Reason == last.Reason && last.State != "" {
		return
	}
	m.reported = st
	if m.onChange != nil {
		m.onChange(st)
	}
}

func check(ctx context.Context, c *http.Client, hub string) (State, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, hub+HealthPath, nil)
	if err != nil {
		return Offline, "bad_url"
	}
	resp, err := c.Do(req)
	if err != nil {
		return Offline, "unreachable"
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return Offline, "not_a_hub"
	}
	return Online, ""
}
