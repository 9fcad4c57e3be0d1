# Shared shell helpers for the headless scripts. Source it.

# start_xvfb: starts a virtual display on a free number, exports DISPLAY and
# XVFB_PID. Stop it with stop_xvfb.
start_xvfb() {
	local n
	for n in $(seq 91 160); do
		if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then break; fi
	done
	Xvfb ":$n" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
	XVFB_PID=$!
	export DISPLAY=":$n"
	local i
	for i in $(seq 1 100); do
		if xdotool getdisplaygeometry >/dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	echo "xvfb: display $DISPLAY did not start" >&2
	return 1
}

stop_xvfb() {
	if [ -n "${XVFB_PID:-}" ]; then kill "$XVFB_PID" 2>/dev/null || true; wait "$XVFB_PID" 2>/dev/null || true; fi
}

# kill_tree PID: ends a process and everything it started.
kill_tree() {
	local pid=$1 child
	for child in $(pgrep -P "$pid" 2>/dev/null); do kill_tree "$child"; done
	kill "$pid" 2>/dev/null || true
}

# start_keyring DIR: a session bus of our own (else GTK starts one that
# outlives the run) with gnome-keyring's Secret Service on it, as a GNOME
# desktop has: a fresh "login" collection in DIR, created and unlocked with
# a throwaway password, where Outpost keeps the hub token. It must own the
# bus name before anything asks for it, or D-Bus would start a locked one of
# its own. Sets KEYRING_PID (and DBUS_SESSION_BUS_PID); stop both with
# stop_keyring.
start_keyring() {
	local dir=$1 i
	eval "$(dbus-launch --sh-syntax)"
	mkdir -p "$dir/data" "$dir/run" && chmod 700 "$dir/run"
	printf outpost-test >"$dir/password"
	XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir/run" \
		gnome-keyring-daemon --foreground --unlock --components=secrets <"$dir/password" >"$dir/keyring.log" 2>&1 &
	KEYRING_PID=$!
	for i in $(seq 1 100); do
		if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
			org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then return 0; fi
		if ! kill -0 "$KEYRING_PID" 2>/dev/null; then
			echo "gnome-keyring-daemon exited; log:" >&2; cat "$dir/keyring.log" >&2; return 1
		fi
		sleep 0.1
	done
	echo "gnome-keyring-daemon did not own org.freedesktop.secrets in 10 s" >&2
	return 1
}

stop_keyring() {
	[ -n "${KEYRING_PID:-}" ] && { kill "$KEYRING_PID" 2>/dev/null || true; }
	[ -n "${DBUS_SESSION_BUS_PID:-}" ] && { kill "$DBUS_SESSION_BUS_PID" 2>/dev/null || true; }
	return 0
}

# start_hub BIN DATA PORT: `hub serve --demo` on the first free port from
# PORT, its log in DATA.log. Sets HUB_PID and HUB_URL once it answers.
start_hub() {
	local bin=$1 data=$2 port=$3 i
	while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
	HUB_URL="http://127.0.0.1:$port"
	"$bin" serve --data "$data" --addr "127.0.0.1:$port" --demo >"$data.log" 2>&1 &
	HUB_PID=$!
	for i in $(seq 1 100); do
		if curl -fsS "$HUB_URL/v1/health" >/dev/null 2>&1; then return 0; fi
		if ! kill -0 "$HUB_PID" 2>/dev/null; then echo "the hub exited; log:" >&2; cat "$data.log" >&2; return 1; fi
		sleep 0.1
	done
	echo "the hub did not answer at $HUB_URL in 10 s" >&2
	return 1
}
