package cache

// Every Badger key Outpost writes is built in this file, and only here.
//
// Layout: readable ASCII prefixes separated by "/", numbers big-endian so that
// they sort, hashes as lowercase hex. A prefix scan of one row of the table
// never meets keys of another row.
//
//	key                              value                         since
//	meta/schema                      uint32 BE: layout version     v1
//	blob/{sha256}                    raw bytes, verified on read   reserved (library)
//	release/{lib}                    trusted manifest of a library reserved (library)
//	asset/{lib}/{id}                 asset metadata JSON           reserved (library)
//	rend/{srcsha256}/{specsha256}    rendition bytes               reserved (adapt)
//	draft/{id}                       campaign draft JSON           reserved (campaign)
//	outbox/{seq uint64 BE}           queued submission id          reserved (outbox)
//
// "reserved" rows are planned by later work; they are listed so that no two
// features pick the same prefix. Change a layout only with a new schema
// version and a migration in Open.

// schemaVersion is the layout this build reads and writes.
const schemaVersion uint32 = 1

var keySchema = []byte("meta/schema")
