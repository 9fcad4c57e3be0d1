#!/usr/bin/env bash
# Kills the real desktop (the Wails app of main.go, built as `make build`
# does) with SIGKILL while its outbox drains to a real hub, again and again,
# then lets one last run drain it: every queued submission must be on the hub
# exactly once and the outbox empty. backend/outbox/kill_test.go does the
# same with a reduced process; this is the whole app: its settings, its
# keychain (gnome-keyring on a session bus of our own), its cache, its
# OutboxService sender, under Xvfb.
#
#   KILLS=50            mid-drain SIGKILLs before the last run: each comes a
#                       random 0-KILL_AFTER_MS ms after the run's first
#                       delivery, and counts when the hub got some of the
#                       run's submissions and not all of the queue
#   KILL_AFTER_MS=300
#   KILL_STARTUP_EVERY=5  every 5th run is instead killed 100-500 ms after
#                       its start (WebKit, Badger opening, the keychain, the
#                       first PUT), counted apart; 0: none
#   SUBMISSIONS=150     queued before the first start; as many again are
#                       queued (desktop down) when fewer than KILL_LOW=50 are
#                       left, so that kills land mid-drain and the last run
#                       still has a queue to drain
#   KILL_RANDOM=<n>     seed of the random waits (printed; reuse it to replay)
#   KILL_CONTROL=lost   the seeded list names one id never queued: must fail
#   KILL_CONTROL=extra  one submission queued but not listed: must fail
#   KILL_STALL=60       s without a new delivery that end the last run early
#   KILL_BUILD=0        reuse build/bin/outpost
#   KILL_KEEP=1         keep the temp folder (logs, hub data, desktop data)
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh

kills=${KILLS:-50}
n=${SUBMISSIONS:-150}
after_ms=${KILL_AFTER_MS:-300}
startup_every=${KILL_STARTUP_EVERY:-5}
low=${KILL_LOW:-50}
start_timeout=${KILL_START_TIMEOUT:-60} # s from a start to its first delivery
seed=${KILL_RANDOM:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
RANDOM=$seed
control=${KILL_CONTROL:-}
stall=${KILL_STALL:-60} # s without a delivery that end the last run
bin=build/bin/outpost

tmp=$(mktemp -d)
: >"$tmp/kills" # when each killed run was gone (Unix ms)
app_pid="" hub_pid=""
say() { echo "kill-desktop: $*"; }
fail() { echo "kill-desktop: FAIL: $*" >&2; exit 1; }
cleanup() {
	[ -n "$app_pid" ] && { kill -9 -- "-$app_pid" 2>/dev/null || true; }
	[ -n "$hub_pid" ] && { kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true; }
	stop_keyring
	stop_xvfb
	fusermount -u "$tmp/cache/doc" 2>/dev/null || true
	if [ "${KILL_KEEP:-0}" = 1 ]; then echo "kill-desktop: kept $tmp" >&2; else rm -rf "$tmp" 2>/dev/null || true; fi
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

# Build: the desktop as `make build` does, the hub, and the Go helper
# (backend/outbox/desktop_test.go, a test binary run with -test.run).
t_start=$(now_ms)
if [ "${KILL_BUILD:-1}" != 0 ] || [ ! -x "$bin" ]; then
	make build >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; fail "make build"; }
fi
go build -o "$tmp/hub" ./backend/cmd/hub
CGO_ENABLED=0 go test -c -o "$tmp/outbox.test" ./backend/outbox
helper() { # helper MODE [VAR=value...]: the Go side; its output in $tmp/helper.log
	env OUTPOST_KILL_DESKTOP="$1" OUTPOST_KILL_HUB="$hub_url" OUTPOST_KILL_IDS="$tmp/ids" OUTPOST_KILL_TIMES="$tmp/kills" "${@:2}" \
		"$tmp/outbox.test" -test.run '^TestKillDesktopHelper$' -test.count=1 -test.v >>"$tmp/helper.log" 2>&1
}

# A fresh install of its own: settings, data folder, keychain.
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
start_xvfb
# The session bus and gnome-keyring's Secret Service, as .ci/e2e.sh has them.
start_keyring "$tmp/keyring" || fail "no keychain"

# The real hub with the demo accounts, on a free port.
start_hub "$tmp/hub" "$tmp/hubdata" "${KILL_HUB_PORT:-38911}" || fail "the hub did not start"
hub_pid=$HUB_PID hub_url=$HUB_URL

# designer.fr signed in on the desktop; the outbox seeded.
helper signin || { cat "$tmp/helper.log" >&2; fail "signing in"; }
helper seed OUTPOST_KILL_N="$n" OUTPOST_KILL_CONTROL="$control" || { cat "$tmp/helper.log" >&2; fail "seeding"; }
total=$(grep -c . "$tmp/ids")
[ -n "$control" ] && say "control run ($control): this run must FAIL"
say "hub $hub_url, $total submissions queued, desktop $bin, kills 0-$after_ms ms after a run's first delivery (KILL_RANDOM=$seed)"

# delivered: submissions the hub created (its log says so once per id).
delivered() { grep -c 'hub: submission received' "$tmp/hubdata.log" || true; }

run=0
start_desktop() {
	run=$((run + 1))
	# Its own process group (setsid), so that the SIGKILL takes WebKit's
	# processes along.
	echo "$run $(now_ms)" >>"$tmp/starts"
	setsid "$bin" >"$tmp/desktop-$run.log" 2>&1 &
	app_pid=$!
	local i
	for i in $(seq 1 100); do
		[ "$(ps -o pgid= -p "$app_pid" 2>/dev/null | tr -d ' ')" = "$app_pid" ] && return 0
		sleep 0.01
	done
	fail "run $run: the desktop is not the leader of its process group"
}
# wait_group PID: until nothing of its process group is left.
wait_group() {
	local i
	wait "$1" 2>/dev/null || true
	for i in $(seq 1 100); do
		pgrep -g "$1" >/dev/null 2>&1 || return 0
		sleep 0.05
	done
	fail "processes of group $1 outlived the kill: $(pgrep -a -g "$1" | tr '\n' ';')"
}

# live_until MS: lets the running desktop live MS ms after its start (t0).
live_until() {
	while [ $(($(now_ms) - t0)) -lt "$1" ]; do
		kill -0 "$app_pid" 2>/dev/null || { cat "$tmp/desktop-$run.log" >&2; fail "run $run: the desktop exited by itself"; }
		sleep 0.02
	done
}

t_loop=$(now_ms)
killed=0 mid=0 before_any=0 after_drain=0 startup=0 topups=0 first_ms=()
while [ "$mid" -lt "$kills" ]; do
	[ "$killed" -ge $((3 * kills + 10)) ] && fail "$killed kills and only $mid of them mid-drain"
	if [ $((total - $(delivered))) -lt "$low" ]; then
		# Nearly drained: more work, queued while the desktop is down.
		helper seed OUTPOST_KILL_N="$n" || { cat "$tmp/helper.log" >&2; fail "seeding more"; }
		total=$(grep -c . "$tmp/ids")
		topups=$((topups + 1))
	fi
	before=$(delivered)
	start_desktop
	t0=$(now_ms)
	first=""
	if [ "$startup_every" -gt 0 ] && [ $((run % startup_every)) -eq 0 ]; then
		# A startup kill: at a random moment of the first 100-500 ms,
		# whatever the app is doing then (GTK and WebKit starting, Badger
		# opening some 200-350 ms in, the keychain read, the first PUT).
		kind=startup w=$((100 + RANDOM % 401))
		live_until "$w"
	else
		# A mid-drain kill: a random 0-$after_ms ms after this run's first delivery.
		kind=drain
		while [ "$(delivered)" -le "$before" ]; do
			kill -0 "$app_pid" 2>/dev/null || { cat "$tmp/desktop-$run.log" >&2; fail "run $run: the desktop exited by itself"; }
			[ $(($(now_ms) - t0)) -gt $((start_timeout * 1000)) ] && { cat "$tmp/desktop-$run.log" >&2; fail "run $run: no delivery within ${start_timeout} s of the start"; }
			sleep 0.02
		done
		first=$(($(now_ms) - t0))
		first_ms+=("$first")
		w=$((first + RANDOM % (after_ms + 1)))
		live_until "$w"
	fi
	kill -9 -- "-$app_pid" 2>/dev/null || true
	wait_group "$app_pid"
	now_ms >>"$tmp/kills"
	app_pid=""
	killed=$((killed + 1))
	after=$(delivered)
	if [ "$kind" = startup ]; then
		startup=$((startup + 1))
	elif [ "$after" -ge "$total" ]; then
		after_drain=$((after_drain + 1))
	else
		mid=$((mid + 1))
	fi
	[ "$after" -eq "$before" ] && before_any=$((before_any + 1))
	printf 'kill-desktop: run %d, %s kill at %d ms (first delivery %s ms): hub %d/%d (+%d)\n' \
		"$run" "$kind" "$w" "${first:--}" "$after" "$total" $((after - before))
done
t_kills=$(($(now_ms) - t_loop))

# The last run: it lives until the hub holds everything, then quits as on
# SIGTERM (Wails shuts the app down: the sender stops, the cache closes).
before_last=$(delivered)
start_desktop
t0=$(now_ms)
first="" last_count=$before_last t_progress=$t0
while [ "$(delivered)" -lt "$total" ]; do
	kill -0 "$app_pid" 2>/dev/null || { cat "$tmp/desktop-$run.log" >&2; fail "the last run exited by itself"; }
	d=$(delivered)
	if [ "$d" -gt "$last_count" ]; then
		[ -z "$first" ] && first=$(($(now_ms) - t0))
		last_count=$d t_progress=$(now_ms)
	fi
	if [ $(($(now_ms) - t_progress)) -gt $((stall * 1000)) ]; then
		# Not everything arrived (a control run, or a real loss): the check says which.
		say "the last run delivered nothing for ${stall} s with the hub at $d of $total"
		break
	fi
	sleep 0.1
done
t_last=$(($(now_ms) - t0))
# A moment for the last answer to be recorded, then a clean quit.
sleep 1
kill -TERM "$app_pid" 2>/dev/null || true
t_term=$(now_ms)
for i in $(seq 1 300); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
t_quit=$(($(now_ms) - t_term))
if kill -0 "$app_pid" 2>/dev/null; then
	kill -9 -- "-$app_pid" 2>/dev/null || true
	wait_group "$app_pid"
	app_pid=""
	fail "the last run did not quit within 30 s of SIGTERM"
fi
wait_group "$app_pid"
app_pid=""

# What the runs logged: Badger's recoveries, warnings, keychain trouble.
logs=("$tmp"/desktop-*.log)
warns=$(cat "${logs[@]}" | grep -c 'level=WARN' || true)
errors=$(cat "${logs[@]}" | grep -c 'level=ERROR' || true)
opened=$(cat "${logs[@]}" | grep -c 'msg="cache open"' || true)
retried=$(cat "${logs[@]}" | grep -c 'retrying open after an interrupted log file' || true)
if [ "$warns" -gt 0 ] || [ "$errors" -gt 0 ]; then
	say "desktop warnings/errors (first 10 distinct):"
	cat "${logs[@]}" | grep -E 'level=(WARN|ERROR)' | sed -E 's/^time=[^ ]+ //' | sort | uniq -c | sort -rn | head -10
fi
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
median_first=$(printf '%s\n' "${first_ms[@]}" | grep . | median)
# From each start to the app's "cache open" line (Badger open, sender started).
median_open=$(while read -r r ms; do
	at=$(grep -m1 -o 'time=[^ ]* level=INFO msg="cache open"' "$tmp/desktop-$r.log" | sed -E 's/^time=([^ ]*) .*/\1/')
	[ -n "$at" ] && echo $(($(date -d "$at" +%s%3N) - ms))
done <"$tmp/starts" | median)
say "$run runs: cache opened $opened times (median ${median_open:-?} ms after the start; $retried after an interrupted log file), desktop log: $warns warnings, $errors errors"
say "kills: $killed in $((t_kills / 1000)) s: $mid mid-drain (the run delivered some, some were left), $startup at startup ($before_any before any delivery), $after_drain after the outbox drained; $topups top-ups of $n"
if [ "$(delivered)" -ge "$total" ]; then last="all on the hub after $t_last ms"; else last="the hub at $(delivered) of $total when it stopped, after $t_last ms"; fi
say "first delivery after a start: median ${median_first:-?} ms over ${#first_ms[@]} runs; last run: first after ${first:-?} ms, $last, quit $t_quit ms after SIGTERM"

# The check: the hub as HQ's reviewer sees it, and the desktop's outbox.
if ! helper check; then
	grep -E 'kill-check:|desktop_test.go' "$tmp/helper.log" | tail -5 >&2
	fail "not exactly once (KILL_RANDOM=$seed)"
fi
line=$(grep 'kill-check:' "$tmp/helper.log" | tail -1)
say "${line#kill-check: }"
say "$killed kills ($mid mid-drain), $total submissions: 0 lost, 0 duplicates, outbox empty, $before_last delivered before the last start ($(( ($(now_ms) - t_start) / 1000 )) s in all)"
