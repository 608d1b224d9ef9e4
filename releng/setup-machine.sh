#!/usr/bin/env bash
# Installs what building, testing and running need on a Debian 12 machine; a no-op when all is there.
# Sourced by test.sh and run.sh; exports JAVA_HOME.
set -euo pipefail

packages=(curl unzip xvfb xauth libgtk-3-0 libegl1 libegl-mesa0 libgl1-mesa-dri libgbm1
          libvulkan1 mesa-vulkan-drivers         # Vulkan loader + lavapipe (the Vulkan CNN of field.gl on the CPU)
          slurmctld slurmd slurm-client munge    # the local render-farm cluster of the tests
          g++ libdlib-dev libdlib-data)          # the dlib 68-point cross-check (tracking.dlib) and its C++ reference
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# npm (for the MediaPipe model packages) may come with a Node.js from elsewhere; Debian's only when there is none
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# SWT and Equinox need Java 21+; this machine kind ships Temurin 25 beside the default OpenJDK 17.
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-*-jdk-amd64 /usr/lib/jvm/java-2[1-9]-openjdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then JAVA_HOME=$candidate; break; fi
  done
fi
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
  echo "setup: no Java 21+ found; install Temurin 25 (or openjdk-21) and set JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME
export ORT_DISABLE_TELEMETRY=1

# MediaPipe models for the tracking bundle (npm packages, Apache-2.0; never committed): a no-op once they are there
"$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/fetch-models.sh"
