#!/usr/bin/env bash
# bench edit: for each clip and editor, runs graphs/bench-edit.json with the installed product (lift -> edit ->
# render against editor.apply on every frame) and prints the metrics table: warp error of each video with the
# source's optical flow (DIS, forward-backward occlusion check), its excess over the source's own warp error, mean
# face-point distance and expression error to the source (pixels), and the run's wall time. With ABLATION=1 the 3D
# edit runs again without expression guidance. The run cache makes reruns and shared stages (decode, track, lift)
# free. Environment: FRAMES (60), SIZE (256), LIFT_STEPS (300), EDIT_STEPS (100), KEY_EVERY (5), REEDIT_EVERY (25),
# EDITORS ("builtin.stylization builtin.pencil"), CACHE (run cache), OUT (out/bench-edit).
# Usage: releng/bench-edit.sh CLIP.mp4...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
install=$root/product/org.portraitgen.product/target/products/org.portraitgen.product/linux/gtk/x86_64/portraitgen
[ -x "$install/portraitgen" ] || { echo "bench-edit: build the product first (./mvnw verify -DskipTests)" >&2; exit 2; }
[ $# -gt 0 ] || set -- "$root/samples/d0.mp4"
FRAMES=${FRAMES:-60} SIZE=${SIZE:-256} LIFT_STEPS=${LIFT_STEPS:-300} EDIT_STEPS=${EDIT_STEPS:-100}
KEY_EVERY=${KEY_EVERY:-5} REEDIT_EVERY=${REEDIT_EVERY:-25}
EDITORS=${EDITORS:-builtin.stylization builtin.pencil}
OUT=${OUT:-$root/out/bench-edit}
mkdir -p "$OUT"
cache=(); [ -n "${CACHE:-}" ] && cache=(--cache "$CACHE")
run() { # clip editor tag extra-sets...
  local clip=$1 editor=$2 tag=$3; shift 3
  local name; name=$(basename "${clip%.*}")
  local start; start=$(date +%s)
  "$install/portraitgen" run "$root/graphs/bench-edit.json" "${cache[@]}" --isolation in-process \
    --set decode.file="$(readlink -f "$clip")" --set decode.max_frames="$FRAMES" --set decode.width="$SIZE" \
    --set lift.steps="$LIFT_STEPS" --set lift.resolution="$SIZE" --set edit.steps="$EDIT_STEPS" \
    --set edit.resolution="$SIZE" --set edit.key_every="$KEY_EVERY" --set edit.reedit_every="$REEDIT_EVERY" \
    --set render.resolution="$SIZE" --set render_source.resolution="$SIZE" \
    --set metrics_edit.resolution="$SIZE" --set metrics_baseline.resolution="$SIZE" \
    --set metrics_lifted.resolution="$SIZE" \
    --set edit.editor="$editor" --set baseline.editor="$editor" \
    --set metrics_edit.report="$OUT/$name-$editor-$tag-3d.json" \
    --set metrics_baseline.report="$OUT/$name-$editor-per-frame.json" \
    --set metrics_lifted.report="$OUT/$name-lifted.json" \
    --set side_encode.output="$OUT/$name-$editor-$tag-per-frame-vs-3d.mp4" "$@" > "$OUT/$name-$editor-$tag.log" 2>&1
  echo $(( $(date +%s) - start )) > "$OUT/$name-$editor-$tag.seconds"
}
for clip in "$@"; do
  for editor in $EDITORS; do
    run "$clip" "$editor" guided
    [ "${ABLATION:-0}" = 1 ] && run "$clip" "$editor" unguided --set edit.expression_guidance=false
  done
done
echo "bench edit: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other jobs share this machine);" \
  "$FRAMES frames at ${SIZE}px, lift $LIFT_STEPS steps, edit $EDIT_STEPS steps, key frames every $KEY_EVERY"
printf '| %-6s | %-20s | %-26s | %9s | %9s | %9s | %11s | %11s | %7s |\n' clip editor method "warp err" source excess \
  "landmark px" "expr err px" "wall s"
for f in "$OUT"/*.json; do
  python3 - "$f" <<'PY'
import json, os, sys
f = sys.argv[1]
d = json.load(open(f))
base = os.path.basename(f)[:-5]
parts = base.split('-')
clip = parts[0]
editor = parts[1] if len(parts) > 2 else '-'
method = '-'.join(parts[2:]) if len(parts) > 2 else 'lifted, unedited'
secs = ''
for tag in ('guided', 'unguided'):
    p = os.path.join(os.path.dirname(f), f"{clip}-{editor}-{tag}.seconds")
    if method.startswith(tag) and os.path.exists(p):
        secs = open(p).read().strip()
fmt = lambda v: '-' if v is None else f"{v:.2f}"
print(f"| {clip:<6} | {editor:<20} | {method:<26} | {d['warp_error']:9.2f} | {d['source_warp_error']:9.2f} | "
      f"{d['excess_warp_error']:9.2f} | {fmt(d['landmark_distance_px']):>11} | {fmt(d['expression_error_px']):>11} | {secs:>7} |")
PY
done
