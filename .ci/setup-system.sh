#!/usr/bin/env bash
# Installs the system packages Outpost needs to build, run and test on
# Debian/Ubuntu. Installs only what is missing; elsewhere it says what to get.
set -euo pipefail

build_pkgs=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.0-dev)
# Headless runs and tests: a virtual display, window tools, screenshots, OCR,
# Debian's Chromium for Playwright, fonts with French accents, and a keychain
# (gnome-keyring's Secret Service, secret-tool to look inside) for the hub token.
headless_pkgs=(xvfb xauth xdotool imagemagick tesseract-ocr tesseract-ocr-eng chromium fonts-dejavu-core fonts-liberation2 dbus dbus-x11 curl zip unzip gnome-keyring libsecret-tools)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "setup: not a Debian/Ubuntu system; install Go 1.26+, Node 20+, and your platform's WebView (see README)." >&2
	exit 0
fi

missing=()
for p in "${build_pkgs[@]}" "${headless_pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
if ! command -v node >/dev/null 2>&1; then
	missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: system packages present"
	exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
		echo "setup: missing packages: ${missing[*]} (run as root or install them)" >&2
		exit 1
	fi
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q "${missing[@]}"

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
	echo "setup: Node $node_major found; the frontend needs Node 20 or newer" >&2
	exit 1
fi
