#!/usr/bin/env bash
# make bench-pack: the asset-pack export against libvips on 40 real
# photographs from Debian's wallpaper packages (installed here if missing,
# never committed). Prints both times, their ratio, PSNR against a Lanczos
# reference, Outpost's peak RSS, the final filter's cost (Catmull-Rom vs
# linear) and a 320-pixel thumbnail of the largest JPEGs.
#
# Both sides make the same 40 × 5 renditions (the sample library's social
# and email presets, all fills) with two workers: Outpost through
# pack.Export (decode once, pyramid, final filter, zip); libvips with one
# `vips crop` + `vips thumbnail` per rendition, two at a time, on the crop
# boxes Outpost chose (its smart crop included), so the framing is equal.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
COUNT=${COUNT:-40}

work=$(mktemp -d /tmp/outpost-bench-pack.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Tools and photos. The wallpaper packages are the ones the sample library
# credits; each install is skipped when the package is there.
pkgs=(libvips-tools time lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 gnome-backgrounds mate-backgrounds ukui-wallpapers plasma-workspace-wallpapers)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
	echo "bench-pack: installing ${missing[*]}"
	if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The COUNT largest distinct JPEGs of 2 to 24 megapixels.
mkdir -p "$work/photos" "$work/vips"
find /usr/share/backgrounds /usr/share/wallpapers -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) 2>/dev/null | sort |
	while read -r f; do
		w=$(vipsheader -f width "$f" 2>/dev/null) || continue
		h=$(vipsheader -f height "$f" 2>/dev/null) || continue
		echo "$((w * h)) $(sha256sum "$f" | cut -c1-16) $f"
	done | awk '$1 >= 2000000 && $1 <= 24000000 && !seen[$2]++' | sort -k1,1nr -k3 | head -n "$COUNT" > "$work/list"
n=$(wc -l < "$work/list")
[ "$n" -ge "$COUNT" ] || { echo "bench-pack: found only $n photos of 2–24 MP" >&2; exit 1; }
i=0
while read -r px _ f; do
	i=$((i + 1))
	cp "$f" "$work/photos/$(printf '%02d' $i)-$(basename "${f%.*}" | tr -c 'A-Za-z0-9_-' '-' | cut -c1-40).jpg"
done < "$work/list"
mp=$(awk '{s += $1} END {printf "%.1f", s / 1e6}' "$work/list")
echo "bench-pack: $n photos, $mp MP in all, $(du -sh "$work/photos" | cut -f1); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

export OUTPOST_BENCH_PHOTOS="$work/photos" CGO_ENABLED=0
"$GO" test -c -o "$work/pack.test" ./backend/pack
"$GO" test -c -o "$work/adapt.test" ./backend/adapt

# Outpost, twice (the machine may be shared): time and peak RSS, with the
# soft memory limit `outpost-library pack` sets (512 MiB); then once
# without any limit, for the RSS only.
for run in 1 2 nolimit; do
	limit=512MiB
	[ "$run" = nolimit ] && limit=off
	GOMEMLIMIT=$limit /usr/bin/time -v "$work/pack.test" -test.run '^$' -test.bench '^BenchmarkPackPhotos$' -test.benchtime 1x \
		> "$work/outpost.$run" 2> "$work/rss.$run"
	echo "$(grep '^outpost:' "$work/outpost.$run"), GOMEMLIMIT=$limit, peak RSS" \
		"$(awk -F': ' '/Maximum resident/ {printf "%.0f MB", $2 / 1024}' "$work/rss.$run")," \
		"CPU $(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f s", s}' "$work/rss.$run"), load $(cut -d' ' -f1-3 /proc/loadavg)"
done
mv "$work/outpost.nolimit" "$work/nolimit.out"

# The crop boxes, then libvips on them, two at a time.
OUTPOST_BENCH_PLAN="$work/plan.tsv" "$work/pack.test" -test.run '^TestBenchPlan$' > /dev/null
cat > "$work/vips-one.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
IFS=$'\t' read -r src preset left top width height ow oh q <<< "$1"
tmp=$(mktemp /dev/shm/outpost-vips.XXXXXX.v)
vips crop "$src[autorotate]" "$tmp" "$left" "$top" "$width" "$height"
vips thumbnail "$tmp" "$OUT/$(basename "$src").$preset.jpg[Q=$q,strip]" "$ow" --height "$oh" --size force
rm -f "$tmp"
EOF
chmod +x "$work/vips-one.sh"
vips_times=()
vips_cpu=()
for run in 1 2; do
	start=$(date +%s.%N)
	tr '\n' '\0' < "$work/plan.tsv" | OUT="$work/vips" /usr/bin/time -f '%U %S' -o "$work/vcpu.$run" \
		xargs -0 -P2 -n1 "$work/vips-one.sh"
	t=$(echo "$(date +%s.%N) - $start" | bc)
	vips_times+=("$t")
	vips_cpu+=("$(awk '{printf "%.1f", $1 + $2}' "$work/vcpu.$run")")
	printf 'libvips: %d renditions (vips crop + vips thumbnail, 2 at a time) in %.2f s, CPU %s s, load %s\n' \
		"$(wc -l < "$work/plan.tsv")" "$t" "${vips_cpu[-1]}" "$(cut -d' ' -f1-3 /proc/loadavg)"
done

# Ratio of the best runs.
best_outpost=$(grep -h '^outpost:.* in ' "$work"/outpost.* | sed 's/.* in \([0-9.]*\) s.*/\1/' | sort -n | head -1)
best_vips=$(printf '%s\n' "${vips_times[@]}" | sort -n | head -1)
echo "ratio: outpost / libvips = $(echo "scale=2; $best_outpost / $best_vips" | bc) (best of two: $best_outpost s / $(printf '%.2f' "$best_vips") s; target ≤ 0.60)"
best_outpost_cpu=$(awk -F': ' '/User time|System time/ {s[FILENAME] += $2} END {m = 1e9; for (f in s) if (s[f] < m) m = s[f]; printf "%.1f", m}' "$work"/rss.1 "$work"/rss.2)
best_vips_cpu=$(printf '%s\n' "${vips_cpu[@]}" | sort -n | head -1)
echo "ratio of CPU time (steadier on a busy machine): $(echo "scale=2; $best_outpost_cpu / $best_vips_cpu" | bc) ($best_outpost_cpu s / $best_vips_cpu s)"

# Quality, the final filter's cost, the thumbnail.
OUTPOST_BENCH_VIPS="$work/vips" "$work/pack.test" -test.run '^TestBenchQuality$' | grep '^psnr'
"$work/adapt.test" -test.run '^$' -test.bench '^(BenchmarkRenditionFilters|BenchmarkThumbnailLargest)$' -test.benchtime 1x |
	grep -E '^(filters|thumbnail):'
