#!/usr/bin/env bash
# Runs the main job, graphs/default.json, on the bundled sample clip or on the video given as the first argument.
# Builds the product first when it is missing or older than the sources. Safe to run twice: the second run is
# served from the run cache. Further arguments go to 'portraitgen run' (e.g. --set edit.editor=builtin.cartoon).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source releng/setup-machine.sh

video=${1:-samples/d0.mp4}
[ $# -gt 0 ] && shift
if [ ! -f "$video" ]; then
  echo "run: no such video file: $video" >&2
  exit 2
fi
video=$(readlink -f "$video")

install=product/org.portraitgen.product/target/products/org.portraitgen.product/linux/gtk/x86_64/portraitgen
stamp=$(ls product/org.portraitgen.product/target/products/portraitgen-*-linux.gtk.x86_64.tar.gz 2>/dev/null | head -n 1)
if [ ! -x "$install/portraitgen" ] || [ -z "$stamp" ] || \
   [ -n "$(find bundles features product target-platform pom.xml -newer "$stamp" -type f \
           -not -path '*/target/*' -print -quit)" ]; then
  echo "run: building PortraitGen Studio (first time: a few minutes, mostly downloads)"
  ./mvnw -B -ntp -q verify -DskipTests
fi

name=$(basename "${video%.*}")
mkdir -p out
"$install/portraitgen" run graphs/default.json \
  --set decode.file="$video" --set encode.output="$root/out/$name-edited.mp4" \
  --set side_encode.output="$root/out/$name-side-by-side.mp4" "$@"
echo "run: output written to $root/out/$name-edited.mp4 (source | edited: $root/out/$name-side-by-side.mp4)"
