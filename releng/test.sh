#!/usr/bin/env bash
# Runs every test: builds the whole reactor (bundles, features, product) and runs the test bundles inside a real
# Equinox framework with Felix SCR, under a virtual display for the SWT tests. Safe to run twice.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source releng/setup-machine.sh
start=$(date +%s)
set +e
xvfb-run -a -s "-screen 0 1600x1000x24" ./mvnw -B -ntp verify "$@" 2>&1 | tee target-test.log
status=${PIPESTATUS[0]}
set -e
# One summary line over all test bundles, in the form CI reads.
python3 - "$status" "$start" <<'PY' || true
import glob, re, sys, time, xml.etree.ElementTree as ET
tests = fails = skipped = 0
for f in glob.glob("bundles/*/target/surefire-reports/TEST-*.xml") + glob.glob("product/*/target/surefire-reports/TEST-*.xml") + glob.glob("releng/*/target/surefire-reports/TEST-*.xml"):
    r = ET.parse(f).getroot()
    tests += int(r.get("tests", 0)); skipped += int(r.get("skipped", 0))
    fails += int(r.get("failures", 0)) + int(r.get("errors", 0))
print(f"tests: {tests - fails - skipped} passed, {fails} failed, {skipped} skipped in {int(time.time()) - int(sys.argv[2])} s")
PY
exit "$status"
