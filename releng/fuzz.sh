#!/usr/bin/env bash
# Fuzzes every parser harness of releng/org.portraitgen.fuzz with Jazzer, SECONDS_PER_HARNESS each (default 60),
# one JVM per harness, then prints harness x executions x findings. A finding is written by Jazzer as
# crash-<sha1> (or timeout-/oom-) into the harness's Inputs folder under src/test/resources: fix the parser and
# commit the file, it then runs as a regression test in CI.
#   releng/fuzz.sh [SECONDS_PER_HARNESS] [extra Maven arguments, e.g. -Dtest=GraphJsonFuzzTest -Dfuzz.seed=1]
# FUZZ_KEEP_GOING=N (default 20): findings after which a harness stops.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
shift || true
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: releng/fuzz.sh [SECONDS_PER_HARNESS] [maven args]" >&2; exit 2; }
source releng/setup-machine.sh
module=releng/org.portraitgen.fuzz
inputs=$module/src/test/resources

artifacts() { find "$inputs" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | sort; }
before=$(mktemp)
trap 'rm -f "$before"' EXIT
artifacts > "$before"
rm -rf "$module/target/fuzz-stats" "$module/target/fuzz-reports"

set +e
# -am builds the bundles the harnesses read, in the same reactor (tycho.localArtifacts=ignore)
./mvnw -B -ntp -pl "$module" -am test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmaven.test.failure.ignore=true -Dfuzz.skip=false -Dfuzz.duration="${seconds}s" \
  -Dfuzz.keepGoing="${FUZZ_KEEP_GOING:-20}" "$@" 2>&1 | tee "$module/target-fuzz.log"
status=${PIPESTATUS[0]}
set -e

python3 - "$module" "$inputs" "$before" "$seconds" <<'PY'
import glob, os, re, subprocess, sys, xml.etree.ElementTree as ET
module, inputs, before_file, seconds = sys.argv[1:]
before = set(open(before_file).read().split())
now = subprocess.run(["find", inputs, "-type", "f"], capture_output=True, text=True).stdout.split()
new = [p for p in now if p not in before and re.match(r"(crash|timeout|oom|leak)-", os.path.basename(p))]
execs = {}
for f in glob.glob(f"{module}/target/fuzz-stats/*.count"):
    name = os.path.basename(f).split(".")[0]
    execs[name] = execs.get(name, 0) + int(open(f).read().strip() or 0)
failed = {}
for f in glob.glob(f"{module}/target/fuzz-reports/TEST-*.xml"):
    r = ET.parse(f).getroot()
    name = r.get("name").rsplit(".", 1)[-1].removesuffix("FuzzTest")
    failed[name] = int(r.get("failures", 0)) + int(r.get("errors", 0))
    execs.setdefault(name, 0)
rows = []
for name in sorted(execs):
    found = [p for p in new if f"/{name}FuzzTestInputs/" in p]
    rows.append((name, execs[name], len(found), failed.get(name, 0)))
print(f"\nfuzz: {seconds} s per harness")
print(f"{'harness':<14} {'executions':>12} {'findings':>9}  failed run")
for name, n, k, f in rows:
    print(f"{name:<14} {n:>12} {k:>9}  {'yes' if f else 'no'}")
print(f"{'total':<14} {sum(r[1] for r in rows):>12} {sum(r[2] for r in rows):>9}")
for p in new:
    print("new finding:", p)
PY
exit "$status"
