package cache

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/task"
)

func open(t *testing.T, dir string) *Cache {
	t.Helper()
	c, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return c
}

func put(t *testing.T, c *Cache, k string, v []byte) {
	t.Helper()
	if err := c.DB().Update(func(txn *badger.Txn) error { return txn.Set([]byte(k), v) }); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, c *Cache, k string) []byte {
	t.Helper()
	var out []byte
	err := c.DB().View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(k))
		if err != nil {
			return err
		}
		out, err = item.ValueCopy(nil)
		return err
	})
	if err != nil {
		t.Fatalf("get %s: %v", k, err)
	}
	return out
}

func TestOpenCloseReopenKeepsData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "db")
	c := open(t, dir)
	big := make([]byte, 50<<10) // a thumbnail-sized value lives in the value log
	for i := range big {
		big[i] = byte(i)
	}
	put(t, c, "small", []byte("hello"))
	put(t, c, "big", big)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}

	c = open(t, dir)
	defer c.Close()
	if string(get(t, c, "small")) != "hello" {
		t.Fatal("small value lost")
	}
	if b := get(t, c, "big"); len(b) != len(big) || b[12345] != big[12345] {
		t.Fatal("big value lost")
	}
	if s := c.Stats(); s.VlogBytes == 0 || s.Dir != dir {
		t.Fatalf("Stats = %+v", s)
	}
}

func TestASecondOpenOfTheSameFolderIsLocked(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	defer c.Close()
	_, err := Open(Options{Dir: dir})
	if fault.CodeOf(err) != CodeLocked || fault.KindOf(err) != fault.Conflict {
		t.Fatalf("second Open = %v, want %s", err, CodeLocked)
	}
}

// crashedWithEmptyFile makes the folder a kill -9 leaves when it lands
// between Badger creating its next value-log or memtable file and sizing
// it.
func crashedWithEmptyFile(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	c := open(t, dir)
	put(t, c, "draft/1", []byte("acknowledged"))
	c.Close()
	if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestEmptyLogFileAfterACrashIsRecovered: found by the outbox's kill test
// for memtables (".mem"), as for the value log before.
func TestEmptyLogFileAfterACrashIsRecovered(t *testing.T) {
	for _, name := range []string{"000002.vlog", "00009.mem"} {
		t.Run(name, func(t *testing.T) {
			// The case is real: plain Badger fails the first Open of such a folder.
			raw := crashedWithEmptyFile(t, name)
			if db, err := badger.Open(badgerOptions(raw, nil).WithLogger(nil)); err == nil {
				db.Close()
				t.Fatal("badger opened the folder on the first try; the retry may no longer be needed")
			}
			dir := crashedWithEmptyFile(t, name)
			c, err := Open(Options{Dir: dir})
			if err != nil {
				t.Fatalf("Open after the crash: %v", err)
			}
			defer c.Close()
			if string(get(t, c, "draft/1")) != "acknowledged" {
				t.Fatal("data lost after recovery")
			}
		})
	}
}

func TestANewerSchemaIsRefused(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir)
	var v [4]byte
	binary.BigEndian.PutUint32(v[:], schemaVersion+1)
	put(t, c, string(keySchema), v[:])
	c.Close()

	_, err := Open(Options{Dir: dir})
	if fault.CodeOf(err) != CodeSchemaNewer {
		t.Fatalf("Open = %v, want %s", err, CodeSchemaNewer)
	}
	// The refusal released the folder: this build can still open it after
	// the newer data is dealt with.
	db, err := badger.Open(badgerOptions(dir, nil).WithLogger(nil))
	if err != nil {
		t.Fatalf("folder left locked: %v", err)
	}
	db.Close()
}

func TestOpenInAnImpossiblePlaceSaysWhere(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o600)
	_, err := Open(Options{Dir: filepath.Join(file, "db")})
	e, ok := fault.As(err)
	if !ok || e.Code != CodeOpenFailed || e.Params["path"] == "" {
		t.Fatalf("Open = %v, want %s with the path", err, CodeOpenFailed)
	}
}

func TestCompactReportsEveryStepAndCanBeCanceled(t *testing.T) {
	c := open(t, t.TempDir())
	defer c.Close()
	for i := 0; i < 200; i++ {
		put(t, c, fmt.Sprintf("k/%04d", i), make([]byte, 4<<10))
	}
	var phases []string
	err := c.Compact(context.Background(), func(p task.Progress) { phases = append(phases, p.Phase) })
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(phases) != "[flush flatten gc done]" {
		t.Fatalf("phases = %v", phases)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = c.Compact(ctx, func(task.Progress) {})
	if fault.KindOf(err) != fault.Canceled {
		t.Fatalf("canceled Compact = %v", err)
	}
}

func TestGCLoopStopsOnClose(t *testing.T) {
	c, err := Open(Options{Dir: t.TempDir(), GCInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		put(t, c, "k", make([]byte, 8<<10))
	}
	time.Sleep(20 * time.Millisecond)
	done := make(chan error)
	go func() { done <- c.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not stop the GC loop")
	}
}

// TestKill9LosesNoAcknowledgedWrite writes in a child process, which prints
// each key once its commit returned, kills it with SIGKILL at several
// moments, and checks that every acknowledged key survived.
func TestKill9LosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	acked := map[int]bool{}
	for round := 0; round < 5; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=TestHelperWriter")
		cmd.Env = append(os.Environ(), "OUTPOST_CACHE_HELPER="+dir, fmt.Sprintf("OUTPOST_CACHE_ROUND=%d", round))
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		n := 0
		for sc.Scan() {
			if k, err := strconv.Atoi(sc.Text()); err == nil {
				acked[k] = true
				n++
			}
			if n == 20+round*15 {
				cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
		for sc.Scan() { // read what was acknowledged before the kill landed
			if k, err := strconv.Atoi(sc.Text()); err == nil {
				acked[k] = true
			}
		}
		cmd.Wait()
	}
	c := open(t, dir)
	defer c.Close()
	for k := range acked {
		if v := get(t, c, fmt.Sprintf("draft/%08d", k)); len(v) != 3000 {
			t.Fatalf("acknowledged key %d has %d bytes", k, len(v))
		}
	}
	if len(acked) < 50 {
		t.Fatalf("only %d writes acknowledged; the test did not exercise much", len(acked))
	}
}

func TestHelperWriter(t *testing.T) {
	dir := os.Getenv("OUTPOST_CACHE_HELPER")
	if dir == "" {
		t.Skip("helper process only")
	}
	round, _ := strconv.Atoi(os.Getenv("OUTPOST_CACHE_ROUND"))
	c, err := Open(Options{Dir: dir})
	if err != nil {
		panic(err)
	}
	v := make([]byte, 3000) // above ValueThreshold: exercises the value log
	for i := round * 100000; ; i++ {
		err := c.DB().Update(func(txn *badger.Txn) error {
			return txn.Set([]byte(fmt.Sprintf("draft/%08d", i)), v)
		})
		if err != nil {
			panic(err)
		}
		fmt.Println(i)
	}
}
