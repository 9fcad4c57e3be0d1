package hub

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/outpost-studio/outpost/backend/fault"
	"github.com/outpost-studio/outpost/backend/hubapi"
)

// conflictRetries bounds the retries of a transaction that lost a race on
// the change counter; each retry re-reads what it depends on.
const conflictRetries = 64

// update runs fn in a read-write transaction, again when it conflicts with
// another one (Badger's optimistic concurrency: the loser sees the winner's
// writes on its next try).
func (s *badgerStore) update(fn func(txn *badger.Txn) error) error {
	var err error
	for range conflictRetries {
		err = s.db.Update(fn)
		if !errors.Is(err, badger.ErrConflict) {
			return err
		}
	}
	return err
}

func (s *badgerStore) SignOffKey(gen func() ([]byte, error)) ([]byte, error) {
	const op = "hub.Store.SignOffKey"
	var key []byte
	err := s.update(func(txn *badger.Txn) error {
		item, err := txn.Get(keySignOffKey)
		if err == nil {
			key, err = item.ValueCopy(nil)
			return err
		}
		if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		if key, err = gen(); err != nil {
			return err
		}
		return txn.Set(keySignOffKey, key)
	})
	return key, unavailable(op, err)
}

// nextSeq hands out the next submission change number.
func nextSeq(txn *badger.Txn) (uint64, error) {
	var last uint64
	item, err := txn.Get(keySubSeqLast)
	switch {
	case err == nil:
		v, err := item.ValueCopy(nil)
		if err != nil {
			return 0, err
		}
		if len(v) != 8 {
			return 0, fmt.Errorf("hub: bad submission counter %x", v)
		}
		last = binary.BigEndian.Uint64(v)
	case !errors.Is(err, badger.ErrKeyNotFound):
		return 0, err
	}
	last++
	return last, txn.Set(keySubSeqLast, binary.BigEndian.AppendUint64(nil, last))
}

func (s *badgerStore) PutSubmission(row SubmissionRow, body []byte) (SubmissionRow, bool, error) {
	const op = "hub.Store.PutSubmission"
	id := row.Head.ID
	var stored SubmissionRow
	var created bool
	err := s.update(func(txn *badger.Txn) error {
		created = false
		found, err := getJSON(txn, keySub(id), &stored)
		if err != nil || found {
			return err
		}
		seq, err := nextSeq(txn)
		if err != nil {
			return err
		}
		stored = row
		stored.Head.Seq = seq
		if err := setJSON(txn, keySub(id), stored); err != nil {
			return err
		}
		if err := txn.Set(keySubBody(id), body); err != nil {
			return err
		}
		created = true
		return txn.Set(keySubSeq(seq), []byte(id))
	})
	return stored, created, unavailable(op, err)
}

func (s *badgerStore) Submission(id string) (SubmissionRow, error) {
	const op = "hub.Store.Submission"
	var row SubmissionRow
	err := s.db.View(func(txn *badger.Txn) error {
		found, err := getJSON(txn, keySub(id), &row)
		if err == nil && !found {
			return fault.New(fault.NotFound, hubapi.CodeNotFound, op)
		}
		return err
	})
	return row, unavailable(op, err)
}

func (s *badgerStore) SubmissionBody(id string) ([]byte, error) {
	const op = "hub.Store.SubmissionBody"
	var body []byte
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(keySubBody(id))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return fault.New(fault.NotFound, hubapi.CodeNotFound, op)
		}
		if err != nil {
			return err
		}
		body, err = item.ValueCopy(nil)
		return err
	})
	return body, unavailable(op, err)
}

func (s *badgerStore) UpdateSubmission(id string, fn func(*SubmissionRow) error) (SubmissionRow, error) {
	const op = "hub.Store.UpdateSubmission"
	var row SubmissionRow
	err := s.update(func(txn *badger.Txn) error {
		row = SubmissionRow{}
		found, err := getJSON(txn, keySub(id), &row)
		if err != nil {
			return err
		}
		if !found {
			return fault.New(fault.NotFound, hubapi.CodeNotFound, op)
		}
		old := row.Head.Seq
		if err := fn(&row); err != nil {
			return err
		}
		seq, err := nextSeq(txn)
		if err != nil {
			return err
		}
		row.Head.Seq = seq
		if err := setJSON(txn, keySub(id), row); err != nil {
			return err
		}
		if err := txn.Delete(keySubSeq(old)); err != nil {
			return err
		}
		return txn.Set(keySubSeq(seq), []byte(id))
	})
	return row, unavailable(op, err)
}

func (s *badgerStore) Submissions(since uint64) ([]SubmissionRow, error) {
	const op = "hub.Store.Submissions"
	var out []SubmissionRow
	if since == math.MaxUint64 {
		return nil, nil
	}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefixSubSeq, PrefetchValues: true, PrefetchSize: 64})
		defer it.Close()
		for it.Seek(keySubSeq(since + 1)); it.Valid(); it.Next() {
			id, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			var row SubmissionRow
			found, err := getJSON(txn, keySub(string(id)), &row)
			if err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("hub: change index names a missing submission %q", id)
			}
			out = append(out, row)
		}
		return nil
	})
	return out, unavailable(op, err)
}
