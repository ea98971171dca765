#!/usr/bin/env bash
# The main job on a small sample: makes a reference/distorted pair with ffmpeg (testsrc2,
# libx264 CRF 35), extracts the full feature set and prints the pooled scores.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p sample
if [[ ! -f sample/ref.y4m || ! -f sample/dis.y4m ]]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=320x240:rate=25 -frames:v 24 \
    -pix_fmt yuv420p sample/ref.y4m
  ffmpeg -hide_banner -loglevel error -y -i sample/ref.y4m -c:v libx264 -crf 35 -preset medium \
    -threads 1 sample/dis.mp4
  ffmpeg -hide_banner -loglevel error -y -i sample/dis.mp4 -pix_fmt yuv420p sample/dis.y4m
fi
build/vqfuse extract -r sample/ref.y4m -d sample/dis.y4m --feature-set full --json -o sample/out.json
echo "demo: per-frame features in sample/out.json"
