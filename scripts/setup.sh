#!/usr/bin/env bash
# Installs Sift's build and test dependencies from Debian packages when any is missing.
set -euo pipefail
pkgs=(g++ cmake ninja-build ccache pkg-config libboost-dev libboost-system-dev rapidjson-dev
      libicu-dev libstemmer-dev libroaring-dev libzstd-dev zlib1g-dev catch2 python3 python3-yaml curl tzdata)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
