#!/usr/bin/env bash
# End-to-end tests: Playwright drives Debian's Chromium against `wails dev`,
# which serves the real frontend with the real Go bindings.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh
port=${E2E_PORT:-34115}
tmp=$(mktemp -d)
dev_pid=""
cleanup() {
	[ -n "$dev_pid" ] && kill_tree "$dev_pid"
	[ -n "${HUB_PID:-}" ] && { kill "$HUB_PID" 2>/dev/null || true; }
	stop_keyring
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
# A session bus with a keychain on it (hub.spec.ts looks for the token with
# secret-tool).
start_keyring "$tmp/keyring"

# The real hub, with the demo accounts and the sample (version 1), then
# version 2 published by HQ's admin through the API, as HQ would.
go build -o "$tmp/hub" ./backend/cmd/hub
start_hub "$tmp/hub" "$tmp/hubdata" "${E2E_HUB_PORT:-38787}"
hub_url=$HUB_URL
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
