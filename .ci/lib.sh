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
