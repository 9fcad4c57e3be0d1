// Command drainer is a desktop reduced to its outbox, for the kill tests:
// it opens a cache and delivers its outbox to a hub until it is empty.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/outpost-studio/outpost/backend/cache"
	"github.com/outpost-studio/outpost/backend/hubclient"
	"github.com/outpost-studio/outpost/backend/outbox"
)

func main() {
	db := flag.String("db", "", "the cache folder")
	hub := flag.String("hub", "", "the hub's URL")
	token := flag.String("token", "", "a bearer token")
	flag.Parse()
	if err := run(*db, *hub, *token); err != nil {
		fmt.Fprintln(os.Stderr, "drainer:", err)
		os.Exit(1)
	}
	fmt.Println("drained")
}

func run(db, hub, token string) error {
	c, err := cache.Open(cache.Options{Dir: db})
	if err != nil {
		return err
	}
	defer c.Close()
	hc, err := hubclient.New(hub, hubclient.WithStallTimeout(2*time.Second))
	if err != nil {
		return err
	}
	hc.SetToken(token)
	s := outbox.NewSender(outbox.New(c), hc, outbox.WithBackoff(5*time.Millisecond, 100*time.Millisecond))
	return s.DrainRetrying(context.Background())
}
