#!/usr/bin/env bash
# Fetches the MediaPipe models the tracking bundle runs (Apache-2.0, from npm; never committed) into a cache folder:
#   PORTRAITGEN_MODELS (default ~/.cache/portraitgen/models)/
#     face_landmark.tflite, face_detection_short_range.tflite, geometry_pipeline_metadata_landmarks.binarypb
#       (sliced out of @mediapipe/face_mesh's face_mesh_solution_packed_assets.data at the byte ranges its loader
#        JS lists), selfie_segmentation.tflite (@mediapipe/selfie_segmentation).
# Every file is checked against the SHA-256 recorded here; a run with all files present and valid does nothing.
set -euo pipefail

models=${PORTRAITGEN_MODELS:-$HOME/.cache/portraitgen/models}
face_mesh_pkg=@mediapipe/face_mesh@0.4.1657299874
selfie_pkg=@mediapipe/selfie_segmentation@0.1.1675465747
pose_pkg=@mediapipe/pose@0.5.1675469404

declare -A sha256=(
  [face_landmark.tflite]=c603fa6149219a3e9487dc9abd7a0c24474c77263273d24868378cdf40aa26d1
  [face_detection_short_range.tflite]=3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633
  [geometry_pipeline_metadata_landmarks.binarypb]=bdbcda96dfcb7da883da124aaa2c55dee49770d934f0fcc71747f8c21bdc75b4
  [selfie_segmentation.tflite]=8d13b7fae74af625c641226813616a2117bd6bca19eb3b75574621fc08557f27
  [pose_landmark_full.tflite]=e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f
)

verify() { # file -> 0 when present with the recorded digest
  [ -f "$models/$1" ] && [ "$(sha256sum "$models/$1" | cut -d' ' -f1)" = "${sha256[$1]}" ]
}

all_ok=1
for f in "${!sha256[@]}"; do verify "$f" || all_ok=0; done
[ "$all_ok" = 1 ] && exit 0

command -v npm >/dev/null || { echo "fetch-models: npm is needed (apt-get install npm)" >&2; exit 1; }
mkdir -p "$models"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetch-models: npm pack $face_mesh_pkg $selfie_pkg $pose_pkg -> $models"
(cd "$work" && npm pack --silent "$face_mesh_pkg" "$selfie_pkg" "$pose_pkg" >/dev/null)
mkdir -p "$work/fm" "$work/ss" "$work/pose"
tar xzf "$work"/mediapipe-face_mesh-*.tgz -C "$work/fm"
tar xzf "$work"/mediapipe-selfie_segmentation-*.tgz -C "$work/ss"
tar xzf "$work"/mediapipe-pose-*.tgz -C "$work/pose"

# The loader ends with loadPackage({"files": [{"filename": ".../NAME", "start": S, "end": E}, ...]}).
python3 - "$work/fm/package" "$work/out" <<'PY'
import json, os, re, sys
pkg, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
js = open(os.path.join(pkg, "face_mesh_solution_packed_assets_loader.js")).read()
files = json.loads(re.search(r'loadPackage\((\{"files".*?\})\);', js, re.S).group(1))["files"]
data = open(os.path.join(pkg, "face_mesh_solution_packed_assets.data"), "rb").read()
wanted = {"face_landmark.tflite", "face_detection_short_range.tflite", "geometry_pipeline_metadata_landmarks.binarypb"}
for f in files:
    name = os.path.basename(f["filename"])
    if name in wanted:
        open(os.path.join(out, name), "wb").write(data[f["start"]:f["end"]])
        wanted.discard(name)
if wanted:
    sys.exit("fetch-models: loader lists no " + ", ".join(sorted(wanted)))
PY
cp "$work/ss/package/selfie_segmentation.tflite" "$work/out/"
cp "$work/pose/package/pose_landmark_full.tflite" "$work/out/"

for f in "${!sha256[@]}"; do
  got=$(sha256sum "$work/out/$f" | cut -d' ' -f1)
  if [ "$got" != "${sha256[$f]}" ]; then
    echo "fetch-models: $f has SHA-256 $got, expected ${sha256[$f]}" >&2
    exit 1
  fi
  # write then rename, so a reader never sees half a model
  cp "$work/out/$f" "$models/.$f.tmp" && mv -f "$models/.$f.tmp" "$models/$f"
done
echo "fetch-models: models ready in $models"
