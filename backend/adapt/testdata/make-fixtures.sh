#!/usr/bin/env bash
# Regenerates the committed image fixtures (ImageMagick 6 and exiftool:
# apt-get install imagemagick libimage-exiftool-perl). The tests read these
# files; the fixtures that must be malformed (truncated, pixel bombs, crafted
# EXIF) are built by the tests themselves.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A small photo-like picture: a smooth gradient with a light swirl.
convert -size 96x64 gradient:orange-navy -swirl 60 "$tmp/photo.png"
convert "$tmp/photo.png" -strip -quality 90 photo.jpg
convert "$tmp/photo.png" -strip -interlace JPEG -quality 90 progressive.jpg
convert "$tmp/photo.png" -strip -colorspace Gray -quality 90 gray.jpg
convert "$tmp/photo.png" -strip -quality 90 -define webp:lossless=false photo.webp
convert "$tmp/photo.png" -strip photo.gif
convert "$tmp/photo.png" -strip png24:photo.png
convert "$tmp/photo.png" -strip -resize 32x -depth 16 png48:photo16.png
# Formats Outpost refuses, although imaging registers decoders for them.
convert "$tmp/photo.png" -strip -resize 32x photo.bmp
convert "$tmp/photo.png" -strip -resize 32x -depth 8 -compress lzw photo.tiff

# Transparency: a red disc on a transparent background, to check that
# thumbnails flatten alpha onto white.
convert -size 80x60 xc:none -fill red -draw 'circle 40,30 40,10' -strip png32:alpha.png
convert alpha.png -strip -define webp:lossless=true alpha.webp

# An adobe CMYK JPEG (stored inverted, as Photoshop does) of pure red.
convert -size 64x64 xc:red -colorspace CMYK -strip -quality 95 cmyk.jpg

# An animated GIF whose first frame is red, then green, then blue.
convert -delay 20 -size 40x30 xc:red xc:lime xc:blue -loop 0 animated.gif
# The same as an animated WebP, which x/image/webp cannot read by itself.
convert -delay 20 -size 40x30 xc:red xc:lime xc:blue -loop 0 -define webp:lossless=true animated.webp

# Upright, the picture is 48x32: red top-left, lime top-right, blue
# bottom-left, yellow bottom-right. orient6.jpg stores it turned a quarter
# counter-clockwise and says "rotate 90° clockwise to show" (Orientation 6);
# orient8.jpg stores it turned clockwise (Orientation 8). Check them with
# `convert orient6.jpg -auto-orient x.png`.
convert \( -size 24x16 xc:red xc:lime +append \) \( -size 24x16 xc:blue xc:yellow +append \) -append "$tmp/quad.png"
convert "$tmp/quad.png" -rotate -90 -strip -quality 95 orient6.jpg
convert "$tmp/quad.png" -rotate 90 -strip -quality 95 orient8.jpg
exiftool -q -overwrite_original -n -Orientation=6 orient6.jpg
exiftool -q -overwrite_original -n -Orientation=8 orient8.jpg
