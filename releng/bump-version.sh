#!/usr/bin/env bash
# Sets the version of every bundle, feature and the product (MANIFEST.MF, feature.xml, .product, poms) at once.
# Usage: releng/bump-version.sh 0.2.0-SNAPSHOT
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ $# -eq 1 ] || { echo "usage: $0 NEW_VERSION (e.g. 0.2.0-SNAPSHOT)" >&2; exit 2; }
source releng/setup-machine.sh
./mvnw -B -ntp -q org.eclipse.tycho:tycho-versions-plugin:5.0.2:set-version -DnewVersion="$1"
# the plain-Maven product tests module is outside Tycho's reach
sed -i "0,/<version>[^<]*<\/version>/s//<version>$1<\/version>/" product/org.portraitgen.product.tests/pom.xml
echo "version set to $1; review with: git diff --stat"
