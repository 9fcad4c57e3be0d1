#!/usr/bin/env bash
# Runs the real Outpost binary in a virtual X display.
#   headless.sh run   BIN SHOT   open the app, screenshot it, say where
#   headless.sh smoke BIN SHOT   smoke test: the window appears, the shell renders
#                                (OCR of the real window), the keyboard
#                                navigates, a second launch is refused.
set -euo pipefail
mode=$1 bin=$2 shot=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
mkdir -p "$(dirname "$shot")"
tmp=$(mktemp -d)
app_pid=""
cleanup() {
	[ -n "$app_pid" ] && kill_tree "$app_pid"
	[ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null
	stop_xvfb
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ "$mode" = smoke ]; then
	# A fresh install: its own settings and data folders.
	export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
fi
start_xvfb
# A session bus, as on a desktop: Wails' single-instance lock uses it on Linux.
eval "$(dbus-launch --sh-syntax)"

"$bin" >"$tmp/app.log" 2>&1 &
app_pid=$!
wid=$(timeout 60 xdotool search --sync --onlyvisible --name '^Outpost$' 2>/dev/null | head -1 || true)
if [ -z "$wid" ]; then
	echo "headless: no window titled Outpost within 60 s; app log:" >&2
	cat "$tmp/app.log" >&2
	exit 1
fi

# ocr: screenshot the window into $shot and print its text.
ocr() {
	import -window "$wid" "$shot"
	convert "$shot" -resize 200% -colorspace Gray "$tmp/ocr.png"
	tesseract "$tmp/ocr.png" - 2>/dev/null
}

# wait_for_text WORDS...: OCR until every phrase shows, for up to 40 s.
wait_for_text() {
	local i text missing p
	for i in $(seq 1 40); do
		text=$(ocr)
		missing=()
		for p in "$@"; do grep -qiF "$p" <<<"$text" || missing+=("$p"); done
		[ ${#missing[@]} -eq 0 ] && return 0
		sleep 1
	done
	echo "smoke: not on screen: ${missing[*]}" >&2
	echo "--- OCR text ---" >&2
	echo "$text" >&2
	return 1
}

if [ "$mode" = run ]; then
	wait_for_text "Library" || true
	echo "No DISPLAY is set, so Outpost opened in a virtual display ($DISPLAY)."
	echo "Screenshot: $(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")"
	if [ -t 0 ]; then
		echo "Outpost keeps running there; press Ctrl-C to quit."
		wait "$app_pid" || true
	else
		echo "No terminal to keep it open: Outpost was closed again."
	fi
	exit 0
fi

passed=0 failed=0
check() { # check NAME CMD...
	if "${@:2}"; then echo "smoke: ok   $1"; passed=$((passed + 1)); else echo "smoke: FAIL $1"; failed=$((failed + 1)); fi
}

# The fresh install opens on the sample library: its grid shows every asset.
sample_count=$(node -e 'console.log(require(process.argv[1]).assets.length)' "$here/../assets/sample/library/library.json")
shell_rendered() {
	# A fresh install opens on the built-in sample library.
	wait_for_text "Library" "Campaigns" "Outbox" "Asset packs" "Settings" "Cairn Outdoor" "No hub configured" "$sample_count results"
}
not_blank() {
	local sd
	sd=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
	awk -v sd="$sd" 'BEGIN { exit !(sd > 0.03) }' || { echo "smoke: window looks blank (sd $sd)" >&2; return 1; }
}
window_size() {
	local w h
	eval "$(xdotool getwindowgeometry --shell "$wid")"
	[ "$WIDTH" -ge 960 ] && [ "$HEIGHT" -ge 600 ] || { echo "smoke: window is ${WIDTH}x${HEIGHT}" >&2; return 1; }
}
keyboard_navigates() {
	xdotool windowfocus --sync "$wid" 2>/dev/null || true
	xdotool key --window "$wid" ctrl+5
	wait_for_text "Hub URL" "Display name"
	cp "$shot" "${shot%.png}-settings.png"
	xdotool key --window "$wid" ctrl+1
	wait_for_text "Library"
}
second_launch_refused() {
	local code=0
	timeout 30 "$bin" >"$tmp/second.log" 2>&1 || code=$?
	local windows
	windows=$(xdotool search --onlyvisible --name '^Outpost$' | wc -l)
	[ "$code" -ne 124 ] && [ "$windows" -eq 1 ] || { echo "smoke: second launch: exit $code, $windows windows" >&2; return 1; }
}

check "window titled Outpost, at least 960x600" window_size
check "shell rendered: navigation, status bar, sample library grid (OCR)" shell_rendered
check "window is not blank" not_blank
cp "$shot" "${shot%.png}-library.png"
check "Ctrl+5 opens Settings, Ctrl+1 returns to Library" keyboard_navigates
check "a second launch hands over to the running window" second_launch_refused
check "app still running" kill -0 "$app_pid"
echo "screenshots: $(dirname "$shot")/$(basename "${shot%.png}")-{library,settings}.png"
echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
