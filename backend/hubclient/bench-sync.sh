#!/usr/bin/env bash
# Times the desktop's initial library sync (BenchmarkSyncInitial: 1,000 files,
# ~500 MB) against plain curl downloading the same blobs from the same hub on
# loopback, and prints MB/s for both and their ratio.
#
#   backend/hubclient/bench-sync.sh        (from anywhere inside the repository)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/outpost-bench-sync-XXXXXX")
hubpid=
cleanup() {
	exec 3>&- 2>/dev/null || true
	if [ -n "$hubpid" ]; then wait "$hubpid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "building the releases and starting the hub (this takes a while)..." >&2
go build -o "$work/benchhub" ./backend/hubclient/internal/benchhub
mkfifo "$work/stdin"
"$work/benchhub" -dir "$work/data" <"$work/stdin" >"$work/hub.out" &
hubpid=$!
exec 3>"$work/stdin" # the hub serves until this closes
for _ in $(seq 600); do
	grep -q '^READY$' "$work/hub.out" 2>/dev/null && break
	kill -0 "$hubpid" 2>/dev/null || { echo "benchhub failed" >&2; exit 1; }
	sleep 0.5
done
grep -q '^READY$' "$work/hub.out" || { echo "benchhub not ready" >&2; exit 1; }
val() { sed -n "s/^$1=//p" "$work/hub.out"; }
url=$(val URL) token=$(val TOKEN) pub=$(val PUB) pubsmall=$(val PUB_SMALL) blobs=$(val BLOBS) bytes=$(val BYTES) files=$(val FILES)

# curl: every blob of the release, one connection, one at a time; once
# discarded (/dev/null), once written to files as the sync's spool is.
mkdir -p "$work/curl"
: >"$work/null.cfg"
: >"$work/disk.cfg"
while read -r sha; do
	printf 'url = "%s/v1/blobs/%s"\noutput = "/dev/null"\n' "$url" "$sha" >>"$work/null.cfg"
	printf 'url = "%s/v1/blobs/%s"\noutput = "%s/curl/%s"\n' "$url" "$sha" "$work" "$sha" >>"$work/disk.cfg"
done <"$blobs"
curl_run() {
	local t0 t1
	rm -f "$work"/curl/*
	sync # as the benchmark does between runs: start with no writeback pending
	t0=$(date +%s%N)
	curl -sSf -H "Authorization: Bearer $token" -K "$1"
	t1=$(date +%s%N)
	echo $((t1 - t0))
}
# The median of three runs: disk writes on a VM are noisy.
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
curl_run "$work/null.cfg" >/dev/null # warm the page cache
null_ns=$(median3 "$(curl_run "$work/null.cfg")" "$(curl_run "$work/null.cfg")" "$(curl_run "$work/null.cfg")")
disk_ns=$(median3 "$(curl_run "$work/disk.cfg")" "$(curl_run "$work/disk.cfg")" "$(curl_run "$work/disk.cfg")")
rm -f "$work"/curl/*

echo "running the benchmarks against $url ..." >&2
export OUTPOST_BENCH_HUB=$url OUTPOST_BENCH_TOKEN=$token OUTPOST_BENCH_PUB=$pub OUTPOST_BENCH_PUB_SMALL=$pubsmall CGO_ENABLED=0
out=$(go test -run '^$' -bench '^BenchmarkSyncInitial$' -benchtime 3x -count 1 ./backend/hubclient/)
echo "$out"
noop=$(go test -run '^$' -bench '^BenchmarkSyncNoop$' -count 1 ./backend/hubclient/)
echo "$noop" | grep '^Benchmark'
metric() { awk -v m="$1" '/^Benchmark/ { for (i = 1; i < NF; i++) if ($(i+1) == m) print $i }'; }
sync_mbs=$(echo "$out" | metric MB/s)
dl_mbs=$(echo "$out" | metric dl-MB/s)
noop_ms=$(echo "$noop" | metric ms/sync)

awk -v b="$bytes" -v f="$files" -v nn="$null_ns" -v dn="$disk_ns" -v s="$sync_mbs" -v d="$dl_mbs" -v n="$noop_ms" 'BEGIN {
	c = b / 1e6 / (nn / 1e9)
	k = b / 1e6 / (dn / 1e9)
	printf "\nrelease: %d files, %.1f MB, hub on loopback\n", f, b / 1e6
	printf "curl to /dev/null (median of 3):%8.1f MB/s\n", c
	printf "curl to files (median of 3):    %8.1f MB/s\n", k
	printf "sync, download phase (mean, 3): %8.1f MB/s  (%.2f x curl, %.2f x curl to files)\n", d, d / c, d / k
	printf "sync, whole (download, verify,  %8.1f MB/s  (%.2f x curl, %.2f x curl to files)\n", s, s / c, s / k
	printf "      store, switch)\n"
	printf "no-op re-sync:                  %8.2f ms\n", n
}'
