#!/usr/bin/env bash
# End-to-end tests: Playwright drives Debian's Chromium against `wails dev`,
# which serves the real frontend with the real Go bindings.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
port=${E2E_PORT:-34115}
tmp=$(mktemp -d)
dev_pid="" hub_pid="" keyring_pid=""
cleanup() {
	[ -n "$dev_pid" ] && kill_tree "$dev_pid"
	[ -n "$hub_pid" ] && { kill "$hub_pid" 2>/dev/null || true; }
	[ -n "$keyring_pid" ] && { kill "$keyring_pid" 2>/dev/null || true; }
	[ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null
	stop_xvfb
	# dbus may have started xdg-document-portal, which mounts a FUSE
	# folder at $XDG_CACHE_HOME/doc: unmount it, and never let the
	# clean-up turn a green run red.
	fusermount -u "$tmp/cache/doc" 2>/dev/null || true
	rm -rf "$tmp" 2>/dev/null || true
}
trap cleanup EXIT

# A fresh install of its own.
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"

# Releases to import: version 2 of the sample, signed with the sample key,
# and a copy of it with one photo changed after signing.
rel="$tmp/release" && mkdir -p "$rel" && cp -r assets/sample/library/. "$rel/"
# Version 2 brings one file version 1 lacks, so syncing it from the hub
# downloads something (hub.spec.ts).
printf '# Cairn Outdoor (sample), version 2\n\nRe-signed for the end-to-end tests; the photos, brand kit and templates are\nthose of version 1.\n' >"$rel/CHANGES.md"
go run ./backend/cmd/outpost-library sign -key assets/sample/outpost-sample.key -library cairn-sample \
	-name "Cairn Outdoor (sample)" -regions fr,be,ch -version 2 -created 2026-11-02T00:00:00Z \
	-expires 2031-12-31 -zip "$tmp/release-v2.zip" "$rel" >/dev/null
mkdir -p "$tmp/tampered" && (cd "$tmp/tampered" && unzip -q "$tmp/release-v2.zip")
victim=$(cd "$tmp/tampered" && ls images/*.jpg | head -1)
# One byte changed in the middle of the image: same size, other hash.
size=$(stat -c %s "$tmp/tampered/$victim")
printf '\x5a' | dd of="$tmp/tampered/$victim" bs=1 seek=$((size / 2)) conv=notrunc status=none
(cd "$tmp/tampered" && zip -q -X -r "$tmp/release-v2-tampered.zip" .)
export OUTPOST_E2E_RELEASE_OK="$tmp/release-v2.zip" OUTPOST_E2E_RELEASE_TAMPERED="$tmp/release-v2-tampered.zip"
# Photos to import (the native dialog can't be driven): a good one and one
# cut short, which the import must refuse as damaged.
mkdir -p "$tmp/photos" && cp backend/adapt/testdata/photo.jpg "$tmp/photos/harbour-at-dawn.jpg"
head -c 600 backend/adapt/testdata/photo.jpg >"$tmp/photos/broken-scan.jpg"
export OUTPOST_E2E_PHOTOS="$tmp/photos/harbour-at-dawn.jpg,$tmp/photos/broken-scan.jpg"
# Where PackService.ChooseDestination saves packs, without its dialog.
export OUTPOST_E2E_PACK_DEST="$tmp/outpost-e2e-pack.zip"
start_xvfb
# A session bus of our own, ended with the run (else GTK starts one that outlives it).
eval "$(dbus-launch --sh-syntax)"
# A keychain on it, as a GNOME desktop has: gnome-keyring's Secret Service
# with a fresh "login" collection, created and unlocked with a throwaway
# password, where Outpost keeps the hub token (hub.spec.ts looks with
# secret-tool). It must own the bus name before anything asks for it, or D-Bus
# would start a locked one of its own.
mkdir -p "$tmp/keyring" "$tmp/run" && chmod 700 "$tmp/run"
printf outpost-e2e >"$tmp/keyring-password"
XDG_DATA_HOME="$tmp/keyring" XDG_RUNTIME_DIR="$tmp/run" \
	gnome-keyring-daemon --foreground --unlock --components=secrets <"$tmp/keyring-password" >"$tmp/keyring.log" 2>&1 &
keyring_pid=$!
for i in $(seq 1 100); do
	if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then break; fi
	if ! kill -0 "$keyring_pid" 2>/dev/null; then echo "e2e: gnome-keyring-daemon exited; log:" >&2; cat "$tmp/keyring.log" >&2; exit 1; fi
	sleep 0.1
done

# The real hub, with the demo accounts and the sample (version 1), then
# version 2 published by HQ's admin through the API, as HQ would.
go build -o "$tmp/hub" ./backend/cmd/hub
hub_port=${E2E_HUB_PORT:-38787}
while (exec 3<>"/dev/tcp/127.0.0.1/$hub_port") 2>/dev/null; do hub_port=$((hub_port + 1)); done
hub_url="http://127.0.0.1:$hub_port"
"$tmp/hub" serve --data "$tmp/hubdata" --addr "127.0.0.1:$hub_port" --demo >"$tmp/hub.log" 2>&1 &
hub_pid=$!
for i in $(seq 1 100); do
	if curl -fsS "$hub_url/v1/health" >/dev/null 2>&1; then break; fi
	if ! kill -0 "$hub_pid" 2>/dev/null; then echo "e2e: the hub exited; log:" >&2; cat "$tmp/hub.log" >&2; exit 1; fi
	sleep 0.1
done
admin_token=$(curl -fsS -H 'Content-Type: application/json' -d '{"user":"admin","password":"outpost-demo"}' "$hub_url/v1/sessions" |
	sed -E 's/.*"token":"([^"]+)".*/\1/')
curl -fsS -o /dev/null -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/zip' \
	--data-binary @"$tmp/release-v2.zip" "$hub_url/v1/releases"
# outbox.spec.ts runs a hub of its own, to stop and start it.
export OUTPOST_E2E_HUB_URL="$hub_url" OUTPOST_E2E_HUB_BIN="$tmp/hub"
wails dev -devserver "127.0.0.1:$port" -loglevel Warning -m -nosyncgomod >"$tmp/dev.log" 2>&1 &
dev_pid=$!

url="http://127.0.0.1:$port"
for i in $(seq 1 240); do
	if curl -fsS "$url/" 2>/dev/null | grep -q '<div id="app"'; then break; fi
	if ! kill -0 "$dev_pid" 2>/dev/null; then
		echo "e2e: wails dev exited; log:" >&2; cat "$tmp/dev.log" >&2; exit 1
	fi
	sleep 1
done
if ! curl -fsS "$url/" >/dev/null 2>&1; then
	echo "e2e: wails dev did not serve $url in 240 s; log:" >&2; cat "$tmp/dev.log" >&2; exit 1
fi
# The bindings arrive over a websocket once the Go app is up.
sleep 2
cd frontend
OUTPOST_E2E_URL="$url" npm run e2e -- "$@"
