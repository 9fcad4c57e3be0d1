package online

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func waitFor(t *testing.T, ch <-chan Status, want State) Status {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case s := <-ch:
			if s.State == want {
				return s
			}
		case <-deadline:
			t.Fatalf("state %s never reported", want)
		}
	}
}

func TestMonitorReportsEachState(t *testing.T) {
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == HealthPath {
			w.Write([]byte(`{"ok":true}`))
			return
		}
		http.NotFound(w, r)
	}))
	defer hub.Close()
	notHub := httptest.NewServer(http.NotFoundHandler())
	defer notHub.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()

	ch := make(chan Status, 32)
	m := NewMonitor(time.Hour, 2*time.Second, func(s Status) { ch <- s })
	m.Start("")
	defer m.Stop()
	if s := waitFor(t, ch, NoHub); s.HubURL != "" {
		t.Fatalf("no hub: %+v", s)
	}

	m.SetHub(hub.URL)
	waitFor(t, ch, Checking)
	if s := waitFor(t, ch, Online); s.HubURL != hub.URL || s.CheckedAt == "" {
		t.Fatalf("online: %+v", s)
	}
	if m.Status().State != Online {
		t.Fatalf("Status() = %+v", m.Status())
	}

	m.SetHub(notHub.URL)
	if s := waitFor(t, ch, Offline); s.Reason != "not_a_hub" {
		t.Fatalf("not a hub: %+v", s)
	}
	m.SetHub(goneURL)
	if s := waitFor(t, ch, Offline); s.Reason != "unreachable" {
		t.Fatalf("unreachable: %+v", s)
	}
}

func TestASlowHubCountsAsOffline(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	ch := make(chan Status, 8)
	m := NewMonitor(time.Hour, 100*time.Millisecond, func(s Status) { ch <- s })
	m.Start(slow.URL)
	defer m.Stop()
	if s := waitFor(t, ch, Offline); s.Reason != "unreachable" {
		t.Fatalf("slow hub: %+v", s)
	}
}

func TestStopEndsTheLoop(t *testing.T) {
	m := NewMonitor(time.Millisecond, time.Second, nil)
	m.Start("")
	done := make(chan struct{})
	go func() { m.Stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Stop hangs")
	}
	m.Stop() // a second Stop is harmless
}

// TestTheLastReportIsTheCurrentState: however fast the hub setting changes,
// the last status reported is the monitor's current one (a report of
// "checking" must never land after the result it preceded).
func TestTheLastReportIsTheCurrentState(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	url := gone.URL
	gone.Close()
	var mu sync.Mutex
	var last Status
	m := NewMonitor(time.Hour, time.Second, func(s Status) {
		if s.State == Checking {
			time.Sleep(2 * time.Millisecond) // a slow listener, as the UI bridge can be
		}
		mu.Lock()
		last = s
		mu.Unlock()
	})
	m.Start("")
	defer m.Stop()
	for round := 0; round < 20; round++ {
		for i := 0; i < 4; i++ {
			if i%2 == 0 {
				m.SetHub(url)
			} else {
				m.SetHub("")
			}
		}
		m.SetHub(url)
		deadline := time.Now().Add(5 * time.Second)
		for {
			mu.Lock()
			l := last
			mu.Unlock()
			if l.State == Offline && m.Status().State == Offline {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: last report %+v, status %+v", round, l, m.Status())
			}
			time.Sleep(time.Millisecond)
		}
	}
}

func TestEveryChangeCarriesAGrowingSeq(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	url := gone.URL
	gone.Close()
	ch := make(chan Status, 32)
	m := NewMonitor(time.Hour, time.Second, func(s Status) { ch <- s })
	m.Start("")
	defer m.Stop()
	waitFor(t, ch, NoHub)
	m.SetHub(url)
	checking := waitFor(t, ch, Checking)
	offline := waitFor(t, ch, Offline)
	if !(checking.Seq < offline.Seq) || m.Status().Seq != offline.Seq {
		t.Fatalf("seq: checking %d, offline %d, Status %d", checking.Seq, offline.Seq, m.Status().Seq)
	}
}
